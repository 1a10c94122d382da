import { Flags } from '@oclif/core';
import { BenchCommand } from '../../lib/bench-command.js';
import { runFlags, sendFlags } from '../../lib/flags.js';
import type { BenchReport } from '../../lib/report.js';

export default class BenchTx extends BenchCommand<typeof BenchTx> {
  static override summary = 'Send transactional messages with a commit/rollback/unknown mix and measure them.';
  static override description =
    'Each send is a half message, the local transaction\'s outcome (spread over every 100 sends as --commit, ' +
    '--rollback and --unknown percentages) and the END_TRANSACTION that follows. The RT is the whole ' +
    'sendMessageInTransaction call. UNKNOW ones are rolled back when the broker checks back, so the topic ends up ' +
    'holding exactly the committed messages (the report\'s Stored line).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t TxTopic --commit 80 --rollback 10 --unknown 10 --duration 30s',
    '<%= config.bin %> <%= command.id %> --start --count 10000 --assert errors==0',
  ];

  static override flags = {
    ...sendFlags,
    ...runFlags,
    commit: Flags.integer({ summary: 'Percent of local transactions that commit.', default: 80, min: 0, max: 100 }),
    rollback: Flags.integer({ summary: 'Percent that roll back.', default: 10, min: 0, max: 100 }),
    unknown: Flags.integer({ summary: 'Percent that answer UNKNOW (the broker checks back later).', default: 10, min: 0, max: 100 }),
    group: Flags.string({ char: 'g', summary: 'Transactional producer group (the broker checks back through it).', default: 'benchmark_tx_producer' }),
  };

  async run(): Promise<BenchReport> {
    const { flags } = this;
    if (flags.commit + flags.rollback + flags.unknown !== 100) {
      this.error(`--commit, --rollback and --unknown must add up to 100 (got ${flags.commit + flags.rollback + flags.unknown})`, { exit: 2 });
    }
    const txMix = { commit: flags.commit, rollback: flags.rollback, unknown: flags.unknown };
    const settings = await this.settings('tx', { topic: flags.topic, size: flags.size, concurrency: flags.concurrency, producers: flags.producers, workers: flags.workers, rate: flags.rate, ...txMix });
    const { runBench } = await import('../../lib/bench-run.js');
    const { produceLoadConfig, sendAndCountStored } = await import('../../lib/produce-config.js');
    const output = await runBench(settings, (ctx) =>
      sendAndCountStored(ctx, produceLoadConfig(flags, settings, ctx, { mode: 'tx', producerGroup: flags.group, txMix }), flags.workers, () =>
        // END_TRANSACTION is oneway: wait until the commits of this run are in the topic.
        settings.warmupMs > 0 ? undefined : (ctx.stats.soFar().outcomes.COMMIT_MESSAGE ?? 0),
      ),
    );
    return this.finish(output);
  }
}
