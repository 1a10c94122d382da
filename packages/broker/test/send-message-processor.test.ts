import { afterEach, describe, expect, it } from 'vitest';
import { MessageConst, decodeMessage, decodeMessages, encodeBatchMessages, Message } from '@rockit/common';
import { RemotingClient, RemotingCommand, RequestCode, ResponseCode, SendMessageRequestHeaderV2, encodeHeader } from '@rockit/remoting';
import { MemoryMessageStore, type MessageStore, type MessageStoreConfig } from '@rockit/store';
import { createTopic, invoke, pull, quiet, send, sendRequest, startBroker, type RunningBroker } from './runtime-helpers.js';

let rb: RunningBroker | undefined;
afterEach(async () => {
  await rb?.stop();
  rb = undefined;
});

describe('SendMessageProcessor', () => {
  it('stores a SEND_MESSAGE_V2 body as received and answers msgId, queueId, queueOffset, MSG_REGION and TRACE_ON', async () => {
    rb = await startBroker();
    await createTopic(rb, 'SendT', 2);
    const body = Buffer.from([0, 1, 2, 250, 251, 252]);
    const r = await send(rb, 'SendT', body, { queueId: 1, tags: 'TagA', keys: 'k1 k2', properties: { color: 'red' } });
    expect(r.code).toBe(ResponseCode.SUCCESS);
    expect(r.extFields).toMatchObject({ queueId: '1', queueOffset: '0', MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' });
    expect(r.extFields!.msgId).toMatch(/^7F000001[0-9A-F]{24}$/);
    const stored = decodeMessages((await pull(rb, 'SendT', { queueId: 1 })).body!)[0]!;
    expect(stored.body.equals(body)).toBe(true);
    expect(stored.offsetMsgId).toBe(r.extFields!.msgId);
    expect(stored.properties.get('TAGS')).toBe('TagA');
    expect(stored.properties.get('KEYS')).toBe('k1 k2');
    expect(stored.properties.get('color')).toBe('red');
    expect(stored.properties.get(MessageConst.PROPERTY_CLUSTER)).toBe('DefaultCluster');
    expect(stored.properties.has(MessageConst.PROPERTY_WAIT_STORE_MSG_OK)).toBe(false);
    expect(stored.storeHost).toEqual({ address: '127.0.0.1', port: rb.broker.config.listenPort });
  });

  it('accepts SEND_MESSAGE with the long-named header (V1) as well', async () => {
    rb = await startBroker();
    await createTopic(rb, 'V1T', 1);
    const { SendMessageRequestHeader } = await import('@rockit/remoting');
    const header = encodeHeader(
      { producerGroup: 'PG', topic: 'V1T', defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: 0, sysFlag: 0, bornTimestamp: Date.now(), flag: 7, properties: 'TAGS\u0001v1' },
      SendMessageRequestHeader,
    );
    const r = await rb.client.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.SEND_MESSAGE, header, Buffer.from('v1 body')));
    expect(r.code).toBe(ResponseCode.SUCCESS);
    const stored = decodeMessages((await pull(rb, 'V1T')).body!)[0]!;
    expect([stored.body.toString(), stored.flag, stored.properties.get('TAGS')]).toEqual(['v1 body', 7, 'v1']);
  });

  it('stores every message of a SEND_BATCH_MESSAGE with consecutive offsets and a comma list of msgIds', async () => {
    rb = await startBroker();
    await createTopic(rb, 'BatchT', 1);
    const msgs = [0, 1, 2].map((i) => new Message('BatchT', `b${i}`, { tags: `T${i}`, properties: [['UNIQ_KEY', `U${i}`]] }));
    const header = encodeHeader(
      { producerGroup: 'PG', topic: 'BatchT', defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: 0, sysFlag: 0, bornTimestamp: Date.now(), flag: 0, properties: 'WAIT\u0001true', batch: true },
      SendMessageRequestHeaderV2,
    );
    const r = await rb.client.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.SEND_BATCH_MESSAGE, header, encodeBatchMessages(msgs)));
    expect(r.code).toBe(ResponseCode.SUCCESS);
    expect(r.extFields!.msgId!.split(',')).toHaveLength(3);
    expect(r.extFields!.queueOffset).toBe('0');
    const stored = decodeMessages((await pull(rb, 'BatchT')).body!);
    expect(stored.map((m) => [m.body.toString(), m.queueOffset, m.properties.get('TAGS'), m.properties.get('UNIQ_KEY'), m.properties.get('CLUSTER')])).toEqual([
      ['b0', 0, 'T0', 'U0', 'DefaultCluster'],
      ['b1', 1, 'T1', 'U1', 'DefaultCluster'],
      ['b2', 2, 'T2', 'U2', 'DefaultCluster'],
    ]);
    const bad = await rb.client.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.SEND_BATCH_MESSAGE, header, Buffer.from('garbage-batch-body-xx')));
    expect(bad.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
  });

  it('auto-creates an unknown topic from TBW102, and answers TOPIC_NOT_EXIST when auto-creation is off', async () => {
    rb = await startBroker();
    const r = await send(rb, 'AutoCreated', 'x');
    expect(r.code).toBe(ResponseCode.SUCCESS);
    const tc = rb.broker.ctx.topicConfigManager.selectTopicConfig('AutoCreated');
    expect(tc).toMatchObject({ readQueueNums: 4, writeQueueNums: 4, perm: 6 });
    await rb.stop();

    rb = await startBroker({ overrides: { autoCreateTopicEnable: false } });
    const refused = await send(rb, 'NotCreated', 'x');
    expect(refused.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(refused.remark).toContain('topic[NotCreated] not exist');
  });

  it('answers bad input with the right code and a remark, and keeps serving', async () => {
    rb = await startBroker({ overrides: { maxMessageSize: 1024 } });
    await createTopic(rb, 'Good', 1);
    const badName = await send(rb, 'bad topic!', 'x');
    expect(badName.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(badName.remark).toContain('illegal characters');
    const tooLong = await send(rb, 'T'.repeat(128), 'x');
    expect(tooLong.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(tooLong.remark).toContain('longer than topic max length');
    const oversized = await send(rb, 'Good', Buffer.alloc(2048));
    expect(oversized.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    expect(oversized.remark).toContain('maxMessageSize');
    const forbidden = await send(rb, 'SCHEDULE_TOPIC_XXXX', 'x');
    expect(forbidden.code).toBe(ResponseCode.NO_PERMISSION);
    const badQueue = await send(rb, 'Good', 'x', { queueId: 7 });
    expect(badQueue.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(badQueue.remark).toContain('queueId[7] is illegal');
    const missing = RemotingCommand.createRequest(RequestCode.SEND_MESSAGE_V2, { a: 'PG', b: 'Good' }, Buffer.from('x'));
    const missingField = await rb.client.invokeSync(rb.addr, missing);
    expect(missingField.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(missingField.remark).toContain('the custom field <c> is null');
    const unknown = await invoke(rb, 9999);
    expect(unknown.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    expect((await send(rb, 'Good', 'still fine')).code).toBe(ResponseCode.SUCCESS);
  });

  it('moves a message produced to %RETRY%<group> to %DLQ%<group> once reconsumeTimes reaches maxReconsumeTimes', async () => {
    rb = await startBroker();
    const ok = await send(rb, '%RETRY%CG1', 'retry me', { reconsumeTimes: 2, maxReconsumeTimes: 16 });
    expect(ok.code).toBe(ResponseCode.SUCCESS);
    const dead = await send(rb, '%RETRY%CG1', 'dead', { reconsumeTimes: 16, maxReconsumeTimes: 16 });
    expect(dead.code).toBe(ResponseCode.SUCCESS);
    expect(rb.broker.store.getMaxOffsetInQueue('%DLQ%CG1', 0)).toBe(1);
    expect(rb.broker.ctx.topicConfigManager.selectTopicConfig('%DLQ%CG1')).toMatchObject({ readQueueNums: 1, perm: 6 });
  });

  it('parks a message with a delay level in SCHEDULE_TOPIC_XXXX queue level-1 with REAL_TOPIC and REAL_QID', async () => {
    rb = await startBroker();
    await createTopic(rb, 'Delayed', 1);
    expect((await send(rb, 'Delayed', 'later', { properties: { DELAY: '2' } })).code).toBe(0);
    expect(rb.broker.store.getMaxOffsetInQueue('Delayed', 0)).toBe(0);
    const parked = await rb.broker.store.getMessage('g', 'SCHEDULE_TOPIC_XXXX', 1, 0, 1);
    const msg = decodeMessage(parked.messageBufferList[0]!);
    expect(msg.properties.get('REAL_TOPIC')).toBe('Delayed');
    expect(msg.properties.get('REAL_QID')).toBe('0');
  });

  it('answers SYSTEM_BUSY to sends that waited in the send queue longer than waitTimeMillsInSendQueue', async () => {
    // A store whose every put takes 300 ms, one at a time, as a broker with a stalled disk.
    const slow = (config: Partial<MessageStoreConfig> & { storePathRootDir: string }): MessageStore => {
      const store = new MemoryMessageStore(config);
      const putMessage = store.putMessage.bind(store);
      store.putMessage = async (msg) => {
        await new Promise((r) => setTimeout(r, 300));
        return putMessage(msg);
      };
      return store;
    };
    rb = await startBroker({ storeFactory: slow, sendQueueMaxInFlight: 1 });
    await createTopic(rb, 'Busy', 1);
    const client = new RemotingClient({ logger: quiet });
    try {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => client.invokeSync(rb!.addr, sendRequest('Busy', `m${i}`), 10_000)));
      const codes = results.map((r) => r.code);
      expect(codes).toContain(ResponseCode.SUCCESS);
      expect(codes).toContain(ResponseCode.SYSTEM_BUSY);
      const busy = results.find((r) => r.code === ResponseCode.SYSTEM_BUSY)!;
      expect(busy.remark).toContain('[TIMEOUT_CLEAN_QUEUE]broker busy');
      const stored = rb.broker.store.getMaxOffsetInQueue('Busy', 0);
      expect(stored).toBe(codes.filter((c) => c === ResponseCode.SUCCESS).length);
    } finally {
      await client.close();
    }
  });

  it('sends a failed message back to %RETRY%<group> with delay 3 + reconsumeTimes, or to the DLQ', async () => {
    rb = await startBroker();
    await createTopic(rb, 'BackT', 1);
    const sent = await send(rb, 'BackT', 'failing', { tags: 'TagA', keys: 'k-back' });
    const { decodeOffsetMessageId } = await import('@rockit/common');
    const offset = decodeOffsetMessageId(sent.extFields!.msgId!).commitLogOffset;
    const back = (delayLevel: number, o = offset) =>
      invoke(rb!, RequestCode.CONSUMER_SEND_MSG_BACK, { offset: o, group: 'CG_back', delayLevel, originMsgId: sent.extFields!.msgId!, originTopic: 'BackT', maxReconsumeTimes: 16 });
    expect((await back(0)).code).toBe(ResponseCode.SUCCESS);
    const parked = decodeMessage((await rb.broker.store.getMessage('g', 'SCHEDULE_TOPIC_XXXX', 2, 0, 1)).messageBufferList[0]!);
    expect(parked.reconsumeTimes).toBe(1);
    expect(parked.body.toString()).toBe('failing');
    expect(Object.fromEntries(parked.properties)).toMatchObject({
      REAL_TOPIC: '%RETRY%CG_back', RETRY_TOPIC: 'BackT', DELAY: '3', TAGS: 'TagA', KEYS: 'k-back', ORIGIN_MESSAGE_ID: sent.extFields!.msgId!, WAIT: 'false',
    });
    expect((await back(-1)).code).toBe(ResponseCode.SUCCESS);
    expect(rb.broker.store.getMaxOffsetInQueue('%DLQ%CG_back', 0)).toBe(1);
    const missing = await back(0, 987_654_321);
    expect(missing.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(missing.remark).toContain('look message by offset failed');
  });
});
