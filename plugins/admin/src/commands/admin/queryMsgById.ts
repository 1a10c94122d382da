import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import type { MessageView } from '../../ops/messages.js';

export default class QueryMsgById extends AdminCommand<typeof QueryMsgById> {
  static override summary = 'Show a message by its offset message id (mqadmin queryMsgById).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -i 7F00000100002A9F0000000000000A3C',
    '<%= config.bin %> <%= command.id %> -i 7F00000100002A9F0000000000000A3C,7F00000100002A9F0000000000000B1E --json',
  ];
  static override flags = {
    msgId: Flags.string({ char: 'i', summary: 'Offset message id(s), comma separated.', required: true }),
    topic: Flags.string({ char: 't', summary: 'Topic: lets an id that is not an offset id be looked up as a unique key.' }),
  };

  async run(): Promise<{ messages: MessageView[] }> {
    const { messageById } = await import('../../ops/messages.js');
    const { renderMessage } = await import('../../render.js');
    return this.withAdmin(async (admin) => {
      const messages: MessageView[] = [];
      for (const id of this.flags.msgId.split(',').map((s) => s.trim()).filter((s) => s !== '')) messages.push(...(await messageById(admin, id, this.flags.topic)));
      this.log(messages.map(renderMessage).join('\n\n'));
      return { messages };
    });
  }
}
