/**
 * Delivery semantics on a real broker over TCP (file store in a temp dir): delay levels, send-back / DLQ,
 * transactions (half, END_TRANSACTION, check-back, discard) and queue locks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MessageConst,
  MessageSysFlag,
  PermName,
  decodeMessages,
  decodeOffsetMessageId,
  string2messageProperties,
  type MessageExt,
} from '@rockit/common';
import {
  CheckTransactionStateRequestHeader,
  ConsumerSendMsgBackRequestHeader,
  EndTransactionRequestHeader,
  MQVersion,
  PullMessageResponseHeader,
  RemotingClient,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  SendMessageResponseHeader,
  decodeHeader,
  encodeHeader,
} from '@rockit/remoting';
import { SCHEDULE_TOPIC } from '@rockit/store';
import { HALF_TOPIC, OP_HALF_TOPIC, CHECK_MAX_TIME_TOPIC, TRANS_CHECK_GROUP, readStoredMessage } from '@rockit/broker';
import { pull, quiet, send, sendRequest, startBroker, type RunningBroker } from './runtime-helpers.js';

let rb: RunningBroker | undefined;
afterEach(async () => {
  await rb?.stop();
  rb = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pulls `topic`/`queueId` from `offset` until `n` messages arrived (long polling), or throws after `deadline`. */
async function pullUntil(b: RunningBroker, topic: string, n: number, o: { queueId?: number; offset?: number; group?: string } = {}, deadline = 15_000): Promise<MessageExt[]> {
  const out: MessageExt[] = [];
  let offset = o.offset ?? 0;
  const until = Date.now() + deadline;
  while (out.length < n) {
    if (Date.now() > until) throw new Error(`only ${out.length} of ${n} messages in ${topic}`);
    const r = await pull(b, topic, { queueId: o.queueId ?? 0, offset, group: o.group ?? 'CG', suspendTimeoutMillis: 1000 });
    if (r.code === ResponseCode.SUCCESS) {
      out.push(...decodeMessages(r.body!));
      offset = decodeHeader(r, PullMessageResponseHeader).nextBeginOffset;
    } else if (r.code === ResponseCode.PULL_OFFSET_MOVED || r.code === ResponseCode.PULL_RETRY_IMMEDIATELY) {
      offset = decodeHeader(r, PullMessageResponseHeader).nextBeginOffset;
    }
  }
  return out;
}

/** Every record of a queue, read from the store (system queues that cannot be pulled). */
async function storedIn(b: RunningBroker, topic: string, queueId = 0): Promise<MessageExt[]> {
  const r = await b.broker.store.getMessage(TRANS_CHECK_GROUP, topic, queueId, 0, 64);
  return r.messageBufferList.flatMap((buf) => decodeMessages(buf));
}

async function countIn(b: RunningBroker, topic: string, queueId = 0): Promise<number> {
  return b.broker.store.getMaxOffsetInQueue(topic, queueId);
}

function sendResult(r: RemotingCommand): { msgId: string; queueId: number; queueOffset: number } {
  expect(r.code).toBe(ResponseCode.SUCCESS);
  return decodeHeader(r, SendMessageResponseHeader);
}

