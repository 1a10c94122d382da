import { LatencyHistogram } from './histogram.js';

/** What happened in one slice of time; workers post these to the main thread, which adds them up. */
export interface StatsDelta {
  messages: number;
  bytes: number;
  rtCount: number;
  rtSumMicros: number;
  rtMaxMicros: number;
  sendFailed: number;
  responseFailed: number;
  warmupMessages: number;
  errors: Record<string, number>;
  outcomes: Record<string, number>;
}

export function emptyDelta(): StatsDelta {
  return { messages: 0, bytes: 0, rtCount: 0, rtSumMicros: 0, rtMaxMicros: 0, sendFailed: 0, responseFailed: 0, warmupMessages: 0, errors: {}, outcomes: {} };
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

export function addDelta(into: StatsDelta, d: StatsDelta): void {
  into.messages += d.messages;
  into.bytes += d.bytes;
  into.rtCount += d.rtCount;
  into.rtSumMicros += d.rtSumMicros;
  if (d.rtMaxMicros > into.rtMaxMicros) into.rtMaxMicros = d.rtMaxMicros;
  into.sendFailed += d.sendFailed;
  into.responseFailed += d.responseFailed;
  into.warmupMessages += d.warmupMessages;
  addCounts(into.errors, d.errors);
  addCounts(into.outcomes, d.outcomes);
}

/**
 * RocketMQ's benchmark splits failures the same way: "Send Failed" when the request never got an answer
 * (connection, timeout, client-side refusal), "Response Failed" when the broker answered with a failure
 * code or a send status other than SEND_OK.
 */
export type FailureSide = 'send' | 'response';

/** An error's kind for the report: its class and RocketMQ response code ("MQBrokerError(14)"). */
export function errorKind(err: unknown): { kind: string; side: FailureSide } {
  const e = err as { name?: string; code?: unknown; constructor?: { name?: string } } | undefined;
  const name = e?.constructor?.name && e.constructor.name !== 'Object' ? e.constructor.name : (e?.name ?? 'Error');
  const code = typeof e?.code === 'number' ? `(${e.code})` : '';
  return { kind: `${name}${code}`, side: name === 'MQBrokerError' ? 'response' : 'send' };
}

/**
 * Counters of one load generator (one thread): totals since the measurement started, the running interval
 * (taken and reset by the live ticker or a worker's flush) and the latency histogram.
 */
export class LoadStats {
  readonly total: StatsDelta = emptyDelta();
  private pending: StatsDelta = emptyDelta();
  readonly histogram = new LatencyHistogram();
  /** False while warming up: results are counted apart and not measured. */
  measuring = true;
  /** Set once the measurement ended: whatever still arrives (a consumer shutting down) is not counted at all. */
  closed = false;

  /** Measured messages so far, taken or not. */
  messagesSoFar(): number {
    return this.total.messages + this.pending.messages;
  }

  /** Everything counted so far, taken or not (a copy). */
  soFar(): StatsDelta {
    const d = emptyDelta();
    addDelta(d, this.total);
    addDelta(d, this.pending);
    return d;
  }

  /** `measured`: the phase the message was issued in (by default, the phase now). */
  recordSuccess(messages: number, bytes: number, rtMicros: number, outcome?: string, measured = this.measuring): void {
    if (this.closed) return;
    const p = this.pending;
    if (!measured) {
      p.warmupMessages += messages;
      return;
    }
    p.messages += messages;
    p.bytes += bytes;
    if (rtMicros >= 0) {
      p.rtCount++;
      p.rtSumMicros += rtMicros;
      if (rtMicros > p.rtMaxMicros) p.rtMaxMicros = rtMicros;
      this.histogram.record(rtMicros);
    }
    if (outcome !== undefined) p.outcomes[outcome] = (p.outcomes[outcome] ?? 0) + messages;
  }

  /** A latency observed on its own (consumers: one per message, born -> consumed). */
  recordLatency(rtMicros: number): void {
    if (!this.measuring || this.closed) return;
    const p = this.pending;
    p.rtCount++;
    p.rtSumMicros += rtMicros;
    if (rtMicros > p.rtMaxMicros) p.rtMaxMicros = rtMicros;
    this.histogram.record(rtMicros);
  }

  recordFailure(kind: string, side: FailureSide, messages = 1, measured = this.measuring): void {
    if (!measured || this.closed) return;
    const p = this.pending;
    if (side === 'send') p.sendFailed += messages;
    else p.responseFailed += messages;
    p.errors[kind] = (p.errors[kind] ?? 0) + messages;
  }

  recordError(err: unknown, messages = 1, measured = this.measuring): void {
    const { kind, side } = errorKind(err);
    this.recordFailure(kind, side, messages, measured);
  }

  /** Adds what a worker thread reported. */
  absorb(delta: StatsDelta): void {
    addDelta(this.pending, delta);
  }

  /** The counts since the last take; they move into the totals. */
  take(): StatsDelta {
    const d = this.pending;
    this.pending = emptyDelta();
    addDelta(this.total, d);
    return d;
  }
}
