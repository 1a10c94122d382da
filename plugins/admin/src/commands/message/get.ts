import { Args, Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import type { MessageView } from '../../ops/messages.js';

export default class MessageGet extends AdminCommand<typeof MessageGet> {
  static override summary = 'Show one message by id: the offset message id, or the msgId a producer returned (with -t).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> 7F00000100002A9F0000000000000A3C',
    '<%= config.bin %> <%= command.id %> 7F0000011C4018B4AAC2656D2B8E0000 -t TopicTest',
  ];
  static override args = { id: Args.string({ description: 'Offset message id or unique key (msgId).', required: true }) };
  static override flags = { topic: Flags.string({ char: 't', summary: 'Topic (needed for a producer msgId).' }) };

  async run(): Promise<MessageView> {
    const { messageById } = await import('../../ops/messages.js');
    const { renderMessage } = await import('../../render.js');
    return this.withAdmin(async (admin) => {
      const [m] = await messageById(admin, this.args.id, this.flags.topic);
      this.log(renderMessage(m!));
      return m!;
    });
  }
}
