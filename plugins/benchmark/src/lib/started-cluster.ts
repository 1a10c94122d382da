import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StartedClusterOptions {
  /** The rockit checkout/installation whose `bin/rockit` starts the servers (oclif's config.root). */
  root: string;
  brokers: number;
  flush: 'sync' | 'async';
  memory: boolean;
}

export interface StartedCluster {
  namesrvAddr: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Port offsets `rockit cluster start` uses from its base port: name server, then broker i at +1035+10·i (HA +1). */
function clusterPorts(base: number, brokers: number): number[] {
  const ports = [base];
  for (let i = 0; i < brokers; i++) ports.push(base + 1035 + 10 * i, base + 1036 + 10 * i);
  return ports;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freeBasePort(brokers: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(clusterPorts(base, brokers).map(portFree));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free ports for --start (tried 50 base ports between 20000 and 50000)');
}

function rockit(root: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(root, 'bin', 'rockit'), ...args], { timeout: timeoutMs, env: { ...process.env, CI: '1' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`rockit ${args.slice(0, 2).join(' ')} failed: ${(stderr || stdout || err.message).trim().split('\n').pop()}`));
      else resolve(stdout);
    });
  });
}

/**
 * `--start`: a cluster of its own for the run, as `rockit cluster start` processes in a temp dir. The brokers run
 * in their own processes so that the load generator's CPU and event loop are not the broker's (the report's client
 * CPU is then the generator's alone). Stopped and removed by stop().
 */
export async function startBenchCluster(options: StartedClusterOptions): Promise<StartedCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rockit-bench-'));
  const base = await freeBasePort(options.brokers);
  const args = ['cluster', 'start', '--json', '--data-dir', dataDir, '--base-port', String(base), '--brokers', String(options.brokers), '--flush', options.flush];
  if (options.memory) args.push('--memory');
  let namesrvAddr: string;
  try {
    const out = await rockit(options.root, args, 60_000);
    namesrvAddr = (JSON.parse(out) as { namesrvAddr: string }).namesrvAddr;
  } catch (err) {
    await rockit(options.root, ['cluster', 'stop', '--data-dir', dataDir], 30_000).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    namesrvAddr,
    dataDir,
    stop: async () => {
      try {
        await rockit(options.root, ['cluster', 'stop', '--data-dir', dataDir, '--grace', '10000'], 30_000);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
