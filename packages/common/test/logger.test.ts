import { describe, it, expect, afterEach, beforeEach, vi } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger, defaultLogLevel } from '@rockit/common';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  const saved = process.env.ROCKIT_LOG_LEVEL;
  afterEach(() => {
    if (saved === undefined) delete process.env.ROCKIT_LOG_LEVEL;
    else process.env.ROCKIT_LOG_LEVEL = saved;
  });

  it('names every line after the component and defaults to info', () => {
    delete process.env.ROCKIT_LOG_LEVEL;
    const out = capture();
    const log = createLogger('CommitLog', { destination: out.stream });
    expect(log.level).toBe('info');
    log.debug('hidden');
    log.info({ offset: 42 }, 'appended');
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ name: 'CommitLog', msg: 'appended', offset: 42 });
  });

  it('takes its level from ROCKIT_LOG_LEVEL', () => {
    process.env.ROCKIT_LOG_LEVEL = 'debug';
    expect(defaultLogLevel()).toBe('debug');
    expect(createLogger('x', { destination: capture().stream }).level).toBe('debug');
  });

  it('writes nothing at level silent', () => {
    const out = capture();
    const log = createLogger('quiet', { level: 'silent', destination: out.stream });
    log.error('nope');
    expect(out.lines()).toHaveLength(0);
  });

  it('adds bindings to every line', () => {
    const out = capture();
    createLogger('Broker', { destination: out.stream, bindings: { brokerName: 'b0' } }).warn('w');
    expect(out.lines()[0]).toMatchObject({ name: 'Broker', brokerName: 'b0', level: 40 });
  });
});

// Each test imports a fresh @rockit/common, so its loggers start as lazy stand-ins (pino not loaded by that module yet).
describe('createLogger before pino is loaded', () => {
  const saved = process.env.ROCKIT_LOG_LEVEL;
  let fresh: typeof import('@rockit/common');
  beforeEach(async () => {
    vi.resetModules();
    fresh = await import('@rockit/common');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.ROCKIT_LOG_LEVEL;
    else process.env.ROCKIT_LOG_LEVEL = saved;
  });

  it('answers level questions and drops lines below its level without writing', () => {
    const out = capture();
    const log = fresh.createLogger('Lazy', { level: 'warn', destination: out.stream });
    expect(log.level).toBe('warn');
    expect(log.levelVal).toBe(40);
    expect(log.isLevelEnabled('info')).toBe(false);
    expect(log.isLevelEnabled('error')).toBe(true);
    log.info('hidden');
    log.debug('hidden');
    expect(out.lines()).toHaveLength(0);
    log.error({ code: 17 }, 'shown');
    expect(out.lines()).toEqual([expect.objectContaining({ name: 'Lazy', level: 50, code: 17, msg: 'shown' })]);
  });

  it('honours ROCKIT_LOG_LEVEL decided when the logger is created', () => {
    process.env.ROCKIT_LOG_LEVEL = 'debug';
    const out = capture();
    const log = fresh.createLogger('Env', { destination: out.stream });
    delete process.env.ROCKIT_LOG_LEVEL;
    log.debug('d');
    expect(out.lines()).toMatchObject([{ name: 'Env', level: 20, msg: 'd' }]);
  });

  it('gives child loggers the parent bindings, their own bindings and level', () => {
    const out = capture();
    const parent = fresh.createLogger('Broker', { destination: out.stream, bindings: { brokerName: 'b0' } });
    const child = parent.child({ queueId: 3 }, { level: 'error' });
    expect(child.level).toBe('error');
    child.warn('hidden');
    child.error('c');
    parent.child({ topic: 'T' }).info('p');
    expect(out.lines()).toMatchObject([
      { name: 'Broker', brokerName: 'b0', queueId: 3, level: 50, msg: 'c' },
      { name: 'Broker', brokerName: 'b0', topic: 'T', level: 30, msg: 'p' },
    ]);
  });

  it('takes a level change like pino does', () => {
    const out = capture();
    const log = fresh.createLogger('Switch', { destination: out.stream });
    log.level = 'debug';
    expect(log.level).toBe('debug');
    log.debug('now shown');
    log.level = 'error';
    log.warn('now hidden');
    expect(out.lines()).toMatchObject([{ name: 'Switch', level: 20, msg: 'now shown' }]);
  });

  it('rejects an unknown level as pino does', () => {
    expect(() => fresh.createLogger('Bad', { level: 'loud', destination: capture().stream })).toThrow();
  });
});
