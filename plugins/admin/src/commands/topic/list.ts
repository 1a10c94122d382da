import { Flags } from '@oclif/core';
import { table } from '@rockit/cli';
import { AdminCommand } from '../../admin-command.js';

type Summary = Awaited<ReturnType<typeof import('../../ops/topics.js').topicSummaries>>[number];

export default class TopicList extends AdminCommand<typeof TopicList> {
  static override summary = 'List topics with their brokers, queue numbers and permission.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> -a -n 10.0.0.5:9876 --json'];
  static override flags = { all: Flags.boolean({ char: 'a', summary: 'Include system, retry and DLQ topics.' }) };

  async run(): Promise<{ topics: Summary[] }> {
    const { topicSummaries } = await import('../../ops/topics.js');
    return this.withAdmin(async (admin) => {
      const topics = await topicSummaries(admin, this.flags.all);
      this.log(
        table(topics, [
          { header: 'TOPIC', key: 'topic', minWidth: 24 },
          { header: 'BROKERS', key: 'brokers', align: 'right' },
          { header: 'READ QUEUES', key: 'readQueues', align: 'right' },
          { header: 'WRITE QUEUES', key: 'writeQueues', align: 'right' },
          { header: 'PERM', key: 'perm', align: 'right' },
        ]),
      );
      return { topics };
    });
  }
}
