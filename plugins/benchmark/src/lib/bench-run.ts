import { writeFileSync, readFileSync } from 'node:fs';
import { cpus, hostname, loadavg } from 'node:os';
import { resolveSerializeType, type AdminClient as AdminClientType, type SerializeTypeName } from '@rockit/client';
import { evaluateAssertions, parseAssertion, type Assertion } from './assertions.js';
import { compareReports, parseReport, type ComparisonRow } from './compare.js';
import { clientLogger } from './client-logger.js';
import { CpuMeter, type CpuUse } from './cpu.js';
import { loadHdr, type LatencySummary } from './histogram.js';
import { LiveStatus } from './live-status.js';
import { LoadStats, type StatsDelta } from './load-stats.js';
import { renderHtml, renderSvg } from './plot.js';
import { REPORT_SCHEMA, type BenchKind, type BenchReport, type IntervalPoint, type StoredCount } from './report.js';
import { startBenchCluster, type StartedCluster } from './started-cluster.js';
import { MB, formatMs, parseDurationMs } from './units.js';

/** The parsed common flags (see flags.ts). */
export interface RunSettings {
  kind: BenchKind;
  namesrvAddrs: string[];
  timeoutMillis: number;
  /** Header serialization of every client of the run (what Java reads from ROCKETMQ_SERIALIZE_TYPE). */
  serializeType: SerializeTypeName;
  /** ACL credentials: every client of the run signs its requests with them. */
  credentials?: { accessKey: string; secretKey: string };
  durationMs: number | undefined;
  count: number | undefined;
  warmupMs: number;
  intervalMs: number;
  start?: { root: string; brokers: number; flush: 'sync' | 'async'; memory: boolean };
  assertions: Assertion[];
  reportFile?: string;
  compareFile?: string;
  plotFile?: string;
  /** What the report's `config` says (the flags as given). */
  config: Record<string, unknown>;
}

export interface RawRunFlags {
  duration?: string;
  count?: number;
  warmup: string;
  interval: string;
  start: boolean;
  brokers: number;
  flush: string;
  memory: boolean;
  report?: string;
  compare?: string;
  assert?: string[];
  plot?: string;
  'serialize-type'?: string;
}

/** Reads the common flags; throws (a usage error for the caller to wrap) on bad durations or assertions. */
export function runSettings(
  kind: BenchKind,
  flags: RawRunFlags,
  connection: { namesrvAddrs: string[]; timeoutMillis: number; credentials?: { accessKey: string; secretKey: string } },
  root: string,
  config: Record<string, unknown>,
): RunSettings {
  const durationMs = flags.duration !== undefined ? parseDurationMs(flags.duration) : flags.count !== undefined ? undefined : 10_000;
  const intervalMs = parseDurationMs(flags.interval);
  if (intervalMs < 100) throw new Error('--interval must be at least 100ms');
  // --serialize-type, else ROCKETMQ_SERIALIZE_TYPE as Java clients read it, else JSON.
  const serializeType = resolveSerializeType(flags['serialize-type']);
  return {
    kind,
    namesrvAddrs: connection.namesrvAddrs,
    timeoutMillis: connection.timeoutMillis,
    serializeType,
    ...(connection.credentials !== undefined ? { credentials: connection.credentials } : {}),
    durationMs,
    count: flags.count,
    warmupMs: parseDurationMs(flags.warmup),
    intervalMs,
    ...(flags.start ? { start: { root, brokers: flags.brokers, flush: flags.flush as 'sync' | 'async', memory: flags.memory } } : {}),
    assertions: (flags.assert ?? []).map(parseAssertion),
    ...(flags.report !== undefined ? { reportFile: flags.report } : {}),
    ...(flags.compare !== undefined ? { compareFile: flags.compare } : {}),
    ...(flags.plot !== undefined ? { plotFile: flags.plot } : {}),
    config: { ...config, serializeType, duration: flags.duration, count: flags.count, warmup: flags.warmup, start: flags.start, ...(flags.start ? { brokers: flags.brokers, flush: flags.flush, memory: flags.memory } : {}) },
  };
}

