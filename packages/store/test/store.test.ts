import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BLANK_MAGIC_CODE, createOffsetMessageId, decodeMessages, MessageSysFlag, readInt64 } from '@rockit/common';
import {
  FileMessageStore,
  GetMessageStatus,
  MemoryFs,
  MemoryMessageStore,
  mkdirpDurable,
  nodeFs,
  PutMessageStatus,
  type MessageFilter,
  type MessageStoreConfig,
  type StoreFs,
  type StoreLogger,
} from '../src/index.js';
import { decodeRecord, message, rmDir, silentLogger, tmpDir } from './helpers.js';

const dirs: string[] = [];
const stores: FileMessageStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.shutdown().catch(() => {});
  for (const d of dirs.splice(0)) rmDir(d);
});

function newDir(name: string): string {
  const d = tmpDir(name);
  dirs.push(d);
  return d;
}

async function open(dir: string, over: Partial<MessageStoreConfig> = {}): Promise<FileMessageStore> {
  const s = new FileMessageStore({ storePathRootDir: dir, logger: silentLogger, mappedFileSizeCommitLog: 64 * 1024, mappedFileSizeConsumeQueue: 50 * 20, maxHashSlotNum: 64, maxIndexNum: 100, ...over });
  await s.start();
  stores.push(s);
  return s;
}

async function reopen(s: FileMessageStore, over: Partial<MessageStoreConfig> = {}): Promise<FileMessageStore> {
  await s.shutdown();
  stores.splice(stores.indexOf(s), 1);
  return open(s.config.storePathRootDir, { ...s.config, ...over });
}

function tagsSpy(accept: (tagsCode: number) => boolean = () => true): MessageFilter & { seen: number[] } {
  const seen: number[] = [];
  return {
    seen,
    isMatchedByConsumeQueue: (t) => (seen.push(t ?? 0), accept(t ?? 0)),
    isMatchedByCommitLog: () => true,
  };
}

const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CommitLog', () => {
  it('rolls over to a new segment named by its start offset after a BLANK filler', async () => {
    const dir = newDir('roll');
    const s = await open(dir, { mappedFileSizeCommitLog: 4096 });
    const offsets: number[] = [];
    for (let i = 0; i < 10; i++) offsets.push((await s.putMessage(message('Roll', 0, Buffer.alloc(900, 65 + i)))).appendResult!.wroteOffset);
    expect(s.inspect().commitLogFiles.slice(0, 3)).toEqual(['00000000000000000000', '00000000000000004096', '00000000000000008192']);
    const recLen = offsets[1]! - offsets[0]!;
    const perFile = Math.floor((4096 - 8) / recLen);
    expect(offsets[perFile]).toBe(4096);
    await s.shutdown();
    stores.pop();
    const raw = fs.readFileSync(path.join(dir, 'commitlog', '00000000000000000000'));
    expect(raw.length).toBe(4096);
    const blankAt = perFile * recLen;
    expect(raw.readInt32BE(blankAt)).toBe(4096 - blankAt);
    expect(raw.readInt32BE(blankAt + 4)).toBe(BLANK_MAGIC_CODE);
    const s2 = await open(dir, { mappedFileSizeCommitLog: 4096 });
    const r = await s2.getMessage('g', 'Roll', 0, 0, 32);
    expect(r.msgCount).toBe(10);
    expect(r.messageBufferList.map((b) => decodeRecord(b).physicalOffset)).toEqual(offsets);
    expect(r.messageBufferList[9]!.subarray(-950).includes(Buffer.alloc(900, 74))).toBe(true);
  });

  it('syncs the store root after creating the commitlog directory, and that directory after creating each segment', async () => {
    const dir = newDir('segment-names');
    const ops: string[] = [];
    const commitLogDir = path.join(dir, 'commitlog');
    const spy: StoreFs = {
      ...nodeFs,
      openSync(file, flags) {
        if (flags === 'w+' && path.dirname(file) === commitLogDir) ops.push(`create ${path.basename(file)}`);
        return nodeFs.openSync(file, flags);
      },
      fsyncDirSync(d) {
        if (d === commitLogDir) ops.push('sync commitlog');
        // The root is synced for each new entry in it; this records the first sync that covers commitlog/.
        if (d === dir && fs.existsSync(commitLogDir) && !ops.includes('sync root')) ops.push('sync root');
        nodeFs.fsyncDirSync(d);
      },
    };
    const s = await open(dir, { fs: spy, mappedFileSizeCommitLog: 4096, flushDiskType: 'SYNC_FLUSH' });
    for (let i = 0; i < 6; i++) expect((await s.putMessage(message('Names', 0, Buffer.alloc(900)))).status).toBe(PutMessageStatus.PUT_OK);
    // Every segment holding an acknowledged message has a durable name before the acknowledgement.
    expect(ops).toEqual(['sync root', 'create 00000000000000000000', 'sync commitlog', 'create 00000000000000004096', 'sync commitlog']);
  });

  it('syncs every new directory on the way to a new queue\'s consume-queue file, and the file\'s own directory', async () => {
    const dir = newDir('cq-names');
    const synced: string[] = [];
    const spy: StoreFs = {
      ...nodeFs,
      fsyncDirSync(d) {
        synced.push(path.relative(dir, d) || '.');
        nodeFs.fsyncDirSync(d);
      },
    };
    const s = await open(dir, { fs: spy });
    synced.length = 0;
    expect((await s.putMessage(message('Durable', 3, Buffer.alloc(10)))).status).toBe(PutMessageStatus.PUT_OK);
    expect(s.getMaxOffsetInQueue('Durable', 3)).toBe(1);
    // Consume-queue units are written behind the commit log; shutting down writes them all.
    await s.shutdown();
    stores.pop();
    const queueDir = path.join('consumequeue', 'Durable', '3');
    // The names of Durable/ and 3/ are made durable in their parents, then the new file's name in 3/.
    expect(synced.filter((d) => d.startsWith('consumequeue'))).toEqual(expect.arrayContaining([path.join('consumequeue', 'Durable'), queueDir]));
    expect(synced.indexOf(queueDir)).toBeGreaterThan(synced.indexOf(path.join('consumequeue', 'Durable')));
  });

  it('mkdirpDurable syncs the parent of every directory it creates, and nothing when they all exist', () => {
    const dir = newDir('mkdirp-durable');
    const synced: string[] = [];
    const spy: StoreFs = { ...nodeFs, fsyncDirSync: (d) => void synced.push(path.relative(dir, d) || '.') };
    mkdirpDurable(spy, path.join(dir, 'a', 'b', 'c'));
    expect(fs.statSync(path.join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
    expect(synced.sort()).toEqual(['.', 'a', path.join('a', 'b')]);
    synced.length = 0;
    mkdirpDurable(spy, path.join(dir, 'a', 'b', 'c'));
    expect(synced).toEqual([]);
  });

  it('stores a batch contiguously with consecutive queue offsets and comma-joined ids', async () => {
    const s = await open(newDir('batch'), { mappedFileSizeCommitLog: 4096 });
    await s.putMessage(message('B', 1, Buffer.alloc(2500)));
    const batch = [0, 1, 2].map((i) => message('B', 1, `batch-${i}`.padEnd(400, '.'), { KEYS: `bk-${i}` }));
    const r = await s.putMessages(batch);
    expect(r.status).toBe(PutMessageStatus.PUT_OK);
    expect(r.appendResult!.msgNum).toBe(3);
    expect(r.appendResult!.queueOffset).toBe(1);
    expect(r.appendResult!.wroteOffset).toBe(4096); // did not fit behind the first record: whole batch moved
    expect(r.appendResult!.msgId.split(',')).toHaveLength(3);
    const got = await s.getMessage('g', 'B', 1, 1, 10);
    expect(got.messageBufferList.map((b) => decodeRecord(b).body.toString().slice(0, 7))).toEqual(['batch-0', 'batch-1', 'batch-2']);
    expect(s.queryMessage('B', 'bk-2', 10, 0, Number.MAX_SAFE_INTEGER).messageBufferList).toHaveLength(1);
  });

  it('writes records any RocketMQ reader can parse: raw commitlog, consume-queue units, index header', async () => {
    const dir = newDir('symmetry');
    const s = await open(dir, { storeHost: { address: '10.1.2.3', port: 10911 } });
    const sent = [0, 1, 2, 3, 4].map((i) => message('Sym', i % 2, `sym-${i}`, { TAGS: `t${i}`, KEYS: `sk${i}` }, { storeHost: { address: '10.1.2.3', port: 10911 } }));
    const results = [];
    for (const m of sent) results.push(await s.putMessage(m));
    expect(results[0]!.appendResult!.msgId).toBe('0A01020300002A9F0000000000000000');
    const ids = s as unknown as { offsetMsgId(h: { address: string; port: number }, o: number): string };
    for (const o of [1, 0xffffffff, 2 ** 32 + 5, 2 ** 40 + 0xabcdef, 2 ** 53 - 1]) {
      expect(ids.offsetMsgId(sent[0]!.storeHost, o)).toBe(createOffsetMessageId(sent[0]!.storeHost, o));
    }
    await s.shutdown();
    stores.pop();
    const raw = fs.readFileSync(path.join(dir, 'commitlog', '00000000000000000000'));
    const end = results[4]!.appendResult!.wroteOffset + results[4]!.appendResult!.wroteBytes;
    const decoded = decodeMessages(raw.subarray(0, end));
    expect(decoded.map((m) => Buffer.from(m.body).toString())).toEqual(['sym-0', 'sym-1', 'sym-2', 'sym-3', 'sym-4']);
    expect(decoded.map((m) => m.queueOffset)).toEqual([0, 0, 1, 1, 2]);
    expect(decoded[3]!.properties.get('KEYS')).toBe('sk3');
    expect(decoded[0]!.storeHost).toMatchObject({ address: '10.1.2.3', port: 10911 });
    const cq = fs.readFileSync(path.join(dir, 'consumequeue', 'Sym', '1', '00000000000000000000'));
    expect(cq.length).toBe(1000);
    expect(readInt64(cq, 0)).toBe(results[1]!.appendResult!.wroteOffset);
    expect(cq.readInt32BE(8)).toBe(results[1]!.appendResult!.wroteBytes);
    expect(readInt64(cq, 12)).toBe(decoded[1]!.properties.get('TAGS') === 't1' ? 't1'.split('').reduce((h, c) => (Math.imul(31, h) + c.charCodeAt(0)) | 0, 0) : -1);
    expect(cq.readInt32BE(48)).toBe(0); // third unit empty: end of queue
    const idxName = fs.readdirSync(path.join(dir, 'index'))[0]!;
    expect(idxName).toMatch(/^\d{17}$/);
    const idx = fs.readFileSync(path.join(dir, 'index', idxName));
    expect(idx.length).toBe(40 + 64 * 4 + 100 * 20);
    expect(idx.readInt32BE(36)).toBe(11); // 5 x (UNIQ_KEY + 1 key) + 1
    expect(readInt64(idx, 16)).toBe(0);
    expect(readInt64(idx, 24)).toBe(results[4]!.appendResult!.wroteOffset);
    const cp = fs.readFileSync(path.join(dir, 'checkpoint'));
    expect(cp.length).toBe(4096);
    expect(readInt64(cp, 8)).toBe(results[4]!.appendResult!.storeTimestamp);
    expect(fs.existsSync(path.join(dir, 'abort'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'lock'), 'utf8')).toBe('lock');
  });
});

