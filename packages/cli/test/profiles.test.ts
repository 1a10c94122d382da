import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Errors } from '@oclif/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import Config from '../src/commands/config.js';
import ConfigSetProfile from '../src/commands/config/set-profile.js';
import ConfigProfiles from '../src/commands/config/profiles.js';
import ConfigDeleteProfile from '../src/commands/config/delete-profile.js';
import { profilesFile } from '../src/profiles.js';

let root: string;
let home: string;
let stdout: string[];
let stderr: string[];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rockit-profiles-root-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'probe-root', version: '1.0.0', oclif: { bin: 'rockit' } }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'rockit-profiles-home-'));
  vi.stubEnv('ROCKIT_HOME', home);
  for (const key of ['NAMESRV_ADDR', 'ROCKIT_PROFILE', 'ROCKIT_ACCESS_KEY', 'ROCKIT_SECRET_KEY', 'DEBUG']) vi.stubEnv(key, undefined as unknown as string);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

/** Runs a command class in-process; returns its result or the exit code, with what it printed. */
async function run(command: { run(argv: string[], root: string): Promise<unknown> }, argv: string[]): Promise<{ result?: unknown; exit?: number; out: string; err: string }> {
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (stdout.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (stderr.push(String(chunk)), true));
  try {
    const result = await command.run(argv, root);
    return { result, out: stdout.join(''), err: stderr.join('') };
  } catch (error) {
    if (error instanceof Errors.ExitError) return { exit: error.oclif.exit, out: stdout.join(''), err: stderr.join('') };
    throw error;
  } finally {
    vi.restoreAllMocks();
  }
}

describe('connection profiles', () => {
  it('saves a profile that --profile and ROCKIT_PROFILE then use, after -n and before NAMESRV_ADDR', async () => {
    const saved = await run(ConfigSetProfile, ['prod', '-n', '10.0.0.1:9876;10.0.0.2:9876', '--access-key', 'rocketmq2', '--secret-key', 's3cret']);
    expect(saved.result).toEqual({ name: 'prod', namesrvAddr: '10.0.0.1:9876;10.0.0.2:9876', accessKey: 'rocketmq2', secretKeySet: true, file: join(home, 'profiles.json') });
    expect(saved.out).not.toContain('s3cret');
    expect(statSync(profilesFile()).mode & 0o777).toBe(0o600);

    vi.stubEnv('NAMESRV_ADDR', '192.168.0.1:9876');
    expect((await run(Config, ['--profile', 'prod'])).result).toMatchObject({
      namesrvAddrs: ['10.0.0.1:9876', '10.0.0.2:9876'],
      namesrvSource: 'profile',
      profile: 'prod',
      accessKey: 'rocketmq2',
      secretKeySet: true,
    });
    vi.stubEnv('ROCKIT_PROFILE', 'prod');
    expect((await run(Config, [])).result).toMatchObject({ namesrvSource: 'profile', profile: 'prod' });
    expect((await run(Config, ['-n', 'other:9876'])).result).toMatchObject({ namesrvAddrs: ['other:9876'], namesrvSource: 'flag', profile: 'prod' });
    expect((await run(Config, ['--access-key', 'ak', '--secret-key', 'sk'])).result).toMatchObject({ accessKey: 'ak' });
  });

  it('lists profiles without secrets, replaces and deletes them', async () => {
    await run(ConfigSetProfile, ['b', '-n', 'b:1']);
    await run(ConfigSetProfile, ['a', '-n', 'a:1', '--access-key', 'k', '--secret-key', 'never-shown']);
    await run(ConfigSetProfile, ['b', '-n', 'b:2']);
    const listed = await run(ConfigProfiles, []);
    expect(listed.result).toEqual({
      file: join(home, 'profiles.json'),
      profiles: [
        { name: 'a', namesrvAddr: 'a:1', accessKey: 'k', secretKeySet: true },
        { name: 'b', namesrvAddr: 'b:2', accessKey: null, secretKeySet: false },
      ],
    });
    expect(listed.out).toMatch(/^PROFILE +NAMESRV +ACCESS KEY\na +a:1 +k\nb +b:2 +-\n$/);
    expect(listed.out).not.toContain('never-shown');
    expect((await run(ConfigDeleteProfile, ['b'])).result).toEqual({ deleted: 'b' });
    expect(Object.keys(JSON.parse(readFileSync(profilesFile(), 'utf8')).profiles)).toEqual(['a']);
  });

  it('answers an unknown profile, a missing -n and a bad name with one line and exit 2', async () => {
    await run(ConfigSetProfile, ['prod', '-n', 'p:9876']);
    const unknown = await run(Config, ['--profile', 'stage']);
    expect(unknown.exit).toBe(2);
    expect(unknown.err).toBe('error: unknown profile "stage" (profiles: prod); create it with: rockit config set-profile stage -n host:9876\n');
    const noAddr = await run(ConfigSetProfile, ['stage']);
    expect(noAddr.exit).toBe(2);
    expect(noAddr.err).toBe('error: give the name servers of the profile with -n host:port[;host:port...]\n');
    const badName = await run(ConfigSetProfile, ['../etc', '-n', 'p:1']);
    expect(badName.exit).toBe(2);
    expect(badName.err).toMatch(/^error: invalid profile name "\.\.\/etc"/);
    const gone = await run(ConfigDeleteProfile, ['stage']);
    expect(gone.exit).toBe(2);
    expect(gone.err).toBe('error: no profile "stage" (see rockit config profiles)\n');
  });
});
