import path from 'node:path';
import { mkdirpDurable, type StoreFs } from '../store-fs.js';
import type { StoreLogger } from '../log.js';
import { continueJavaHash, INDEX_FILE_TMP_SUFFIX, IndexFile, positiveKeyHash } from './index-file.js';
import { findProperty, getTransactionValue, javaStringHashCode, MessageConst, MessageSysFlag } from '@rockit/common';
import type { DispatchRequest } from '../commitlog/message-record.js';

/** RocketMQ caps one index query at 64 offsets (`maxMsgsNumBatch`). */
export const MAX_MSGS_NUM_BATCH = 64;

/** `yyyyMMddHHmmssSSS` in local time, like `UtilAll.timeMillisToHumanString`. */
export function indexFileName(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}${p(d.getMilliseconds(), 3)}`;
}

const INDEX_NAME = /^\d{17}$/;
const isTmpName = (n: string) => n.endsWith(INDEX_FILE_TMP_SUFFIX) && INDEX_NAME.test(n.slice(0, -INDEX_FILE_TMP_SUFFIX.length));

/** The index/ directory: builds `topic#key` entries for UNIQ_KEY and every KEYS token. */
export class IndexService {
  private files: IndexFile[] = [];
  readonly dir: string;

  constructor(
    rootDir: string,
    private readonly hashSlotNum: number,
    private readonly indexNum: number,
    private readonly fs: StoreFs,
    private readonly now: () => number,
    private readonly log: StoreLogger,
  ) {
    this.dir = path.join(rootDir, 'index');
  }

