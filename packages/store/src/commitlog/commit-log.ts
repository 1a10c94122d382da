import path from 'node:path';
import type { StoreFs } from '../store-fs.js';
import { MappedFile } from './mapped-file.js';
import { BLANK_MAGIC_CODE, END_FILE_MIN_BLANK_LENGTH } from '@rockit/common';
import { offset2FileName, isOffsetFileName, StoreWriteError, describeFsError } from '../mapped-file-name.js';
import type { StoreLogger } from '../log.js';

export class CreateMappedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CreateMappedFileError';
  }
}

/**
 * The CommitLog's files: fixed-size segments named by start offset, an append buffer holding the
 * not-yet-written tail of the newest segment (write-behind: many records reach the file in one
 * write), and positional reads that merge file and buffer.
 */
export class CommitLog {
  readonly segments: MappedFile[] = [];
  private appendBuf: Buffer;
  /** Bytes in `appendBuf`; appendBuf[0] is the newest segment's `committedPosition`. */
  private appendLen = 0;
  readonly dir: string;

  constructor(
    dir: string,
    readonly fileSize: number,
    appendBufferSize: number,
    private readonly fs: StoreFs,
    private readonly log: StoreLogger,
  ) {
    this.dir = dir;
    this.appendBuf = Buffer.allocUnsafe(Math.min(appendBufferSize, fileSize));
  }

  /** Opens existing segments (contiguous, full-size); positions are set by recovery. */
  load(): void {
    this.fs.mkdirpSync(this.dir);
    const names = this.fs.readdirSync(this.dir).filter(isOffsetFileName).sort();
    for (const name of names) {
      const file = path.join(this.dir, name);
      const size = this.fs.sizeSync(file);
      if (size !== this.fileSize) {
        const last = name === names[names.length - 1];
        if (last && size < this.fileSize) {
          // A segment whose preallocation was cut short by a crash: extend it, recovery finds the data end.
          const fd = this.fs.openSync(file, 'r+');
          this.fs.ftruncateSync(fd, this.fileSize);
          this.fs.closeSync(fd);
        } else {
          throw new Error(`commitlog ${file}: size ${size} does not match mappedFileSizeCommitLog ${this.fileSize}`);
        }
      }
      const from = Number(name);
      const prev = this.segments[this.segments.length - 1];
      if (prev && prev.fileFromOffset + this.fileSize !== from) {
        throw new Error(`commitlog ${file}: not contiguous with ${prev.file}`);
      }
      const seg = new MappedFile(file, from, this.fileSize, this.fs.openSync(file, 'r+'), this.fs);
      seg.wrotePosition = seg.committedPosition = seg.flushedPosition = this.fileSize;
      this.segments.push(seg);
    }
  }

  /** Makes the big append buffer large enough for the biggest record or batch. */
  ensureAppendCapacity(n: number): void {
    if (this.appendBuf.length < n) {
      const bigger = Buffer.allocUnsafe(n);
      this.appendBuf.copy(bigger, 0, 0, this.appendLen);
      this.appendBuf = bigger;
    }
  }

  getMinOffset(): number {
    const first = this.segments[0];
    return first ? first.fileFromOffset : 0;
  }

  getMaxOffset(): number {
    const last = this.segments[this.segments.length - 1];
    return last ? last.fileFromOffset + last.wrotePosition : 0;
  }

  getCommittedOffset(): number {
    const last = this.segments[this.segments.length - 1];
    return last ? last.fileFromOffset + last.committedPosition : 0;
  }

