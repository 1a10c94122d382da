import { MaintenanceCommand } from '../../maintenance-command.js';

export default class CleanExpiredCQ extends MaintenanceCommand {
  static override summary = 'Clean expired consume queues on brokers: those whose messages retention already removed (mqadmin cleanExpiredCQ).';
  protected readonly task = 'cleanExpiredConsumeQueue' as const;
}
