import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  color,
  colorLevel,
  formatBytes,
  formatDuration,
  isPlainProgress,
  kv,
  progress,
  resolveColorLevel,
  setColorLevel,
  stripAnsi,
  table,
  visibleWidth,
} from '@rockit/cli';

const initialLevel = colorLevel();
afterEach(() => setColorLevel(initialLevel));

describe('table', () => {
  const rows = [
    { topic: 'TopicTest', broker: 'broker-a', qid: 0 },
    { topic: '%RETRY%please_rename_unique_group_name_4', broker: 'broker-a', qid: 12 },
  ];

  it('pads columns to mqadmin-style minimum widths and grows them for longer values', () => {
    setColorLevel(0);
    const out = table(rows, [
      { header: '#Topic', key: 'topic', minWidth: 32 },
      { header: '#Broker Name', key: 'broker', minWidth: 32 },
      { header: '#QID', key: 'qid', align: 'right', minWidth: 4 },
    ]);
    const lines = out.split('\n');
    expect(lines).toHaveLength(3);
    const topicWidth = '%RETRY%please_rename_unique_group_name_4'.length;
    expect(lines[0]).toBe(`${'#Topic'.padEnd(topicWidth)}  ${'#Broker Name'.padEnd(32)}  #QID`);
    expect(lines[1]).toBe(`${'TopicTest'.padEnd(topicWidth)}  ${'broker-a'.padEnd(32)}     0`);
    expect(lines[2]).toBe(`${rows[1]!.topic}  ${'broker-a'.padEnd(32)}    12`);
  });

  it('measures coloured and wide cells by what the terminal shows', () => {
    setColorLevel(1);
    const out = table(
      [
        { name: color.ok('ok'), n: 1 },
        { name: '主题', n: 2 },
      ],
      [
        { header: 'NAME', key: 'name' },
        { header: 'N', key: 'n' },
      ],
    );
    const lines = out.split('\n').map(stripAnsi);
    expect(lines).toEqual(['NAME  N', 'ok    1', '主题  2']);
    expect(out).toContain('\u001b[');
  });

  it('omits the header on request, derives cells with get, and leaves no trailing spaces', () => {
    setColorLevel(0);
    const out = table([{ a: 'x', b: null }], [{ header: 'A', key: 'a' }, { header: 'B', get: (r) => r.b }, { header: 'C', get: () => 10n ** 20n }], {
      header: false,
    });
    expect(out).toBe('x    100000000000000000000');
  });
});

describe('kv', () => {
  it('aligns the separators after the longest key, keeping the given order', () => {
    expect(kv([['brokerName', 'broker-a'], ['id', 0], ['tags', ['a', 'b']]])).toBe('brokerName: broker-a\nid        : 0\ntags      : a, b');
  });

  it('accepts a plain object and prints nested values as JSON', () => {
    expect(kv({ a: { x: 1 }, bb: true })).toBe('a : {"x":1}\nbb: true');
  });
});

describe('visibleWidth', () => {
  it('ignores ANSI codes and counts CJK and emoji as two cells', () => {
    expect(visibleWidth('\u001b[31mred\u001b[39m')).toBe(3);
    expect(visibleWidth('消息')).toBe(4);
    expect(visibleWidth('e\u0301')).toBe(1);
    expect(visibleWidth('🚀')).toBe(2);
  });
});

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1024 ** 3)).toBe('1.0 GiB');
    expect(formatBytes(300 * 1024 ** 2)).toBe('300 MiB');
    expect(formatBytes(-2048)).toBe('-2.0 KiB');
    expect(formatBytes(5n * 1024n ** 4n)).toBe('5.0 TiB');
  });
});

