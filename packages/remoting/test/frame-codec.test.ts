import { describe, expect, it } from 'vitest';
import {
  FrameDecoder,
  FrameEncoder,
  LanguageCode,
  RemotingCommand,
  RemotingProtocolError,
  SerializeType,
  decodeFrame,
  encodeFrame,
  jsonHeaderText,
  parseJsonHeader,
} from '@rockit/remoting';

function request(code: number, ext: Record<string, string> | undefined, type: 0 | 1): RemotingCommand {
  const cmd = new RemotingCommand(code);
  cmd.opaque = 1;
  cmd.extFields = ext;
  cmd.serializeType = type;
  return cmd;
}
const enc = (encoder: FrameEncoder, cmd: RemotingCommand) => Buffer.from(encoder.buffer.subarray(0, encoder.encode(cmd)));
const roundTrip = (cmd: RemotingCommand) => {
  const bytes = encodeFrame(cmd);
  return decodeFrame(bytes, 0, bytes.length);
};

describe('frame codec', () => {
  it('writes the ROCKETMQ example of rocketmq-protocol.md §2.1 byte for byte', () => {
    const hex =
      '0000002d01000029006900019900000001000000000000000000000014' + '0005746f706963' + '00000009546f70696354657374';
    expect(encodeFrame(request(105, { topic: 'TopicTest' }, SerializeType.ROCKETMQ)).toString('hex')).toBe(hex);
  });

  it('writes the JSON example of rocketmq-protocol.md §2.2 exactly as fastjson does', () => {
    expect(jsonHeaderText(request(105, { topic: 'TopicTest' }, SerializeType.JSON))).toBe(
      '{"code":105,"extFields":{"topic":"TopicTest"},"flag":0,"language":"JAVA","opaque":1,"serializeTypeCurrentRPC":"JSON","version":409}',
    );
    const response = RemotingCommand.createResponse(0);
    response.opaque = 1;
    expect(jsonHeaderText(response)).toBe(
      '{"code":0,"flag":1,"language":"JAVA","opaque":1,"serializeTypeCurrentRPC":"JSON","version":409}',
    );
  });

  it('escapes control characters, quotes and line separators like fastjson', () => {
    const cmd = request(1, { k: 'a\u0001b\u0002"q"\\\n\t\u000b\u007f\u2028ü日' }, SerializeType.JSON);
    expect(jsonHeaderText(cmd)).toContain('"k":"a\\u0001b\\u0002\\"q\\"\\\\\\n\\t\\u000B\\u007F\\u2028ü日"');
    expect(roundTrip(cmd).extFields).toEqual(cmd.extFields);
  });

  for (const type of [SerializeType.JSON, SerializeType.ROCKETMQ] as const) {
    const name = type === 0 ? 'JSON' : 'ROCKETMQ';
    it(`round-trips every field in ${name}, keeping ext field order and non-ASCII text`, () => {
      const cmd = request(310, { b: 'topic', a: 'grüße 日本', __proto__x: '1', z: '' }, type);
      cmd.extFields!.z = 'last';
      cmd.remark = 'remark ✓';
      cmd.flag = 3;
      cmd.language = LanguageCode.GO;
      cmd.version = 479;
      cmd.opaque = -5;
      cmd.body = Buffer.from('body bytes');
      const back = roundTrip(cmd);
      expect(back.code).toBe(310);
      expect(back.language).toBe(LanguageCode.GO);
      expect(back.version).toBe(479);
      expect(back.opaque).toBe(-5);
      expect(back.isResponse && back.isOneway).toBe(true);
      expect(back.remark).toBe('remark ✓');
      expect(Object.keys(back.extFields!)).toEqual(['b', 'a', '__proto__x', 'z']);
      expect(back.extFields).toEqual(cmd.extFields);
      expect(back.body!.toString()).toBe('body bytes');
      expect(back.serializeType).toBe(type);
    });
  }

  it('keeps a "__proto__" ext key as a plain field', () => {
    for (const type of [0, 1] as const) {
      const ext: Record<string, string> = {};
      Object.defineProperty(ext, '__proto__', { value: 'x', enumerable: true, writable: true, configurable: true });
      const back = roundTrip(request(1, ext, type));
      expect(Object.getPrototypeOf(back.extFields)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(back.extFields, '__proto__')?.value).toBe('x');
    }
  });

  it('turns empty strings into absent values in ROCKETMQ headers, as Java does', () => {
    const cmd = request(1, { empty: '', full: 'v' }, SerializeType.ROCKETMQ);
    cmd.remark = '';
    const back = roundTrip(cmd);
    expect(back.remark).toBeUndefined();
    expect(back.extFields).toEqual({ full: 'v' });
  });

  it('refuses codes beyond 16 bits in ROCKETMQ headers (5.x POP codes) but carries them in JSON', () => {
    expect(() => encodeFrame(request(200050, undefined, SerializeType.ROCKETMQ))).toThrow(RemotingProtocolError);
    expect(roundTrip(request(200050, undefined, SerializeType.JSON)).code).toBe(200050);
    expect(roundTrip(request(-1006, undefined, SerializeType.ROCKETMQ)).code).toBe(-1006);
  });

  it('keeps an empty ext map in JSON ("extFields":{}) and distinguishes it from none', () => {
    expect(jsonHeaderText(request(1, {}, 0))).toContain('"extFields":{}');
    expect(roundTrip(request(1, {}, 0)).extFields).toEqual({});
    expect(roundTrip(request(1, undefined, 0)).extFields).toBeUndefined();
  });

  it('reads JSON headers with any key order, unknown keys and non-string ext values (ali-ons)', () => {
    const header =
      '{"code":310,"language":"JAVA","opaque":21,"flag":0,"version":121,"unknown":[1],' +
      '"extFields":{"d":4,"g":1795386462882,"k":false,"n":null}}';
    const hb = Buffer.from(header);
    const frame = Buffer.alloc(8 + hb.length);
    frame.writeInt32BE(4 + hb.length, 0);
    frame.writeInt32BE(hb.length, 4);
    hb.copy(frame, 8);
    const cmd = decodeFrame(frame, 0, frame.length);
    expect(cmd.extFields).toEqual({ d: '4', g: '1795386462882', k: 'false' });
    expect(cmd.version).toBe(121);
  });

  it('maps an unknown language to -1 and writes it back as OTHER / without a language key', () => {
    const bin = encodeFrame(request(1, undefined, 1));
    bin[8 + 2] = 99;
    const cmd = decodeFrame(bin, 0, bin.length);
    expect(cmd.language).toBe(-1);
    expect(jsonHeaderText(cmd)).not.toContain('language');
    cmd.serializeType = SerializeType.ROCKETMQ;
    expect(encodeFrame(cmd)[10]).toBe(LanguageCode.OTHER);
  });

  it('decodes a header shape seen many times (generated fast path) exactly like the first time', () => {
    for (const type of [0, 1] as const) {
      const cmd = request(310, { a: 'pg', b: 'T', i: 'grüße\u0001x', z: '' }, type);
      const proto: Record<string, string> = { a: '1' };
      Object.defineProperty(proto, '__proto__', { value: 'p', enumerable: true, writable: true, configurable: true });
      const withProto = request(310, proto, type);
      for (let n = 0; n < 100; n++) {
        cmd.extFields!.b = `T${n}`;
        const back = roundTrip(cmd);
        expect(Object.keys(back.extFields!)).toEqual(type === 1 ? ['a', 'b', 'i'] : ['a', 'b', 'i', 'z']);
        expect(back.extFields!.b).toBe(`T${n}`);
        expect(back.extFields!.i).toBe('grüße\u0001x');
        const p = roundTrip(withProto).extFields!;
        expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
        expect(Object.getOwnPropertyDescriptor(p, '__proto__')?.value).toBe('p');
      }
    }
  });

  it('writes JSON headers straight into the buffer with the same bytes as the header text, for random content', () => {
    // Long plain runs (copied natively), every escape class, 2-, 3- and 4-byte UTF-8, and lone surrogates (U+FFFD).
    const pool = ['a', 'Z', '0', ' ', '\u0000', '\u0001', '\n', '\t', '"', '\\', '/', '\u007f', '\u009f', 'ü', '日', '\u2028', '😀', 'UNIQ_KEY_7F0000010D3A1B2C3D4E5F60718293', '\ud800', '\udfff'];
    let seed = 42;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) >>> 8) % n;
    const str = () => Array.from({ length: rnd(40) }, () => pool[rnd(pool.length)]).join('');
    // What the peer reads back: UTF-8 has no lone surrogates, they arrive as U+FFFD.
    const wellFormed = (v: string) => Buffer.from(v, 'utf8').toString('utf8');
    const encoder = new FrameEncoder();
    for (let n = 0; n < 500; n++) {
      const ext: Record<string, string> = {};
      for (let k = rnd(8); k > 0; k--) ext[`k${rnd(5)}${str()}`] = str();
      const cmd = request(rnd(400), ext, SerializeType.JSON);
      cmd.remark = rnd(2) ? str() : undefined;
      cmd.opaque = rnd(1 << 30) - (1 << 29);
      const frame = encodeFrame(cmd);
      expect(frame.subarray(8).equals(Buffer.from(jsonHeaderText(cmd), 'utf8'))).toBe(true);
      expect(enc(encoder, cmd).equals(frame)).toBe(true);
      const back = decodeFrame(frame, 0, frame.length);
      expect(back.extFields).toEqual(Object.fromEntries(Object.entries(ext).map(([k, v]) => [wellFormed(k), wellFormed(v)])));
      expect(back.remark).toBe(cmd.remark === undefined ? undefined : wellFormed(cmd.remark));
    }
  });

  it('reads every escape, number and key order in JSON headers exactly as JSON.parse does', () => {
    const texts = [
      String.raw`{"code":7,"extFields":{"a":"x\/y\"z\\w\b\f\n\r\t","b":"\u00e9\u00C9\uD83D\uDE00\u0001"},"flag":0,"language":"JAVA","opaque":-3,"remark":"r\u2028","serializeTypeCurrentRPC":"JSON","version":399}`,
      '{"version":1,"opaque":2,"code":-0,"extra":"s","n":123456789012345,"extFields":{"k":"1","k":"2"}}',
      '{ "code" : 3 , "extFields" : { "a" : 1, "b" : true }, "opaque" : 1e2 }',
      '{"code":4,"deep":{"x":[1,null]},"remark":null,"extFields":null,"big":1234567890123456789}',
      '{"code":5,"extFields":{},"language":"NOPE"}',
    ];
    for (const text of texts) {
      const o = JSON.parse(text) as Record<string, unknown>;
      const cmd = parseJsonHeader(text);
      expect(Object.is(cmd.code, o.code)).toBe(true);
      expect(cmd.opaque).toBe(o.opaque ?? 0);
      expect(cmd.version).toBe(o.version ?? 0);
      expect(cmd.remark).toBe(o.remark ?? undefined);
      const ext = o.extFields as Record<string, unknown> | null | undefined;
      const want = ext == null ? undefined : Object.fromEntries(Object.entries(ext).map(([k, v]) => [k, String(v)]));
      expect(cmd.extFields).toEqual(want);
      if (want !== undefined) expect(Object.keys(cmd.extFields!)).toEqual(Object.keys(want));
    }
  });

  it('rejects malformed JSON headers that are close to the usual shape', () => {
    const bad = [
      '{"code":01}',
      '{"code":1,}',
      '{"code":1}x',
      '{"code":1,"remark":"a\u0001"}',
      String.raw`{"code":1,"remark":"\x"}`,
      String.raw`{"code":1,"remark":"\u12G4"}`,
      '{"code":1.5}',
      '{"code":"1"}',
      '{"code":1,"extFields":{"a":"b"}',
      '{"code":1,"extFields":"a"}',
      '{}',
      '{',
    ];
    for (const text of bad) expect(() => parseJsonHeader(text), text).toThrow(RemotingProtocolError);
  });

  it('encodes repeatedly into one reusable buffer', () => {
    const enc = new FrameEncoder();
    const cmd = request(310, { a: 'x' }, 1);
    cmd.body = Buffer.alloc(10_000, 7);
    const n = enc.encode(cmd);
    expect(enc.buffer.subarray(0, n).equals(encodeFrame(cmd))).toBe(true);
    const first = enc.buffer;
    enc.encode(cmd);
    expect(enc.buffer).toBe(first);
  });
});

