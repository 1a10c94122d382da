import { describe, it, expect } from 'vitest';
import {
  MessageDecodeError,
  decodeMessage,
  decodeMessages,
  decodeBatchMessages,
  encodeBatchMessages,
  writeStoredMessage,
  storedMessageLength,
  toSocketAddress,
  compressBody,
  setCompressionType,
  hostSysFlags,
  Message,
} from '@rockit/common';

/** Small deterministic PRNG so a failure can be reproduced from the case number. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

function record(compressed: boolean, v6: boolean): Buffer {
  const bornHost = toSocketAddress(v6 ? 'fd00::5' : '10.0.0.5', 4000);
  const storeHost = toSocketAddress('10.0.0.1', 10911);
  const body = compressed ? compressBody(Buffer.from('payload '.repeat(100))) : Buffer.from('payload');
  const sysFlag = (compressed ? setCompressionType(0, 'ZLIB') : 0) | hostSysFlags(bornHost, storeHost);
  const props = 'TAGS\u0001T\u0002KEYS\u0001a b';
  const buf = Buffer.alloc(storedMessageLength(5, body.length, Buffer.byteLength(props), sysFlag));
  writeStoredMessage(buf, 0, { topic: 'Topic', queueId: 0, flag: 0, body, propertiesString: props, sysFlag, bornTimestamp: 1, bornHost, storeHost, reconsumeTimes: 0, preparedTransactionOffset: 0, tagsCode: 0 }, 0, 0, 2);
  return buf;
}

describe('decoders on corrupted input', () => {
  it('either decode or throw MessageDecodeError for thousands of mutated records, and decodeMessages never throws', () => {
    const seeds = [record(false, false), record(true, false), record(false, true), record(true, true)];
    for (let c = 0; c < 4000; c++) {
      const r = rng(c + 1);
      const buf = Buffer.from(seeds[c % seeds.length]!);
      const flips = 1 + Math.floor(r() * 4);
      for (let i = 0; i < flips; i++) buf[Math.floor(r() * buf.length)] = Math.floor(r() * 256);
      const cut = r() < 0.3 ? buf.subarray(0, Math.floor(r() * buf.length)) : buf;
      try {
        decodeMessage(cut);
      } catch (e) {
        expect(e, `case ${c}`).toBeInstanceOf(MessageDecodeError);
      }
      expect(() => decodeMessages(cut)).not.toThrow();
    }
  });

  it('either decode or throw MessageDecodeError for random bytes and mutated batches', () => {
    const batch = encodeBatchMessages([new Message('T', 'one', { tags: 'a' }), new Message('T', 'two')]);
    for (let c = 0; c < 2000; c++) {
      const r = rng(c + 7777);
      const random = Buffer.from(Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256)));
      const mutated = Buffer.from(batch);
      mutated[Math.floor(r() * mutated.length)] = Math.floor(r() * 256);
      for (const input of [random, mutated]) {
        for (const decode of [() => decodeMessage(input), () => decodeBatchMessages(input)]) {
          try {
            decode();
          } catch (e) {
            expect(e, `case ${c}`).toBeInstanceOf(MessageDecodeError);
          }
        }
      }
    }
  });
});
