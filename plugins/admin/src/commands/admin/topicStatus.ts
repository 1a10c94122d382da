import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';
import type { TopicQueueStatus } from '../../ops/topics.js';

export default class TopicStatus extends AdminCommand<typeof TopicStatus> {
  static override summary = "Per-queue min/max offsets and last store time of a topic (mqadmin topicStatus).";
  static override examples = ['<%= config.bin %> <%= command.id %> -t TopicTest', '<%= config.bin %> <%= command.id %> -t Orders --json'];
  static override flags = { topic: topicFlag };

  async run(): Promise<{ queues: TopicQueueStatus[] }> {
    const { topicStatus } = await import('../../ops/topics.js');
    const { renderTopicStatus } = await import('../../render.js');
    return this.withAdmin(async (admin) => {
      const queues = await topicStatus(admin, this.flags.topic);
      this.log(renderTopicStatus(queues));
      return { queues };
    });
  }
}
