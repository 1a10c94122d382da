/** Building CLI plugins before tests run them through bin/rockit (commands load from each plugin's dist/). */
import { spawn, spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { cleanEnv, refreshManifests, repoRoot, rockitBin, type RockitResult } from './rockit-cli.js';

/** `tsc -b plugins/<name>...` (incremental; builds cli and client too). Errors in other packages do not count. */
export function buildPlugins(...names: string[]): void {
  const build = spawnSync('npx', ['tsc', '-b', ...names.map((n) => `plugins/${n}`)], { cwd: repoRoot, encoding: 'utf8' });
  const ours = build.stdout.split('\n').filter((line) => names.some((n) => line.startsWith(`plugins/${n}/`)) && /error TS/.test(line));
  expect(ours, build.stdout).toEqual([]);
  refreshManifests();
}

/** `rockit <args>` run to completion with `input` on its stdin (a pipe, so never a terminal). */
export function rockitWithInput(args: string[], env: Record<string, string>, input = ''): Promise<RockitResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [rockitBin, ...args], { cwd: repoRoot, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}
