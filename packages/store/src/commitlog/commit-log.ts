import path from 'node:path';
import { mkdirpDurable, type StoreFs } from '../store-fs.js';
import { MappedFile } from './mapped-file.js';
import { BLANK_MAGIC_CODE, END_FILE_MIN_BLANK_LENGTH } from '@rockit/common';
import { offset2FileName, isOffsetFileName, StoreWriteError, describeFsError } from '../mapped-file-name.js';
import type { StoreLogger } from '../log.js';

interface PendingWrite {
  seg: MappedFile;
  /** Segment position of buf[0]. */
  pos: number;
  buf: Buffer;
  len: number;
  written: number;
  /** committedPosition once this write (and all before it) completed; past `pos + len` after a BLANK. */
  commitTo: number;
  /** Store timestamp of the last record in this write. */
  timestamp: number;
  done: boolean;
  failed: boolean;
  inflight: boolean;
}

export class CreateMappedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CreateMappedFileError';
  }
}

/** Read-ahead for pulls: 512 KiB covers a 32-message pull of 1 KiB records interleaved from 8+ queues. */
const READ_WINDOW_SIZE = 512 * 1024;
const READ_WINDOWS = 4;

/**
 * The CommitLog's files: fixed-size segments named by start offset, an append buffer holding the
 * not-yet-written tail of the newest segment (write-behind: many records reach the file in one
 * write), and positional reads that merge file and buffer.
 */
export class CommitLog {
  readonly segments: MappedFile[] = [];
  private appendBuf: Buffer;
  /** Bytes in `appendBuf`; appendBuf[0] is at segment position `activeStart` of the newest segment. */
  private appendLen = 0;
  private activeStart = 0;
  /** Buffers handed to the file, oldest first; a segment's committedPosition advances as a prefix completes. */
  private pending: PendingWrite[] = [];
  private pendingBytes = 0;
  private spare: Buffer[] = [];
  private bufSize: number;
  /** Recently read stretches of segment files (newest last), see `getMessageAhead`. */
  private readWindows: { seg: MappedFile; pos: number; buf: Buffer }[] = [];
  /** Store timestamp of the newest record appended / of the newest record whose bytes reached the file. */
  lastAppendTimestamp = 0;
  committedTimestamp = 0;
  /** Called when a background write completes (or fails). */
  onWriteDone: (err?: unknown) => void = () => {};
  readonly dir: string;

  constructor(
    dir: string,
    readonly fileSize: number,
    appendBufferSize: number,
    private readonly fs: StoreFs,
    private readonly log: StoreLogger,
    /** Write buffers on libuv's pool (ASYNC_FLUSH) instead of inline, so encoding overlaps the copy to the page cache. */
    private readonly backgroundWrites = false,
  ) {
    this.dir = dir;
    this.bufSize = Math.min(appendBufferSize, fileSize);
    this.appendBuf = Buffer.allocUnsafe(this.bufSize);
  }

