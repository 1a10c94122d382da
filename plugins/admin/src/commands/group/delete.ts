import { Args, Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';

export default class GroupDelete extends AdminCommand<typeof GroupDelete> {
  static override summary = 'Delete a consumer group from every master of a cluster (or one broker).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> order_consumer',
    '<%= config.bin %> <%= command.id %> order_consumer -c DefaultCluster --remove-offsets',
  ];
  static override args = { name: Args.string({ description: 'Group name.', required: true }) };
  static override flags = {
    cluster: Flags.string({ char: 'c', summary: 'Cluster [default: every cluster].' }),
    broker: Flags.string({ char: 'b', summary: 'Only this broker (host:port).' }),
    'remove-offsets': Flags.boolean({ summary: "Also remove the group's consumer offsets." }),
  };

  async run(): Promise<{ group: string; brokers: string[] }> {
    const { deleteSubGroup } = await import('../../ops/groups.js');
    const f = this.flags;
    return this.withAdmin(async (admin) => {
      const clusters = f.cluster !== undefined || f.broker !== undefined ? [f.cluster] : [...(await admin.getClusterInfo()).clusterAddrTable.keys()];
      const brokers: string[] = [];
      for (const cluster of clusters) brokers.push(...(await deleteSubGroup(admin, this.args.name, f['remove-offsets'], f.broker, cluster)));
      this.log(`deleted group ${this.args.name} from ${brokers.join(', ')}`);
      return { group: this.args.name, brokers };
    });
  }
}
