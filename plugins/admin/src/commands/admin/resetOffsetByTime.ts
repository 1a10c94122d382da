import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { groupFlag, topicFlag } from '../../flags.js';

export default class ResetOffsetByTime extends AdminCommand<typeof ResetOffsetByTime> {
  static override summary = "Reset a group's offsets on a topic to those at a time (mqadmin resetOffsetByTime).";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -g order_consumer -t Orders -s 2024-05-01#10:00:00:000',
    '<%= config.bin %> <%= command.id %> -g order_consumer -t Orders -s 1714557600000 -f false',
  ];
  static override flags = {
    group: groupFlag,
    topic: topicFlag,
    timestamp: Flags.string({ char: 's', summary: 'Epoch millis, now, or yyyy-MM-dd#HH:mm:ss:SSS.', required: true }),
    force: Flags.string({ char: 'f', summary: 'Also move offsets backwards (true).', options: ['true', 'false'], default: 'true' }),
  };

  async run(): Promise<{ offsets: { brokerName: string; queueId: number; offset: number }[] }> {
    const { parseTimestamp } = await import('../../ops/targets.js');
    const { resetOffsets } = await import('../../ops/offsets.js');
    const { renderOffsets } = await import('../../render.js');
    const timestamp = parseTimestamp(this.flags.timestamp);
    return this.withAdmin(async (admin) => {
      const offsets = await resetOffsets(admin, this.flags.topic, this.flags.group, timestamp, this.flags.force === 'true');
      this.log(`rollback consumer offset by specified group[${this.flags.group}], topic[${this.flags.topic}], force[${this.flags.force}], timestamp(string)[${this.flags.timestamp}], timestamp(long)[${timestamp}]`);
      this.log(renderOffsets(offsets));
      return { offsets };
    });
  }
}
