/**
 * RocketMQ delivery semantics end to end, @rockit/client against a rockit cluster (name server + broker in this
 * process, file store): retry and DLQ, per-key order with a consumer joining mid-stream, transactions (commit,
 * rollback, check-back), broadcasting, delay levels.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Message, type MessageExt } from '@rockit/common';
import { PushConsumer, Producer, TransactionProducer, type LocalTransactionState, type PushConsumerOptions } from '@rockit/client';
import { createTopic, eventually } from './helpers/admin.js';
import { quietLogger, startCluster, type Cluster } from './helpers/cluster.js';

let cluster: Cluster | undefined;
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!().catch(() => undefined);
  await cluster?.stop();
  cluster = undefined;
});

const FAST_LEVELS = '1s 1s 1s 1s 1s 1s 1s 1s';

async function cluster1(brokerConfig: Record<string, string | number | boolean> = {}): Promise<Cluster> {
  cluster = await startCluster({ brokerConfig: { messageDelayLevel: FAST_LEVELS, ...brokerConfig } });
  return cluster;
}

async function producer(c: Cluster, group: string): Promise<Producer> {
  const p = new Producer({ namesrvAddr: c.namesrvAddr, producerGroup: group, logger: quietLogger, instanceName: `p-${group}` });
  await p.start();
  closers.push(() => p.shutdown());
  return p;
}

function consumer(c: Cluster, group: string, instanceName: string, options: Partial<PushConsumerOptions> = {}): PushConsumer {
  const pc = new PushConsumer({
    namesrvAddr: c.namesrvAddr,
    consumerGroup: group,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    logger: quietLogger,
    instanceName,
    ...options,
  });
  closers.push(() => pc.shutdown());
  return pc;
}

describe('retry and dead letters', () => {
  it('gives a failing message back with growing reconsume times through %RETRY%, then parks it in %DLQ%', async () => {
    const c = await cluster1();
    await createTopic(c.brokerAddr, 'SemRetry', 2, c.namesrvAddr);
    const p = await producer(c, 'PG_sem_retry');
    const seen: { reconsumeTimes: number; topic: string; body: string }[] = [];
    const pc = consumer(c, 'CG_sem_retry', 'c1', { maxReconsumeTimes: 2 });
    pc.subscribe('SemRetry', '*');
    pc.registerMessageListener(async (msgs) => {
      for (const m of msgs) seen.push({ reconsumeTimes: m.reconsumeTimes, topic: m.topic, body: m.body.toString() });
      return msgs.some((m) => m.body.toString() === 'poison') ? 'RECONSUME_LATER' : 'CONSUME_SUCCESS';
    });
    await pc.start();
    await p.send(new Message('SemRetry', 'fine', { tags: 'A' }));
    await p.send(new Message('SemRetry', 'poison', { tags: 'A', keys: 'poison-key' }));
    const broker = c.brokers[0]!;
    await eventually(() => broker.store.getMaxOffsetInQueue('%DLQ%CG_sem_retry', 0) === 1, 'the poison message in the DLQ');
    const poison = seen.filter((s) => s.body === 'poison');
    // Delivered 1 + maxReconsumeTimes times, each time seen under its original topic.
    expect(poison.map((s) => s.reconsumeTimes)).toEqual([0, 1, 2]);
    expect(poison.every((s) => s.topic === 'SemRetry')).toBe(true);
    expect(seen.filter((s) => s.body === 'fine')).toHaveLength(1);
    const dlq = broker.ctx.topicConfigManager.selectTopicConfig('%DLQ%CG_sem_retry')!;
    expect([dlq.readQueueNums, dlq.perm]).toEqual([1, 6]);
    // Not retried again once in the DLQ.
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen.filter((s) => s.body === 'poison')).toHaveLength(3);
  });
});

describe('ordered consumption', () => {
  it('keeps every sharding key in order across queues while a second orderly consumer joins mid-stream', async () => {
    const c = await cluster1();
    await createTopic(c.brokerAddr, 'SemOrder', 4, c.namesrvAddr);
    const p = await producer(c, 'PG_sem_order');
    const KEYS = 12;
    const PER_KEY = 30;
    const received = new Map<string, { consumer: string; key: string; seq: number; at: number }[]>();
    let total = 0;
    const listenerOf = (name: string) => async (msgs: MessageExt[]) => {
      for (const m of msgs) {
        const [key, seq] = m.body.toString().split(':');
        const list = received.get(key!) ?? [];
        list.push({ consumer: name, key: key!, seq: Number(seq), at: total++ });
        received.set(key!, list);
      }
      await new Promise((r) => setTimeout(r, 2)); // some work, so queues are busy when the rebalance comes
      return 'SUCCESS' as const;
    };
    const a = consumer(c, 'CG_sem_order', 'oa');
    a.subscribe('SemOrder', '*');
    a.registerMessageListenerOrderly(listenerOf('a'));
    await a.start();
    const sendHalf = async (from: number, to: number) => {
      for (let seq = from; seq < to; seq++) {
        await Promise.all(Array.from({ length: KEYS }, (_, k) => `key${k}`).map((key) => p.send(new Message('SemOrder', `${key}:${seq}`, { keys: key }), { shardingKey: key })));
      }
    };
    await sendHalf(0, PER_KEY / 2);
    await eventually(() => total > 0, 'the first consumer at work');
    const b = consumer(c, 'CG_sem_order', 'ob');
    b.subscribe('SemOrder', '*');
    b.registerMessageListenerOrderly(listenerOf('b'));
    await b.start();
    await sendHalf(PER_KEY / 2, PER_KEY);
    await eventually(() => [...received.values()].every((l) => new Set(l.map((e) => e.seq)).size === PER_KEY) && received.size === KEYS, 'every message of every key', 45_000);
    const consumersUsed = new Set<string>();
    for (const [key, list] of received) {
      // In the order of arrival over both consumers, the first delivery of each seq comes in sequence.
      const firsts: number[] = [];
      for (const e of list) if (!firsts.includes(e.seq)) firsts.push(e.seq);
      expect(firsts, key).toEqual(Array.from({ length: PER_KEY }, (_, i) => i));
      // Each consumer on its own sees a key in increasing order.
      for (const name of ['a', 'b']) {
        const mine = list.filter((e) => e.consumer === name).map((e) => e.seq);
        expect(mine, `${key} at ${name}`).toEqual([...mine].sort((x, y) => x - y));
        if (mine.length > 0) consumersUsed.add(name);
      }
    }
    // The queues really were split after the join.
    expect([...consumersUsed].sort()).toEqual(['a', 'b']);
  }, 60_000);
});

describe('orderly consumption failures', () => {
  it('suspends the queue and retries a failing message locally, then moves it to %DLQ% and goes on in order', async () => {
    const c = await cluster1();
    await createTopic(c.brokerAddr, 'SemOrderFail', 1, c.namesrvAddr);
    const p = await producer(c, 'PG_sem_order_fail');
    const seen: { body: string; reconsumeTimes: number }[] = [];
    const pc = consumer(c, 'CG_sem_order_fail', 'of', { maxReconsumeTimes: 2, suspendCurrentQueueTimeMillis: 100 });
    pc.subscribe('SemOrderFail', '*');
    pc.registerMessageListenerOrderly(async (msgs) => {
      for (const m of msgs) seen.push({ body: m.body.toString(), reconsumeTimes: m.reconsumeTimes });
      return msgs.some((m) => m.body.toString() === 'poison') ? 'SUSPEND_CURRENT_QUEUE_A_MOMENT' : 'SUCCESS';
    });
    await pc.start();
    for (const body of ['before', 'poison', 'after']) await p.send(new Message('SemOrderFail', body), { shardingKey: 'one' });
    const broker = c.brokers[0]!;
    await eventually(() => seen.some((s) => s.body === 'after'), 'the message after the poison one');
    await eventually(() => broker.store.getMaxOffsetInQueue('%DLQ%CG_sem_order_fail', 0) === 1, 'the poison message in the DLQ');
    // Retried in place (nothing overtakes it), then given up.
    expect(seen.map((s) => `${s.body}#${s.reconsumeTimes}`)).toEqual(['before#0', 'poison#0', 'poison#1', 'poison#2', 'after#0']);
    expect(broker.store.getMaxOffsetInQueue('%RETRY%CG_sem_order_fail', 0)).toBe(0);
  });
});

describe('transactions', () => {
  it('delivers a committed message, drops a rolled-back one, and resolves an UNKNOW one through the check-back', async () => {
    const c = await cluster1({ transactionCheckInterval: 300, transactionTimeOut: 300 });
    await createTopic(c.brokerAddr, 'SemTx', 1, c.namesrvAddr);
    const checked: string[] = [];
    const p = new TransactionProducer(
      { namesrvAddr: c.namesrvAddr, producerGroup: 'PG_sem_tx', logger: quietLogger, instanceName: 'ptx' },
      {
        executeLocalTransaction: (msg) => msg.body.toString() as LocalTransactionState,
        checkLocalTransaction: (msg) => {
          checked.push(msg.body.toString());
          // The first check finds the local transaction still running; the next one sees it committed.
          return checked.length === 1 ? 'UNKNOW' : 'COMMIT_MESSAGE';
        },
      },
    );
    await p.start();
    closers.push(() => p.shutdown());
    const got: string[] = [];
    const pc = consumer(c, 'CG_sem_tx', 'ctx');
    pc.subscribe('SemTx', '*');
    pc.registerMessageListener(async (msgs) => {
      for (const m of msgs) got.push(m.body.toString());
      return 'CONSUME_SUCCESS';
    });
    await pc.start();
    for (const state of ['COMMIT_MESSAGE', 'ROLLBACK_MESSAGE', 'UNKNOW']) {
      expect((await p.sendMessageInTransaction(new Message('SemTx', state))).sendStatus).toBe('SEND_OK');
    }
    await eventually(() => got.includes('COMMIT_MESSAGE'), 'the committed message');
    await eventually(() => got.includes('UNKNOW'), 'the message committed by the check-back', 20_000);
    expect(checked).toEqual(['UNKNOW', 'UNKNOW']);
    await new Promise((r) => setTimeout(r, 1000));
    expect(got.sort()).toEqual(['COMMIT_MESSAGE', 'UNKNOW']);
    expect(checked).toHaveLength(2); // resolved: no more checks
  }, 40_000);
});

describe('broadcasting', () => {
  it('gives every message to both consumers of a group, offsets stay with the clients', async () => {
    const c = await cluster1();
    await createTopic(c.brokerAddr, 'SemBroadcast', 2, c.namesrvAddr);
    const dir = mkdtempSync(join(tmpdir(), 'rockit-broadcast-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const got = { a: [] as string[], b: [] as string[] };
    for (const name of ['a', 'b'] as const) {
      const pc = consumer(c, 'CG_sem_bc', `bc-${name}`, { messageModel: 'BROADCASTING', localOffsetStoreDir: join(dir, name) });
      pc.subscribe('SemBroadcast', '*');
      pc.registerMessageListener(async (msgs) => {
        for (const m of msgs) got[name].push(m.body.toString());
        return 'CONSUME_SUCCESS';
      });
      await pc.start();
    }
    const p = await producer(c, 'PG_sem_bc');
    const bodies = Array.from({ length: 20 }, (_, i) => `bc-${i}`);
    for (const b of bodies) await p.send(new Message('SemBroadcast', b));
    await eventually(() => got.a.length >= 20 && got.b.length >= 20, 'both consumers to get everything');
    expect(got.a.sort()).toEqual([...bodies].sort());
    expect(got.b.sort()).toEqual([...bodies].sort());
    const broker = c.brokers[0]!;
    // Nothing stored by the broker for a broadcasting group: no committed offsets, no queue locks.
    expect(broker.ctx.consumerOffsetManager.queryOffset('CG_sem_bc', 'SemBroadcast', 0)).toBe(-1);
    expect(broker.ctx.consumerOffsetManager.queryOffset('CG_sem_bc', 'SemBroadcast', 1)).toBe(-1);
    expect(broker.rebalanceLockManager.lockHolder('CG_sem_bc', { topic: 'SemBroadcast', brokerName: 'broker-a', queueId: 0 })).toBeUndefined();
  });
});

describe('delayed messages', () => {
  it('delivers each delay level after its delay, with keys, tags and properties intact', async () => {
    const c = await cluster1({ messageDelayLevel: '1s 2s' });
    await createTopic(c.brokerAddr, 'SemDelay', 1, c.namesrvAddr);
    const p = await producer(c, 'PG_sem_delay');
    const got: { body: string; at: number; tags?: string; keys: string | undefined; color: string | undefined; uniq: string }[] = [];
    const pc = consumer(c, 'CG_sem_delay', 'cdelay');
    pc.subscribe('SemDelay', '*');
    pc.registerMessageListener(async (msgs) => {
      for (const m of msgs) got.push({ body: m.body.toString(), at: Date.now(), tags: m.tags, keys: m.properties.get('KEYS'), color: m.properties.get('color'), uniq: m.msgId });
      return 'CONSUME_SUCCESS';
    });
    await pc.start();
    const sentAt = Date.now();
    const ids: string[] = [];
    for (const level of [2, 1]) {
      const m = new Message('SemDelay', `level-${level}`, { tags: 'Later', keys: `dk${level}` });
      m.delayTimeLevel = level;
      m.putUserProperty('color', 'blue');
      ids.push((await p.send(m)).msgId);
    }
    await eventually(() => got.length === 2, 'both delayed messages', 15_000);
    expect(got.map((g) => g.body)).toEqual(['level-1', 'level-2']);
    expect(got[0]!.at - sentAt).toBeGreaterThanOrEqual(950);
    expect(got[1]!.at - sentAt).toBeGreaterThanOrEqual(1950);
    expect(got.map((g) => [g.tags, g.keys, g.color])).toEqual([
      ['Later', 'dk1', 'blue'],
      ['Later', 'dk2', 'blue'],
    ]);
    expect(got.map((g) => g.uniq).sort()).toEqual([...ids].sort());
  });
});
