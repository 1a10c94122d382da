import { Flags } from '@oclif/core';
import { table } from '@rockit/cli';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';
import type { SendView } from '../../ops/messages.js';

export default class CheckMsgSendRT extends AdminCommand<typeof CheckMsgSendRT> {
  static override summary = 'Send probe messages to a topic and print each round trip (mqadmin checkMsgSendRT).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t TopicTest',
    '<%= config.bin %> <%= command.id %> -t TopicTest -a 1000 -s 1024',
  ];
  static override flags = {
    topic: topicFlag,
    amount: Flags.integer({ char: 'a', summary: 'Messages to send.', default: 100, min: 1 }),
    size: Flags.integer({ char: 's', summary: 'Body size in bytes.', default: 128, min: 1 }),
  };

  async run(): Promise<{ sends: SendView[]; avgRT: number }> {
    const { sendMessages } = await import('../../ops/messages.js');
    const sends = await sendMessages(this.connection(), { topic: this.flags.topic, body: Buffer.alloc(this.flags.size, 'a'), count: this.flags.amount });
    // The first send also fetched the route and connected: mqadmin leaves it out of the average too.
    const timed = sends.length > 1 ? sends.slice(1) : sends;
    const avgRT = timed.reduce((s, r) => s + r.rtMillis, 0) / timed.length;
    this.log(
      table(sends, [
        { header: '#Broker Name', key: 'brokerName', minWidth: 32 },
        { header: '#QID', key: 'queueId', minWidth: 4 },
        { header: '#Send Result', key: 'sendStatus', minWidth: 20 },
        { header: '#RT', get: (r) => r.rtMillis.toFixed(3) },
      ]),
    );
    this.log(`Avg RT: ${avgRT.toFixed(2)}`);
    return { sends, avgRT };
  }
}
