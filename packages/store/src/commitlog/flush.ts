import type { StoreFs } from '../store-fs.js';
import type { StoreLogger } from '../log.js';
import type { CommitLog } from './commit-log.js';
import { PutMessageStatus, type PutMessageResult } from '../message-store.js';

interface Waiter {
  end: number;
  deadline: number;
  result: PutMessageResult;
  resolve: (r: PutMessageResult) => void;
}

export interface GroupCommitOptions {
  syncFlushTimeout: number;
  /** Writes the append buffers (commit log, consume queues, index) to the files. */
  commitAll: () => boolean;
  onFlushed: () => void;
  onError: (err: unknown) => void;
  now: () => number;
  log: StoreLogger;
}

/**
 * Flush of the commit log. SYNC_FLUSH puts wait here until an fdatasync covers their bytes;
 * all puts that arrive while one fdatasync runs share the next one (group commit), which runs
 * on libuv's thread pool so the event loop keeps accepting puts. ASYNC_FLUSH calls `flush()`
 * every `flushIntervalCommitLog` ms.
 */
export class GroupCommitService {
  private waiters: Waiter[] = [];
  private head = 0;
  private flushing = false;
  private flushedWhere = 0;
  /** Store timestamp of the last flushed record (checkpoint physicMsgTimestamp). */
  flushedTimestamp = 0;
  private idleResolvers: (() => void)[] = [];

  constructor(
    private readonly commitLog: CommitLog,
    private readonly fs: StoreFs,
    private readonly opts: GroupCommitOptions,
  ) {}

  waitFor(end: number, result: PutMessageResult): Promise<PutMessageResult> {
    return new Promise((resolve) => {
      this.waiters.push({ end, deadline: this.opts.now() + this.opts.syncFlushTimeout, result, resolve });
    });
  }

  /** Called after each commit tick: start an fdatasync if puts are waiting. */
  onCommitted(): void {
    if (this.head < this.waiters.length) this.flush();
  }

  /** Starts one fdatasync round over everything committed so far (no-op if one is running). */
  flush(): void {
    if (this.flushing) return;
    this.opts.commitAll();
    const target = this.commitLog.getCommittedOffset();
    // Held so retention cannot close a segment while its fdatasync runs.
    const segs = this.commitLog.segmentsToFlush().filter((seg) => seg.hold());
    if (segs.length === 0) {
      if (target > this.flushedWhere) this.flushedWhere = target;
      this.flushedTimestamp = this.commitLog.committedTimestamp;
      this.release();
      this.notifyIdle();
      return;
    }
    this.flushing = true;
    const ts = this.commitLog.committedTimestamp;
    const positions = segs.map((s) => s.committedPosition);
    let left = segs.length;
    let failed: unknown;
    segs.forEach((seg, i) => {
      this.fs.fdatasync(seg.fd, (err) => {
        seg.release();
        if (err) failed = err;
        else if (seg.flushedPosition < positions[i]!) seg.flushedPosition = positions[i]!;
        if (--left > 0) return;
        this.flushing = false;
        if (failed) {
          this.opts.onError(failed);
          this.notifyIdle();
          return;
        }
        if (target > this.flushedWhere) this.flushedWhere = target;
        this.flushedTimestamp = ts;
        this.opts.onFlushed();
        this.release();
        if (this.head < this.waiters.length) this.flush();
        else this.notifyIdle();
      });
    });
  }

  private release(): void {
    const w = this.waiters;
    while (this.head < w.length && w[this.head]!.end <= this.flushedWhere) {
      const x = w[this.head]!;
      w[this.head++] = undefined as unknown as Waiter;
      x.resolve(x.result);
    }
    this.compact();
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    } else if (this.head === this.waiters.length) {
      this.waiters = [];
      this.head = 0;
    }
  }

  /** Answers FLUSH_DISK_TIMEOUT to puts that waited longer than `syncFlushTimeout`. */
  expireWaiters(): void {
    const now = this.opts.now();
    const w = this.waiters;
    while (this.head < w.length && w[this.head]!.deadline <= now) {
      const x = w[this.head]!;
      w[this.head++] = undefined as unknown as Waiter;
      x.resolve({ ...x.result, status: PutMessageStatus.FLUSH_DISK_TIMEOUT, remark: `fdatasync did not complete within syncFlushTimeout ${this.opts.syncFlushTimeout} ms` });
    }
    this.compact();
    if (this.head < w.length && !this.flushing) this.flush();
  }

  private notifyIdle(): void {
    const r = this.idleResolvers;
    this.idleResolvers = [];
    for (const f of r) f();
  }

  /** Flushes everything committed and resolves when no fdatasync is running. */
  async flushAndWait(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      if (this.flushing) await new Promise<void>((r) => this.idleResolvers.push(r));
      this.flush();
      if (this.flushing) await new Promise<void>((r) => this.idleResolvers.push(r));
      if (this.commitLog.segmentsToFlush().length === 0) break;
    }
  }

  shutdown(): void {
    // Anything still waiting could not be flushed (disk error): tell the producers.
    this.expireAll();
  }

  private expireAll(): void {
    const w = this.waiters;
    while (this.head < w.length) {
      const x = w[this.head++]!;
      x.resolve({ ...x.result, status: PutMessageStatus.FLUSH_DISK_TIMEOUT, remark: 'store shut down before the message was flushed' });
    }
    this.waiters = [];
    this.head = 0;
  }
}
