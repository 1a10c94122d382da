import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';
import type { MessageView } from '../../ops/messages.js';

export default class ConsumeMessage extends AdminCommand<typeof ConsumeMessage> {
  static override summary = 'Pull messages of a topic, a queue or an offset range, without committing (mqadmin consumeMessage).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t TopicTest -c 10',
    '<%= config.bin %> <%= command.id %> -t TopicTest -b broker-a -i 0 -o 100 -c 10',
    '<%= config.bin %> <%= command.id %> -t Orders -s 2024-05-01#10:00:00:000 -e 2024-05-01#11:00:00:000',
  ];
  static override flags = {
    topic: topicFlag,
    brokerName: Flags.string({ char: 'b', summary: 'Broker name.' }),
    queueId: Flags.integer({ char: 'i', summary: 'Queue id (with -b).', min: 0 }),
    offset: Flags.integer({ char: 'o', summary: 'Start offset (with -b and -i).', min: 0 }),
    consumerGroup: Flags.string({ char: 'g', summary: 'Consumer group to pull as.', default: 'TOOLS_CONSUMER' }),
    beginTimestamp: Flags.string({ char: 's', summary: 'From (millis or yyyy-MM-dd#HH:mm:ss:SSS).' }),
    endTimestamp: Flags.string({ char: 'e', summary: 'To.' }),
    messageNumber: Flags.integer({ char: 'c', summary: 'At most this many messages.', default: 128, min: 1 }),
  };

  async run(): Promise<{ messages: MessageView[] }> {
    const { readQueues, topicQueues } = await import('../../ops/messages.js');
    const { parseTimestamp } = await import('../../ops/targets.js');
    const { renderMessageLine } = await import('../../render.js');
    const { UsageError } = await import('@rockit/cli');
    const f = this.flags;
    if (f.queueId !== undefined && f.brokerName === undefined) throw new UsageError('-i (queue id) needs -b (broker name)');
    if (f.offset !== undefined && f.queueId === undefined) throw new UsageError('-o (offset) needs -b and -i');
    return this.withAdmin(async (admin) => {
      const queues = await topicQueues(admin, f.topic, f.brokerName, f.queueId);
      const messages = await readQueues(admin, queues, {
        group: f.consumerGroup,
        limit: f.messageNumber,
        ...(f.offset !== undefined ? { offset: f.offset } : {}),
        ...(f.beginTimestamp !== undefined ? { begin: parseTimestamp(f.beginTimestamp) } : {}),
        ...(f.endTimestamp !== undefined ? { end: parseTimestamp(f.endTimestamp) } : {}),
      });
      for (const m of messages) this.log(renderMessageLine(m, true));
      this.log(`Consume ok, ${messages.length} message(s)`);
      return { messages };
    });
  }
}
