import { describe, expect, it } from 'vitest';
import { DEFAULT_NAMESRV_ADDR, parseNamesrvList, resolveNamesrv, UsageError } from '@rockit/cli';

describe('parseNamesrvList', () => {
  it('splits RocketMQ-style ";" lists, tolerating blanks and a trailing ";"', () => {
    expect(parseNamesrvList('10.0.0.1:9876; 10.0.0.2:9876;')).toEqual(['10.0.0.1:9876', '10.0.0.2:9876']);
  });

  it('keeps order and drops duplicates', () => {
    expect(parseNamesrvList('b:2;a:1;b:2')).toEqual(['b:2', 'a:1']);
  });

  it('accepts host names and bracketed IPv6', () => {
    expect(parseNamesrvList('namesrv.local:9876;[::1]:9876')).toEqual(['namesrv.local:9876', '[::1]:9876']);
  });

  it('rejects entries without a valid port as usage errors', () => {
    for (const bad of ['localhost', 'host:0', 'host:65536', 'host:port', 'a b:1']) {
      expect(() => parseNamesrvList(bad), bad).toThrow(UsageError);
    }
    expect(() => parseNamesrvList(' ; ')).toThrow(/no name server address/);
  });
});

describe('resolveNamesrv', () => {
  it('prefers the flag, then NAMESRV_ADDR, then the default', () => {
    expect(resolveNamesrv('f:1', 'e:2')).toEqual({ addrs: ['f:1'], source: 'flag' });
    expect(resolveNamesrv(undefined, 'e:2;e:3')).toEqual({ addrs: ['e:2', 'e:3'], source: 'env' });
    expect(resolveNamesrv(undefined, undefined)).toEqual({ addrs: [DEFAULT_NAMESRV_ADDR], source: 'default' });
  });

  it('treats a blank NAMESRV_ADDR as unset but a blank flag as a mistake', () => {
    expect(resolveNamesrv(undefined, '  ')).toEqual({ addrs: ['127.0.0.1:9876'], source: 'default' });
    expect(() => resolveNamesrv('', 'e:2')).toThrow(UsageError);
  });
});
