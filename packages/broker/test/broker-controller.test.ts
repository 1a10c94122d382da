import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, decodeOffsetMessageId, parseFastJson, toObjectKeyMap } from '@rockit/common';
import { RemotingClient, RemotingCommand, RequestCode, ResponseCode, type RemotingChannel } from '@rockit/remoting';
import { createTopic, invoke, quiet, send, startBroker, type RunningBroker } from './runtime-helpers.js';

let rb: RunningBroker | undefined;
const extra: RemotingClient[] = [];
afterEach(async () => {
  while (extra.length > 0) await extra.pop()!.close();
  await rb?.stop();
  rb = undefined;
});

function heartbeat(clientID: string, group: string, topic: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      clientID,
      producerDataSet: [{ groupName: 'PG_hb' }],
      consumerDataSet: [
        {
          groupName: group,
          consumeType: 'CONSUME_PASSIVELY',
          messageModel: 'CLUSTERING',
          consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
          unitMode: false,
          subscriptionDataSet: [{ topic, subString: '*', tagsSet: [], codeSet: [], subVersion: Date.now(), expressionType: 'TAG', classFilterMode: false }],
        },
      ],
    }),
  );
}

/** A client that records the NOTIFY_CONSUMER_IDS_CHANGED calls the broker makes to it. */
function consumerClient(notified: string[]): RemotingClient {
  const client = new RemotingClient({ logger: quiet });
  client.registerProcessor(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, (_ch: RemotingChannel, req: RemotingCommand) => {
    notified.push(req.extFields?.consumerGroup ?? '');
    return null;
  });
  extra.push(client);
  return client;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

function body<T = Record<string, unknown>>(r: RemotingCommand): T {
  return parseFastJson(r.body!.toString()) as T;
}

describe('BrokerController: clients', () => {
  it('registers consumers by heartbeat, lists them, creates %RETRY% and notifies the group when membership changes', async () => {
    rb = await startBroker();
    await createTopic(rb, 'HbT', 2);
    const n1: string[] = [];
    const n2: string[] = [];
    const c1 = consumerClient(n1);
    const c2 = consumerClient(n2);
    const hb = (c: RemotingClient, id: string) => c.invokeSync(rb!.addr, RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, heartbeat(id, 'CG_hb', 'HbT')));
    expect((await hb(c1, '10.0.0.1@one')).code).toBe(0);
    expect(rb.broker.ctx.topicConfigManager.selectTopicConfig('%RETRY%CG_hb')).toMatchObject({ readQueueNums: 1, perm: 6 });
    expect((await hb(c2, '10.0.0.2@two')).code).toBe(0);
    await until(() => n1.length >= 2 && n2.length >= 1);
    expect(n1.every((g) => g === 'CG_hb')).toBe(true);

    const list = await invoke(rb, RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'CG_hb' });
    expect(body<{ consumerIdList: string[] }>(list).consumerIdList.sort()).toEqual(['10.0.0.1@one', '10.0.0.2@two']);

    const before = n1.length;
    await c2.close();
    extra.splice(extra.indexOf(c2), 1);
    await until(() => n1.length > before);
    expect(body<{ consumerIdList: string[] }>(await invoke(rb, RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'CG_hb' })).consumerIdList).toEqual(['10.0.0.1@one']);

    const unregister = await c1.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.UNREGISTER_CLIENT, { clientID: '10.0.0.1@one', consumerGroup: 'CG_hb', producerGroup: 'PG_hb' }));
    expect(unregister.code).toBe(0);
    const none = await invoke(rb, RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'CG_hb' });
    expect(none.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(none.remark).toContain('no consumer for this group');
  });

  it('answers a heartbeat with a broken body SYSTEM_ERROR naming the problem', async () => {
    rb = await startBroker();
    const r = await invoke(rb, RequestCode.HEART_BEAT, undefined, '{"clientID":"x","consumerDataSet":[{"groupName":"g"}]}');
    expect(r.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(r.remark).toMatch(/consumeType/);
    expect((await invoke(rb, RequestCode.HEART_BEAT, undefined, 'not json')).code).toBe(ResponseCode.SYSTEM_ERROR);
  });
});

