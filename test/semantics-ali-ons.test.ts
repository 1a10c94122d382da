/**
 * Delivery semantics seen by a RocketMQ client we did not write (ali-ons 3.12.0): delay levels through its message
 * option, retries when its handler throws, and the dead-letter queue after maxReconsumeTimes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { aliConsumer, aliMessage, aliProducer, type AliMessage } from './helpers/ali-ons.js';
import { createTopic, eventually } from './helpers/admin.js';
import { startCluster, type Cluster } from './helpers/cluster.js';

let cluster: Cluster | undefined;
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!().catch(() => undefined);
  await cluster?.stop();
  cluster = undefined;
});

interface Seen {
  body: string;
  at: number;
  reconsumeTimes: number;
  topic: string;
  tags: string;
}

describe('ali-ons and delivery semantics', () => {
  it('delivers a message sent with delayTimeLevel only after that level\'s delay', async () => {
    cluster = await startCluster({ brokerConfig: { messageDelayLevel: '1s 2s 3s' } });
    await createTopic(cluster.brokerAddr, 'AliDelay', 1, cluster.namesrvAddr);
    const p = aliProducer(cluster.namesrvAddr, 'PID_ali_delay');
    closers.push(() => p.close());
    await p.ready();
    const got: Seen[] = [];
    const c = aliConsumer(cluster.namesrvAddr, 'CID_ali_delay');
    closers.push(() => c.close());
    c.subscribe('AliDelay', '*', async (msg: AliMessage & { reconsumeTimes: number }) => {
      got.push({ body: msg.body.toString(), at: Date.now(), reconsumeTimes: msg.reconsumeTimes, topic: msg.topic, tags: msg.tags });
    });
    await c.ready();
    const msg = aliMessage('AliDelay', 'TagLater', 'two seconds later', 'ali-delay-key') as AliMessage & { delayTimeLevel: number };
    msg.delayTimeLevel = 2;
    const sentAt = Date.now();
    expect((await p.send(msg)).sendStatus).toBe('SEND_OK');
    expect(cluster.brokers[0]!.store.getMaxOffsetInQueue('SCHEDULE_TOPIC_XXXX', 1)).toBe(1);
    await eventually(() => got.length === 1, 'the delayed message', 15_000);
    expect(got[0]!.at - sentAt).toBeGreaterThanOrEqual(1950);
    expect([got[0]!.body, got[0]!.tags, got[0]!.topic]).toEqual(['two seconds later', 'TagLater', 'AliDelay']);
  });

  it('redelivers a message whose handler throws, with growing reconsume times, then sends it to %DLQ%', async () => {
    cluster = await startCluster({ brokerConfig: { messageDelayLevel: '1s 1s 1s 1s 1s 1s' } });
    await createTopic(cluster.brokerAddr, 'AliRetry', 1, cluster.namesrvAddr);
    const p = aliProducer(cluster.namesrvAddr, 'PID_ali_retry');
    closers.push(() => p.close());
    await p.ready();
    const got: Seen[] = [];
    const c = aliConsumer(cluster.namesrvAddr, 'CID_ali_retry', { maxReconsumeTimes: 2 });
    closers.push(() => c.close());
    c.subscribe('AliRetry', '*', async (msg: AliMessage & { reconsumeTimes: number }) => {
      got.push({ body: msg.body.toString(), at: Date.now(), reconsumeTimes: msg.reconsumeTimes, topic: msg.topic, tags: msg.tags });
      throw new Error('handler failed');
    });
    await c.ready();
    expect((await p.send(aliMessage('AliRetry', 'TagR', 'always fails', 'ali-retry-key'))).sendStatus).toBe('SEND_OK');
    const broker = cluster.brokers[0]!;
    await eventually(() => broker.store.getMaxOffsetInQueue('%DLQ%CID_ali_retry', 0) === 1, 'the message in the DLQ', 20_000);
    expect(got.map((g) => g.reconsumeTimes)).toEqual([0, 1, 2]);
    expect(got.every((g) => g.body === 'always fails' && g.topic === 'AliRetry')).toBe(true);
    const dead = await broker.store.getMessage('test', '%DLQ%CID_ali_retry', 0, 0, 1);
    const { decodeMessage } = await import('@rockit/common');
    const m = decodeMessage(dead.messageBufferList[0]!);
    expect(m.reconsumeTimes).toBe(3);
    expect(m.properties.get('RETRY_TOPIC')).toBe('AliRetry');
    expect(m.properties.get('KEYS')).toBe('ali-retry-key');
    await new Promise((r) => setTimeout(r, 1500));
    expect(got).toHaveLength(3);
  });
});
