import { AdminCommand } from '../../admin-command.js';
import { brokerAddrFlag, clusterFlag } from '../../flags.js';

export default class CleanExpiredCQ extends AdminCommand<typeof CleanExpiredCQ> {
  static override summary = 'Clean expired consume queues on brokers: those whose messages retention already removed (mqadmin cleanExpiredCQ).';
  static override description = 'With -b one broker, with -c every master of the cluster, with neither every master the name server knows (as mqadmin). Prints success once every broker accepted it.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911',
    '<%= config.bin %> <%= command.id %> -c DefaultCluster -n 10.0.0.5:9876',
    '<%= config.bin %> <%= command.id %> --json',
  ];
  static override flags = { brokerAddr: brokerAddrFlag(), clusterName: clusterFlag() };

  async run(): Promise<{ brokers: string[] }> {
    const { runMaintenance } = await import('../../ops/maintenance.js');
    return this.withAdmin(async (admin) => {
      const brokers = await runMaintenance(admin, 'cleanExpiredConsumeQueue', this.flags.brokerAddr, this.flags.clusterName);
      this.log('success');
      return { brokers };
    });
  }
}