/** What a command's body hands to the run: the load it started, and how to wait for it. */
export interface BenchContext {
  namesrvAddrs: string[];
  timeoutMillis: number;
  serializeType: SerializeTypeName;
  credentials?: { accessKey: string; secretKey: string };
  settings: RunSettings;
  /** Primary counters: sends (produce, tx) or receipts (consume, e2e). */
  stats: LoadStats;
  /** e2e: the sending side's counters. */
  sendStats: LoadStats | undefined;
  /** Topic max offset summed over its queues (0 when the topic has no route yet). */
  topicMaxOffset(topic: string): Promise<number>;
  /** Creates the topic on every broker of the started cluster (only with --start). */
  ensureTopic(topic: string): Promise<void>;
  /**
   * The topic's max offset once it stops moving (or reaches `expected`): oneway sends and transaction ends are
   * not acknowledged, so the broker may still be writing when the load stops.
   */
  settledMaxOffset(topic: string, expected?: number): Promise<number>;
  /** Call once the load runs: the warm-up clock and the live lines start here. */
  loadStarted(): void;
  /** Call once the load ended (before counting what the broker stored): the measured time ends here. */
  loadFinished(): void;
}

export interface BenchBodyResult {
  outcomes?: Record<string, number>;
  stored?: StoredCount;
}

export interface BenchOutput {
  report: BenchReport;
  comparison?: ComparisonRow[];
}

const LABELS: Record<BenchKind, { tps: string; rt: string }> = {
  produce: { tps: 'Send TPS', rt: 'RT' },
  tx: { tps: 'Send TPS', rt: 'RT' },
  consume: { tps: 'Consume TPS', rt: 'B2C RT' },
  e2e: { tps: 'Consume TPS', rt: 'E2E RT' },
};

function point(t: number, d: StatsDelta, seconds: number, cpuPercent: number, send?: StatsDelta): IntervalPoint & { sendTps?: number } {
  return {
    t: Math.round(t * 1000) / 1000,
    messages: d.messages,
    tps: Math.round((d.messages / seconds) * 10) / 10,
    bytes: d.bytes,
    avgRtMs: d.rtCount > 0 ? Math.round(d.rtSumMicros / d.rtCount) / 1000 : 0,
    maxRtMs: d.rtMaxMicros / 1000,
    sendFailed: (send ?? d).sendFailed,
    responseFailed: (send ?? d).responseFailed,
    cpuPercent: Math.round(cpuPercent),
    ...(send ? { sendTps: Math.round((send.messages / seconds) * 10) / 10 } : {}),
  };
}

/** RocketMQ's benchmark line: `Send TPS: 1234 | Max RT(ms): 12 | Average RT(ms): 1.234 | Send Failed: 0 | Response Failed: 0`. */
export function liveLine(kind: BenchKind, p: IntervalPoint & { sendTps?: number }): string {
  const l = LABELS[kind];
  const parts = [
    ...(p.sendTps !== undefined ? [`Send TPS: ${Math.round(p.sendTps)}`] : []),
    `${l.tps}: ${Math.round(p.tps)}`,
    `Max ${l.rt}(ms): ${formatMs(p.maxRtMs)}`,
    `Average ${l.rt}(ms): ${p.avgRtMs.toFixed(3)}`,
    `Send Failed: ${p.sendFailed}`,
    `Response Failed: ${p.responseFailed}`,
    `CPU: ${p.cpuPercent}%`,
  ];
  return `[${p.t.toFixed(1).padStart(6)}s] ${parts.join(' | ')}`;
}

function environment(settings: RunSettings, namesrvAddr: string): BenchReport['environment'] {
  const la = loadavg();
  const cpuList = cpus();
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    loadAverage: [la[0]!, la[1]!, la[2]!].map((x) => Math.round(x * 100) / 100) as [number, number, number],
    hostname: hostname(),
    namesrvAddr,
    cluster: settings.start ? { started: true, brokers: settings.start.brokers, flush: settings.start.flush, memory: settings.start.memory } : { started: false },
  };
}

/**
 * Fails the run before any load when no name server answers or none knows a broker: otherwise every send would
 * only be counted as failed, and a CI job would read a report of zeros instead of the reason.
 */
