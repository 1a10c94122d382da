/** The messages pulled from one queue and not yet consumed (RocketMQ `ProcessQueue`). */
import type { MessageExt } from '@rockit/common';
import type { MessageQueue } from '../message-queue.js';

/** A client treats its queue lock as lost after this long without renewal (`rocketmq.client.rebalance.lockMaxLiveTime`). */
export const REBALANCE_LOCK_MAX_LIVE_TIME = 30_000;

export class ProcessQueue {
  /** Offset -> message, in offset order (pulls append increasing offsets). */
  private readonly msgs = new Map<number, MessageExt>();
  /** Orderly: taken by the listener, not committed yet. */
  private readonly consuming = new Map<number, MessageExt>();
  private queueOffsetMax = 0;
  msgSize = 0;
  dropped = false;
  locked = false;
  lastLockTimestamp = 0;
  /** Orderly: a consume run is active for this queue. */
  consumingNow = false;
  /** Next offset to pull. */
  nextOffset: number;
  /** Increments on seek: pulls of an older generation are discarded. */
  generation = 0;

  constructor(
    readonly messageQueue: MessageQueue,
    nextOffset: number,
  ) {
    this.nextOffset = nextOffset;
  }

  get msgCount(): number {
    return this.msgs.size + this.consuming.size;
  }

  get lockExpired(): boolean {
    return Date.now() - this.lastLockTimestamp > REBALANCE_LOCK_MAX_LIVE_TIME;
  }

  putMessages(list: readonly MessageExt[]): void {
    for (const m of list) {
      if (this.msgs.has(m.queueOffset)) continue;
      this.msgs.set(m.queueOffset, m);
      this.msgSize += m.body.length;
      if (m.queueOffset > this.queueOffsetMax) this.queueOffsetMax = m.queueOffset;
    }
  }

  /**
   * Removes consumed messages; returns the offset to commit (the smallest offset still held, or one past the
   * largest seen when none is), or -1 when the queue held nothing.
   */
  removeMessages(list: readonly MessageExt[]): number {
    if (this.msgs.size === 0) return -1;
    for (const m of list) {
      const held = this.msgs.get(m.queueOffset);
      if (held === undefined) continue;
      this.msgs.delete(m.queueOffset);
      this.msgSize -= held.body.length;
    }
    return this.msgs.size > 0 ? this.msgs.keys().next().value! : this.queueOffsetMax + 1;
  }

  /** Orderly: the next `n` messages in offset order, moved to the consuming set. */
  takeMessages(n: number): MessageExt[] {
    const out: MessageExt[] = [];
    for (const [offset, m] of this.msgs) {
      if (out.length >= n) break;
      out.push(m);
      this.msgs.delete(offset);
      this.consuming.set(offset, m);
    }
    return out;
  }

  /** Orderly: the taken messages are done; returns the offset to commit (-1 if none). */
  commit(): number {
    let max = -1;
    for (const [offset, m] of this.consuming) {
      if (offset > max) max = offset;
      this.msgSize -= m.body.length;
    }
    this.consuming.clear();
    return max < 0 ? -1 : max + 1;
  }

  /** Orderly: put taken messages back to be consumed again, keeping offset order. */
  makeMessagesToConsumeAgain(list: readonly MessageExt[]): void {
    const all = new Map<number, MessageExt>();
    for (const m of list) {
      this.consuming.delete(m.queueOffset);
      all.set(m.queueOffset, m);
    }
    for (const [o, m] of this.msgs) all.set(o, m);
    this.msgs.clear();
    for (const o of [...all.keys()].sort((a, b) => a - b)) this.msgs.set(o, all.get(o)!);
  }

  clear(): void {
    this.msgs.clear();
    this.consuming.clear();
    this.msgSize = 0;
  }
}