describe('ScheduleMessageService', () => {
  it('parks a DELAY message in SCHEDULE_TOPIC_XXXX queue level-1 and delivers it to its real topic and queue when due', async () => {
    rb = await startBroker({ memory: false, overrides: { messageDelayLevel: '1s 2s 3s' } });
    const sentAt = Date.now();
    const parked = sendResult(await send(rb, 'DelayT', 'later', { queueId: 2, tags: 'TagD', keys: 'k1 k2', properties: { DELAY: '2', color: 'red', UNIQ_KEY: 'U1' } }));
    // Answered with the queue the producer chose, not the schedule queue (as 4.9.8).
    expect(parked.queueId).toBe(2);
    // Parked, not visible in the real topic.
    expect(await countIn(rb, SCHEDULE_TOPIC, 1)).toBe(1);
    expect(await countIn(rb, 'DelayT', 2)).toBe(0);
    const [delivered] = await pullUntil(rb, 'DelayT', 1, { queueId: 2 });
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1900);
    expect(delivered!.body.toString()).toBe('later');
    expect(delivered!.queueId).toBe(2);
    expect(delivered!.tags).toBe('TagD');
    expect(delivered!.properties.get('KEYS')).toBe('k1 k2');
    expect(delivered!.properties.get('UNIQ_KEY')).toBe('U1');
    expect(delivered!.properties.get('color')).toBe('red');
    // As 4.9.8 stores it: the parked properties string unchanged (REAL_* and DELAY kept).
    expect(delivered!.properties.get(MessageConst.PROPERTY_REAL_TOPIC)).toBe('DelayT');
    // Tag filtering works on the delivered record (tagsCode is the tag hash again).
    const byTag = await pull(rb, 'DelayT', { queueId: 2, subscription: 'TagD', suspendTimeoutMillis: 0 });
    expect(byTag.code).toBe(ResponseCode.SUCCESS);
    await rb.broker.ctx.delayOffsetTable.persist();
    expect(readFileSync(join(rb.dir, 'config', 'delayOffset.json'), 'utf8')).toMatch(/2:1/);
  });

  it('moves a level offset beyond its queue back into it at start (correctDelayOffset)', async () => {
    rb = await startBroker({ memory: false, overrides: { messageDelayLevel: '1s 2s' } });
    sendResult(await send(rb, 'DelayFix', 'x', { properties: { DELAY: '2' } }));
    rb.broker.ctx.delayOffsetTable.set(1, 99); // level 1 never held anything
    rb.broker.ctx.delayOffsetTable.set(2, 42);
    await rb.restart();
    rb.addr = rb.broker.brokerAddr;
    expect([rb.broker.ctx.delayOffsetTable.get(1), rb.broker.ctx.delayOffsetTable.get(2)]).toEqual([0, 1]);
  });

  it('clamps a level beyond the maximum to the last level', async () => {
    rb = await startBroker({ memory: false, overrides: { messageDelayLevel: '1s 2s' } });
    sendResult(await send(rb, 'DelayMax', 'x', { properties: { DELAY: '9' } }));
    expect(await countIn(rb, SCHEDULE_TOPIC, 1)).toBe(1);
  });

  it('delivers across a restart without losing or repeating messages', async () => {
    rb = await startBroker({ memory: false, overrides: { messageDelayLevel: '1s 3s' } });
    sendResult(await send(rb, 'DelayR', 'early', { properties: { DELAY: '1' } }));
    sendResult(await send(rb, 'DelayR', 'late', { properties: { DELAY: '2' } }));
    await pullUntil(rb, 'DelayR', 1);
    await rb.restart();
    rb.addr = rb.broker.brokerAddr;
    const all = await pullUntil(rb, 'DelayR', 2);
    expect(all.map((m) => m.body.toString())).toEqual(['early', 'late']);
    await sleep(1500);
    expect(await countIn(rb, 'DelayR')).toBe(2);
    expect(rb.broker.ctx.delayOffsetTable.get(1)).toBe(1);
    expect(rb.broker.ctx.delayOffsetTable.get(2)).toBe(1);
  });
});

describe('ScheduleMessageService after a crash', () => {
  it('does not deliver again what the previous run delivered without persisting its offset, and delivers what it had not', async () => {
    rb = await startBroker({ memory: false, overrides: { messageDelayLevel: '1s 2s' } });
    const sentAt = Date.now();
    sendResult(await send(rb, 'DelayLost', 'delivered before', { properties: { DELAY: '1', UNIQ_KEY: 'UA' } }));
    sendResult(await send(rb, 'DelayLost', 'due while down', { properties: { DELAY: '2', UNIQ_KEY: 'UB' } }));
    await pullUntil(rb, 'DelayLost', 1);
    // A crash right after the delivery: the progress never reached delayOffset.json.
    await rb.broker.ctx.scheduleMessageService.shutdown();
    rb.broker.ctx.delayOffsetTable.set(1, 0);
    rb.broker.ctx.delayOffsetTable.set(2, 0);
    await sleep(Math.max(0, sentAt + 2200 - Date.now()));
    await rb.restart();
    rb.addr = rb.broker.brokerAddr;
    const all = await pullUntil(rb, 'DelayLost', 2);
    await sleep(1200);
    expect(all.map((m) => m.body.toString())).toEqual(['delivered before', 'due while down']);
    expect(await countIn(rb, 'DelayLost')).toBe(2);
    expect([rb.broker.ctx.delayOffsetTable.get(1), rb.broker.ctx.delayOffsetTable.get(2)]).toEqual([1, 1]);
  });
});

