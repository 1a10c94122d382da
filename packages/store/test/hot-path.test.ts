import { afterEach, describe, expect, it } from 'vitest';
import { FileMessageStore, GetMessageStatus, nodeFs, type MessageStoreConfig, type StoreFs } from '../src/index.js';
import { decodeRecord, message, rmDir, silentLogger, tmpDir } from './helpers.js';

const dirs: string[] = [];
const stores: FileMessageStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.shutdown().catch(() => {});
  for (const d of dirs.splice(0)) rmDir(d);
});

/** A store on the real file system whose reads and synchronous writes are counted. */
async function open(over: Partial<MessageStoreConfig> = {}): Promise<{ s: FileMessageStore; dir: string; reads: () => number; writes: () => number }> {
  const dir = tmpDir('hot-path');
  dirs.push(dir);
  let reads = 0;
  let writes = 0;
  const fs: StoreFs = {
    ...nodeFs,
    readSync: (fd, buf, off, len, pos) => {
      reads++;
      return nodeFs.readSync(fd, buf, off, len, pos);
    },
    writeSync: (fd, buf, off, len, pos) => {
      writes++;
      return nodeFs.writeSync(fd, buf, off, len, pos);
    },
  };
  const s = new FileMessageStore({ storePathRootDir: dir, logger: silentLogger, flushDiskType: 'ASYNC_FLUSH', maxHashSlotNum: 64, maxIndexNum: 1000, fs, ...over });
  await s.start();
  stores.push(s);
  return { s, dir, reads: () => reads, writes: () => writes };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pulls a whole queue 32 at a time; returns the decoded bodies. */
async function drain(s: FileMessageStore, topic: string, queueId: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let offset = 0; ; ) {
    const r = await s.getMessage('g', topic, queueId, offset, 32);
    if (r.status !== GetMessageStatus.FOUND) return bodies;
    for (const b of r.messageBufferList) bodies.push(decodeRecord(b).body.toString());
    offset = r.nextBeginOffset;
  }
}

describe('pull reads through read-ahead windows', () => {
  it('returns records of interleaved queues byte for byte with far fewer reads than records', async () => {
    const { s, reads } = await open();
    const expected: string[][] = [[], [], [], []];
    for (let i = 0; i < 400; i++) {
      const body = `m${i}-${'x'.repeat(i % 300)}`;
      expected[i % 4]!.push(body);
      await s.putMessage(message('RA', i % 4, body));
    }
    await sleep(50); // background writes reach the file
    const before = reads();
    const got = [];
    for (let q = 0; q < 4; q++) got.push(await drain(s, 'RA', q));
    expect(got).toEqual(expected);
    // 400 records in < 100 KiB: a handful of window reads (consume-queue reads included), not one per record.
    expect(reads() - before).toBeLessThan(40);

    // Views and the copying lookup agree on every byte.
    const r = await s.getMessage('g', 'RA', 2, 10, 32);
    for (let i = 0; i < r.msgCount; i++) {
      const view = r.messageBufferList[i]!;
      const phy = Number(view.readBigInt64BE(28 /* PHYSICALOFFSET */));
      expect(Buffer.compare(view, s.lookMessageByOffset(phy)!)).toBe(0);
    }
  });

  it('returns records still in the append buffer, and ones written after a window was read', async () => {
    const { s } = await open();
    await s.putMessage(message('RB', 0, 'first'));
    await sleep(50);
    expect(await drain(s, 'RB', 0)).toEqual(['first']); // a window ending at 'first'
    await s.putMessage(message('RB', 0, 'second')); // not in the file yet
    expect(await drain(s, 'RB', 0)).toEqual(['first', 'second']);
    await sleep(50);
    await s.putMessage(message('RB', 0, 'third'));
    expect(await drain(s, 'RB', 0)).toEqual(['first', 'second', 'third']);
  });

  it('answers MESSAGE_WAS_REMOVING for records of a windowed segment that retention deleted', async () => {
    const { s } = await open({ mappedFileSizeCommitLog: 4096 });
    for (let i = 0; i < 8; i++) await s.putMessage(message('RC', 0, Buffer.alloc(900, i))); // segments 0 and 1
    await s.putMessage(message('Other', 0, Buffer.alloc(900))); // segment 2
    await sleep(50);
    expect((await s.getMessage('g', 'RC', 0, 0, 32)).msgCount).toBe(8);
    const internals = s as unknown as { commitLog: { deleteExpiredFiles(f: () => boolean, max: number): number } };
    expect(internals.commitLog.deleteExpiredFiles(() => true, 2)).toBe(2);
    expect(await s.getMessage('g', 'RC', 0, 0, 4)).toMatchObject({ status: GetMessageStatus.MESSAGE_WAS_REMOVING, msgCount: 0 });
  });
});

describe('consume-queue commits', () => {
  it('write the units of many turns together, while pulls and a reopen see every unit', async () => {
    // No index: its writes would be counted too. The commit log goes through libuv (ASYNC_FLUSH), not writeSync.
    const { s, dir, writes } = await open({ messageIndexEnable: false });
    const turns = 50;
    const before = writes();
    const t0 = performance.now();
    for (let t = 0; t < turns; t++) {
      for (let q = 0; q < 8; q++) await s.putMessage(message('CQ', q, `t${t}q${q}`));
      await new Promise((r) => setImmediate(r));
      expect((await s.getMessage('g', 'CQ', t % 8, t, 1)).msgCount).toBe(1); // readable before its unit is written
    }
    const elapsed = performance.now() - t0;
    // Once per turn per queue would be 8 per turn; with the 10 ms cadence it is 8 per 10 ms elapsed (+ the first).
    expect(writes() - before).toBeLessThanOrEqual(8 * (Math.floor(elapsed / 10) + 2));
    await s.shutdown();
    stores.pop();
    const again = new FileMessageStore({ storePathRootDir: dir, logger: silentLogger, flushDiskType: 'ASYNC_FLUSH', messageIndexEnable: false });
    await again.start();
    stores.push(again);
    for (let q = 0; q < 8; q++) expect(again.getMaxOffsetInQueue('CQ', q)).toBe(turns);
    expect(decodeRecord((await again.getMessage('g', 'CQ', 7, 49, 1)).messageBufferList[0]!).body.toString()).toBe('t49q7');
  });
});
