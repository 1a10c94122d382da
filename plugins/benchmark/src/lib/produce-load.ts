import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalTransactionState, Message as MessageType, Producer as ProducerType, SendResult } from '@rockit/client';
import { clientLogger } from './client-logger.js';
import type { LoadStats } from './load-stats.js';
import { RateLimiter } from './rate-limiter.js';

export type SendMode = 'sync' | 'async' | 'oneway' | 'tx';

/** Percentages of local transaction outcomes (`rockit bench tx`). */
export interface TxMix {
  commit: number;
  rollback: number;
  unknown: number;
}

/** Everything one load generator (the main thread or one worker) needs; plain data so it crosses threads. */
export interface ProduceLoadConfig {
  namesrvAddrs: string[];
  timeoutMillis: number;
  serializeType: 'JSON' | 'ROCKETMQ';
  credentials?: { accessKey: string; secretKey: string };
  topic: string;
  producerGroup: string;
  /** Client instance names start with this, one per producer, so producers do not share connections. */
  instancePrefix: string;
  size: number;
  tags: string[];
  keys: boolean;
  mode: SendMode;
  batch: number;
  delayLevel: number;
  /** Messages per second for this generator; 0: as fast as it goes. */
  rate: number;
  durationMs: number | undefined;
  count: number | undefined;
  warmupMs: number;
  producers: number;
  concurrency: number;
  txMix?: TxMix;
  /** e2e: stamp each message with this run id and its send time (µs since the epoch). */
  stampRunId?: string;
}

export const RUN_ID_PROPERTY = 'BENCH_RUN';
/** Appended to the run id of messages sent during the warm-up, so the e2e consumer counts by the send's phase. */
export const WARMUP_SUFFIX = '-warmup';
export const SENT_AT_PROPERTY = 'BENCH_SENT_US';

/** Microseconds since the epoch with sub-millisecond precision, comparable across the threads of one process. */
export function epochMicros(at: number = performance.now()): number {
  return Math.round((performance.timeOrigin + at) * 1000);
}

/** Which outcome the i-th transaction reports: a deterministic spread of the mix over every 100 sends. */
export function txOutcome(i: number, mix: TxMix): LocalTransactionState {
  const slot = i % 100;
  if (slot < mix.commit) return 'COMMIT_MESSAGE';
  if (slot < mix.commit + mix.rollback) return 'ROLLBACK_MESSAGE';
  return 'UNKNOW';
}

export interface ProduceLoadHandle {
  /** Resolves when every lane stopped and the producers are shut down. */
  done: Promise<void>;
  /** Ends the run early (Ctrl-C, or the e2e consumer giving up). */
  stop(): void;
}

/**
 * Runs `concurrency` lanes over `producers` client instances: each lane sends, waits for the outcome, records
 * it and sends again (async mode keeps the same number of sends in flight through sendAsync callbacks). Stops
 * at `count` measured messages or after `durationMs` of measurement, whichever was asked for.
 */
