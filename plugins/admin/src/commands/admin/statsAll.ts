import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import type { TopicGroupStats } from '../../ops/stats.js';

export default class StatsAll extends AdminCommand<typeof StatsAll> {
  static override summary = 'Put and get rates, 24 h counts and lag of every topic and consumer group (mqadmin statsAll).';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> -a',
    '<%= config.bin %> <%= command.id %> -t Orders --json',
  ];
  static override flags = {
    activeTopic: Flags.boolean({ char: 'a', summary: 'Only topics and groups with messages in the last 24 hours.' }),
    topic: Flags.string({ char: 't', summary: 'Only this topic.' }),
  };

  async run(): Promise<{ rows: TopicGroupStats[] }> {
    const { statsAll } = await import('../../ops/stats.js');
    const { renderStatsAll } = await import('../../render.js');
    return this.withAdmin(async (admin) => {
      const rows = await statsAll(admin, { activeOnly: this.flags.activeTopic, ...(this.flags.topic ? { topic: this.flags.topic } : {}) });
      this.log(renderStatsAll(rows));
      return { rows };
    });
  }
}
