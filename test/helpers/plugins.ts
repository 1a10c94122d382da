/** Building CLI plugins before tests run them through bin/rockit (commands load from each plugin's dist/). */
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { repoRoot } from './rockit-cli.js';

/** `tsc -b plugins/<name>...` (incremental; builds cli and client too). Errors in other packages do not count. */
export function buildPlugins(...names: string[]): void {
  const build = spawnSync('npx', ['tsc', '-b', ...names.map((n) => `plugins/${n}`)], { cwd: repoRoot, encoding: 'utf8' });
  const ours = build.stdout.split('\n').filter((line) => names.some((n) => line.startsWith(`plugins/${n}/`)) && /error TS/.test(line));
  expect(ours, build.stdout).toEqual([]);
}
