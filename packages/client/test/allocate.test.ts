import { describe, expect, it } from 'vitest';
import { allocateAveragely, allocateAveragelyByCircle, allocateConsistentHash, type AllocateMessageQueueStrategy, type MessageQueue } from '../src/index.js';

const mqs = (n: number): MessageQueue[] => [...Array(n).keys()].map((queueId) => ({ topic: 'T', brokerName: 'broker-a', queueId }));
const ids = (list: MessageQueue[]) => list.map((q) => q.queueId);
const cids = ['c0', 'c1', 'c2'];

function shares(strategy: AllocateMessageQueueStrategy, queues: number, consumers: string[]): number[][] {
  return consumers.map((c) => ids(strategy.allocate('G', c, mqs(queues), consumers)));
}

describe('allocation strategies', () => {
  it('averagely gives contiguous blocks, the first consumers one more when it does not divide', () => {
    expect(shares(allocateAveragely, 8, cids)).toEqual([[0, 1, 2], [3, 4, 5], [6, 7]]);
    expect(shares(allocateAveragely, 2, cids)).toEqual([[0], [1], []]);
  });

  it('averagely by circle deals queues round robin', () => {
    expect(shares(allocateAveragelyByCircle, 8, cids)).toEqual([[0, 3, 6], [1, 4, 7], [2, 5]]);
  });

  it.each([allocateAveragely, allocateAveragelyByCircle, allocateConsistentHash()])('%s: every queue goes to exactly one consumer', (strategy) => {
    for (const n of [1, 4, 7, 16]) {
      const all = shares(strategy, n, cids).flat().sort((a, b) => a - b);
      expect(all).toEqual([...Array(n).keys()]);
    }
    expect(strategy.allocate('G', 'stranger', mqs(4), cids)).toEqual([]);
  });

  it('consistent hash moves only the leaving consumer\'s queues', () => {
    const strategy = allocateConsistentHash();
    const before = shares(strategy, 32, cids);
    const after = shares(strategy, 32, ['c0', 'c1']);
    for (const q of before[0]!) expect(after[0]).toContain(q);
    for (const q of before[1]!) expect(after[1]).toContain(q);
  });
});
