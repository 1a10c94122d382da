import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import type { GroupProgress, GroupSummary } from '../../ops/groups.js';

export default class ConsumerProgress extends AdminCommand<typeof ConsumerProgress> {
  static override summary = "A group's offsets and lag per queue; without -g, every group (mqadmin consumerProgress).";
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> -g order_consumer',
    '<%= config.bin %> <%= command.id %> -g order_consumer -t Orders --json',
  ];
  static override flags = {
    groupName: Flags.string({ char: 'g', summary: 'Consumer group name.' }),
    topic: Flags.string({ char: 't', summary: 'Only this topic.' }),
    showClientIP: Flags.boolean({ char: 's', summary: 'Show which client IP holds each queue (asks the consumers).', default: true, allowNo: true }),
  };

  async run(): Promise<GroupProgress | { groups: GroupSummary[] }> {
    const { groupProgress, groupSummaries } = await import('../../ops/groups.js');
    const { renderGroupProgress, renderGroupSummaries } = await import('../../render.js');
    return this.withAdmin(async (admin) => {
      if (this.flags.groupName === undefined) {
        const groups = await groupSummaries(admin);
        this.log(renderGroupSummaries(groups));
        return { groups };
      }
      const progress = await groupProgress(admin, this.flags.groupName.trim(), this.flags.topic, this.flags.showClientIP);
      this.log(renderGroupProgress(progress));
      return progress;
    });
  }
}
