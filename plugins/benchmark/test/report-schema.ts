// The shape `--json` and `--report` promise (schema rockit-bench/1), checked field by field: a checker written
// for the tests rather than a schema library, so a renamed or retyped field fails with its path.

type Check = (value: unknown, path: string, problems: string[]) => void;

const num: Check = (v, p, out) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) out.push(`${p}: expected a finite number, got ${JSON.stringify(v)}`);
};
const nonNegative: Check = (v, p, out) => {
  num(v, p, out);
  if (typeof v === 'number' && v < 0) out.push(`${p}: expected >= 0, got ${v}`);
};
const str: Check = (v, p, out) => {
  if (typeof v !== 'string' || v === '') out.push(`${p}: expected a non-empty string, got ${JSON.stringify(v)}`);
};
const bool: Check = (v, p, out) => {
  if (typeof v !== 'boolean') out.push(`${p}: expected a boolean, got ${JSON.stringify(v)}`);
};
const isoDate: Check = (v, p, out) => {
  str(v, p, out);
  if (typeof v === 'string' && Number.isNaN(Date.parse(v))) out.push(`${p}: not an ISO date: ${v}`);
};
const oneOf =
  (...allowed: string[]): Check =>
  (v, p, out) => {
    if (!allowed.includes(v as string)) out.push(`${p}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  };
const countMap: Check = (v, p, out) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return void out.push(`${p}: expected an object of counts`);
  for (const [k, n] of Object.entries(v)) nonNegative(n, `${p}.${k}`, out);
};
const object =
  (fields: Record<string, Check>, optional: Record<string, Check> = {}): Check =>
  (v, p, out) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return void out.push(`${p}: expected an object`);
    const o = v as Record<string, unknown>;
    for (const [k, check] of Object.entries(fields)) {
      if (!(k in o)) out.push(`${p}.${k}: missing`);
      else check(o[k], `${p}.${k}`, out);
    }
    for (const [k, check] of Object.entries(optional)) if (k in o) check(o[k], `${p}.${k}`, out);
  };
const array =
  (item: Check): Check =>
  (v, p, out) => {
    if (!Array.isArray(v)) return void out.push(`${p}: expected an array`);
    v.forEach((x, i) => item(x, `${p}[${i}]`, out));
  };

const latency = object({ count: nonNegative, min: nonNegative, mean: nonNegative, p50: nonNegative, p90: nonNegative, p99: nonNegative, p999: nonNegative, max: nonNegative });

const percentilesOrdered: Check = (v, p, out) => {
  const l = v as Record<string, number>;
  if (l.count > 0 && !(l.min <= l.p50 && l.p50 <= l.p90 && l.p90 <= l.p99 && l.p99 <= l.p999 && l.p999 <= l.max)) {
    out.push(`${p}: percentiles out of order ${JSON.stringify(l)}`);
  }
};

const REPORT = object(
  {
    schema: oneOf('rockit-bench/1'),
    kind: oneOf('produce', 'consume', 'e2e', 'tx'),
    startedAt: isoDate,
    finishedAt: isoDate,
    config: (v, p, out) => {
      if (typeof v !== 'object' || v === null) out.push(`${p}: expected an object`);
    },
    environment: object({
      node: str,
      platform: str,
      arch: str,
      cpus: nonNegative,
      cpuModel: str,
      loadAverage: (v, p, out) => {
        if (!Array.isArray(v) || v.length !== 3) out.push(`${p}: expected 3 load averages`);
        else v.forEach((x, i) => nonNegative(x, `${p}[${i}]`, out));
      },
      hostname: str,
      namesrvAddr: str,
      cluster: object({ started: bool }),
    }),
    totals: object({ messages: nonNegative, bytes: nonNegative, durationMs: nonNegative, msgPerSec: nonNegative, mbPerSec: nonNegative, warmupMessages: nonNegative }),
    latency: (v, p, out) => {
      latency(v, p, out);
      percentilesOrdered(v, p, out);
    },
    errors: object({ total: nonNegative, sendFailed: nonNegative, responseFailed: nonNegative, byKind: countMap }),
    cpu: object({ userMs: nonNegative, systemMs: nonNegative, percentOfOneCore: nonNegative, cores: nonNegative }),
    intervals: array(object({ t: nonNegative, messages: nonNegative, tps: nonNegative, bytes: nonNegative, avgRtMs: nonNegative, maxRtMs: nonNegative, sendFailed: nonNegative, responseFailed: nonNegative, cpuPercent: nonNegative })),
    outcomes: countMap,
    histogram: str,
  },
  {
    sendLatency: latency,
    stored: object({ topic: str, before: nonNegative, after: nonNegative, delta: num }),
    assertions: array(object({ expression: str, ok: bool, actual: num, expected: num, unit: str })),
    comparison: array(object({ metric: str, unit: str, baseline: num, current: num, verdict: oneOf('better', 'worse', 'same') })),
  },
);

/** Every way `value` differs from a rockit-bench/1 report; empty when it is one. */
export function reportProblems(value: unknown): string[] {
  const problems: string[] = [];
  REPORT(value, '$', problems);
  return problems;
}
