import fs from 'node:fs';
import path from 'node:path';

/**
 * The file operations the store performs. Everything goes through this seam so tests can inject
 * faults (a disk that fills up) and the memory store can run the same code on RAM.
 * Positional reads/writes only: the store keeps its own positions.
 */
export interface StoreFs {
  openSync(file: string, flags: 'r+' | 'w+' | 'r'): number;
  closeSync(fd: number): void;
  readSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number): number;
  writeSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number): number;
  /** Positional write on libuv's thread pool. */
  write(fd: number, buf: Uint8Array, off: number, len: number, pos: number, cb: (err: NodeJS.ErrnoException | null, written: number) => void): void;
  /** Durability barrier; async so the event loop keeps accepting puts while the disk syncs (group commit). */
  fdatasync(fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void;
  fdatasyncSync(fd: number): void;
  ftruncateSync(fd: number, len: number): void;
  sizeSync(file: string): number;
  mtimeSync(file: string): number;
  existsSync(file: string): boolean;
  mkdirpSync(dir: string): void;
  readdirSync(dir: string): string[];
  unlinkSync(file: string): void;
  /** rename(2): within one directory the file appears under `to` whole, or not at all. */
  renameSync(from: string, to: string): void;
  /**
   * Makes the directory's entries durable (fsync on the directory): a file's own fdatasync does not persist the
   * name that points to it, so a power loss could drop a new file or a rename.
   */
  fsyncDirSync(dir: string): void;
  rmrfSync(dir: string): void;
  writeFileSync(file: string, data: Uint8Array | string): void;
  readFileSync(file: string): Buffer;
  /** Used/total bytes of the file system holding `dir`. */
  diskUsage(dir: string): { total: number; free: number };
}

/**
 * mkdir -p whose result survives a power loss: the parent of every directory it creates is synced, so the new
 * names are durable before files in them hold data that was acknowledged.
 */
export function mkdirpDurable(fs: StoreFs, dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  if (missing.length === 0) return;
  fs.mkdirpSync(dir);
  for (const d of missing) fs.fsyncDirSync(path.dirname(d));
}

export const nodeFs: StoreFs = {
  openSync: (f, flags) => fs.openSync(f, flags),
  closeSync: (fd) => fs.closeSync(fd),
  readSync: (fd, buf, off, len, pos) => fs.readSync(fd, buf, off, len, pos),
  writeSync: (fd, buf, off, len, pos) => fs.writeSync(fd, buf, off, len, pos),
  write: (fd, buf, off, len, pos, cb) => fs.write(fd, buf, off, len, pos, cb),
  fdatasync: (fd, cb) => fs.fdatasync(fd, cb),
  fdatasyncSync: (fd) => fs.fdatasyncSync(fd),
  ftruncateSync: (fd, len) => fs.ftruncateSync(fd, len),
  sizeSync: (f) => fs.statSync(f).size,
  mtimeSync: (f) => fs.statSync(f).mtimeMs,
  existsSync: (f) => fs.existsSync(f),
  mkdirpSync: (d) => void fs.mkdirSync(d, { recursive: true }),
  readdirSync: (d) => fs.readdirSync(d),
  unlinkSync: (f) => fs.unlinkSync(f),
  renameSync: (from, to) => fs.renameSync(from, to),
  fsyncDirSync: (dir) => {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } catch (err) {
      // Some file systems cannot sync a directory (EINVAL); their metadata is then as durable as they make it.
      if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
    } finally {
      fs.closeSync(fd);
    }
  },
  rmrfSync: (d) => fs.rmSync(d, { recursive: true, force: true }),
  writeFileSync: (f, data) => fs.writeFileSync(f, data),
  readFileSync: (f) => fs.readFileSync(f),
  diskUsage: (d) => {
    const s = fs.statfsSync(d);
    return { total: s.blocks * s.bsize, free: s.bavail * s.bsize };
  },
};

const PAGE = 64 * 1024;

interface MemFile {
  pages: Map<number, Buffer>;
  size: number;
  mtimeMs: number;
}

/**
 * A sparse in-memory file system: pages are allocated on first write, so a preallocated 1 GiB
 * segment costs only what was written. Backs `MemoryMessageStore`.
 */
export class MemoryFs implements StoreFs {
  private files = new Map<string, MemFile>();
  private dirs = new Set<string>(['/']);
  private fds = new Map<number, MemFile>();
  private nextFd = 1000;
  constructor(private readonly capacity = Number.MAX_SAFE_INTEGER) {}