export async function startProduceLoad(config: ProduceLoadConfig, stats: LoadStats): Promise<ProduceLoadHandle> {
  const { Producer, TransactionProducer, Message, MessageConst } = await import('@rockit/client');
  const logger = await clientLogger();
  const body = randomBytes(config.size);
  const perMessageBytes = config.size;
  let txIndex = 0;
  const producers: ProducerType[] = [];
  const mix = config.txMix ?? { commit: 100, rollback: 0, unknown: 0 };
  for (let i = 0; i < config.producers; i++) {
    const options = {
      namesrvAddr: config.namesrvAddrs,
      producerGroup: config.producerGroup,
      instanceName: `${config.instancePrefix}-${i}`,
      sendMsgTimeout: config.timeoutMillis,
      mqClientApiTimeout: config.timeoutMillis,
      serializeType: config.serializeType,
      ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
      // Bodies are random: compressing them would measure zlib, not the broker.
      compressMsgBodyOverHowmuch: Number.MAX_SAFE_INTEGER,
      logger,
    };
    const p =
      config.mode === 'tx'
        ? new TransactionProducer(options, {
            executeLocalTransaction: () => txOutcome(txIndex++, mix),
            // UNKNOW ones are rolled back when the broker asks, so what a run leaves in the topic is its commits.
            checkLocalTransaction: () => 'ROLLBACK_MESSAGE',
          })
        : new Producer(options);
    await p.start();
    producers.push(p);
  }

  let tagIndex = 0;
  /** `dueAt`: when the send was due (its --rate slot, else now), the e2e stamp; `measured`: its phase. */
  const newMessage = (dueAt: number, measured: boolean): MessageType => {
    return fillMessage(new Message(config.topic, body), dueAt, measured);
  };
  /** Sets what varies per send; a reused message also drops the previous send's UNIQ_KEY so it gets a new msgId. */
  const fillMessage = (msg: MessageType, dueAt: number, measured: boolean): MessageType => {
    msg.clearProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    if (config.tags.length > 0) msg.tags = config.tags[tagIndex++ % config.tags.length]!;
    if (config.keys) msg.keys = `bench-${config.instancePrefix}-${tagIndex}-${Math.floor(Math.random() * 1e9)}`;
    if (config.delayLevel > 0) msg.delayTimeLevel = config.delayLevel;
    if (config.stampRunId !== undefined) {
      msg.putUserProperty(RUN_ID_PROPERTY, measured ? config.stampRunId : config.stampRunId + WARMUP_SUFFIX);
      msg.putUserProperty(SENT_AT_PROPERTY, String(epochMicros(dueAt)));
    }
    return msg;
  };

  const limiter = config.rate > 0 ? new RateLimiter(config.rate) : undefined;
  let stopped = false;
  let issued = 0;
  const warmupEnd = performance.now() + config.warmupMs;
  stats.measuring = config.warmupMs <= 0;
  let measureEnd = config.durationMs !== undefined && config.warmupMs <= 0 ? performance.now() + config.durationMs : Infinity;
  const timers: NodeJS.Timeout[] = [];
  if (config.warmupMs > 0) {
    timers.push(
      setTimeout(() => {
        stats.measuring = true;
        if (config.durationMs !== undefined) measureEnd = performance.now() + config.durationMs;
      }, config.warmupMs),
    );
  }

  const sendOnce = async (p: ProducerType, dueAt: number, measured: boolean): Promise<SendResult | SendResult[] | undefined> => {
    const one = (): MessageType => newMessage(dueAt, measured);
    const batch = (): MessageType[] => Array.from({ length: config.batch }, one);
    switch (config.mode) {
      case 'sync':
        return config.batch > 1 ? p.sendBatch(batch()) : p.send(one());
      case 'async':
        if (config.batch > 1) return p.sendBatch(batch());
        return new Promise<SendResult>((resolve, reject) => p.sendAsync(one(), { onSuccess: resolve, onException: reject }));
      case 'oneway':
        await p.sendOneway(one());
        return undefined;
      case 'tx':
        return (p as InstanceType<typeof TransactionProducer>).sendMessageInTransaction(one());
    }
  };

  const lane = async (p: ProducerType): Promise<void> => {
    const n = config.mode === 'sync' || config.mode === 'async' ? config.batch : 1;
    while (!stopped) {
      const now = performance.now();
      if (now >= measureEnd) break;
      const inWarmup = now < warmupEnd;
      if (!inWarmup && config.count !== undefined) {
        if (issued >= config.count) break;
        issued += n;
      }
      // With --rate, latency counts from the send's slot, not from when a lane got free: a stalled broker that
      // holds every lane would otherwise hide the sends that could not start (coordinated omission).
      let t0 = performance.now();
      if (limiter) {
        const slot = limiter.reserveSlot(n, t0);
        if (slot - t0 >= 1) await sleep(slot - t0);
        if (stopped) break;
        t0 = Math.min(slot, performance.now());
      }
      // Counted in the phase it was issued in (as --count claims it), whenever its answer comes.
      const measured = !inWarmup;
      try {
        const result = await sendOnce(p, t0, measured);
        const rt = Math.round((performance.now() - t0) * 1000);
        const status = Array.isArray(result) ? result.find((r) => r.sendStatus !== 'SEND_OK')?.sendStatus : result?.sendStatus;
        if (status !== undefined && status !== 'SEND_OK') {
          stats.recordFailure(`SendStatus.${status}`, 'response', n, measured);
        } else if (config.mode === 'tx') {
          stats.recordSuccess(n, perMessageBytes * n, rt, (result as unknown as { localTransactionState: string }).localTransactionState, measured);
        } else {
          stats.recordSuccess(n, perMessageBytes * n, rt, undefined, measured);
        }
      } catch (err) {
        stats.recordError(err, n, measured);
        // A broker that refuses everything must not turn the loop into a busy spin.
        await sleep(1);
      }
    }
  };

  /**
   * Single async sends, the hot case: each lane is a slot that owns one message and one callback made once, and
   * sends again from its handler, so a send allocates no lane promise, closure or message of its own.
   */
  const slotLane = (p: ProducerType): Promise<void> =>
    new Promise<void>((finished) => {
      const msg = new Message(config.topic, body);
      let t0 = 0;
      let measured = false;
      const send = (): void => {
        // The callback form: the producer calls back from the socket without a promise per send.
        p.sendAsync(fillMessage(msg, t0, measured), callback);
      };
      const sendAfterWait = (dueAt: number): void => {
        if (stopped) return finished();
        t0 = Math.min(dueAt, performance.now());
        send();
      };
      const next = (): void => {
        if (stopped) return finished();
        const now = performance.now();
        if (now >= measureEnd) return finished();
        const inWarmup = now < warmupEnd;
        if (!inWarmup && config.count !== undefined) {
          if (issued >= config.count) return finished();
          issued++;
        }
        // Counted in the phase it was issued in (as --count claims it), whenever its answer comes.
        measured = !inWarmup;
        t0 = now;
        if (limiter) {
          // Latency counts from the send's --rate slot (coordinated omission), as in `lane`.
          const slot = limiter.reserveSlot(1, now);
          if (slot - now >= 1) {
            setTimeout(sendAfterWait, slot - now, slot);
            return;
          }
          t0 = Math.min(slot, now);
        }
        send();
      };
      const onResult = (r: SendResult): void => {
        if (r.sendStatus !== 'SEND_OK') stats.recordFailure(`SendStatus.${r.sendStatus}`, 'response', 1, measured);
        else stats.recordSuccess(1, perMessageBytes, Math.round((performance.now() - t0) * 1000), undefined, measured);
        next();
      };
      const onError = (err: unknown): void => {
        stats.recordError(err, 1, measured);
        // A broker that refuses everything must not turn the loop into a busy spin.
        setTimeout(next, 1);
      };
      const callback = { onSuccess: onResult, onException: onError };
      next();
    });

  const slotted = config.mode === 'async' && config.batch === 1;
  const lanes = Array.from({ length: config.concurrency }, (_, i) => (slotted ? slotLane : lane)(producers[i % producers.length]!));
  const done = (async () => {
    await Promise.all(lanes);
    for (const t of timers) clearTimeout(t);
    await Promise.all(producers.map((p) => p.shutdown()));
  })();
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
}

/** Splits a total over `parts` as evenly as integers allow (the first ones get the remainder). */
export function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total - base * parts ? 1 : 0));
}
