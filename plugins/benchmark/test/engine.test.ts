import { describe, expect, it } from 'vitest';
import { AssertionSyntaxError, evaluateAssertions, parseAssertion } from '../src/lib/assertions.js';
import { compareReports, parseReport } from '../src/lib/compare.js';
import { LatencyHistogram, loadHdr } from '../src/lib/histogram.js';
import { liveLine } from '../src/lib/bench-run.js';
import { workerShares } from '../src/lib/load-generator.js';
import { LoadStats, errorKind } from '../src/lib/load-stats.js';
import { niceStep, renderHtml, renderSvg } from '../src/lib/plot.js';
import { splitEvenly, txOutcome, type ProduceLoadConfig } from '../src/lib/produce-load.js';
import { RateLimiter } from '../src/lib/rate-limiter.js';
import { emptyLatency, type BenchReport } from '../src/lib/report.js';
import { parseDurationMs } from '../src/lib/units.js';
import { reportProblems } from './report-schema.js';

function report(over: Partial<BenchReport> = {}): BenchReport {
  return {
    schema: 'rockit-bench/1',
    kind: 'produce',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:10.000Z',
    config: {},
    environment: { node: 'v20', platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'cpu', loadAverage: [1, 1, 1], hostname: 'h', namesrvAddr: '127.0.0.1:9876', cluster: { started: false } },
    totals: { messages: 100_000, bytes: 12_800_000, durationMs: 10_000, msgPerSec: 10_000, mbPerSec: 1.28, warmupMessages: 0 },
    latency: { count: 100_000, min: 0.1, mean: 2, p50: 1.5, p90: 4, p99: 18, p999: 30, max: 45 },
    errors: { total: 0, sendFailed: 0, responseFailed: 0, byKind: {} },
    cpu: { userMs: 5000, systemMs: 1000, percentOfOneCore: 60, cores: 2 },
    intervals: [
      { t: 1, messages: 9000, tps: 9000, bytes: 1, avgRtMs: 2, maxRtMs: 9, sendFailed: 0, responseFailed: 0, cpuPercent: 55 },
      { t: 2, messages: 11000, tps: 11000, bytes: 1, avgRtMs: 1.5, maxRtMs: 45, sendFailed: 0, responseFailed: 0, cpuPercent: 65 },
    ],
    outcomes: {},
    histogram: 'HISTFAAAAB',
    ...over,
  };
}

describe('parseDurationMs', () => {
  it('reads plain seconds and ms/s/m/h suffixes', () => {
    expect(parseDurationMs('10')).toBe(10_000);
    expect(parseDurationMs('2.5')).toBe(2500);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('2m')).toBe(120_000);
    expect(parseDurationMs('1h')).toBe(3_600_000);
  });
  it('refuses anything else', () => {
    expect(() => parseDurationMs('ten')).toThrow(/not a duration/);
    expect(() => parseDurationMs('-1')).toThrow(/not a duration/);
    expect(() => parseDurationMs('5d')).toThrow(/not a duration/);
  });
});

describe('--assert expressions', () => {
  it('convert units into the metric unit', () => {
    expect(parseAssertion('p99<=20ms')).toMatchObject({ metric: 'p99', op: '<=', value: 20 });
    expect(parseAssertion('p99.9 < 1.5s')).toMatchObject({ metric: 'p99.9', op: '<', value: 1500 });
    expect(parseAssertion('max<500us')).toMatchObject({ value: 0.5 });
    expect(parseAssertion('tps>=50k')).toMatchObject({ metric: 'tps', op: '>=', value: 50_000 });
    expect(parseAssertion('errors==0')).toMatchObject({ metric: 'errors', op: '==', value: 0 });
    expect(parseAssertion('bytes>1MiB')).toMatchObject({ value: 1024 * 1024 });
    expect(parseAssertion('cpu<150%')).toMatchObject({ value: 150 });
  });
  it('name the problem in a wrong one', () => {
    expect(() => parseAssertion('tps=>5')).toThrow(AssertionSyntaxError);
    expect(() => parseAssertion('latency<5ms')).toThrow(/unknown metric "latency"/);
    expect(() => parseAssertion('p99<5kb')).toThrow(/unit "kb" does not fit p99/);
    expect(() => parseAssertion('tps>5ms')).toThrow(/unit "ms" does not fit tps/);
  });
  it('evaluate against a report, each with its actual value', () => {
    const results = evaluateAssertions(['tps>=50000', 'p99<=20ms', 'errors==0', 'mbps>1'].map(parseAssertion), report());
    expect(results.map((r) => [r.expression, r.ok, r.actual])).toEqual([
      ['tps>=50000', false, 10_000],
      ['p99<=20ms', true, 18],
      ['errors==0', true, 0],
      ['mbps>1', true, 1.28],
    ]);
  });
});

describe('compareReports', () => {
  it('gives percent deltas and calls lower latency and higher throughput better', () => {
    const rows = compareReports(report(), report({ totals: { ...report().totals, msgPerSec: 12_000 }, latency: { ...report().latency, p99: 27 } }));
    expect(rows.find((r) => r.metric === 'msg/s')).toMatchObject({ baseline: 10_000, current: 12_000, deltaPercent: 20, verdict: 'better' });
    expect(rows.find((r) => r.metric === 'p99')).toMatchObject({ deltaPercent: 50, verdict: 'worse' });
    expect(rows.find((r) => r.metric === 'errors')).toMatchObject({ deltaPercent: null, verdict: 'same' });
  });
  it('refuses a file that is not a report', () => {
    expect(() => parseReport('{"a":1}', 'x.json')).toThrow(/x.json is not a rockit bench report/);
    expect(() => parseReport('nope', 'x.json')).toThrow(/x.json is not JSON/);
  });
});

