import { Flags } from '@oclif/core';
import { table } from '@rockit/cli';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';

export default class TopicRoute extends AdminCommand<typeof TopicRoute> {
  static override summary = 'Print the route data of a topic (mqadmin topicRoute).';
  static override examples = ['<%= config.bin %> <%= command.id %> -t TopicTest', '<%= config.bin %> <%= command.id %> -t TopicTest -l'];
  static override flags = {
    topic: topicFlag,
    list: Flags.boolean({ char: 'l', summary: 'Print as a table of brokers and queue numbers.' }),
  };

  async run(): Promise<Record<string, unknown>> {
    const { topicRoute } = await import('../../ops/topics.js');
    return this.withAdmin(async (admin) => {
      const route = await topicRoute(admin, this.flags.topic);
      if (this.flags.list) {
        const brokers = route.brokerDatas as { cluster: string; brokerName: string; brokerAddrs: Record<string, string> }[];
        const queues = route.queueDatas as { brokerName: string; readQueueNums: number; writeQueueNums: number; perm: number }[];
        const rows = brokers.map((b) => ({ ...b, addr: b.brokerAddrs['0'] ?? '', q: queues.find((q) => q.brokerName === b.brokerName) }));
        this.log(
          table(rows, [
            { header: '#ClusterName', key: 'cluster', minWidth: 16 },
            { header: '#BrokerName', key: 'brokerName', minWidth: 24 },
            { header: '#BrokerAddrs', key: 'addr', minWidth: 24 },
            { header: '#ReadQueue', get: (r) => r.q?.readQueueNums ?? 0, minWidth: 10 },
            { header: '#WriteQueue', get: (r) => r.q?.writeQueueNums ?? 0, minWidth: 11 },
            { header: '#Perm', get: (r) => r.q?.perm ?? 0 },
          ]),
        );
      } else {
        this.log(JSON.stringify(route, null, 2));
      }
      return route;
    });
  }
}
