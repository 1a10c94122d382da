#!/usr/bin/env node
// How long `rockit admin topicList` takes against a local cluster, process start to exit (issue #8 target:
// < 300 ms wall; Apache RocketMQ's mqadmin takes ~3.5 s wall / ~0.9 s CPU). Starts an embedded cluster (one
// name server, one broker, memory store, 20 extra topics) in this process, then runs each command `runs`
// times as a child process, after one warm-up run: wall time and the child's own CPU time (user + system,
// reported by a preloaded exit hook; steadier when other processes compete for the CPU).
// Baselines: `node -e 0` and `rockit --version` (oclif with every plugin loaded, no network).
// Run after `pnpm build`: node scripts/bench-admin.js [runs]
import { spawn } from 'node:child_process';
import console from 'node:console';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 10);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const rockit = fileURLToPath(new URL('../bin/rockit', import.meta.url));
const mqadmin = fileURLToPath(new URL('../bin/mqadmin', import.meta.url));
const { startEmbeddedCluster } = await import(new URL('../packages/broker/dist/index.js', import.meta.url).href);
const { AdminClient } = await import(new URL('../packages/client/dist/admin/index.js', import.meta.url).href);
const cpuHook =
  'data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\nCPU_MICROS "+(u.user+u.system)+"\\n")})';

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
}

// Asynchronous: the cluster answering the child lives in this process's event loop.
function once(args) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', cpuHook, ...args], { cwd: repoRoot, env: { ...process.env, NODE_ENV: '' } });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wall = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      resolve({ wall, cpu: Number(/CPU_MICROS (\d+)/.exec(stderr)[1]) / 1000, stdout });
    });
  });
}

async function measure(label, args, check) {
  const warm = await once(args);
  if (check) check(warm.stdout);
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const r = await once(args);
    wall.push(r.wall);
    cpu.push(r.cpu);
  }
  return { label, wall: stats(wall), cpu: stats(cpu) };
}

const cluster = await startEmbeddedCluster({ memory: true });
try {
  const admin = new AdminClient({ namesrvAddr: cluster.namesrvAddr });
  await admin.start();
  for (let i = 0; i < 20; i++) {
    await admin.createOrUpdateTopic(cluster.brokers[0].addr, { topicName: `BenchTopic${i}`, readQueueNums: 4, writeQueueNums: 4, perm: 6 });
  }
  const inProcess = [];
  for (let i = 0; i < runs; i++) {
    const s = process.hrtime.bigint();
    await admin.getTopicList();
    inProcess.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  await admin.shutdown();
  const hasTopics = (out) => {
    if (!out.includes('BenchTopic19')) throw new Error(`topicList printed no BenchTopic19:\n${out}`);
  };
  const rows = [
    await measure('node -e 0 (floor)', ['-e', '0']),
    await measure('rockit --version', [rockit, '--version']),
    await measure('rockit admin topicList', [rockit, 'admin', 'topicList', '-n', cluster.namesrvAddr], hasTopics),
    await measure('mqadmin topicList', [mqadmin, 'topicList', '-n', cluster.namesrvAddr], hasTopics),
    await measure('rockit topic list', [rockit, 'topic', 'list', '-n', cluster.namesrvAddr], hasTopics),
  ];
  const f = (n) => n.toFixed(0).padStart(7);
  console.log(`${runs} runs each, milliseconds; GET_ALL_TOPIC_LIST_FROM_NAMESERVER in process: median ${stats(inProcess).median.toFixed(2)} ms`);
  console.log(`${'command'.padEnd(24)}${'wall min'.padStart(9)}${'median'.padStart(8)}${'max'.padStart(8)}${'cpu min'.padStart(9)}${'median'.padStart(8)}`);
  for (const r of rows) {
    console.log(`${r.label.padEnd(24)}  ${f(r.wall.min)} ${f(r.wall.median)} ${f(r.wall.max)}  ${f(r.cpu.min)} ${f(r.cpu.median)}`);
  }
} finally {
  await cluster.close();
}
