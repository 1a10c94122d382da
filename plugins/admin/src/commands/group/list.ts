import { Flags } from '@oclif/core';
import { table } from '@rockit/cli';
import { AdminCommand } from '../../admin-command.js';

type Row = Awaited<ReturnType<typeof import('../../ops/groups.js').listSubGroups>>[number];

export default class GroupList extends AdminCommand<typeof GroupList> {
  static override summary = 'List the consumer groups configured on the brokers.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> -c DefaultCluster -a'];
  static override flags = {
    cluster: Flags.string({ char: 'c', summary: 'Only the brokers of this cluster.' }),
    all: Flags.boolean({ char: 'a', summary: 'Include system groups.' }),
  };

  async run(): Promise<{ groups: Row[] }> {
    const { listSubGroups } = await import('../../ops/groups.js');
    return this.withAdmin(async (admin) => {
      const groups = await listSubGroups(admin, this.flags.cluster, this.flags.all);
      this.log(
        table(groups, [
          { header: 'GROUP', key: 'group', minWidth: 24 },
          { header: 'BROKERS', get: (r) => r.brokers.length, align: 'right' },
          { header: 'RETRY MAX', key: 'retryMaxTimes', align: 'right' },
          { header: 'ENABLED', key: 'consumeEnable' },
        ]),
      );
      return { groups };
    });
  }
}
