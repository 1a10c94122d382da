import { describe, it, expect, beforeAll } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import {
  MessageClientIDSetter,
  createUniqID,
  setUniqID,
  Message,
  parseUniqID,
  createOffsetMessageId,
  decodeOffsetMessageId,
  toSocketAddress,
  javaStringHashCode,
  tagsString2tagsCode,
} from '@rockit/common';

const run = promisify(execFile);
const PKG = new URL('../', import.meta.url);
const REPO = new URL('../../../', import.meta.url);

describe('offset message id', () => {
  it('encodes store host and commit-log offset as in the protocol example', () => {
    expect(createOffsetMessageId(toSocketAddress('192.168.0.1', 10911), 0x1234)).toBe('C0A8000100002A9F0000000000001234');
  });

  it('round-trips IPv4 and IPv6 store hosts', () => {
    const v4 = decodeOffsetMessageId(createOffsetMessageId(toSocketAddress('127.0.0.1', 10931), 1_236_684));
    expect(v4).toEqual({ address: '127.0.0.1', port: 10931, commitLogOffset: 1_236_684 });
    const id6 = createOffsetMessageId(toSocketAddress('2001:db8::1', 10911), 2 ** 45 + 3);
    expect(id6).toHaveLength(56);
    expect(decodeOffsetMessageId(id6)).toEqual({ address: '2001:db8::1', port: 10911, commitLogOffset: 2 ** 45 + 3 });
  });

  it('rejects text that is not an offset id', () => {
    expect(() => decodeOffsetMessageId('XYZ')).toThrow();
    expect(() => decodeOffsetMessageId('00'.repeat(20))).toThrow(/offset message id/);
  });
});

describe('UNIQ_KEY (MessageClientIDSetter)', () => {
  it('lays out ip | pid | loader hash | ms since month start | counter, and parses back', () => {
    const setter = new MessageClientIDSetter(new Uint8Array([10, 0, 0, 7]), 0x12345, 0x0a0b0c0d);
    const now = new Date(2026, 10, 22, 12, 0, 0, 250).getTime();
    const first = setter.createUniqID(now);
    const second = setter.createUniqID(now);
    expect(first).toMatch(/^0A000007/);
    expect(first.slice(8, 12)).toBe('2345'); // pid truncated to 16 bits
    expect(first.slice(12, 20)).toBe('0A0B0C0D');
    const monthStart = new Date(2026, 10, 1).getTime();
    expect(parseInt(first.slice(20, 28), 16)).toBe(now - monthStart);
    expect(first.slice(28)).toBe('0000');
    expect(second.slice(28)).toBe('0001');
    const info = parseUniqID(first, now + 1000);
    expect(info).toEqual({ ip: '10.0.0.7', pid: 0x2345, classLoaderHash: 0x0a0b0c0d, time: now, counter: 0 });
  });

  it('parses the 56-char ids of the captured 4.9.8 producer (IPv6 fd00::2)', () => {
    const info = parseUniqID('FD00000000000000000000000000000247DC5FFD2B2770F644620000', Date.UTC(2026, 10, 22));
    expect(info.ip).toBe('fd00::2');
    expect(info.pid).toBe(0x47dc);
    expect(info.counter).toBe(0);
  });

  it('resolves the time against the previous month when it would lie in the future', () => {
    const setter = new MessageClientIDSetter(new Uint8Array([1, 2, 3, 4]), 1, 1);
    const late = new Date(2026, 9, 30, 23, 0, 0).getTime(); // Oct 30
    const id = setter.createUniqID(late);
    expect(parseUniqID(id, new Date(2026, 10, 2).getTime()).time).toBe(late); // parsed on Nov 2
  });

  it('restarts the time base in a new month and wraps the counter at 16 bits', () => {
    const setter = new MessageClientIDSetter(new Uint8Array([1, 2, 3, 4]), 1, 1);
    const t = new Date(2026, 0, 31, 23, 59, 59).getTime();
    setter.createUniqID(t);
    const next = setter.createUniqID(new Date(2026, 1, 1, 0, 0, 1).getTime());
    expect(parseInt(next.slice(20, 28), 16)).toBe(1000);
    for (let i = 0; i < 0xffff - 1; i++) setter.createUniqID(t + 1e9);
    expect(setter.createUniqID(t + 1e9).slice(28)).toBe('0000');
  });

  it('sets UNIQ_KEY on a message only when it has none', () => {
    const m = new Message('T', 'b');
    const id = setUniqID(m);
    expect(m.uniqKey).toBe(id);
    expect(setUniqID(m)).toBe(id);
  });

  it('creates distinct ids within a process', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => createUniqID()));
    expect(ids.size).toBe(20_000);
  });

  describe('across processes', () => {
    beforeAll(() => {
      // child processes run the compiled package (as `pnpm test` builds it first); tsc -b is incremental
      execFileSync(process.execPath, [fileURLToPath(new URL('node_modules/typescript/bin/tsc', REPO)), '-b', fileURLToPath(PKG)], {
        stdio: 'inherit',
      });
    });

    it('creates ids in two child processes that never collide', async () => {
      const script =
        `import { createUniqID } from ${JSON.stringify(new URL('dist/index.js', PKG).href)};` +
        'const out = []; for (let i = 0; i < 20000; i++) out.push(createUniqID()); process.stdout.write(out.join("\\n"));';
      const children = await Promise.all([0, 1].map(() => run(process.execPath, ['--input-type=module', '-e', script], { maxBuffer: 8 << 20 })));
      const [a, b] = children.map((c) => c.stdout.split('\n'));
      expect(a).toHaveLength(20_000);
      expect(b).toHaveLength(20_000);
      const all = new Set([...a!, ...b!]);
      expect(all.size).toBe(40_000);
      expect(parseUniqID(a![0]!).pid).not.toBe(parseUniqID(b![0]!).pid);
    });
  });
});

describe('tag hash', () => {
  it('is Java String.hashCode as int32', () => {
    expect(tagsString2tagsCode('TagA')).toBe(2598919);
    expect(tagsString2tagsCode('TagB')).toBe(2598920);
    expect(tagsString2tagsCode('d')).toBe(100);
    expect(tagsString2tagsCode('*')).toBe(42);
    expect(tagsString2tagsCode('BigTag')).toBe(1989645978); // from the 4.9.8 store fixture
    expect(javaStringHashCode('hello world, this overflows')).toBe(javaHash('hello world, this overflows'));
    expect(javaStringHashCode('😀')).toBe(0xd83d * 31 + 0xde00); // UTF-16 code units
    expect(tagsString2tagsCode(undefined)).toBe(0);
    expect(tagsString2tagsCode('')).toBe(0);
  });
});

/** Reference: s[0]*31^(n-1) + ... + s[n-1] computed with BigInt, then wrapped to int32. */
function javaHash(s: string): number {
  let h = 0n;
  for (let i = 0; i < s.length; i++) h = h * 31n + BigInt(s.charCodeAt(i));
  return Number(BigInt.asIntN(32, h));
}
