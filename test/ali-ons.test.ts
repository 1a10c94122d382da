/**
 * A RocketMQ client we did not write — ali-ons 3.12.0 (pure JS, CommonJS) — producing to and consuming from a
 * rockit name server + broker over real TCP, unchanged.
 */
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createTopic, eventually } from './helpers/admin.js';
import { startCluster, type Cluster } from './helpers/cluster.js';

const require = createRequire(import.meta.url);

interface AliMessage {
  topic: string;
  tags: string;
  keys: string;
  body: Buffer;
  msgId: string;
  reconsumeTimes: number;
  properties: Record<string, string>;
}
interface AliProducer {
  ready(): Promise<void>;
  close(): Promise<void>;
  send(msg: AliMessage): Promise<{ sendStatus: string; msgId: string; queueOffset: number; messageQueue: { queueId: number } }>;
}
interface AliConsumer {
  ready(): Promise<void>;
  close(): Promise<void>;
  subscribe(topic: string, expression: string, handler: (msg: AliMessage) => Promise<unknown>): void;
  on(event: 'error', listener: (err: Error) => void): void;
}
const ons = require('ali-ons') as {
  Producer: new (options: Record<string, unknown>) => AliProducer;
  Consumer: (new (options: Record<string, unknown>) => AliConsumer) & { ACTION_RETRY: unknown };
  Message: new (topic: string, tags: string, body: Buffer | string) => AliMessage;
};

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

let cluster: Cluster | undefined;
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!().catch(() => undefined);
  await cluster?.stop();
  cluster = undefined;
});

async function producer(namesrvAddr: string, group: string): Promise<AliProducer> {
  const p = new ons.Producer({ nameSrv: namesrvAddr, httpclient: true, producerGroup: group, logger: quiet, instanceName: `p-${group}` });
  closers.push(() => p.close());
  await p.ready();
  return p;
}

