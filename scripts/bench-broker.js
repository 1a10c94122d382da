#!/usr/bin/env node
// Broker benchmark (issue #4 "Performance"): `rockit dev` runs as a CHILD process (file store in a temp dir, its
// defaults: ASYNC_FLUSH); this process drives it over TCP and reads the child's CPU time and RSS from /proc.
//   1. sends: 1 KiB SEND_MESSAGE_V2 requests with N in flight (16, then 64), each slot sending its next message when
//      the previous one is acknowledged (like N synchronous sender threads); per-send latency into a sample array.
//   2. backlog: the topic is filled up to BENCH_BACKLOG messages (64 in flight, not reported as a send figure).
//   3. drain: a new consumer group pulls every queue from offset 0 to its end (PULL_MESSAGE, 32 per pull, one
//      pull in flight per queue, no long polling), counting records in the returned bodies without decoding them.
// The load generator is a raw @rockit/remoting RemotingClient by default (BENCH_CLIENT=raw: the same header and
// properties a Java producer sends, JSON-serialized, UNIQ_KEY per message), since the client shares the 2 cores with
// the broker; BENCH_CLIENT=producer uses @rockit/client's Producer.sendAsync instead.
// Run with `pnpm bench:broker` (builds first). Knobs: BENCH_SECONDS (per send phase, default 10), BENCH_INFLIGHT
// (default "16,64"; "" skips the send phases), BENCH_BACKLOG (default 1000000), BENCH_QUEUES (default 8), BENCH_PROF=<dir> (the child writes
// a --cpu-prof profile there at exit).
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import console from 'node:console';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createLogger, Message } from '../packages/common/dist/index.js';
import {
  PullMessageRequestHeader,
  RemotingClient,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  SendMessageRequestHeaderV2,
  encodeHeader,
} from '../packages/remoting/dist/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const INFLIGHTS = (process.env.BENCH_INFLIGHT ?? '16,64').split(',').map(Number).filter((n) => n > 0); // '' = drain only
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 1_000_000);
const QUEUES = Number(process.env.BENCH_QUEUES ?? 8);
const CLIENT = process.env.BENCH_CLIENT ?? 'raw';
const PROF = process.env.BENCH_PROF;
const TOPIC = 'BenchBroker';
const BODY = Buffer.alloc(1024, 'x');
const CLK_TCK = 100; // USER_HZ on Linux
const silent = createLogger('bench', { level: 'silent' });
const root = fileURLToPath(new URL('..', import.meta.url));

async function freePort() {
  const srv = createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** The child's user+system CPU seconds and resident set, from /proc. */
function brokerCpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime (14), stime (15)
}
function brokerRssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const dataDir = mkdtempSync(join(tmpdir(), 'rockit-bench-broker-'));
const namesrvPort = await freePort();
const brokerPort = await freePort();
const nodeArgs = PROF ? ['--cpu-prof', '--cpu-prof-dir', PROF] : [];
const child = spawn(
  process.execPath,
  [...nodeArgs, join(root, 'bin/rockit'), 'dev', '--json', '--data-dir', dataDir, '--namesrv-port', String(namesrvPort), '--broker-port', String(brokerPort), '-t', TOPIC],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
const childExit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
let out = '';
child.stdout.on('data', (d) => (out += d));
const endpoints = await Promise.race([
  (async () => {
    for (;;) {
      const i = out.indexOf('}\n', out.indexOf('"pid"'));
      if (out.includes('"pid"') && i >= 0) return JSON.parse(out.slice(out.indexOf('{'), i + 1));
      await sleep(50);
    }
  })(),
  childExit.then((e) => {
    throw new Error(`rockit dev exited before it was up (${JSON.stringify(e)})`);
  }),
]);
const pid = child.pid;
const brokerAddr = endpoints.brokers[0].addr;
const namesrvAddr = endpoints.namesrvAddr;
const client = new RemotingClient({ logger: silent });
const results = { sends: [], backlog: undefined, drain: undefined };
const f = (n) => Math.round(n).toLocaleString('en-US');

// Topic with BENCH_QUEUES queues (dev's -t creates it with the default 8; re-create when asked for another count).
if (QUEUES !== 8) {
  const r = await client.invokeSync(
    brokerAddr,
    RemotingCommand.createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, {
      topic: TOPIC,
      defaultTopic: 'TBW102',
      readQueueNums: String(QUEUES),
      writeQueueNums: String(QUEUES),
      perm: '6',
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: '0',
      order: 'false',
    }),
  );
  if (r.code !== ResponseCode.SUCCESS) throw new Error(`topic creation failed: ${r.remark}`);
}