describe('BrokerController: offsets and lookups', () => {
  it('serves consumer offsets and queue bounds', async () => {
    rb = await startBroker();
    await createTopic(rb, 'OffT', 1);
    const query = () => invoke(rb!, RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: 'CG', topic: 'OffT', queueId: 0 });
    // Never committed and the queue still starts at 0: the group starts from 0.
    expect((await query()).extFields?.offset).toBe('0');
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) await send(rb, 'OffT', `m${i}`);
    expect((await invoke(rb, RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: 'CG', topic: 'OffT', queueId: 0, commitOffset: 2 })).code).toBe(0);
    expect((await query()).extFields?.offset).toBe('2');
    expect((await invoke(rb, RequestCode.GET_MAX_OFFSET, { topic: 'OffT', queueId: 0 })).extFields?.offset).toBe('3');
    expect((await invoke(rb, RequestCode.GET_MIN_OFFSET, { topic: 'OffT', queueId: 0 })).extFields?.offset).toBe('0');
    expect((await invoke(rb, RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, { topic: 'OffT', queueId: 0, timestamp: t0 - 1000 })).extFields?.offset).toBe('0');
    const earliest = Number((await invoke(rb, RequestCode.GET_EARLIEST_MSG_STORETIME, { topic: 'OffT', queueId: 0 })).extFields?.timestamp);
    expect(earliest).toBeGreaterThanOrEqual(t0 - 1);
    const missing = await invoke(rb, RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: 'CG' });
    expect(missing.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(missing.remark).toContain('<topic>');
  });

  it('answers QUERY_NOT_FOUND for a group without offsets when the queue head is no longer in memory', async () => {
    rb = await startBroker({ overrides: { accessMessageInMemoryMaxRatio: 0 } });
    await createTopic(rb, 'ColdT', 1);
    await send(rb, 'ColdT', 'old');
    await send(rb, 'ColdT', 'new');
    const r = await invoke(rb, RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: 'CG_cold', topic: 'ColdT', queueId: 0 });
    expect(r.code).toBe(ResponseCode.QUERY_NOT_FOUND);
    expect(r.remark).toContain('maybe this group consumer boot first');
  });

  it('finds messages by key (QUERY_MESSAGE) and by offset message id (VIEW_MESSAGE_BY_ID)', async () => {
    rb = await startBroker();
    await createTopic(rb, 'QueryT', 1);
    const sent = await send(rb, 'QueryT', 'findable', { keys: 'order-42', properties: { UNIQ_KEY: 'AC1100010000000000000000000000AA' } });
    const now = Date.now();
    const byKey = await invoke(rb, RequestCode.QUERY_MESSAGE, { topic: 'QueryT', key: 'order-42', maxNum: 32, beginTimestamp: 0, endTimestamp: now + 1000 });
    expect(byKey.code).toBe(0);
    expect(decodeMessage(byKey.body!).body.toString()).toBe('findable');
    const byUniq = RemotingCommand.createRequest(RequestCode.QUERY_MESSAGE, { topic: 'QueryT', key: 'AC1100010000000000000000000000AA', maxNum: '1', beginTimestamp: '0', endTimestamp: String(now + 1000), _UNIQUE_KEY_QUERY: 'true' });
    expect((await rb.client.invokeSync(rb.addr, byUniq)).code).toBe(0);
    const notFound = await invoke(rb, RequestCode.QUERY_MESSAGE, { topic: 'QueryT', key: 'nope', maxNum: 32, beginTimestamp: 0, endTimestamp: now + 1000 });
    expect(notFound.code).toBe(ResponseCode.QUERY_NOT_FOUND);

    const { commitLogOffset: offset } = decodeOffsetMessageId(sent.extFields!.msgId!);
    const view = await invoke(rb, RequestCode.VIEW_MESSAGE_BY_ID, { offset });
    expect(decodeMessage(view.body!).body.toString()).toBe('findable');
    const gone = await invoke(rb, RequestCode.VIEW_MESSAGE_BY_ID, { offset: 1_000_000 });
    expect(gone.code).toBe(ResponseCode.SYSTEM_ERROR);
  });

  it('locks queues for one client at a time (LOCK_BATCH_MQ / UNLOCK_BATCH_MQ)', async () => {
    rb = await startBroker();
    const mqSet = [{ topic: 'T', brokerName: 'broker-a', queueId: 0 }, { topic: 'T', brokerName: 'broker-a', queueId: 1 }];
    const lock = (clientId: string, set = mqSet) => invoke(rb!, RequestCode.LOCK_BATCH_MQ, undefined, JSON.stringify({ consumerGroup: 'CG', clientId, mqSet: set }));
    expect(body<{ lockOKMQSet: unknown[] }>(await lock('a')).lockOKMQSet).toHaveLength(2);
    expect(body<{ lockOKMQSet: unknown[] }>(await lock('b')).lockOKMQSet).toHaveLength(0);
    await invoke(rb, RequestCode.UNLOCK_BATCH_MQ, undefined, JSON.stringify({ consumerGroup: 'CG', clientId: 'a', mqSet: [mqSet[0]] }));
    expect(body<{ lockOKMQSet: unknown[] }>(await lock('b')).lockOKMQSet).toEqual([mqSet[0]]);
  });
});