  private norm(p: string): string {
    return path.resolve(p);
  }
  openSync(file: string, flags: 'r+' | 'w+' | 'r'): number {
    const key = this.norm(file);
    let f = this.files.get(key);
    if (!f) {
      if (flags !== 'w+') throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
      f = { pages: new Map(), size: 0, mtimeMs: Date.now() };
      this.files.set(key, f);
    } else if (flags === 'w+') {
      f.pages.clear();
      f.size = 0;
    }
    const fd = this.nextFd++;
    this.fds.set(fd, f);
    return fd;
  }
  private file(fd: number): MemFile {
    const f = this.fds.get(fd);
    if (!f) throw Object.assign(new Error('EBADF'), { code: 'EBADF' });
    return f;
  }
  closeSync(fd: number): void {
    this.fds.delete(fd);
  }
  readSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number): number {
    const f = this.file(fd);
    const end = Math.min(pos + len, f.size);
    let p = pos;
    while (p < end) {
      const pageNo = Math.floor(p / PAGE);
      const inPage = p - pageNo * PAGE;
      const n = Math.min(PAGE - inPage, end - p);
      const page = f.pages.get(pageNo);
      if (page) buf.set(page.subarray(inPage, inPage + n), off + (p - pos));
      else buf.fill(0, off + (p - pos), off + (p - pos) + n);
      p += n;
    }
    return Math.max(0, end - pos);
  }
  writeSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number): number {
    const f = this.file(fd);
    let p = pos;
    const end = pos + len;
    while (p < end) {
      const pageNo = Math.floor(p / PAGE);
      const inPage = p - pageNo * PAGE;
      const n = Math.min(PAGE - inPage, end - p);
      let page = f.pages.get(pageNo);
      if (!page) {
        page = Buffer.alloc(PAGE);
        f.pages.set(pageNo, page);
      }
      page.set(buf.subarray(off + (p - pos), off + (p - pos) + n), inPage);
      p += n;
    }
    if (end > f.size) f.size = end;
    f.mtimeMs = Date.now();
    return len;
  }
  write(fd: number, buf: Uint8Array, off: number, len: number, pos: number, cb: (err: NodeJS.ErrnoException | null, written: number) => void): void {
    let n = 0;
    let error: NodeJS.ErrnoException | null = null;
    try {
      n = this.writeSync(fd, buf, off, len, pos);
    } catch (err) {
      error = err as NodeJS.ErrnoException;
    }
    setImmediate(cb, error, n);
  }
  fdatasync(fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void {
    this.file(fd);
    setImmediate(cb, null);
  }
  fdatasyncSync(fd: number): void {
    this.file(fd);
  }
  ftruncateSync(fd: number, len: number): void {
    const f = this.file(fd);
    if (len < f.size) {
      for (const [no, page] of f.pages) {
        if (no * PAGE >= len) f.pages.delete(no);
        else if ((no + 1) * PAGE > len) page.fill(0, len - no * PAGE);
      }
    }
    f.size = len;
  }
  private stat(file: string): MemFile {
    const f = this.files.get(this.norm(file));
    if (!f) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
    return f;
  }
  sizeSync(file: string): number {
    return this.stat(file).size;
  }
  mtimeSync(file: string): number {
    return this.stat(file).mtimeMs;
  }
  existsSync(file: string): boolean {
    const k = this.norm(file);
    return this.files.has(k) || this.dirs.has(k);
  }
  mkdirpSync(dir: string): void {
    let d = this.norm(dir);
    while (!this.dirs.has(d)) {
      this.dirs.add(d);
      d = path.dirname(d);
    }
  }
  readdirSync(dir: string): string[] {
    const d = this.norm(dir);
    if (!this.dirs.has(d)) throw Object.assign(new Error(`ENOENT: ${dir}`), { code: 'ENOENT' });
    const out = new Set<string>();
    for (const k of [...this.files.keys(), ...this.dirs]) if (path.dirname(k) === d && k !== d) out.add(path.basename(k));
    return [...out];
  }
  unlinkSync(file: string): void {
    this.files.delete(this.norm(file));
  }
  renameSync(from: string, to: string): void {
    const f = this.stat(from);
    this.files.delete(this.norm(from));
    this.files.set(this.norm(to), f);
  }
  fsyncDirSync(dir: string): void {
    if (!this.dirs.has(this.norm(dir))) throw Object.assign(new Error(`ENOENT: ${dir}`), { code: 'ENOENT' });
  }
  rmrfSync(dir: string): void {
    const d = this.norm(dir);
    for (const k of [...this.files.keys()]) if (k === d || k.startsWith(d + path.sep)) this.files.delete(k);
    for (const k of [...this.dirs]) if (k === d || k.startsWith(d + path.sep)) this.dirs.delete(k);
  }
  writeFileSync(file: string, data: Uint8Array | string): void {
    const b = typeof data === 'string' ? Buffer.from(data) : data;
    const fd = this.openSync(file, 'w+');
    this.writeSync(fd, b, 0, b.length, 0);
    this.closeSync(fd);
  }
  readFileSync(file: string): Buffer {
    const f = this.stat(file);
    const b = Buffer.alloc(f.size);
    const fd = this.nextFd++;
    this.fds.set(fd, f);
    this.readSync(fd, b, 0, f.size, 0);
    this.fds.delete(fd);
    return b;
  }
  diskUsage(): { total: number; free: number } {
    let used = 0;
    for (const f of this.files.values()) used += f.pages.size * PAGE;
    const total = this.capacity === Number.MAX_SAFE_INTEGER ? Math.max(used * 4, 1 << 30) : this.capacity;
    return { total, free: Math.max(0, total - used) };
  }
}