// ---- load generators: send() resolves when the broker acknowledged one message ----
let seq = 0;
let send;
let producer;
if (CLIENT === 'producer') {
  const { Producer } = await import('../packages/client/dist/index.js');
  producer = new Producer({ namesrvAddr, producerGroup: 'PG_bench_broker', logger: silent });
  await producer.start();
  send = async () => {
    const r = await producer.sendAsync(new Message(TOPIC, BODY, { tags: 'TagA' }));
    if (r.sendStatus !== 'SEND_OK') throw new Error(r.sendStatus);
  };
} else {
  const uniqPrefix = `7F000001${process.pid.toString(16).toUpperCase().padStart(4, '0')}${Date.now().toString(16).toUpperCase()}`;
  send = async () => {
    const n = seq++;
    const header = encodeHeader(
      {
        producerGroup: 'PG_bench_broker',
        topic: TOPIC,
        defaultTopic: 'TBW102',
        defaultTopicQueueNums: 4,
        queueId: n % QUEUES,
        sysFlag: 0,
        bornTimestamp: Date.now(),
        flag: 0,
        properties: `UNIQ_KEY\u0001${uniqPrefix}${n.toString(16).toUpperCase().padStart(8, '0')}\u0002WAIT\u0001true\u0002TAGS\u0001TagA\u0002`,
        reconsumeTimes: 0,
        unitMode: false,
        batch: false,
        bname: 'broker-a',
      },
      SendMessageRequestHeaderV2,
    );
    const r = await client.invokeSync(brokerAddr, RemotingCommand.createRequest(RequestCode.SEND_MESSAGE_V2, header, BODY), 10_000);
    if (r.code !== ResponseCode.SUCCESS) throw new Error(`send failed: ${r.code} ${r.remark}`);
  };
}

/** Runs `inflight` send loops for `seconds` (or until `total` sends started); returns latencies in ms. */
async function sendPhase(inflight, seconds, total = Infinity) {
  const lat = [];
  let started = 0;
  const until = performance.now() + seconds * 1000;
  const loop = async () => {
    while (started < total && performance.now() < until) {
      started++;
      const t0 = performance.now();
      await send();
      lat.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inflight }, loop));
  return lat;
}

/** Samples the child's RSS every 250 ms while `fn` runs; returns fn's result, wall s, CPU s, peak RSS, load. */
async function measured(fn) {
  let peak = brokerRssMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, brokerRssMiB(pid))), 250);
  const load0 = loadavg()[0];
  const cpu0 = brokerCpuSeconds(pid);
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  const mono0 = process.hrtime.bigint() / 1000n;
  const value = await fn();
  if (PROF) console.error(`window (monotonic µs, to cut the profile): ${mono0} ${process.hrtime.bigint() / 1000n}`);
  const wall = (performance.now() - t0) / 1000;
  const cpu = brokerCpuSeconds(pid) - cpu0;
  const own = process.cpuUsage(own0);
  clearInterval(timer);
  peak = Math.max(peak, brokerRssMiB(pid));
  return { value, wall, cpu, clientCpu: (own.user + own.system) / 1e6, rss: brokerRssMiB(pid), peakRss: peak, load: [load0, loadavg()[0]] };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

