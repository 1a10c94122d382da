import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes a directory tree occupies on disk (allocated blocks, so preallocated sparse files count as written). */
export function diskUsage(path: string): number {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return 0;
  }
  let total = stat.blocks * 512;
  if (stat.isDirectory()) {
    for (const name of readdirSync(path)) total += diskUsage(join(path, name));
  }
  return total;
}
