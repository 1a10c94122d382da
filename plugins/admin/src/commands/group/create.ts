import { Args, Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';

export default class GroupCreate extends AdminCommand<typeof GroupCreate> {
  static override summary = 'Create (or update) a consumer group on every master of a cluster, or on one broker.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> order_consumer',
    '<%= config.bin %> <%= command.id %> order_consumer -c DefaultCluster --retry-max-times 3',
    '<%= config.bin %> <%= command.id %> order_consumer -b 127.0.0.1:10911 --no-broadcast',
  ];
  static override args = { name: Args.string({ description: 'Group name.', required: true }) };
  static override flags = {
    cluster: Flags.string({ char: 'c', summary: 'Cluster [default: every cluster the name servers know].' }),
    broker: Flags.string({ char: 'b', summary: 'Only this broker (host:port).' }),
    'retry-max-times': Flags.integer({ summary: 'Retries before a message goes to the DLQ.', default: 16, min: 0 }),
    broadcast: Flags.boolean({ summary: 'Allow broadcasting consumers.', default: true, allowNo: true }),
    disable: Flags.boolean({ summary: 'Create it with consumption disabled.' }),
  };

  async run(): Promise<{ group: string; brokers: string[]; config: Record<string, unknown> }> {
    const { updateSubGroup } = await import('../../ops/groups.js');
    const f = this.flags;
    return this.withAdmin(async (admin) => {
      const clusters = f.cluster !== undefined || f.broker !== undefined ? [f.cluster] : [...(await admin.getClusterInfo()).clusterAddrTable.keys()];
      const brokers: string[] = [];
      let config: Record<string, unknown> = {};
      for (const cluster of clusters) {
        const r = await updateSubGroup(admin, {
          groupName: this.args.name,
          retryMaxTimes: f['retry-max-times'],
          consumeBroadcastEnable: f.broadcast,
          consumeEnable: !f.disable,
          ...(f.broker !== undefined ? { brokerAddr: f.broker } : {}),
          ...(cluster !== undefined ? { cluster } : {}),
        });
        brokers.push(...r.brokers);
        config = r.config;
      }
      this.log(`created group ${this.args.name} on ${brokers.join(', ')}`);
      return { group: this.args.name, brokers, config };
    });
  }
}