  /** Opens existing segments (contiguous, full-size); positions are set by recovery. */
  load(): void {
    mkdirpDurable(this.fs, this.dir);
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

  /** Makes the append buffer large enough for the biggest record or batch. */
  ensureAppendCapacity(n: number): void {
    if (this.bufSize < n) {
      this.bufSize = n;
      this.spare = [];
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
    return this.appendLen > 0 || this.pending.length > 0;
  }

  private createSegment(from: number): MappedFile {
    const file = path.join(this.dir, offset2FileName(from));
    let fd: number;
    try {
      mkdirpDurable(this.fs, this.dir);
      fd = this.fs.openSync(file, 'w+');
      this.fs.ftruncateSync(fd, this.fileSize);
      // The flushes sync the segment's data, not its name: sync the directory so a power loss cannot drop a
      // segment holding acknowledged messages. Costs one directory sync per segment.
      this.fs.fsyncDirSync(this.dir);
    } catch (err) {
      throw new CreateMappedFileError(`cannot create commitlog segment ${file}: ${describeFsError(err)}`);
    }
    const seg = new MappedFile(file, from, this.fileSize, fd, this.fs);
    this.segments.push(seg);
    this.activeStart = 0;
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
   * Hands the append buffer to the file: inline (`writeSync`) or, with background writes, on libuv's
   * pool while a fresh buffer takes new records. Failed writes stay queued with their bytes (still
   * readable) and are retried by the next commit; the error is rethrown as StoreWriteError.
   */
  commit(): void {
    this.retryFailed();
    if (this.appendLen === 0) return;
    const seg = this.segments[this.segments.length - 1]!;
    const pw: PendingWrite = { seg, pos: this.activeStart, buf: this.appendBuf, len: this.appendLen, written: 0, commitTo: seg.wrotePosition, timestamp: this.lastAppendTimestamp, done: false, failed: false, inflight: false };
    this.pending.push(pw);
    this.pendingBytes += pw.len;
    this.activeStart = seg.wrotePosition;
    this.appendBuf = this.spare.pop() ?? Buffer.allocUnsafe(this.bufSize);
    this.appendLen = 0;
    // Backpressure: with too much queued, write inline (the event loop waits like a full page cache would).
    if (this.backgroundWrites && this.pendingBytes <= this.bufSize * 4) this.issueAsync(pw);
    else this.issueSync(pw);
  }

  private retryFailed(): void {
    for (const pw of this.pending) if (pw.failed && !pw.inflight) this.issueSync(pw);
  }

  private issueSync(pw: PendingWrite): void {
    try {
      while (pw.written < pw.len) {
        pw.written += this.fs.writeSync(pw.seg.fd, pw.buf, pw.written, pw.len - pw.written, pw.pos + pw.written);
      }
    } catch (err) {
      pw.failed = true;
      throw new StoreWriteError(`commitlog write to ${pw.seg.file} failed: ${describeFsError(err)}`, err);
    }
    pw.failed = false;
    this.completed(pw);
  }

  private issueAsync(pw: PendingWrite): void {
    pw.inflight = true;
    this.fs.write(pw.seg.fd, pw.buf, pw.written, pw.len - pw.written, pw.pos + pw.written, (err, n) => {
      pw.inflight = false;
      if (err) {
        pw.failed = true;
        this.onWriteDone(new StoreWriteError(`commitlog write to ${pw.seg.file} failed: ${describeFsError(err)}`, err));
        return;
      }
      pw.written += n;
      if (pw.written < pw.len) {
        this.issueAsync(pw);
        return;
      }
      this.completed(pw);
      this.onWriteDone();
    });
  }

  private completed(pw: PendingWrite): void {
    pw.done = true;
    while (this.pending.length > 0 && this.pending[0]!.done) {
      const p = this.pending.shift()!;
      this.pendingBytes -= p.len;
      if (p.seg.committedPosition < p.commitTo) p.seg.committedPosition = p.commitTo;
      if (p.timestamp > this.committedTimestamp) this.committedTimestamp = p.timestamp;
      if (p.buf.length === this.bufSize && this.spare.length < 8) this.spare.push(p.buf);
    }
  }

  /** Whether background writes are still running. */
  writesInFlight(): boolean {
    return this.pending.some((p) => p.inflight);
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
      const end = pos + len;
      if (end > seg.wrotePosition) return false;
      let cur = pos;
      const disk = Math.min(end, seg.committedPosition);
      while (cur < disk) {
        const n = this.fs.readSync(seg.fd, target, tOff + (cur - pos), disk - cur, cur);
        if (n <= 0) return false;
        cur += n;
      }
      for (let i = 0; cur < end && i < this.pending.length; i++) {
        const pw = this.pending[i]!;
        if (pw.seg !== seg || cur < pw.pos || cur >= pw.pos + pw.len) continue;
        const n = Math.min(end, pw.pos + pw.len) - cur;
        pw.buf.copy(target, tOff + (cur - pos), cur - pw.pos, cur - pw.pos + n);
        cur += n;
      }
      if (cur < end && seg === this.segments[this.segments.length - 1] && cur >= this.activeStart) {
        this.appendBuf.copy(target, tOff + (cur - pos), cur - this.activeStart, end - this.activeStart);
        cur = end;
      }
      return cur === end;
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

  /**
   * The record at `offset` (`size` bytes) for a pull: a view of a read-ahead window, so the records of one
   * pull, and of pulls on neighbouring queues whose records interleave with them, come from one `pread` instead
   * of one each (Node has no mmap). Only bytes already in the file are windowed; newer ones are copied as
   * `getMessage` does. The view keeps its window alive until it is dropped (after the response is written).
   */
  getMessageAhead(offset: number, size: number): Buffer | undefined {
    const seg = this.findSegment(offset);
    if (!seg) return undefined;
    const pos = offset - seg.fileFromOffset;
    const end = pos + size;
    const windows = this.readWindows;
    for (let i = windows.length - 1; i >= 0; i--) {
      const w = windows[i]!;
      if (w.seg === seg && pos >= w.pos && end <= w.pos + w.buf.length) return w.buf.subarray(pos - w.pos, end - w.pos);
    }
    if (end > seg.committedPosition || !seg.hold()) return this.getMessage(offset, size);
    try {
      const len = Math.max(size, Math.min(READ_WINDOW_SIZE, seg.committedPosition - pos));
      const buf = Buffer.allocUnsafeSlow(len);
      for (let got = 0; got < len; ) {
        const n = this.fs.readSync(seg.fd, buf, got, len - got, pos + got);
        if (n <= 0) return undefined;
        got += n;
      }
      if (windows.push({ seg, pos, buf }) > READ_WINDOWS) windows.shift();
      return buf.subarray(0, size);
    } finally {
      seg.release();
    }
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
    this.readWindows = [];
    this.appendLen = 0;
    this.pending = [];
    this.pendingBytes = 0;
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
    this.activeStart = last.wrotePosition;
  }

  /** Deletes up to `max` old segments (never the newest) matching `expired`. */
  deleteExpiredFiles(expired: (seg: MappedFile) => boolean, max: number): number {
    let n = 0;
    while (n < max && this.segments.length > 1) {
      const seg = this.segments[0]!;
      if (!expired(seg)) break;
      this.segments.shift();
      this.readWindows = this.readWindows.filter((w) => w.seg !== seg);
      seg.destroy();
      this.log.info({ file: seg.file }, 'deleted expired commitlog segment');
      n++;
    }
    return n;
  }

  shutdown(): void {
    this.readWindows = [];
    for (const s of this.segments) s.close();
  }
}
