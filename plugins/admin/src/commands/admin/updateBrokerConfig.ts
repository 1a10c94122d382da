import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { brokerAddrFlag, clusterFlag } from '../../flags.js';

export default class UpdateBrokerConfig extends AdminCommand<typeof UpdateBrokerConfig> {
  static override summary = 'Change one broker config key at runtime (mqadmin updateBrokerConfig).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -c DefaultCluster -k autoCreateTopicEnable -v false',
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911 -k maxMessageSize -v 8388608',
  ];
  static override flags = {
    brokerAddr: brokerAddrFlag(),
    clusterName: clusterFlag(),
    key: Flags.string({ char: 'k', summary: 'Config key.', required: true }),
    value: Flags.string({ char: 'v', summary: 'Config value.', required: true }),
  };

  async run(): Promise<{ brokers: string[]; key: string; value: string }> {
    const { brokerTargets } = await import('../../ops/targets.js');
    return this.withAdmin(async (admin) => {
      const brokers = await brokerTargets(admin, this.flags.brokerAddr, this.flags.clusterName);
      for (const addr of brokers) {
        await admin.updateBrokerConfig(addr, { [this.flags.key]: this.flags.value });
        this.log(`update broker config success, ${addr}`);
      }
      return { brokers, key: this.flags.key, value: this.flags.value };
    });
  }
}
