import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';

export default class CloneGroupOffset extends AdminCommand<typeof CloneGroupOffset> {
  static override summary = "Copy one group's offsets on a topic to another group (mqadmin cloneGroupOffset).";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -s order_consumer -d order_consumer_v2 -t Orders',
    '<%= config.bin %> <%= command.id %> -s order_consumer -d order_consumer_v2 -t Orders -o',
  ];
  static override flags = {
    srcGroup: Flags.string({ char: 's', summary: 'Source group.', required: true }),
    destGroup: Flags.string({ char: 'd', summary: 'Destination group.', required: true }),
    topic: topicFlag,
    offline: Flags.boolean({ char: 'o', summary: 'The destination group is offline.' }),
  };

  async run(): Promise<{ srcGroup: string; destGroup: string; topic: string }> {
    const { srcGroup, destGroup, topic, offline } = this.flags;
    return this.withAdmin(async (admin) => {
      await admin.cloneGroupOffset(srcGroup, destGroup, topic, offline);
      this.log(`clone group offset success. srcGroup[${srcGroup}], destGroup=[${destGroup}], topic[${topic}]`);
      return { srcGroup, destGroup, topic };
    });
  }
}
