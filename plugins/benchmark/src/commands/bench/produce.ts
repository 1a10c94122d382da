import { Flags } from '@oclif/core';
import { BenchCommand } from '../../lib/bench-command.js';
import { runFlags, sendFlags } from '../../lib/flags.js';
import type { BenchReport } from '../../lib/report.js';

export default class BenchProduce extends BenchCommand<typeof BenchProduce> {
  static override summary = 'Send messages as fast as asked and measure throughput and send latency.';
  static override description =
    'Modeled on RocketMQ\'s benchmark Producer and nats bench: -w sends in flight over --producers client instances ' +
    '(and --workers threads), sync, async or oneway sends, batches, delay levels, a --rate cap. Prints a line per interval ' +
    '(Send TPS, Max RT, Average RT, Send Failed, Response Failed) and a summary with HDR percentiles; the report counts ' +
    'what the topic stored (its max offsets before and after).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t BenchTopic -s 1024 --mode async -w 128 --duration 30s',
    '<%= config.bin %> <%= command.id %> --start --count 100000 --assert "tps>=20000" --assert "p99<=20ms" --assert errors==0',
    '<%= config.bin %> <%= command.id %> -t BenchTopic --rate 5000 --duration 1m --report run.json --plot run.svg',
  ];

  static override flags = {
    ...sendFlags,
    ...runFlags,
    mode: Flags.string({ summary: 'How to send: sync (await each), async (callbacks), oneway (no answer).', options: ['sync', 'async', 'oneway'], default: 'sync' }),
    batch: Flags.integer({ summary: 'Messages per send (SEND_BATCH_MESSAGE) with sync/async.', default: 1, min: 1 }),
    'delay-level': Flags.integer({ summary: 'Delay level of every message (1 = 1s ... 18 = 2h); 0: none.', default: 0, min: 0, max: 18 }),
    group: Flags.string({ char: 'g', summary: 'Producer group.', default: 'benchmark_producer' }),
  };

  async run(): Promise<BenchReport> {
    const { flags } = this;
    if (flags.batch > 1 && flags.mode === 'oneway') this.error('--batch works with --mode sync or async', { exit: 2 });
    if (flags.batch > 1 && flags['delay-level'] > 0) this.error('--delay-level does not apply to batches (RocketMQ refuses them)', { exit: 2 });
    const config = {
      topic: flags.topic,
      mode: flags.mode,
      size: flags.size,
      concurrency: flags.concurrency,
      producers: flags.producers,
      workers: flags.workers,
      batch: flags.batch,
      rate: flags.rate,
      tags: flags.tags,
      keys: flags.keys,
      delayLevel: flags['delay-level'],
    };
    const settings = await this.settings('produce', config);
    const { runBench } = await import('../../lib/bench-run.js');
    const { produceLoadConfig, sendAndCountStored } = await import('../../lib/produce-config.js');
    const output = await runBench(settings, (ctx) =>
      sendAndCountStored(
        ctx,
        produceLoadConfig(flags, settings, ctx, {
          mode: flags.mode as 'sync' | 'async' | 'oneway',
          producerGroup: flags.group,
          batch: flags.batch,
          delayLevel: flags['delay-level'],
        }),
        flags.workers,
      ),
    );
    return this.finish(output);
  }
}
