#!/usr/bin/env node
// Measures how long `rockit --help` and `rockit --version` take from process start to exit
// (what a user waits for), against `node -e 0` (the floor of any Node CLI on the machine) and
// a bare `import('@oclif/core')` (the floor of any oclif CLI).
// Wall time suffers when other processes compete for the CPU; the CPU time the child itself
// used (user + system, reported by a preloaded exit hook) is steadier, so both are shown.
// Run after `pnpm build`: node scripts/bench-cli-startup.js [runs]
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 10);
const rockit = fileURLToPath(new URL('../bin/rockit', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const cpuHook =
  'data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\nCPU_MICROS "+(u.user+u.system)+"\\n")})';

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
}

function measure(label, args) {
  const argv = ['--import', cpuHook, ...args];
  spawnSync(process.execPath, argv, { stdio: 'ignore', cwd: repoRoot }); // warm the file cache once
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, NODE_ENV: '' } });
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (r.status !== 0) throw new Error(`${label} exited ${r.status}: ${r.stderr}`);
    cpu.push(Number(/CPU_MICROS (\d+)/.exec(r.stderr)[1]) / 1000);
  }
  return { label, wall: stats(wall), cpu: stats(cpu) };
}

const rows = [
  measure('node -e 0 (floor)', ['-e', '0']),
  measure('import @oclif/core', ['--input-type=module', '-e', "await import('@oclif/core')"]),
  measure('rockit --version', [rockit, '--version']),
  measure('rockit --help', [rockit, '--help']),
];
const f = (n) => n.toFixed(0).padStart(7);
console.log(`${runs} runs each, milliseconds`);
console.log(`${'command'.padEnd(20)}${'wall min'.padStart(9)}${'median'.padStart(8)}${'max'.padStart(8)}${'cpu min'.padStart(9)}${'median'.padStart(8)}`);
for (const r of rows) {
  console.log(`${r.label.padEnd(20)}  ${f(r.wall.min)} ${f(r.wall.median)} ${f(r.wall.max)}  ${f(r.cpu.min)} ${f(r.cpu.median)}`);
}
