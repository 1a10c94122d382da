import path from 'node:path';
import type { StoreFs } from '../store-fs.js';
import { javaStringHashCode, readInt64 as readLong, writeInt64 as writeLong } from '@rockit/common';

export const INDEX_HEADER_SIZE = 40;
export const HASH_SLOT_SIZE = 4;
export const INDEX_ENTRY_SIZE = 20;
const SLOTS_PER_PAGE = 1024; // 4 KiB of slots written back together
/** A file being created carries this suffix until its header is on disk (see `IndexFile.create`). */
export const INDEX_FILE_TMP_SUFFIX = '.tmp';

/** RocketMQ `IndexService.buildKey` + `IndexFile.indexKeyHashMethod`. */
export function indexKeyHash(key: string): number {
  return positiveKeyHash(javaStringHashCode(key));
}

/**
 * `String.hashCode` of `prefix + key` given `seed` = hashCode(prefix), without building the string:
 * the put path hashes `topic#key` for every indexed key.
 */
export function continueJavaHash(seed: number, key: string): number {
  let h = seed;
  for (let i = 0; i < key.length; i++) h = (Math.imul(31, h) + key.charCodeAt(i)) | 0;
  return h;
}

/** `IndexFile.indexKeyHashMethod`: abs, and 0 for Integer.MIN_VALUE. */
export function positiveKeyHash(h: number): number {
  const a = Math.abs(h);
  return a > 0x7fffffff ? 0 : a;
}

/**
 * One hash index file (protocol §15.4): 40-byte header, `hashSlotNum` int32 slots, `indexNum`
 * 20-byte entries chained per slot. The writable (newest) file keeps its slot table in memory
 * (a fixed 4 bytes per slot, independent of message count) and writes dirty slot pages and the
 * header back on flush; entries go to disk with every commit.
 */
export class IndexFile {
  beginTimestamp = 0;
  endTimestamp = 0;
  beginPhyOffset = 0;
  endPhyOffset = 0;
  hashSlotCount = 0;
  indexCount = 1;
  /** False when the header read by `open` is all zeros: the file was sized but never headed. */
  headerWritten = true;
  private slots: Int32Array | undefined;
  private dirtyPages: Uint8Array | undefined;
  private anyDirty = false;
  private pending: Buffer | undefined;
  private pendingFrom = 0; // entry number of pending[0]
  private pendingCount = 0;
  private readonly entry = Buffer.alloc(INDEX_ENTRY_SIZE);
  readonly fileSize: number;

  constructor(
    readonly file: string,
    readonly name: string,
    private readonly fd: number,
    readonly hashSlotNum: number,
    readonly indexNum: number,
    private readonly fs: StoreFs,
  ) {
    this.fileSize = IndexFile.byteSize(hashSlotNum, indexNum);
  }

  static byteSize(hashSlotNum: number, indexNum: number): number {
    return INDEX_HEADER_SIZE + hashSlotNum * HASH_SLOT_SIZE + indexNum * INDEX_ENTRY_SIZE;
  }

  /**
   * Creates the file crash-safely: it is sized and its header (begin inherited from the previous
   * file) written and synced under `<name>.tmp`, then renamed into place. A kill can leave only a
   * temporary file, which `IndexService.load` deletes, never a named file without a header.
   */
  static create(file: string, name: string, hashSlotNum: number, indexNum: number, fs: StoreFs, prevEndPhy: number, prevEndTs: number): IndexFile {
    const tmp = file + INDEX_FILE_TMP_SUFFIX;
    const fd = fs.openSync(tmp, 'w+');
    const f = new IndexFile(file, name, fd, hashSlotNum, indexNum, fs);
    try {
      fs.ftruncateSync(fd, f.fileSize);
      // Like RocketMQ, a new file starts where the previous one ended.
      if (prevEndPhy > 0) f.beginPhyOffset = f.endPhyOffset = prevEndPhy;
      if (prevEndTs > 0) f.beginTimestamp = f.endTimestamp = prevEndTs;
      f.writeHeader();
      fs.fdatasyncSync(fd);
      fs.renameSync(tmp, file);
      fs.fsyncDirSync(path.dirname(file));
    } catch (err) {
      fs.closeSync(fd);
      try {
        fs.unlinkSync(tmp);
      } catch {
        // load() deletes it
      }
      throw err;
    }
    f.slots = new Int32Array(hashSlotNum);
    f.dirtyPages = new Uint8Array(Math.ceil(hashSlotNum / SLOTS_PER_PAGE));
    return f;
  }

