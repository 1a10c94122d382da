#!/usr/bin/env node
// Measures how long `rockit --help` and `rockit --version` take from process start to exit
// (what a user waits for), against `node -e 0` as the floor of any Node CLI on the machine.
// Run after `pnpm build`: node scripts/bench-cli-startup.js [runs]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 10);
const rockit = fileURLToPath(new URL('../bin/rockit', import.meta.url));

function measure(label, command, args) {
  spawnSync(command, args, { stdio: 'ignore' }); // warm the file cache once
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(command, args, { stdio: 'ignore', env: { ...process.env, NODE_ENV: '' } });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${label} exited ${r.status}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
  return { label, min: times[0], median, mean, max: times[times.length - 1] };
}

const rows = [
  measure('node -e 0 (floor)', process.execPath, ['-e', '0']),
  measure('rockit --version', process.execPath, [rockit, '--version']),
  measure('rockit --help', process.execPath, [rockit, '--help']),
];
const f = (n) => n.toFixed(0).padStart(6);
console.log(`${runs} runs each, wall time in ms`);
console.log(`${'command'.padEnd(20)}${'min'.padStart(6)}${'median'.padStart(8)}${'mean'.padStart(7)}${'max'.padStart(7)}`);
for (const r of rows) console.log(`${r.label.padEnd(20)}${f(r.min)}  ${f(r.median)} ${f(r.mean)} ${f(r.max)}`);
