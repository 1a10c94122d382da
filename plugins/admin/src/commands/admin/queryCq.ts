import { Flags } from '@oclif/core';
import type { ConsumeQueueQuery } from '@rockit/client/admin';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';

const RULE = '======================================';

export default class QueryCq extends AdminCommand<typeof QueryCq> {
  static override summary = 'Show the consume-queue units of a queue from an index (mqadmin queryCq).';
  static override description =
    'Each unit is where a message sits in the commit log (offset and size) and its tags code. Without -b the first ' +
    "master of the topic's route answers; with -g the group's subscription and filter data are shown too.";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t TopicTest -q 0 -i 0',
    '<%= config.bin %> <%= command.id %> -t Orders -q 3 -i 1000 -c 20 -b 127.0.0.1:10911 -g order_consumer',
    '<%= config.bin %> <%= command.id %> -t Orders -q 0 -i 0 --json',
  ];
  static override flags = {
    topic: topicFlag,
    queue: Flags.integer({ char: 'q', summary: 'Queue id.', required: true, min: 0 }),
    index: Flags.integer({ char: 'i', summary: 'First queue offset to show.', required: true, min: 0 }),
    count: Flags.integer({ char: 'c', summary: 'How many units.', default: 10, min: 1 }),
    broker: Flags.string({ char: 'b', summary: 'Broker address (host:port).' }),
    consumer: Flags.string({ char: 'g', summary: 'Consumer group: show its subscription and filter data.' }),
  };

  async run(): Promise<ConsumeQueueQuery> {
    const f = this.flags;
    return this.withAdmin(async (admin) => {
      const r = await admin.queryConsumeQueue(f.topic, f.queue, f.index, f.count, {
        ...(f.broker !== undefined ? { brokerAddr: f.broker } : {}),
        ...(f.consumer !== undefined ? { consumerGroup: f.consumer } : {}),
      });
      // mqadmin's layout: sections between rules, one unit per "idx" block in Java's toString form.
      const out: string[] = [];
      if (r.subscriptionData !== undefined) out.push(`Subscription data: \n${JSON.stringify(r.subscriptionData, null, '\t')}`, RULE);
      if (r.filterData !== undefined) out.push(`Filter data: \n${r.filterData}`, RULE);
      out.push(`Queue data: \nmax: ${r.maxQueueIndex}, min: ${r.minQueueIndex}`, RULE);
      r.queueData.forEach((u, i) => {
        out.push(
          `idx: ${f.index + i}`,
          `ConsumeQueueData{physicOffset=${u.physicOffset}, physicSize=${u.physicSize}, tagsCode=${u.tagsCode}, extendDataJson='${u.extendDataJson}', bitMap='${u.bitMap}', eval=${u.eval}, msg='${u.msg}'}`,
          RULE,
        );
      });
      this.log(out.join('\n'));
      return r;
    });
  }
}
