import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileMessageStore, GetMessageStatus, PutMessageStatus, storeConfigFromProperties, type MessageFilter } from '../src/index.js';
import { silentLogger, copyWritable, crc, decodeRecord, message, readProperties, rmDir, tmpDir } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('../../../../shared/fixtures/rocketmq-4.9.8-store/', import.meta.url));

interface ExpectedMessage {
  kind: string;
  topic: string;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  storeSize: number;
  tagsCode: number;
  msgId: string;
  propertiesRaw: string;
  magicCode: number;
  sysFlag: number;
  flag: number;
  bodyCRC: number;
  bornTimestamp: number;
  bornHost: string;
  storeTimestamp: number;
  storeHost: string;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  bodyLength: number;
  bodyEncoding: string;
  body: string;
}
interface Expected {
  commitLog: { minOffset: number; maxOffset: number; files: { file: string }[] };
  consumeQueues: { topic: string; queueId: number; minOffset: number; maxOffset: number }[];
  messages: ExpectedMessage[];
  indexFiles: { file: string; beginTimestamp: number; endTimestamp: number; beginPhyOffset: number; endPhyOffset: number; hashSlotCount: number; indexCount: number }[];
  indexQueries: { queries: { topic: string; key: string; commitLogOffsets: number[] }[] };
  checkpoint: { physicMsgTimestamp: number; logicsMsgTimestamp: number; indexMsgTimestamp: number };
}

const FIXTURE_HOST = { address: '127.0.0.1', port: 10931 };
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'expected.json'), 'utf8')) as Expected;