describe('CONSUMER_SEND_MSG_BACK', () => {
  function sendBack(b: RunningBroker, msg: MessageExt, o: { delayLevel?: number; maxReconsumeTimes?: number } = {}): Promise<RemotingCommand> {
    const header = encodeHeader(
      { offset: msg.commitLogOffset, group: 'CG', delayLevel: o.delayLevel ?? 0, originMsgId: msg.msgId, originTopic: msg.topic, unitMode: false, maxReconsumeTimes: o.maxReconsumeTimes ?? 16 },
      ConsumerSendMsgBackRequestHeader,
    );
    return b.client.invokeSync(b.addr, RemotingCommand.createRequest(RequestCode.CONSUMER_SEND_MSG_BACK, header), 5000);
  }

  it('retries through %RETRY%<group> with growing reconsume times, then moves the message to %DLQ%<group>', async () => {
    rb = await startBroker({ memory: false, overrides: { messageDelayLevel: '1s 1s 1s 1s 1s 1s' } });
    const first = sendResult(await send(rb, 'RetryT', 'fail me', { tags: 'T', keys: 'rk', properties: { UNIQ_KEY: 'UQ' } }));
    let [msg] = await pullUntil(rb, 'RetryT', 1);
    for (let attempt = 1; attempt <= 2; attempt++) {
      expect((await sendBack(rb, msg!, { maxReconsumeTimes: 2 })).code).toBe(ResponseCode.SUCCESS);
      // Level 3 + reconsumeTimes: parked in SCHEDULE_TOPIC_XXXX queue 2 + (attempt - 1).
      expect(await countIn(rb, SCHEDULE_TOPIC, 2 + attempt - 1)).toBe(1);
      [msg] = await pullUntil(rb, '%RETRY%CG', 1, { offset: attempt - 1 });
      expect(msg!.reconsumeTimes).toBe(attempt);
      expect(msg!.properties.get(MessageConst.PROPERTY_RETRY_TOPIC)).toBe('RetryT');
      expect(msg!.properties.get(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID)).toBe(first.msgId);
      expect(msg!.properties.get('UNIQ_KEY')).toBe('UQ');
    }
    const retry = rb.broker.ctx.topicConfigManager.selectTopicConfig('%RETRY%CG')!;
    expect(retry.readQueueNums).toBe(rb.broker.ctx.subscriptionGroupManager.findSubscriptionGroupConfig('CG')!.retryQueueNums);
    expect((await sendBack(rb, msg!, { maxReconsumeTimes: 2 })).code).toBe(ResponseCode.SUCCESS);
    const [dead] = await pullUntil(rb, '%DLQ%CG', 1);
    expect(dead!.reconsumeTimes).toBe(3);
    expect(dead!.properties.has(MessageConst.PROPERTY_DELAY_TIME_LEVEL)).toBe(false);
    const dlq = rb.broker.ctx.topicConfigManager.selectTopicConfig('%DLQ%CG')!;
    expect(dlq.perm).toBe(PermName.PERM_READ | PermName.PERM_WRITE);
    expect(dlq.readQueueNums).toBe(1);
  });

  it('takes maxReconsumeTimes from the group config when the client is older than 3.4.9', async () => {
    rb = await startBroker({ memory: false, overrides: { messageDelayLevel: '1s 1s 1s 1s' } });
    const groups = rb.broker.ctx.subscriptionGroupManager;
    groups.updateSubscriptionGroupConfig({ ...groups.findSubscriptionGroupConfig('CG')!, retryMaxTimes: 0 });
    sendResult(await send(rb, 'RetryOld', 'x'));
    const [msg] = await pullUntil(rb, 'RetryOld', 1);
    const old = await (async () => {
      const header = encodeHeader(
        { offset: msg!.commitLogOffset, group: 'CG', delayLevel: 0, originMsgId: msg!.msgId, originTopic: msg!.topic, unitMode: false, maxReconsumeTimes: 16 },
        ConsumerSendMsgBackRequestHeader,
      );
      const request = RemotingCommand.createRequest(RequestCode.CONSUMER_SEND_MSG_BACK, header);
      request.version = MQVersion.V3_4_9 - 1; // the header's maxReconsumeTimes is ignored
      return rb!.client.invokeSync(rb!.addr, request, 5000);
    })();
    expect(old.code).toBe(ResponseCode.SUCCESS);
    expect(await countIn(rb, '%DLQ%CG')).toBe(1);
    expect((await sendBack(rb, msg!, { maxReconsumeTimes: 5 })).code).toBe(ResponseCode.SUCCESS);
    expect(await countIn(rb, SCHEDULE_TOPIC, 2)).toBe(1); // a current client's own limit wins
  });

  it('uses the delay level the client asks for and sends a negative level straight to the DLQ', async () => {
    rb = await startBroker({ memory: false, overrides: { messageDelayLevel: '1s 1s 1s 1s 1s' } });
    sendResult(await send(rb, 'RetryL', 'x'));
    const [msg] = await pullUntil(rb, 'RetryL', 1);
    expect((await sendBack(rb, msg!, { delayLevel: 5 })).code).toBe(ResponseCode.SUCCESS);
    expect(await countIn(rb, SCHEDULE_TOPIC, 4)).toBe(1);
    expect((await sendBack(rb, msg!, { delayLevel: -1 })).code).toBe(ResponseCode.SUCCESS);
    expect(await countIn(rb, '%DLQ%CG')).toBe(1);
  });
});

