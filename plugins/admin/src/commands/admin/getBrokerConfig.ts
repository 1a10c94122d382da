import { AdminCommand } from '../../admin-command.js';
import { brokerAddrFlag, clusterFlag } from '../../flags.js';
import { printConfigBlock } from '../../config-block.js';

export default class GetBrokerConfig extends AdminCommand<typeof GetBrokerConfig> {
  static override summary = "Print brokers' configuration (mqadmin getBrokerConfig).";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911',
    '<%= config.bin %> <%= command.id %> -c DefaultCluster --json',
  ];
  static override flags = { brokerAddr: brokerAddrFlag(), clusterName: clusterFlag() };

  async run(): Promise<Record<string, Record<string, string>>> {
    const { brokerTargets } = await import('../../ops/targets.js');
    return this.withAdmin(async (admin) => {
      const out: Record<string, Record<string, string>> = {};
      for (const addr of await brokerTargets(admin, this.flags.brokerAddr, this.flags.clusterName)) {
        out[addr] = Object.fromEntries(await admin.getBrokerConfig(addr));
        this.log(printConfigBlock(addr, out[addr]));
      }
      return out;
    });
  }
}
