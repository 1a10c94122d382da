import { Args, Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';

export default class TopicCreate extends AdminCommand<typeof TopicCreate> {
  static override summary = 'Create (or update) a topic on every master of a cluster, or on one broker.';
  static override args = { name: Args.string({ description: 'Topic name.', required: true }) };
  static override flags = {
    cluster: Flags.string({ char: 'c', summary: 'Cluster [default: every cluster the name servers know].' }),
    broker: Flags.string({ char: 'b', summary: 'Only this broker (host:port).' }),
    queues: Flags.integer({ char: 'q', summary: 'Read and write queues per broker.', default: 8, min: 1 }),
    perm: Flags.integer({ char: 'p', summary: 'Permission: 2 write only, 4 read only, 6 read and write.', default: 6 }),
    order: Flags.boolean({ summary: 'Ordered topic.' }),
  };
  static override examples = ['<%= config.bin %> <%= command.id %> Orders -q 4', '<%= config.bin %> <%= command.id %> Audit -c DefaultCluster --order'];

  async run(): Promise<{ topic: string; brokers: string[]; queues: number; perm: number; order: boolean }> {
    const { updateTopic } = await import('../../ops/topics.js');
    const f = this.flags;
    return this.withAdmin(async (admin) => {
      const clusters = f.cluster !== undefined || f.broker !== undefined ? [f.cluster] : [...(await admin.getClusterInfo()).clusterAddrTable.keys()];
      const brokers: string[] = [];
      for (const cluster of clusters) {
        const r = await updateTopic(admin, {
          topic: this.args.name, readQueueNums: f.queues, writeQueueNums: f.queues, perm: f.perm, order: f.order,
          ...(f.broker !== undefined ? { brokerAddr: f.broker } : {}),
          ...(cluster !== undefined ? { cluster } : {}),
        });
        brokers.push(...r.brokers);
      }
      this.log(`created topic ${this.args.name} (${f.queues} queues, perm ${f.perm}${f.order ? ', ordered' : ''}) on ${brokers.join(', ')}`);
      return { topic: this.args.name, brokers, queues: f.queues, perm: f.perm, order: f.order };
    });
  }
}
