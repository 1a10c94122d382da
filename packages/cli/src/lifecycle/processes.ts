import { readFileSync } from 'node:fs';

/**
 * Whether `pid` is a live process; with `marker`, also that its command line contains it (so a pid the OS has
 * since given to another program is not taken for ours). Zombies count as gone. Linux reads /proc; elsewhere
 * only signal 0 is checked.
 */
export function isProcessRunning(pid: number, marker?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    if (marker !== undefined) return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal`; false when the process is already gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until none of `pids` runs; resolves with those still running at the deadline. */
export async function waitForExit(pids: readonly number[], timeoutMillis: number, marker?: string): Promise<number[]> {
  const deadline = Date.now() + timeoutMillis;
  let running = pids.filter((pid) => isProcessRunning(pid, marker));
  while (running.length > 0 && Date.now() < deadline) {
    await sleep(50);
    running = running.filter((pid) => isProcessRunning(pid, marker));
  }
  return running;
}
