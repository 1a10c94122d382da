import { describe, it, expect } from 'vitest';
import {
  MessageConst,
  decodeMessages,
  decodeBatchMessages,
  encodeBatchMessages,
  writeStoredMessage,
  bodyCrc32,
  Message,
  string2messageProperties,
  readStoredMessageHeader,
  type MessageExt,
} from '@rockit/common';
import { loadFrames, frameBody, type Frame } from './helpers/fixtures.js';

const PULL_MESSAGE = 11;
const QUERY_MESSAGE = 12;
const VIEW_MESSAGE_BY_ID = 33;
const CHECK_TRANSACTION_STATE = 39;
const CONSUME_MESSAGE_DIRECTLY = 309;
const SEND_BATCH_MESSAGE = 320;

/** Frames whose body is a run of stored message records. */
function storedMessageFrames(): Frame[] {
  return loadFrames().filter(
    (f) =>
      f.bodyLength > 0 &&
      ((f.isResponse && f.code === 0 && [PULL_MESSAGE, QUERY_MESSAGE, VIEW_MESSAGE_BY_ID].includes(f.requestCode)) ||
        (!f.isResponse && f.from === 'broker' && [CHECK_TRANSACTION_STATE, CONSUME_MESSAGE_DIRECTLY].includes(f.code))),
  );
}

function reencode(m: MessageExt, propertiesString: string): Buffer {
  const out = Buffer.alloc(m.storeSize);
  writeStoredMessage(
    out,
    0,
    {
      topic: m.topic,
      queueId: m.queueId,
      flag: m.flag,
      body: m.body,
      propertiesString,
      sysFlag: m.sysFlag,
      bornTimestamp: m.bornTimestamp,
      bornHost: m.bornHost,
      storeHost: m.storeHost,
      reconsumeTimes: m.reconsumeTimes,
      preparedTransactionOffset: m.preparedTransactionOffset,
      tagsCode: 0,
    },
    m.queueOffset,
    m.commitLogOffset,
    m.storeTimestamp,
  );
  return out;
}

describe('stored messages in captured RocketMQ 4.9.8 frames', () => {
  const frames = storedMessageFrames();

  it('covers pull, query, view, check-transaction and consume-directly bodies', () => {
    const codes = new Set(frames.map((f) => f.requestCode));
    expect([...codes].sort((a, b) => a - b)).toEqual([PULL_MESSAGE, QUERY_MESSAGE, VIEW_MESSAGE_BY_ID, CHECK_TRANSACTION_STATE, CONSUME_MESSAGE_DIRECTLY]);
  });

  it('decodes every record of every body, consuming the body exactly', () => {
    let records = 0;
    for (const f of frames) {
      const body = frameBody(f);
      const msgs = decodeMessages(body);
      expect(msgs.length, `frame opaque ${f.opaque}`).toBeGreaterThan(0);
      expect(msgs.reduce((n, m) => n + m.storeSize, 0)).toBe(body.length);
      for (const m of decodeMessages(body, { decompress: false })) {
        expect(m.bodyCRC).toBe(bodyCrc32(m.body));
        expect(m.offsetMsgId).toMatch(/^7F00000100002A9F[0-9A-F]{16}$/);
        expect(m.topic.length).toBeGreaterThan(0);
      }
      records += msgs.length;
    }
    expect(records).toBeGreaterThan(40);
  });

  it('inflates the compressed bodies ali-ons sent with only bit 0 set (type bits 0 = zlib)', () => {
    const compressed = frames
      .flatMap((f) => decodeMessages(frameBody(f), { decompress: false }).map((m) => ({ f, m })))
      .filter(({ m }) => m.sysFlag & 1);
    const flags = new Set(compressed.map(({ m }) => m.sysFlag & 0x701));
    expect(flags).toEqual(new Set([0x1]));
    for (const { f, m } of compressed) {
      const inflated = decodeMessages(frameBody(f)).find((x) => x.commitLogOffset === m.commitLogOffset)!;
      expect(inflated.body.length).toBeGreaterThanOrEqual(4096);
    }
  });

  it('re-encodes every record to the captured bytes', () => {
    for (const f of frames) {
      const body = frameBody(f);
      let pos = 0;
      for (const m of decodeMessages(body, { decompress: false })) {
        const props = readStoredMessageHeader(body, pos).propertiesString;
        expect(reencode(m, props).equals(body.subarray(pos, pos + m.storeSize))).toBe(true);
        pos += m.storeSize;
      }
    }
  });
});

describe('SEND_BATCH_MESSAGE body', () => {
  const batchFrames = loadFrames().filter((f) => !f.isResponse && f.code === SEND_BATCH_MESSAGE);

  it('decodes the captured batches into their members without copying bodies', () => {
    expect(batchFrames.length).toBe(2);
    for (const f of batchFrames) {
      const body = frameBody(f);
      const entries = decodeBatchMessages(body);
      expect(entries).toHaveLength(3);
      for (const e of entries) {
        expect(e.body.buffer).toBe(body.buffer); // a view, not a copy
        expect(e.totalSize).toBe(22 + e.body.length + Buffer.byteLength(e.propertiesString));
        const props = string2messageProperties(e.propertiesString);
        expect(props.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX)).toMatch(/^[0-9A-F]{56}$/);
      }
    }
  });

  it('re-encodes the captured batches byte for byte', () => {
    for (const f of batchFrames) {
      const body = frameBody(f);
      const messages = decodeBatchMessages(body).map((e) => {
        const m = new Message('ignored', Buffer.from(e.body), { flag: e.flag });
        m.properties = string2messageProperties(e.propertiesString);
        return m;
      });
      expect(encodeBatchMessages(messages).equals(body)).toBe(true);
    }
  });

  it('rejects a batch entry whose TOTALSIZE disagrees with its contents', () => {
    const body = Buffer.from(frameBody(batchFrames[0]!));
    body.writeInt32BE(body.readInt32BE(0) + 1, 0);
    expect(() => decodeBatchMessages(body)).toThrow(/TOTALSIZE/);
  });
});
