import { formatBytes, kv, table } from '@rockit/cli';
import { describeAssertion } from './assertions.js';
import type { ComparisonRow } from './compare.js';
import type { LatencySummary } from './histogram.js';
import type { BenchReport } from './report.js';
import { formatCount, formatMs } from './units.js';

function latencyLine(l: LatencySummary): string {
  if (l.count === 0) return 'no samples';
  return `p50 ${formatMs(l.p50)}  p90 ${formatMs(l.p90)}  p99 ${formatMs(l.p99)}  p99.9 ${formatMs(l.p999)}  max ${formatMs(l.max)}  (mean ${formatMs(l.mean)}, ${formatCount(l.count)} samples)`;
}

/** The human summary printed on stdout after a run. */
export function renderSummary(r: BenchReport): string {
  const t = r.totals;
  const latencyName = r.kind === 'consume' ? 'Latency born->consumed (ms)' : r.kind === 'e2e' ? 'Latency sent->consumed (ms)' : 'Send RT (ms)';
  const errors = r.errors;
  const byKind = Object.entries(errors.byKind)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const rows: [string, unknown][] = [
    ['Messages', `${formatCount(t.messages)} (${formatBytes(t.bytes)}) in ${(t.durationMs / 1000).toFixed(2)} s${t.warmupMessages > 0 ? `, after ${formatCount(t.warmupMessages)} warm-up messages` : ''}`],
    ['Throughput', `${formatCount(t.msgPerSec)} msg/s  ${t.mbPerSec.toFixed(2)} MB/s`],
    [latencyName, latencyLine(r.latency)],
  ];
  if (r.sendLatency) rows.push(['Send RT (ms)', latencyLine(r.sendLatency)]);
  rows.push(['Errors', `${errors.total} (send failed ${errors.sendFailed}, response failed ${errors.responseFailed})${byKind ? `: ${byKind}` : ''}`]);
  if (Object.keys(r.outcomes).length > 0) rows.push(['Outcomes', Object.entries(r.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')]);
  if (r.stored) rows.push(['Stored', `${formatCount(r.stored.delta)} (${r.stored.topic} max offsets ${r.stored.before} -> ${r.stored.after})`]);
  rows.push(['Client CPU', `${r.cpu.percentOfOneCore}% of one core (user ${r.cpu.userMs} ms, system ${r.cpu.systemMs} ms; ${r.cpu.cores} cores, load ${r.environment.loadAverage.join(' ')})`]);
  return kv(rows);
}

export function renderComparison(rows: readonly ComparisonRow[]): string {
  return table(rows, [
    { header: 'Metric', key: 'metric' },
    { header: 'Baseline', get: (r) => `${+r.baseline.toFixed(3)} ${r.unit}`, align: 'right' },
    { header: 'Current', get: (r) => `${+r.current.toFixed(3)} ${r.unit}`, align: 'right' },
    { header: 'Delta', get: (r) => (r.deltaPercent === null ? 'n/a' : `${r.deltaPercent > 0 ? '+' : ''}${r.deltaPercent}%`), align: 'right' },
    { header: '', key: 'verdict' },
  ]);
}

export function renderAssertions(r: BenchReport): string {
  return (r.assertions ?? []).map(describeAssertion).join('\n');
}
