import { AdminCommand } from './admin-command.js';
import { brokerAddrFlag, clusterFlag } from './flags.js';
import type { MaintenanceTask } from './ops/maintenance.js';

/**
 * The broker maintenance commands (cleanExpiredCQ, cleanUnusedTopic, deleteExpiredCommitLog): the same flags,
 * targets and output as mqadmin's; each names only its summary and the AdminClient call it makes.
 */
export abstract class MaintenanceCommand extends AdminCommand<typeof MaintenanceCommand> {
  static override description =
    'With -b one broker, with -c every master of the cluster, with neither every master the name server knows (as mqadmin). Prints success once every broker accepted it.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911',
    '<%= config.bin %> <%= command.id %> -c DefaultCluster -n 10.0.0.5:9876',
    '<%= config.bin %> <%= command.id %> --json',
  ];
  static override flags = { brokerAddr: brokerAddrFlag(), clusterName: clusterFlag() };

  protected abstract readonly task: MaintenanceTask;

  async run(): Promise<{ brokers: string[] }> {
    const { runMaintenance } = await import('./ops/maintenance.js');
    return this.withAdmin(async (admin) => {
      const brokers = await runMaintenance(admin, this.task, this.flags.brokerAddr, this.flags.clusterName);
      this.log('success');
      return { brokers };
    });
  }
}
