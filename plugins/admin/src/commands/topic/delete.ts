import { Args, Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';

export default class TopicDelete extends AdminCommand<typeof TopicDelete> {
  static override summary = 'Delete a topic from its brokers and from every name server.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> TopicTest',
    '<%= config.bin %> <%= command.id %> TopicTest -c DefaultCluster',
  ];
  static override args = { name: Args.string({ description: 'Topic name.', required: true }) };
  static override flags = { cluster: Flags.string({ char: 'c', summary: 'Cluster [default: every cluster hosting the topic].' }) };

  async run(): Promise<{ topic: string; clusters: string[] }> {
    const { topicClusters } = await import('../../ops/topics.js');
    return this.withAdmin(async (admin) => {
      const clusters = this.flags.cluster !== undefined ? [this.flags.cluster] : await topicClusters(admin, this.args.name);
      for (const cluster of clusters) await admin.deleteTopic(this.args.name, cluster);
      this.log(`deleted topic ${this.args.name} from ${clusters.join(', ')}`);
      return { topic: this.args.name, clusters };
    });
  }
}
