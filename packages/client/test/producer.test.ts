import { randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { Message, MessageConst, MessageSysFlag, decodeOffsetMessageId, getRetryTopic } from '@rockit/common';
import { RemotingCommand, RequestCode, ResponseCode, SendMessageRequestHeaderV2, SerializeType, decodeHeader, encodeHeader } from '@rockit/remoting';
import { describe, expect, it } from 'vitest';
import { MQClientError, Producer, SERIALIZE_TYPE_ENV, resolveClientConfig, type SendResult } from '../src/index.js';
import { afterTest, type Cluster, createTopic, eventually, quietLogger, startTestCluster, viewMessage } from './helpers/cluster.js';


let producerCount = 0;
async function startProducer(c: Cluster, options: ConstructorParameters<typeof Producer>[0] = {}): Promise<Producer> {
  const p = new Producer({ namesrvAddr: c.namesrvAddr, producerGroup: `PG_${++producerCount}`, logger: quietLogger, ...options });
  afterTest(() => p.shutdown());
  await p.start();
  return p;
}

describe('Producer', () => {
  it('sends synchronously and reports SEND_OK, the UNIQ_KEY msgId, the offset id, queue and queue offset', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'SyncTopic', 1, cluster.namesrvAddr);
    const p = await startProducer(cluster);
    const msg = new Message('SyncTopic', 'hello', { tags: 'TagA', keys: ['k1', 'k2'] });
    msg.putUserProperty('orderNo', '42');
    const first = await p.send(msg);
    const second = await p.send(new Message('SyncTopic', 'again'));

    expect(first.sendStatus).toBe('SEND_OK');
    expect(first.msgId).toBe(msg.uniqKey);
    expect(first.msgId).toMatch(/^[0-9A-F]{32}$/);
    expect(first.messageQueue).toEqual({ topic: 'SyncTopic', brokerName: 'broker-a', queueId: 0 });
    expect(second.queueOffset).toBe(first.queueOffset + 1);
    expect(first.regionId).toBe('DefaultRegion');
    const where = decodeOffsetMessageId(first.offsetMsgId);
    expect(`${where.address}:${where.port}`).toBe(cluster.brokerAddr);

    const stored = await viewMessage(first.offsetMsgId);
    expect(stored.topic).toBe('SyncTopic');
    expect(stored.body.toString()).toBe('hello');
    expect(stored.tags).toBe('TagA');
    expect(stored.keys).toEqual(['k1', 'k2']);
    expect(stored.getUserProperty('orderNo')).toBe('42');
    expect(stored.uniqKey).toBe(first.msgId);
  });

  it('sends asynchronously (promise and callback) and oneway', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'AsyncTopic', 2, cluster.namesrvAddr);
    const p = await startProducer(cluster);
    const viaCallback = new Promise<SendResult>((resolve, reject) => {
      p.sendAsync(new Message('AsyncTopic', 'cb'), { onSuccess: resolve, onException: reject });
    });
    const results = await Promise.all([...Array(20).keys()].map((i) => p.sendAsync(new Message('AsyncTopic', `m${i}`))));
    expect(results.every((r) => r.sendStatus === 'SEND_OK')).toBe(true);
    expect(new Set(results.map((r) => r.msgId)).size).toBe(20);
    expect((await viaCallback).sendStatus).toBe('SEND_OK');
    // Both queues were used (round robin).
    expect(new Set(results.map((r) => r.messageQueue.queueId))).toEqual(new Set([0, 1]));

    await p.sendOneway(new Message('AsyncTopic', 'oneway'));
    const store = cluster.brokers[0]!.store;
    await eventually(() => store.getMaxOffsetInQueue('AsyncTopic', 0) + store.getMaxOffsetInQueue('AsyncTopic', 1) === 22, '22 stored messages');
  });

  it('sends to a topic without a route through TBW102, and the broker creates it', async () => {
    const cluster = await startTestCluster();
    const p = await startProducer(cluster);
    const r = await p.send(new Message('AutoCreated', 'first'));
    expect(r.sendStatus).toBe('SEND_OK');
    expect(cluster.brokers[0]!.ctx.topicConfigManager.selectTopicConfig('AutoCreated')?.writeQueueNums).toBe(4);
  });

  it('fails with TOPIC_NOT_EXIST when neither the topic nor an auto-create route exists', async () => {
    const cluster = await startTestCluster({ brokerConfig: { autoCreateTopicEnable: false } });
    const p = await startProducer(cluster, { retryTimesWhenSendFailed: 0 });
    const err = await p.send(new Message('NoSuchTopic', 'x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MQClientError);
    expect((err as MQClientError).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect((err as Error).message).toContain('NoSuchTopic');
  });

  it('keeps ordered messages of one sharding key in one queue, and honours a queue selector', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'OrderTopic', 4, cluster.namesrvAddr);
    const p = await startProducer(cluster);
    const byKey = new Map<string, Set<number>>();
    for (let i = 0; i < 24; i++) {
      const key = `order-${i % 3}`;
      const r = await p.send(new Message('OrderTopic', `step ${i}`), { shardingKey: key });
      byKey.set(key, (byKey.get(key) ?? new Set()).add(r.messageQueue.queueId));
    }
    for (const queues of byKey.values()) expect(queues.size).toBe(1);
    const r = await p.sendOrderly(new Message('OrderTopic', 'to 3'), (mqs, _m, arg: number) => mqs[arg]!, 3);
    expect(r.messageQueue.queueId).toBe(3);
  });

  it('compresses bodies of 4 KiB and more with zlib and sets the compressed sysFlag bits', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'ZipTopic', 1, cluster.namesrvAddr);
    const p = await startProducer(cluster);
    const big = Buffer.from(randomBytes(4096).toString('hex'));
    const small = Buffer.alloc(4095, 'a');
    const storedBig = await viewMessage((await p.send(new Message('ZipTopic', big))).offsetMsgId);
    const storedSmall = await viewMessage((await p.send(new Message('ZipTopic', small))).offsetMsgId);
    expect(storedBig.sysFlag & MessageSysFlag.COMPRESSED_FLAG).toBe(MessageSysFlag.COMPRESSED_FLAG);
    expect(storedBig.sysFlag & MessageSysFlag.COMPRESSION_TYPE_MASK).toBe(MessageSysFlag.COMPRESSION_ZLIB_TYPE);
    expect(storedBig.body.length).toBeLessThan(big.length);
    expect(inflateSync(storedBig.body).equals(big)).toBe(true);
    expect(storedSmall.sysFlag & MessageSysFlag.COMPRESSED_FLAG).toBe(0);
    expect(storedSmall.body.equals(small)).toBe(true);
  });

  it('sends a delayed message to the schedule topic with its delay level', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'DelayTopic', 1, cluster.namesrvAddr);
    const p = await startProducer(cluster);
    const msg = new Message('DelayTopic', 'later');
    msg.delayTimeLevel = 3;
    const stored = await viewMessage((await p.send(msg)).offsetMsgId);
    expect(stored.getProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL)).toBe('3');
    expect(stored.topic).toBe('SCHEDULE_TOPIC_XXXX');
    expect(stored.queueId).toBe(2);
    expect(stored.getProperty(MessageConst.PROPERTY_REAL_TOPIC)).toBe('DelayTopic');
  });

  it('sends a batch in one request, and splits batches larger than maxMessageSize', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'BatchTopic', 1, cluster.namesrvAddr);
    const p = await startProducer(cluster, { maxMessageSize: 10 * 1024 });
    const small = [0, 1, 2].map((i) => new Message('BatchTopic', `b${i}`, { tags: 'T', keys: `key${i}` }));
    const [one, ...rest] = await p.sendBatch(small);
    expect(rest).toHaveLength(0);
    expect(one!.msgId.split(',')).toEqual(small.map((m) => m.uniqKey));
    expect(one!.offsetMsgId.split(',')).toHaveLength(3);
    const second = await viewMessage(one!.offsetMsgId.split(',')[1]!);
    expect(second.body.toString()).toBe('b1');
    expect(second.keys).toEqual(['key1']);

    const large = [...Array(7).keys()].map((i) => new Message('BatchTopic', Buffer.alloc(3000, i)));
    const results = await p.sendBatch(large);
    expect(results.length).toBe(3); // 3 + 3 + 1 messages of ~3 KiB under a 10 KiB limit
    expect(results.flatMap((r) => r.msgId.split(','))).toEqual(large.map((m) => m.uniqKey));
    expect(cluster.brokers[0]!.store.getMaxOffsetInQueue('BatchTopic', 0)).toBe(10);
    await expect(p.sendBatch([new Message('BatchTopic', 'x'), new Message('Other', 'y')])).rejects.toThrow(/same/);
  });

  it('retries on another broker when one stops answering', async () => {
    const cluster = await startTestCluster({ brokers: 2 });
    await createTopic(cluster.brokers[0]!.brokerAddr, 'RetryTopic', 2);
    await createTopic(cluster.brokers[1]!.brokerAddr, 'RetryTopic', 2, cluster.namesrvAddr);
    const p = await startProducer(cluster);
    // Learn both brokers' queues, then stop broker-a behind the producer's back.
    let info = await p.clientInstance.topicPublishInfo('RetryTopic');
    while ((info?.messageQueues.length ?? 0) < 4) {
      await p.clientInstance.updateTopicRoute('RetryTopic');
      info = await p.clientInstance.topicPublishInfo('RetryTopic');
    }
    await cluster.brokers[0]!.shutdown();
    for (let i = 0; i < 6; i++) {
      const r = await p.send(new Message('RetryTopic', `m${i}`));
      expect(r.messageQueue.brokerName).toBe('broker-b');
    }
    // Asynchronous sends too: a first attempt on broker-a fails on the callback path and goes on to broker-b.
    const viaCallbacks = await Promise.all(
      [...Array(6).keys()].map(
        (i) => new Promise<SendResult>((resolve, reject) => p.sendAsync(new Message('RetryTopic', `a${i}`), { onSuccess: resolve, onException: reject })),
      ),
    );
    expect(viaCallbacks.map((r) => r.messageQueue.brokerName)).toEqual(Array(6).fill('broker-b'));
  });

  it('writes SEND_MESSAGE_V2 headers exactly as SendMessageRequestHeaderV2 encodes them, retry topics included', async () => {
    const cluster = await startTestCluster();
    const retryTopic = getRetryTopic('HeaderGroup');
    await createTopic(cluster.brokerAddr, 'HeaderTopic', 2);
    await createTopic(cluster.brokerAddr, retryTopic, 1, cluster.namesrvAddr);
    const sent: RemotingCommand[] = [];
    const p = await startProducer(cluster, {
      rpcHook: { doBeforeRequest: (_addr, req) => void (req.code === RequestCode.SEND_MESSAGE_V2 && sent.push(req)) },
    });
    const plain = new Message('HeaderTopic', 'x', { tags: 'T', flag: 7 });
    const retry = new Message(retryTopic, 'y');
    retry.putProperty(MessageConst.PROPERTY_RECONSUME_TIME, '3');
    retry.putProperty(MessageConst.PROPERTY_MAX_RECONSUME_TIMES, '16');
    await p.send(plain);
    await p.sendAsync(retry);
    expect(sent).toHaveLength(2);
    for (const req of sent) {
      const reencoded = encodeHeader(decodeHeader(req, SendMessageRequestHeaderV2), SendMessageRequestHeaderV2);
      expect(Object.entries(req.extFields!)).toEqual(Object.entries(reencoded));
    }
    const [a, b] = sent.map((r) => decodeHeader(r, SendMessageRequestHeaderV2));
    expect(a).toMatchObject({ topic: 'HeaderTopic', flag: 7, defaultTopic: 'TBW102', defaultTopicQueueNums: 4, batch: false, unitMode: false });
    expect(a!.maxReconsumeTimes).toBeUndefined();
    expect(b).toMatchObject({ topic: retryTopic, reconsumeTimes: 3, maxReconsumeTimes: 16, queueId: 0 });
    expect(b!.properties).not.toContain(MessageConst.PROPERTY_RECONSUME_TIME + '\u0001');
  });

  it('speaks ROCKETMQ binary headers when asked, and the broker answers in kind', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'BinaryTopic', 2, cluster.namesrvAddr);
    const seen: { code: number; request: number; response: number | undefined }[] = [];
    const p = await startProducer(cluster, {
      serializeType: 'ROCKETMQ',
      rpcHook: { doAfterResponse: (_addr, req, res) => void seen.push({ code: req.code, request: req.serializeType, response: res?.serializeType }) },
    });
    const msg = new Message('BinaryTopic', 'über binary', { tags: 'TagB', keys: ['k1'] });
    msg.putUserProperty('orderNo', '7');
    const sync = await p.send(msg);
    const async = await p.sendAsync(new Message('BinaryTopic', 'async'));
    expect([sync.sendStatus, async.sendStatus]).toEqual(['SEND_OK', 'SEND_OK']);
    // Route lookups, heartbeats and sends alike.
    expect(seen.map((s) => s.code)).toContain(RequestCode.GET_ROUTEINFO_BY_TOPIC);
    expect(seen.map((s) => s.code)).toContain(RequestCode.SEND_MESSAGE_V2);
    expect(seen.every((s) => s.request === SerializeType.ROCKETMQ && s.response === SerializeType.ROCKETMQ)).toBe(true);
    const stored = await viewMessage(sync.offsetMsgId);
    expect(stored.body.toString()).toBe('über binary');
    expect([stored.tags, stored.keys, stored.getUserProperty('orderNo'), stored.uniqKey]).toEqual(['TagB', ['k1'], '7', sync.msgId]);
  });

  it('takes its serialization from ROCKETMQ_SERIALIZE_TYPE as Java clients do, and refuses an unknown one', () => {
    const saved = process.env[SERIALIZE_TYPE_ENV];
    try {
      delete process.env[SERIALIZE_TYPE_ENV];
      expect(resolveClientConfig({}).serializeType).toBe('JSON');
      process.env[SERIALIZE_TYPE_ENV] = 'rocketmq';
      expect(resolveClientConfig({}).serializeType).toBe('ROCKETMQ');
      expect(resolveClientConfig({ serializeType: 'JSON' }).serializeType).toBe('JSON');
      process.env[SERIALIZE_TYPE_ENV] = 'XML';
      expect(() => new Producer({ producerGroup: 'PG_bad_serialize' })).toThrow('ROCKETMQ_SERIALIZE_TYPE must be JSON or ROCKETMQ, not "XML"');
    } finally {
      if (saved === undefined) delete process.env[SERIALIZE_TYPE_ENV];
      else process.env[SERIALIZE_TYPE_ENV] = saved;
    }
  });

  it('rejects bad messages before sending', async () => {
    const cluster = await startTestCluster();
    const p = await startProducer(cluster, { maxMessageSize: 1024 });
    await expect(p.send(new Message('T', Buffer.alloc(0)))).rejects.toThrow(/body length is zero/);
    await expect(p.send(new Message('T', Buffer.alloc(2048)))).rejects.toThrow(/over max value/);
    // Refused by the client before any request, with RocketMQ's reason (not retried against the broker).
    await expect(p.send(new Message('bad topic', 'x'))).rejects.toThrow('The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$');
    await expect(p.send(new Message('T'.repeat(128), 'x'))).rejects.toThrow('The specified topic is longer than topic max length.');
    // What JavaScript callers write by mistake: a plain object instead of a Message.
    await expect(p.send({ topic: 'T', body: Buffer.from('x') } as unknown as Message)).rejects.toThrow('send() takes a Message: new Message(topic, body)');
    await expect(p.sendBatch([{ topic: 'T', body: 'x' } as unknown as Message])).rejects.toThrow('send() takes a Message');
    const stopped = new Producer({ namesrvAddr: cluster.namesrvAddr, logger: quietLogger });
    await expect(stopped.send(new Message('T', 'x'))).rejects.toThrow(/start\(\)/);
    // The callback form reports them to onException, after sendAsync returned.
    await createTopic(cluster.brokerAddr, 'T', 1, cluster.namesrvAddr);
    await p.send(new Message('T', 'route known'));
    let returned = false;
    const failure = await new Promise<Error>((resolve) => {
      p.sendAsync(new Message('T', Buffer.alloc(2048)), { onSuccess: () => resolve(new Error('sent')), onException: (e) => resolve(returned ? e : new Error('too early')) });
      returned = true;
    });
    expect(failure.message).toMatch(/over max value/);
  });

  it('keeps sending when a send callback throws: the error is logged, not reported as a failed send', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'ThrowTopic', 1, cluster.namesrvAddr);
    const p = await startProducer(cluster);
    await p.send(new Message('ThrowTopic', 'route known'));
    let exceptions = 0;
    await new Promise<void>((resolve) =>
      p.sendAsync(new Message('ThrowTopic', 'x'), {
        onSuccess: () => {
          setImmediate(resolve);
          throw new Error('a bug in the callback');
        },
        onException: () => void exceptions++,
      }),
    );
    expect(exceptions).toBe(0);
    expect((await p.sendAsync(new Message('ThrowTopic', 'y'))).sendStatus).toBe('SEND_OK');
  });
});
