import { Args } from '@oclif/core';
import { table } from '@rockit/cli';
import { AdminCommand } from '../../admin-command.js';
import type { TopicQueueStatus } from '../../ops/topics.js';

export default class TopicDescribe extends AdminCommand<typeof TopicDescribe> {
  static override summary = 'A topic: its brokers and queues, messages per queue (with totals) and the groups consuming it.';
  static override examples = ['<%= config.bin %> <%= command.id %> TopicTest', '<%= config.bin %> <%= command.id %> Orders --json'];
  static override args = { name: Args.string({ description: 'Topic name.', required: true }) };

  async run(): Promise<{ topic: string; clusters: string[]; route: Record<string, unknown>; queues: TopicQueueStatus[]; messages: number; groups: string[] }> {
    const { topicRoute, topicStatus, topicClusters } = await import('../../ops/topics.js');
    const { formatDate } = await import('../../ops/targets.js');
    return this.withAdmin(async (admin) => {
      const topic = this.args.name;
      const route = await topicRoute(admin, topic);
      const clusters = await topicClusters(admin, topic);
      const queues = await topicStatus(admin, topic);
      const groups = (await admin.queryTopicConsumeByWho(topic)).sort();
      const messages = queues.reduce((s, q) => s + q.maxOffset - q.minOffset, 0);
      const queueDatas = route.queueDatas as { brokerName: string; readQueueNums: number; writeQueueNums: number; perm: number }[];
      this.log(`Topic ${topic} on ${clusters.join(', ')}`);
      this.log(table(queueDatas, [
        { header: 'BROKER', key: 'brokerName', minWidth: 16 },
        { header: 'READ', key: 'readQueueNums', align: 'right' },
        { header: 'WRITE', key: 'writeQueueNums', align: 'right' },
        { header: 'PERM', key: 'perm', align: 'right' },
      ]));
      this.log('');
      const rows = [
        ...queues.map((q) => ({ ...q, messages: q.maxOffset - q.minOffset, last: q.lastUpdateTimestamp > 0 ? formatDate(q.lastUpdateTimestamp) : '' })),
        { brokerName: 'TOTAL', queueId: '', minOffset: '', maxOffset: '', messages, last: '' },
      ];
      this.log(table(rows, [
        { header: 'BROKER', key: 'brokerName', minWidth: 16 },
        { header: 'QUEUE', key: 'queueId', align: 'right' },
        { header: 'MIN OFFSET', key: 'minOffset', align: 'right' },
        { header: 'MAX OFFSET', key: 'maxOffset', align: 'right' },
        { header: 'MESSAGES', key: 'messages', align: 'right' },
        { header: 'LAST STORED', key: 'last' },
      ]));
      this.log(`\nConsumer groups: ${groups.length > 0 ? groups.join(', ') : '(none)'}`);
      return { topic, clusters, route, queues, messages, groups };
    });
  }
}