describe('recovery of torn writes', () => {
  async function writeFive(dir: string) {
    const s = await open(dir);
    const r = [];
    for (let i = 0; i < 5; i++) r.push((await s.putMessage(message('Torn', 0, `torn-${i}-${'y'.repeat(200)}`))).appendResult!);
    await s.shutdown();
    stores.pop();
    fs.writeFileSync(path.join(dir, 'abort'), ''); // as if the process had died
    return r;
  }

  it('cuts a truncated last message and keeps the ones before it', async () => {
    const dir = newDir('torn-trunc');
    const r = await writeFive(dir);
    const file = path.join(dir, 'commitlog', '00000000000000000000');
    const fd = fs.openSync(file, 'r+');
    const last = r[4]!;
    fs.writeSync(fd, Buffer.alloc(last.wroteBytes - 100), 0, last.wroteBytes - 100, last.wroteOffset + 100); // only 100 bytes made it
    fs.closeSync(fd);
    const s = await open(dir);
    expect(s.recoveryReport!.truncatedTail).toBe(true);
    expect(s.getMaxPhyOffset()).toBe(last.wroteOffset);
    expect(s.getMaxOffsetInQueue('Torn', 0)).toBe(4);
    expect((await s.getMessage('g', 'Torn', 0, 4, 1)).status).toBe(GetMessageStatus.OFFSET_OVERFLOW_ONE);
    expect(s.queryMessage('Torn', decodeRecord(s.lookMessageByOffset(r[3]!.wroteOffset)!).propertiesRaw.split('\u0001')[1]!, 4, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([r[3]!.wroteOffset]);
    const next = await s.putMessage(message('Torn', 0, 'short'));
    expect(next.appendResult!.wroteOffset).toBe(last.wroteOffset);
    expect(next.appendResult!.queueOffset).toBe(4);
    const s2 = await reopen(s);
    const all = await s2.getMessage('g', 'Torn', 0, 0, 32);
    expect(all.messageBufferList.map((b) => decodeRecord(b).body.toString().slice(0, 7))).toEqual(['torn-0-', 'torn-1-', 'torn-2-', 'torn-3-', 'short']);
  });

  it('cuts a last message whose body CRC does not match (bit flip)', async () => {
    const dir = newDir('torn-flip');
    const r = await writeFive(dir);
    const file = path.join(dir, 'commitlog', '00000000000000000000');
    const buf = fs.readFileSync(file);
    buf[r[4]!.wroteOffset + 120]! ^= 0x04;
    fs.writeFileSync(file, buf);
    const s = await open(dir);
    expect(s.getMaxPhyOffset()).toBe(r[4]!.wroteOffset);
    expect(s.getMaxOffsetInQueue('Torn', 0)).toBe(4);
    expect(s.lookMessageByOffset(r[4]!.wroteOffset)).toBeUndefined();
  });

  it('rebuilds lost consume queues and index files from the commit log after a crash', async () => {
    const dir = newDir('rebuild');
    const r = await writeFive(dir);
    fs.rmSync(path.join(dir, 'consumequeue'), { recursive: true });
    fs.rmSync(path.join(dir, 'index'), { recursive: true });
    const s = await open(dir);
    expect(s.recoveryReport!.redispatched).toBe(5);
    expect(s.getMaxOffsetInQueue('Torn', 0)).toBe(5);
    const got = await s.getMessage('g', 'Torn', 0, 0, 32);
    expect(got.messageBufferList.map((b) => decodeRecord(b).physicalOffset)).toEqual(r.map((x) => x.wroteOffset));
    const uniq = decodeRecord(got.messageBufferList[2]!).propertiesRaw.split('\u0001')[1]!;
    expect(s.queryMessage('Torn', uniq, 4, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([r[2]!.wroteOffset]);
  });

  it('drops consume-queue units that point past the end of the commit log', async () => {
    const dir = newDir('cq-ahead');
    const r = await writeFive(dir);
    // The commit log loses its last two records; the consume queue still lists them.
    const fd = fs.openSync(path.join(dir, 'commitlog', '00000000000000000000'), 'r+');
    fs.writeSync(fd, Buffer.alloc(2000), 0, 2000, r[3]!.wroteOffset);
    fs.closeSync(fd);
    const s = await open(dir);
    expect(s.getMaxOffsetInQueue('Torn', 0)).toBe(3);
    expect((await s.getMessage('g', 'Torn', 0, 0, 32)).msgCount).toBe(3);
  });
});

describe('index recovery after a lost commit-log tail', () => {
  const cfg: Partial<MessageStoreConfig> = { flushDiskType: 'SYNC_FLUSH', maxHashSlotNum: 64 };
  const keyed = (name: string, body: string) => message('Recut', 0, body, { UNIQ_KEY: `u-${name}`, KEYS: name });

  /** Writes keyed records, then leaves the files as a process killed after their index entries were written but before the commit-log writes from `lostFrom` on landed. */
  async function crashLosingTail(dir: string, over: Partial<MessageStoreConfig>, count: number, lostFrom: number): Promise<number[]> {
    const s = await open(dir, { ...cfg, ...over });
    const at: number[] = [];
    for (let i = 0; i < count; i++) at.push((await s.putMessage(keyed(`old-${i}`, `old-${i}-${'o'.repeat(300)}`))).appendResult!.wroteOffset);
    await s.shutdown();
    stores.pop();
    const fd = fs.openSync(path.join(dir, 'commitlog', '00000000000000000000'), 'r+');
    fs.writeSync(fd, Buffer.alloc(64 * 1024 - at[lostFrom]!), 0, 64 * 1024 - at[lostFrom]!, at[lostFrom]!);
    fs.closeSync(fd);
    fs.writeFileSync(path.join(dir, 'abort'), '');
    return at;
  }

  const finder = (s: FileMessageStore) => (key: string) => s.queryMessage('Recut', key, 4, 0, Number.MAX_SAFE_INTEGER).phyOffsets;

  it('indexes the records written after recovery when the lost tail spans an index-file rollover', async () => {
    const dir = newDir('index-rollover-lost');
    // 10 records per index file: 25 records fill two files and start a third; records 15.. are lost.
    const old = await crashLosingTail(dir, { maxIndexNum: 21 }, 25, 15);
    const s = await open(dir, { ...cfg, maxIndexNum: 21 });
    expect(s.recoveryReport!.lastExitOK).toBe(false);
    const fresh: number[] = [];
    for (let i = 0; i < 3; i++) fresh.push((await s.putMessage(keyed(`new-${i}`, `new-${i}`))).appendResult!.wroteOffset);
    expect(fresh[0]).toBe(old[15]);
    const find = finder(s);
    for (let i = 0; i < 3; i++) expect(find(`new-${i}`), `new-${i}`).toEqual([fresh[i]]);
    for (let i = 0; i < 15; i++) expect(find(`old-${i}`), `old-${i}`).toEqual([old[i]]);
    for (let i = 15; i < 25; i++) expect(find(`old-${i}`), `old-${i}`).toEqual([]);
    const again = finder(await reopen(s));
    for (let i = 0; i < 3; i++) expect(again(`u-new-${i}`), `u-new-${i}`).toEqual([fresh[i]]);
  });

  it('finds every acknowledged key when the store crashes again after that recovery', async () => {
    const dir = newDir('index-recut');
    // Recovery cuts the index back to the 10 surviving records; the entries of the lost 30 stay in
    // the file beyond them.
    const old = await crashLosingTail(dir, { maxIndexNum: 400 }, 40, 10);
    const s2 = await open(dir, { ...cfg, maxIndexNum: 400 });
    // Eight small keyed records and one large keyless one are acknowledged (index entries written,
    // commit log synced), then the process is killed: the copy is what its files look like then.
    const fresh: number[] = [];
    for (let i = 0; i < 8; i++) fresh.push((await s2.putMessage(keyed(`new-${i}`, `new-${i}`))).appendResult!.wroteOffset);
    expect((await s2.putMessage(message('Recut', 0, 'k'.repeat(16 * 1024), {}, { propertiesString: '' }))).status).toBe(PutMessageStatus.PUT_OK);
    const killed = newDir('index-recut-killed');
    fs.cpSync(dir, killed, { recursive: true });
    const s3 = await open(killed, { ...cfg, maxIndexNum: 400 });
    expect(s3.recoveryReport!.lastExitOK).toBe(false);
    const find = finder(s3);
    for (let i = 0; i < 10; i++) expect(find(`old-${i}`), `old-${i}`).toEqual([old[i]]);
    for (let i = 10; i < 40; i++) expect(find(`old-${i}`), `old-${i}`).toEqual([]);
    for (let i = 0; i < 8; i++) {
      expect(find(`new-${i}`), `new-${i}`).toEqual([fresh[i]]);
      expect(find(`u-new-${i}`), `u-new-${i}`).toEqual([fresh[i]]);
    }
  });
});

describe('index file creation and what a kill during it leaves', () => {
  // 21 entries per file = 10 records of two keys (UNIQ_KEY + KEYS) each.
  const cfg: Partial<MessageStoreConfig> = { maxHashSlotNum: 64, maxIndexNum: 21 };
  const keyed = (i: number, body = `k-${i}`) => message('Born', 0, body, { UNIQ_KEY: `u-born-${i}`, KEYS: `born-${i}` });
  const indexDir = (dir: string) => path.join(dir, 'index');
  const expectAllFound = (s: FileMessageStore, at: number[]) => {
    for (let i = 0; i < at.length; i++) {
      expect(s.queryMessage('Born', `born-${i}`, 4, 0, Number.MAX_SAFE_INTEGER).phyOffsets, `born-${i}`).toEqual([at[i]]);
      expect(s.queryMessage('Born', `u-born-${i}`, 4, 0, Number.MAX_SAFE_INTEGER).phyOffsets, `u-born-${i}`).toEqual([at[i]]);
    }
  };
  function recordingLogger(): StoreLogger & { warns: { obj: object | string; msg?: string }[] } {
    const warns: { obj: object | string; msg?: string }[] = [];
    return { warns, info() {}, error() {}, warn: (obj, msg) => void warns.push({ obj, msg }) };
  }
  /** Writes `count` keyed records (two index files for 15), shuts down and leaves the crash marker, as a kill would. */
  async function storeWithIndexFiles(dir: string, count: number, over: Partial<MessageStoreConfig> = {}): Promise<{ at: number[]; files: string[] }> {
    const s = await open(dir, { ...cfg, ...over });
    const at: number[] = [];
    for (let i = 0; i < count; i++) at.push((await s.putMessage(keyed(i))).appendResult!.wroteOffset);
    const files = s.inspect().indexFiles.map((f) => f.name);
    await s.shutdown();
    stores.pop();
    fs.writeFileSync(path.join(dir, 'abort'), '');
    return { at, files };
  }

  it('creates a new file whole: sized and headed under a temporary name, then renamed into place', async () => {
    const dir = newDir('index-create');
    const renames: { from: string; to: string; size: number; header: Buffer; targetExisted: boolean }[] = [];
    const createdUnderFinalName: string[] = [];
    // The number of renames done at each sync of the index directory.
    const dirSyncsAfterRename: number[] = [];
    const spy: StoreFs = {
      ...nodeFs,
      openSync(file, flags) {
        if (flags === 'w+' && /^\d{17}$/.test(path.basename(file))) createdUnderFinalName.push(file);
        return nodeFs.openSync(file, flags);
      },
      renameSync(from, to) {
        renames.push({ from, to, size: fs.statSync(from).size, header: fs.readFileSync(from).subarray(0, 40), targetExisted: fs.existsSync(to) });
        nodeFs.renameSync(from, to);
      },
      fsyncDirSync(d) {
        if (d === indexDir(dir)) dirSyncsAfterRename.push(renames.length);
        nodeFs.fsyncDirSync(d);
      },
    };
    const s = await open(dir, { ...cfg, fs: spy });
    const at: number[] = [];
    for (let i = 0; i < 15; i++) at.push((await s.putMessage(keyed(i))).appendResult!.wroteOffset);
    const [first, second] = s.inspect().indexFiles;
    expect(createdUnderFinalName).toEqual([]);
    expect(renames.map((r) => [path.basename(r.from), path.basename(r.to)])).toEqual([
      [`${first!.name}.tmp`, first!.name],
      [`${second!.name}.tmp`, second!.name],
    ]);
    const fileSize = 40 + 64 * 4 + 21 * 20;
    expect(renames.map((r) => r.size)).toEqual([fileSize, fileSize]);
    expect(renames.some((r) => r.targetExisted)).toBe(false);
    // Each rename is made durable before the file is used.
    expect(dirSyncsAfterRename).toEqual([1, 2]);
    // The second file's header is on disk before it appears: it begins where the first one ended.
    const h = renames[1]!.header;
    expect([readInt64(h, 0), readInt64(h, 8), readInt64(h, 16), readInt64(h, 24), h.readInt32BE(32), h.readInt32BE(36)]).toEqual([
      first!.endTimestamp,
      first!.endTimestamp,
      at[9],
      at[9],
      0,
      1,
    ]);
    expect(fs.readdirSync(indexDir(dir)).sort()).toEqual([first!.name, second!.name]);
    expectAllFound(s, at);
  });

  it('deletes a temporary file left by a kill before the rename, and finds every key', async () => {
    const dir = newDir('index-tmp-leftover');
    const { at, files } = await storeWithIndexFiles(dir, 15);
    // The kill landed after sizing and heading the third file, before its rename.
    const leftover = path.join(indexDir(dir), '29991231235959999.tmp');
    fs.writeFileSync(leftover, Buffer.alloc(40 + 64 * 4 + 21 * 20));
    const log = recordingLogger();
    const s = await open(dir, { ...cfg, logger: log });
    expect(s.recoveryReport!.lastExitOK).toBe(false);
    expect(fs.existsSync(leftover)).toBe(false);
    expect(log.warns.some((w) => JSON.stringify(w.obj).includes(leftover))).toBe(true);
    expect(s.inspect().indexFiles.map((f) => f.name)).toEqual(files);
    expectAllFound(s, at);
  });

  it('deletes a zero-length index file at load and says which one and why in a warn line', async () => {
    const dir = newDir('index-zero-length');
    const { at, files } = await storeWithIndexFiles(dir, 15);
    // An older store was killed between creating the third file and sizing it.
    const empty = path.join(indexDir(dir), '29991231235959999');
    fs.writeFileSync(empty, '');
    const log = recordingLogger();
    const s = await open(dir, { ...cfg, logger: log });
    expect(fs.existsSync(empty)).toBe(false);
    const warn = log.warns.find((w) => JSON.stringify(w.obj).includes(empty));
    expect(warn?.msg).toMatch(/zero-length/);
    expect(s.inspect().indexFiles.map((f) => f.name)).toEqual(files);
    const fresh = (await s.putMessage(keyed(15))).appendResult!.wroteOffset;
    expectAllFound(s, [...at, fresh]);
  });

  it('drops an all-zero-header newest file after full ones and replays only what follows the previous file', async () => {
    const dir = newDir('index-zero-header');
    let now = 1_800_000_000_000;
    const clock = () => now;
    // ~6 KiB records: ten per 64 KiB segment, so the checkpoint's segment starts after the third index file ends.
    const s = await open(dir, { ...cfg, now: clock });
    const at: number[] = [];
    for (let i = 0; i < 35; i++) {
      at.push((await s.putMessage(keyed(i, `k-${i}-${'z'.repeat(6000)}`))).appendResult!.wroteOffset);
      now += 10_000;
    }
    const headers = s.inspect().indexFiles;
    expect(s.inspect().commitLogFiles.length).toBe(4);
    await s.shutdown();
    stores.pop();
    expect(headers.map((h) => h.indexCount)).toEqual([21, 21, 21, 11]);
    // An older store was killed after creating and sizing the fourth file, before writing its header.
    const newest = path.join(indexDir(dir), headers[3]!.name);
    fs.writeFileSync(newest, Buffer.alloc(fs.statSync(newest).size));
    fs.writeFileSync(path.join(dir, 'abort'), '');
    now += 60_000;
    const s2 = await open(dir, { ...cfg, now: clock });
    const previousEnd = headers[2]!.endPhyOffset;
    const afterPrevious = at.filter((o) => o >= previousEnd).length;
    expect(afterPrevious).toBeLessThan(at.length / 2);
    expect(s2.recoveryReport!.redispatched).toBeGreaterThan(0);
    expect(s2.recoveryReport!.redispatched).toBeLessThanOrEqual(afterPrevious);
    expect(fs.existsSync(newest)).toBe(false);
    for (const name of fs.readdirSync(indexDir(dir))) {
      expect(name).toMatch(/^\d{17}$/);
      expect(fs.readFileSync(path.join(indexDir(dir), name)).subarray(0, 40).equals(Buffer.alloc(40)), name).toBe(false);
    }
    expectAllFound(s2, at);
    expectAllFound(await reopen(s2, { now: clock }), at);
  });
});

describe('getMessage', () => {
  it('answers each RocketMQ status with its offset correction', async () => {
    const s = await open(newDir('status'), { maxTransferCountOnMessageInMemory: 4 });
    for (let i = 0; i < 10; i++) await s.putMessage(message('St', 0, `st-${i}`, { TAGS: i % 2 ? 'odd' : 'even' }, { tagsCode: i % 2 ? 1 : 2 }));
    expect((await s.getMessage('g', 'Nope', 0, 0, 32)).status).toBe(GetMessageStatus.NO_MATCHED_LOGIC_QUEUE);
    const found = await s.getMessage('g', 'St', 0, 2, 32);
    expect(found).toMatchObject({ status: GetMessageStatus.FOUND, msgCount: 4, nextBeginOffset: 6, minOffset: 0, maxOffset: 10 });
    expect(found.messageQueueOffsets).toEqual([2, 3, 4, 5]);
    expect(await s.getMessage('g', 'St', 0, 10, 32)).toMatchObject({ status: GetMessageStatus.OFFSET_OVERFLOW_ONE, nextBeginOffset: 10 });
    expect(await s.getMessage('g', 'St', 0, 15, 32)).toMatchObject({ status: GetMessageStatus.OFFSET_OVERFLOW_BADLY, nextBeginOffset: 0 });
    const none = await s.getMessage('g', 'St', 0, 0, 32, tagsSpy(() => false));
    expect(none).toMatchObject({ status: GetMessageStatus.NO_MATCHED_MESSAGE, nextBeginOffset: 10, msgCount: 0 });
    const odd = await s.getMessage('g', 'St', 0, 0, 2, tagsSpy((t) => t === 1));
    expect(odd.messageBufferList.map((b) => decodeRecord(b).body.toString())).toEqual(['st-1', 'st-3']);
    expect(odd.nextBeginOffset).toBe(4);
    // A queue that exists but has no units: the PREPARED half of a transaction gets no consume-queue unit.
    const half = await s.putMessage(message('Tx', 0, 'half', {}, { sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE }));
    expect(half.appendResult!.queueOffset).toBe(0);
    expect(await s.getMessage('g', 'Tx', 0, 3, 32)).toMatchObject({ status: GetMessageStatus.NO_MESSAGE_IN_QUEUE, nextBeginOffset: 0 });
  });

  it('reports OFFSET_TOO_SMALL once retention moved the min offset', async () => {
    const s = await open(newDir('small'), { mappedFileSizeCommitLog: 4096, fileReservedTime: 0 });
    for (let i = 0; i < 30; i++) await s.putMessage(message('Old', 0, Buffer.alloc(500, i)));
    // Segment mtimes must be in the past and the consume-queue units written (they are batched for up to
    // 10 ms); on a loaded machine that can take longer than any fixed pause, so retry the manual delete.
    let min = 0;
    for (let i = 0; i < 250 && min === 0; i++) {
      await sleep(20);
      s.executeDeleteFilesManually();
      min = s.getMinOffsetInQueue('Old', 0);
    }
    expect(min).toBeGreaterThan(0);
    expect(await s.getMessage('g', 'Old', 0, 0, 32)).toMatchObject({ status: GetMessageStatus.OFFSET_TOO_SMALL, nextBeginOffset: min });
    expect(await s.getMessage('g', 'Old', 0, 99, 32)).toMatchObject({ status: GetMessageStatus.OFFSET_OVERFLOW_BADLY, nextBeginOffset: 30 });
  });
});

describe('getMessage on a removed segment', () => {
  it('answers MESSAGE_WAS_REMOVING when the commit log no longer has the records, FOUND past them', async () => {
    const s = await open(newDir('removing'), { mappedFileSizeCommitLog: 4096 });
    for (let i = 0; i < 8; i++) await s.putMessage(message('Rm', 0, Buffer.alloc(900, i))); // segments 0 and 1
    await s.putMessage(message('Other', 0, Buffer.alloc(900))); // segment 2
    // Delete segments behind the consume queue's back (as if a reader raced retention).
    const internals = s as unknown as { commitLog: { deleteExpiredFiles(f: () => boolean, max: number): number } };
    expect(internals.commitLog.deleteExpiredFiles(() => true, 2)).toBe(2);
    const gone = await s.getMessage('g', 'Rm', 0, 0, 4);
    expect(gone).toMatchObject({ status: GetMessageStatus.MESSAGE_WAS_REMOVING, msgCount: 0, nextBeginOffset: 8 });
    await s.putMessage(message('Rm', 0, 'survivor'));
    const past = await s.getMessage('g', 'Rm', 0, 0, 32);
    expect(past.status).toBe(GetMessageStatus.FOUND);
    expect(past.messageBufferList.map((b) => decodeRecord(b).body.toString())).toEqual(['survivor']);
    expect(past.messageQueueOffsets).toEqual([8]);
  });
});

describe('bad input', () => {
  it('refuses oversized bodies, invalid topics and oversized properties before writing', async () => {
    const s = await open(newDir('bad'), { maxMessageSize: 1024 });
    const big = await s.putMessage(message('Ok', 0, Buffer.alloc(1025)));
    expect(big.status).toBe(PutMessageStatus.MESSAGE_ILLEGAL);
    expect(big.remark).toMatch(/1025 bytes.*maxMessageSize 1024/);
    for (const topic of ['', 'bad topic', 'x'.repeat(128), 'a/b']) {
      const r = await s.putMessage(message(topic, 0, 'x'));
      expect(r.status).toBe(PutMessageStatus.MESSAGE_ILLEGAL);
      expect(r.remark).toContain('topic');
    }
    const props = await s.putMessage(message('Ok', 0, 'x', { huge: 'p'.repeat(33_000) }));
    expect(props.status).toBe(PutMessageStatus.PROPERTIES_SIZE_EXCEEDED);
    expect((await s.putMessages([message('Ok', 0, 'a'), message('Other', 0, 'b')])).status).toBe(PutMessageStatus.MESSAGE_ILLEGAL);
    const tiny = await open(newDir('tiny'), { mappedFileSizeCommitLog: 512 });
    const tooBig = await tiny.putMessage(message('Ok', 0, Buffer.alloc(600)));
    expect(tooBig.status).toBe(PutMessageStatus.MESSAGE_ILLEGAL);
    expect(tooBig.remark).toMatch(/mappedFileSizeCommitLog/);
    expect(tiny.getMaxPhyOffset()).toBe(0);
    expect(s.getMaxPhyOffset()).toBe(0);
    expect((await s.putMessage(message('Ok', 0, Buffer.alloc(1024)))).status).toBe(PutMessageStatus.PUT_OK);
  });
});

describe('IndexFile', () => {
  it('finds messages by key within a time range, across index files and restarts', async () => {
    let now = 1_800_000_000_000;
    const s = await open(newDir('index'), { now: () => now, maxIndexNum: 20 });
    const at: Record<string, number> = {};
    for (let i = 0; i < 30; i++) {
      now += 10_000;
      const r = await s.putMessage(message('Idx', i % 2, `i-${i}`, { KEYS: `order-${i % 3} id-${i}` }));
      at[`id-${i}`] = r.appendResult!.wroteOffset;
    }
    expect(s.inspect().indexFiles.length).toBeGreaterThan(2);
    const all = s.queryMessage('Idx', 'order-1', 64, 0, Number.MAX_SAFE_INTEGER);
    expect(all.phyOffsets).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28].map((i) => at[`id-${i}`]));
    const begin = 1_800_000_000_000 + 10_000 * 11; // store time of id-10
    const window = s.queryMessage('Idx', 'order-1', 64, begin, begin + 60_000);
    expect(window.phyOffsets).toEqual([10, 13, 16].map((i) => at[`id-${i}`]));
    expect(s.queryMessage('Idx', 'order-1', 3, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toHaveLength(3);
    expect(s.queryMessage('Other', 'order-1', 64, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([]);
    const s2 = await reopen(s, { now: () => now });
    expect(s2.queryMessage('Idx', 'id-29', 64, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([at['id-29']]);
    expect(s2.queryMessage('Idx', 'order-1', 64, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toHaveLength(10);
  });
});

describe('getOffsetInQueueByTime', () => {
  it('returns the exact or nearest queue offset by store time', async () => {
    let now = 1_800_000_000_000;
    const s = await open(newDir('bytime'), { now: () => now });
    for (let i = 0; i < 20; i++) {
      now = 1_800_000_000_000 + i * 1000;
      await s.putMessage(message('T', 0, `t-${i}`));
    }
    const base = 1_800_000_000_000;
    expect(s.getOffsetInQueueByTime('T', 0, base + 7000)).toBe(7);
    expect(s.getOffsetInQueueByTime('T', 0, base + 7200)).toBe(7);
    expect(s.getOffsetInQueueByTime('T', 0, base + 7800)).toBe(8);
    expect(s.getOffsetInQueueByTime('T', 0, 0)).toBe(0);
    expect(s.getOffsetInQueueByTime('T', 0, base + 99_000)).toBe(19);
    expect(s.getEarliestMessageTime('T', 0)).toBe(base);
    expect(s.getMessageStoreTimeStamp('T', 0, 5)).toBe(base + 5000);
  });
});

describe('retention', () => {
  it('deletes expired segments at deleteWhen and moves consume-queue and index min offsets', async () => {
    const later = () => Date.now() + 3 * 3_600_000;
    const s = await open(newDir('retention'), {
      mappedFileSizeCommitLog: 4096,
      mappedFileSizeConsumeQueue: 5 * 20,
      maxIndexNum: 10,
      fileReservedTime: 1,
      deleteWhen: `${new Date(later()).getHours()};${(new Date(later()).getHours() + 1) % 24}`, // also right after the hour turns
      cleanResourceInterval: 30,
      now: later,
    });
    for (let i = 0; i < 40; i++) await s.putMessage(message('R', 0, Buffer.alloc(400, i), { KEYS: `r${i}` }));
    const filesBefore = s.inspect().commitLogFiles.length;
    const indexBefore = s.inspect().indexFiles.length;
    // Retention runs every 30 ms; the queue's min follows once its units are dispatched (batched up to 10 ms).
    for (let i = 0; i < 250 && (s.getMinPhyOffset() === 0 || s.getMinOffsetInQueue('R', 0) === 0); i++) await sleep(20);
    expect(s.inspect().commitLogFiles).toHaveLength(1);
    expect(filesBefore).toBeGreaterThan(3);
    const minPhy = s.getMinPhyOffset();
    expect(minPhy).toBeGreaterThan(0);
    const minQ = s.getMinOffsetInQueue('R', 0);
    expect(minQ).toBeGreaterThan(0);
    expect(s.getCommitLogOffsetInQueue('R', 0, minQ)).toBeGreaterThanOrEqual(minPhy);
    expect(s.getCommitLogOffsetInQueue('R', 0, minQ - 1)).toBe(0);
    expect(fs.readdirSync(path.join(s.config.storePathRootDir, 'consumequeue', 'R', '0')).length).toBeLessThan(8);
    expect(s.inspect().indexFiles.length).toBeLessThan(indexBefore);
    const r = await s.getMessage('g', 'R', 0, minQ, 32);
    expect(r.status).toBe(GetMessageStatus.FOUND);
    expect(r.msgCount).toBe(40 - minQ);
    const s2 = await reopen(s);
    expect(s2.getMinOffsetInQueue('R', 0)).toBe(minQ);
  });

  it('keeps unexpired segments unless the disk is nearly full, then cleans forcibly and refuses writes above the warning level', async () => {
    const fsMem = new MemoryFs(40 * 64 * 1024);
    const s = new MemoryMessageStore({ fs: fsMem, storePathRootDir: '/ret', logger: silentLogger, mappedFileSizeCommitLog: 64 * 1024, fileReservedTime: 72, cleanResourceInterval: 3_600_000 });
    await s.start();
    stores.push(s);
    for (let i = 0; i < 20; i++) await s.putMessage(message('D', 0, Buffer.alloc(20_000, i)));
    s.executeDeleteFilesManually();
    expect(s.getMinPhyOffset()).toBe(0); // nothing expired
    for (let i = 0; i < 300 && s.getStoreStats().commitLogDiskRatio <= 0.9; i++) await s.putMessage(message('D', 0, Buffer.alloc(20_000, i)));
    await tick();
    expect(s.getStoreStats().commitLogDiskRatio).toBeGreaterThan(0.9);
    s.executeDeleteFilesManually();
    expect(s.getMinPhyOffset()).toBeGreaterThan(0); // forced cleaning of unexpired segments
    expect(s.isReadOnly()).toBe(true);
    const refused = await s.putMessage(message('D', 0, 'x'));
    expect(refused.status).toBe(PutMessageStatus.SERVICE_NOT_AVAILABLE);
    expect(refused.remark).toMatch(/diskSpaceWarningLevelRatio/);
    while (s.getStoreStats().commitLogDiskRatio > 0.75) s.executeDeleteFilesManually();
    s.executeDeleteFilesManually();
    expect(s.isReadOnly()).toBe(false);
    expect((await s.putMessage(message('D', 0, 'x'))).status).toBe(PutMessageStatus.PUT_OK);
  });

  it('defers closing a segment until the reader holding it lets go', async () => {
    const { MappedFile } = await import('../src/commitlog/mapped-file.js');
    const dir = newDir('hold');
    const file = path.join(dir, 'seg');
    fs.writeFileSync(file, 'data');
    const seg = new MappedFile(file, 0, 4, fs.openSync(file, 'r+'), nodeFs);
    expect(seg.hold()).toBe(true);
    seg.destroy();
    expect(fs.existsSync(file)).toBe(true);
    expect(seg.hold()).toBe(false); // no new readers
    const b = Buffer.alloc(4);
    fs.readSync(seg.fd, b, 0, 4, 0);
    expect(b.toString()).toBe('data');
    seg.release();
    expect(fs.existsSync(file)).toBe(false);
  });
});

/** A file layer whose writes / syncs fail with ENOSPC while `failing` is set. */
function faultyFs(): StoreFs & { failing: boolean; syncs: number } {
  const f = {
    ...nodeFs,
    failing: false,
    syncs: 0,
    writeSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number) {
      if (f.failing) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return nodeFs.writeSync(fd, buf, off, len, pos);
    },
    write(fd: number, buf: Uint8Array, off: number, len: number, pos: number, cb: (err: NodeJS.ErrnoException | null, n: number) => void) {
      if (f.failing) return setImmediate(cb, Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 0);
      nodeFs.write(fd, buf, off, len, pos, cb);
    },
    fdatasync(fd: number, cb: (err: NodeJS.ErrnoException | null) => void) {
      f.syncs++;
      if (f.failing) return setImmediate(cb, Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }));
      nodeFs.fdatasync(fd, cb);
    },
  };
  return f;
}

describe('write errors', () => {
  it('turns read-only with the reason, keeps the data and recovers when writes succeed again', async () => {
    const ffs = faultyFs();
    const dir = newDir('readonly');
    const s = await open(dir, { fs: ffs, writeProbeInterval: 20 });
    expect((await s.putMessage(message('W', 0, 'before'))).status).toBe(PutMessageStatus.PUT_OK);
    await tick();
    ffs.failing = true;
    const buffered = await s.putMessage(message('W', 0, 'buffered')); // ASYNC_FLUSH: acknowledged from the buffer
    expect(buffered.status).toBe(PutMessageStatus.PUT_OK);
    await tick();
    expect(s.isReadOnly()).toBe(true);
    const refused = await s.putMessage(message('W', 0, 'refused'));
    expect(refused.status).toBe(PutMessageStatus.SERVICE_NOT_AVAILABLE);
    expect(refused.remark).toMatch(/read-only.*ENOSPC/);
    expect(s.getRuntimeInfo().storeState).toMatch(/READ_ONLY/);
    const readable = await s.getMessage('g', 'W', 0, 0, 32);
    expect(readable.messageBufferList.map((b) => decodeRecord(b).body.toString())).toEqual(['before', 'buffered']);
    ffs.failing = false;
    for (let i = 0; i < 250 && s.isReadOnly(); i++) await sleep(20);
    expect(s.isReadOnly()).toBe(false);
    expect((await s.putMessage(message('W', 0, 'after'))).status).toBe(PutMessageStatus.PUT_OK);
    const s2 = await reopen(s, { fs: nodeFs });
    const all = await s2.getMessage('g', 'W', 0, 0, 32);
    expect(all.messageBufferList.map((b) => decodeRecord(b).body.toString())).toEqual(['before', 'buffered', 'after']);
  });

  it('answers FLUSH_DISK_TIMEOUT under SYNC_FLUSH when fdatasync keeps failing', async () => {
    const ffs = faultyFs();
    const s = await open(newDir('flush-timeout'), { fs: ffs, flushDiskType: 'SYNC_FLUSH', syncFlushTimeout: 200, writeProbeInterval: 10_000 });
    expect((await s.putMessage(message('F', 0, 'ok'))).status).toBe(PutMessageStatus.PUT_OK);
    const origSync = ffs.fdatasync;
    ffs.fdatasync = (fd, cb) => setImmediate(cb, Object.assign(new Error('EIO'), { code: 'EIO' }));
    const r = await s.putMessage(message('F', 0, 'stuck'));
    expect(r.status).toBe(PutMessageStatus.FLUSH_DISK_TIMEOUT);
    expect(r.appendResult!.queueOffset).toBe(1);
    ffs.fdatasync = origSync;
  });
});

describe('SYNC_FLUSH group commit', () => {
  it('acknowledges concurrent puts with far fewer fdatasyncs than puts', async () => {
    const ffs = faultyFs();
    const s = await open(newDir('group'), { fs: ffs, flushDiskType: 'SYNC_FLUSH', mappedFileSizeCommitLog: 1 << 20 });
    const before = ffs.syncs;
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => s.putMessage(message('G', i % 4, `g-${i}`))));
    expect(results.every((r) => r.status === PutMessageStatus.PUT_OK)).toBe(true);
    expect(ffs.syncs - before).toBeLessThan(20);
    expect(ffs.syncs - before).toBeGreaterThan(0);
  });
});

describe('dispatch', () => {
  it('puts the delivery time into SCHEDULE_TOPIC_XXXX units, also when rebuilt after a crash', async () => {
    const dir = newDir('delay');
    const s = await open(dir);
    const r = await s.putMessage(message('SCHEDULE_TOPIC_XXXX', 1, 'later', { DELAY: '2', REAL_TOPIC: 'Real', REAL_QID: '0' }));
    const spy = tagsSpy();
    await s.getMessage('g', 'SCHEDULE_TOPIC_XXXX', 1, 0, 1, spy);
    expect(spy.seen).toEqual([r.appendResult!.storeTimestamp + 5000]);
    await s.shutdown();
    stores.pop();
    fs.rmSync(path.join(dir, 'consumequeue'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'abort'), '');
    const s2 = await open(dir);
    const spy2 = tagsSpy();
    await s2.getMessage('g', 'SCHEDULE_TOPIC_XXXX', 1, 0, 1, spy2);
    expect(spy2.seen).toEqual([r.appendResult!.storeTimestamp + 5000]);
  });

  it('skips PREPARED and ROLLBACK records in consume queues, indexes PREPARED but not ROLLBACK', async () => {
    const s = await open(newDir('tx'));
    await s.putMessage(message('TxT', 0, 'prep', { KEYS: 'kp' }, { sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE }));
    await s.putMessage(message('TxT', 0, 'rb', { KEYS: 'kr' }, { sysFlag: MessageSysFlag.TRANSACTION_ROLLBACK_TYPE }));
    const commit = await s.putMessage(message('TxT', 0, 'commit', { KEYS: 'kc' }, { sysFlag: MessageSysFlag.TRANSACTION_COMMIT_TYPE }));
    expect(commit.appendResult!.queueOffset).toBe(0);
    expect(s.getMaxOffsetInQueue('TxT', 0)).toBe(1);
    expect(s.queryMessage('TxT', 'kp', 4, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toHaveLength(1);
    expect(s.queryMessage('TxT', 'kr', 4, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toHaveLength(0);
    expect(s.queryMessage('TxT', 'kc', 4, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([commit.appendResult!.wroteOffset]);
  });

  it('signals arrival with the new max offset so long polling can wake', async () => {
    const s = await open(newDir('arrive'));
    const seen: unknown[] = [];
    const l = (topic: string, queueId: number, logicOffset: number, tagsCode: number) => seen.push([topic, queueId, logicOffset, tagsCode]);
    s.addMessageArrivingListener(l);
    await s.putMessage(message('A', 3, 'a', { TAGS: 'TagA' }, { tagsCode: 2598919 }));
    await s.putMessage(message('A', 3, 'b'));
    s.removeMessageArrivingListener(l);
    await s.putMessage(message('A', 3, 'c'));
    expect(seen).toEqual([['A', 3, 1, 2598919], ['A', 3, 2, 0]]);
  });

  it('deletes topics and expired consume queues', async () => {
    const s = await open(newDir('deltopic'));
    await s.putMessage(message('Gone', 0, 'x'));
    await s.putMessage(message('Stay', 0, 'y'));
    expect(s.deleteTopics(['Gone'])).toBe(1);
    expect((await s.getMessage('g', 'Gone', 0, 0, 1)).status).toBe(GetMessageStatus.NO_MATCHED_LOGIC_QUEUE);
    expect([...s.getConsumeQueueTable().keys()]).toEqual(['Stay']);
    await s.putMessage(message('SCHEDULE_TOPIC_XXXX', 2, 'parked', { DELAY: '3' }));
    s.cleanExpiredConsumeQueue(new Set(['Other']));
    // The schedule topic's queues stay: the delay service's offsets point into them.
    expect([...s.getConsumeQueueTable().keys()]).toEqual(['SCHEDULE_TOPIC_XXXX']);
    const s2 = await reopen(s);
    expect([...s2.getConsumeQueueTable().keys()]).toEqual(['SCHEDULE_TOPIC_XXXX']);
  });
});

describe('StoreCheckpoint', () => {
  it('advances in the background once consume queues and index are durable', async () => {
    const dir = newDir('checkpoint');
    const s = await open(dir, { flushIntervalConsumeQueue: 20, flushIntervalCommitLog: 20 });
    const r = await s.putMessage(message('Cp', 0, 'cp', { KEYS: 'ck' }));
    const ts = r.appendResult!.storeTimestamp;
    const inMemory = () => {
      const c = s.inspect().checkpoint!;
      return [c.physicMsgTimestamp, c.logicsMsgTimestamp, c.indexMsgTimestamp];
    };
    for (let i = 0; i < 200 && inMemory().some((t) => t !== ts); i++) await sleep(10);
    expect(inMemory()).toEqual([ts, ts, ts]);
    // The file catches up at the next background flush.
    const onDisk = () => {
      const raw = fs.readFileSync(path.join(dir, 'checkpoint'));
      return [readInt64(raw, 0), readInt64(raw, 8), readInt64(raw, 16)];
    };
    for (let i = 0; i < 200 && onDisk().some((t) => t !== ts); i++) await sleep(10);
    expect(onDisk()).toEqual([ts, ts, ts]);
    expect(fs.existsSync(path.join(dir, 'abort'))).toBe(true); // still running
  });
});

describe('statistics', () => {
  it('counts puts, gets and reports per-queue and store-wide figures', async () => {
    const s = await open(newDir('stats'));
    for (let i = 0; i < 5; i++) await s.putMessage(message('S', 1, `s-${i}`));
    await s.getMessage('g', 'S', 1, 0, 32);
    await s.getMessage('g', 'S', 1, 5, 32);
    const st = s.getStoreStats();
    expect(st.putMessageTimesTotal).toBe(5);
    expect(st.getMessageTimesTotalFound).toBe(1);
    expect(st.getMessageTimesTotalMiss).toBe(1);
    expect(st.putTps10s).toBeGreaterThan(0);
    expect(st.commitLogMaxOffset).toBe(s.getMaxPhyOffset());
    expect(st.commitLogDiskRatio).toBeGreaterThan(0);
    expect(s.getQueueStats('S', 1)).toMatchObject({ minOffset: 0, maxOffset: 5, msgCount: 5 });
    expect(s.getRuntimeInfo().putMessageTimesTotal).toBe('5');
  });
});

describe('MemoryMessageStore', () => {
  it('implements the same contract on RAM', async () => {
    const s = new MemoryMessageStore({ logger: silentLogger, flushDiskType: 'SYNC_FLUSH' });
    await s.start();
    stores.push(s);
    const r = await s.putMessage(message('M', 0, 'mem', { KEYS: 'mk' }));
    expect(r.status).toBe(PutMessageStatus.PUT_OK);
    const got = await s.getMessage('g', 'M', 0, 0, 32);
    expect(decodeRecord(got.messageBufferList[0]!).body.toString()).toBe('mem');
    expect(s.queryMessage('M', 'mk', 4, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([0]);
    expect(fs.existsSync(s.config.storePathRootDir)).toBe(false);
  });
});