try {
  await sendPhase(64, 2); // warm-up: JIT on both sides, first segment and index file created
  for (const inflight of INFLIGHTS) {
    const m = await measured(() => sendPhase(inflight, SECONDS));
    const lat = m.value.sort((a, b) => a - b);
    const n = lat.length;
    const row = {
      inflight,
      messages: n,
      wall: +m.wall.toFixed(2),
      msgsPerSecond: Math.round(n / m.wall),
      avgMs: +(lat.reduce((s, x) => s + x, 0) / n).toFixed(3),
      p50Ms: +pct(lat, 50).toFixed(3),
      p99Ms: +pct(lat, 99).toFixed(3),
      p999Ms: +pct(lat, 99.9).toFixed(3),
      maxMs: +lat[n - 1].toFixed(3),
      brokerCpu: +m.cpu.toFixed(2),
      brokerCores: +(m.cpu / m.wall).toFixed(2),
      msgsPerBrokerCpuSecond: Math.round(n / m.cpu),
      clientCpu: +m.clientCpu.toFixed(2),
      rssMiB: Math.round(m.rss),
      peakRssMiB: Math.round(m.peakRss),
      load: m.load.map((x) => +x.toFixed(1)),
    };
    results.sends.push(row);
    console.error(`sends, ${inflight} in flight: ${JSON.stringify(row)}`);
  }

  // ---- backlog ----
  const stored = async () => {
    let sum = 0;
    for (let q = 0; q < QUEUES; q++) {
      const r = await client.invokeSync(brokerAddr, RemotingCommand.createRequest(RequestCode.GET_MAX_OFFSET, { topic: TOPIC, queueId: String(q) }));
      sum += Number(r.extFields.offset);
    }
    return sum;
  };
  const have = await stored();
  if (have < BACKLOG) {
    const m = await measured(() => sendPhase(64, 1e9, BACKLOG - have));
    results.backlog = { filled: BACKLOG - have, wall: +m.wall.toFixed(1), msgsPerSecond: Math.round((BACKLOG - have) / m.wall), load: m.load.map((x) => +x.toFixed(1)) };
    console.error(`backlog fill: ${JSON.stringify(results.backlog)}`);
  }
  const backlog = await stored();

  // ---- drain by a new consumer group ----
  const drainQueue = async (queueId) => {
    let offset = 0;
    let count = 0;
    for (;;) {
      const header = encodeHeader(
        {
          consumerGroup: 'CG_bench_broker_drain',
          topic: TOPIC,
          queueId,
          queueOffset: offset,
          maxMsgNums: 32,
          sysFlag: 0x4, // FLAG_SUBSCRIPTION
          commitOffset: 0,
          suspendTimeoutMillis: 0,
          subscription: '*',
          subVersion: 1,
          expressionType: 'TAG',
        },
        PullMessageRequestHeader,
      );
      const r = await client.invokeSync(brokerAddr, RemotingCommand.createRequest(RequestCode.PULL_MESSAGE, header), 10_000);
      if (r.code === ResponseCode.SUCCESS) {
        const buf = r.body;
        for (let p = 0; p < buf.length; p += buf.readInt32BE(p)) count++;
      } else if (r.code !== ResponseCode.PULL_RETRY_IMMEDIATELY) {
        return count; // PULL_NOT_FOUND: the end of the queue
      }
      offset = Number(r.extFields.nextBeginOffset);
    }
  };
  const d = await measured(async () => (await Promise.all(Array.from({ length: QUEUES }, (_, q) => drainQueue(q)))).reduce((a, b) => a + b, 0));
  if (d.value !== backlog) throw new Error(`drained ${d.value} of ${backlog} messages`);
  results.drain = {
    messages: d.value,
    wall: +d.wall.toFixed(2),
    msgsPerSecond: Math.round(d.value / d.wall),
    brokerCpu: +d.cpu.toFixed(2),
    brokerCores: +(d.cpu / d.wall).toFixed(2),
    msgsPerBrokerCpuSecond: Math.round(d.value / d.cpu),
    clientCpu: +d.clientCpu.toFixed(2),
    peakRssMiB: Math.round(d.peakRss),
    load: d.load.map((x) => +x.toFixed(1)),
  };
  console.error(`drain: ${JSON.stringify(results.drain)}`);

  console.log(`client: ${CLIENT}, ${QUEUES} queues, 1 KiB bodies, ${SECONDS} s per send phase`);
  console.log('');
  console.log('| in flight | msgs/s | avg ms | p50 ms | p99 ms | p99.9 ms | broker cores | msgs per broker CPU-s | broker RSS (peak) | client CPU-s | load avg |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of results.sends) {
    console.log(
      `| ${r.inflight} | ${f(r.msgsPerSecond)} | ${r.avgMs} | ${r.p50Ms} | ${r.p99Ms} | ${r.p999Ms} | ${r.brokerCores} | ${f(r.msgsPerBrokerCpuSecond)} | ${r.rssMiB} MiB (${r.peakRssMiB}) | ${r.clientCpu} | ${r.load.join(' → ')} |`,
    );
  }
  const dr = results.drain;
  console.log('');
  console.log(
    `drain of ${f(dr.messages)} messages by a new group: ${f(dr.msgsPerSecond)} msgs/s (${dr.wall} s), broker ${dr.brokerCores} cores, ${f(dr.msgsPerBrokerCpuSecond)} msgs per broker CPU-s, peak RSS ${dr.peakRssMiB} MiB, load ${dr.load.join(' → ')}`,
  );
  console.log('');
  console.log(JSON.stringify({ client: CLIENT, queues: QUEUES, seconds: SECONDS, ...results }));
} finally {
  if (producer) await producer.shutdown();
  await client.close();
  child.kill('SIGINT');
  const e = await childExit;
  if (e.code !== 0) console.error(`rockit dev exited with ${JSON.stringify(e)}`);
  rmSync(dataDir, { recursive: true, force: true });
}
