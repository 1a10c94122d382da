import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  BLANK_MAGIC_CODE,
  END_FILE_MIN_BLANK_LENGTH,
  MESSAGE_MAGIC_CODE_V1,
  decodeMessage,
  readStoredMessageHeader,
  writeStoredMessage,
  storedMessageLength,
  tagsString2tagsCode,
  formatSocketAddress,
  toSocketAddress,
  fitsInCommitLogFile,
  type MessageExtBrokerInner,
  type MessageExt,
} from '@rockit/common';
import { loadExpectedStore, storeFixture, type ExpectedStore, type ExpectedMessage } from './helpers/fixtures.js';

function bodyOf(e: ExpectedMessage, compressed: boolean): Buffer {
  const enc = compressed ? e.bodyEncoding : (e.uncompressedBodyEncoding ?? e.bodyEncoding);
  const text = compressed ? e.body : (e.uncompressedBody ?? e.body);
  return Buffer.from(text, enc === 'base64' ? 'base64' : 'utf8');
}

/** Rebuilds what the broker handed the store from a decoded record. */
function brokerInnerOf(m: MessageExt, raw: Buffer, e: ExpectedMessage): MessageExtBrokerInner {
  return {
    topic: m.topic,
    queueId: m.queueId,
    flag: m.flag,
    body: raw,
    propertiesString: e.propertiesRaw,
    sysFlag: m.sysFlag,
    bornTimestamp: m.bornTimestamp,
    bornHost: toSocketAddress(m.bornHost.address, m.bornHost.port),
    storeHost: m.storeHost,
    reconsumeTimes: m.reconsumeTimes,
    preparedTransactionOffset: m.preparedTransactionOffset,
    tagsCode: e.tagsCode,
  };
}

