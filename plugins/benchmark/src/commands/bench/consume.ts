import { Flags } from '@oclif/core';
import { BenchCommand } from '../../lib/bench-command.js';
import { runFlags } from '../../lib/flags.js';
import type { BenchReport } from '../../lib/report.js';

export default class BenchConsume extends BenchCommand<typeof BenchConsume> {
  static override summary = 'Consume a topic and measure the consumption rate and born-to-consumed latency.';
  static override description =
    'A push consumer (clustering, or --broadcast) that counts what it receives until --count messages arrived or ' +
    '--duration ended. Latency is from each message\'s born timestamp (the producer host\'s clock, ms precision). ' +
    'Drain a backlog with --from first --count N to measure catch-up.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t BenchTopic -g bench_consumer --duration 30s',
    '<%= config.bin %> <%= command.id %> -t BenchTopic -g catch_up --from first --count 1000000',
    '<%= config.bin %> <%= command.id %> -t BenchTopic -g sql_group --sql "a > 5" --assert "tps>=10000"',
  ];

  static override flags = {
    ...runFlags,
    topic: Flags.string({ char: 't', summary: 'Topic to consume.', default: 'BenchTopic' }),
    group: Flags.string({ char: 'g', summary: 'Consumer group.', default: 'benchmark_consumer' }),
    tag: Flags.string({ summary: 'Tag expression to subscribe with ("TagA || TagB").', exclusive: ['sql'] }),
    sql: Flags.string({ summary: 'SQL92 selector to subscribe with (the broker needs enablePropertyFilter).', exclusive: ['tag'] }),
    broadcast: Flags.boolean({ summary: 'Broadcasting consumption (every consumer of the group gets every message).' }),
    from: Flags.string({ summary: 'Where a new group starts: the first or the last offset of each queue.', options: ['first', 'last'], default: 'last' }),
    concurrency: Flags.integer({ char: 'w', summary: 'Listener calls running at once (consumeThreadMax).', default: 20, min: 1 }),
  };

  async run(): Promise<BenchReport> {
    const { flags } = this;
    const selector = flags.sql !== undefined ? { type: 'SQL92' as const, expression: flags.sql } : (flags.tag ?? '*');
    const settings = await this.settings('consume', {
      topic: flags.topic,
      group: flags.group,
      selector,
      broadcast: flags.broadcast,
      from: flags.from,
      concurrency: flags.concurrency,
    });
    const { runBench } = await import('../../lib/bench-run.js');
    const { startConsumeLoad } = await import('../../lib/consume-load.js');
    const output = await runBench(settings, async (ctx) => {
      await ctx.ensureTopic(flags.topic);
      ctx.stats.measuring = settings.warmupMs <= 0;
      const handle = await startConsumeLoad(
        {
          namesrvAddrs: ctx.namesrvAddrs,
          timeoutMillis: ctx.timeoutMillis,
          serializeType: ctx.serializeType,
          ...(ctx.credentials !== undefined ? { credentials: ctx.credentials } : {}),
          topic: flags.topic,
          group: flags.group,
          selector,
          broadcast: flags.broadcast,
          from: flags.from as 'first' | 'last',
          concurrency: flags.concurrency,
          instanceName: `bench-consume-${process.pid}`,
        },
        ctx.stats,
      );
      ctx.loadStarted();
      await handle.start();
      const waits: Promise<unknown>[] = [];
      let timer: NodeJS.Timeout | undefined;
      let onSignal: (() => void) | undefined;
      waits.push(new Promise<void>((resolve) => process.once('SIGINT', (onSignal = resolve))));
      if (settings.count !== undefined) waits.push(handle.whenReceived(settings.count));
      if (settings.durationMs !== undefined) waits.push(new Promise((r) => (timer = setTimeout(r, settings.warmupMs + settings.durationMs!))));
      try {
        await Promise.race(waits);
      } finally {
        clearTimeout(timer);
        if (onSignal) process.off('SIGINT', onSignal);
      }
      // Counting ends here; shutdown only stops the pulls and commits offsets.
      ctx.stats.closed = true;
      ctx.loadFinished();
      await handle.shutdown();
      return {};
    });
    return this.finish(output);
  }
}