async function checkReachable(admin: AdminClientType, namesrvAddrs: string[]): Promise<void> {
  let brokers: number;
  try {
    brokers = (await admin.getClusterInfo()).brokerAddrTable.size;
  } catch (err) {
    const cause = (err as Error).cause instanceof Error ? `: ${((err as Error).cause as Error).message}` : '';
    throw new Error(`cannot reach the cluster at ${namesrvAddrs.join(';')}: ${(err as Error).message}${cause}`, { cause: err });
  }
  if (brokers === 0) throw new Error(`the name server at ${namesrvAddrs.join(';')} knows no broker: start one, or check -n`);
}

/**
 * One benchmark run around a command's body: the cluster (--start), the live lines, the interval series,
 * CPU, and the report with its assertions, comparison and plot.
 */
export async function runBench(settings: RunSettings, body: (ctx: BenchContext) => Promise<BenchBodyResult>): Promise<BenchOutput> {
  await loadHdr();
  const baseline = settings.compareFile !== undefined ? parseReport(readFileSync(settings.compareFile, 'utf8'), settings.compareFile) : undefined;
  let cluster: StartedCluster | undefined;
  let admin: AdminClientType | undefined;
  let live: LiveStatus | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let warmupTimer: NodeJS.Timeout | undefined;
  try {
    if (settings.start) cluster = await startBenchCluster(settings.start);
    const namesrvAddrs = cluster ? [cluster.namesrvAddr] : settings.namesrvAddrs;
    const { AdminClient } = await import('@rockit/client');
    admin = new AdminClient({
      namesrvAddr: namesrvAddrs,
      adminTimeoutMillis: settings.timeoutMillis,
      instanceName: `bench-admin-${process.pid}`,
      serializeType: settings.serializeType,
      ...(settings.credentials !== undefined ? { credentials: settings.credentials } : {}),
      logger: await clientLogger(),
    });
    await admin.start();
    const adminClient = admin;
    await checkReachable(adminClient, namesrvAddrs);

    const stats = new LoadStats();
    const sendStats = settings.kind === 'e2e' ? new LoadStats() : undefined;
    const cpu = new CpuMeter();
    const intervals: IntervalPoint[] = [];
    const startedAt = new Date();
    let measureStart: number | undefined;
    let lastTick = 0;
    let loadStartedAt: number | undefined;
    let end: number | undefined;
    let cpuTotal: CpuUse | undefined;
    live = new LiveStatus(`rockit bench ${settings.kind}`);
    const liveStatus = live;

    const tick = (): void => {
      const now = performance.now();
      const d = stats.take();
      const s = sendStats?.take();
      if (measureStart === undefined) {
        const left = loadStartedAt !== undefined ? Math.max(0, settings.warmupMs - (now - loadStartedAt)) : 0;
        liveStatus.update(`warming up: ${(d.warmupMessages + (s?.warmupMessages ?? 0))} messages in the last interval, ${(left / 1000).toFixed(1)}s left`);
        return;
      }
      const seconds = (now - lastTick) / 1000;
      lastTick = now;
      if (seconds <= 0) return;
      const p = point((now - measureStart) / 1000, d, seconds, cpu.sample(), s);
      intervals.push(p);
      liveStatus.update(liveLine(settings.kind, p));
    };
    const beginMeasuring = (): void => {
      stats.measuring = true;
      if (sendStats) sendStats.measuring = true;
      stats.take();
      sendStats?.take();
      measureStart = lastTick = performance.now();
      cpu.restart();
    };

    const ctx: BenchContext = {
      namesrvAddrs,
      timeoutMillis: settings.timeoutMillis,
      serializeType: settings.serializeType,
      ...(settings.credentials !== undefined ? { credentials: settings.credentials } : {}),
      settings,
      stats,
      sendStats,
      topicMaxOffset: async (topic) => {
        try {
          let sum = 0;
          for (const [, o] of (await adminClient.examineTopicStats(topic)).entries()) sum += o.maxOffset;
          return sum;
        } catch {
          return 0;
        }
      },
      settledMaxOffset: async (topic, expected) => {
        const deadline = performance.now() + 5000;
        let last = await ctx.topicMaxOffset(topic);
        while (performance.now() < deadline && last !== expected) {
          await new Promise((r) => setTimeout(r, 300));
          const now = await ctx.topicMaxOffset(topic);
          if (now === last && expected === undefined) break;
          last = now;
        }
        return last;
      },
      ensureTopic: async (topic) => {
        if (!cluster) return;
        await adminClient.createOrUpdateTopicInCluster('DefaultCluster', { topicName: topic, readQueueNums: 8, writeQueueNums: 8, perm: 6 });
      },
      loadFinished: () => {
        if (end !== undefined) return;
        clearInterval(ticker);
        clearTimeout(warmupTimer);
        if (measureStart === undefined) beginMeasuring(); // the run ended inside the warm-up
        end = performance.now();
        cpuTotal = cpu.total();
        const tail = stats.take();
        const sendTail = sendStats?.take();
        if (tail.messages > 0 || tail.sendFailed + tail.responseFailed > 0 || (sendTail?.messages ?? 0) > 0) {
          const p = point((end - measureStart!) / 1000, tail, (end - lastTick) / 1000, cpu.sample(), sendTail);
          intervals.push(p);
          liveStatus.update(liveLine(settings.kind, p));
        }
      },
      loadStarted: () => {
        if (loadStartedAt !== undefined) return;
        loadStartedAt = performance.now();
        if (settings.warmupMs > 0) {
          stats.measuring = false;
          if (sendStats) sendStats.measuring = false;
        }
        live!.start();
        if (settings.warmupMs > 0) warmupTimer = setTimeout(beginMeasuring, settings.warmupMs);
        else beginMeasuring();
        ticker = setInterval(tick, settings.intervalMs);
      },
    };

    const result = await body(ctx);
    ctx.loadFinished();
    // What arrived after the measured window (e2e's drain) still counts in the totals and percentiles.
    stats.take();
    sendStats?.take();
    await live.stop();
    live = undefined;

    const total = stats.total;
    const durationMs = end! - measureStart!;
    const errorsFrom = sendStats ? sendStats.total : total;
    const report: BenchReport = {
      schema: REPORT_SCHEMA,
      kind: settings.kind,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      config: settings.config,
      environment: environment(settings, namesrvAddrs.join(';')),
      totals: {
        messages: total.messages,
        bytes: total.bytes,
        durationMs: Math.round(durationMs),
        msgPerSec: durationMs > 0 ? Math.round((total.messages / durationMs) * 1000 * 10) / 10 : 0,
        mbPerSec: durationMs > 0 ? Math.round((total.bytes / MB / (durationMs / 1000)) * 1000) / 1000 : 0,
        // e2e: the messages sent in the warm-up (the consumer's warm-up receipts are the same messages).
        warmupMessages: (sendStats ?? stats).total.warmupMessages,
      },
      latency: stats.histogram.summary(),
      ...(sendStats ? { sendLatency: sendStats.histogram.summary() as LatencySummary } : {}),
      errors: {
        total: errorsFrom.sendFailed + errorsFrom.responseFailed + (sendStats ? total.sendFailed + total.responseFailed : 0),
        sendFailed: errorsFrom.sendFailed,
        responseFailed: errorsFrom.responseFailed,
        byKind: { ...errorsFrom.errors, ...(sendStats ? total.errors : {}) },
      },
      cpu: cpuTotal!,
      intervals,
      outcomes: { ...total.outcomes, ...result.outcomes },
      ...(result.stored ? { stored: result.stored } : {}),
      histogram: stats.histogram.encode(),
    };
    if (settings.assertions.length > 0) report.assertions = evaluateAssertions(settings.assertions, report);
    if (settings.reportFile !== undefined) writeFileSync(settings.reportFile, `${JSON.stringify(report, null, 2)}\n`);
    if (settings.plotFile !== undefined) writeFileSync(settings.plotFile, /\.html?$/i.test(settings.plotFile) ? renderHtml(report) : renderSvg(report));
    return { report, ...(baseline ? { comparison: compareReports(baseline, report) } : {}) };
  } finally {
    clearInterval(ticker);
    clearTimeout(warmupTimer);
    await live?.stop();
    await admin?.shutdown();
    await cluster?.stop();
  }
}
