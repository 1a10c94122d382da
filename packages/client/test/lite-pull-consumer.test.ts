import { Message, type MessageExt } from '@rockit/common';
import { describe, expect, it } from 'vitest';
import { LitePullConsumer, MQClientError, Producer, type LitePullConsumerOptions } from '../src/index.js';
import { afterTest, type Cluster, createTopic, quietLogger, startTestCluster } from './helpers/cluster.js';


async function fill(c: Cluster, topic: string, queues: number, n: number): Promise<void> {
  await createTopic(c.brokerAddr, topic, queues, c.namesrvAddr);
  const p = new Producer({ namesrvAddr: c.namesrvAddr, producerGroup: 'PG_lite', logger: quietLogger });
  await p.start();
  for (let i = 0; i < n; i++) await p.send(new Message(topic, `m${i}`), { messageQueue: { topic, brokerName: 'broker-a', queueId: i % queues } });
  await p.shutdown();
}

function lite(c: Cluster, options: Omit<LitePullConsumerOptions, 'namesrvAddr'>): LitePullConsumer {
  const consumer = new LitePullConsumer({ namesrvAddr: c.namesrvAddr, logger: quietLogger, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', ...options });
  afterTest(() => consumer.shutdown());
  return consumer;
}

async function pollUntil(consumers: LitePullConsumer[], count: number, into: MessageExt[] = []): Promise<MessageExt[]> {
  const deadline = Date.now() + 15_000;
  while (into.length < count) {
    if (Date.now() > deadline) throw new Error(`polled ${into.length} of ${count}`);
    for (const c of consumers) into.push(...(await c.poll(100)));
  }
  return into;
}

describe('LitePullConsumer', () => {
  it('polls assigned queues, seeks back and forward, and commits what was polled', async () => {
    const cluster = await startTestCluster();
    await fill(cluster, 'LiteTopic', 2, 20);
    const c = lite(cluster, { consumerGroup: 'CG_lite', autoCommit: false });
    const mqs = (await c.fetchMessageQueues('LiteTopic')).sort((a, b) => a.queueId - b.queueId);
    expect(mqs.map((q) => q.queueId)).toEqual([0, 1]);
    await c.assign(mqs);
    await c.start();
    const all = await pollUntil([c], 20);
    expect(new Set(all.map((m) => m.body.toString())).size).toBe(20);

    await c.seek(mqs[0]!, 7);
    const again = await pollUntil([c], 3);
    expect(again[0]!.queueId).toBe(0);
    expect(again[0]!.queueOffset).toBe(7);
    expect(again.map((m) => m.queueOffset)).toEqual([7, 8, 9]);

    await expect(c.seek(mqs[1]!, 11)).rejects.toBeInstanceOf(MQClientError);
    await c.seekToEnd(mqs[1]!);
    await c.commitSync();
    expect(await c.committed(mqs[0]!)).toBe(10);
    expect(await c.committed(mqs[1]!)).toBe(10);
    await c.seekToBegin(mqs[0]!);
    expect((await pollUntil([c], 1))[0]!.queueOffset).toBe(0);
  });

  it('splits subscribed queues among the group and polls every message once', async () => {
    const cluster = await startTestCluster();
    await fill(cluster, 'LiteSub', 4, 40);
    const a = lite(cluster, { consumerGroup: 'CG_litesub', instanceName: 'a' });
    const b = lite(cluster, { consumerGroup: 'CG_litesub', instanceName: 'b' });
    a.subscribe('LiteSub');
    b.subscribe('LiteSub');
    await a.start();
    await b.start();
    const own = (c: LitePullConsumer) => c.assignedQueues().filter((q) => q.topic === 'LiteSub').length;
    const deadline = Date.now() + 10_000;
    while (own(a) !== 2 || own(b) !== 2) {
      if (Date.now() > deadline) throw new Error(`queues: a=${own(a)} b=${own(b)}`);
      await a.poll(50);
      await b.poll(50);
    }
    const got = await pollUntil([a, b], 40);
    expect(new Set(got.map((m) => m.body.toString())).size).toBe(40);
  });
});