const TX_GROUP = 'PG_tx';

function halfRequest(topic: string, body: string, keys: string, uniq: string): RemotingCommand {
  const r = sendRequest(topic, body, { keys, tags: 'TxTag', producerGroup: TX_GROUP, properties: { TRAN_MSG: 'true', PGROUP: TX_GROUP, UNIQ_KEY: uniq } });
  r.extFields!.f = String(MessageSysFlag.TRANSACTION_PREPARED_TYPE); // SEND_MESSAGE_V2's short key of sysFlag
  return r;
}

function endTransaction(sent: { msgId: string; queueOffset: number }, kind: number, o: { group?: string; fromCheck?: boolean; uniq?: string } = {}): RemotingCommand {
  return RemotingCommand.createRequest(
    RequestCode.END_TRANSACTION,
    encodeHeader(
      {
        producerGroup: o.group ?? TX_GROUP,
        tranStateTableOffset: sent.queueOffset,
        commitLogOffset: decodeOffsetMessageId(sent.msgId).commitLogOffset,
        commitOrRollback: kind,
        fromTransactionCheck: o.fromCheck ?? false,
        msgId: o.uniq ?? 'u',
      },
      EndTransactionRequestHeader,
    ),
  );
}

describe('transactions', () => {
  it('keeps a half message out of its topic; COMMIT delivers a copy, ROLLBACK only records the op', async () => {
    rb = await startBroker({ memory: false, overrides: { transactionCheckInterval: 600_000 } });
    const c = sendResult(await rb.client.invokeSync(rb.addr, halfRequest('TxT', 'commit me', 'tx-commit', 'UC'), 5000));
    const r = sendResult(await rb.client.invokeSync(rb.addr, halfRequest('TxT', 'roll me back', 'tx-rollback', 'UR'), 5000));
    expect([c.queueOffset, r.queueOffset]).toEqual([0, 1]);
    expect(await countIn(rb, HALF_TOPIC)).toBe(2);
    expect(await countIn(rb, 'TxT')).toBe(0);
    const half = readStoredMessage(rb.broker.store.lookMessageByOffset(decodeOffsetMessageId(c.msgId).commitLogOffset)!, rb.broker.ctx.storeHost);
    expect(half.sysFlag).toBe(0);
    expect(string2messageProperties(half.propertiesString).get('REAL_TOPIC')).toBe('TxT');

    // Wrong producer group: refused with RocketMQ's remark (answered when not sent oneway).
    const wrong = await rb.client.invokeSync(rb.addr, endTransaction(c, MessageSysFlag.TRANSACTION_COMMIT_TYPE, { group: 'other' }), 5000);
    expect([wrong.code, wrong.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'The producer group wrong']);

    expect((await rb.client.invokeSync(rb.addr, endTransaction(c, MessageSysFlag.TRANSACTION_COMMIT_TYPE), 5000)).code).toBe(ResponseCode.SUCCESS);
    expect((await rb.client.invokeSync(rb.addr, endTransaction(r, MessageSysFlag.TRANSACTION_ROLLBACK_TYPE), 5000)).code).toBe(ResponseCode.SUCCESS);
    const [committed] = await pullUntil(rb, 'TxT', 1);
    expect(committed!.body.toString()).toBe('commit me');
    expect(committed!.sysFlag & 0xc).toBe(MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    expect(committed!.preparedTransactionOffset).toBe(half.commitLogOffset);
    expect(await countIn(rb, 'TxT')).toBe(1);
    // The op topic has no topic config (as in 4.9.8), so it is read from the store.
    const ops = await storedIn(rb, OP_HALF_TOPIC);
    expect(ops.map((m) => [m.body.toString(), m.tags])).toEqual([
      ['0', 'd'],
      ['1', 'd'],
    ]);
  });

  it('checks an unresolved half message back with a live producer, which commits it', async () => {
    rb = await startBroker({ memory: false, overrides: { transactionCheckInterval: 300, transactionTimeOut: 200 } });
    const producer = new RemotingClient({ logger: quiet });
    const checks: { header: CheckTransactionStateRequestHeader; body: MessageExt }[] = [];
    producer.registerProcessor(RequestCode.CHECK_TRANSACTION_STATE, (_ch, req) => {
      checks.push({ header: decodeHeader(req, CheckTransactionStateRequestHeader), body: decodeMessages(req.body!)[0]! });
      return null;
    });
    const heartbeat = JSON.stringify({ clientID: '127.0.0.1@tx', producerDataSet: [{ groupName: TX_GROUP }], consumerDataSet: [] });
    try {
      expect((await producer.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, Buffer.from(heartbeat)), 5000)).code).toBe(0);
      const sent = sendResult(await producer.invokeSync(rb.addr, halfRequest('TxCheck', 'unknown at first', 'k', 'UK'), 5000));
      await producer.invokeOneway(rb.addr, endTransaction(sent, MessageSysFlag.TRANSACTION_NOT_TYPE).markOneway());
      // First check: the producer does not know yet (UNKNOW = no answer); a second check follows.
      for (let i = 0; i < 200 && checks.length < 2; i++) await sleep(50);
      expect(checks.length).toBeGreaterThanOrEqual(2);
      const first = checks[0]!;
      expect(first.header.msgId).toBe('UK');
      expect(first.body.topic).toBe('TxCheck');
      expect(first.body.body.toString()).toBe('unknown at first');
      expect(first.body.properties.get(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES)).toBe('1');
      const last = checks.at(-1)!;
      expect(Number(last.body.properties.get(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES))).toBeGreaterThanOrEqual(2);
      const commit = endTransaction({ msgId: last.header.offsetMsgId!, queueOffset: last.header.tranStateTableOffset }, MessageSysFlag.TRANSACTION_COMMIT_TYPE, { fromCheck: true, uniq: 'UK' });
      expect((await producer.invokeSync(rb.addr, commit, 5000)).code).toBe(ResponseCode.SUCCESS);
      const [m] = await pullUntil(rb, 'TxCheck', 1);
      expect(m!.body.toString()).toBe('unknown at first');
      // Resolved: no more checks after the op record was seen.
      await sleep(800);
      const settled = checks.length;
      await sleep(800);
      expect(checks.length).toBe(settled);
      expect(await countIn(rb, 'TxCheck')).toBe(1);
    } finally {
      await producer.close();
    }
  });

  it('sets a half message aside in TRANS_CHECK_MAX_TIME_TOPIC after transactionCheckMax checks', async () => {
    rb = await startBroker({ memory: false, overrides: { transactionCheckInterval: 100, transactionTimeOut: 50, transactionCheckMax: 2 } });
    sendResult(await rb.client.invokeSync(rb.addr, halfRequest('TxMax', 'nobody answers', 'k', 'UM'), 5000));
    for (let i = 0; i < 100 && (await countIn(rb, CHECK_MAX_TIME_TOPIC)) === 0; i++) await sleep(50);
    expect(await countIn(rb, CHECK_MAX_TIME_TOPIC)).toBe(1);
    expect(rb.broker.ctx.transactionalMessageService.discarded).toBe(1);
    expect(await countIn(rb, HALF_TOPIC)).toBe(3); // the original and two re-puts (check times 1 and 2)
    await sleep(400);
    expect(await countIn(rb, CHECK_MAX_TIME_TOPIC)).toBe(1);
    expect(await countIn(rb, 'TxMax')).toBe(0);

    // RESUME_CHECK_HALF_MESSAGE puts it back with its check count reset: checked twice more, set aside again.
    const [discarded] = await storedIn(rb, CHECK_MAX_TIME_TOPIC);
    expect(discarded!.properties.get('REAL_TOPIC')).toBe('TxMax');
    const resume = (msgId: string) => rb!.client.invokeSync(rb!.addr, RemotingCommand.createRequest(RequestCode.RESUME_CHECK_HALF_MESSAGE, { msgId }), 5000);
    expect((await resume('not-an-id')).code).toBe(ResponseCode.SYSTEM_ERROR);
    expect((await resume(discarded!.offsetMsgId)).code).toBe(ResponseCode.SUCCESS);
    for (let i = 0; i < 100 && (await countIn(rb, CHECK_MAX_TIME_TOPIC)) < 2; i++) await sleep(50);
    expect(await countIn(rb, CHECK_MAX_TIME_TOPIC)).toBe(2);
    expect(await countIn(rb, HALF_TOPIC)).toBe(6);
  });
});