  static open(file: string, name: string, hashSlotNum: number, indexNum: number, fs: StoreFs): IndexFile {
    const fd = fs.openSync(file, 'r+');
    const f = new IndexFile(file, name, fd, hashSlotNum, indexNum, fs);
    const h = Buffer.alloc(INDEX_HEADER_SIZE);
    fs.readSync(fd, h, 0, INDEX_HEADER_SIZE, 0);
    f.beginTimestamp = readLong(h, 0);
    f.endTimestamp = readLong(h, 8);
    f.beginPhyOffset = readLong(h, 16);
    f.endPhyOffset = readLong(h, 24);
    f.hashSlotCount = h.readInt32BE(32);
    f.indexCount = Math.max(1, h.readInt32BE(36));
    // Every written header has indexCount >= 1 (it starts at 1).
    f.headerWritten = h.some((b) => b !== 0);
    return f;
  }

  isFull(): boolean {
    return this.indexCount >= this.indexNum;
  }

  isWritable(): boolean {
    return this.slots !== undefined;
  }

  /** Loads the slot table so the file can take new keys. */
  makeWritable(): void {
    if (this.slots) return;
    const raw = Buffer.alloc(this.hashSlotNum * HASH_SLOT_SIZE);
    this.fs.readSync(this.fd, raw, 0, raw.length, INDEX_HEADER_SIZE);
    const slots = new Int32Array(this.hashSlotNum);
    for (let i = 0; i < this.hashSlotNum; i++) slots[i] = raw.readInt32BE(i * 4);
    this.slots = slots;
    this.dirtyPages = new Uint8Array(Math.ceil(this.hashSlotNum / SLOTS_PER_PAGE));
  }

  /** Drops the slot table of a full file (it is on disk after `flush`). */
  seal(): void {
    this.flush();
    this.slots = undefined;
    this.dirtyPages = undefined;
  }

  /** Adds an entry for a key whose `indexKeyHash` is `keyHash`. */
  putKey(keyHash: number, phyOffset: number, storeTimestamp: number): boolean {
    if (this.indexCount >= this.indexNum) return false;
    const slots = this.slots!;
    const slotPos = keyHash % this.hashSlotNum;
    let slotValue = slots[slotPos]!;
    if (slotValue <= 0 || slotValue > this.indexCount) slotValue = 0;
    let timeDiff = 0;
    if (this.beginTimestamp > 0) {
      timeDiff = Math.floor((storeTimestamp - this.beginTimestamp) / 1000);
      if (timeDiff > 0x7fffffff) timeDiff = 0x7fffffff;
      else if (timeDiff < 0) timeDiff = 0;
    }
    if (!this.pending) this.pending = Buffer.allocUnsafe(INDEX_ENTRY_SIZE * 256);
    if (this.pendingCount === 0) this.pendingFrom = this.indexCount;
    if ((this.pendingCount + 1) * INDEX_ENTRY_SIZE > this.pending.length) {
      const bigger = Buffer.allocUnsafe(this.pending.length * 2);
      this.pending.copy(bigger, 0, 0, this.pendingCount * INDEX_ENTRY_SIZE);
      this.pending = bigger;
    }
    const p = this.pendingCount * INDEX_ENTRY_SIZE;
    this.pending.writeInt32BE(keyHash, p);
    writeLong(this.pending, p + 4, phyOffset);
    this.pending.writeInt32BE(timeDiff, p + 12);
    this.pending.writeInt32BE(slotValue, p + 16);
    this.pendingCount++;
    if (this.pendingCount >= 4096) this.commit(); // keep the buffer bounded when puts never yield
    slots[slotPos] = this.indexCount;
    this.dirtyPages![Math.floor(slotPos / SLOTS_PER_PAGE)] = 1;
    this.anyDirty = true;
    if (this.indexCount <= 1) {
      this.beginPhyOffset = phyOffset;
      this.beginTimestamp = storeTimestamp;
    }
    if (slotValue === 0) this.hashSlotCount++;
    this.indexCount++;
    this.endPhyOffset = phyOffset;
    this.endTimestamp = storeTimestamp;
    return true;
  }

