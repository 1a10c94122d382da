#!/usr/bin/env node
// Broker pull throughput with an SQL92 subscription that selects 10% of a stream, against an unfiltered pull
// (TAG `*`) and a TAG subscription selecting the same 10%, over the same stored stream (issue #7: filtered within
// 2x of unfiltered). An in-process embedded cluster (file store in a temp dir, enablePropertyFilter=true) is filled
// through @rockit/client's Producer, then a RemotingClient drains the queue from offset 0 to the end with plain
// PULL_MESSAGE requests (maxMsgNums 32 like a Java consumer, one pull in flight, no long polling), counting the
// returned records without decoding them. Run with `pnpm bench:filter-pull` (builds first).
// BENCH_MESSAGES (default 200000), BENCH_BODY (bytes, default 256), BENCH_ROUNDS (default 3) change the run;
// BENCH_ONLY=SQL92 keeps the modes whose name contains it (profiling), the unfiltered one always runs first.
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { createLogger, Message } from '../packages/common/dist/index.js';
import { PullMessageRequestHeader, RemotingClient, RemotingCommand, RequestCode, ResponseCode, encodeHeader } from '../packages/remoting/dist/index.js';
import { startEmbeddedCluster } from '../packages/broker/dist/index.js';
import { Producer } from '../packages/client/dist/index.js';

const TOTAL = Number(process.env.BENCH_MESSAGES ?? 200_000);
const BODY = Number(process.env.BENCH_BODY ?? 256);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TOPIC = 'BenchFilterPull';
const REGIONS = 10; // region r0 is 10% of the stream
const silent = createLogger('bench', { level: 'silent' });

const ALL_MODES = [
  { name: 'unfiltered (TAG *)', expressionType: 'TAG', subscription: '*' },
  { name: "SQL92 region = 'r0' (10%)", expressionType: 'SQL92', subscription: "region = 'r0'" },
  { name: "SQL92 region = 'r0' AND price >= 0 AND TAGS IS NOT NULL (10%)", expressionType: 'SQL92', subscription: "region = 'r0' AND price >= 0 AND TAGS IS NOT NULL" },
  { name: 'TAG t0 (10%)', expressionType: 'TAG', subscription: 't0' },
];
const MODES = ALL_MODES.filter((m, i) => i === 0 || m.name.includes(process.env.BENCH_ONLY ?? ''));

const cluster = await startEmbeddedCluster({
  memory: false,
  brokerConfig: { enablePropertyFilter: true, flushDiskType: 'ASYNC_FLUSH', defaultTopicQueueNums: 1 },
  topics: [TOPIC],
  logger: silent,
});
const brokerAddr = cluster.brokers[0].addr;
const client = new RemotingClient({ logger: silent });

try {
  const fillStart = performance.now();
  const producer = new Producer({ namesrvAddr: cluster.namesrvAddr, producerGroup: 'PG_bench_filter', logger: silent });
  await producer.start();
  const body = Buffer.alloc(BODY, 'x');
  for (let i = 0; i < TOTAL; ) {
    const batch = [];
    for (const end = Math.min(TOTAL, i + 128); i < end; i++) {
      const m = new Message(TOPIC, body, { tags: `t${i % REGIONS}`, keys: `k${i}` });
      m.putUserProperty('region', `r${i % REGIONS}`);
      m.putUserProperty('price', String(i % 1000));
      m.putUserProperty('seq', String(i));
      batch.push(m);
    }
    await producer.sendBatch(batch);
  }
  await producer.shutdown();
  const fillSeconds = (performance.now() - fillStart) / 1000;
  console.log(`stored ${TOTAL.toLocaleString('en-US')} messages (${BODY} B bodies, 6 properties) in ${fillSeconds.toFixed(1)} s`);

  /** One drain of the queue from offset 0; returns wall ms, CPU ms, records returned, round trips. */
  async function drain(mode, group) {
    let offset = 0;
    let returned = 0;
    let pulls = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (;;) {
      const header = encodeHeader(
        {
          consumerGroup: group,
          topic: TOPIC,
          queueId: 0,
          queueOffset: offset,
          maxMsgNums: 32,
          sysFlag: 0x4, // FLAG_SUBSCRIPTION
          commitOffset: 0,
          suspendTimeoutMillis: 0,
          subscription: mode.subscription,
          subVersion: 1,
          expressionType: mode.expressionType,
        },
        PullMessageRequestHeader,
      );
      const response = await client.invokeSync(brokerAddr, RemotingCommand.createRequest(RequestCode.PULL_MESSAGE, header), 10_000);
      pulls++;
      if (response.code === ResponseCode.SUCCESS) {
        const buf = response.body;
        for (let p = 0; p < buf.length; p += buf.readInt32BE(p)) returned++;
      } else if (response.code !== ResponseCode.PULL_RETRY_IMMEDIATELY) {
        break; // PULL_NOT_FOUND: at the end of the queue
      }
      offset = Number(response.extFields.nextBeginOffset);
    }
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (offset !== TOTAL) throw new Error(`${mode.name}: drained to ${offset}, expected ${TOTAL}`);
    return { wall, cpu: (cpu.user + cpu.system) / 1000, returned, pulls };
  }

  // Warm up every path (JIT, page cache) once, then alternate the modes so load changes hit all of them alike.
  for (const mode of MODES) await drain(mode, 'CG_bench_warmup');
  const runs = new Map(MODES.map((m) => [m.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, mode] of MODES.entries()) runs.get(mode.name).push(await drain(mode, `CG_bench_${i}`));
  }

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(runs.get(MODES[0].name).map((x) => x.wall));
  const f = (n) => Math.round(n).toLocaleString('en-US');
  console.log('');
  console.log('| subscription | returned | pulls | drain (median) | stream msgs/s | delivered msgs/s | CPU per 1k stream msgs | vs unfiltered |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  const summary = {};
  for (const mode of MODES) {
    const xs = runs.get(mode.name);
    const wall = median(xs.map((x) => x.wall));
    const cpu = median(xs.map((x) => x.cpu));
    const { returned, pulls } = xs[0];
    summary[mode.name] = { wallMs: Math.round(wall), returned, pulls, streamPerSecond: Math.round((TOTAL * 1000) / wall), ratio: +(wall / base).toFixed(2) };
    console.log(
      `| ${mode.name.replaceAll('|', '\\|')} | ${f(returned)} | ${f(pulls)} | ${f(wall)} ms | ${f((TOTAL * 1000) / wall)} | ${f((returned * 1000) / wall)} | ${((cpu * 1000) / TOTAL).toFixed(2)} ms | ${(wall / base).toFixed(2)}x |`,
    );
  }
  console.log('');
  console.log(JSON.stringify({ messages: TOTAL, body: BODY, rounds: ROUNDS, summary }));
} finally {
  await client.close();
  await cluster.close();
}
