import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Args, Errors, Flags } from '@oclif/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RockitCommand, UsageError } from '@rockit/cli';

/** A command as a plugin would write one, run in-process against a minimal oclif root. */
class Probe extends RockitCommand<typeof Probe> {
  static override flags = { topic: Flags.string({ char: 't', required: true }) };
  static override args = { name: Args.string() };
  static failWith: Error | undefined;

  async run(): Promise<{ topic: string; name?: string; namesrvAddrs: string[]; connection: unknown }> {
    if (Probe.failWith) throw Probe.failWith;
    return { topic: this.flags.topic, name: this.args.name, namesrvAddrs: this.namesrvAddrs, connection: this.connection() };
  }
}

class TopicNotExist extends Error {
  readonly code = 17;
  readonly codeName = 'TOPIC_NOT_EXIST';
}

let root: string;
let stdout: string[];
let stderr: string[];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rockit-cli-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'probe-root', version: '1.0.0', oclif: { bin: 'rockit' } }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function capture(): void {
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  Probe.failWith = undefined;
});

/** Runs Probe; returns its result, or the exit code it ended with. */
async function runProbe(argv: string[]): Promise<{ result?: Awaited<ReturnType<Probe['run']>>; exit?: number }> {
  capture();
  try {
    return { result: (await Probe.run(argv, root)) as Awaited<ReturnType<Probe['run']>> };
  } catch (error) {
    if (error instanceof Errors.ExitError) return { exit: error.oclif.exit };
    throw error;
  } finally {
    vi.restoreAllMocks();
  }
}

describe('RockitCommand', () => {
  it('parses the subclass flags and args next to the global flags', async () => {
    vi.stubEnv('NAMESRV_ADDR', '');
    const { result } = await runProbe(['-t', 'TopicTest', 'orders', '-n', 'a:1;b:2', '--timeout', '250']);
    expect(result).toEqual({
      topic: 'TopicTest',
      name: 'orders',
      namesrvAddrs: ['a:1', 'b:2'],
      connection: { namesrvAddrs: ['a:1', 'b:2'], namesrvSource: 'flag', timeoutMillis: 250 },
    });
  });

  it('resolves name servers from NAMESRV_ADDR and hands out ACL credentials from the environment', async () => {
    vi.stubEnv('NAMESRV_ADDR', '10.0.0.1:9876');
    vi.stubEnv('ROCKIT_ACCESS_KEY', 'rocketmq2');
    vi.stubEnv('ROCKIT_SECRET_KEY', '12345678');
    const { result } = await runProbe(['-t', 'T']);
    expect(result?.connection).toEqual({
      namesrvAddrs: ['10.0.0.1:9876'],
      namesrvSource: 'env',
      timeoutMillis: 3000,
      credentials: { accessKey: 'rocketmq2', secretKey: '12345678' },
    });
  });

  it('ends a failure carrying a RocketMQ code with one stderr line and exit 1', async () => {
    vi.stubEnv('DEBUG', '');
    Probe.failWith = new TopicNotExist('topic[Nope] not exist, apply first please!');
    const { exit } = await runProbe(['-t', 'Nope']);
    expect(exit).toBe(1);
    expect(stdout.join('')).toBe('');
    expect(stderr.join('')).toBe('error: topic[Nope] not exist, apply first please! (TOPIC_NOT_EXIST, code 17)\n');
  });

  it('adds the stack when DEBUG is set', async () => {
    vi.stubEnv('DEBUG', '1');
    Probe.failWith = new Error('broken pipe');
    const { exit } = await runProbe(['-t', 'T']);
    expect(exit).toBe(1);
    expect(stderr.join('')).toMatch(/^error: broken pipe\nError: broken pipe\n\s+at /);
  });

  it('exits 2 on usage errors: a missing required flag, or one thrown by the command', async () => {
    expect((await runProbe([])).exit).toBe(2);
    expect(stderr.join('')).toBe('error: Missing required flag topic; See more help with --help\n');
    Probe.failWith = new UsageError('--count must be positive');
    expect((await runProbe(['-t', 'T'])).exit).toBe(2);
    expect(stderr.join('')).toBe('error: --count must be positive\n');
  });

  it('with --json prints the result, or the error object, and nothing else on stdout', async () => {
    vi.stubEnv('NAMESRV_ADDR', '');
    await runProbe(['-t', 'T', '--json']);
    expect(JSON.parse(stdout.join(''))).toMatchObject({ topic: 'T', namesrvAddrs: ['127.0.0.1:9876'] });

    Probe.failWith = new TopicNotExist('topic[T] not exist');
    const { exit } = await runProbe(['-t', 'T', '--json']);
    expect(exit).toBe(1);
    expect(stderr.join('')).toBe('');
    expect(JSON.parse(stdout.join(''))).toEqual({
      error: { name: 'Error', message: 'topic[T] not exist', exitCode: 1, code: 17, codeName: 'TOPIC_NOT_EXIST' },
    });
  });
});