  hasPending(): boolean {
    return this.pendingCount > 0;
  }

  /** Writes pending entries (they are contiguous) in one write. */
  commit(): void {
    if (this.pendingCount === 0) return;
    const len = this.pendingCount * INDEX_ENTRY_SIZE;
    const at = this.entryPos(this.pendingFrom);
    let done = 0;
    while (done < len) done += this.fs.writeSync(this.fd, this.pending!, done, len - done, at + done);
    this.pendingCount = 0;
  }

  /** Writes entries, dirty slot pages and the header, then fdatasync. */
  flush(): void {
    if (this.writeBack()) this.fs.fdatasyncSync(this.fd);
  }

  /** Writes entries, dirty slot pages and the header; returns the fd to sync, if anything was written. */
  writeBack(): number | undefined {
    this.commit();
    if (!this.anyDirty) return undefined;
    if (this.slots && this.dirtyPages) {
      const page = Buffer.allocUnsafe(SLOTS_PER_PAGE * HASH_SLOT_SIZE);
      for (let pg = 0; pg < this.dirtyPages.length; pg++) {
        if (!this.dirtyPages[pg]) continue;
        const first = pg * SLOTS_PER_PAGE;
        const n = Math.min(SLOTS_PER_PAGE, this.hashSlotNum - first);
        for (let i = 0; i < n; i++) page.writeInt32BE(this.slots[first + i]!, i * 4);
        this.fs.writeSync(this.fd, page, 0, n * 4, INDEX_HEADER_SIZE + first * HASH_SLOT_SIZE);
        this.dirtyPages[pg] = 0;
      }
    }
    this.writeHeader();
    this.anyDirty = false;
    return this.fd;
  }

  private writeHeader(): void {
    const h = Buffer.alloc(INDEX_HEADER_SIZE);
    writeLong(h, 0, this.beginTimestamp);
    writeLong(h, 8, this.endTimestamp);
    writeLong(h, 16, this.beginPhyOffset);
    writeLong(h, 24, this.endPhyOffset);
    h.writeInt32BE(this.hashSlotCount, 32);
    h.writeInt32BE(this.indexCount, 36);
    this.fs.writeSync(this.fd, h, 0, INDEX_HEADER_SIZE, 0);
  }

  private entryPos(n: number): number {
    return INDEX_HEADER_SIZE + this.hashSlotNum * HASH_SLOT_SIZE + n * INDEX_ENTRY_SIZE;
  }

  private readEntry(n: number): Buffer {
    if (this.pendingCount > 0 && n >= this.pendingFrom) {
      const p = (n - this.pendingFrom) * INDEX_ENTRY_SIZE;
      this.pending!.copy(this.entry, 0, p, p + INDEX_ENTRY_SIZE);
    } else {
      this.fs.readSync(this.fd, this.entry, 0, INDEX_ENTRY_SIZE, this.entryPos(n));
    }
    return this.entry;
  }

  private readSlot(slotPos: number): number {
    if (this.slots) return this.slots[slotPos]!;
    const b = Buffer.alloc(4);
    this.fs.readSync(this.fd, b, 0, 4, INDEX_HEADER_SIZE + slotPos * HASH_SLOT_SIZE);
    return b.readInt32BE(0);
  }

  isTimeMatched(begin: number, end: number): boolean {
    return (
      (begin < this.beginTimestamp && end > this.endTimestamp) ||
      (begin >= this.beginTimestamp && begin <= this.endTimestamp) ||
      (end >= this.beginTimestamp && end <= this.endTimestamp)
    );
  }

