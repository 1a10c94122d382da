import { MaintenanceCommand } from '../../maintenance-command.js';

export default class DeleteExpiredCommitLog extends MaintenanceCommand {
  static override summary = 'Make brokers delete expired commit-log files now instead of at deleteWhen (mqadmin deleteExpiredCommitLog).';
  protected readonly task = 'deleteExpiredCommitLog' as const;
}
