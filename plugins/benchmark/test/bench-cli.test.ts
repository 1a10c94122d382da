/**
 * `rockit bench` as users run it: bin/rockit in a child process (CI=1, output piped) against a cluster started in
 * this process. Counts in the reports are checked against what the broker stored (topic max offsets read with
 * AdminClient here, independently of the report's own Stored line).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedCluster, type EmbeddedCluster } from '@rockit/broker';
import { AdminClient, LitePullConsumer, type MessageExt } from '@rockit/client';
import { reportProblems } from './report-schema.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(REPO, 'bin', 'rockit');
// Escape sequences of any kind (colours, cursor moves, line erases).
// eslint-disable-next-line no-control-regex -- matching terminal escape codes is the point
const ESC = /\u001b[[\]()#;?]*[0-9;]*[A-Za-z]?/;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function rockit(args: string[], timeoutMs = 60_000, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: timeoutMs, env: { ...process.env, CI: '1', ROCKIT_LOG_LEVEL: 'warn', ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function rockitWithHome(home: string, args: string[]): Promise<Run> {
  mkdirSync(home, { recursive: true });
  return rockit(args, 60_000, { HOME: home });
}

interface Report {
  kind: string;
  totals: { messages: number; bytes: number; msgPerSec: number };
  latency: { count: number; p99: number };
  sendLatency?: { count: number };
  errors: { total: number };
  outcomes: Record<string, number>;
  stored?: { delta: number };
  intervals: unknown[];
  assertions?: { expression: string; ok: boolean }[];
  comparison?: { metric: string; deltaPercent: number | null }[];
}

function parseReport(run: Run): Report {
  expect(run.stderr).not.toMatch(ESC);
  expect(run.stdout).not.toMatch(ESC);
  const report = JSON.parse(run.stdout) as Report;
  expect(reportProblems(report)).toEqual([]);
  return report;
}

describe('rockit bench', () => {
  let cluster: EmbeddedCluster;
  let admin: AdminClient;
  let dir: string;
  let n: string;

  const maxOffset = async (topic: string): Promise<number> => {
    let sum = 0;
    for (const [, o] of (await admin.examineTopicStats(topic)).entries()) sum += o.maxOffset;
    return sum;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rockit-bench-test-'));
    cluster = await startEmbeddedCluster({
      memory: true,
      topics: ['BenchTopic', 'TagTopic', 'TxTopic', 'E2eTopic', 'WorkerTopic', 'UniqTopic', 'BinaryTopic'],
      brokerConfig: { enablePropertyFilter: true },
    });
    n = cluster.namesrvAddr;
    admin = new AdminClient({ namesrvAddr: n });
    await admin.start();
  }, 60_000);

  afterAll(async () => {
    await admin?.shutdown();
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('produce sends --count messages, reports them as stored, and consume reads exactly those back', async () => {
    const before = await maxOffset('BenchTopic');
    const report = join(dir, 'produce.json');
    const produced = parseReport(await rockit(['bench', 'produce', '-n', n, '-t', 'BenchTopic', '--count', '1500', '--mode', 'async', '-w', '32', '-s', '256', '--json', '--report', report]));
    expect(produced.kind).toBe('produce');
    expect(produced.totals.messages).toBe(1500);
    expect(produced.totals.bytes).toBe(1500 * 256);
    expect(produced.latency.count).toBe(1500);
    expect(produced.errors.total).toBe(0);
    expect(produced.stored?.delta).toBe(1500);
    expect(await maxOffset('BenchTopic')).toBe(before + 1500);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual(produced);

    const consumed = parseReport(await rockit(['bench', 'consume', '-n', n, '-t', 'BenchTopic', '-g', 'bench_test_all', '--from', 'first', '--count', String(before + 1500), '--json']));
    expect(consumed.kind).toBe('consume');
    expect(consumed.totals.messages).toBe(before + 1500);
    expect(consumed.latency.count).toBe(before + 1500);
  }, 90_000);

  it('--serialize-type ROCKETMQ (or ROCKETMQ_SERIALIZE_TYPE) makes every client of the run speak binary headers', async () => {
    // Requests the broker gets while the child runs (this test's own AdminClient speaks JSON, outside those spans).
    const seen = new Map<number, number>();
    let recording = false;
    cluster.brokers[0]!.controller.server.registerRPCHook({
      doBeforeRequest: (_addr, req) => void (recording && seen.set(req.serializeType, (seen.get(req.serializeType) ?? 0) + 1)),
    });
    const before = await maxOffset('BinaryTopic');
    recording = true;
    const produced = parseReport(
      await rockit(['bench', 'produce', '-n', n, '-t', 'BinaryTopic', '--count', '700', '--mode', 'async', '-w', '16', '--workers', '1', '--serialize-type', 'ROCKETMQ', '--json']),
    ) as Report & { config: { serializeType: string } };
    recording = false;
    expect(produced.config.serializeType).toBe('ROCKETMQ');
    expect(produced.totals.messages).toBe(700);
    expect(produced.stored?.delta).toBe(700);
    expect(await maxOffset('BinaryTopic')).toBe(before + 700);
    expect(seen.get(1)).toBeGreaterThanOrEqual(700);
    expect(seen.get(0) ?? 0).toBe(0);
    seen.clear();
    recording = true;
    const consumed = parseReport(
      await rockit(['bench', 'consume', '-n', n, '-t', 'BinaryTopic', '-g', 'bench_test_binary', '--from', 'first', '--count', String(before + 700), '--json'], 60_000, {
        ROCKETMQ_SERIALIZE_TYPE: 'ROCKETMQ',
      }),
    ) as Report & { config: { serializeType: string } };
    recording = false;
    expect(consumed.config.serializeType).toBe('ROCKETMQ');
    expect(consumed.totals.messages).toBe(before + 700);
    // Pulls, heartbeats and offset commits alike.
    expect(seen.get(1)).toBeGreaterThan(0);
    expect(seen.get(0) ?? 0).toBe(0);
    const bad = await rockit(['bench', 'produce', '-n', n, '--count', '10'], 60_000, { ROCKETMQ_SERIALIZE_TYPE: 'XML' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ROCKETMQ_SERIALIZE_TYPE must be JSON or ROCKETMQ, not "XML"');
  });

  it('produce with --workers splits the load over threads and still counts every message once', async () => {
    const before = await maxOffset('WorkerTopic');
    const r = parseReport(await rockit(['bench', 'produce', '-n', n, '-t', 'WorkerTopic', '--count', '1001', '--workers', '2', '--producers', '2', '-w', '8', '--batch', '7', '--json']));
    // 1001 = 2 workers x (500 or 501) sends claimed 7 at a time: every claimed batch is sent whole.
    expect(r.totals.messages).toBe(r.stored?.delta);
    expect(r.totals.messages).toBeGreaterThanOrEqual(1001);
    expect(r.latency.count).toBeGreaterThan(0);
    expect(await maxOffset('WorkerTopic')).toBe(before + r.totals.messages);
  }, 60_000);

  it('async produce gives every message its own msgId and key, and rotates tags, although each lane reuses one message', async () => {
    const r = parseReport(await rockit(['bench', 'produce', '-n', n, '-t', 'UniqTopic', '--count', '600', '--mode', 'async', '-w', '8', '--keys', '--tags', 'TagA,TagB', '--json']));
    expect(r.totals.messages).toBe(600);
    const consumer = new LitePullConsumer({ namesrvAddr: n, consumerGroup: 'bench_test_uniq', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    consumer.subscribe('UniqTopic');
    await consumer.start();
    const got: MessageExt[] = [];
    try {
      const deadline = Date.now() + 20_000;
      while (got.length < 600 && Date.now() < deadline) got.push(...(await consumer.poll(100)));
    } finally {
      await consumer.shutdown();
    }
    expect(got).toHaveLength(600);
    expect(new Set(got.map((m) => m.msgId)).size).toBe(600);
    expect(new Set(got.map((m) => m.keys.join(' '))).size).toBe(600);
    expect(got.filter((m) => m.tags === 'TagA')).toHaveLength(300);
    expect(got.filter((m) => m.tags === 'TagB')).toHaveLength(300);
  }, 60_000);

  it('consume --tag, --sql and --broadcast receive what their subscription selects', async () => {
    await rockit(['bench', 'produce', '-n', n, '-t', 'TagTopic', '--count', '400', '--tags', 'TagA,TagB', '--json']);
    const home = join(dir, 'home'); // broadcasting keeps its offsets under ~/.rocketmq_offsets
    const [tag, sql, broadcast] = await Promise.all([
      rockit(['bench', 'consume', '-n', n, '-t', 'TagTopic', '-g', 'bench_test_tag', '--tag', 'TagA', '--from', 'first', '-d', '4', '--json']),
      rockit(['bench', 'consume', '-n', n, '-t', 'TagTopic', '-g', 'bench_test_sql', '--sql', "TAGS = 'TagB'", '--from', 'first', '-d', '4', '--json']),
      rockitWithHome(home, ['bench', 'consume', '-n', n, '-t', 'TagTopic', '-g', 'bench_test_bc', '--broadcast', '--from', 'first', '-d', '4', '--json']),
    ]);
    expect(parseReport(tag).totals.messages).toBe(200);
    expect(parseReport(sql).totals.messages).toBe(200);
    expect(parseReport(broadcast).totals.messages).toBe(400);
  }, 60_000);

  it('e2e receives every message it sent after the warm-up, and the topic grew by those and the warm-up ones', async () => {
    const before = await maxOffset('E2eTopic');
    const r = parseReport(await rockit(['bench', 'e2e', '-n', n, '-t', 'E2eTopic', '--rate', '400', '-d', '1500ms', '--warmup', '500ms', '--json']));
    expect(r.kind).toBe('e2e');
    expect(r.outcomes.sent).toBeGreaterThan(0);
    expect(r.outcomes.received).toBe(r.outcomes.sent);
    expect(r.outcomes.lost).toBe(0);
    expect(r.totals.messages).toBe(r.outcomes.sent);
    expect(r.sendLatency?.count).toBe(r.outcomes.sent);
    const warmup = (r.totals as { warmupMessages?: number }).warmupMessages!;
    expect(warmup).toBeGreaterThan(0);
    expect(await maxOffset('E2eTopic')).toBe(before + r.outcomes.sent! + warmup);
  }, 60_000);

  it('tx commits, rolls back and leaves unknown per the mix; the topic holds the commits', async () => {
    const before = await maxOffset('TxTopic');
    const r = parseReport(await rockit(['bench', 'tx', '-n', n, '-t', 'TxTopic', '--count', '300', '--commit', '70', '--rollback', '20', '--unknown', '10', '-w', '8', '--json']));
    expect(r.totals.messages).toBe(300);
    expect(r.outcomes).toEqual({ COMMIT_MESSAGE: 210, ROLLBACK_MESSAGE: 60, UNKNOW: 30 });
    expect(r.stored?.delta).toBe(210);
    expect(await maxOffset('TxTopic')).toBe(before + 210);
  }, 60_000);

  it('--assert exits 0 when every assertion holds and 1 naming each one that failed', async () => {
    const pass = await rockit(['bench', 'produce', '-n', n, '--count', '200', '--assert', 'errors==0', '--assert', 'tps>0', '--assert', 'p99<=60s']);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain('PASS errors==0');
    expect(pass.stdout).toContain('PASS p99<=60s');

    const fail = await rockit(['bench', 'produce', '-n', n, '--count', '200', '--assert', 'errors==0', '--assert', 'p99<=1us', '--assert', 'tps>=1000000000']);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('FAIL p99<=1us');
    expect(fail.stderr).toContain('assertion failed: p99<=1us');
    expect(fail.stderr).toContain('assertion failed: tps>=1000000000');
    expect(fail.stderr).not.toContain('errors==0');

    const json = await rockit(['bench', 'produce', '-n', n, '--count', '100', '--assert', 'max<1us', '--json']);
    expect(json.code).toBe(1);
    const r = parseReport(json);
    expect(r.assertions).toEqual([expect.objectContaining({ expression: 'max<1us', ok: false })]);

    const bad = await rockit(['bench', 'produce', '-n', n, '--count', '10', '--assert', 'p99<=20parsecs']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unit "parsecs"');
  }, 90_000);

  it('prints plain interval lines and a summary when piped, --compare prints deltas, --plot writes an SVG', async () => {
    const baseline = join(dir, 'baseline.json');
    writeFileSync(baseline, (await rockit(['bench', 'produce', '-n', n, '--count', '300', '--json'])).stdout);
    const svg = join(dir, 'plot.svg');
    const run = await rockit(['bench', 'produce', '-n', n, '-d', '1500ms', '--interval', '500ms', '--rate', '2000', '--compare', baseline, '--plot', svg]);
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(ESC);
    expect(run.stderr).toMatch(/\[\s+0\.5s\] Send TPS: \d+ \| Max RT\(ms\): [\d.]+ \| Average RT\(ms\): [\d.]+ \| Send Failed: 0 \| Response Failed: 0/);
    expect(run.stdout).toMatch(/Throughput\s*: [\d,]+ msg\/s/);
    expect(run.stdout).toMatch(/Send RT \(ms\)\s*: p50 [\d.]+ +p90 [\d.]+ +p99 [\d.]+ +p99\.9 [\d.]+ +max [\d.]+/);
    expect(run.stdout).toMatch(/Client CPU\s*: [\d.]+% of one core/);
    expect(run.stdout).toContain(`Against ${baseline}`);
    expect(run.stdout).toMatch(/msg\/s\s+[\d.]+ msg\/s\s+[\d.]+ msg\/s\s+[+-]?[\d.]+%\s+(better|worse|same)/);

    const text = readFileSync(svg, 'utf8');
    expect(text.startsWith('<?xml')).toBe(true);
    expect(text).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(text.match(/<polyline /g)?.length).toBe(3);
    expect(unbalancedTags(text)).toEqual([]);
  }, 60_000);
});

/** A well-formedness check small enough to trust: every open tag closed in order (self-closing ones aside). */
function unbalancedTags(xml: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of xml.replace(/<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (!closing) stack.push(name!);
    else if (stack.pop() !== name) problems.push(`</${name}> closes the wrong element`);
  }
  return [...problems, ...stack.map((s) => `<${s}> never closed`)];
}

