import { kv } from '@rockit/cli';
import { AdminCommand } from '../../admin-command.js';
import { brokerAddrFlag, clusterFlag } from '../../flags.js';

export default class BrokerStatus extends AdminCommand<typeof BrokerStatus> {
  static override summary = "Print a broker's runtime stats (mqadmin brokerStatus).";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911',
    '<%= config.bin %> <%= command.id %> -c DefaultCluster --json',
  ];
  static override flags = { brokerAddr: brokerAddrFlag(), clusterName: clusterFlag() };

  async run(): Promise<Record<string, Record<string, string>>> {
    const { brokerTargets } = await import('../../ops/targets.js');
    return this.withAdmin(async (admin) => {
      const out: Record<string, Record<string, string>> = {};
      const addrs = await brokerTargets(admin, this.flags.brokerAddr, this.flags.clusterName);
      for (const addr of addrs) {
        const table = await admin.getBrokerRuntimeInfo(addr);
        out[addr] = Object.fromEntries([...table].sort(([a], [b]) => a.localeCompare(b)));
        const pairs = Object.entries(out[addr]).map(([k, v]) => [addrs.length > 1 ? `${addr.padEnd(24)}${k}` : k, v] as const);
        this.log(kv(pairs));
      }
      return out;
    });
  }
}
