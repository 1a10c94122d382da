/**
 * RebalanceLockManager (rocketmq-protocol.md §11): which client holds each queue of a group for ordered
 * consumption. A lock is free, expired (60 s without renewal) or held; the holder renews it by locking again.
 */
export interface LockedQueue {
  topic: string;
  brokerName: string;
  queueId: number;
}

interface LockEntry {
  clientId: string;
  lastUpdateTimestamp: number;
}

/** `rocketmq.broker.rebalance.lockMaxLiveTime`. */
export const REBALANCE_LOCK_MAX_LIVE_TIME = 60_000;

function keyOf(mq: LockedQueue): string {
  return `${mq.topic}\u0000${mq.brokerName}\u0000${mq.queueId}`;
}

export class RebalanceLockManager {
  private readonly table = new Map<string, Map<string, LockEntry>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxLiveTime = REBALANCE_LOCK_MAX_LIVE_TIME,
  ) {}

  /** Locks what it can for `clientId`; returns the queues `clientId` holds now among those asked. */
  tryLockBatch(group: string, mqs: LockedQueue[], clientId: string): LockedQueue[] {
    let locks = this.table.get(group);
    if (locks === undefined) {
      locks = new Map();
      this.table.set(group, locks);
    }
    const now = this.now();
    const held: LockedQueue[] = [];
    for (const mq of mqs) {
      const key = keyOf(mq);
      const entry = locks.get(key);
      if (entry === undefined || entry.clientId === clientId || now - entry.lastUpdateTimestamp > this.maxLiveTime) {
        locks.set(key, { clientId, lastUpdateTimestamp: now });
        held.push(mq);
      }
    }
    return held;
  }

  /** Drops the locks of `group` held by clients outside `alive`; returns how many. */
  releaseClientsNotIn(group: string, alive: ReadonlySet<string>): number {
    const locks = this.table.get(group);
    if (locks === undefined) return 0;
    let released = 0;
    for (const [key, entry] of locks) {
      if (alive.has(entry.clientId)) continue;
      locks.delete(key);
      released++;
    }
    if (locks.size === 0) this.table.delete(group);
    return released;
  }

  /** Who holds `mq` in `group` now (undefined when free or expired). */
  lockHolder(group: string, mq: LockedQueue): string | undefined {
    const entry = this.table.get(group)?.get(keyOf(mq));
    return entry !== undefined && this.now() - entry.lastUpdateTimestamp <= this.maxLiveTime ? entry.clientId : undefined;
  }

  unlockBatch(group: string, mqs: LockedQueue[], clientId: string): void {
    const locks = this.table.get(group);
    if (locks === undefined) return;
    for (const mq of mqs) {
      const key = keyOf(mq);
      if (locks.get(key)?.clientId === clientId) locks.delete(key);
    }
  }
}
