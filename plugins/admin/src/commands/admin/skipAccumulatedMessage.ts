import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { groupFlag, topicFlag } from '../../flags.js';

export default class SkipAccumulatedMessage extends AdminCommand<typeof SkipAccumulatedMessage> {
  static override summary = "Move a group's offsets on a topic to the end, skipping the backlog (mqadmin skipAccumulatedMessage).";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -g order_consumer -t Orders',
    '<%= config.bin %> <%= command.id %> -n 10.0.0.5:9876 -g order_consumer -t Orders --json',
  ];
  static override flags = {
    group: groupFlag,
    topic: topicFlag,
    force: Flags.string({ char: 'f', summary: 'Force (true).', options: ['true', 'false'], default: 'true' }),
  };

  async run(): Promise<{ offsets: { brokerName: string; queueId: number; offset: number }[] }> {
    const { resetOffsets } = await import('../../ops/offsets.js');
    const { renderOffsets } = await import('../../render.js');
    return this.withAdmin(async (admin) => {
      const offsets = await resetOffsets(admin, this.flags.topic, this.flags.group, -1, this.flags.force === 'true');
      this.log(renderOffsets(offsets));
      return { offsets };
    });
  }
}
