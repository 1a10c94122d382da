import { Flags } from '@oclif/core';
import { table } from '@rockit/cli';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';
import type { MessageView } from '../../ops/messages.js';

export default class PrintMsgByQueue extends AdminCommand<typeof PrintMsgByQueue> {
  static override summary = 'Print the messages of one queue in a time window, optionally counted by tag (mqadmin printMsgByQueue).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t TopicTest -a broker-a -i 0 -p true',
    '<%= config.bin %> <%= command.id %> -t Orders -a broker-a -i 3 -b 2024-05-01#10:00:00:000 -e 2024-05-01#11:00:00:000 -f true',
  ];
  static override flags = {
    topic: topicFlag,
    brokerName: Flags.string({ char: 'a', summary: 'Broker name.', required: true }),
    queueId: Flags.integer({ char: 'i', summary: 'Queue id.', required: true, min: 0 }),
    subExpression: Flags.string({ char: 's', summary: 'Tag expression.', default: '*' }),
    beginTimestamp: Flags.string({ char: 'b', summary: 'From (millis or yyyy-MM-dd#HH:mm:ss:SSS).' }),
    endTimestamp: Flags.string({ char: 'e', summary: 'To.' }),
    print: Flags.string({ char: 'p', summary: 'Print the messages (false).', options: ['true', 'false'], default: 'false' }),
    printBody: Flags.string({ char: 'd', summary: 'Print the body (false).', options: ['true', 'false'], default: 'false' }),
    calculate: Flags.string({ char: 'f', summary: 'Count messages by tag (false).', options: ['true', 'false'], default: 'false' }),
  };

  async run(): Promise<{ messages: MessageView[]; tags?: Record<string, number> }> {
    const { readQueues } = await import('../../ops/messages.js');
    const { parseTimestamp } = await import('../../ops/targets.js');
    const { renderMessageLine } = await import('../../render.js');
    const f = this.flags;
    return this.withAdmin(async (admin) => {
      const messages = await readQueues(admin, [{ topic: f.topic, brokerName: f.brokerName, queueId: f.queueId }], {
        subExpression: f.subExpression,
        ...(f.beginTimestamp !== undefined ? { begin: parseTimestamp(f.beginTimestamp) } : {}),
        ...(f.endTimestamp !== undefined ? { end: parseTimestamp(f.endTimestamp) } : {}),
      });
      if (f.print === 'true') for (const m of messages) this.log(renderMessageLine(m, f.printBody === 'true'));
      if (f.calculate !== 'true') return { messages };
      const tags: Record<string, number> = {};
      for (const m of messages) tags[m.tags ?? ''] = (tags[m.tags ?? ''] ?? 0) + 1;
      const rows = Object.entries(tags).sort(([, a], [, b]) => b - a).map(([tag, count]) => ({ tag, count }));
      this.log(table(rows, [{ header: '#Tag', key: 'tag', minWidth: 32 }, { header: '#Count', key: 'count' }]));
      return { messages, tags };
    });
  }
}
