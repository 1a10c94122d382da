#!/usr/bin/env node
// Delay delivery accuracy under light load: a name server + broker (file store in a temp dir, messageDelayLevel
// "1s 2s 3s") and a @rockit/client producer and push consumer in this process. The producer sends BENCH_COUNT
// (default 300) delayed messages, one every BENCH_GAP_MS (default 10) ms, levels 1-3 in turn. For each message:
//   due        = store time of its SCHEDULE_TOPIC_XXXX record + the level's delay (the consume-queue tagsCode)
//   broker     = store time of the delivered record in the real topic - due
//   consumer   = time the push consumer's listener got it - due
// Run with `npx tsc -b && node scripts/bench-delay.js`. Prints a Markdown table.
import console from 'node:console';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, decodeMessage, Message, parseDelayLevels } from '../packages/common/dist/index.js';
import { NamesrvController } from '../packages/namesrv/dist/index.js';
import { BrokerController } from '../packages/broker/dist/index.js';
import { Producer, PushConsumer } from '../packages/client/dist/index.js';

const COUNT = Number(process.env.BENCH_COUNT ?? 300);
const GAP = Number(process.env.BENCH_GAP_MS ?? 10);
const LEVELS = '1s 2s 3s';
const TOPIC = 'BenchDelay';
const silent = createLogger('bench', { level: 'silent' });

const dir = mkdtempSync(join(tmpdir(), 'rockit-bench-delay-'));
const namesrv = new NamesrvController({ listenPort: 0, bindAddress: '127.0.0.1', kvConfigPath: join(dir, 'kv.json'), configStorePath: join(dir, 'ns.properties') }, { logger: silent });
await namesrv.start();
const broker = new BrokerController({
  overrides: { brokerName: 'broker-a', brokerIP1: '127.0.0.1', listenPort: 0, namesrvAddr: namesrv.address, storePathRootDir: join(dir, 'store'), messageDelayLevel: LEVELS },
  memory: false,
  logger: silent,
});
await broker.start();
broker.ctx.topicConfigManager.updateTopicConfig({ topicName: TOPIC, readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false });
broker.ctx.registerBrokerAll();
await sleep(300);

const arrived = new Map();
const consumer = new PushConsumer({ namesrvAddr: namesrv.address, consumerGroup: 'CG_bench_delay', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', logger: silent });
consumer.subscribe(TOPIC, '*');
consumer.registerMessageListener(async (msgs) => {
  const now = Date.now();
  for (const m of msgs) arrived.set(m.msgId, now);
  return 'CONSUME_SUCCESS';
});
await consumer.start();
const producer = new Producer({ namesrvAddr: namesrv.address, producerGroup: 'PG_bench_delay', logger: silent });
await producer.start();

for (let i = 0; i < COUNT; i++) {
  const msg = new Message(TOPIC, `delayed ${i}`, { tags: 'T' });
  msg.delayTimeLevel = 1 + (i % 3);
  await producer.send(msg);
  await sleep(GAP);
}
const deadline = Date.now() + 10_000;
while (arrived.size < COUNT && Date.now() < deadline) await sleep(50);

// Due times from the parked records, delivery times from the delivered ones (matched by UNIQ_KEY).
const delays = parseDelayLevels(LEVELS);
const due = new Map();
for (let q = 0; q < delays.length; q++) {
  for (let offset = 0; ; ) {
    const r = await broker.store.getMessage('bench', 'SCHEDULE_TOPIC_XXXX', q, offset, 32);
    if (r.messageBufferList.length === 0) break;
    for (const buf of r.messageBufferList) {
      const m = decodeMessage(buf, 0, { readBody: false });
      due.set(m.msgId, m.storeTimestamp + delays[q]);
    }
    offset = r.nextBeginOffset;
  }
}
const brokerLate = [];
for (let q = 0; q < 4; q++) {
  for (let offset = 0; ; ) {
    const r = await broker.store.getMessage('bench', TOPIC, q, offset, 32);
    if (r.messageBufferList.length === 0) break;
    for (const buf of r.messageBufferList) {
      const m = decodeMessage(buf, 0, { readBody: false });
      brokerLate.push(m.storeTimestamp - due.get(m.msgId));
    }
    offset = r.nextBeginOffset;
  }
}
const consumerLate = [...arrived].map(([id, at]) => at - due.get(id));

function row(name, values) {
  const v = [...values].sort((a, b) => a - b);
  const pct = (p) => v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))];
  const early = v.filter((x) => x < 0).length;
  return `| ${name} | ${v.length} | ${pct(50)} | ${pct(90)} | ${pct(99)} | ${v[v.length - 1]} | ${early} |`;
}
console.log(`${COUNT} messages, one every ${GAP} ms, levels ${LEVELS}; lateness after due in ms`);
console.log('| measured at | messages | p50 | p90 | p99 | max | early |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
console.log(row('delivered record stored (broker)', brokerLate));
console.log(row('push consumer listener', consumerLate));

await consumer.shutdown();
await producer.shutdown();
await broker.shutdown();
await namesrv.shutdown();
rmSync(dir, { recursive: true, force: true });
