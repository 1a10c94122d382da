import { Args, Flags } from '@oclif/core';
import { RockitCommand, UsageError } from '@rockit/cli';

/**
 * `rockit consume <topic>`: a push consumer of a group that streams what it receives (or asks what to do with each
 * message under -i); with --queue, a read by position that joins no group. Heavy modules load inside run().
 */
export default class Consume extends RockitCommand<typeof Consume> {
  static override summary = 'Receive messages from a topic: stream them, decide on each one (-i), or read a queue by position.';
  static override description = [
    'With a group (-g), joins it as a push consumer and prints each message as a block (or one JSON object per line with',
    '--json) until --max messages, --idle-timeout seconds without one, or Ctrl-C; offsets are committed and the group left',
    'cleanly in every case. --from applies to a group without committed offsets (RocketMQ consumeFromWhere).',
    '',
    'With --queue, reads --count messages of that queue from --offset by pulling, without a group: nothing is committed.',
  ].join('\n');
  static override examples = [
    '<%= config.bin %> consume TopicTest -g demo_group --from first --max 10',
    '<%= config.bin %> consume TopicTest -g demo_group --tag "TagA || TagB" --json',
    '<%= config.bin %> consume TopicTest -g demo_group --sql "a > 5 AND region = \'eu\'" --idle-timeout 5',
    '<%= config.bin %> consume TopicTest -g demo_group -i',
    '<%= config.bin %> consume TopicTest --queue 0 --offset 100 --count 5',
  ];
  static override args = {
    topic: Args.string({ description: 'Topic to consume.', required: true }),
  };
  static override flags = {
    group: Flags.string({ char: 'g', summary: 'Consumer group to join (required unless --queue).' }),
    tag: Flags.string({ summary: 'Tag expression, e.g. "TagA || TagB" [default: *].', exclusive: ['sql'] }),
    sql: Flags.string({ summary: 'SQL92 selector on properties (the broker needs enablePropertyFilter=true).' }),
    broadcast: Flags.boolean({ summary: 'Broadcasting: this consumer gets every message (offsets kept in a local file).' }),
    from: Flags.string({ summary: 'Where a group without committed offsets starts: last, first or an ISO time.', default: 'last' }),
    max: Flags.integer({ summary: 'Stop after this many messages.', min: 1 }),
    orderly: Flags.boolean({ summary: 'Consume orderly: one queue at a time under the broker lock, in queue order.' }),
    'idle-timeout': Flags.integer({ summary: 'Stop after this many seconds without a message.', min: 1 }),
    interactive: Flags.boolean({ char: 'i', summary: 'Ask for each message: ack, retry later (RECONSUME_LATER) or skip.' }),
    queue: Flags.integer({ summary: 'Read this queue by position, without a group.', min: 0, exclusive: ['group', 'tag', 'sql', 'broadcast', 'orderly', 'interactive', 'max', 'idle-timeout'] }),
    offset: Flags.integer({ summary: 'With --queue: the first offset to read [default: the queue\'s min offset].', min: 0, dependsOn: ['queue'] }),
    count: Flags.integer({ summary: 'With --queue: how many messages to read [default: 1].', min: 1, dependsOn: ['queue'] }),
    'broker-name': Flags.string({ summary: 'With --queue: the broker of the queue, when the topic is on several.', dependsOn: ['queue'] }),
  };

  async run(): Promise<void> {
    const { flags, args } = this;
    const json = this.jsonEnabled();
    if (flags.queue !== undefined) {
      const { readByPosition } = await import('../../by-position.js');
      await readByPosition({
        connection: this.connection(),
        topic: args.topic,
        queueId: flags.queue,
        count: flags.count ?? 1,
        json,
        ...(flags.offset !== undefined ? { offset: flags.offset } : {}),
        ...(flags['broker-name'] !== undefined ? { brokerName: flags['broker-name'] } : {}),
      });
      return;
    }
    if (flags.group === undefined || flags.group.trim() === '') {
      throw new UsageError('missing consumer group: rockit consume <topic> -g <group> (or --queue Q to read by position without one)');
    }
    const from = parseFrom(flags.from);
    if (flags.interactive) {
      if (process.stdin.isTTY !== true) throw new UsageError('-i needs a terminal on stdin to ask about each message');
      if (json) throw new UsageError('-i and --json do not go together: -i asks about each message in the terminal');
    }
    const { runStream } = await import('../../stream.js');
    await runStream({
      connection: this.connection(),
      topic: args.topic,
      group: flags.group,
      selector: flags.sql !== undefined ? { type: 'SQL92', expression: flags.sql } : (flags.tag ?? '*'),
      broadcast: flags.broadcast,
      from,
      orderly: flags.orderly,
      interactive: flags.interactive,
      json,
      ...(flags.max !== undefined ? { max: flags.max } : {}),
      ...(flags['idle-timeout'] !== undefined ? { idleTimeoutMillis: flags['idle-timeout'] * 1000 } : {}),
    });
  }
}

/** `last`, `first` or an ISO time (as a timestamp). */
function parseFrom(from: string): 'last' | 'first' | number {
  if (from === 'last' || from === 'first') return from;
  const t = /^\d{4}-\d{2}-\d{2}/.test(from) ? Date.parse(from) : Number.NaN;
  if (Number.isNaN(t)) throw new UsageError(`--from must be last, first or an ISO time such as 2024-05-01T12:00:00Z, not "${from}"`);
  return t;
}