describe('LatencyHistogram', () => {
  it('merges histograms of other threads through their compressed encoding', async () => {
    await loadHdr();
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) a.record(i * 10);
    for (let i = 1; i <= 1000; i++) b.record(100_000);
    a.merge(b.encode());
    const s = a.summary();
    expect(s.count).toBe(2000);
    expect(s.p50).toBeCloseTo(10, 1);
    expect(s.max).toBeCloseTo(100, 0);
    expect(s.p999).toBeLessThanOrEqual(s.max);
  });
});

describe('LoadStats', () => {
  it('keeps warm-up results apart and splits failures into send and response sides', async () => {
    await loadHdr();
    const stats = new LoadStats();
    stats.measuring = false;
    stats.recordSuccess(5, 500, 1000);
    stats.measuring = true;
    stats.recordSuccess(2, 200, 3000);
    stats.recordError(Object.assign(new (class MQBrokerError extends Error {})('busy'), { code: 14 }));
    stats.recordError(new (class MQClientTimeoutError extends Error {})('late'));
    const d = stats.take();
    expect(d).toMatchObject({ messages: 2, bytes: 200, warmupMessages: 5, rtCount: 1, rtMaxMicros: 3000, sendFailed: 1, responseFailed: 1 });
    expect(d.errors).toEqual({ 'MQBrokerError(14)': 1, MQClientTimeoutError: 1 });
    expect(stats.take().messages).toBe(0);
    expect(stats.total.messages).toBe(2);
    stats.closed = true;
    stats.recordSuccess(1, 1, 1);
    expect(stats.messagesSoFar()).toBe(2);
  });
  it('classifies errors by class name and RocketMQ code', () => {
    expect(errorKind(new Error('x'))).toEqual({ kind: 'Error', side: 'send' });
  });
});

describe('RateLimiter', () => {
  it('hands out slots on a fixed schedule and never banks more than a second', () => {
    const limiter = new RateLimiter(1000, 0);
    expect(limiter.reserve(1, 0)).toBe(0);
    expect(limiter.reserve(1, 0)).toBe(1);
    expect(limiter.reserve(10, 0)).toBe(2);
    expect(limiter.reserve(1, 0)).toBe(12);
    // Idle for 5 s: at most one second of slots may be spent at once.
    expect(limiter.reserve(1000, 5000)).toBe(0);
    expect(limiter.reserve(1, 5000)).toBe(0);
  });
  it('gives the slot itself, in the past when the lanes fell behind, so latency counts from it', () => {
    const limiter = new RateLimiter(100, 0);
    expect(limiter.reserveSlot(1, 0)).toBe(0);
    expect(limiter.reserveSlot(1, 0)).toBe(10);
    // A lane that comes back 500 ms late gets the slot it should have had.
    expect(limiter.reserveSlot(1, 500)).toBe(20);
  });
});

describe('work splitting', () => {
  it('spreads lanes, producers, rate and count over workers', () => {
    expect(splitEvenly(10, 3)).toEqual([4, 3, 3]);
    const base = { concurrency: 5, producers: 3, rate: 900, count: 1001, instancePrefix: 'p' } as ProduceLoadConfig;
    const shares = workerShares(base, 2);
    expect(shares.map((s) => [s.concurrency, s.producers, s.rate, s.count, s.instancePrefix])).toEqual([
      [3, 2, 450, 501, 'p-w0'],
      [2, 1, 450, 500, 'p-w1'],
    ]);
  });
  it('spreads a transaction mix over every 100 sends', () => {
    const outcomes = Array.from({ length: 200 }, (_, i) => txOutcome(i, { commit: 70, rollback: 20, unknown: 10 }));
    expect(outcomes.filter((o) => o === 'COMMIT_MESSAGE')).toHaveLength(140);
    expect(outcomes.filter((o) => o === 'ROLLBACK_MESSAGE')).toHaveLength(40);
    expect(outcomes.filter((o) => o === 'UNKNOW')).toHaveLength(20);
  });
});

describe('live line and plot', () => {
  it('prints the interval as RocketMQ benchmark does', () => {
    const p = report().intervals[1]!;
    expect(liveLine('produce', p)).toBe('[   2.0s] Send TPS: 11000 | Max RT(ms): 45.0 | Average RT(ms): 1.500 | Send Failed: 0 | Response Failed: 0 | CPU: 65%');
    expect(liveLine('consume', p)).toMatch(/Consume TPS: 11000 \| Max B2C RT\(ms\)/);
  });
  it('picks round axis steps', () => {
    expect(niceStep(9500)).toBe(2000);
    expect(niceStep(0.7)).toBe(0.2);
    expect(niceStep(0)).toBe(1);
  });
  it('draws one polyline per series, and escapes text', () => {
    const svg = renderSvg(report({ kind: 'consume' }));
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg).toContain('Consume TPS');
    const html = renderHtml(report({ config: { topic: '<script>' } }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
  it('a report built by hand passes the schema checker the CLI tests use', () => {
    expect(reportProblems(report())).toEqual([]);
    expect(reportProblems({ ...report(), totals: { messages: '1' } })[0]).toMatch(/\$\.totals\.messages: expected a finite number/);
    expect(reportProblems(emptyLatency())).not.toEqual([]);
  });
});
