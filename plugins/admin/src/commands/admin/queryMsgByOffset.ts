import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';
import type { MessageView } from '../../ops/messages.js';

export default class QueryMsgByOffset extends AdminCommand<typeof QueryMsgByOffset> {
  static override summary = 'Show the message at a queue offset (mqadmin queryMsgByOffset).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t TopicTest -b broker-a -i 0 -o 1024',
    '<%= config.bin %> <%= command.id %> -t Orders -b broker-a -i 3 -o 0 --json',
  ];
  static override flags = {
    topic: topicFlag,
    brokerName: Flags.string({ char: 'b', summary: 'Broker name.', required: true }),
    queueId: Flags.integer({ char: 'i', summary: 'Queue id.', required: true, min: 0 }),
    offset: Flags.integer({ char: 'o', summary: 'Queue offset.', required: true, min: 0 }),
  };

  async run(): Promise<MessageView> {
    const { pullQueue, toMessageView } = await import('../../ops/messages.js');
    const { renderMessage } = await import('../../render.js');
    const { MQClientError } = await import('@rockit/client/admin');
    const f = this.flags;
    return this.withAdmin(async (admin) => {
      const mq = { topic: f.topic, brokerName: f.brokerName, queueId: f.queueId };
      const r = await pullQueue(admin, mq, f.offset, 1);
      const msg = r.messages.find((m) => m.queueOffset === f.offset);
      if (msg === undefined) throw new MQClientError(`no message at offset ${f.offset} of ${f.topic}@${f.brokerName}@${f.queueId} (${r.status})`, 208);
      const view = toMessageView(msg);
      this.log(renderMessage(view));
      return view;
    });
  }
}
