/**
 * RocketMQ's crash-safe config file writes (`MixAll.string2File`): the new content goes to
 * `<file>.tmp` and is fsynced, the previous content is kept in `<file>.bak`, then the temp file is
 * renamed over the original. Reading falls back to `.bak` when the file is missing or empty.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

function writeDurably(path: string, content: string | Buffer): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readIfPresent(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function string2File(content: string, fileName: string): void {
  const dir = dirname(fileName);
  mkdirSync(dir, { recursive: true });
  writeDurably(`${fileName}.tmp`, content);
  const previous = readIfPresent(fileName);
  if (previous !== undefined) writeDurably(`${fileName}.bak`, previous);
  renameSync(`${fileName}.tmp`, fileName);
  // The rename itself must survive a crash too.
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/** The file's text, else its `.bak`, else undefined. */
export function file2String(fileName: string): string | undefined {
  for (const candidate of [fileName, `${fileName}.bak`]) {
    const content = readIfPresent(candidate);
    if (content !== undefined && content.length > 0) return content.toString('utf8');
  }
  return undefined;
}
