#!/usr/bin/env node
// Remoting benchmark: frame encode+decode of a 1 KiB SEND_MESSAGE_V2 request in both header serializations,
// and request/response round trips over loopback TCP with 64 calls in flight (client and server in this one
// process, so one JS thread does both ends). Run with `pnpm bench` (builds first). Prints a Markdown table.
import { Buffer } from 'node:buffer';
import console from 'node:console';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import {
  FrameEncoder,
  RemotingClient,
  RemotingCommand,
  RemotingServer,
  RequestCode,
  SendMessageRequestHeaderV2,
  SendMessageResponseHeader,
  SerializeType,
  decodeFrame,
  encodeHeader,
} from '../packages/remoting/dist/index.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 2);

function sendRequest(serializeType) {
  const header = {
    producerGroup: 'benchmark_producer',
    topic: 'BenchmarkTest',
    defaultTopic: 'TBW102',
    defaultTopicQueueNums: 4,
    queueId: 3,
    sysFlag: 0,
    bornTimestamp: Date.now(),
    flag: 0,
    properties: 'UNIQ_KEY\u0001FD00000000000000000000000000000258145FFD2B2770F93580000\u0002WAIT\u0001true\u0002TAGS\u0001TagA',
    reconsumeTimes: 0,
    unitMode: false,
    batch: false,
    bname: 'broker-a',
  };
  const cmd = RemotingCommand.createRequest(RequestCode.SEND_MESSAGE_V2, encodeHeader(header, SendMessageRequestHeaderV2));
  cmd.body = Buffer.alloc(1024, 0x61);
  cmd.serializeType = serializeType;
  return cmd;
}

/** Runs `step(iterations)` in slices until the time is up (after a warm-up); `step` holds its own loop. */
function measure(step) {
  step(50_000);
  let ops = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const end = start + BigInt(seconds * 1e9);
  let now = start;
  while (now < end) {
    step(20_000);
    ops += 20_000;
    now = process.hrtime.bigint();
  }
  return rates(ops, Number(now - start) / 1e9, process.cpuUsage(cpu0));
}

/** Per wall-clock second, and per second of CPU this process got (the machine may be shared). */
function rates(ops, wallSeconds, cpu) {
  return { wall: ops / wallSeconds, cpu: ops / ((cpu.user + cpu.system) / 1e6) };
}

function codecBench(serializeType) {
  const cmd = sendRequest(serializeType);
  const encoder = new FrameEncoder();
  const frameLength = encoder.encode(cmd);
  const frame = Buffer.from(encoder.buffer.subarray(0, frameLength));
  let sink = 0;
  const decodeOnly = measure((n) => {
    for (let i = 0; i < n; i++) sink += decodeFrame(frame, 0, frame.length).opaque;
  });
  const both = measure((n) => {
    for (let i = 0; i < n; i++) sink += decodeFrame(encoder.buffer, 0, encoder.encode(cmd)).opaque;
  });
  if (sink === 0.5) console.log(sink);
  return { frameLength, decodeOnly, both };
}

async function roundTripBench(serializeType, inFlight) {
  const server = new RemotingServer();
  const responseExt = encodeHeader(
    { msgId: '7F00000100002A9F00000000000F4240', queueId: 3, queueOffset: 1000 },
    SendMessageResponseHeader,
  );
  server.registerProcessor(RequestCode.SEND_MESSAGE_V2, () => RemotingCommand.createResponse(0, undefined, { ...responseExt }));
  const port = await server.listen(0, '127.0.0.1');
  const client = new RemotingClient();
  const addr = `127.0.0.1:${port}`;
  const body = Buffer.alloc(1024, 0x61);
  let done = 0;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const req = sendRequest(serializeType);
      req.body = body;
      const res = await client.invokeSync(addr, req, 10_000);
      if (res.code !== 0) throw new Error(`unexpected response ${res.code}`);
      done++;
    }
  };
  // Warm-up second, then measure.
  const warm = Array.from({ length: inFlight }, worker);
  await new Promise((r) => setTimeout(r, 1000));
  const startDone = done;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const rate = rates(done - startDone, Number(process.hrtime.bigint() - start) / 1e9, process.cpuUsage(cpu0));
  stop = true;
  await Promise.all(warm);
  await client.close();
  await server.close(1000);
  return rate;
}

const runs = Number(process.env.BENCH_RUNS ?? 3);
const fmt = (r) => `${Math.round(r.wall).toLocaleString('en-US')} (${Math.round(r.cpu).toLocaleString('en-US')} per CPU-s)`;
const best = (a, b) => (a === undefined ? b : { wall: Math.max(a.wall, b.wall), cpu: Math.max(a.cpu, b.cpu) });
const types = [
  ['ROCKETMQ', SerializeType.ROCKETMQ],
  ['JSON', SerializeType.JSON],
];
const results = {};
for (let run = 0; run < runs; run++) {
  for (const [name, type] of types) {
    const c = codecBench(type);
    const r = (results[name] ??= { frameLength: c.frameLength });
    r.decodeOnly = best(r.decodeOnly, c.decodeOnly);
    r.both = best(r.both, c.both);
  }
  for (const [name, type] of types) results[name].roundTrip = best(results[name].roundTrip, await roundTripBench(type, 64));
}
const { loadavg, cpus } = await import('node:os');
console.log(
  `Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}, best of ${runs} runs of ${seconds} s`,
);
console.log('Rates per wall-clock second, in brackets per second of CPU time the process got.\n');
console.log('| header | frame bytes | decodes/s | encode+decode/s |');
console.log('|---|---|---|---|');
for (const [name] of types) {
  const r = results[name];
  console.log(`| ${name} | ${r.frameLength} | ${fmt(r.decodeOnly)} | ${fmt(r.both)} |`);
}
console.log('\n| header | in flight | round trips/s (client and server in one process, one thread) |');
console.log('|---|---|---|');
for (const [name] of types) console.log(`| ${name} | 64 | ${fmt(results[name].roundTrip)} |`);
