import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';
import type { MessageView } from '../../ops/messages.js';

export default class PrintMsg extends AdminCommand<typeof PrintMsg> {
  static override summary = 'Print the messages of a topic stored in a time window (mqadmin printMsg).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t TopicTest',
    '<%= config.bin %> <%= command.id %> -t Orders -s TagA -b 2024-05-01#10:00:00:000 -e 2024-05-01#11:00:00:000',
    '<%= config.bin %> <%= command.id %> -t TopicTest -d false',
  ];
  static override flags = {
    topic: topicFlag,
    subExpression: Flags.string({ char: 's', summary: 'Tag expression.', default: '*' }),
    beginTimestamp: Flags.string({ char: 'b', summary: 'From (millis or yyyy-MM-dd#HH:mm:ss:SSS).' }),
    endTimestamp: Flags.string({ char: 'e', summary: 'To.' }),
    printBody: Flags.string({ char: 'd', summary: 'Print the body (true).', options: ['true', 'false'], default: 'true' }),
  };

  async run(): Promise<{ messages: MessageView[] }> {
    const { readQueues, topicQueues } = await import('../../ops/messages.js');
    const { parseTimestamp } = await import('../../ops/targets.js');
    const { renderMessageLine } = await import('../../render.js');
    const f = this.flags;
    return this.withAdmin(async (admin) => {
      const queues = await topicQueues(admin, f.topic);
      const messages = await readQueues(admin, queues, {
        subExpression: f.subExpression,
        ...(f.beginTimestamp !== undefined ? { begin: parseTimestamp(f.beginTimestamp) } : {}),
        ...(f.endTimestamp !== undefined ? { end: parseTimestamp(f.endTimestamp) } : {}),
      });
      for (const m of messages) this.log(renderMessageLine(m, f.printBody === 'true'));
      return { messages };
    });
  }
}
