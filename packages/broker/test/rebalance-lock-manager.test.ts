import { describe, expect, it } from 'vitest';
import { REBALANCE_LOCK_MAX_LIVE_TIME, RebalanceLockManager } from '@rockit/broker';
import { manualClock } from './helpers.js';

const q0 = { topic: 'T', brokerName: 'b', queueId: 0 };
const q1 = { topic: 'T', brokerName: 'b', queueId: 1 };

describe('RebalanceLockManager', () => {
  it('gives each queue of a group to one client and lets other groups lock it independently', () => {
    const m = new RebalanceLockManager();
    expect(m.tryLockBatch('G', [q0, q1], 'a')).toEqual([q0, q1]);
    expect(m.tryLockBatch('G', [q0, q1], 'b')).toEqual([]);
    expect(m.tryLockBatch('Other', [q0], 'b')).toEqual([q0]);
    expect(m.lockHolder('G', q1)).toBe('a');
  });

  it('lets a lock expire 60 s after its last renewal, not before', () => {
    const clock = manualClock();
    const m = new RebalanceLockManager(clock.now);
    m.tryLockBatch('G', [q0], 'a');
    clock.advance(REBALANCE_LOCK_MAX_LIVE_TIME - 1000);
    expect(m.tryLockBatch('G', [q0], 'a')).toEqual([q0]); // renewal
    clock.advance(REBALANCE_LOCK_MAX_LIVE_TIME);
    expect(m.tryLockBatch('G', [q0], 'b')).toEqual([]);
    clock.advance(1);
    expect(m.lockHolder('G', q0)).toBeUndefined();
    expect(m.tryLockBatch('G', [q0], 'b')).toEqual([q0]);
  });

  it('releases only the unlocking client\'s queues, and every queue of clients that left the group', () => {
    const m = new RebalanceLockManager();
    m.tryLockBatch('G', [q0], 'a');
    m.tryLockBatch('G', [q1], 'b');
    m.unlockBatch('G', [q0, q1], 'b');
    expect([m.lockHolder('G', q0), m.lockHolder('G', q1)]).toEqual(['a', undefined]);
    m.tryLockBatch('G', [q1], 'c');
    expect(m.releaseClientsNotIn('G', new Set(['c']))).toBe(1);
    expect([m.lockHolder('G', q0), m.lockHolder('G', q1)]).toEqual([undefined, 'c']);
  });
});
