import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { brokerAddrFlag, clusterFlag } from '../../flags.js';

export default class DeleteAccessConfig extends AdminCommand<typeof DeleteAccessConfig> {
  static override summary = "Delete an account from brokers' plain_acl.yml (mqadmin deleteAccessConfig).";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -c DefaultCluster -a RocketMQ --access-key rocketmq2 --secret-key 12345678',
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911 -a RocketMQ --access-key rocketmq2 --secret-key 12345678 --json',
  ];
  static override flags = {
    brokerAddr: brokerAddrFlag(),
    clusterName: clusterFlag(),
    accessKey: Flags.string({ char: 'a', summary: 'The account to delete (its access key).', required: true }),
  };

  async run(): Promise<{ brokers: string[]; accessKey: string }> {
    const { brokerTargets } = await import('../../ops/targets.js');
    const f = this.flags;
    return this.withAdmin(async (admin) => {
      const brokers = await brokerTargets(admin, f.brokerAddr, f.clusterName);
      for (const addr of brokers) {
        await admin.deletePlainAccessConfig(addr, f.accessKey);
        this.log(`delete plain access config account from ${addr} success.`);
      }
      this.log(`account's accesskey is:${f.accessKey}`);
      return { brokers, accessKey: f.accessKey };
    });
  }
}