  /** RocketMQ `IndexFile.selectPhyOffset`: walks the slot chain, newest first. */
  selectPhyOffset(out: number[], key: string, maxNum: number, begin: number, end: number): void {
    const keyHash = indexKeyHash(key);
    const slotValue = this.readSlot(keyHash % this.hashSlotNum);
    if (slotValue <= 0 || slotValue > this.indexCount || this.indexCount <= 1) return;
    for (let next = slotValue; ; ) {
      if (out.length >= maxNum) break;
      const e = this.readEntry(next);
      const keyHashRead = e.readInt32BE(0);
      const phyOffsetRead = readLong(e, 4);
      const timeDiff = e.readInt32BE(12);
      const prev = e.readInt32BE(16);
      if (timeDiff < 0) break;
      const timeRead = this.beginTimestamp + timeDiff * 1000;
      if (keyHash === keyHashRead && timeRead >= begin && timeRead <= end) out.push(phyOffsetRead);
      if (prev <= 0 || prev > this.indexCount || prev === next || timeRead < begin) break;
      next = prev;
    }
  }

  /**
   * Crash repair of the writable file: keeps the entries 1..n the header vouches for that are
   * plausible (ascending offsets below `phyEnd`), drops the entries of the last indexed record (it
   * may be half indexed) and rebuilds the slot table from them; recovery re-indexes from there.
   */
  repairAfterCrash(phyEnd: number, storeTimestampAt: (phy: number) => number): void {
    // Only entries below the header's indexCount are known to be this file's: the header is written
    // after the entries it counts, and every repair rewrites it. Entries past it may be left over
    // from before an earlier repair (cut at a lost commit-log tail), chained to since-reused slots
    // and pointing at offsets that now hold other records; trusting them hid acknowledged keys.
    const known = Math.min(this.indexCount, this.indexNum);
    const chunk = 4096;
    const buf = Buffer.alloc(chunk * INDEX_ENTRY_SIZE);
    let last = 0;
    let lastPhy = -1;
    outer: for (let n = 1; n < known; n += chunk) {
      const count = Math.min(chunk, known - n);
      this.fs.readSync(this.fd, buf, 0, count * INDEX_ENTRY_SIZE, this.entryPos(n));
      for (let i = 0; i < count; i++) {
        const p = i * INDEX_ENTRY_SIZE;
        const phy = readLong(buf, p + 4);
        const prev = buf.readInt32BE(p + 16);
        const keyHash = buf.readInt32BE(p);
        const isZero = keyHash === 0 && phy === 0 && prev === 0 && buf.readInt32BE(p + 12) === 0;
        if (isZero || phy < lastPhy || phy >= phyEnd || prev < 0 || prev >= n + i) break outer;
        last = n + i;
        lastPhy = phy;
      }
    }
    // Drop the last record's entries: it is re-indexed whole.
    while (last > 0) {
      const e = this.readEntryDisk(last);
      if (readLong(e, 4) !== lastPhy) break;
      last--;
    }
    const slots = new Int32Array(this.hashSlotNum);
    let used = 0;
    let endPhy = this.beginPhyOffset;
    for (let n = 1; n <= last; n++) {
      const e = this.readEntryDisk(n);
      const slotPos = e.readInt32BE(0) % this.hashSlotNum;
      if (slots[slotPos] === 0) used++;
      slots[slotPos] = n;
      endPhy = readLong(e, 4);
    }
    this.slots = slots;
    this.dirtyPages = new Uint8Array(Math.ceil(this.hashSlotNum / SLOTS_PER_PAGE)).fill(1);
    this.anyDirty = true;
    this.hashSlotCount = used;
    this.indexCount = last + 1;
    this.pendingCount = 0;
    if (last === 0) {
      this.endPhyOffset = this.beginPhyOffset;
      this.endTimestamp = this.beginTimestamp;
    } else {
      this.endPhyOffset = endPhy;
      const ts = storeTimestampAt(endPhy);
      if (ts > 0) this.endTimestamp = ts;
    }
    this.flush();
  }

  private readEntryDisk(n: number): Buffer {
    this.fs.readSync(this.fd, this.entry, 0, INDEX_ENTRY_SIZE, this.entryPos(n));
    return this.entry;
  }

  close(): void {
    this.fs.closeSync(this.fd);
  }

  destroy(): void {
    this.close();
    this.fs.unlinkSync(this.file);
  }
}
