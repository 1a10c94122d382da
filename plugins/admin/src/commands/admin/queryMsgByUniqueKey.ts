import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';
import type { MessageView } from '../../ops/messages.js';

export default class QueryMsgByUniqueKey extends AdminCommand<typeof QueryMsgByUniqueKey> {
  static override summary = 'Show a message by its unique key, the msgId a producer returns (mqadmin queryMsgByUniqueKey).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t TopicTest -i 7F0000011C4018B4AAC2656D2B8E0000',
    '<%= config.bin %> <%= command.id %> -t TopicTest -i 7F0000011C4018B4AAC2656D2B8E0000 -a',
  ];
  static override flags = {
    msgId: Flags.string({ char: 'i', summary: 'Unique key (client msgId).', required: true }),
    topic: topicFlag,
    showAll: Flags.boolean({ char: 'a', summary: 'Print every copy found (resent messages), not just the first.' }),
  };

  async run(): Promise<{ messages: MessageView[] }> {
    const { messageByUniqueKey } = await import('../../ops/messages.js');
    const { renderMessage } = await import('../../render.js');
    return this.withAdmin(async (admin) => {
      const found = await messageByUniqueKey(admin, this.flags.topic, this.flags.msgId);
      const messages = this.flags.showAll ? found : found.slice(0, 1);
      this.log(messages.map(renderMessage).join('\n\n'));
      return { messages };
    });
  }
}
