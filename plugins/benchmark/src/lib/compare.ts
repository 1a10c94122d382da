import type { BenchReport } from './report.js';

export interface ComparisonRow {
  metric: string;
  unit: string;
  baseline: number;
  current: number;
  /** Percent change from the baseline; null when the baseline is 0. */
  deltaPercent: number | null;
  /** Whether the change is an improvement (higher throughput, lower latency/errors/CPU), a regression or neither. */
  verdict: 'better' | 'worse' | 'same';
}

interface Compared {
  metric: string;
  unit: string;
  higherIsBetter: boolean;
  read: (r: BenchReport) => number;
}

const COMPARED: Compared[] = [
  { metric: 'msg/s', unit: 'msg/s', higherIsBetter: true, read: (r) => r.totals.msgPerSec },
  { metric: 'MB/s', unit: 'MB/s', higherIsBetter: true, read: (r) => r.totals.mbPerSec },
  { metric: 'p50', unit: 'ms', higherIsBetter: false, read: (r) => r.latency.p50 },
  { metric: 'p90', unit: 'ms', higherIsBetter: false, read: (r) => r.latency.p90 },
  { metric: 'p99', unit: 'ms', higherIsBetter: false, read: (r) => r.latency.p99 },
  { metric: 'p99.9', unit: 'ms', higherIsBetter: false, read: (r) => r.latency.p999 },
  { metric: 'max', unit: 'ms', higherIsBetter: false, read: (r) => r.latency.max },
  { metric: 'errors', unit: 'errors', higherIsBetter: false, read: (r) => r.errors.total },
  { metric: 'client CPU', unit: '%', higherIsBetter: false, read: (r) => r.cpu.percentOfOneCore },
];

/** Throughput, latency, errors and CPU of this run against a baseline report. */
export function compareReports(baseline: BenchReport, current: BenchReport): ComparisonRow[] {
  return COMPARED.map((c) => {
    const b = c.read(baseline);
    const v = c.read(current);
    const deltaPercent = b === 0 ? null : Math.round(((v - b) / b) * 1000) / 10;
    const verdict = v === b ? 'same' : v > b === c.higherIsBetter ? 'better' : 'worse';
    return { metric: c.metric, unit: c.unit, baseline: b, current: v, deltaPercent, verdict };
  });
}

/** Reads a `--report` file, refusing anything that is not one. */
export function parseReport(text: string, source: string): BenchReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source} is not JSON: ${(err as Error).message}`);
  }
  const r = json as Partial<BenchReport>;
  if (r.schema !== 'rockit-bench/1' || typeof r.totals !== 'object' || typeof r.latency !== 'object') {
    throw new Error(`${source} is not a rockit bench report (schema rockit-bench/1)`);
  }
  return r as BenchReport;
}
