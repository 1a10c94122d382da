import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';
import type { MessageView } from '../../ops/messages.js';

export default class QueryMsgByKey extends AdminCommand<typeof QueryMsgByKey> {
  static override summary = 'Find messages by business key through the index (mqadmin queryMsgByKey).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t Orders -k order-1001',
    '<%= config.bin %> <%= command.id %> -t Orders -k order-1001 -b 2024-05-01#00:00:00:000 -m 16',
  ];
  static override flags = {
    topic: topicFlag,
    msgKey: Flags.string({ char: 'k', summary: 'Message key.', required: true }),
    maxNum: Flags.integer({ char: 'm', summary: 'At most this many per broker.', default: 64, min: 1 }),
    beginTimestamp: Flags.string({ char: 'b', summary: 'Stored at or after (millis or yyyy-MM-dd#HH:mm:ss:SSS).' }),
    endTimestamp: Flags.string({ char: 'e', summary: 'Stored at or before.' }),
  };

  async run(): Promise<{ messages: MessageView[] }> {
    const { messagesByKey } = await import('../../ops/messages.js');
    const { parseTimestamp } = await import('../../ops/targets.js');
    const { renderMessageIds } = await import('../../render.js');
    const f = this.flags;
    return this.withAdmin(async (admin) => {
      const messages = await messagesByKey(admin, f.topic, f.msgKey, f.maxNum, f.beginTimestamp !== undefined ? parseTimestamp(f.beginTimestamp) : 0, f.endTimestamp !== undefined ? parseTimestamp(f.endTimestamp) : Number.MAX_SAFE_INTEGER);
      this.log(renderMessageIds(messages));
      return { messages };
    });
  }
}
