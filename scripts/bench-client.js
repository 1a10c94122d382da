#!/usr/bin/env node
// Client benchmark: one client process (this one) sends 1 KiB messages asynchronously to a rockit name server +
// broker running in a child process (file store in a temp dir, ASYNC_FLUSH), with a bounded number of sends in
// flight; then a PushConsumer reads everything back. Run with `pnpm bench:client` (builds first).
// BENCH_SECONDS (default 10), BENCH_INFLIGHT (default 512) change the run. Prints a Markdown table.
import { Buffer } from 'node:buffer';
import { fork } from 'node:child_process';
import console from 'node:console';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createLogger, Message } from '../packages/common/dist/index.js';

const silent = createLogger('bench', { level: 'silent' });

if (process.argv[2] === '--server') {
  const { NamesrvController } = await import('../packages/namesrv/dist/index.js');
  const { BrokerController } = await import('../packages/broker/dist/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'rockit-bench-client-'));
  const namesrv = new NamesrvController(
    { listenPort: 0, bindAddress: '127.0.0.1', kvConfigPath: join(dir, 'kv.json'), configStorePath: join(dir, 'namesrv.properties') },
    { logger: silent },
  );
  await namesrv.start();
  const broker = new BrokerController({
    overrides: { brokerName: 'broker-a', brokerIP1: '127.0.0.1', listenPort: 0, namesrvAddr: namesrv.address, storePathRootDir: join(dir, 'store'), flushDiskType: 'ASYNC_FLUSH' },
    memory: false,
    logger: silent,
  });
  await broker.start();
  process.send({ namesrvAddr: namesrv.address, brokerAddr: broker.brokerAddr });
  process.on('message', async (m) => {
    if (m === 'cpu') {
      process.send({ cpu: process.cpuUsage() });
      return;
    }
    await broker.shutdown();
    await namesrv.shutdown();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
} else {
  const { Producer, PushConsumer } = await import('../packages/client/dist/index.js');
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const inflight = Number(process.env.BENCH_INFLIGHT ?? 512);
  const child = fork(fileURLToPath(import.meta.url), ['--server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { namesrvAddr } = await new Promise((resolve) => child.once('message', resolve));

  const topic = 'BenchClient';
  const producer = new Producer({ namesrvAddr, producerGroup: 'PG_bench', logger: silent });
  await producer.start();
  const body = Buffer.alloc(1024, 'x');
  await producer.send(new Message(topic, body)); // creates the topic through TBW102 (4 queues)
  await sleep(500);

  let sent = 1;
  let failed = 0;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      try {
        await producer.sendAsync(new Message(topic, body));
        sent++;
      } catch {
        failed++;
      }
    }
  };
  const warm = Date.now() + 1000;
  const workers = Array.from({ length: inflight }, worker);
  while (Date.now() < warm) await sleep(50);
  const sentAtStart = sent;
  const brokerCpu = async () => {
    child.send('cpu');
    const { cpu } = await new Promise((resolve) => child.once('message', resolve));
    return cpu;
  };
  const bcpu0 = await brokerCpu();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const bcpu1 = await brokerCpu();
  const bcpu = { user: bcpu1.user - bcpu0.user, system: bcpu1.system - bcpu0.system };
  const produced = sent - sentAtStart;
  stop = true;
  await Promise.all(workers);
  const total = sent;

  let consumed = 0;
  const consumer = new PushConsumer({
    namesrvAddr,
    consumerGroup: 'CG_bench',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    consumeMessageBatchMaxSize: 32,
    logger: silent,
  });
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener((msgs) => {
    consumed += msgs.length;
    return 'CONSUME_SUCCESS';
  });
  const c0 = performance.now();
  const ccpu0 = process.cpuUsage();
  await consumer.start();
  while (consumed < total) await sleep(20);
  const cElapsed = (performance.now() - c0) / 1000;
  const ccpu = process.cpuUsage(ccpu0);
  await consumer.shutdown();
  await producer.shutdown();
  child.send('stop');
  await new Promise((r) => child.once('exit', r));

  const rate = (n, s) => Math.round(n / s).toLocaleString('en-US');
  const cpuS = (u) => (u.user + u.system) / 1e6;
  console.log(`| what | messages | wall s | msgs/s | client CPU s | broker CPU s | msgs per client CPU-s |`);
  console.log(`|---|---|---|---|---|---|---|`);
  console.log(
    `| async send, 1 KiB, ${inflight} in flight | ${produced.toLocaleString('en-US')} | ${elapsed.toFixed(1)} | ${rate(produced, elapsed)} | ${cpuS(cpu).toFixed(1)} | ${cpuS(bcpu).toFixed(1)} | ${rate(produced, cpuS(cpu))} |`,
  );
  console.log(
    `| push consume (batch 32) of all ${total.toLocaleString('en-US')} | ${consumed.toLocaleString('en-US')} | ${cElapsed.toFixed(1)} | ${rate(consumed, cElapsed)} | ${cpuS(ccpu).toFixed(1)} | — | ${rate(consumed, cpuS(ccpu))} |`,
  );
  if (failed > 0) console.log(`\n${failed} sends failed`);
}