describe('BrokerController: administration', () => {
  it('creates, lists and deletes topics; refuses system topics and bad names', async () => {
    rb = await startBroker();
    expect((await createTopic(rb, 'AdminT', 3)).code).toBe(0);
    const all = body<{ topicConfigTable: Record<string, { readQueueNums: number }> }>(await invoke(rb, RequestCode.GET_ALL_TOPIC_CONFIG));
    expect(all.topicConfigTable.AdminT?.readQueueNums).toBe(3);
    const one = await invoke(rb, RequestCode.GET_TOPIC_CONFIG, { topic: 'AdminT' });
    expect(body<{ topicConfig: { writeQueueNums: number } }>(one).topicConfig.writeQueueNums).toBe(3);
    const sys = await createTopic(rb, 'SCHEDULE_TOPIC_XXXX', 1);
    expect(sys.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(sys.remark).toContain('system topic');
    const bad = await createTopic(rb, 'bad/name', 1);
    expect(bad.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(bad.remark).toContain('illegal characters');
    expect((await invoke(rb, RequestCode.DELETE_TOPIC_IN_BROKER, { topic: 'AdminT' })).code).toBe(0);
    expect(rb.broker.ctx.topicConfigManager.selectTopicConfig('AdminT')).toBeUndefined();
    expect((await invoke(rb, RequestCode.DELETE_TOPIC_IN_BROKER, { topic: 'TBW102' })).code).toBe(ResponseCode.SYSTEM_ERROR);
  });

  it('manages subscription groups', async () => {
    rb = await startBroker();
    const cfg = { groupName: 'CG_admin', consumeEnable: false, retryQueueNums: 2, retryMaxTimes: 5 };
    expect((await invoke(rb, RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, JSON.stringify(cfg))).code).toBe(0);
    const all = body<{ subscriptionGroupTable: Record<string, { retryMaxTimes: number }> }>(await invoke(rb, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG));
    expect(all.subscriptionGroupTable.CG_admin?.retryMaxTimes).toBe(5);
    expect((await invoke(rb, RequestCode.DELETE_SUBSCRIPTIONGROUP, { groupName: 'CG_admin', removeOffset: true })).code).toBe(0);
    expect(rb.broker.ctx.subscriptionGroupManager.selectSubscriptionGroupConfig('CG_admin')).toBeUndefined();
    const bad = await invoke(rb, RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, JSON.stringify({ groupName: 'bad group' }));
    expect(bad.code).toBe(ResponseCode.SYSTEM_ERROR);
  });

  it('reports topic stats, consume stats, connections and who consumes a topic, with MessageQueue object keys', async () => {
    rb = await startBroker();
    await createTopic(rb, 'StatT', 2);
    for (let i = 0; i < 3; i++) await send(rb, 'StatT', `m${i}`, { queueId: 0 });
    await invoke(rb, RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: 'CG_stat', topic: 'StatT', queueId: 0, commitOffset: 1 });

    const stats = await invoke(rb, RequestCode.GET_TOPIC_STATS_INFO, { topic: 'StatT' });
    expect(stats.body!.toString()).toContain('{"brokerName":"broker-a","queueId":0,"topic":"StatT"}:{"lastUpdateTimestamp":');
    const statTable = toObjectKeyMap<{ queueId: number }, { maxOffset: number }>((body(stats) as { offsetTable: unknown }).offsetTable);
    expect(statTable.get({ brokerName: 'broker-a', queueId: 0, topic: 'StatT' } as never)?.maxOffset).toBe(3);
    expect((await invoke(rb, RequestCode.GET_TOPIC_STATS_INFO, { topic: 'Nope' })).code).toBe(ResponseCode.TOPIC_NOT_EXIST);

    const consume = await invoke(rb, RequestCode.GET_CONSUME_STATS, { consumerGroup: 'CG_stat', topic: 'StatT' });
    expect(consume.body!.toString()).toMatch(/^\{"consumeTps":0\.0,"offsetTable":\{\{"brokerName":"broker-a","queueId":0,"topic":"StatT"\}:\{"brokerOffset":3,"consumerOffset":1,"lastTimestamp":\d+\}/);

    const byWho = body<{ groupList: string[] }>(await invoke(rb, RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, { topic: 'StatT' }));
    expect(byWho.groupList).toEqual(['CG_stat']);
    expect((await invoke(rb, RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'CG_stat' })).code).toBe(ResponseCode.CONSUMER_NOT_ONLINE);
    expect((await invoke(rb, RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: 'PG_none' })).code).toBe(ResponseCode.SYSTEM_ERROR);
    expect((await invoke(rb, RequestCode.GET_ALL_CONSUMER_OFFSET)).body!.toString()).toContain('"StatT@CG_stat":{0:1}');
    expect((await invoke(rb, RequestCode.GET_ALL_DELAY_OFFSET)).code).toBe(0);
  });

  it('prints, updates and guards the broker config; runtime info has the brokerStatus keys', async () => {
    rb = await startBroker();
    const cfg = await invoke(rb, RequestCode.GET_BROKER_CONFIG);
    expect(cfg.body!.toString()).toContain('brokerName=broker-a');
    expect(JSON.parse(cfg.extFields!.version!)).toHaveProperty('counter');
    expect((await invoke(rb, RequestCode.UPDATE_BROKER_CONFIG, undefined, 'waitTimeMillsInSendQueue=500\n')).code).toBe(0);
    expect(rb.broker.config.waitTimeMillsInSendQueue).toBe(500);
    const black = await invoke(rb, RequestCode.UPDATE_BROKER_CONFIG, undefined, 'brokerConfigPath=/etc/x\n');
    expect(black.code).toBe(ResponseCode.NO_PERMISSION);
    const badValue = await invoke(rb, RequestCode.UPDATE_BROKER_CONFIG, undefined, 'maxMessageSize=big\n');
    expect(badValue.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(badValue.remark).toContain('maxMessageSize');
    await send(rb, 'RtT', 'x');
    const info = body<{ table: Record<string, string> }>(await invoke(rb, RequestCode.GET_BROKER_RUNTIME_INFO)).table;
    expect(info).toMatchObject({ brokerVersionDesc: 'V4_9_8', brokerVersion: '409', msgPutTotalTodayNow: '1', sendThreadPoolQueueSize: '0' });
    expect(info.runtime).toMatch(/^\[ 0 days/);
    expect(info.commitLogMaxOffset).toBeDefined();
  });

  it('persists topics, groups and offsets as RocketMQ JSON files and reloads them after a restart', async () => {
    rb = await startBroker({ memory: false });
    await createTopic(rb, 'Durable', 2);
    await invoke(rb, RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, JSON.stringify({ groupName: 'CG_durable', retryMaxTimes: 3 }));
    await send(rb, 'Durable', 'kept');
    await invoke(rb, RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: 'CG_durable', topic: 'Durable', queueId: 0, commitOffset: 1 });
    await rb.restart();
    const ctx = rb.broker.ctx;
    expect(ctx.topicConfigManager.selectTopicConfig('Durable')?.writeQueueNums).toBe(2);
    expect(ctx.subscriptionGroupManager.selectSubscriptionGroupConfig('CG_durable')?.retryMaxTimes).toBe(3);
    expect(ctx.consumerOffsetManager.queryOffset('CG_durable', 'Durable', 0)).toBe(1);
    expect(rb.broker.store.getMaxOffsetInQueue('Durable', 0)).toBe(1);
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    expect(readFileSync(join(rb.dir, 'config', 'consumerOffset.json'), 'utf8')).toContain('"Durable@CG_durable":{0:1');
  });

  it('lists an online group\'s connections and resets its offsets through its consumers (INVOKE_BROKER_TO_RESET_OFFSET)', async () => {
    rb = await startBroker();
    await createTopic(rb, 'ResetT', 2);
    for (let i = 0; i < 4; i++) await send(rb, 'ResetT', `m${i}`, { queueId: i % 2 });
    await invoke(rb, RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: 'CG_reset', topic: 'ResetT', queueId: 0, commitOffset: 2 });
    await invoke(rb, RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: 'CG_reset', topic: 'ResetT', queueId: 1, commitOffset: 2 });
    const offline = await invoke(rb, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic: 'ResetT', group: 'CG_reset', timestamp: 0, isForce: true });
    expect(offline.code).toBe(ResponseCode.CONSUMER_NOT_ONLINE);

    const resets: string[] = [];
    const c = consumerClient([]);
    c.registerProcessor(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, (_ch: RemotingChannel, req: RemotingCommand) => {
      resets.push(req.body!.toString());
      return null;
    });
    expect((await c.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, heartbeat('10.0.0.9@r', 'CG_reset', 'ResetT')))).code).toBe(0);
    const conn = body<{ connectionSet: { clientId: string }[]; subscriptionTable: Record<string, { subString: string }> }>(
      await invoke(rb, RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'CG_reset' }),
    );
    expect(conn.connectionSet.map((x) => x.clientId)).toEqual(['10.0.0.9@r']);
    expect(conn.subscriptionTable.ResetT?.subString).toBe('*');
    expect(body<{ connectionSet: unknown[] }>(await invoke(rb, RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: 'PG_hb' })).connectionSet).toHaveLength(1);

    const reset = await invoke(rb, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic: 'ResetT', group: 'CG_reset', timestamp: 0, isForce: true });
    expect(reset.code).toBe(0);
    expect(reset.body!.toString()).toBe('{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"ResetT"}:0,{"brokerName":"broker-a","queueId":1,"topic":"ResetT"}:0}}');
    await until(() => resets.length === 1);
    expect(resets[0]).toBe(reset.body!.toString());
  });

  it('forwards GET_CONSUMER_RUNNING_INFO and CONSUME_MESSAGE_DIRECTLY to the consumer and relays its answer', async () => {
    rb = await startBroker();
    await createTopic(rb, 'FwdT', 1);
    const sent = await send(rb, 'FwdT', 'direct');
    const seen: RemotingCommand[] = [];
    const c = consumerClient([]);
    for (const code of [RequestCode.GET_CONSUMER_RUNNING_INFO, RequestCode.CONSUME_MESSAGE_DIRECTLY]) {
      c.registerProcessor(code, (_ch: RemotingChannel, req: RemotingCommand) => {
        seen.push(req);
        const r = RemotingCommand.createResponse(0);
        r.body = Buffer.from(`{"answer":${req.code}}`);
        return r;
      });
    }
    await c.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, heartbeat('10.0.0.7@f', 'CG_fwd', 'FwdT')));
    const running = await invoke(rb, RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'CG_fwd', clientId: '10.0.0.7@f', jstackEnable: false });
    expect(running.body!.toString()).toBe('{"answer":307}');
    const direct = await invoke(rb, RequestCode.CONSUME_MESSAGE_DIRECTLY, { consumerGroup: 'CG_fwd', clientId: '10.0.0.7@f', msgId: sent.extFields!.msgId! });
    expect(direct.body!.toString()).toBe('{"answer":309}');
    expect(decodeMessage(seen[1]!.body!).body.toString()).toBe('direct');
    expect(seen[1]!.extFields?.brokerName).toBe('broker-a');
    const offline = await invoke(rb, RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'CG_fwd', clientId: 'nobody' });
    expect(offline.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(offline.remark).toContain('not online');
  });

  it('clones group offsets, computes correction offsets and consume time spans', async () => {
    rb = await startBroker();
    await createTopic(rb, 'CloneT', 1);
    for (let i = 0; i < 4; i++) await send(rb, 'CloneT', `m${i}`);
    await invoke(rb, RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: 'CG_src', topic: 'CloneT', queueId: 0, commitOffset: 3 });
    expect((await invoke(rb, RequestCode.CLONE_GROUP_OFFSET, { srcGroup: 'CG_src', destGroup: 'CG_dst', topic: 'CloneT' })).code).toBe(0);
    expect(rb.broker.ctx.consumerOffsetManager.queryOffset('CG_dst', 'CloneT', 0)).toBe(3);
    const correction = await invoke(rb, RequestCode.QUERY_CORRECTION_OFFSET, { compareGroup: 'CG_dst', topic: 'CloneT', filterGroups: 'CG_dst' });
    expect(correction.body!.toString()).toBe('{"correctionOffsets":{0:3}}');
    const span = body<{ consumeTimeSpanSet: { minTimeStamp: number; maxTimeStamp: number; consumeTimeStamp: number }[] }>(
      await invoke(rb, RequestCode.QUERY_CONSUME_TIME_SPAN, { topic: 'CloneT', group: 'CG_src' }),
    ).consumeTimeSpanSet;
    expect(span).toHaveLength(1);
    expect(span[0]!.minTimeStamp).toBeGreaterThan(0);
    expect(span[0]!.maxTimeStamp).toBeGreaterThanOrEqual(span[0]!.consumeTimeStamp);
  });
});