describe('formatDuration', () => {
  it('picks a unit that keeps the number short', () => {
    expect(formatDuration(0.25)).toBe('250 µs');
    expect(formatDuration(3.456)).toBe('3.46 ms');
    expect(formatDuration(42.42)).toBe('42.4 ms');
    expect(formatDuration(999)).toBe('999 ms');
    expect(formatDuration(4200)).toBe('4.20 s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(7_620_000)).toBe('2h 07m');
    expect(formatDuration(273_600_000)).toBe('3d 04h');
  });
});

describe('resolveColorLevel', () => {
  it('turns colour off when output is piped', () => {
    expect(resolveColorLevel({ env: {}, isTTY: false, detected: 3 })).toBe(0);
    expect(resolveColorLevel({ env: {}, isTTY: true, detected: 3 })).toBe(3);
  });

  it('lets --no-color and --color win over everything', () => {
    expect(resolveColorLevel({ flag: false, env: { FORCE_COLOR: '3' }, isTTY: true, detected: 3 })).toBe(0);
    expect(resolveColorLevel({ flag: true, env: { NO_COLOR: '1' }, isTTY: false, detected: 0 })).toBe(1);
  });

  it('honours NO_COLOR (non-empty), then FORCE_COLOR, then TERM=dumb', () => {
    expect(resolveColorLevel({ env: { NO_COLOR: '1' }, isTTY: true, detected: 2 })).toBe(0);
    expect(resolveColorLevel({ env: { NO_COLOR: '' }, isTTY: true, detected: 2 })).toBe(2);
    expect(resolveColorLevel({ env: { NO_COLOR: '1', FORCE_COLOR: '1' }, isTTY: true, detected: 2 })).toBe(0);
    expect(resolveColorLevel({ env: { FORCE_COLOR: '1' }, isTTY: false, detected: 0 })).toBe(1);
    expect(resolveColorLevel({ env: { FORCE_COLOR: '0' }, isTTY: true, detected: 3 })).toBe(0);
    expect(resolveColorLevel({ env: { TERM: 'dumb' }, isTTY: true, detected: 1 })).toBe(0);
  });
});

describe('color', () => {
  it('returns text unchanged at level 0 and wraps it in escape codes otherwise', () => {
    setColorLevel(0);
    expect(color.error('boom')).toBe('boom');
    setColorLevel(1);
    expect(color.error('boom')).toBe('\u001b[31mboom\u001b[39m');
  });
});

function captureStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  const chunks: Buffer[] = [];
  (stream as unknown as PassThrough).on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('progress', () => {
  it('is plain when CI is set or the stream is not a terminal', () => {
    expect(isPlainProgress({ isTTY: true }, {})).toBe(false);
    expect(isPlainProgress({ isTTY: true }, { CI: 'true' })).toBe(true);
    expect(isPlainProgress({ isTTY: false }, {})).toBe(true);
    expect(isPlainProgress({}, {})).toBe(true);
  });

  it('prints one plain line per finished step and passes the context along', async () => {
    const out = captureStream();
    const ctx = await progress<{ seen: string[] }>(
      [
        { title: 'create topic', run: (c) => void c.seen.push('create') },
        { title: 'send messages', run: async (c, report) => {
          report('10/10');
          c.seen.push('send');
        } },
        { title: 'skipped step', run: () => undefined, skip: () => 'nothing to do' },
      ],
      { ctx: { seen: [] }, stream: out.stream },
    );
    expect(ctx.seen).toEqual(['create', 'send']);
    const text = stripAnsi(out.text());
    expect(text).toMatch(/✔ create topic/);
    expect(text).toMatch(/✔ send messages/);
    // The live renderer hides the cursor and redraws; plain mode only appends lines.
    expect(out.text()).not.toContain('\u001b[?25l');
  });

  it('rejects with the first failing step and reports it', async () => {
    const out = captureStream();
    const later: string[] = [];
    await expect(
      progress(
        [
          { title: 'connect', run: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9876')) },
          { title: 'never', run: () => void later.push('ran') },
        ],
        { stream: out.stream },
      ),
    ).rejects.toThrow('ECONNREFUSED');
    expect(later).toEqual([]);
    expect(stripAnsi(out.text())).toMatch(/✖ connect/);
  });
});