/** Captures the consume-queue tagsCode of every unit the store examines. */
function tagsCodeSpy(): MessageFilter & { seen: number[] } {
  const seen: number[] = [];
  return {
    seen,
    isMatchedByConsumeQueue(tagsCode) {
      seen.push(tagsCode ?? 0);
      return true;
    },
    isMatchedByCommitLog() {
      return true;
    },
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
}

function offsetMsgId(storeHost: string, offset: number): string {
  const [ip, port] = storeHost.split(':');
  const b = Buffer.alloc(16);
  ip!.split('.').forEach((x, i) => (b[i] = Number(x)));
  b.writeInt32BE(Number(port), 4);
  b.writeBigInt64BE(BigInt(offset), 8);
  return b.toString('hex').toUpperCase();
}

describe('FileMessageStore on a store written by Apache RocketMQ 4.9.8', () => {
  let dir: string;
  let store: FileMessageStore;
  const conf = storeConfigFromProperties(readProperties(path.join(FIXTURE, 'broker.conf')));

  beforeAll(async () => {
    dir = tmpDir('fixture');
    copyWritable(path.join(FIXTURE, 'store'), path.join(dir, 'store'));
    store = new FileMessageStore({ ...conf, storePathRootDir: path.join(dir, 'store'), logger: silentLogger });
    await store.start();
  });

  afterAll(async () => {
    await store?.shutdown();
    rmDir(dir);
  });

  it('takes the fixture broker.conf values', () => {
    expect(store.config.mappedFileSizeCommitLog).toBe(1048576);
    expect(store.config.mappedFileSizeConsumeQueue).toBe(6000);
    expect(store.config.maxHashSlotNum).toBe(1000);
    expect(store.config.maxIndexNum).toBe(500);
    expect(store.config.flushDiskType).toBe('SYNC_FLUSH');
    expect(store.config.storeHost).toEqual({ address: '127.0.0.1', port: 10931 });
  });

  it('recovers normally (no abort file) to the manifest max offset', () => {
    expect(store.recoveryReport?.lastExitOK).toBe(true);
    expect(store.recoveryReport?.truncatedTail).toBe(false);
    expect(store.recoveryReport?.redispatched).toBe(0);
    expect(store.getMinPhyOffset()).toBe(expected.commitLog.minOffset);
    expect(store.getMaxPhyOffset()).toBe(expected.commitLog.maxOffset);
    expect(store.inspect().commitLogFiles).toEqual(expected.commitLog.files.map((f) => f.file));
  });

  it('has every consume queue with the manifest min and max offsets', () => {
    for (const q of expected.consumeQueues) {
      expect([q.topic, q.queueId, store.getMinOffsetInQueue(q.topic, q.queueId)]).toEqual([q.topic, q.queueId, q.minOffset]);
      expect([q.topic, q.queueId, store.getMaxOffsetInQueue(q.topic, q.queueId)]).toEqual([q.topic, q.queueId, q.maxOffset]);
    }
    const table = store.getConsumeQueueTable();
    const total = [...table.values()].reduce((n, qs) => n + qs.length, 0);
    expect(total).toBe(expected.consumeQueues.length);
  });

  it('reads the index file headers as written', () => {
    const headers = store.inspect().indexFiles;
    expect(headers.map((h) => h.name)).toEqual(expected.indexFiles.map((f) => f.file));
    for (let i = 0; i < headers.length; i++) {
      const { file: _f, ...rest } = expected.indexFiles[i]!;
      const h = headers[i]!;
      expect({ beginTimestamp: h.beginTimestamp, endTimestamp: h.endTimestamp, beginPhyOffset: h.beginPhyOffset, endPhyOffset: h.endPhyOffset, hashSlotCount: h.hashSlotCount, indexCount: h.indexCount }).toEqual({
        beginTimestamp: rest.beginTimestamp, endTimestamp: rest.endTimestamp, beginPhyOffset: rest.beginPhyOffset, endPhyOffset: rest.endPhyOffset, hashSlotCount: rest.hashSlotCount, indexCount: rest.indexCount,
      });
    }
  });

  it('serves every manifest entry by (topic, queue, offset) with the same record', async () => {
    expect(expected.messages).toHaveLength(497);
    for (const m of expected.messages) {
      const spy = tagsCodeSpy();
      const r = await store.getMessage('FxCheck', m.topic, m.queueId, m.queueOffset, 1, spy);
      expect(r.status, `${m.topic}/${m.queueId}@${m.queueOffset}`).toBe(GetMessageStatus.FOUND);
      expect(r.msgCount).toBe(1);
      expect(r.nextBeginOffset).toBe(m.queueOffset + 1);
      expect(spy.seen[0]).toBe(m.tagsCode);
      const buf = r.messageBufferList[0]!;
      expect(buf.length).toBe(m.storeSize);
      const d = decodeRecord(buf);
      const fields = ['topic', 'queueId', 'queueOffset', 'magicCode', 'sysFlag', 'flag', 'bodyCRC', 'bornTimestamp', 'bornHost', 'storeTimestamp', 'storeHost', 'reconsumeTimes', 'preparedTransactionOffset', 'propertiesRaw'] as const;
      expect({ ...pick(d, fields), commitLogOffset: d.physicalOffset, bodyLength: d.body.length }).toEqual({ ...pick(m, fields), commitLogOffset: m.commitLogOffset, bodyLength: m.bodyLength });
      expect(crc(d.body)).toBe(m.bodyCRC);
      expect(d.body.toString(m.bodyEncoding === 'base64' ? 'base64' : 'utf8')).toBe(m.body);
      expect(offsetMsgId(d.storeHost, d.physicalOffset)).toBe(m.msgId);
      // Same bytes by commit-log offset, with and without a known size.
      expect(store.lookMessageByOffset(m.commitLogOffset)?.equals(buf)).toBe(true);
      expect(store.lookMessageByOffset(m.commitLogOffset, m.storeSize)?.equals(buf)).toBe(true);
      expect(store.getCommitLogOffsetInQueue(m.topic, m.queueId, m.queueOffset)).toBe(m.commitLogOffset);
      expect(store.getMessageStoreTimeStamp(m.topic, m.queueId, m.queueOffset)).toBe(m.storeTimestamp);
    }
  });

  it('pulls whole batches in queue order, FxMany across its two consume-queue files', async () => {
    const all: number[] = [];
    let offset = 0;
    for (;;) {
      const r = await store.getMessage('g', 'FxMany', 0, offset, 32);
      if (r.status !== GetMessageStatus.FOUND) {
        expect(r.status).toBe(GetMessageStatus.OFFSET_OVERFLOW_ONE);
        break;
      }
      for (const b of r.messageBufferList) all.push(decodeRecord(b).queueOffset);
      offset = r.nextBeginOffset;
    }
    expect(all).toEqual([...Array(320).keys()]);
  });

  it('answers every key query of the manifest like the live broker', () => {
    expect(expected.indexQueries.queries).toHaveLength(672);
    for (const q of expected.indexQueries.queries) {
      const r = store.queryMessage(q.topic, q.key, 64, 0, Number.MAX_SAFE_INTEGER);
      expect([q.topic, q.key, r.phyOffsets]).toEqual([q.topic, q.key, q.commitLogOffsets]);
      expect(r.messageBufferList.map((b) => decodeRecord(b).physicalOffset)).toEqual(q.commitLogOffsets);
    }
  });

  it('finds queue offsets by store time', () => {
    const filler = expected.messages.filter((m) => m.topic === 'FxFiller' && m.queueId === 0);
    for (const m of filler) expect(store.getOffsetInQueueByTime('FxFiller', 0, m.storeTimestamp)).toBeLessThanOrEqual(m.queueOffset);
    const mid = filler[10]!;
    const found = store.getOffsetInQueueByTime('FxFiller', 0, mid.storeTimestamp);
    expect(filler[found]!.storeTimestamp).toBe(mid.storeTimestamp);
    expect(store.getOffsetInQueueByTime('FxFiller', 0, 0)).toBe(0);
    expect(store.getOffsetInQueueByTime('FxFiller', 0, Number.MAX_SAFE_INTEGER)).toBe(filler.length - 1);
    expect(store.getEarliestMessageTime()).toBe(expected.messages[0]!.storeTimestamp);
    expect(store.getEarliestMessageTime('FxMany', 0)).toBe(expected.messages.find((m) => m.topic === 'FxMany')!.storeTimestamp);
  });

  it('appends new messages after the old ones and reads old and new back after a restart', async () => {
    const put = await store.putMessage(message('FxBasic', 0, 'rockit-after-rocketmq', { TAGS: 'TagA', KEYS: 'rk-1' }, { storeHost: FIXTURE_HOST }));
    expect(put.status).toBe(PutMessageStatus.PUT_OK);
    expect(put.appendResult!.wroteOffset).toBe(expected.commitLog.maxOffset);
    expect(put.appendResult!.queueOffset).toBe(10);
    expect(put.appendResult!.msgId).toBe(offsetMsgId('127.0.0.1:10931', expected.commitLog.maxOffset));
    const fresh = await store.putMessage(message('FxNew', 2, 'a new topic', {}, { storeHost: FIXTURE_HOST }));
    expect(fresh.appendResult!.queueOffset).toBe(0);
    await store.shutdown();
    expect(fs.existsSync(path.join(dir, 'store', 'abort'))).toBe(false);

    store = new FileMessageStore({ ...conf, storePathRootDir: path.join(dir, 'store'), logger: silentLogger });
    await store.start();
    expect(store.recoveryReport?.lastExitOK).toBe(true);
    const r = await store.getMessage('g', 'FxBasic', 0, 0, 32);
    expect(r.msgCount).toBe(11);
    expect(decodeRecord(r.messageBufferList[10]!).body.toString()).toBe('rockit-after-rocketmq');
    expect(decodeRecord(r.messageBufferList[0]!).physicalOffset).toBe(0);
    expect(store.queryMessage('FxBasic', 'rk-1', 64, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([expected.commitLog.maxOffset]);
    expect(store.queryMessage('FxBasic', 'k0', 64, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([0]);
    const n = await store.getMessage('g', 'FxNew', 2, 0, 32);
    expect(decodeRecord(n.messageBufferList[0]!).body.toString()).toBe('a new topic');
    for (const m of expected.messages.slice(-5)) {
      expect(decodeRecord(store.lookMessageByOffset(m.commitLogOffset)!).propertiesRaw).toBe(m.propertiesRaw);
    }
  });
});
