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
});
