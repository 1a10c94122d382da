import { Flags } from '@oclif/core';
import { table } from '@rockit/cli';
import { AdminCommand } from '../../admin-command.js';
import type { TopicClusterRow } from '../../ops/topics.js';

export default class TopicList extends AdminCommand<typeof TopicList> {
  static override summary = 'List every topic the name servers know (mqadmin topicList).';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> -c',
    '<%= config.bin %> <%= command.id %> -n 10.0.0.5:9876 --json',
  ];
  static override flags = {
    clusterModel: Flags.boolean({ char: 'c', summary: 'Also print the cluster and the consuming groups of each topic.' }),
  };

  async run(): Promise<{ topics: string[] } | { rows: TopicClusterRow[] }> {
    return this.withAdmin(async (admin) => {
      if (this.flags.clusterModel) {
        const { topicsByCluster } = await import('../../ops/topics.js');
        const rows = await topicsByCluster(admin);
        this.log(
          table(rows, [
            { header: '#Cluster Name', key: 'cluster', minWidth: 20 },
            { header: '#Topic', key: 'topic', minWidth: 48 },
            { header: '#Consumer Group', key: 'consumerGroup', minWidth: 48 },
          ]),
        );
        return { rows };
      }
      const topics = await admin.getTopicList();
      if (topics.length > 0) this.log(topics.join('\n'));
      return { topics };
    });
  }
}
