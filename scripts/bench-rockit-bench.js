#!/usr/bin/env node
// The numbers of docs/benchmarks.md "## rockit bench": `rockit bench` (a child process, as users run it) against
// rockit dev-like clusters this script hosts in its own process (startEmbeddedCluster, file store in a temp dir):
//   1. produce: 128 B and 1 KiB, sync (-w 64) and async (-w 256) sends, 1 and 3 producers, ASYNC_FLUSH and SYNC_FLUSH;
//   2. catch-up: a BENCH_BACKLOG-message backlog (default 1,000,000) produced, then consumed from the first offset;
//   4. e2e at 1000 and 5000 msg/s and a transactional run (80 % commit, 10 % rollback, 10 % unknown);
//   3. the load generator's headroom: 1 KiB async against rockit's ASYNC_FLUSH broker, against a broker on the
//      discarding store (the broker's send path, nothing kept) and against the discarding front (sends answered
//      without decoding, scripts/discarding-broker.js), with JSON and with ROCKETMQ headers (BENCH_SERIALIZE) and
//      BENCH_WORKERS generator threads (default "1,2"); the generator must reach >= 1.5x the broker's best.
// Run with `pnpm build && node scripts/bench-rockit-bench.js` (BENCH_SECONDS per run, default 5; BENCH_WARMUP
// default 2; BENCH_ONLY=produce|headroom|catchup|e2e). Prints Markdown tables; every row carries the load average.
import { execFile } from 'node:child_process';
import console from 'node:console';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { startEmbeddedCluster } from '../packages/broker/dist/index.js';
import { startDiscardingBroker } from './discarding-broker.js';
import { discardingStoreFactory } from './discarding-store.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 1_000_000);
const ONLY = process.env.BENCH_ONLY;
const HEADROOM_WORKERS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
// Header serializations the headroom is measured with: JSON (RocketMQ's default) and ROCKETMQ (binary).
const HEADROOM_SERIALIZE = (process.env.BENCH_SERIALIZE ?? 'JSON,ROCKETMQ').split(',');

