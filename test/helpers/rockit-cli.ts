/** Running the real `bin/rockit` as child processes in end-to-end tests. */
import { spawn, spawnSync, execFile, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect } from 'vitest';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const rockitBin = fileURLToPath(new URL('../../bin/rockit', import.meta.url));
const execFileAsync = promisify(execFile);

const CLI_PACKAGES = ['common', 'remoting', 'store', 'filter', 'namesrv', 'broker', 'cli'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

/** Whether some source of the packages bin/rockit runs is newer than its last build. */
function cliStale(): boolean {
  return CLI_PACKAGES.some((pkg) => {
    const buildInfo = join(repoRoot, 'packages', pkg, 'dist', '.tsbuildinfo');
    return !existsSync(buildInfo) || newestMtime(join(repoRoot, 'packages', pkg, 'src')) > statSync(buildInfo).mtimeMs;
  });
}

/**
 * Rewrites the oclif.manifest.json of every CLI plugin that a build made stale (scripts/oclif-manifests.js
 * --if-stale), so bin/rockit lists exactly the compiled commands. Call it after any build of a CLI package or
 * plugin. A plugin whose manifest cannot be written is left without one (oclif then finds its commands itself),
 * which the suites that use it will notice on their own.
 */
export function refreshManifests(): void {
  spawnSync(process.execPath, [join(repoRoot, 'scripts', 'oclif-manifests.js'), '--if-stale'], { cwd: repoRoot, stdio: 'ignore' });
}

/**
 * The CLI runs from dist/: build it (incrementally) when a source changed. Type errors in packages other than
 * the CLI itself (another engineer mid-change) do not stop the suite.
 */
export function buildCli(): void {
  if (cliStale()) {
    const build = spawnSync('npx', ['tsc', '-b', 'packages/cli'], { cwd: repoRoot, encoding: 'utf8' });
    const ours = build.stdout.split('\n').filter((line) => /^packages\/cli\/.*error TS/.test(line));
    expect(ours, build.stdout).toEqual([]);
  }
  refreshManifests();
}

/** The environment of a user who set nothing rockit reads. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['NODE_ENV', 'NAMESRV_ADDR', 'ROCKIT_PROFILE', 'ROCKIT_LOG_LEVEL', 'NO_COLOR', 'FORCE_COLOR', 'DEBUG']) delete env[key];
  return { ...env, CI: '1', ...extra };
}

export interface RockitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `rockit <args>` to completion. */
export async function rockit(args: string[], env: Record<string, string> = {}): Promise<RockitResult> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [rockitBin, ...args], { cwd: repoRoot, env: cleanEnv(env) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A long-running `rockit <args>` (dev, namesrv start, ...) with its output collected as it comes. */
export class RockitProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [rockitBin, ...args], { cwd: repoRoot, env: cleanEnv(env) });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves when stdout matches; rejects if the process exits first or after `timeoutMillis`. */
  async waitFor(pattern: RegExp, timeoutMillis = 20_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMillis;
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      const match = pattern.exec(this.stdout);
      if (match) return match;
      if (exited || Date.now() > deadline) {
        throw new Error(`${exited ? 'exited' : 'timed out'} before ${pattern}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Sends `signal` and resolves with the exit. */
  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Ports free on loopback right now (the OS's ephemeral picks). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Whether `pid` is alive (a zombie counts as gone). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const r = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  return r.stdout.trim() !== '' && !r.stdout.trim().startsWith('Z');
}

export interface RockitSuite {
  /** The suite's temp dir (set in beforeAll, removed in afterAll). */
  readonly dir: string;
  /** Starts a long-running `rockit <args>` that afterAll SIGKILLs if the test left it running. */
  start(args: string[]): RockitProcess;
}

/** beforeAll: build the CLI and make a temp dir; afterAll: kill leftover processes and remove the dir. */
export function rockitSuite(prefix: string): RockitSuite {
  const running: RockitProcess[] = [];
  let dir = '';
  beforeAll(() => {
    buildCli();
    dir = mkdtempSync(join(tmpdir(), prefix));
  }, 180_000);
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop('SIGKILL')));
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    start(args) {
      const p = new RockitProcess(args);
      running.push(p);
      return p;
    },
  };
}

/** Occupies a free loopback port until `release()`, to see how a server reports a port in use. */
export async function holdPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = await new Promise<ReturnType<typeof createServer>>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { port: (server.address() as { port: number }).port, release: () => new Promise((r) => server.close(() => r())) };
}
