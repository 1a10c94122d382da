import type { StoreFs } from '../store-fs.js';

/**
 * One fixed-size commit-log segment. Node has no mmap, so a segment is a file descriptor plus
 * three positions: `wrotePosition` (appended, possibly still in the append buffer),
 * `committedPosition` (written to the file) and `flushedPosition` (fdatasync'ed).
 */
export class MappedFile {
  wrotePosition = 0;
  committedPosition = 0;
  flushedPosition = 0;
  /** Readers holding this segment; retention defers the close until they let go. */
  refCount = 0;
  private destroyPending = false;
  closed = false;

  constructor(
    readonly file: string,
    readonly fileFromOffset: number,
    readonly fileSize: number,
    readonly fd: number,
    private readonly fs: StoreFs,
  ) {}

  isFull(): boolean {
    return this.wrotePosition >= this.fileSize;
  }

  lastModified(): number {
    return this.fs.mtimeSync(this.file);
  }

  hold(): boolean {
    if (this.destroyPending || this.closed) return false;
    this.refCount++;
    return true;
  }

  release(): void {
    this.refCount--;
    if (this.refCount === 0 && this.destroyPending) this.doDestroy();
  }

  /** Unlinks the file now, or when the last reader releases it. */
  destroy(): void {
    this.destroyPending = true;
    if (this.refCount <= 0) this.doDestroy();
  }

  private doDestroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.fs.closeSync(this.fd);
    this.fs.unlinkSync(this.file);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.fs.closeSync(this.fd);
  }
}
