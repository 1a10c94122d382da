import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonObjectKeyMap, Message, MessageConst, type MessageExt } from '@rockit/common';
import { RequestCode } from '@rockit/remoting';
import { describe, expect, it } from 'vitest';
import { Producer, PushConsumer, type PushConsumerOptions } from '../src/index.js';
import { afterTest, type Cluster, createTopic, eventually, quietLogger, sleep, startTestCluster } from './helpers/cluster.js';

async function producer(c: Cluster): Promise<Producer> {
  const p = new Producer({ namesrvAddr: c.namesrvAddr, producerGroup: 'PG_push', logger: quietLogger });
  await p.start();
  afterTest(() => p.shutdown());
  return p;
}

function consumer(c: Cluster, options: Omit<PushConsumerOptions, 'namesrvAddr'>): PushConsumer {
  const pc = new PushConsumer({ namesrvAddr: c.namesrvAddr, logger: quietLogger, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', ...options });
  afterTest(() => pc.shutdown());
  return pc;
}

function collect(into: MessageExt[]) {
  return (msgs: MessageExt[]) => {
    into.push(...msgs);
    return 'CONSUME_SUCCESS' as const;
  };
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'rockit-client-'));
  afterTest(async () => rmSync(d, { recursive: true, force: true }));
  return d;
}

