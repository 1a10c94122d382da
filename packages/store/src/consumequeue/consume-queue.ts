import path from 'node:path';
import { mkdirpDurable, type StoreFs } from '../store-fs.js';
import { offset2FileName, isOffsetFileName } from '../mapped-file-name.js';
import { readInt64 as readLong, writeInt64 as writeLong } from '@rockit/common';

export const CQ_STORE_UNIT_SIZE = 20;

interface CqFile {
  /** Byte offset of the file's first unit in the queue's concatenated files (= file name). */
  from: number;
  fd: number;
  file: string;
}

/**
 * One ConsumeQueue (topic, queueId): 20-byte units (commit-log offset, size, tagsCode) in
 * fixed-size files named by their starting byte offset. New units are buffered and written
 * in one write per event-loop turn; reads merge the file and the pending buffer.
 */
export class ConsumeQueue {
  private files: CqFile[] = [];
  /** Bytes of units written to files; `writeBytes` additionally counts the pending ones. */
  private committedBytes = 0;
  private flushedBytes = 0;
  private writeBytes = 0;
  private pending: Buffer = Buffer.allocUnsafe(CQ_STORE_UNIT_SIZE * 16);
  private pendingLen = 0;
  /** First valid logical byte offset (moves when retention removes commit-log segments). */
  private minLogicOffset = 0;
  /** End (offset + size) of the last dispatched record. */
  maxPhysicOffset = -1;
  /** Set while the queue sits in the store's list of queues with pending units. */
  queuedForCommit = false;
  readonly dir: string;
  private readonly unit = Buffer.alloc(CQ_STORE_UNIT_SIZE);

  constructor(
    readonly topic: string,
    readonly queueId: number,
    rootDir: string,
    private readonly fileSize: number,
    private readonly fs: StoreFs,
    /** Called when the queue gets its first pending unit, so the store commits it this turn. */
    private readonly onPending: (cq: ConsumeQueue) => void = () => {},
  ) {
    this.dir = path.join(rootDir, topic, String(queueId));
  }

