/** Running `rockit admin ...` as child processes of bin/rockit against an in-process cluster. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { expect } from 'vitest';
import { AdminClient, PushConsumer, type MessageExt } from '@rockit/client';
import { startCluster, quietLogger, type Cluster } from '../../../test/helpers/cluster.js';
import { buildCli, refreshManifests, repoRoot, rockit, type RockitResult } from '../../../test/helpers/rockit-cli.js';

export { quietLogger, type Cluster };
export type { RockitResult };

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

/** The plugin runs from dist/: rebuild it (and the client it imports) when a source is newer than the build. */
export function buildAdmin(): void {
  buildCli();
  const projects = ['plugins/admin', 'packages/client'];
  const stale = projects.some((p) => {
    const info = join(repoRoot, p, 'dist', '.tsbuildinfo');
    return !existsSync(info) || newestMtime(join(repoRoot, p, 'src')) > statSync(info).mtimeMs;
  });
  if (!stale) return;
  const build = spawnSync('npx', ['tsc', '-b', 'plugins/admin'], { cwd: repoRoot, encoding: 'utf8' });
  const ours = build.stdout.split('\n').filter((line) => /^(plugins\/admin|packages\/client\/src\/admin)\/.*error TS/.test(line));
  expect(ours, build.stdout).toEqual([]);
  refreshManifests();
}

/** `rockit <args> -n <namesrv>` with dates printed in UTC. */
export function cli(namesrvAddr: string) {
  return (args: string[]): Promise<RockitResult> => rockit([...args, '-n', namesrvAddr], { TZ: 'UTC' });
}

/** Runs with --json, expects exit 0 and returns the parsed stdout. */
export function cliJson(namesrvAddr: string) {
  const run = cli(namesrvAddr);
  return async <T = Record<string, unknown>>(args: string[]): Promise<T> => {
    const r = await run([...args, '--json']);
    if (r.code !== 0) throw new Error(`rockit ${args.join(' ')} --json exited ${r.code}: ${r.stdout}${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };
}

/** Masks what changes from run to run (ports, times, message ids) keeping each token's width, so tables stay aligned. */
export function normalise(text: string): string {
  const mask = (s: string, c: string) => s.replace(/[0-9A-Fa-f]/g, c);
  return text
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(,\d{3})?/g, (m) => m.replace(/\d/g, '9'))
    .replace(/(127\.0\.0\.1|\d+\.\d+\.\d+\.\d+):(\d+)/g, (_m, host: string, port: string) => `${host}:${'P'.repeat(port.length)}`)
    .replace(/\b[0-9A-F]{32}\b/g, (m) => mask(m, 'X'));
}

export interface AdminSuite {
  cluster: Cluster;
  /** An in-process client, for checking what the commands did. */
  admin: AdminClient;
  run: ReturnType<typeof cli>;
  json: ReturnType<typeof cliJson>;
}

/** One cluster (file store, one broker) for the whole test file, built CLI, and the runners bound to its name server. */
export function adminSuite(): AdminSuite {
  const s = {} as AdminSuite;
  beforeAll(async () => {
    buildAdmin();
    s.cluster = await startCluster();
    s.admin = new AdminClient({ namesrvAddr: s.cluster.namesrvAddr, logger: quietLogger });
    await s.admin.start();
    s.run = cli(s.cluster.namesrvAddr);
    s.json = cliJson(s.cluster.namesrvAddr);
  }, 120_000);
  afterAll(async () => {
    await s.admin?.shutdown();
    await s.cluster?.stop();
  });
  return s;
}

/** Polls `check` every 100 ms until it holds. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMillis = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A push consumer of `group` on `topic` from the first offset, committing every 200 ms; `got` collects what it consumed (start it yourself). */
export function collectingConsumer(namesrvAddr: string, group: string, topic: string): { consumer: PushConsumer; got: MessageExt[] } {
  const consumer = new PushConsumer({ namesrvAddr, consumerGroup: group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', persistConsumerOffsetInterval: 200, logger: quietLogger });
  const got: MessageExt[] = [];
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener((msgs) => {
    got.push(...msgs);
    return 'CONSUME_SUCCESS';
  });
  return { consumer, got };
}
