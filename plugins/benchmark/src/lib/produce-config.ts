import type { ProduceLoadConfig, SendMode, TxMix } from './produce-load.js';
import type { BenchBodyResult, BenchContext, RunSettings } from './bench-run.js';
import { startLoadGenerator } from './load-generator.js';

/** The send flags every sending command shares (flags.ts `sendFlags`). */
export interface SendFlagValues {
  topic: string;
  concurrency: number;
  size: number;
  tags?: string;
  keys: boolean;
  rate: number;
  producers: number;
}

/** A produce load from the parsed flags of produce, e2e or tx. */
export function produceLoadConfig(
  flags: SendFlagValues,
  settings: RunSettings,
  ctx: { namesrvAddrs: string[]; timeoutMillis: number; serializeType: 'JSON' | 'ROCKETMQ'; credentials?: { accessKey: string; secretKey: string } },
  extra: { mode: SendMode; producerGroup: string; batch?: number; delayLevel?: number; txMix?: TxMix; stampRunId?: string },
): ProduceLoadConfig {
  return {
    namesrvAddrs: ctx.namesrvAddrs,
    timeoutMillis: ctx.timeoutMillis,
    serializeType: ctx.serializeType,
    ...(ctx.credentials !== undefined ? { credentials: ctx.credentials } : {}),
    topic: flags.topic,
    producerGroup: extra.producerGroup,
    instancePrefix: `bench-${process.pid}`,
    size: flags.size,
    tags: flags.tags ? flags.tags.split(',').filter(Boolean) : [],
    keys: flags.keys,
    mode: extra.mode,
    batch: extra.batch ?? 1,
    delayLevel: extra.delayLevel ?? 0,
    rate: flags.rate,
    durationMs: settings.durationMs,
    count: settings.count,
    warmupMs: settings.warmupMs,
    producers: flags.producers,
    concurrency: flags.concurrency,
    ...(extra.txMix ? { txMix: extra.txMix } : {}),
    ...(extra.stampRunId !== undefined ? { stampRunId: extra.stampRunId } : {}),
  };
}

/** Stops a load on Ctrl-C while it runs, so the report still covers what was sent. */
export async function untilDoneOrInterrupted(handle: { done: Promise<void>; stop(): void }): Promise<void> {
  const onSignal = (): void => handle.stop();
  process.once('SIGINT', onSignal);
  try {
    await handle.done;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

/**
 * The body of produce and tx: the topic's max offset before, the load (in this thread or `workers` threads) until
 * it ends, and the max offset after. `expectedStored` (given the counts) lets the wait for unacknowledged writes
 * end as soon as they all arrived.
 */
export async function sendAndCountStored(
  ctx: BenchContext,
  load: Omit<ProduceLoadConfig, 'namesrvAddrs' | 'timeoutMillis' | 'serializeType' | 'credentials'>,
  workers: number,
  expectedStored?: () => number | undefined,
): Promise<BenchBodyResult> {
  await ctx.ensureTopic(load.topic);
  const before = await ctx.topicMaxOffset(load.topic);
  const handle = await startLoadGenerator(
    {
      ...load,
      namesrvAddrs: ctx.namesrvAddrs,
      timeoutMillis: ctx.timeoutMillis,
      serializeType: ctx.serializeType,
      ...(ctx.credentials !== undefined ? { credentials: ctx.credentials } : {}),
    },
    workers,
    ctx.stats,
  );
  ctx.loadStarted();
  await untilDoneOrInterrupted(handle);
  ctx.loadFinished();
  const expected = expectedStored?.();
  const after = await ctx.settledMaxOffset(load.topic, expected === undefined ? undefined : before + expected);
  return { stored: { topic: load.topic, before, after, delta: after - before } };
}
