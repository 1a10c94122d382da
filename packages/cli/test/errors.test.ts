import { describe, expect, it } from 'vitest';
import { errorToJson, exitCodeOf, formatErrorLine, responseCodeOf, UsageError } from '@rockit/cli';

class RemotingError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly codeName?: string,
  ) {
    super(message);
  }
}

describe('formatErrorLine', () => {
  it('prints "error: <message>" on one line', () => {
    expect(formatErrorLine(new Error('boom'))).toBe('error: boom');
    expect(formatErrorLine(new Error('Nonexistent flag: --x\nSee more help with --help'))).toBe(
      'error: Nonexistent flag: --x; See more help with --help',
    );
    expect(formatErrorLine(new Error('The following error occurred:\n  Missing required flag topic\nSee more help with --help'))).toBe(
      'error: Missing required flag topic; See more help with --help',
    );
  });

  it('names the RocketMQ response code when the error carries one', () => {
    expect(formatErrorLine(new RemotingError('topic[Foo] not exist', 17, 'TOPIC_NOT_EXIST'))).toBe(
      'error: topic[Foo] not exist (TOPIC_NOT_EXIST, code 17)',
    );
    expect(formatErrorLine(new RemotingError('no permission', 16))).toBe('error: no permission (code 16)');
    // @rockit/remoting's RemotingCommandError puts name and code in its message already.
    expect(formatErrorLine(new RemotingError('TOPIC_NOT_EXIST (17): topic[Foo] not exist', 17))).toBe(
      'error: TOPIC_NOT_EXIST (17): topic[Foo] not exist',
    );
  });

  it('adds the cause unless the message already says it', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:9876');
    expect(formatErrorLine(new Error('cannot reach name server', { cause }))).toBe(
      'error: cannot reach name server: connect ECONNREFUSED 127.0.0.1:9876',
    );
    expect(formatErrorLine(new Error('connect ECONNREFUSED 127.0.0.1:9876', { cause }))).toBe(
      'error: connect ECONNREFUSED 127.0.0.1:9876',
    );
  });

  it('copes with thrown non-errors and colours only the prefix', () => {
    expect(formatErrorLine('plain string')).toBe('error: plain string');
    expect(formatErrorLine(new Error('x'), { color: false })).toBe('error: x');
  });
});

describe('exitCodeOf', () => {
  it('is 2 for usage errors, oclif exit codes win, 1 otherwise', () => {
    expect(exitCodeOf(new UsageError('bad flag'))).toBe(2);
    expect(exitCodeOf(Object.assign(new Error('parse'), { oclif: { exit: 2 } }))).toBe(2);
    expect(exitCodeOf(new RemotingError('x', 17))).toBe(1);
    expect(exitCodeOf(new Error('x'))).toBe(1);
    expect(exitCodeOf(undefined)).toBe(1);
  });
});

describe('errorToJson', () => {
  it('carries name, one-line message, exit code and response code, and the stack only on request', () => {
    const err = new RemotingError('topic[Foo] not exist', 17, 'TOPIC_NOT_EXIST');
    expect(errorToJson(err)).toEqual({
      error: { name: 'Error', message: 'topic[Foo] not exist', exitCode: 1, code: 17, codeName: 'TOPIC_NOT_EXIST' },
    });
    expect(errorToJson(err, { stack: true }).error.stack).toMatch(/topic\[Foo\] not exist\n\s+at /);
    expect(responseCodeOf(new Error('x'))).toBeUndefined();
  });

  it('keeps string codes of system errors', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(errorToJson(err).error.code).toBe('ECONNREFUSED');
  });
});