describe('rockit bench against its own test servers', () => {
  it('fails in one line before any load when no name server answers, or the name server knows no broker', async () => {
    // Port 1 on loopback: nothing listens there.
    const unreachable = await rockit(['bench', 'produce', '-n', '127.0.0.1:1', '--count', '10']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toBe('');
    expect(unreachable.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: cannot reach the cluster at 127\.0\.0\.1:1: no name server of \[127\.0\.0\.1:1\] answered .*connect/)]);

    const cluster = await startEmbeddedCluster({ memory: true });
    try {
      // Shutting the broker down unregisters it: the name server still answers, but routes nowhere.
      await cluster.brokers[0]!.controller.shutdown();
      const empty = await rockit(['bench', 'consume', '-n', cluster.namesrvAddr, '-t', 'T', '-g', 'g', '--count', '1', '--json']);
      expect(empty.code).toBe(1);
      expect(JSON.parse(empty.stdout)).toEqual({ error: expect.objectContaining({ message: `the name server at ${cluster.namesrvAddr} knows no broker: start one, or check -n` }) });
    } finally {
      await cluster.close();
    }
  }, 60_000);

  it('--start runs against a cluster of its own and stops it afterwards', async () => {
    const run = await rockit(['bench', 'produce', '--start', '--count', '300', '--mode', 'async', '-t', 'StartTopic', '--json'], 120_000);
    const r = parseReport(run) as Report & { environment: { cluster: { started: boolean; brokers: number }; namesrvAddr: string } };
    expect(r.environment.cluster).toMatchObject({ started: true, brokers: 1 });
    expect(r.totals.messages).toBe(300);
    expect(r.stored?.delta).toBe(300);
    // The cluster is gone: its name server no longer answers.
    const probe = new AdminClient({ namesrvAddr: r.environment.namesrvAddr, adminTimeoutMillis: 1000, mqClientApiTimeout: 1000 });
    await probe.start();
    await expect(probe.getClusterInfo()).rejects.toThrow();
    await probe.shutdown();
  }, 150_000);

  it('a broker on the discarding store acknowledges every send and keeps nothing', async () => {
    const { discardingStoreFactory } = (await import(new URL('../../../scripts/discarding-store.js', import.meta.url).href)) as {
      discardingStoreFactory: (counter: { puts: number }) => NonNullable<Parameters<typeof startEmbeddedCluster>[0]>['storeFactory'];
    };
    const counter = { puts: 0 };
    const cluster = await startEmbeddedCluster({ memory: true, topics: ['DiscardTopic'], storeFactory: discardingStoreFactory(counter) });
    try {
      const r = parseReport(await rockit(['bench', 'produce', '-n', cluster.namesrvAddr, '-t', 'DiscardTopic', '--count', '1000', '--mode', 'async', '-s', '1024', '--json']));
      expect(r.totals.messages).toBe(1000);
      expect(r.errors.total).toBe(0);
      expect(counter.puts).toBe(1000);
      expect(r.stored?.delta).toBe(0);
    } finally {
      await cluster.close();
    }
  }, 60_000);

  it('the discarding front answers every single send itself, in JSON and ROCKETMQ headers, and relays the rest', async () => {
    type Counter = { puts: number; answered: number; relayed: number };
    const { startDiscardingBroker } = (await import(new URL('../../../scripts/discarding-broker.js', import.meta.url).href)) as {
      startDiscardingBroker: (o: { topics: string[] }) => Promise<{ namesrvAddr: string; counter: Counter; close(): Promise<void> }>;
    };
    const front = await startDiscardingBroker({ topics: ['DiscardTopic'] });
    try {
      const produce = (...extra: string[]) =>
        rockit(['bench', 'produce', '-n', front.namesrvAddr, '-t', 'DiscardTopic', '--count', '1000', '-s', '1024', '--json', ...extra]);
      const json = parseReport(await produce('--mode', 'async', '--serialize-type', 'JSON'));
      expect(json.totals.messages).toBe(1000);
      expect(json.errors.total).toBe(0);
      expect(front.counter.answered).toBe(1000);
      // Heartbeats and the max-offset reads went to the broker behind the front, which stored nothing.
      expect(front.counter.relayed).toBeGreaterThan(0);
      expect(json.stored?.delta).toBe(0);

      const binary = parseReport(await produce('--mode', 'sync', '-w', '8', '--serialize-type', 'ROCKETMQ'));
      expect(binary.totals.messages).toBe(1000);
      expect(binary.errors.total).toBe(0);
      expect(front.counter.answered).toBe(2000);

      // Batches are not answered by the front: the discarding store behind it acknowledges them.
      const batches = parseReport(await produce('--mode', 'sync', '--batch', '10'));
      expect(batches.totals.messages).toBe(1000);
      expect(batches.errors.total).toBe(0);
      expect(front.counter.answered).toBe(2000);
      expect(front.counter.puts).toBe(3000);
    } finally {
      await front.close();
    }
  }, 90_000);
});
