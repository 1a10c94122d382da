import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import type { ClusterBrokerRow } from '../../ops/cluster.js';

export default class ClusterDescribe extends AdminCommand<typeof ClusterDescribe> {
  static override summary = 'The clusters behind the name servers: brokers with address, version, load and disk, and topic counts.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> -c DefaultCluster --json'];
  static override flags = { cluster: Flags.string({ char: 'c', summary: 'Only this cluster.' }) };

  async run(): Promise<{ namesrvs: string[]; brokers: ClusterBrokerRow[]; topics: Record<string, number> }> {
    const { clusterBrokers } = await import('../../ops/cluster.js');
    const { renderClusterList } = await import('../../render.js');
    return this.withAdmin(async (admin) => {
      const brokers = await clusterBrokers(admin, this.flags.cluster);
      const topics: Record<string, number> = {};
      for (const cluster of new Set(brokers.map((b) => b.cluster))) topics[cluster] = (await admin.getTopicsByCluster(cluster)).length;
      const namesrvs = this.connection().namesrvAddrs;
      this.log(`Name servers: ${namesrvs.join(', ')}`);
      for (const [cluster, n] of Object.entries(topics)) {
        const members = brokers.filter((b) => b.cluster === cluster);
        const down = members.filter((b) => b.error !== undefined).length;
        this.log(`Cluster ${cluster}: ${members.length} broker(s)${down > 0 ? `, ${down} not answering` : ''}, ${n} topic(s)`);
      }
      this.log('');
      this.log(renderClusterList(brokers));
      return { namesrvs, brokers, topics };
    });
  }
}
