import { Flags } from '@oclif/core';
import { table } from '@rockit/cli';
import { AdminCommand } from '../../admin-command.js';

interface Row {
  topic: string;
  group: string;
  brokerName: string;
  queueId: number;
  brokerOffset: number;
  consumerOffset: number;
  diff: number;
  lastTime: string;
}

export default class BrokerConsumeStats extends AdminCommand<typeof BrokerConsumeStats> {
  static override summary = 'Lag of every consumer group on one broker (mqadmin brokerConsumeStats).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911',
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911 -l 1000',
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911 -o --json',
  ];
  static override flags = {
    brokerAddr: Flags.string({ char: 'b', summary: 'Broker address.', required: true }),
    level: Flags.integer({ char: 'l', summary: 'Only queues whose diff is at least this.', default: 0 }),
    order: Flags.boolean({ char: 'o', summary: 'Only ordered consumers.' }),
  };

  async run(): Promise<{ rows: Row[]; totalDiff: number }> {
    const { formatDate } = await import('../../ops/targets.js');
    const { entriesOf } = await import('../../json-safe.js');
    return this.withAdmin(async (admin) => {
      const body = await admin.getBrokerConsumeStats(this.flags.brokerAddr, this.flags.order);
      const rows: Row[] = [];
      const list = (body.consumeStatsList as unknown[] | undefined) ?? [];
      for (const entry of list) {
        for (const [group, statsList] of entriesOf(entry)) {
          for (const stats of (statsList as { offsetTable?: unknown }[]) ?? []) {
            for (const [mqKey, w] of entriesOf(stats.offsetTable)) {
              const mq = mqKey as { topic: string; brokerName: string; queueId: number };
              const o = w as { brokerOffset: unknown; consumerOffset: unknown; lastTimestamp: unknown };
              const brokerOffset = Number(o.brokerOffset);
              const consumerOffset = Number(o.consumerOffset);
              const diff = brokerOffset - consumerOffset;
              if (diff < this.flags.level) continue;
              const last = Number(o.lastTimestamp);
              rows.push({ topic: mq.topic, group: String(group), brokerName: mq.brokerName, queueId: Number(mq.queueId), brokerOffset, consumerOffset, diff, lastTime: last > 0 ? formatDate(last) : '' });
            }
          }
        }
      }
      const totalDiff = Number(body.totalDiff ?? rows.reduce((s, r) => s + r.diff, 0));
      this.log(
        table(rows, [
          { header: '#Topic', key: 'topic', minWidth: 64 },
          { header: '#Group', key: 'group', minWidth: 64 },
          { header: '#Broker Name', key: 'brokerName', minWidth: 32 },
          { header: '#QID', key: 'queueId', minWidth: 4 },
          { header: '#Broker Offset', key: 'brokerOffset', minWidth: 20 },
          { header: '#Consumer Offset', key: 'consumerOffset', minWidth: 20 },
          { header: '#Diff', key: 'diff', minWidth: 20 },
          { header: '#LastTime', key: 'lastTime' },
        ]),
      );
      this.log(`\nDiff Total: ${totalDiff}`);
      return { rows, totalDiff };
    });
  }
}
