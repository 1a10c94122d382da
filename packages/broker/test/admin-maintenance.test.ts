/**
 * The rest of 4.9.8's AdminBrokerProcessor table: GET_ALL_PRODUCER_INFO, and the maintenance codes mqadmin's
 * cleanExpiredCQ, deleteExpiredCommitLog and cleanUnusedTopic send.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeOffsetMessageId, parseFastJson, tagsString2tagsCode } from '@rockit/common';
import { RemotingClient, RemotingCommand, RequestCode, ResponseCode } from '@rockit/remoting';
import { createTopic, invoke, quiet, send, startBroker, type RunningBroker } from './runtime-helpers.js';

let rb: RunningBroker | undefined;
const clients: RemotingClient[] = [];
afterEach(async () => {
  while (clients.length > 0) await clients.pop()!.close();
  await rb?.stop();
  rb = undefined;
});

const queueTopics = (b: RunningBroker) => [...b.broker.ctx.store.getConsumeQueueTable().keys()].sort();

describe('AdminBrokerProcessor: producers and maintenance', () => {
  it('GET_ALL_PRODUCER_INFO lists every producer connection by group', async () => {
    rb = await startBroker();
    const client = new RemotingClient({ logger: quiet });
    clients.push(client);
    const hb = Buffer.from(JSON.stringify({ clientID: '10.0.0.3@p1', producerDataSet: [{ groupName: 'PG_orders' }, { groupName: 'PG_audit' }], consumerDataSet: [] }));
    expect((await client.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, hb), 3000)).code).toBe(ResponseCode.SUCCESS);

    const r = await invoke(rb, RequestCode.GET_ALL_PRODUCER_INFO, {});
    expect(r.code).toBe(ResponseCode.SUCCESS);
    const data = (parseFastJson(r.body!.toString()) as { data: Record<string, { clientId: string; remoteIP: string; language: string; version: number; lastUpdateTimestamp: number }[]> }).data;
    expect(Object.keys(data).sort()).toEqual(['PG_audit', 'PG_orders']);
    const [info] = data.PG_orders!;
    expect(info).toMatchObject({ clientId: '10.0.0.3@p1', language: 'JAVA' });
    expect(info!.remoteIP).toMatch(/^\/127\.0\.0\.1:\d+$/);
    expect(info!.lastUpdateTimestamp).toBeGreaterThan(0);
  });

  it('CLEAN_UNUSED_TOPIC drops consume queues no topic config names, but keeps the schedule and transaction-op queues', async () => {
    rb = await startBroker();
    await createTopic(rb, 'Kept', 1);
    expect((await send(rb, 'Kept', 'k')).code).toBe(ResponseCode.SUCCESS);
    const store = rb.broker.ctx.store;
    const put = (topic: string) =>
      store.putMessage({ topic, queueId: 0, flag: 0, body: Buffer.from('x'), propertiesString: '', sysFlag: 0, bornTimestamp: Date.now(), bornHost: rb!.broker.ctx.storeHost, storeHost: rb!.broker.ctx.storeHost, reconsumeTimes: 0, preparedTransactionOffset: 0, tagsCode: 0 });
    // Queues left behind by topics deleted elsewhere, and the two system topics that have no topics.json entry.
    await put('Orphan');
    await put('RMQ_SYS_TRANS_OP_HALF_TOPIC');
    await put('SCHEDULE_TOPIC_XXXX');
    expect(queueTopics(rb)).toEqual(['Kept', 'Orphan', 'RMQ_SYS_TRANS_OP_HALF_TOPIC', 'SCHEDULE_TOPIC_XXXX']);

    expect((await invoke(rb, RequestCode.CLEAN_UNUSED_TOPIC, {})).code).toBe(ResponseCode.SUCCESS);
    expect(queueTopics(rb)).toEqual(['Kept', 'RMQ_SYS_TRANS_OP_HALF_TOPIC', 'SCHEDULE_TOPIC_XXXX']);
  });

  it('DELETE_EXPIRED_COMMITLOG runs retention now; CLEAN_EXPIRED_CONSUMEQUEUE then drops queues whose messages are gone', async () => {
    // A file store: the memory store keeps its own segment size.
    rb = await startBroker({ memory: false, overrides: { mappedFileSizeCommitLog: 4096, fileReservedTime: 0 } });
    await createTopic(rb, 'Old', 1);
    await createTopic(rb, 'New', 1);
    for (let i = 0; i < 8; i++) expect((await send(rb, 'Old', Buffer.alloc(900, 1))).code).toBe(ResponseCode.SUCCESS);
    expect((await send(rb, 'New', 'fresh')).code).toBe(ResponseCode.SUCCESS);
    const store = rb.broker.ctx.store;
    expect(store.getMinPhyOffset()).toBe(0);
    // Retention compares file times with the clock: let it move past the last write.
    await new Promise((r) => setTimeout(r, 20));

    expect((await invoke(rb, RequestCode.DELETE_EXPIRED_COMMITLOG, {})).code).toBe(ResponseCode.SUCCESS);
    // The segments before the one being written are past fileReservedTime (0 hours): gone, and all of Old with them.
    expect(store.getMinPhyOffset()).toBeGreaterThan(0);

    expect((await invoke(rb, RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE, {})).code).toBe(ResponseCode.SUCCESS);
    expect(queueTopics(rb)).toEqual(['New']);
  });

  it('QUERY_CONSUME_QUEUE returns the units of a queue from an index, its bounds, and a group\'s subscription', async () => {
    rb = await startBroker();
    await createTopic(rb, 'Cq', 1);
    const offsets: number[] = [];
    for (const tag of ['TagA', 'TagB', 'TagC']) {
      const r = await send(rb, 'Cq', `body-${tag}`, { tags: tag, queueId: 0 });
      offsets.push(decodeOffsetMessageId(r.extFields!.msgId!).commitLogOffset);
    }
    type Body = { filterData?: string; maxQueueIndex: number; minQueueIndex: number; queueData: { physicOffset: number; physicSize: number; tagsCode: number; eval: boolean }[]; subscriptionData?: { subString: string } };
    const query = async (header: Record<string, string | number>) => {
      const r = await invoke(rb!, RequestCode.QUERY_CONSUME_QUEUE, header);
      return { r, body: r.body ? (parseFastJson(r.body.toString()) as Body) : undefined };
    };

    const { r, body } = await query({ topic: 'Cq', queueId: 0, index: 1, count: 5 });
    expect(r.code).toBe(ResponseCode.SUCCESS);
    expect(body).toMatchObject({ maxQueueIndex: 3, minQueueIndex: 0 });
    expect(body!.queueData.map((u) => [u.physicOffset, u.tagsCode, u.eval])).toEqual([
      [offsets[1], tagsString2tagsCode('TagB'), false],
      [offsets[2], tagsString2tagsCode('TagC'), false],
    ]);
    expect(body!.queueData[0]!.physicSize).toBe(offsets[2]! - offsets[1]!);
    expect(body!.filterData).toBeUndefined();

    // With a group that has no consumer online: said in filterData, as RocketMQ does.
    expect((await query({ topic: 'Cq', queueId: 0, index: 0, count: 1, consumerGroup: 'CG_cq' })).body!.filterData).toBe('CG_cq@Cq is not online!');
    // With an online SQL92 consumer: its subscription and its filter data.
    const consumer = new RemotingClient({ logger: quiet });
    clients.push(consumer);
    const hb = {
      clientID: '10.0.0.4@cq',
      producerDataSet: [],
      consumerDataSet: [
        {
          groupName: 'CG_sql',
          consumeType: 'CONSUME_PASSIVELY',
          messageModel: 'CLUSTERING',
          consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
          unitMode: false,
          subscriptionDataSet: [{ topic: 'Cq', subString: 'a > 5', tagsSet: [], codeSet: [], subVersion: 42, expressionType: 'SQL92', classFilterMode: false }],
        },
      ],
    };
    expect((await consumer.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, Buffer.from(JSON.stringify(hb))), 3000)).code).toBe(ResponseCode.SUCCESS);
    const online = (await query({ topic: 'Cq', queueId: 0, index: 0, count: 1, consumerGroup: 'CG_sql' })).body!;
    expect(online.subscriptionData?.subString).toBe('a > 5');
    expect(JSON.parse(online.filterData!)).toEqual({ clientVersion: 42, consumerGroup: 'CG_sql', expression: 'a > 5', expressionType: 'SQL92', topic: 'Cq' });

    // Past the end: no units, and a remark naming the range.
    const past = await query({ topic: 'Cq', queueId: 0, index: 7, count: 1 });
    expect(past.body!.queueData).toEqual([]);
    expect(past.r.remark).toBe('no unit at index 7 of queue 0 of Cq (it holds 0 to 2)');
    const missing = await query({ topic: 'Cq', queueId: 5, index: 0, count: 1 });
    expect(missing.r.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(missing.r.remark).toBe('queue 5 of topic Cq does not exist on this broker');
  });
});
