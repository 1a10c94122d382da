/**
 * The persistence scheme of RocketMQ's `ConfigManager` (topics.json, subscriptionGroup.json,
 * consumerOffset.json, delayOffset.json): the new content goes to `<file>.tmp` and is fsynced, the current
 * file becomes `<file>.bak`, the `.tmp` is renamed over `<file>` and the directory is fsynced. Every step
 * is a complete file or an atomic rename, so a process killed at any moment leaves either `<file>` or
 * `<file>.bak` readable; `load` falls back to `.bak` when `<file>` is missing, empty or unparsable.
 *
 * This module depends on node:fs only (tests run it in a child process that is SIGKILLed mid-write).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

export type ConfigFileSource = 'file' | 'bak';

export interface ConfigFileLoaded<T> {
  value: T;
  /** Where the value came from; 'bak' means `<file>` was missing, empty or unparsable. */
  source: ConfigFileSource;
  /** Why `<file>` was not used, when source is 'bak' and `<file>` existed. */
  fileError?: Error;
}

/** Neither `<file>` nor `<file>.bak` holds a readable config. */
export class ConfigFileCorruptError extends Error {
  override readonly name = 'ConfigFileCorruptError';
  constructor(
    readonly path: string,
    readonly fileError: Error | undefined,
    readonly bakError: Error | undefined,
  ) {
    super(`cannot read ${path} (${fileError?.message ?? 'missing'}) nor ${path}.bak (${bakError?.message ?? 'missing'})`);
  }
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the renames are still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export class ConfigFile {
  constructor(readonly path: string) {}

  get bakPath(): string {
    return `${this.path}.bak`;
  }

  get tmpPath(): string {
    return `${this.path}.tmp`;
  }

  /**
   * Decodes `<file>`, or `<file>.bak` when `<file>` is missing/empty/undecodable. Undefined when neither
   * exists (a fresh store); ConfigFileCorruptError when something exists but nothing decodes.
   */
  load<T>(decode: (text: string) => T): ConfigFileLoaded<T> | undefined {
    let fileError: Error | undefined;
    const text = readIfPresent(this.path);
    if (text !== undefined && text.length > 0) {
      try {
        return { value: decode(text), source: 'file' };
      } catch (e) {
        fileError = e as Error;
      }
    } else if (text !== undefined) {
      fileError = new Error('file is empty');
    }
    const bak = readIfPresent(this.bakPath);
    if (bak === undefined || bak.length === 0) {
      if (fileError) throw new ConfigFileCorruptError(this.path, fileError, bak === undefined ? undefined : new Error('file is empty'));
      return undefined;
    }
    try {
      return { value: decode(bak), source: 'bak', ...(fileError ? { fileError } : {}) };
    } catch (e) {
      throw new ConfigFileCorruptError(this.path, fileError, e as Error);
    }
  }

  /** Writes `content` durably with the .tmp/.bak scheme, blocking (used at shutdown and by tests). */
  persistSync(content: string): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.tmpPath, 'w');
    try {
      const buf = Buffer.from(content, 'utf8');
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (existsSync(this.path)) renameSync(this.path, this.bakPath);
    renameSync(this.tmpPath, this.path);
    syncDir(dirname(this.path));
  }

  /** Same as persistSync without blocking the event loop. */
  async persist(content: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.tmpPath, 'w');
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(this.path, this.bakPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await rename(this.tmpPath, this.path);
    const dir = await open(dirname(this.path), 'r').catch(() => undefined);
    if (dir) {
      await dir.sync().catch(() => undefined);
      await dir.close();
    }
  }
}

/**
 * Coalesces persist requests for one file: at most one write in flight; requests made meanwhile are folded
 * into one more write of the then-current content. `flush()` waits until everything requested is on disk.
 */
export class PersistScheduler {
  private running: Promise<void> | undefined;
  private dirty = false;
  private lastError: Error | undefined;

  constructor(
    private readonly file: ConfigFile,
    private readonly encode: () => string,
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  /** Requests a write of the current content. */
  request(): void {
    this.dirty = true;
    if (!this.running) this.running = this.drain();
  }

  /** Resolves when all requested writes finished; rejects with the last write error, if any. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    const error = this.lastError;
    this.lastError = undefined;
    if (error) throw error;
  }

  private async drain(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        try {
          await this.file.persist(this.encode());
        } catch (e) {
          this.lastError = e as Error;
          this.onError(e as Error);
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}
