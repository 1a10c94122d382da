import path from 'node:path';
import type { StoreFs } from '../store-fs.js';
import { continueJavaHash, IndexFile, positiveKeyHash } from './index-file.js';
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
  ) {
    this.dir = path.join(rootDir, 'index');
  }

  load(): void {
    if (!this.fs.existsSync(this.dir)) return;
    const names = this.fs.readdirSync(this.dir).filter((n) => /^\d{17}$/.test(n)).sort();
    for (const name of names) {
      const file = path.join(this.dir, name);
      const f = IndexFile.open(file, name, this.hashSlotNum, this.indexNum, this.fs);
      if (this.fs.sizeSync(file) !== f.fileSize) {
        f.close();
        continue;
      }
      this.files.push(f);
    }
  }

  /** The newest file, if not full, made writable (after a crash it is repaired first). */
  prepareWritable(crashed: boolean, phyEnd: number, storeTimestampAt: (phy: number) => number): void {
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
      this.fs.mkdirpSync(this.dir);
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
