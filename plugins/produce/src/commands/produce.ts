import { Args, Flags } from '@oclif/core';
import { RockitCommand, UsageError } from '@rockit/cli';

/**
 * `rockit produce`: an interactive session when there is nothing to send yet and a terminal to ask in; otherwise
 * sends --body, --file or JSON lines from stdin. Heavy modules load inside run().
 */
export default class Produce extends RockitCommand<typeof Produce> {
  static override summary = 'Send messages to a topic: an interactive session, or scripted with --body, --file or JSON lines on stdin.';
  static override description = [
    'Without --body or --file and with a terminal on stdin, starts an interactive session: choose a topic, compose',
    'messages (body inline or in $EDITOR, tag, keys, properties), pick a send mode (sync, async, oneway, ordered by key,',
    'delayed, transactional with a chosen outcome), see each SendResult, repeat the last message, list the history.',
    '',
    'Scripted: stdin that is not a terminal is read as JSON lines {"body","tag","keys","properties","delayLevel","shardingKey"};',
    'flags give the defaults for each line. Exits 1 when any send failed, with the failures counted and explained.',
  ].join('\n');
  static override examples = [
    '<%= config.bin %> produce',
    '<%= config.bin %> produce TopicTest --body "hello" --tag TagA --keys order-1 -p source=cli',
    '<%= config.bin %> produce TopicTest --body tick --count 100 --rate 10 --mode async --json',
    '<%= config.bin %> produce OrderTopic --file order.json --sharding-key order-42',
    'cat messages.jsonl | <%= config.bin %> produce TopicTest --json',
  ];
  static override args = {
    topic: Args.string({ description: 'Topic to send to (asked for in the interactive session when missing).' }),
  };
  static override flags = {
    body: Flags.string({ char: 'b', summary: 'Message body (UTF-8 text).', exclusive: ['file'] }),
    file: Flags.string({ char: 'f', summary: 'Send the content of this file as one message body (bytes as they are).' }),
    tag: Flags.string({ char: 't', summary: 'Tag of the message(s).' }),
    keys: Flags.string({ char: 'k', summary: 'Keys, space or comma separated (indexed by the broker).' }),
    property: Flags.string({ char: 'p', summary: 'User property key=value (repeatable).', multiple: true }),
    'delay-level': Flags.integer({ char: 'd', summary: 'Delay level 1..18 (1s 5s 10s 30s 1m ... 2h with the default table).', min: 0 }),
    'sharding-key': Flags.string({ summary: 'Send ordered by key: the same key always goes to the same queue.' }),
    mode: Flags.option({ summary: 'How to send.', options: ['sync', 'async', 'oneway'] as const, default: 'sync' })(),
    count: Flags.integer({ char: 'c', summary: 'Send each message this many times.', default: 1, min: 1 }),
    rate: Flags.integer({ summary: 'At most this many sends per second (default: as fast as possible).', min: 1 }),
    group: Flags.string({ char: 'g', summary: 'Producer group.', default: 'rockit_produce' }),
    interactive: Flags.boolean({ char: 'i', summary: 'Start the interactive session even when a body is given.' }),
  };

  async run(): Promise<void> {
    const { flags, args } = this;
    const scripted = flags.body !== undefined || flags.file !== undefined || process.stdin.isTTY !== true;
    if (flags.interactive || !scripted) {
      if (process.stdin.isTTY !== true) {
        throw new UsageError('the interactive session needs a terminal on stdin; pipe JSON lines or pass --body/--file instead');
      }
      if (this.jsonEnabled()) throw new UsageError('--json applies to scripted sends (--body, --file or stdin), not to the interactive session');
      const { runSession } = await import('../session.js');
      await runSession({ connection: this.connection(), group: flags.group, ...(args.topic !== undefined ? { topic: args.topic } : {}) });
      return;
    }
    if (args.topic === undefined) throw new UsageError('missing topic: rockit produce <topic> --body ... (or run it in a terminal without a body for a session)');
    const { runScripted } = await import('../scripted.js');
    const code = await runScripted({ connection: this.connection(), topic: args.topic, flags, json: this.jsonEnabled() });
    if (code !== 0) this.exit(code);
  }
}
