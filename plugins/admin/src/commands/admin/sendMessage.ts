import { Flags } from '@oclif/core';
import { table } from '@rockit/cli';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';
import type { SendView } from '../../ops/messages.js';

export default class SendMessage extends AdminCommand<typeof SendMessage> {
  static override summary = 'Send one message (mqadmin sendMessage).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t TopicTest -p "Hello RocketMQ"',
    '<%= config.bin %> <%= command.id %> -t Orders -p "order 1001 paid" -k order-1001 -c TagA',
    '<%= config.bin %> <%= command.id %> -t TopicTest -p hello -b broker-a -i 0',
  ];
  static override flags = {
    topic: topicFlag,
    body: Flags.string({ char: 'p', summary: 'Message body (UTF-8).', required: true }),
    key: Flags.string({ char: 'k', summary: 'Message key(s).' }),
    tags: Flags.string({ char: 'c', summary: 'Message tag.' }),
    broker: Flags.string({ char: 'b', summary: 'Broker name (with -i: send to that queue).' }),
    qid: Flags.integer({ char: 'i', summary: 'Queue id (with -b).', min: 0 }),
  };

  async run(): Promise<SendView> {
    const { sendMessages } = await import('../../ops/messages.js');
    const { UsageError } = await import('@rockit/cli');
    const f = this.flags;
    if ((f.broker === undefined) !== (f.qid === undefined)) throw new UsageError('-b (broker name) and -i (queue id) go together');
    const [r] = await sendMessages(this.connection(), {
      topic: f.topic,
      body: f.body,
      ...(f.key !== undefined ? { keys: f.key } : {}),
      ...(f.tags !== undefined ? { tags: f.tags } : {}),
      ...(f.broker !== undefined ? { brokerName: f.broker } : {}),
      ...(f.qid !== undefined ? { queueId: f.qid } : {}),
    });
    this.log(
      table([r!], [
        { header: '#Broker Name', key: 'brokerName', minWidth: 32 },
        { header: '#QID', key: 'queueId', minWidth: 4 },
        { header: '#Send Result', key: 'sendStatus', minWidth: 20 },
        { header: '#MsgId', key: 'msgId' },
      ], { separator: '  ' }),
    );
    return r!;
  }
}