describe('PushConsumer', () => {
  it('consumes every message of a topic in clustering mode with tags, keys, properties and bodies intact, and commits offsets', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'PushTopic', 4, cluster.namesrvAddr);
    const p = await producer(cluster);
    const sent = new Map<string, Message>();
    for (let i = 0; i < 30; i++) {
      const m = new Message('PushTopic', i === 7 ? Buffer.alloc(5000, i) : `body ${i}`, { tags: `Tag${i % 3}`, keys: `key-${i}` });
      m.putUserProperty('n', String(i));
      sent.set((await p.send(m)).msgId, m);
    }
    const got: MessageExt[] = [];
    const c = consumer(cluster, { consumerGroup: 'CG_push' });
    c.subscribe('PushTopic', '*');
    c.registerMessageListener(collect(got));
    await c.start();
    await eventually(() => got.length >= 30, '30 messages');
    for (const m of got) {
      const s = sent.get(m.msgId)!;
      expect(m.topic).toBe('PushTopic');
      expect(m.tags).toBe(s.tags);
      expect(m.keys).toEqual(s.keys);
      expect(m.getUserProperty('n')).toBe(s.getUserProperty('n'));
      expect(m.body.equals(s.body)).toBe(true);
    }
    expect(new Set(got.map((m) => m.msgId)).size).toBe(30);
    expect(c.assignedQueues().filter((q) => q.topic === 'PushTopic')).toHaveLength(4);
    await c.shutdown();
    const offsets = cluster.brokers[0]!.ctx.consumerOffsetManager;
    let committed = 0;
    for (let q = 0; q < 4; q++) committed += offsets.queryOffset('CG_push', 'PushTopic', q);
    expect(committed).toBe(30);
  });

  it('consumes a topic spread over two brokers, committing offsets on each', async () => {
    const cluster = await startTestCluster({ brokers: 2 });
    await createTopic(cluster.brokers[0]!.brokerAddr, 'TwoBrokers', 2);
    await createTopic(cluster.brokers[1]!.brokerAddr, 'TwoBrokers', 2, cluster.namesrvAddr);
    const p = await producer(cluster);
    // Wait until the route lists both brokers, then send round robin over the four queues.
    for (let i = 0; i < 100 && ((await p.clientInstance.fetchTopicRoute('TwoBrokers'))?.queueDatas.length ?? 0) < 2; i++) await sleep(20);
    await p.clientInstance.updateTopicRoute('TwoBrokers');
    const brokers = new Set<string>();
    for (let i = 0; i < 20; i++) brokers.add((await p.send(new Message('TwoBrokers', `m${i}`))).messageQueue.brokerName);
    expect(brokers).toEqual(new Set(['broker-a', 'broker-b']));
    const got: MessageExt[] = [];
    const c = consumer(cluster, { consumerGroup: 'CG_two' });
    c.subscribe('TwoBrokers');
    c.registerMessageListener(collect(got));
    await c.start();
    await eventually(() => got.length === 20, '20 messages from two brokers');
    expect(new Set(c.assignedQueues().filter((q) => q.topic === 'TwoBrokers').map((q) => q.brokerName))).toEqual(new Set(['broker-a', 'broker-b']));
    await c.shutdown();
    let committed = 0;
    for (const b of cluster.brokers) for (let q = 0; q < 2; q++) committed += b.ctx.consumerOffsetManager.queryOffset('CG_two', 'TwoBrokers', q);
    expect(committed).toBe(20);
  });

  it('delivers only the subscribed tags (broker hash filter + exact client check)', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'TagTopic', 2, cluster.namesrvAddr);
    const p = await producer(cluster);
    for (let i = 0; i < 20; i++) await p.send(new Message('TagTopic', `m${i}`, { tags: ['TagA', 'TagB', 'TagC', 'TagD'][i % 4]! }));
    const got: MessageExt[] = [];
    const c = consumer(cluster, { consumerGroup: 'CG_tags' });
    c.subscribe('TagTopic', 'TagA || TagB');
    c.registerMessageListener(collect(got));
    await c.start();
    await eventually(() => got.length >= 10, '10 TagA/TagB messages');
    await sleep(300);
    expect(got).toHaveLength(10);
    expect(new Set(got.map((m) => m.tags))).toEqual(new Set(['TagA', 'TagB']));
  });

  it('drops messages whose tag only shares the hash code of a subscribed tag ("Aa" and "BB")', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'HashTopic', 1, cluster.namesrvAddr);
    const p = await producer(cluster);
    for (let i = 0; i < 6; i++) await p.send(new Message('HashTopic', `m${i}`, { tags: i % 2 === 0 ? 'Aa' : 'BB' }));
    await p.send(new Message('HashTopic', 'last', { tags: 'Aa' }));
    const got: MessageExt[] = [];
    const c = consumer(cluster, { consumerGroup: 'CG_hash' });
    c.subscribe('HashTopic', 'Aa');
    c.registerMessageListener(collect(got));
    await c.start();
    await eventually(() => got.some((m) => m.body.toString() === 'last'), 'the last Aa message');
    expect(got.map((m) => m.body.toString())).toEqual(['m0', 'm2', 'm4', 'last']);
  });

  it('filters by SQL92 on the broker, sending the expression type', async () => {
    const cluster = await startTestCluster({ brokerConfig: { enablePropertyFilter: true } });
    await createTopic(cluster.brokerAddr, 'SqlTopic', 1, cluster.namesrvAddr);
    const p = await producer(cluster);
    for (let i = 1; i <= 10; i++) {
      const m = new Message('SqlTopic', `a=${i}`);
      m.putUserProperty('a', String(i));
      await p.send(m);
    }
    const got: MessageExt[] = [];
    const c = consumer(cluster, { consumerGroup: 'CG_sql' });
    c.subscribe('SqlTopic', { type: 'SQL92', expression: 'a > 5' });
    c.registerMessageListener(collect(got));
    await c.start();
    await eventually(() => got.length >= 5, '5 messages with a > 5');
    await sleep(300);
    expect(got.map((m) => Number(m.getUserProperty('a'))).sort((x, y) => x - y)).toEqual([6, 7, 8, 9, 10]);
    expect(c.consumerData().subscriptionDataSet.find((s) => s.topic === 'SqlTopic')?.expressionType).toBe('SQL92');
  });

  it('broadcasts every message to every consumer of the group and keeps offsets in a local file', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'CastTopic', 2, cluster.namesrvAddr);
    const dir = tempDir();
    const got1: MessageExt[] = [];
    const got2: MessageExt[] = [];
    const consumers: PushConsumer[] = [];
    for (const [name, got] of [['c1', got1], ['c2', got2]] as const) {
      const c = consumer(cluster, { consumerGroup: 'CG_cast', messageModel: 'BROADCASTING', localOffsetStoreDir: dir, instanceName: name });
      c.subscribe('CastTopic');
      c.registerMessageListener(collect(got));
      await c.start();
      consumers.push(c);
    }
    const p = await producer(cluster);
    for (let i = 0; i < 10; i++) await p.send(new Message('CastTopic', `m${i}`));
    await eventually(() => got1.length >= 10 && got2.length >= 10, 'both consumers got 10');
    await sleep(200);
    expect(got1).toHaveLength(10);
    expect(got2).toHaveLength(10);
    await consumers[1]!.shutdown(); // c2 writes its offsets file
    const files = readFileSync(findOffsetFile(dir, 'c2'), 'utf8');
    expect(files).toMatch(/:\s*\d+/);
  });

  it('starts a group without offsets at the last offset or at a timestamp (broadcasting: no broker offsets)', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'FromTopic', 1, cluster.namesrvAddr);
    const p = await producer(cluster);
    for (let i = 0; i < 5; i++) await p.send(new Message('FromTopic', `old${i}`));
    // The broker finds the message stored nearest to the timestamp (RocketMQ's search): mid0 is much nearer than old4.
    await sleep(300);
    const since = Date.now();
    for (let i = 0; i < 3; i++) await p.send(new Message('FromTopic', `mid${i}`));
    const dir = tempDir();
    const fromLast: MessageExt[] = [];
    const fromTime: MessageExt[] = [];
    const last = consumer(cluster, { consumerGroup: 'CG_last', messageModel: 'BROADCASTING', localOffsetStoreDir: dir, consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET' });
    last.subscribe('FromTopic');
    last.registerMessageListener(collect(fromLast));
    await last.start();
    const byTime = consumer(cluster, {
      consumerGroup: 'CG_time',
      messageModel: 'BROADCASTING',
      localOffsetStoreDir: dir,
      consumeFromWhere: 'CONSUME_FROM_TIMESTAMP',
      consumeTimestamp: since,
    });
    byTime.subscribe('FromTopic');
    byTime.registerMessageListener(collect(fromTime));
    await byTime.start();
    await p.send(new Message('FromTopic', 'new'));
    await eventually(() => fromLast.length >= 1 && fromTime.length >= 4, 'new messages');
    await sleep(200);
    expect(fromLast.map((m) => m.body.toString())).toEqual(['new']);
    expect(fromTime.map((m) => m.body.toString())).toEqual(['mid0', 'mid1', 'mid2', 'new']);
  });

  it('sends a RECONSUME_LATER message back to the broker (retry via the delay levels) and commits past it', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'LaterTopic', 1, cluster.namesrvAddr);
    const p = await producer(cluster);
    await p.send(new Message('LaterTopic', 'fail me'));
    let calls = 0;
    const c = consumer(cluster, { consumerGroup: 'CG_later' });
    c.subscribe('LaterTopic');
    c.registerMessageListener(() => {
      calls++;
      return 'RECONSUME_LATER';
    });
    await c.start();
    const store = cluster.brokers[0]!.store;
    // delayLevel 0 -> the broker picks 3 + reconsumeTimes: schedule queue 2.
    await eventually(() => store.getMaxOffsetInQueue('SCHEDULE_TOPIC_XXXX', 2) === 1, 'the message parked for retry');
    expect(calls).toBe(1);
    await c.shutdown();
    expect(cluster.brokers[0]!.ctx.consumerOffsetManager.queryOffset('CG_later', 'LaterTopic', 0)).toBe(1);
  });

  it('produces a failed message to %RETRY%<group> itself when CONSUMER_SEND_MSG_BACK fails', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'FallbackTopic', 1, cluster.namesrvAddr);
    const p = await producer(cluster);
    await p.send(new Message('FallbackTopic', 'fail me'));
    // Make every send-back fail on the broker (an unknown request code) to take the fallback path.
    const breakSendBack = { doBeforeRequest: (_a: string, req: { code: number }) => void (req.code === RequestCode.CONSUMER_SEND_MSG_BACK && (req.code = 9999)) };
    const c = consumer(cluster, { consumerGroup: 'CG_fallback', rpcHook: breakSendBack });
    c.subscribe('FallbackTopic');
    c.registerMessageListener(() => 'RECONSUME_LATER');
    await c.start();
    const store = cluster.brokers[0]!.store;
    // DELAY = 3 + reconsumeTimes: schedule queue 2, real topic %RETRY%CG_fallback.
    await eventually(() => store.getMaxOffsetInQueue('SCHEDULE_TOPIC_XXXX', 2) === 1, 'the message resent for retry');
    await c.shutdown();
    expect(cluster.brokers[0]!.ctx.consumerOffsetManager.queryOffset('CG_fallback', 'FallbackTopic', 0)).toBe(1);
  });

  it('consumes its group retry topic and shows retried messages under their original topic', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'OrigTopic', 1, cluster.namesrvAddr);
    const got: MessageExt[] = [];
    const c = consumer(cluster, { consumerGroup: 'CG_retry' });
    c.subscribe('OrigTopic');
    c.registerMessageListener(collect(got));
    await c.start();
    const p = await producer(cluster);
    const retry = new Message('%RETRY%CG_retry', 'retried body');
    retry.putProperty(MessageConst.PROPERTY_RETRY_TOPIC, 'OrigTopic');
    retry.putProperty(MessageConst.PROPERTY_RECONSUME_TIME, '2');
    await p.send(retry);
    await eventually(() => got.length === 1, 'the retried message');
    expect(got[0]!.topic).toBe('OrigTopic');
    expect(got[0]!.reconsumeTimes).toBe(2);
    expect(got[0]!.body.toString()).toBe('retried body');
  });

  it('stops pulling a queue that holds pullThresholdForQueue unconsumed messages, and resumes as they are consumed', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'FlowTopic', 1, cluster.namesrvAddr);
    const p = await producer(cluster);
    await p.sendBatch([...Array(100).keys()].map((i) => new Message('FlowTopic', `m${i}`)));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let consumed = 0;
    const c = consumer(cluster, { consumerGroup: 'CG_flow', pullBatchSize: 4, pullThresholdForQueue: 8, consumeThreadMax: 1 });
    c.subscribe('FlowTopic');
    c.registerMessageListener(async (msgs) => {
      await gate;
      consumed += msgs.length;
      return 'CONSUME_SUCCESS';
    });
    await c.start();
    const cached = () => {
      const table = c.runningInfo().mqTable as JsonObjectKeyMap<unknown, { cachedMsgCount: number }>;
      return table.values().reduce((n, q) => n + q.cachedMsgCount, 0);
    };
    await eventually(() => cached() > 8, 'the queue filled up to the threshold');
    await sleep(300); // more pulls would have happened by now without flow control
    expect(cached()).toBeLessThanOrEqual(8 + 4);
    release();
    await eventually(() => consumed === 100, 'all 100 after the listener is released');
  });

  it('rebalances when a second consumer joins and when it leaves, losing no message', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'BalTopic', 4, cluster.namesrvAddr);
    const p = await producer(cluster);
    const seen = new Map<string, string[]>();
    const record = (who: string) => (msgs: MessageExt[]) => {
      for (const m of msgs) seen.set(m.body.toString(), [...(seen.get(m.body.toString()) ?? []), who]);
      return 'CONSUME_SUCCESS' as const;
    };
    const c1 = consumer(cluster, { consumerGroup: 'CG_bal', instanceName: 'one' });
    c1.subscribe('BalTopic');
    c1.registerMessageListener(record('one'));
    await c1.start();
    let n = 0;
    const sendSome = async (k: number) => {
      for (let i = 0; i < k; i++) await p.send(new Message('BalTopic', `m${n++}`));
    };
    await sendSome(20);
    await eventually(() => seen.size === 20, 'the first 20');

    const c2 = consumer(cluster, { consumerGroup: 'CG_bal', instanceName: 'two' });
    c2.subscribe('BalTopic');
    c2.registerMessageListener(record('two'));
    await c2.start();
    const own = (c: PushConsumer) => c.assignedQueues().filter((q) => q.topic === 'BalTopic').map((q) => q.queueId);
    await eventually(() => own(c1).length === 2 && own(c2).length === 2, 'two queues each');
    expect(new Set([...own(c1), ...own(c2)]).size).toBe(4);
    await sendSome(40);
    await eventually(() => seen.size === 60, '60 messages');
    const byTwo = [...seen.values()].filter((w) => w.includes('two')).length;
    expect(byTwo).toBeGreaterThan(0);

    await c2.shutdown();
    await eventually(() => own(c1).length === 4, 'c1 takes all four queues back');
    await sendSome(20);
    await eventually(() => seen.size === 80, 'all 80 messages');
    for (let i = 0; i < 80; i++) expect(seen.has(`m${i}`)).toBe(true);
  });

  it('consumes orderly: one key stays in order, and a suspended batch is redelivered before anything after it', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'SeqTopic', 4, cluster.namesrvAddr);
    const p = await producer(cluster);
    for (let i = 0; i < 30; i++) await p.send(new Message('SeqTopic', `${i % 3}:${Math.floor(i / 3)}`), { shardingKey: `order-${i % 3}` });
    const steps = new Map<string, number[]>();
    let suspended = false;
    const c = consumer(cluster, { consumerGroup: 'CG_seq', suspendCurrentQueueTimeMillis: 50 });
    c.subscribe('SeqTopic');
    c.registerMessageListenerOrderly((msgs) => {
      const [key, step] = msgs[0]!.body.toString().split(':');
      if (key === '0' && step === '4' && !suspended) {
        suspended = true;
        return 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
      }
      steps.set(key!, [...(steps.get(key!) ?? []), Number(step)]);
      return 'SUCCESS';
    });
    await c.start();
    await eventually(() => [...steps.values()].reduce((a, s) => a + s.length, 0) === 30, '30 ordered messages');
    for (const s of steps.values()) expect(s).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(suspended).toBe(true);
    // The queues are locked by this client on the broker.
    const locks = await c.clientInstance.api.lockBatchMQ(cluster.brokerAddr, 'CG_seq', 'someone-else', c.assignedQueues().filter((q) => q.topic === 'SeqTopic'));
    expect(locks).toEqual([]);
  });

  it('hands queues over between orderly consumers without breaking any key\'s order', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'SeqMove', 4, cluster.namesrvAddr);
    const p = await producer(cluster);
    const log: string[] = [];
    const orderly = (name: string) => {
      const c = consumer(cluster, { consumerGroup: 'CG_seqmove', instanceName: name });
      c.subscribe('SeqMove');
      c.registerMessageListenerOrderly((msgs) => {
        for (const m of msgs) log.push(m.body.toString());
        return 'SUCCESS';
      });
      return c;
    };
    const send = async (from: number, to: number) => {
      for (let i = from; i < to; i++) await p.send(new Message('SeqMove', `${i % 4}:${Math.floor(i / 4)}`), { shardingKey: `key-${i % 4}` });
    };
    const a = orderly('a');
    await a.start();
    await send(0, 20);
    await eventually(() => new Set(log).size === 20, 'the first 20');
    const b = orderly('b');
    await b.start();
    const own = (c: PushConsumer) => c.assignedQueues().filter((q) => q.topic === 'SeqMove').length;
    await eventually(() => own(a) === 2 && own(b) === 2, 'two locked queues each');
    await send(20, 40);
    await eventually(() => new Set(log).size === 40, 'all 40');
    // Per key: steps only ever advance by one; a replay after a hand-over may repeat earlier steps, never skip.
    const maxStep = new Map<string, number>();
    for (const entry of log) {
      const [key, step] = entry.split(':');
      const max = maxStep.get(key!) ?? -1;
      expect(Number(step)).toBeLessThanOrEqual(max + 1);
      maxStep.set(key!, Math.max(max, Number(step)));
    }
    expect([...maxStep.values()]).toEqual([9, 9, 9, 9]);
  });
});

function findOffsetFile(dir: string, instanceName: string): string {
  const client = readdirSync(dir).find((d) => d.endsWith(`@${instanceName}`))!;
  return join(dir, client, 'CG_cast', 'offsets.json');
}