function bench(args) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(REPO, 'bin', 'rockit'), 'bench', ...args, '--json'], { env: { ...process.env, CI: '1' }, maxBuffer: 64 << 20, timeout: 30 * 60_000 }, (err, stdout, stderr) => {
      if (err && !stdout) reject(new Error(`rockit bench ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

const la = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const row = (cells) => `| ${cells.join(' | ')} |`;
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const errorsCell = (r) => (r.errors.total === 0 ? '0' : `${r.errors.total} (${Object.entries(r.errors.byKind).map(([k, v]) => `${k} ${v}`).join(', ')})`);

async function withCluster(options, fn) {
  const dataDir = mkdtempSync(join(tmpdir(), 'rockit-bench-method-'));
  const cluster = await startEmbeddedCluster({ dataDir, topics: ['BenchTopic'], ...options });
  try {
    return await fn(cluster.namesrvAddr);
  } finally {
    await cluster.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function produceMatrix() {
  console.log(`\n### Produce (${SECONDS} s measured after ${WARMUP} s warm-up per row)\n`);
  console.log(row(['flush', 'size', 'mode', 'producers', 'msg/s', 'MB/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'errors', 'client CPU %', 'load avg (1/5/15 min)']));
  console.log(row(Array(13).fill('---')));
  for (const flush of ['ASYNC_FLUSH', 'SYNC_FLUSH']) {
    await withCluster({ brokerConfig: { flushDiskType: flush } }, async (n) => {
      for (const size of [128, 1024]) {
        for (const mode of ['sync', 'async']) {
          for (const producers of [1, 3]) {
            const r = await bench(['produce', '-n', n, '-t', 'BenchTopic', '-s', String(size), '--mode', mode, '-w', mode === 'sync' ? '64' : '256', '--producers', String(producers), '-d', String(SECONDS), '--warmup', String(WARMUP)]);
            const l = r.latency;
            console.log(row([flush, `${size} B`, mode, producers, fmt(r.totals.msgPerSec), r.totals.mbPerSec.toFixed(2), l.p50, l.p99, l.p999, l.max, errorsCell(r), r.cpu.percentOfOneCore, r.environment.loadAverage.join(' ')]));
          }
        }
      }
    });
  }
}

async function catchUp() {
  console.log(`\n### Catch-up of a ${fmt(BACKLOG)}-message backlog (128 B, ASYNC_FLUSH)\n`);
  console.log(row(['step', 'messages', 'seconds', 'msg/s', 'MB/s', 'client CPU %', 'load avg']));
  console.log(row(Array(7).fill('---')));
  await withCluster({ brokerConfig: { flushDiskType: 'ASYNC_FLUSH' } }, async (n) => {
    const p = await bench(['produce', '-n', n, '-t', 'BenchTopic', '-s', '128', '--mode', 'async', '-w', '256', '--producers', '3', '--count', String(BACKLOG)]);
    console.log(row(['produce the backlog', fmt(p.totals.messages), (p.totals.durationMs / 1000).toFixed(1), fmt(p.totals.msgPerSec), p.totals.mbPerSec.toFixed(2), p.cpu.percentOfOneCore, p.environment.loadAverage.join(' ')]));
    const c = await bench(['consume', '-n', n, '-t', 'BenchTopic', '-g', 'catch_up', '--from', 'first', '--count', String(BACKLOG), '-w', '64']);
    console.log(row(['consume it from the first offset', fmt(c.totals.messages), (c.totals.durationMs / 1000).toFixed(1), fmt(c.totals.msgPerSec), c.totals.mbPerSec.toFixed(2), c.cpu.percentOfOneCore, c.environment.loadAverage.join(' ')]));
  });
}

async function headroom() {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  console.log(`\n### Load generator headroom: 1 KiB async, -w 512, 2 producers (${SECONDS} s after ${WARMUP} s warm-up, ${rounds} rounds alternating)\n`);
  console.log(row(['headers', 'workers', 'server', 'msg/s', 'MB/s', 'p99 ms', 'errors', 'client CPU %', 'msgs per client CPU-s', 'server CPU %', 'msgs per server CPU-s', 'load avg']));
  console.log(row(Array(12).fill('---')));
  const args = (n, serialize, workers) => ['produce', '-n', n, '-t', 'BenchTopic', '-s', '1024', '--mode', 'async', '-w', '512', '--producers', '2', '--workers', String(workers), '--serialize-type', serialize, '-d', String(SECONDS), '--warmup', String(WARMUP)];
  const BROKER = 'rockit broker, ASYNC_FLUSH file store';
  const servers = [
    [BROKER, (fn) => withCluster({ brokerConfig: { flushDiskType: 'ASYNC_FLUSH' } }, fn)],
    ['test broker on the discarding store', (fn) => withCluster({ memory: true, storeFactory: discardingStoreFactory() }, fn)],
    ['discarding front (test server)', async (fn) => {
      const front = await startDiscardingBroker({ topics: ['BenchTopic'] });
      try {
        return await fn(front.namesrvAddr);
      } finally {
        await front.close();
      }
    }],
  ];
  const rates = new Map();
  for (const serialize of HEADROOM_SERIALIZE) {
    for (let round = 0; round < rounds; round++) {
      for (const workers of HEADROOM_WORKERS) {
        for (const [name, start] of servers) {
          await start(async (n) => {
            // The servers live in this process, which does nothing else meanwhile: its CPU time is theirs.
            const cpu0 = process.cpuUsage();
            const t0 = performance.now();
            const r = await bench(args(n, serialize, workers));
            const u = process.cpuUsage(cpu0);
            const serverCpu = ((u.user + u.system) / 1000 / (performance.now() - t0)) * 100;
            const serverMsgs = r.totals.messages + r.totals.warmupMessages;
            const key = `${serialize} ${name}`;
            rates.set(key, [...(rates.get(key) ?? []), r.totals.msgPerSec]);
            const perClientCpu = r.totals.msgPerSec / (r.cpu.percentOfOneCore / 100);
            const perServerCpu = serverMsgs / ((u.user + u.system) / 1e6);
            console.log(row([serialize, workers, name, fmt(r.totals.msgPerSec), r.totals.mbPerSec.toFixed(2), r.latency.p99, errorsCell(r), r.cpu.percentOfOneCore, fmt(perClientCpu), serverCpu.toFixed(1), fmt(perServerCpu), r.environment.loadAverage.join(' ')]));
          });
        }
      }
    }
  }
  console.log('');
  for (const serialize of HEADROOM_SERIALIZE) {
    const best = (name) => Math.max(...rates.get(`${serialize} ${name}`));
    const broker = best(BROKER);
    for (const [name] of servers.slice(1)) {
      console.log(`${serialize} headers: best rate against the ${name} / best rate against the broker: ${fmt(best(name))} / ${fmt(broker)} = ${(best(name) / broker).toFixed(2)}x (target >= 1.5x)`);
    }
  }
  console.log(`load average now ${la()}`);
}

async function e2eAndTx() {
  console.log(`\n### End to end at a fixed rate, and transactions (1 KiB, ASYNC_FLUSH, ${SECONDS} s after ${WARMUP} s warm-up)\n`);
  console.log(row(['run', 'msg/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'outcomes', 'errors', 'client CPU %', 'load avg']));
  console.log(row(Array(10).fill('---')));
  await withCluster({ brokerConfig: { flushDiskType: 'ASYNC_FLUSH' } }, async (n) => {
    const runs = [
      ['e2e --rate 1000', ['e2e', '--rate', '1000']],
      ['e2e --rate 5000', ['e2e', '--rate', '5000', '-w', '64']],
      ['tx 80/10/10, -w 64', ['tx', '-w', '64', '--commit', '80', '--rollback', '10', '--unknown', '10']],
    ];
    for (const [name, args] of runs) {
      const r = await bench([...args, '-n', n, '-t', 'BenchTopic', '-s', '1024', '-d', String(SECONDS), '--warmup', String(WARMUP)]);
      const l = r.latency;
      const outcomes = Object.entries(r.outcomes).map(([k, v]) => `${k} ${v}`).join(', ');
      console.log(row([name, fmt(r.totals.msgPerSec), l.p50, l.p99, l.p999, l.max, outcomes, errorsCell(r), r.cpu.percentOfOneCore, r.environment.loadAverage.join(' ')]));
    }
  });
}

console.log(`rockit bench method runs on ${process.platform} ${process.arch}, node ${process.version}, load average ${la()} at start`);
if (!ONLY || ONLY === 'produce') await produceMatrix();
if (!ONLY || ONLY === 'headroom') await headroom();
if (!ONLY || ONLY === 'catchup') await catchUp();
if (!ONLY || ONLY === 'e2e') await e2eAndTx();
