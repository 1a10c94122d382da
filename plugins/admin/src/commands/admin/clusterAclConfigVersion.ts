import { AdminCommand } from '../../admin-command.js';
import { brokerAddrFlag, clusterFlag } from '../../flags.js';

interface AclVersionRow {
  clusterName: string;
  brokerName: string;
  brokerAddr: string;
  aclFilePath: string;
  counter: number;
  timestamp: number;
}

export default class ClusterAclConfigVersion extends AdminCommand<typeof ClusterAclConfigVersion> {
  static override summary = "Show the version of brokers' plain_acl.yml (mqadmin clusterAclConfigVersion).";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -c DefaultCluster --access-key rocketmq2 --secret-key 12345678',
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911 --json',
  ];
  static override flags = { brokerAddr: brokerAddrFlag(), clusterName: clusterFlag() };

  async run(): Promise<{ brokers: AclVersionRow[] }> {
    const { brokerTargets, formatDate } = await import('../../ops/targets.js');
    const f = this.flags;
    return this.withAdmin(async (admin) => {
      const rows: AclVersionRow[] = [];
      for (const addr of await brokerTargets(admin, f.brokerAddr, f.clusterName)) {
        const info = await admin.examineBrokerClusterAclVersionInfo(addr);
        for (const [aclFilePath, v] of Object.entries(info.allAclFileVersion)) {
          rows.push({ clusterName: info.clusterName, brokerName: info.brokerName, brokerAddr: info.brokerAddr, aclFilePath, counter: v.counter, timestamp: v.timestamp });
        }
      }
      const line = (cells: string[]) => [cells[0]!.padEnd(16), cells[1]!.padEnd(22), cells[2]!.padEnd(22), cells[3]!.padEnd(20), cells[4]!.padEnd(22), cells[5]!.padEnd(22)].join('  ').trimEnd();
      this.log(line(['#Cluster Name', '#Broker Name', '#Broker Addr', '#AclFilePath', '#AclConfigVersionNum', '#AclLastUpdateTime']));
      for (const r of rows) this.log(line([r.clusterName, r.brokerName, r.brokerAddr, r.aclFilePath, String(r.counter), formatDate(r.timestamp)]));
      return { brokers: rows };
    });
  }
}