  load(): void {
    if (!this.fs.existsSync(this.dir)) return;
    const names = this.fs.readdirSync(this.dir).sort();
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (isTmpName(name)) {
        this.log.warn({ file }, 'index: deleting a temporary index file (the process was killed while creating it, before the rename)');
        this.fs.unlinkSync(file);
        continue;
      }
      if (!INDEX_NAME.test(name)) continue;
      const size = this.fs.sizeSync(file);
      if (size === 0) {
        this.log.warn({ file }, 'index: deleting a zero-length index file (an older store was killed between creating and sizing it; it holds nothing)');
        this.fs.unlinkSync(file);
        continue;
      }
      // Another size (other maxHashSlotNum / maxIndexNum): left alone and not used.
      if (size !== IndexFile.byteSize(this.hashSlotNum, this.indexNum)) continue;
      this.files.push(IndexFile.open(file, name, this.hashSlotNum, this.indexNum, this.fs));
    }
  }

  /** The newest file, if not full, made writable (after a crash it is repaired first). */
  prepareWritable(crashed: boolean, phyEnd: number, storeTimestampAt: (phy: number) => number): void {
    // An all-zero header (a written one has indexCount >= 1) is what an older store left when killed
    // between sizing a new file and writing its header. Its begin is unknown: repaired, it would claim
    // to begin at 0 and recovery would re-index the whole log. Dropping it is safe only after a crash,
    // the only way it arises: the previous file becomes the newest and is repaired, recovery replays
    // from where that file stops or earlier, and every record the dropped file was meant for lies at
    // or after that end (a new file begins where the previous one ended). After a clean exit replay
    // starts past the consume queues' end, so nothing would re-index those records.
    while (crashed && this.files.length > 0 && !this.files[this.files.length - 1]!.headerWritten) {
      const blank = this.files.pop()!;
      this.log.warn({ file: blank.file }, 'index: deleting the newest index file, its header was never written; re-indexing from the previous file\'s end');
      blank.destroy();
    }
    // A lost commit-log tail can span an index rollover: then the file before the newest already
    // indexes records past the end, and the newest starts past it. Left in place, new records below
    // that start would never be indexed (buildIndex skips offsets under the newest file's end).
    // The newer files hold nothing but lost records: drop them and repair the one reaching the end.
    while (this.files.length > 1 && this.files[this.files.length - 2]!.endPhyOffset >= phyEnd) this.files.pop()!.destroy();
    const last = this.files[this.files.length - 1];
    if (!last) return;
    // Entries past the commit-log end (lost tail) are dropped in any case.
    if (crashed || last.endPhyOffset >= phyEnd) last.repairAfterCrash(phyEnd, storeTimestampAt);
    else if (!last.isFull()) last.makeWritable();
  }

  /** Offset of the first record that still needs indexing. */
  indexedUpTo(): { endPhyOffset: number; hasEntries: boolean } {
    const last = this.files[this.files.length - 1];
    if (!last) return { endPhyOffset: 0, hasEntries: false };
    return { endPhyOffset: last.endPhyOffset, hasEntries: last.indexCount > 1 };
  }

  private lastWritable(): IndexFile {
    let last = this.files[this.files.length - 1];
    if (last && last.isFull()) {
      last.seal();
    }
    if (!last || last.isFull()) {
      mkdirpDurable(this.fs, this.dir);
      let ms = this.now();
      let name = indexFileName(ms);
      while (this.files.some((f) => f.name === name)) name = indexFileName(++ms);
      const created = IndexFile.create(path.join(this.dir, name), name, this.hashSlotNum, this.indexNum, this.fs, last?.endPhyOffset ?? 0, last?.endTimestamp ?? 0);
      this.files.push(created);
      last = created;
    } else if (!last.isWritable()) {
      last.makeWritable();
    }
    return last;
  }

  /** RocketMQ `IndexService.buildIndex`. */
  buildIndex(req: DispatchRequest): void {
    if (getTransactionValue(req.sysFlag) === MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) return;
    let f = this.files[this.files.length - 1];
    if (f) {
      if (req.commitLogOffset < f.endPhyOffset) return;
      if (req.commitLogOffset === f.endPhyOffset && f.indexCount > 1) return; // already indexed
    }
    const props = req.propertiesString;
    const uniq = findProperty(props, MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    const keys = findProperty(props, MessageConst.PROPERTY_KEYS);
    if (uniq === undefined && keys === undefined) return;
    f = this.lastWritable();
    const seed = this.topicSeed(req.topic);
    if (uniq !== undefined) f = this.putKey(f, positiveKeyHash(continueJavaHash(seed, uniq)), req);
    if (keys !== undefined) {
      for (const k of keys.split(MessageConst.KEY_SEPARATOR)) {
        if (k.length > 0) f = this.putKey(f, positiveKeyHash(continueJavaHash(seed, k)), req);
      }
    }
  }

  private readonly seeds = new Map<string, number>();

  /** hashCode of `topic#`, the prefix of every key of the topic. */
  private topicSeed(topic: string): number {
    let s = this.seeds.get(topic);
    if (s === undefined) {
      s = javaStringHashCode(topic + '#');
      if (this.seeds.size > 100_000) this.seeds.clear();
      this.seeds.set(topic, s);
    }
    return s;
  }

  private putKey(f: IndexFile, keyHash: number, req: DispatchRequest): IndexFile {
    if (f.putKey(keyHash, req.commitLogOffset, req.storeTimestamp)) return f;
    const next = this.lastWritable();
    next.putKey(keyHash, req.commitLogOffset, req.storeTimestamp);
    return next;
  }

  commit(): void {
    this.files[this.files.length - 1]?.commit();
  }

  /** Writes the newest file's dirty parts; returns the fd to sync and the timestamp it covers. */
  writeBack(): { fd: number | undefined; endTimestamp: number } {
    const last = this.files[this.files.length - 1];
    if (!last) return { fd: undefined, endTimestamp: 0 };
    return { fd: last.writeBack(), endTimestamp: last.endTimestamp };
  }

  flush(): number {
    const last = this.files[this.files.length - 1];
    if (!last) return 0;
    last.flush();
    return last.endTimestamp;
  }

  queryOffset(topic: string, key: string, maxNum: number, begin: number, end: number): { phyOffsets: number[]; indexLastUpdateTimestamp: number; indexLastUpdatePhyoffset: number } {
    const phyOffsets: number[] = [];
    let indexLastUpdateTimestamp = 0;
    let indexLastUpdatePhyoffset = 0;
    const max = Math.min(maxNum, MAX_MSGS_NUM_BATCH);
    const full = `${topic}#${key}`;
    for (let i = this.files.length - 1; i >= 0; i--) {
      const f = this.files[i]!;
      if (i === this.files.length - 1) {
        indexLastUpdateTimestamp = f.endTimestamp;
        indexLastUpdatePhyoffset = f.endPhyOffset;
      }
      if (f.isTimeMatched(begin, end)) f.selectPhyOffset(phyOffsets, full, max, begin, end);
      if (f.beginTimestamp < begin) break;
      if (phyOffsets.length >= max) break;
    }
    return { phyOffsets, indexLastUpdateTimestamp, indexLastUpdatePhyoffset };
  }

  /** Deletes files whose last indexed record is below the commit log's min offset (never the newest). */
  deleteExpiredFile(phyMinOffset: number): number {
    let n = 0;
    while (this.files.length > 1 && this.files[0]!.endPhyOffset < phyMinOffset) {
      this.files.shift()!.destroy();
      n++;
    }
    return n;
  }

  fileNames(): string[] {
    return this.files.map((f) => f.name);
  }

  headers(): { name: string; beginTimestamp: number; endTimestamp: number; beginPhyOffset: number; endPhyOffset: number; hashSlotCount: number; indexCount: number }[] {
    return this.files.map((f) => ({ name: f.name, beginTimestamp: f.beginTimestamp, endTimestamp: f.endTimestamp, beginPhyOffset: f.beginPhyOffset, endPhyOffset: f.endPhyOffset, hashSlotCount: f.hashSlotCount, indexCount: f.indexCount }));
  }

  shutdown(): void {
    const last = this.files[this.files.length - 1];
    if (last?.isWritable()) last.flush();
    for (const f of this.files) f.close();
    this.files = [];
  }
}
