import type { AssertionResult, BenchReport } from './report.js';

type Op = '>=' | '<=' | '>' | '<' | '==' | '!=';

interface Metric {
  /** Unit of the value read from the report, and how a written unit converts into it. */
  unit: string;
  units: Record<string, number>;
  read: (r: BenchReport) => number;
}

const LATENCY_UNITS = { '': 1, ms: 1, us: 0.001, µs: 0.001, s: 1000 };
const COUNT_UNITS = { '': 1, k: 1e3, m: 1e6 };
const latency = (key: 'p50' | 'p90' | 'p99' | 'p999' | 'max' | 'mean' | 'min'): Metric => ({ unit: 'ms', units: LATENCY_UNITS, read: (r) => r.latency[key] });

/** What `--assert` may name, as a table: the metric, its unit, and where it lives in the report. */
const METRICS: Record<string, Metric> = {
  tps: { unit: 'msg/s', units: COUNT_UNITS, read: (r) => r.totals.msgPerSec },
  mbps: { unit: 'MB/s', units: { '': 1, 'mb/s': 1, 'kb/s': 1e-3, 'gb/s': 1e3 }, read: (r) => r.totals.mbPerSec },
  messages: { unit: 'messages', units: COUNT_UNITS, read: (r) => r.totals.messages },
  bytes: { unit: 'B', units: { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 }, read: (r) => r.totals.bytes },
  errors: { unit: 'errors', units: COUNT_UNITS, read: (r) => r.errors.total },
  cpu: { unit: '%', units: { '': 1, '%': 1 }, read: (r) => r.cpu.percentOfOneCore },
  p50: latency('p50'),
  p90: latency('p90'),
  p99: latency('p99'),
  'p99.9': latency('p999'),
  p999: latency('p999'),
  max: latency('max'),
  mean: latency('mean'),
  min: latency('min'),
};

export interface Assertion {
  expression: string;
  metric: string;
  op: Op;
  /** In the metric's own unit. */
  value: number;
}

export class AssertionSyntaxError extends Error {
  override name = 'AssertionSyntaxError';
}

const PATTERN = /^\s*([a-z][a-z0-9.]*)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*([a-zµ%/]*)\s*$/i;

/** `tps>=50000`, `p99<=20ms`, `errors==0`, `mbps>5`, `cpu<150%`, `tps>=50k`. */
export function parseAssertion(expression: string): Assertion {
  const m = PATTERN.exec(expression);
  if (!m) throw new AssertionSyntaxError(`cannot read --assert "${expression}": expected <metric><op><value>[unit], e.g. p99<=20ms`);
  const metric = m[1]!.toLowerCase();
  const def = METRICS[metric];
  if (!def) throw new AssertionSyntaxError(`unknown metric "${m[1]}" in --assert "${expression}"; one of ${Object.keys(METRICS).join(', ')}`);
  const unit = m[4]!.toLowerCase();
  const factor = def.units[unit];
  if (factor === undefined) {
    const allowed = Object.keys(def.units).filter((u) => u !== '');
    throw new AssertionSyntaxError(`unit "${m[4]}" does not fit ${metric} in --assert "${expression}"${allowed.length ? `; use ${allowed.join(', ')}` : ''}`);
  }
  return { expression: expression.trim(), metric, op: m[2] as Op, value: Number(m[3]) * factor };
}

function holds(actual: number, op: Op, expected: number): boolean {
  switch (op) {
    case '>=':
      return actual >= expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '<':
      return actual < expected;
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
  }
}

export function evaluateAssertions(assertions: readonly Assertion[], report: BenchReport): AssertionResult[] {
  return assertions.map((a) => {
    const def = METRICS[a.metric]!;
    const actual = def.read(report);
    return { expression: a.expression, ok: holds(actual, a.op, a.value), actual, expected: a.value, unit: def.unit };
  });
}

export function describeAssertion(r: AssertionResult): string {
  const actual = Number.isInteger(r.actual) ? String(r.actual) : r.actual.toFixed(3);
  return `${r.ok ? 'PASS' : 'FAIL'} ${r.expression} (actual ${actual} ${r.unit})`;
}
