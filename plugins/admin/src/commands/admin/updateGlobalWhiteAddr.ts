import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { brokerAddrFlag, clusterFlag } from '../../flags.js';

export default class UpdateGlobalWhiteAddr extends AdminCommand<typeof UpdateGlobalWhiteAddr> {
  static override summary = "Replace the global white address list of brokers' plain_acl.yml (mqadmin updateGlobalWhiteAddr).";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -c DefaultCluster -g 10.10.103.*,192.168.0.* --access-key rocketmq2 --secret-key 12345678',
  ];
  static override flags = {
    brokerAddr: brokerAddrFlag(),
    clusterName: clusterFlag(),
    globalWhiteRemoteAddresses: Flags.string({ char: 'g', summary: 'Addresses that skip every ACL check, comma-separated.', required: true }),
    aclFileFullPath: Flags.string({ char: 'p', summary: "The ACL file to change [default: the broker's plain_acl.yml]." }),
  };

  async run(): Promise<{ brokers: string[] }> {
    const { brokerTargets } = await import('../../ops/targets.js');
    const f = this.flags;
    const addresses = f.globalWhiteRemoteAddresses.split(',').map((x) => x.trim()).filter(Boolean);
    return this.withAdmin(async (admin) => {
      const brokers = await brokerTargets(admin, f.brokerAddr, f.clusterName);
      for (const addr of brokers) {
        await admin.updateGlobalWhiteAddrConfig(addr, addresses, f.aclFileFullPath ?? '');
        this.log(`update global white remote addresses to ${addr} success.`);
      }
      return { brokers };
    });
  }
}
