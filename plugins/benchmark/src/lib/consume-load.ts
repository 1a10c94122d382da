import type { MessageExt, MessageSelector, PushConsumer as PushConsumerType } from '@rockit/client';
import { clientLogger } from './client-logger.js';
import type { LoadStats } from './load-stats.js';
import { RUN_ID_PROPERTY, SENT_AT_PROPERTY, WARMUP_SUFFIX, epochMicros } from './produce-load.js';

export interface ConsumeLoadConfig {
  namesrvAddrs: string[];
  timeoutMillis: number;
  serializeType: 'JSON' | 'ROCKETMQ';
  credentials?: { accessKey: string; secretKey: string };
  topic: string;
  group: string;
  selector: string | MessageSelector;
  broadcast: boolean;
  from: 'first' | 'last' | 'timestamp';
  consumeTimestamp?: number;
  concurrency: number;
  instanceName: string;
  /** e2e: count only messages of this run (the rest are counted as `ignored`), latency from their send stamp. */
  runId?: string;
}

export interface ConsumeLoadHandle {
  consumer: PushConsumerType;
  /** Measured messages received so far. */
  received(): number;
  ignored(): number;
  /** Resolves once `n` measured messages arrived. */
  whenReceived(n: number): Promise<void>;
  /** Resolves once the consumer owns at least one queue (rebalance done). */
  whenAssigned(timeoutMs: number): Promise<boolean>;
  /** Starts pulling; call after the run's clock started so the rebalance counts in the measured time. */
  start(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * A push consumer that counts what it receives: bytes, and latency from the born timestamp (ms precision, the
 * producer's clock) or, for e2e runs, from the send stamp the producer put in (µs, same process).
 */
export async function startConsumeLoad(config: ConsumeLoadConfig, stats: LoadStats): Promise<ConsumeLoadHandle> {
  const { PushConsumer } = await import('@rockit/client');
  const consumer = new PushConsumer({
    namesrvAddr: config.namesrvAddrs,
    consumerGroup: config.group,
    instanceName: config.instanceName,
    messageModel: config.broadcast ? 'BROADCASTING' : 'CLUSTERING',
    consumeFromWhere: config.from === 'first' ? 'CONSUME_FROM_FIRST_OFFSET' : config.from === 'last' ? 'CONSUME_FROM_LAST_OFFSET' : 'CONSUME_FROM_TIMESTAMP',
    ...(config.consumeTimestamp !== undefined ? { consumeTimestamp: config.consumeTimestamp } : {}),
    consumeThreadMax: config.concurrency,
    consumeMessageBatchMaxSize: 32,
    mqClientApiTimeout: config.timeoutMillis,
    serializeType: config.serializeType,
    ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
    logger: await clientLogger(),
  });
  consumer.subscribe(config.topic, config.selector);
  let received = 0;
  let ignored = 0;
  let waiter: { n: number; resolve: () => void } | undefined;
  const onMessage = (m: MessageExt): void => {
    if (config.runId !== undefined) {
      // e2e: the producer's phase decides (stamped in the message), so sent and received count the same messages.
      const run = m.getUserProperty(RUN_ID_PROPERTY);
      if (run === config.runId + WARMUP_SUFFIX) return;
      if (run !== config.runId) {
        ignored++;
        return;
      }
      const sentAt = Number(m.getUserProperty(SENT_AT_PROPERTY));
      stats.recordSuccess(1, m.body.length, epochMicros() - sentAt, undefined, true);
      if (!stats.closed) received++;
      return;
    }
    stats.recordSuccess(1, m.body.length, (Date.now() - m.bornTimestamp) * 1000);
    if (stats.measuring && !stats.closed) received++;
  };
  consumer.registerMessageListener(async (msgs) => {
    for (const m of msgs) onMessage(m);
    if (waiter && received >= waiter.n) {
      waiter.resolve();
      waiter = undefined;
    }
    return 'CONSUME_SUCCESS' as const;
  });
  return {
    start: () => consumer.start(),
    consumer,
    received: () => received,
    ignored: () => ignored,
    whenReceived: (n) =>
      received >= n
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiter = { n, resolve };
          }),
    whenAssigned: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (consumer.assignedQueues().length === 0) {
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 50));
      }
      return true;
    },
    shutdown: () => consumer.shutdown(),
  };
}
