import { MaintenanceCommand } from '../../maintenance-command.js';

export default class CleanUnusedTopic extends MaintenanceCommand {
  static override summary = 'Drop the consume queues of topics a broker no longer has a config for (mqadmin cleanUnusedTopic).';
  protected readonly task = 'cleanUnusedTopic' as const;
}