  /** Opens existing files and finds the end of data (first unit with offset < 0 or size <= 0). */
  load(): void {
    if (!this.fs.existsSync(this.dir)) return;
    const names = this.fs.readdirSync(this.dir).filter(isOffsetFileName).sort();
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (this.fs.sizeSync(file) !== this.fileSize) {
        // A file of the wrong size cannot have been written by us or by RocketMQ; stop at it.
        break;
      }
      this.files.push({ from: Number(name), fd: this.fs.openSync(file, 'r+'), file });
    }
    if (this.files.length === 0) return;
    // Find the end in the last non-empty file with a binary search over units.
    for (let fi = this.files.length - 1; fi >= 0; fi--) {
      const f = this.files[fi]!;
      const units = this.fileSize / CQ_STORE_UNIT_SIZE;
      let lo = 0;
      let hi = units; // first invalid unit index in [lo, hi]
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.unitValid(f.fd, mid)) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0 || fi === 0) {
        this.writeBytes = this.committedBytes = this.flushedBytes = f.from + lo * CQ_STORE_UNIT_SIZE;
        // Files after the end are dropped (empty leftovers).
        for (const extra of this.files.splice(fi + 1)) {
          this.fs.closeSync(extra.fd);
          this.fs.unlinkSync(extra.file);
        }
        break;
      }
    }
    this.minLogicOffset = this.files[0]!.from;
    if (this.writeBytes > this.minLogicOffset) {
      this.readUnitAt(this.writeBytes - CQ_STORE_UNIT_SIZE, this.unit);
      this.maxPhysicOffset = readLong(this.unit, 0) + this.unit.readInt32BE(8);
    } else if (this.writeBytes === 0) {
      this.maxPhysicOffset = -1;
    }
  }

  private unitValid(fd: number, unitNo: number): boolean {
    this.fs.readSync(fd, this.unit, 0, CQ_STORE_UNIT_SIZE, unitNo * CQ_STORE_UNIT_SIZE);
    const size = this.unit.readInt32BE(8);
    return this.unit.readInt32BE(0) >= 0 && size > 0;
  }

  getMaxOffsetInQueue(): number {
    return this.writeBytes / CQ_STORE_UNIT_SIZE;
  }

  getMinOffsetInQueue(): number {
    return this.minLogicOffset / CQ_STORE_UNIT_SIZE;
  }

  getMaxPhysicOffset(): number {
    return this.maxPhysicOffset;
  }

  /**
   * Appends a unit for queue offset `cqOffset`. Idempotent like RocketMQ's
   * `putMessagePositionInfo`: a record already covered by `maxPhysicOffset` is skipped, so
   * recovery can replay the commit log over a queue that already has part of it.
   */
  putMessagePositionInfo(phyOffset: number, size: number, tagsCode: number, cqOffset: number): boolean {
    if (phyOffset + size <= this.maxPhysicOffset) return true;
    const expect = cqOffset * CQ_STORE_UNIT_SIZE;
    if (this.files.length === 0 && this.pendingLen === 0 && this.writeBytes === 0 && expect !== 0) {
      // First file of a queue that starts late: RocketMQ's fillPreBlank, units (0, MAX_INT, 0).
      const start = expect - (expect % this.fileSize);
      this.writeBytes = this.committedBytes = this.flushedBytes = start;
      this.minLogicOffset = expect;
      while (this.writeBytes < expect) this.appendUnit(0, 0x7fffffff, 0);
    }
    if (expect < this.writeBytes) return true; // already present
    while (expect > this.writeBytes) this.appendUnit(0, 0x7fffffff, 0); // gap: keep offsets aligned
    this.appendUnit(phyOffset, size, tagsCode);
    this.maxPhysicOffset = phyOffset + size;
    return true;
  }

  private appendUnit(phyOffset: number, size: number, tagsCode: number): void {
    if (this.pendingLen + CQ_STORE_UNIT_SIZE > this.pending.length) {
      if (this.pending.length < CQ_STORE_UNIT_SIZE * 4096) {
        const bigger = Buffer.allocUnsafe(this.pending.length * 2);
        this.pending.copy(bigger, 0, 0, this.pendingLen);
        this.pending = bigger;
      } else {
        this.commit();
      }
    }
    const p = this.pendingLen;
    if (p === 0 && !this.queuedForCommit) this.onPending(this);
    writeLong(this.pending, p, phyOffset);
    this.pending.writeInt32BE(size, p + 8);
    writeLong(this.pending, p + 12, tagsCode);
    this.pendingLen += CQ_STORE_UNIT_SIZE;
    this.writeBytes += CQ_STORE_UNIT_SIZE;
  }

  hasPending(): boolean {
    return this.pendingLen > 0;
  }

  /** Writes pending units to their files; throws the fs error (pending data is kept for a retry). */
  commit(): void {
    let done = 0;
    try {
      while (done < this.pendingLen) {
        const at = this.committedBytes;
        const f = this.fileFor(at, true)!;
        const inFile = at - f.from;
        const n = Math.min(this.pendingLen - done, this.fileSize - inFile);
        const w = this.fs.writeSync(f.fd, this.pending, done, n, inFile);
        done += w;
        this.committedBytes += w;
      }
    } finally {
      if (done > 0) {
        this.pending.copy(this.pending, 0, done, this.pendingLen);
        this.pendingLen -= done;
      }
    }
  }

  /**
   * For a background flush: the descriptors holding committed-but-unflushed units and a function
   * to call once they are synced. Undefined when there is nothing to flush.
   */
  flushTargets(): { fds: number[]; done: () => void } | undefined {
    const upTo = this.committedBytes;
    if (this.flushedBytes === upTo) return undefined;
    const fds = this.files.filter((f) => f.from + this.fileSize > this.flushedBytes && f.from < upTo).map((f) => f.fd);
    return {
      fds,
      done: () => {
        if (this.flushedBytes < upTo) this.flushedBytes = upTo;
      },
    };
  }

  /** fdatasync of files holding committed-but-unflushed units. */
  flush(): void {
    if (this.flushedBytes === this.committedBytes) return;
    for (const f of this.files) {
      if (f.from + this.fileSize > this.flushedBytes && f.from < this.committedBytes) this.fs.fdatasyncSync(f.fd);
    }
    this.flushedBytes = this.committedBytes;
  }

  private fileFor(byteOffset: number, create: boolean): CqFile | undefined {
    const first = this.files[0];
    if (first) {
      const idx = Math.floor((byteOffset - first.from) / this.fileSize);
      if (idx >= 0 && idx < this.files.length) return this.files[idx];
    }
    if (!create) return undefined;
    const from = byteOffset - (byteOffset % this.fileSize);
    mkdirpDurable(this.fs, this.dir);
    const file = path.join(this.dir, offset2FileName(from));
    const fd = this.fs.openSync(file, 'w+');
    this.fs.ftruncateSync(fd, this.fileSize);
    // A file's flushes do not persist its name.
    this.fs.fsyncDirSync(this.dir);
    const f = { from, fd, file };
    this.files.push(f);
    return f;
  }

  private readUnitAt(byteOffset: number, target: Buffer): void {
    this.readBytes(byteOffset, target, 0, CQ_STORE_UNIT_SIZE);
  }

  private readBytes(byteOffset: number, target: Buffer, tOff: number, len: number): void {
    let p = byteOffset;
    const end = byteOffset + len;
    const onDisk = Math.min(end, this.committedBytes);
    while (p < onDisk) {
      const f = this.fileFor(p, false);
      if (!f) throw new Error(`consume queue ${this.topic}/${this.queueId}: no file for offset ${p}`);
      const inFile = p - f.from;
      const n = Math.min(onDisk - p, this.fileSize - inFile);
      this.fs.readSync(f.fd, target, tOff + (p - byteOffset), n, inFile);
      p += n;
    }
    if (p < end) this.pending.copy(target, tOff + (p - byteOffset), p - this.committedBytes, end - this.committedBytes);
  }

  /**
   * Reads up to `maxUnits` units from queue offset `offset` into `target`, without crossing the end
   * of the file holding `offset` (RocketMQ's `getIndexBuffer` works per mapped file). Returns the
   * number of units read; 0 when `offset` is out of range.
   */
  getUnits(offset: number, maxUnits: number, target: Buffer): number {
    const at = offset * CQ_STORE_UNIT_SIZE;
    if (at < this.minLogicOffset || at >= this.writeBytes) return 0;
    const fileEnd = at - (at % this.fileSize) + this.fileSize;
    const end = Math.min(this.writeBytes, fileEnd, at + maxUnits * CQ_STORE_UNIT_SIZE);
    this.readBytes(at, target, 0, end - at);
    return (end - at) / CQ_STORE_UNIT_SIZE;
  }

  /** Queue offset where the file after the one holding `offset` starts. */
  rollNextFile(offset: number): number {
    const unitsPerFile = this.fileSize / CQ_STORE_UNIT_SIZE;
    return offset + unitsPerFile - (offset % unitsPerFile);
  }

  /** Drops units whose record ends beyond `phyEnd` (commit log truncated by recovery). */
  truncateDirtyLogicFiles(phyEnd: number): void {
    if (this.maxPhysicOffset <= phyEnd) return;
    this.commit();
    let end = this.writeBytes;
    while (end > this.minLogicOffset) {
      this.readUnitAt(end - CQ_STORE_UNIT_SIZE, this.unit);
      const phy = readLong(this.unit, 0);
      const size = this.unit.readInt32BE(8);
      if (phy + size <= phyEnd) break;
      end -= CQ_STORE_UNIT_SIZE;
    }
    // Zero the dropped units so the end is found again after a restart.
    const zero = Buffer.alloc(Math.min(this.writeBytes - end, 64 * 1024));
    for (let p = end; p < this.writeBytes; ) {
      const f = this.fileFor(p, false)!;
      const inFile = p - f.from;
      const n = Math.min(zero.length, this.writeBytes - p, this.fileSize - inFile);
      this.fs.writeSync(f.fd, zero, 0, n, inFile);
      p += n;
    }
    this.writeBytes = this.committedBytes = this.flushedBytes = end;
    // Remove whole files past the new end (the first file always stays).
    while (this.files.length > 1 && this.files[this.files.length - 1]!.from >= end) {
      const f = this.files.pop()!;
      this.fs.closeSync(f.fd);
      this.fs.unlinkSync(f.file);
    }
    if (end > this.minLogicOffset) {
      this.readUnitAt(end - CQ_STORE_UNIT_SIZE, this.unit);
      this.maxPhysicOffset = readLong(this.unit, 0) + this.unit.readInt32BE(8);
    } else {
      this.maxPhysicOffset = -1;
    }
    const last = this.files[this.files.length - 1];
    if (last) this.fs.fdatasyncSync(last.fd);
  }

  /** Moves `minLogicOffset` to the first unit whose record is still in the commit log. */
  correctMinOffset(phyMinOffset: number): void {
    const first = this.files[0];
    if (!first) return;
    let lo = Math.max(this.minLogicOffset, first.from) / CQ_STORE_UNIT_SIZE;
    let hi = this.writeBytes / CQ_STORE_UNIT_SIZE;
    if (lo < hi) {
      this.readUnitAt(lo * CQ_STORE_UNIT_SIZE, this.unit);
      if (this.unit.readInt32BE(8) !== 0x7fffffff && readLong(this.unit, 0) >= phyMinOffset) hi = lo; // already right
    }
    // Binary search: first unit with phy >= phyMinOffset (units ascend in commit-log offset).
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      this.readUnitAt(mid * CQ_STORE_UNIT_SIZE, this.unit);
      const phy = readLong(this.unit, 0);
      const size = this.unit.readInt32BE(8);
      if (size === 0x7fffffff || phy < phyMinOffset) lo = mid + 1;
      else hi = mid;
    }
    this.minLogicOffset = lo * CQ_STORE_UNIT_SIZE;
  }

  /** Deletes files whose last unit points below `phyMinOffset` (never the last file). */
  deleteExpiredFile(phyMinOffset: number): number {
    let deleted = 0;
    while (this.files.length > 1) {
      const f = this.files[0]!;
      const lastUnit = f.from + this.fileSize - CQ_STORE_UNIT_SIZE;
      if (lastUnit >= this.committedBytes) break;
      this.readUnitAt(lastUnit, this.unit);
      if (readLong(this.unit, 0) >= phyMinOffset) break;
      this.files.shift();
      this.fs.closeSync(f.fd);
      this.fs.unlinkSync(f.file);
      deleted++;
    }
    this.correctMinOffset(phyMinOffset);
    return deleted;
  }

  /** Reads the unit at queue offset `offset` (phy, size, tagsCode) or undefined when out of range. */
  getUnit(offset: number): { phyOffset: number; size: number; tagsCode: number } | undefined {
    const at = offset * CQ_STORE_UNIT_SIZE;
    if (at < this.minLogicOffset || at >= this.writeBytes) return undefined;
    this.readUnitAt(at, this.unit);
    return { phyOffset: readLong(this.unit, 0), size: this.unit.readInt32BE(8), tagsCode: readLong(this.unit, 12) };
  }

  fileCount(): number {
    return this.files.length;
  }

  close(): void {
    for (const f of this.files) this.fs.closeSync(f.fd);
    this.files = [];
  }

  destroy(): void {
    this.close();
    this.fs.rmrfSync(this.dir);
  }
}
