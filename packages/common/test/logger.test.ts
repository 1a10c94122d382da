import { describe, it, expect, afterEach } from 'vitest';
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
