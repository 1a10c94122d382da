import type { CpuUse } from './cpu.js';
import type { LatencySummary } from './histogram.js';

export const REPORT_SCHEMA = 'rockit-bench/1';

export type BenchKind = 'produce' | 'consume' | 'e2e' | 'tx';

/** One live line's worth of numbers (one `--interval`). */
export interface IntervalPoint {
  /** Seconds since the measurement started, at the end of this interval. */
  t: number;
  messages: number;
  tps: number;
  bytes: number;
  avgRtMs: number;
  maxRtMs: number;
  sendFailed: number;
  responseFailed: number;
  cpuPercent: number;
}

export interface BenchTotals {
  messages: number;
  bytes: number;
  durationMs: number;
  msgPerSec: number;
  /** 10^6 bytes per second. */
  mbPerSec: number;
  warmupMessages: number;
}

export interface BenchErrors {
  total: number;
  sendFailed: number;
  responseFailed: number;
  byKind: Record<string, number>;
}

/** Topic max offsets summed over queues, before and after the run (AdminClient GET_TOPIC_STATS_INFO). */
export interface StoredCount {
  topic: string;
  before: number;
  after: number;
  delta: number;
}

export interface AssertionResult {
  expression: string;
  ok: boolean;
  actual: number;
  expected: number;
  unit: string;
}

export interface BenchEnvironment {
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  loadAverage: [number, number, number];
  hostname: string;
  namesrvAddr: string;
  /** How the target cluster came to be: `--start` (this run started it) or an existing one. */
  cluster: { started: boolean; brokers?: number; flush?: string; memory?: boolean };
}

export interface BenchReport {
  schema: typeof REPORT_SCHEMA;
  kind: BenchKind;
  startedAt: string;
  finishedAt: string;
  config: Record<string, unknown>;
  environment: BenchEnvironment;
  totals: BenchTotals;
  /** ms: produce/tx: send round trip; consume/e2e: born (or sent) -> consumed. */
  latency: LatencySummary;
  /** e2e only: the send round trips of its producer. */
  sendLatency?: LatencySummary;
  errors: BenchErrors;
  cpu: CpuUse;
  intervals: IntervalPoint[];
  /** tx: local transaction states; e2e: received / lost. */
  outcomes: Record<string, number>;
  stored?: StoredCount;
  /** The latency histogram in HdrHistogram's compressed base64 form (µs), for merging and re-analysis. */
  histogram: string;
  assertions?: AssertionResult[];
}

export function emptyLatency(): LatencySummary {
  return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
}