describe('FrameDecoder', () => {
  const frame = (body: string) => {
    const cmd = request(10, { topic: 't' }, 1);
    cmd.body = Buffer.from(body);
    return encodeFrame(cmd);
  };

  it('hands out bodies as views of the chunk when a frame lies inside one chunk', () => {
    const chunk = Buffer.concat([frame('one'), frame('two')]);
    const got: RemotingCommand[] = [];
    new FrameDecoder((c) => got.push(c)).push(chunk);
    expect(got.map((c) => c.body!.toString())).toEqual(['one', 'two']);
    expect(got[0].body!.buffer).toBe(chunk.buffer);
  });

  it('copies a frame that spans chunks exactly once and keeps the rest of the chunk', () => {
    const a = frame('spanning body');
    const b = frame('next');
    // Chunks on their own ArrayBuffers (Buffer.concat would share Node's pool slab).
    const own = (bytes: Buffer) => Buffer.from(new Uint8Array(bytes).buffer);
    const chunk1 = own(a.subarray(0, 2));
    const chunk2 = own(a.subarray(2, 20));
    const chunk3 = own(Buffer.concat([a.subarray(20), b]));
    const got: RemotingCommand[] = [];
    const d = new FrameDecoder((c) => got.push(c));
    d.push(chunk1);
    d.push(chunk2);
    expect(d.buffered).toBe(20);
    d.push(chunk3);
    expect(got.map((c) => c.body!.toString())).toEqual(['spanning body', 'next']);
    expect(got[0].body!.buffer).not.toBe(chunk3.buffer);
    expect(got[1].body!.buffer).toBe(chunk3.buffer);
  });

  const bad: [string, Buffer][] = [
    ['a negative length', Buffer.from('ffffffff00000000', 'hex')],
    ['a length above the maximum', Buffer.from('7fffffff00000000', 'hex')],
    ['a length too small for the type word', Buffer.from('00000002abcd', 'hex')],
    ['a header length larger than the frame', Buffer.from('0000000801ffffff00000000', 'hex')],
    ['an unknown serialize type', Buffer.from('0000000507000001aa', 'hex')],
    ['an invalid JSON header', Buffer.from('0000000700000003{x}', 'latin1')],
    ['a JSON header without code', Buffer.from('000000060000000' + '27b7d', 'hex')],
    ['a truncated ROCKETMQ header', Buffer.from('000000080100000400010000', 'hex')],
    ['a ROCKETMQ remark longer than the header', Buffer.concat([Buffer.from('0000001901000015', 'hex'), Buffer.alloc(13), Buffer.from('7fffffff00000000', 'hex')])],
  ];
  for (const [what, bytes] of bad) {
    it(`rejects ${what} with a RemotingProtocolError`, () => {
      const d = new FrameDecoder(() => {}, { maxFrameSize: 1024 });
      expect(() => d.push(bytes)).toThrow(RemotingProtocolError);
    });
  }

  it('accepts a frame of exactly the maximum size and rejects one byte more', () => {
    const cmd = request(10, undefined, 1);
    cmd.body = Buffer.alloc(100);
    const bytes = encodeFrame(cmd);
    const max = bytes.length - 4;
    const got: RemotingCommand[] = [];
    new FrameDecoder((c) => got.push(c), { maxFrameSize: max }).push(bytes);
    expect(got).toHaveLength(1);
    expect(() => new FrameDecoder(() => {}, { maxFrameSize: max - 1 }).push(bytes)).toThrow(/exceeds the maximum/);
  });
});