describe('stored message codec against a real RocketMQ 4.9.8 commit log', () => {
  let expected: ExpectedStore;
  const files = new Map<string, Buffer>();

  beforeAll(() => {
    expected = loadExpectedStore();
    for (const f of expected.commitLog.files) files.set(f.file, readFileSync(storeFixture(`store/commitlog/${f.file}`)));
  });

  it('decodes every one of the 497 records with the recorded fields, properties, body and CRC', () => {
    expect(expected.messages).toHaveLength(497);
    for (const e of expected.messages) {
      const buf = files.get(e.commitLogFile)!;
      const m = decodeMessage(buf, e.filePosition);
      expect({
        topic: m.topic,
        queueId: m.queueId,
        queueOffset: m.queueOffset,
        commitLogOffset: m.commitLogOffset,
        storeSize: m.storeSize,
        magicCode: m.magicCode,
        sysFlag: m.sysFlag,
        flag: m.flag,
        bodyCRC: m.bodyCRC,
        bornTimestamp: m.bornTimestamp,
        bornHost: formatSocketAddress(m.bornHost),
        storeTimestamp: m.storeTimestamp,
        storeHost: formatSocketAddress(m.storeHost),
        reconsumeTimes: m.reconsumeTimes,
        preparedTransactionOffset: m.preparedTransactionOffset,
        offsetMsgId: m.offsetMsgId,
        tags: m.tags ?? null,
        uniqKey: m.uniqKey ?? null,
        properties: Object.fromEntries(m.properties),
      }).toEqual({
        topic: e.topic,
        queueId: e.queueId,
        queueOffset: e.queueOffset,
        commitLogOffset: e.commitLogOffset,
        storeSize: e.storeSize,
        magicCode: e.magicCode,
        sysFlag: e.sysFlag,
        flag: e.flag,
        bodyCRC: e.bodyCRC,
        bornTimestamp: e.bornTimestamp,
        bornHost: e.bornHost,
        storeTimestamp: e.storeTimestamp,
        storeHost: e.storeHost,
        reconsumeTimes: e.reconsumeTimes,
        preparedTransactionOffset: e.preparedTransactionOffset,
        offsetMsgId: e.msgId,
        tags: e.tags,
        uniqKey: e.uniqKey,
        properties: e.properties,
      });
      expect(m.keys.join(' ')).toBe(e.keys ?? '');
      expect(m.msgId).toBe(e.uniqKey ?? e.msgId);
      expect(m.body.equals(bodyOf(e, false)), `body of ${e.msgId}`).toBe(true);
    }
  });

  it('inflates the zlib body of the compressed record (sysFlag 0x301) and keeps the stored bytes on request', () => {
    const e = expected.messages.find((x) => x.kind === 'compressed')!;
    const buf = files.get(e.commitLogFile)!;
    expect(decodeMessage(buf, e.filePosition).body.toString('utf8')).toBe(e.uncompressedBody);
    const stored = decodeMessage(buf, e.filePosition, { decompress: false });
    expect(stored.body.equals(bodyOf(e, true))).toBe(true);
    expect(stored.body.length).toBe(e.bodyLength);
  });

  it('reads the header, topic and properties string without decoding the body', () => {
    for (const e of expected.messages) {
      const h = readStoredMessageHeader(files.get(e.commitLogFile)!, e.filePosition);
      expect(h.totalSize).toBe(e.storeSize);
      expect(h.queueOffset).toBe(e.queueOffset);
      expect(h.physicalOffset).toBe(e.commitLogOffset);
      expect(h.topic).toBe(e.topic);
      expect(h.propertiesString).toBe(e.propertiesRaw);
      expect(h.bodyLength).toBe(e.bodyLength);
      expect(h.storeTimestamp).toBe(e.storeTimestamp);
    }
  });

  it('computes the consume-queue tag code of every non-schedule record from TAGS', () => {
    for (const e of expected.messages) {
      if (e.topic === 'SCHEDULE_TOPIC_XXXX') continue; // tag code is the delivery time there
      expect(tagsString2tagsCode(e.tags)).toBe(e.tagsCode);
    }
  });

  it('re-encodes every record byte for byte with writeStoredMessage', () => {
    const out = Buffer.alloc(64 * 1024);
    for (const e of expected.messages) {
      const buf = files.get(e.commitLogFile)!;
      const m = decodeMessage(buf, e.filePosition, { decompress: false });
      const inner = brokerInnerOf(m, m.body, e);
      const len = storedMessageLength(Buffer.byteLength(m.topic), m.body.length, Buffer.byteLength(e.propertiesRaw), m.sysFlag);
      expect(len).toBe(e.storeSize);
      const written = writeStoredMessage(out, 0, inner, m.queueOffset, m.commitLogOffset, m.storeTimestamp);
      expect(written).toBe(e.storeSize);
      expect(out.subarray(0, written).equals(buf.subarray(e.filePosition, e.filePosition + e.storeSize)), e.msgId).toBe(true);
    }
  });

  it('writes the same bytes from pre-encoded topic and properties buffers', () => {
    const e = expected.messages[0]!;
    const buf = files.get(e.commitLogFile)!;
    const m = decodeMessage(buf, e.filePosition);
    const out = Buffer.alloc(e.storeSize + 10);
    const n = writeStoredMessage(
      out,
      10,
      brokerInnerOf(m, m.body, e),
      m.queueOffset,
      m.commitLogOffset,
      m.storeTimestamp,
      Buffer.from(m.topic),
      Buffer.from(e.propertiesRaw),
    );
    expect(out.subarray(10, 10 + n).equals(buf.subarray(e.filePosition, e.filePosition + e.storeSize))).toBe(true);
  });

  it('ends file 0 with a BLANK marker where the next record plus 8 bytes no longer fits', () => {
    const f = expected.commitLog.files[0]!;
    const buf = files.get(f.file)!;
    const at = f.blankMarkerAt!;
    expect(buf.readInt32BE(at)).toBe(f.blankMarkerSize);
    expect(buf.readInt32BE(at + 4)).toBe(BLANK_MAGIC_CODE);
    expect(BLANK_MAGIC_CODE).toBe(expected.commitLog.blankMagicCode);
    expect(MESSAGE_MAGIC_CODE_V1).toBe(expected.commitLog.magicCode);
    expect(f.blankMarkerSize).toBe(f.fileSize - at);
    // the first record of file 1 did not fit into the rest of file 0
    const next = expected.messages.find((m) => m.commitLogFile === expected.commitLog.files[1]!.file)!;
    expect(fitsInCommitLogFile(next.storeSize, f.blankMarkerSize!)).toBe(false);
    expect(fitsInCommitLogFile(f.blankMarkerSize! - END_FILE_MIN_BLANK_LENGTH, f.blankMarkerSize!)).toBe(true);
    expect(() => decodeMessage(buf, at)).toThrow(/end-of-file marker/);
  });
});
