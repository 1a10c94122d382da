import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';

export default class TopicClusterList extends AdminCommand<typeof TopicClusterList> {
  static override summary = 'The clusters hosting a topic (mqadmin topicClusterList).';
  static override examples = ['<%= config.bin %> <%= command.id %> -t TopicTest'];
  static override flags = { topic: topicFlag };

  async run(): Promise<{ clusters: string[] }> {
    const { topicClusters } = await import('../../ops/topics.js');
    return this.withAdmin(async (admin) => {
      const clusters = await topicClusters(admin, this.flags.topic);
      if (clusters.length > 0) this.log(clusters.join('\n'));
      return { clusters };
    });
  }
}
