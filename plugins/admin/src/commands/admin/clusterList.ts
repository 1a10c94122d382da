import { Flags } from '@oclif/core';
import { table } from '@rockit/cli';
import { AdminCommand } from '../../admin-command.js';
import type { ClusterBrokerRow } from '../../ops/cluster.js';

export default class ClusterList extends AdminCommand<typeof ClusterList> {
  static override summary = 'List every cluster and its brokers, with runtime stats (mqadmin clusterList).';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> -m -c DefaultCluster',
    '<%= config.bin %> <%= command.id %> -n 10.0.0.5:9876 -i 5',
  ];
  static override flags = {
    moreStats: Flags.boolean({ char: 'm', summary: 'Print message totals of yesterday and today.' }),
    interval: Flags.integer({ char: 'i', summary: 'Print again every N seconds (until interrupted).', min: 1 }),
    cluster: Flags.string({ char: 'c', summary: 'Only this cluster.' }),
  };

  async run(): Promise<{ brokers: ClusterBrokerRow[] }> {
    const { clusterBrokers } = await import('../../ops/cluster.js');
    const { renderClusterList } = await import('../../render.js');
    return this.withAdmin(async (admin) => {
      for (;;) {
        const brokers = await clusterBrokers(admin, this.flags.cluster);
        if (this.flags.moreStats) {
          const totals = await Promise.all(brokers.map((b) => admin.getBrokerRuntimeInfo(b.addr).catch(() => new Map<string, string>())));
          const n = (t: Map<string, string>, k: string) => Number(t.get(k) ?? 0) || 0;
          const rows = brokers.map((b, i) => {
            const t = totals[i]!;
            return {
              ...b,
              inTotalYest: n(t, 'msgPutTotalTodayMorning') - n(t, 'msgPutTotalYesterdayMorning'),
              outTotalYest: n(t, 'msgGetTotalTodayMorning') - n(t, 'msgGetTotalYesterdayMorning'),
              inTotalToday: n(t, 'msgPutTotalTodayNow') - n(t, 'msgPutTotalTodayMorning'),
              outTotalToday: n(t, 'msgGetTotalTodayNow') - n(t, 'msgGetTotalTodayMorning'),
            };
          });
          this.log(
            table(rows, [
              { header: '#Cluster Name', key: 'cluster', minWidth: 16 },
              { header: '#Broker Name', key: 'brokerName', minWidth: 32 },
              { header: '#InTotalYest', key: 'inTotalYest', minWidth: 14, align: 'right' },
              { header: '#OutTotalYest', key: 'outTotalYest', minWidth: 14, align: 'right' },
              { header: '#InTotalToday', key: 'inTotalToday', minWidth: 14, align: 'right' },
              { header: '#OutTotalToday', key: 'outTotalToday', minWidth: 14, align: 'right' },
            ]),
          );
        } else {
          this.log(renderClusterList(brokers));
        }
        if (this.flags.interval === undefined || this.jsonEnabled()) return { brokers };
        await new Promise((r) => setTimeout(r, this.flags.interval! * 1000));
      }
    });
  }
}