describe('BrokerController: consumer status', () => {
  it('collects queue offsets from the group\'s consumers (INVOKE_BROKER_TO_GET_CONSUMER_STATUS) and reports broker consume stats', async () => {
    rb = await startBroker();
    await createTopic(rb, 'StatusT', 1);
    await send(rb, 'StatusT', 'x');
    await invoke(rb, RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: 'CG_status', topic: 'StatusT', queueId: 0, commitOffset: 0 });
    const c = consumerClient([]);
    c.registerProcessor(RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT, () => {
      const r = RemotingCommand.createResponse(0);
      r.body = Buffer.from('{"messageQueueTable":{{"brokerName":"broker-a","queueId":0,"topic":"StatusT"}:5}}');
      return r;
    });
    await c.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, heartbeat('10.0.0.5@s', 'CG_status', 'StatusT')));
    const status = await invoke(rb, RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, { topic: 'StatusT', group: 'CG_status' });
    expect(status.body!.toString()).toBe('{"consumerTable":{"10.0.0.5@s":{{"brokerName":"broker-a","queueId":0,"topic":"StatusT"}:5}}}');

    const brokerStats = await invoke(rb, RequestCode.GET_BROKER_CONSUME_STATS, { isOrder: false });
    const text = brokerStats.body!.toString();
    expect(text).toContain(`"brokerAddr":"${rb.addr}"`);
    expect(text).toContain('{"CG_status":[{"consumeTps":0.0,"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"StatusT"}:{"brokerOffset":1,"consumerOffset":0,');
    expect(text).toMatch(/"totalDiff":1}$/);
  });
});

describe('BrokerController: start-up failures', () => {
  it('refuses to start on an unreadable topics.json (and its .bak) and releases its port', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { BrokerController } = await import('@rockit/broker');
    const dir = mkdtempSync(join(tmpdir(), 'rockit-bad-'));
    try {
      mkdirSync(join(dir, 'config'), { recursive: true });
      writeFileSync(join(dir, 'config', 'topics.json'), '{"topicConfigTable":{"T":{"readQueueNums":"x"}}}');
      const broker = new BrokerController({ overrides: { brokerIP1: '127.0.0.1', listenPort: 0, storePathRootDir: dir }, memory: true, logger: quiet });
      await expect(broker.start()).rejects.toThrow(/topics\.json/);
      expect(broker.server.port).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
