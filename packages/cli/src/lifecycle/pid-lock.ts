import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isProcessRunning } from './processes.js';

export interface PidLock {
  release(): void;
}

/**
 * One server process per data directory: two brokers appending to one commitlog would corrupt it. The lock is a
 * file holding the owner's pid; a lock whose process is gone (or whose pid now runs a program without `marker` in
 * its command line) is taken over.
 */
export function acquirePidLock(file: string, what: string, marker?: string): PidLock {
  let owner: number | undefined;
  try {
    owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
  } catch {
    owner = undefined;
  }
  if (owner !== undefined && Number.isInteger(owner) && owner !== process.pid && isProcessRunning(owner, marker)) {
    throw new Error(`another ${what} (pid ${owner}) is using ${file.replace(/\/[^/]+$/, '')}: stop it first or choose another --data-dir`);
  }
  writeFileSync(file, `${process.pid}\n`);
  return {
    release() {
      try {
        if (Number.parseInt(readFileSync(file, 'utf8'), 10) === process.pid) rmSync(file, { force: true });
      } catch {
        // already gone
      }
    },
  };
}
