import { Args, Flags } from '@oclif/core';
import { table } from '@rockit/cli';
import type { Connection } from '@rockit/client/admin';
import { AdminCommand } from '../../admin-command.js';
import type { GroupProgress } from '../../ops/groups.js';

export default class GroupDescribe extends AdminCommand<typeof GroupDescribe> {
  static override summary = 'A consumer group: progress and lag per queue (with totals) and its online consumers.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> order_consumer',
    '<%= config.bin %> <%= command.id %> order_consumer -t Orders -w',
    '<%= config.bin %> <%= command.id %> order_consumer -n 10.0.0.5:9876 --json',
  ];
  static override args = { name: Args.string({ description: 'Group name.', required: true }) };
  static override flags = {
    topic: Flags.string({ char: 't', summary: 'Only this topic.' }),
    watch: Flags.boolean({ char: 'w', summary: 'Refresh every second until interrupted.' }),
  };

  async run(): Promise<GroupProgress & { connections: Connection[] }> {
    const { groupProgress } = await import('../../ops/groups.js');
    return this.withAdmin(async (admin) => {
      const group = this.args.name;
      let stop = false;
      const onSignal = () => (stop = true);
      if (this.flags.watch) process.once('SIGINT', onSignal);
      try {
        for (;;) {
          const progress = await groupProgress(admin, group, this.flags.topic);
          const connections = await admin.examineConsumerConnectionInfo(group).then((c) => c.connectionSet, () => [] as Connection[]);
          if (!this.jsonEnabled()) {
            if (this.flags.watch && process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
            this.log(this.render(progress, connections));
          }
          if (!this.flags.watch || stop) return { ...progress, connections };
          await new Promise((r) => setTimeout(r, 1000));
          if (stop) return { ...progress, connections };
          if (!process.stdout.isTTY && !this.jsonEnabled()) this.log('');
        }
      } finally {
        process.removeListener('SIGINT', onSignal);
      }
    });
  }

  private render(p: GroupProgress, connections: Connection[]): string {
    const totals = p.queues.reduce((t, q) => ({ broker: t.broker + q.brokerOffset, consumer: t.consumer + q.consumerOffset }), { broker: 0, consumer: 0 });
    const rows = [
      ...p.queues.map((q) => ({ ...q })),
      { topic: 'TOTAL', brokerName: '', queueId: '', brokerOffset: totals.broker, consumerOffset: totals.consumer, diff: p.diffTotal, clientIP: '', lastTime: '' },
    ];
    const progress = table(rows, [
      { header: 'TOPIC', key: 'topic', minWidth: 20 },
      { header: 'BROKER', key: 'brokerName' },
      { header: 'QUEUE', key: 'queueId', align: 'right' },
      { header: 'BROKER OFFSET', key: 'brokerOffset', align: 'right' },
      { header: 'CONSUMER OFFSET', key: 'consumerOffset', align: 'right' },
      { header: 'LAG', key: 'diff', align: 'right' },
      { header: 'CLIENT', key: 'clientIP' },
      { header: 'LAST CONSUMED', key: 'lastTime' },
    ]);
    const conns = connections.length === 0
      ? 'Consumers: none online'
      : `Consumers (${connections.length}):\n${table(connections, [
          { header: 'CLIENT ID', key: 'clientId', minWidth: 24 },
          { header: 'ADDRESS', key: 'clientAddr' },
          { header: 'LANGUAGE', key: 'language' },
          { header: 'VERSION', key: 'version', align: 'right' },
        ])}`;
    return `Group ${p.group}  lag ${p.diffTotal}  consume TPS ${p.consumeTps.toFixed(1)}\n\n${progress}\n\n${conns}`;
  }
}
