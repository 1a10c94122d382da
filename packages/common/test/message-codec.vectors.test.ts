import { describe, it, expect } from 'vitest';
import { deflateSync } from 'node:zlib';
import {
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  MessageSysFlag,
  decodeMessage,
  decodeMessages,
  hostSysFlags,
  readStoredMessageHeader,
  storedMessageLength,
  writeStoredMessage,
  toSocketAddress,
  parseSocketAddress,
  formatSocketAddress,
  bodyCrc32,
  crc32Fallback,
  setCompressionType,
  compressBody,
  MessageDecodeError,
  type MessageExtBrokerInner,
} from '@rockit/common';

function inner(over: Partial<MessageExtBrokerInner> = {}): MessageExtBrokerInner {
  const bornHost = toSocketAddress('192.168.0.5', 53422);
  const storeHost = toSocketAddress('192.168.0.1', 10911);
  return {
    topic: 'TopicTest',
    queueId: 3,
    flag: 7,
    body: Buffer.from('hello'),
    propertiesString: 'TAGS\u0001TagA\u0002KEYS\u0001k1 k2',
    sysFlag: 0,
    bornTimestamp: 1_700_000_000_123,
    bornHost,
    storeHost,
    reconsumeTimes: 2,
    preparedTransactionOffset: 0,
    tagsCode: 0,
    ...over,
  };
}

function encode(msg: MessageExtBrokerInner, queueOffset = 5, physicalOffset = 2 ** 40 + 17, storeTs = 1_700_000_000_456): Buffer {
  const len = storedMessageLength(Buffer.byteLength(msg.topic), msg.body.length, Buffer.byteLength(msg.propertiesString), msg.sysFlag);
  const buf = Buffer.alloc(len);
  expect(writeStoredMessage(buf, 0, msg, queueOffset, physicalOffset, storeTs)).toBe(len);
  return buf;
}

