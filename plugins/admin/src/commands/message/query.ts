import { Flags } from '@oclif/core';
import { table } from '@rockit/cli';
import { AdminCommand } from '../../admin-command.js';
import type { MessageView } from '../../ops/messages.js';

export default class MessageQuery extends AdminCommand<typeof MessageQuery> {
  static override summary = "Find a topic's messages by key (-k), by time window (--from/--to), or read a queue from an offset.";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t Orders -k order-1001',
    '<%= config.bin %> <%= command.id %> -t TopicTest --from 2024-05-01#10:00:00:000 --to 2024-05-01#11:00:00:000 --body',
    '<%= config.bin %> <%= command.id %> -t TopicTest -b broker-a -q 0 -o 100 -l 10',
  ];
  static override flags = {
    topic: Flags.string({ char: 't', summary: 'Topic.', required: true }),
    key: Flags.string({ char: 'k', summary: 'Message key (through the index).' }),
    from: Flags.string({ summary: 'Stored at or after (millis, now, or yyyy-MM-dd#HH:mm:ss:SSS).' }),
    to: Flags.string({ summary: 'Stored at or before.' }),
    broker: Flags.string({ char: 'b', summary: 'Broker name (reading a queue).' }),
    queue: Flags.integer({ char: 'q', summary: 'Queue id (with --broker).', min: 0 }),
    offset: Flags.integer({ char: 'o', summary: 'Start offset (with --broker and --queue).', min: 0 }),
    limit: Flags.integer({ char: 'l', summary: 'At most this many messages.', default: 32, min: 1 }),
    body: Flags.boolean({ summary: 'Show bodies.' }),
  };

  async run(): Promise<{ messages: MessageView[] }> {
    const { messagesByKey, readQueues, topicQueues } = await import('../../ops/messages.js');
    const { parseTimestamp, formatDate } = await import('../../ops/targets.js');
    const f = this.flags;
    const begin = f.from !== undefined ? parseTimestamp(f.from) : undefined;
    const end = f.to !== undefined ? parseTimestamp(f.to) : undefined;
    return this.withAdmin(async (admin) => {
      const messages = f.key !== undefined
        ? (await messagesByKey(admin, f.topic, f.key, f.limit, begin ?? 0, end ?? Number.MAX_SAFE_INTEGER)).slice(0, f.limit)
        : await readQueues(admin, await topicQueues(admin, f.topic, f.broker, f.queue), {
            limit: f.limit,
            ...(f.offset !== undefined ? { offset: f.offset } : {}),
            ...(begin !== undefined ? { begin } : {}),
            ...(end !== undefined ? { end } : {}),
          });
      const columns = [
        { header: 'MSG ID', key: 'msgId' as const, minWidth: 32 },
        { header: 'STORE HOST@QUEUE', get: (m: MessageView) => `${m.storeHost}@${m.queueId}` },
        { header: 'OFFSET', key: 'queueOffset' as const, align: 'right' as const },
        { header: 'TAGS', get: (m: MessageView) => m.tags ?? '' },
        { header: 'KEYS', get: (m: MessageView) => m.keys.join(' ') },
        { header: 'STORED', get: (m: MessageView) => formatDate(m.storeTimestamp) },
        ...(f.body ? [{ header: 'BODY', key: 'body' as const }] : []),
      ];
      this.log(table(messages, columns));
      this.log(`${messages.length} message(s)`);
      return { messages };
    });
  }
}