  getFlushedOffset(): number {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      if (s.flushedPosition > 0 || i === 0) return s.fileFromOffset + s.flushedPosition;
    }
    return 0;
  }

  hasUncommitted(): boolean {
    return this.appendLen > 0;
  }

  private createSegment(from: number): MappedFile {
    const file = path.join(this.dir, offset2FileName(from));
    let fd: number;
    try {
      this.fs.mkdirpSync(this.dir);
      fd = this.fs.openSync(file, 'w+');
      this.fs.ftruncateSync(fd, this.fileSize);
    } catch (err) {
      throw new CreateMappedFileError(`cannot create commitlog segment ${file}: ${describeFsError(err)}`);
    }
    const seg = new MappedFile(file, from, this.fileSize, fd, this.fs);
    this.segments.push(seg);
    this.log.info({ file }, 'created commitlog segment');
    return seg;
  }

  /**
   * Makes room for `len` bytes of records in one segment and returns the commit-log offset they
   * start at; write them at `buffer[bufferPos]` and call `advance(len)`. Rolls to a new segment
   * (after an 8-byte BLANK marker) when `len + 8` does not fit, like RocketMQ's `doAppend`.
   */
  reserve(len: number): number {
    let seg = this.segments[this.segments.length - 1];
    if (!seg || seg.isFull()) {
      if (this.appendLen > 0) this.commit();
      seg = this.createSegment(seg ? seg.fileFromOffset + this.fileSize : 0);
    }
    const remaining = this.fileSize - seg.wrotePosition;
    if (len + END_FILE_MIN_BLANK_LENGTH > remaining) {
      if (this.appendLen + 8 > this.appendBuf.length) this.commit();
      this.appendBuf.writeInt32BE(remaining, this.appendLen);
      this.appendBuf.writeInt32BE(BLANK_MAGIC_CODE, this.appendLen + 4);
      this.appendLen += 8;
      seg.wrotePosition = this.fileSize;
      this.commit();
      seg = this.createSegment(seg.fileFromOffset + this.fileSize);
    }
    if (this.appendLen + len > this.appendBuf.length) this.commit();
    return seg.fileFromOffset + seg.wrotePosition;
  }

  get buffer(): Buffer {
    return this.appendBuf;
  }

  get bufferPos(): number {
    return this.appendLen;
  }

  advance(len: number): void {
    this.appendLen += len;
    this.segments[this.segments.length - 1]!.wrotePosition += len;
  }

  /**
   * Writes the append buffer to the newest segment. On a write error the unwritten bytes stay in
   * the buffer (still readable) and the error is rethrown as StoreWriteError for a later retry.
   */
  commit(): void {
    if (this.appendLen === 0) return;
    const seg = this.segments[this.segments.length - 1]!;
    let done = 0;
    try {
      while (done < this.appendLen) {
        done += this.fs.writeSync(seg.fd, this.appendBuf, done, this.appendLen - done, seg.committedPosition + done);
      }
    } catch (err) {
      throw new StoreWriteError(`commitlog write to ${seg.file} failed: ${describeFsError(err)}`, err);
    } finally {
      if (done > 0 && done < this.appendLen) this.appendBuf.copy(this.appendBuf, 0, done, this.appendLen);
      this.appendLen -= done;
      seg.committedPosition += done;
    }
    if (this.appendLen === 0) seg.committedPosition = seg.wrotePosition;
  }

  /** Segments holding committed bytes not yet fdatasync'ed. */
  segmentsToFlush(): MappedFile[] {
    return this.segments.filter((s) => s.flushedPosition < s.committedPosition);
  }

  findSegment(offset: number): MappedFile | undefined {
    const first = this.segments[0];
    if (!first || offset < first.fileFromOffset) return undefined;
    return this.segments[Math.floor((offset - first.fileFromOffset) / this.fileSize)];
  }

  /** Copies `len` bytes at commit-log `offset` into `target`; false when not (or no longer) there. */
  readInto(offset: number, target: Buffer, tOff: number, len: number): boolean {
    const seg = this.findSegment(offset);
    if (!seg || !seg.hold()) return false;
    try {
      const pos = offset - seg.fileFromOffset;
      if (pos + len > seg.wrotePosition) return false;
      const disk = Math.min(len, Math.max(0, seg.committedPosition - pos));
      let done = 0;
      while (done < disk) {
        const n = this.fs.readSync(seg.fd, target, tOff + done, disk - done, pos + done);
        if (n <= 0) return false;
        done += n;
      }
      if (disk < len) {
        const bStart = pos + disk - seg.committedPosition;
        this.appendBuf.copy(target, tOff + disk, bStart, bStart + (len - disk));
      }
      return true;
    } finally {
      seg.release();
    }
  }

  /** The record at `offset` (reads its TOTALSIZE first unless `size` is given). */
  getMessage(offset: number, size?: number): Buffer | undefined {
    let len = size;
    if (len === undefined) {
      const head = Buffer.allocUnsafe(8);
      if (!this.readInto(offset, head, 0, 8)) return undefined;
      len = head.readInt32BE(0);
      if (len <= 0 || len > this.fileSize) return undefined;
    }
    const out = Buffer.allocUnsafe(len);
    return this.readInto(offset, out, 0, len) ? out : undefined;
  }

  /** Offset of the segment after the one holding `offset` (skip target for a removed record). */
  rollNextFile(offset: number): number {
    return offset + this.fileSize - (offset % this.fileSize);
  }

  /**
   * Cuts the log at `offset` (recovery): later segments are deleted, the tail of the segment
   * holding `offset` is zeroed (so stale bytes can never pass for records) and positions reset.
   */
  truncateDirtyFiles(offset: number): void {
    this.appendLen = 0;
    while (this.segments.length > 0) {
      const last = this.segments[this.segments.length - 1]!;
      if (last.fileFromOffset > offset) {
        this.segments.pop();
        last.destroy();
        continue;
      }
      break;
    }
    const last = this.segments[this.segments.length - 1];
    if (!last) return;
    const pos = offset - last.fileFromOffset;
    if (pos < this.fileSize) {
      // Truncate and re-extend: the file system gives back zeros without writing them.
      this.fs.ftruncateSync(last.fd, pos);
      this.fs.ftruncateSync(last.fd, this.fileSize);
      this.fs.fdatasyncSync(last.fd);
    }
    last.wrotePosition = last.committedPosition = last.flushedPosition = Math.min(pos, this.fileSize);
  }

  /** Deletes up to `max` old segments (never the newest) matching `expired`. */
  deleteExpiredFiles(expired: (seg: MappedFile) => boolean, max: number): number {
    let n = 0;
    while (n < max && this.segments.length > 1) {
      const seg = this.segments[0]!;
      if (!expired(seg)) break;
      this.segments.shift();
      seg.destroy();
      this.log.info({ file: seg.file }, 'deleted expired commitlog segment');
      n++;
    }
    return n;
  }

  shutdown(): void {
    for (const s of this.segments) s.close();
  }
}