describe('RebalanceLockManager on the broker', () => {
  it('gives a queue to one client of a group at a time and frees it when that consumer leaves', async () => {
    rb = await startBroker();
    const mq = { topic: 'OrderT', brokerName: 'broker-a', queueId: 0 };
    const lock = (c: RemotingClient, clientId: string) =>
      c.invokeSync(rb!.addr, RemotingCommand.createRequest(RequestCode.LOCK_BATCH_MQ, undefined, Buffer.from(JSON.stringify({ consumerGroup: 'OG', clientId, mqSet: [mq] }))), 5000);
    const hb = (c: RemotingClient, clientId: string) =>
      c.invokeSync(rb!.addr, RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, Buffer.from(JSON.stringify({
        clientID: clientId,
        producerDataSet: [],
        consumerDataSet: [{ groupName: 'OG', consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', unitMode: false, subscriptionDataSet: [{ topic: 'OrderT', subString: '*', classFilterMode: false, tagsSet: [], codeSet: [], subVersion: 1, expressionType: 'TAG' }] }],
      }))), 5000);
    const a = new RemotingClient({ logger: quiet });
    const b = new RemotingClient({ logger: quiet });
    try {
      await hb(a, 'A');
      await hb(b, 'B');
      const held = (r: RemotingCommand) => (JSON.parse(r.body!.toString()) as { lockOKMQSet: unknown[] }).lockOKMQSet.length;
      expect(held(await lock(a, 'A'))).toBe(1);
      expect(held(await lock(b, 'B'))).toBe(0);
      expect(held(await lock(a, 'A'))).toBe(1); // renewal
      await a.close();
      for (let i = 0; i < 100 && rb.broker.rebalanceLockManager.lockHolder('OG', mq) === 'A'; i++) await sleep(20);
      expect(held(await lock(b, 'B'))).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