describe('stored message record: own vectors', () => {
  it('lays out an IPv4/IPv4 V1 record as 91 + body + topic + properties bytes at the documented offsets', () => {
    const msg = inner();
    const buf = encode(msg);
    expect(buf.length).toBe(91 + 5 + 9 + Buffer.byteLength(msg.propertiesString));
    expect(buf.readInt32BE(4)).toBe(MESSAGE_MAGIC_CODE_V1);
    expect(buf.readInt32BE(8)).toBe(bodyCrc32(msg.body));
    expect(buf.readInt32BE(12)).toBe(3);
    expect(buf.readBigInt64BE(28)).toBe(2n ** 40n + 17n);
    expect([...buf.subarray(48, 52)]).toEqual([192, 168, 0, 5]);
    expect(buf.readInt32BE(52)).toBe(53422);
    expect(buf.readInt8(88 + 5)).toBe(9); // 1-byte topic length after the body
    const m = decodeMessage(buf);
    expect(m.tags).toBe('TagA');
    expect(m.keys).toEqual(['k1', 'k2']);
    expect(m.reconsumeTimes).toBe(2);
    expect(m.flag).toBe(7);
    expect(m.commitLogOffset).toBe(2 ** 40 + 17);
    expect(m.offsetMsgId).toBe('C0A8000100002A9F0000010000000011');
  });

  it('writes and reads IPv6 born and store hosts (20-byte host fields, sysFlag bits 4 and 5)', () => {
    const bornHost = toSocketAddress('fd00::2', 40000);
    const storeHost = toSocketAddress('2001:db8::10:1', 10911);
    const sysFlag = hostSysFlags(bornHost, storeHost);
    expect(sysFlag).toBe(MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG);
    const msg = inner({ bornHost, storeHost, sysFlag });
    const buf = encode(msg);
    expect(buf.length).toBe(encode(inner()).length + 24);
    const m = decodeMessage(buf);
    expect(formatSocketAddress(m.bornHost)).toBe('[fd00::2]:40000');
    expect(formatSocketAddress(m.storeHost)).toBe('[2001:db8::10:1]:10911');
    expect(m.offsetMsgId).toHaveLength(56);
    expect(m.storeTimestamp).toBe(1_700_000_000_456);
    expect(m.body.toString()).toBe('hello');
  });

  it('handles one IPv6 host with an IPv4 host, and refuses a host that contradicts sysFlag', () => {
    const bornHost = toSocketAddress('::1', 1);
    const msg = inner({ bornHost, sysFlag: hostSysFlags(bornHost, inner().storeHost) });
    expect(formatSocketAddress(decodeMessage(encode(msg)).bornHost)).toBe('[::1]:1');
    expect(() => encode(inner({ bornHost }))).toThrow(/sysFlag/);
  });

  it('uses the V2 magic and a 2-byte topic length for topics longer than 127 bytes', () => {
    const topic = `%RETRY%${'g'.repeat(200)}`;
    const msg = inner({ topic });
    const buf = encode(msg);
    expect(buf.readInt32BE(4)).toBe(MESSAGE_MAGIC_CODE_V2);
    expect(buf.length).toBe(encode(inner()).length - 9 + topic.length + 1);
    expect(buf.readInt16BE(88 + 5)).toBe(topic.length);
    expect(decodeMessage(buf).topic).toBe(topic);
    expect(readStoredMessageHeader(buf, 0).topic).toBe(topic);
  });

  it('inflates a zlib body whether the type bits are 0 (old senders) or 0x300', () => {
    const plain = Buffer.from('x'.repeat(5000));
    const z = deflateSync(plain, { level: 5 });
    for (const sysFlag of [MessageSysFlag.COMPRESSED_FLAG, setCompressionType(0, 'ZLIB')]) {
      const buf = encode(inner({ body: z, sysFlag }));
      const m = decodeMessage(buf);
      expect(m.body.equals(plain)).toBe(true);
      expect(m.bodyCRC).toBe(bodyCrc32(z)); // CRC is over the stored (compressed) bytes
      expect(decodeMessage(buf, 0, { decompress: false }).body.equals(z)).toBe(true);
    }
  });

  it('compresses like the Java producer: a zlib stream at level 5 (header 78 5E)', () => {
    const z = compressBody(Buffer.from('y'.repeat(4096)));
    expect([z[0], z[1]]).toEqual([0x78, 0x5e]);
    const m = decodeMessage(encode(inner({ body: z, sysFlag: setCompressionType(0, 'ZLIB') })));
    expect(m.body.toString()).toBe('y'.repeat(4096));
  });

  it('refuses LZ4 and ZSTD bodies with a clear error unless asked not to decompress', () => {
    for (const type of ['LZ4', 'ZSTD'] as const) {
      const buf = encode(inner({ sysFlag: setCompressionType(0, type) }));
      expect(() => decodeMessage(buf)).toThrow(new RegExp(`${type}.*only zlib`));
      expect(decodeMessage(buf, 0, { decompress: false }).body.toString()).toBe('hello');
    }
  });

  it('copies the body only when asked', () => {
    const buf = encode(inner());
    expect(decodeMessage(buf).body.buffer).toBe(buf.buffer);
    expect(decodeMessage(buf, 0, { copyBody: true }).body.buffer).not.toBe(buf.buffer);
    expect(decodeMessage(buf, 0, { readBody: false }).body.length).toBe(0);
  });

  it('decodes a run of records and stops at the first broken one, as MessageDecoder.decodes does', () => {
    const a = encode(inner({ queueId: 1 }));
    const b = encode(inner({ queueId: 2 }));
    const broken = Buffer.from(b);
    broken.writeInt32BE(0x12345678, 4);
    expect(decodeMessages(Buffer.concat([a, b])).map((m) => m.queueId)).toEqual([1, 2]);
    expect(decodeMessages(Buffer.concat([a, broken, b])).map((m) => m.queueId)).toEqual([1]);
    expect(decodeMessages(Buffer.concat([a, b.subarray(0, 50)])).map((m) => m.queueId)).toEqual([1]);
  });

  it('throws MessageDecodeError on bad magic, truncation and impossible lengths', () => {
    const a = encode(inner());
    expect(() => decodeMessage(a.subarray(0, 40))).toThrow(MessageDecodeError);
    const badBody = Buffer.from(a);
    badBody.writeInt32BE(1_000_000, 84);
    expect(() => decodeMessage(badBody)).toThrow(/body length/);
    const badMagic = Buffer.from(a);
    badMagic.writeInt32BE(0, 4);
    expect(() => decodeMessage(badMagic)).toThrow(/magic/);
  });

  it('round-trips negative and large int64 fields exactly within 2^53', () => {
    const msg = inner({ bornTimestamp: 2 ** 53 - 1, preparedTransactionOffset: 123_456_789_012 });
    const m = decodeMessage(encode(msg, -1, 0, 0));
    expect(m.queueOffset).toBe(-1);
    expect(m.bornTimestamp).toBe(2 ** 53 - 1);
    expect(m.preparedTransactionOffset).toBe(123_456_789_012);
  });

  it('writes without re-parsing hosts given as plain IPv4 text', () => {
    const msg = inner({ bornHost: { address: '10.1.2.3', port: 9 }, storeHost: { address: '10.0.0.1', port: 10911 } });
    const m = decodeMessage(encode(msg));
    expect(formatSocketAddress(m.bornHost)).toBe('10.1.2.3:9');
  });
});

describe('body CRC', () => {
  it('is CRC-32 with the top bit cleared, with the same result from the fallback for Node < 20.15', () => {
    expect(bodyCrc32(Buffer.from('123456789'))).toBe(0xcbf43926 & 0x7fffffff); // the CRC-32 check value
    for (const len of [0, 1, 7, 128, 5000]) {
      const data = Buffer.from(Array.from({ length: len }, (_, i) => (i * 31 + len) & 0xff));
      expect(crc32Fallback(data) & 0x7fffffff).toBe(bodyCrc32(data));
    }
  });
});

describe('SocketAddress', () => {
  it('parses IPv4 and bracketed IPv6 text', () => {
    expect(parseSocketAddress('127.0.0.1:10911')).toMatchObject({ address: '127.0.0.1', port: 10911 });
    const v6 = parseSocketAddress('[fe80::1:2]:80');
    expect(v6).toMatchObject({ address: 'fe80::1:2', port: 80 });
    expect([...v6.ipBytes!]).toEqual([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2]);
    expect([...toSocketAddress('::ffff:1.2.3.4', 1).ipBytes!.subarray(10)]).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(() => parseSocketAddress('nohost')).toThrow();
    expect(() => toSocketAddress('999.1.1.1', 1)).toThrow();
  });
});