async function consumer(namesrvAddr: string, group: string, instanceName: string): Promise<AliConsumer> {
  const c = new ons.Consumer({
    nameSrv: namesrvAddr,
    httpclient: true,
    consumerGroup: group,
    logger: quiet,
    instanceName,
    rebalanceInterval: 1000,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  c.on('error', () => {});
  closers.push(() => c.close());
  await c.ready();
  return c;
}

function message(topic: string, tag: string, i: number): AliMessage {
  const msg = new ons.Message(topic, tag, Buffer.from(`hello ${i} from ali-ons`));
  msg.keys = [`key-${i}`] as unknown as string;
  msg.properties.orderNo = `order-${i}`;
  return msg;
}

describe('ali-ons against a rockit cluster', () => {
  it('produces messages with tags, keys and properties (one compressed 6 KiB) and a push consumer receives them all intact', async () => {
    cluster = await startCluster({ memory: true });
    const topic = 'AliOnsTopic';
    await createTopic(cluster.brokerAddr, topic, 4, cluster.namesrvAddr);
    const p = await producer(cluster.namesrvAddr, 'PID_ali');
    const tags = ['TagA', 'TagB', 'TagC'];
    const sent = new Map<string, { tag: string; body: Buffer; key: string; order: string }>();
    for (let i = 0; i < 20; i++) {
      const msg = message(topic, tags[i % 3]!, i);
      const body = Buffer.from(msg.body);
      const result = await p.send(msg);
      expect(result.sendStatus).toBe('SEND_OK');
      sent.set(`key-${i}`, { tag: tags[i % 3]!, body, key: `key-${i}`, order: `order-${i}` });
    }
    const bigBody = Buffer.from(randomBytes(3 * 1024).toString('hex')); // 6 KiB: ali-ons compresses it (>= 4 KiB)
    const big = new ons.Message(topic, 'TagA', Buffer.from(bigBody));
    big.keys = ['key-big'] as unknown as string;
    big.properties.orderNo = 'order-big';
    const bigResult = await p.send(big);
    expect(bigResult.sendStatus).toBe('SEND_OK');
    sent.set('key-big', { tag: 'TagA', body: bigBody, key: 'key-big', order: 'order-big' });

    const received = new Map<string, AliMessage>();
    const c = await consumer(cluster.namesrvAddr, 'CID_ali_all', 'c-all');
    c.subscribe(topic, '*', async (msg) => {
      received.set(msg.keys, msg);
    });
    await eventually(() => received.size === sent.size, `all ${sent.size} messages`);
    for (const [key, expected] of sent) {
      const got = received.get(key)!;
      expect(got.topic).toBe(topic);
      expect(got.tags).toBe(expected.tag);
      expect(got.properties.orderNo).toBe(expected.order);
      expect(Buffer.from(got.body).equals(expected.body)).toBe(true);
    }
  });

  it('delivers only TagA and TagB to a "TagA || TagB" subscription', async () => {
    cluster = await startCluster({ memory: true });
    const topic = 'AliOnsTags';
    await createTopic(cluster.brokerAddr, topic, 2, cluster.namesrvAddr);
    const p = await producer(cluster.namesrvAddr, 'PID_tags');
    const tags = ['TagA', 'TagB', 'TagC', 'TagD'];
    for (let i = 0; i < 24; i++) await p.send(message(topic, tags[i % 4]!, i));

    const received: AliMessage[] = [];
    const c = await consumer(cluster.namesrvAddr, 'CID_tags', 'c-tags');
    c.subscribe(topic, 'TagA || TagB', async (msg) => {
      received.push(msg);
    });
    await eventually(() => received.length >= 12, '12 TagA/TagB messages');
    // Give a wrongly delivered TagC/TagD message the time to show up.
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(12);
    expect(new Set(received.map((m) => m.tags))).toEqual(new Set(['TagA', 'TagB']));
  });

  it('splits the queues between two consumers of one group, and they receive every message once', async () => {
    cluster = await startCluster({ memory: true });
    const topic = 'AliOnsSplit';
    await createTopic(cluster.brokerAddr, topic, 4, cluster.namesrvAddr);
    const got = new Map<string, string[]>();
    const record = (who: string) => async (msg: AliMessage) => {
      got.set(msg.keys, [...(got.get(msg.keys) ?? []), who]);
    };
    const c1 = await consumer(cluster.namesrvAddr, 'CID_split', 'c1');
    c1.subscribe(topic, '*', record('c1'));
    const c2 = await consumer(cluster.namesrvAddr, 'CID_split', 'c2');
    c2.subscribe(topic, '*', record('c2'));
    const broker = cluster.brokers[0]!;
    await eventually(() => (broker.consumerManager.getConsumerGroupInfo('CID_split')?.getAllClientId().length ?? 0) === 2, 'two consumers registered');
    // Both rebalanced after the broker's NOTIFY_CONSUMER_IDS_CHANGED (or their 1 s rebalance timer).
    await new Promise((r) => setTimeout(r, 1500));

    const p = await producer(cluster.namesrvAddr, 'PID_split');
    for (let i = 0; i < 40; i++) await p.send(message(topic, 'TagA', i));
    await eventually(() => got.size === 40, 'all 40 messages');
    await new Promise((r) => setTimeout(r, 200));
    const byConsumer = { c1: 0, c2: 0 } as Record<string, number>;
    for (const who of got.values()) {
      expect(who).toHaveLength(1);
      byConsumer[who[0]!]!++;
    }
    expect(byConsumer.c1).toBeGreaterThan(0);
    expect(byConsumer.c2).toBeGreaterThan(0);
  });

  it('keeps acknowledged messages and committed offsets across a broker restart (file store)', async () => {
    cluster = await startCluster({ memory: false, brokerConfig: { flushDiskType: 'SYNC_FLUSH' } });
    const topic = 'AliOnsRestart';
    await createTopic(cluster.brokerAddr, topic, 2, cluster.namesrvAddr);
    const p = await producer(cluster.namesrvAddr, 'PID_restart');
    for (let i = 0; i < 10; i++) expect((await p.send(message(topic, 'TagA', i))).sendStatus).toBe('SEND_OK');
    await p.close();
    closers.pop();

    const broker = await cluster.restartBroker(0);
    expect(broker.store.getMaxOffsetInQueue(topic, 0) + broker.store.getMaxOffsetInQueue(topic, 1)).toBe(10);
    expect(broker.ctx.topicConfigManager.selectTopicConfig(topic)?.readQueueNums).toBe(2);

    const received = new Set<string>();
    const c = await consumer(cluster.namesrvAddr, 'CID_restart', 'c-restart');
    c.subscribe(topic, '*', async (msg) => {
      received.add(msg.keys);
    });
    await eventually(() => received.size === 10, 'the 10 messages sent before the restart');
  });

  it('accepts a RECONSUME_LATER send-back and parks the message for redelivery (%RETRY% via the delay topic)', async () => {
    cluster = await startCluster({ memory: true });
    const topic = 'AliOnsRetry';
    await createTopic(cluster.brokerAddr, topic, 1, cluster.namesrvAddr);
    const p = await producer(cluster.namesrvAddr, 'PID_retry');
    await p.send(message(topic, 'TagA', 1));
    let attempts = 0;
    const c = await consumer(cluster.namesrvAddr, 'CID_retry', 'c-retry');
    c.subscribe(topic, '*', async () => {
      attempts++;
      return ons.Consumer.ACTION_RETRY;
    });
    const broker = cluster.brokers[0]!;
    // CONSUMER_SEND_MSG_BACK with delayLevel 0 -> level 3: SCHEDULE_TOPIC_XXXX queue 2, RETRY_TOPIC kept.
    await eventually(() => broker.store.getMaxOffsetInQueue('SCHEDULE_TOPIC_XXXX', 2) === 1, 'the message parked at delay level 3');
    expect(attempts).toBe(1);
    expect(broker.ctx.topicConfigManager.selectTopicConfig('%RETRY%CID_retry')).toBeDefined();
    const parked = await broker.store.getMessage('test', 'SCHEDULE_TOPIC_XXXX', 2, 0, 1);
    const { decodeMessage } = await import('@rockit/common');
    const msg = decodeMessage(parked.messageBufferList[0]!);
    expect(msg.reconsumeTimes).toBe(1);
    expect(msg.properties.get('REAL_TOPIC')).toBe('%RETRY%CID_retry');
    expect(msg.properties.get('RETRY_TOPIC')).toBe(topic);
    expect(msg.properties.get('ORIGIN_MESSAGE_ID')).toBeDefined();
    expect(msg.properties.get('KEYS')).toBe('key-1');
  });
});
