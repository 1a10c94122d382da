import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';

export default class DeleteTopic extends AdminCommand<typeof DeleteTopic> {
  static override summary = 'Delete a topic from the brokers of a cluster and from every name server (mqadmin deleteTopic).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t TopicTest -c DefaultCluster',
    '<%= config.bin %> <%= command.id %> -n 10.0.0.5:9876 -t TopicTest -c DefaultCluster',
  ];
  static override flags = { topic: topicFlag, clusterName: Flags.string({ char: 'c', summary: 'Cluster to delete it from.', required: true }) };

  async run(): Promise<{ topic: string; cluster: string }> {
    const { topic, clusterName } = this.flags;
    return this.withAdmin(async (admin) => {
      await admin.deleteTopic(topic, clusterName);
      this.log(`delete topic [${topic}] from cluster [${clusterName}] success.`);
      this.log(`delete topic [${topic}] from NameServer success.`);
      return { topic, cluster: clusterName };
    });
  }
}
