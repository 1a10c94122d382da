/**
 * Cross-client: messages produced by rockit's Producer are read by ali-ons (a RocketMQ client we did not write),
 * and messages produced by ali-ons are read by rockit's PushConsumer, with tags, keys, properties and bodies
 * (text, binary, compressed) equal.
 */
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { Message, type MessageExt } from '@rockit/common';
import { describe, expect, it } from 'vitest';
import { Producer, PushConsumer } from '../src/index.js';
import { afterTest, createTopic, eventually, quietLogger, startTestCluster } from './helpers/cluster.js';

const require = createRequire(import.meta.url);

interface AliMessage {
  topic: string;
  tags: string;
  keys: string | string[];
  body: Buffer;
  msgId: string;
  properties: Record<string, string>;
}
const ons = require('ali-ons') as {
  Producer: new (options: Record<string, unknown>) => { ready(): Promise<void>; close(): Promise<void>; send(msg: AliMessage): Promise<{ sendStatus: string; msgId: string }> };
  Consumer: new (options: Record<string, unknown>) => {
    ready(): Promise<void>;
    close(): Promise<void>;
    subscribe(topic: string, expression: string, handler: (msg: AliMessage) => Promise<unknown>): void;
    on(event: 'error', listener: (err: Error) => void): void;
  };
  Message: new (topic: string, tags: string, body: Buffer | string) => AliMessage;
};
const quiet = { info() {}, warn() {}, error() {}, debug() {} };


interface Sample {
  key: string;
  tag: string;
  body: Buffer;
  prop: string;
}

/** Text, binary (every byte value), and a 6 KiB body that producers compress. */
function samples(): Sample[] {
  const binary = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) binary[i] = i;
  return [
    { key: 'k-text', tag: 'TagA', body: Buffer.from('héllo wörld ✓', 'utf8'), prop: 'p-text' },
    { key: 'k-binary', tag: 'TagB', body: binary, prop: 'p-binary' },
    { key: 'k-big', tag: 'TagA', body: Buffer.from(randomBytes(3 * 1024).toString('hex')), prop: 'p-big' },
  ];
}

describe('rockit client and ali-ons', () => {
  it('rockit produces, ali-ons consumes', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'InteropA', 2, cluster.namesrvAddr);
    const p = new Producer({ namesrvAddr: cluster.namesrvAddr, producerGroup: 'PG_interop', logger: quietLogger });
    await p.start();
    afterTest(() => p.shutdown());
    const sent = samples();
    for (const s of sent) {
      const m = new Message('InteropA', s.body, { tags: s.tag, keys: s.key });
      m.putUserProperty('orderNo', s.prop);
      expect((await p.send(m)).sendStatus).toBe('SEND_OK');
    }

    const got = new Map<string, AliMessage>();
    const c = new ons.Consumer({
      nameSrv: cluster.namesrvAddr,
      httpclient: true,
      consumerGroup: 'CID_interop_a',
      logger: quiet,
      instanceName: 'ali-a',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      rebalanceInterval: 1000,
    });
    c.on('error', () => {});
    afterTest(() => c.close());
    await c.ready();
    c.subscribe('InteropA', '*', async (msg) => {
      got.set(String(msg.keys), msg);
    });
    await eventually(() => got.size === sent.length, `${sent.length} messages in ali-ons`);
    for (const s of sent) {
      const m = got.get(s.key)!;
      expect(m.tags).toBe(s.tag);
      expect(m.properties.orderNo).toBe(s.prop);
      expect(Buffer.from(m.body).equals(s.body)).toBe(true);
    }
  });

  it('ali-ons produces, rockit consumes', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'InteropB', 2, cluster.namesrvAddr);
    const p = new ons.Producer({ nameSrv: cluster.namesrvAddr, httpclient: true, producerGroup: 'PID_interop', logger: quiet, instanceName: 'ali-p' });
    afterTest(() => p.close());
    await p.ready();
    const sent = samples();
    for (const s of sent) {
      const m = new ons.Message('InteropB', s.tag, Buffer.from(s.body));
      m.keys = [s.key];
      m.properties.orderNo = s.prop;
      expect((await p.send(m)).sendStatus).toBe('SEND_OK');
    }

    const got = new Map<string, MessageExt>();
    const c = new PushConsumer({ namesrvAddr: cluster.namesrvAddr, consumerGroup: 'CG_interop_b', logger: quietLogger, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    afterTest(() => c.shutdown());
    c.subscribe('InteropB', 'TagA || TagB');
    c.registerMessageListener((msgs) => {
      for (const m of msgs) got.set(m.keys.join(' '), m);
      return 'CONSUME_SUCCESS';
    });
    await c.start();
    await eventually(() => got.size === sent.length, `${sent.length} messages in rockit`);
    for (const s of sent) {
      const m = got.get(s.key)!;
      expect(m.tags).toBe(s.tag);
      expect(m.getUserProperty('orderNo')).toBe(s.prop);
      expect(m.body.equals(s.body)).toBe(true);
    }
    expect(got.get('k-big')!.sysFlag & 1).toBe(1); // ali-ons compressed it; rockit inflated it
  });
});
