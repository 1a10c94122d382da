import { Flags } from '@oclif/core';
import { BenchCommand } from '../../lib/bench-command.js';
import { runFlags, sendFlags } from '../../lib/flags.js';
import type { BenchReport } from '../../lib/report.js';

export default class BenchE2e extends BenchCommand<typeof BenchE2e> {
  static override summary = 'Produce and consume together at a fixed rate and measure end-to-end latency.';
  static override description =
    'A push consumer subscribes first; then producers send at --rate, stamping each message with this run\'s id and ' +
    'its send time in µs. Latency is send -> listener call in this process (one clock). After the sends end the ' +
    'consumer gets --drain to receive the rest; what never arrived is reported as lost. Messages of other runs ' +
    'in the topic are ignored.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t BenchTopic --rate 2000 --duration 30s',
    '<%= config.bin %> <%= command.id %> --start --rate 1000 --count 5000 --assert "p99<=50ms" --assert errors==0',
  ];

  static override flags = {
    ...sendFlags,
    ...runFlags,
    rate: Flags.integer({ summary: 'Messages per second over all producers (e2e latency is only meaningful below saturation).', default: 1000, min: 0 }),
    concurrency: Flags.integer({ char: 'w', summary: 'Sends in flight.', default: 16, min: 1 }),
    mode: Flags.string({ summary: 'How to send.', options: ['sync', 'async'], default: 'async' }),
    group: Flags.string({ char: 'g', summary: 'Consumer group [default: a new one per run].' }),
    'consume-concurrency': Flags.integer({ summary: 'Listener calls running at once (consumeThreadMax).', default: 20, min: 1 }),
    drain: Flags.string({ summary: 'How long to wait after the last send for the rest to arrive.', default: '10s' }),
  };

  async run(): Promise<BenchReport> {
    const { flags } = this;
    const runId = `${process.pid}-${Date.now()}`;
    const group = flags.group ?? `benchmark_e2e_${runId}`;
    const settings = await this.settings('e2e', {
      topic: flags.topic,
      group,
      mode: flags.mode,
      size: flags.size,
      rate: flags.rate,
      concurrency: flags.concurrency,
      producers: flags.producers,
      workers: flags.workers,
    });
    const { parseDurationMs } = await import('../../lib/units.js');
    const drainMs = parseDurationMs(flags.drain);
    const { runBench } = await import('../../lib/bench-run.js');
    const { startLoadGenerator } = await import('../../lib/load-generator.js');
    const { startConsumeLoad } = await import('../../lib/consume-load.js');
    const { produceLoadConfig, untilDoneOrInterrupted } = await import('../../lib/produce-config.js');
    const output = await runBench(settings, async (ctx) => {
      await ctx.ensureTopic(flags.topic);
      const sendStats = ctx.sendStats!;
      const before = await ctx.topicMaxOffset(flags.topic);
      // From a moment ago, not the first offset: an old backlog would only be read to be ignored.
      const consumer = await startConsumeLoad(
        {
          namesrvAddrs: ctx.namesrvAddrs,
          timeoutMillis: ctx.timeoutMillis,
          serializeType: ctx.serializeType,
          ...(ctx.credentials !== undefined ? { credentials: ctx.credentials } : {}),
          topic: flags.topic,
          group,
          selector: '*',
          broadcast: false,
          from: 'timestamp',
          consumeTimestamp: Date.now() - 1000,
          concurrency: flags['consume-concurrency'],
          instanceName: `bench-e2e-${process.pid}`,
          runId,
        },
        ctx.stats,
      );
      try {
        await consumer.start();
        if (!(await consumer.whenAssigned(15_000))) throw new Error(`the e2e consumer got no queue of ${flags.topic} within 15 s`);
        const load = produceLoadConfig(flags, settings, ctx, { mode: flags.mode as 'sync' | 'async', producerGroup: `benchmark_e2e_producer`, stampRunId: runId });
        const handle = await startLoadGenerator(load, flags.workers, sendStats);
        ctx.loadStarted();
        await untilDoneOrInterrupted(handle);
        // The measured window is the sending one; the drain below only lets the rest arrive.
        ctx.loadFinished();
        const sent = sendStats.soFar();
        const expected = sent.messages;
        const all = expected + sent.warmupMessages;
        // Received counts measured messages only; wait for every sent one (warm-up ones included) to show up.
        await Promise.race([
          consumer.whenReceived(expected),
          new Promise((r) => setTimeout(r, drainMs).unref()),
        ]);
        ctx.stats.closed = true;
        const after = await ctx.settledMaxOffset(flags.topic, before + all);
        const received = consumer.received();
        return {
          outcomes: { sent: expected, received, lost: Math.max(0, expected - received), ignored: consumer.ignored() },
          stored: { topic: flags.topic, before, after, delta: after - before },
        };
      } finally {
        await consumer.shutdown();
      }
    });
    return this.finish(output);
  }
}
