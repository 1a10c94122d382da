import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Paces sends to a fixed rate shared by every lane of one thread: each acquire reserves the next slot on a
 * schedule that starts when the limiter is created, so a lane that fell behind catches up instead of the
 * rate silently dropping (the schedule, not the last send, decides).
 */
export class RateLimiter {
  private next: number;
  private readonly intervalMs: number;

  constructor(ratePerSecond: number, now: number = performance.now()) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive (got ${ratePerSecond})`);
    this.intervalMs = 1000 / ratePerSecond;
    this.next = now;
  }

  /** Reserves the next slot for `permits` messages and returns when it is (possibly already past). */
  reserveSlot(permits: number, now: number = performance.now()): number {
    const at = Math.max(this.next, now - 1000); // never bank more than one second of unused slots
    this.next = at + this.intervalMs * permits;
    return at;
  }

  /** Milliseconds to wait before sending `permits` messages (0: send now); the slot is reserved. */
  reserve(permits: number, now: number = performance.now()): number {
    return Math.max(0, this.reserveSlot(permits, now) - now);
  }

  async acquire(permits = 1): Promise<void> {
    const wait = this.reserve(permits);
    if (wait >= 1) await sleep(wait);
  }
}
