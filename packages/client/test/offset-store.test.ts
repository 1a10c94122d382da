import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalFileOffsetStore, OFFSET_NOT_FOUND, ProcessQueue, type MessageQueue } from '../src/index.js';
import { MessageExt } from '@rockit/common';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const q0: MessageQueue = { topic: 'T', brokerName: 'broker-a', queueId: 0 };
const q1: MessageQueue = { topic: 'T', brokerName: 'broker-a', queueId: 1 };

describe('LocalFileOffsetStore', () => {
  it('writes the Java client\'s offsets.json shape and reads it back in a new store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rockit-offsets-'));
    dirs.push(dir);
    const store = new LocalFileOffsetStore(dir, '10.0.0.1@c1', 'G');
    store.updateOffset(q0, 12, false);
    store.updateOffset(q1, 7, true);
    store.updateOffset(q1, 5, true); // increase-only ignores going back
    await store.persistAll();
    const text = readFileSync(join(dir, '10.0.0.1@c1', 'G', 'offsets.json'), 'utf8');
    expect(text.replace(/\s/g, '')).toContain('{"brokerName":"broker-a","queueId":0,"topic":"T"}:12');

    const again = new LocalFileOffsetStore(dir, '10.0.0.1@c1', 'G');
    expect(await again.readOffset(q1, 'READ_FROM_STORE')).toBe(7);
    expect(await again.readOffset({ ...q1, queueId: 9 }, 'READ_FROM_STORE')).toBe(OFFSET_NOT_FOUND);
    await again.load();
    expect(await again.readOffset(q0, 'READ_FROM_MEMORY')).toBe(12);
  });
});

describe('ProcessQueue', () => {
  const msg = (offset: number) => Object.assign(new MessageExt('T', Buffer.from('x')), { queueOffset: offset });

  it('commits up to the smallest offset still being consumed', () => {
    const pq = new ProcessQueue(q0, 0);
    const m = [0, 1, 2, 3].map(msg);
    pq.putMessages(m);
    expect(pq.removeMessages([m[1]!, m[2]!])).toBe(0);
    expect(pq.removeMessages([m[0]!])).toBe(3);
    expect(pq.removeMessages([m[3]!])).toBe(4);
    expect(pq.msgCount).toBe(0);
  });

  it('hands out orderly batches in offset order and takes failed ones back first', () => {
    const pq = new ProcessQueue(q0, 0);
    pq.putMessages([0, 1, 2].map(msg));
    const first = pq.takeMessages(2);
    pq.makeMessagesToConsumeAgain(first);
    expect(pq.takeMessages(3).map((x) => x.queueOffset)).toEqual([0, 1, 2]);
    expect(pq.commit()).toBe(3);
  });
});
