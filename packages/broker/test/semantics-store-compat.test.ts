/**
 * The records rockit writes for delayed, retried and transactional messages against the ones Apache RocketMQ
 * 4.9.8 wrote in the store fixture: the same sends (same topics, queues, keys, bodies, UNIQ_KEYs, cluster name)
 * must give records equal field by field — size, sysFlag, properties string byte for byte, consume-queue tagsCode
 * rule, transaction offsets — so a store moves between the two brokers.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageSysFlag, NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR, decodeMessage, decodeOffsetMessageId, parseDelayLevels, readStoredMessageHeader } from '@rockit/common';
import { ConsumerSendMsgBackRequestHeader, EndTransactionRequestHeader, PullMessageResponseHeader, RemotingClient, RemotingCommand, RequestCode, SendMessageResponseHeader, decodeHeader, encodeHeader } from '@rockit/remoting';
import { SCHEDULE_TOPIC, type MessageFilter } from '@rockit/store';
import { BrokerController, HALF_TOPIC, OP_HALF_TOPIC } from '@rockit/broker';
import { FIXTURE_BROKER_CONF, FIXTURE_DIR, tempDir } from './helpers.js';
import { pull, quiet, sendRequest, startBroker, type RunningBroker } from './runtime-helpers.js';

interface ExpectedRecord {
  kind: string;
  topic: string;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  storeSize: number;
  tagsCode: number;
  keys: string | null;
  uniqKey: string | null;
  properties: Record<string, string>;
  propertiesRaw: string;
  sysFlag: number;
  flag: number;
  bodyCRC: number;
  body: string;
  bornTimestamp: number;
  bornHost: string;
  storeTimestamp: number;
  storeHost: string;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
}

const expected = (JSON.parse(readFileSync(join(FIXTURE_DIR, 'expected.json'), 'utf8')) as { messages: ExpectedRecord[] }).messages;
const SEMANTIC_KINDS = new Set(['delay-scheduled', 'delay-delivered', 'transaction-half', 'transaction-commit', 'transaction-op', 'retry-scheduled', 'retry-delivered']);
const wanted = expected.filter((m) => SEMANTIC_KINDS.has(m.kind));
const byKey = (topic: string, keys: string | null) => expected.find((m) => m.topic === topic && m.keys === keys)!;

/** The properties a producer sent for a fixture record: its stored ones minus what brokers add, in stored order. */
function producerProps(rec: ExpectedRecord, drop: string[] = []): string {
  const gone = new Set(['CLUSTER', 'REAL_TOPIC', 'REAL_QID', ...drop]);
  return rec.propertiesRaw
    .split(PROPERTY_SEPARATOR)
    .filter((kv) => !gone.has(kv.split(NAME_VALUE_SEPARATOR)[0]!))
    .join(PROPERTY_SEPARATOR);
}

function rawSend(b: RunningBroker, topic: string, queueId: number, body: string, properties: string, sysFlag = 0, producerGroup = 'FxProducerGroup'): Promise<RemotingCommand> {
  const r = sendRequest(topic, body, { queueId, producerGroup });
  r.extFields!.i = properties; // SEND_MESSAGE_V2's short keys: i = properties, f = sysFlag
  r.extFields!.f = String(sysFlag);
  return b.client.invokeSync(b.addr, r, 5000);
}

interface OurRecord {
  topic: string;
  queueId: number;
  queueOffset: number;
  tagsCode: number;
  record: Buffer;
}

/** Every record of a queue with its consume-queue tagsCode (seen through a filter that accepts all). */
async function readQueue(b: RunningBroker, topic: string, queueId: number): Promise<OurRecord[]> {
  const codes: number[] = [];
  const filter: MessageFilter = {
    isMatchedByConsumeQueue: (tagsCode) => (codes.push(tagsCode ?? 0), true),
    isMatchedByCommitLog: () => true,
  };
  const r = await b.broker.store.getMessage('compat', topic, queueId, 0, 32, filter);
  return r.messageBufferList.map((record, i) => ({ topic, queueId, queueOffset: r.messageQueueOffsets[i]!, tagsCode: codes[i]!, record }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('delayed, retried and transactional records against RocketMQ 4.9.8', () => {
  let rb: RunningBroker;
  const ours = new Map<string, OurRecord>();
  const levels = parseDelayLevels('1s 1s 1s');
  let originalOffsetMsgId = '';

  beforeAll(async () => {
    rb = await startBroker({
      memory: false,
      overrides: { brokerClusterName: 'FixtureCluster', messageDelayLevel: '1s 1s 1s', transactionCheckInterval: 600_000 },
    });
    // 2.5: two delayed sends.
    for (const [q, keys] of [[0, 'delay-0'], [1, 'delay-1']] as const) {
      const rec = byKey(SCHEDULE_TOPIC, keys);
      expect((await rawSend(rb, 'FxDelay', q, rec.body, producerProps(rec))).code).toBe(0);
    }
    // 2.6: commit and rollback of two half messages.
    const halves = [];
    for (const keys of ['tx-commit', 'tx-rollback']) {
      const rec = byKey(HALF_TOPIC, keys);
      const r = await rawSend(rb, 'FxTx', 0, rec.body, producerProps(rec), MessageSysFlag.TRANSACTION_PREPARED_TYPE, 'FxTxGroup');
      expect(r.code).toBe(0);
      halves.push(decodeHeader(r, SendMessageResponseHeader));
    }
    for (const [i, kind] of [[0, MessageSysFlag.TRANSACTION_COMMIT_TYPE], [1, MessageSysFlag.TRANSACTION_ROLLBACK_TYPE]] as const) {
      const h = halves[i]!;
      const header = encodeHeader(
        { producerGroup: 'FxTxGroup', tranStateTableOffset: h.queueOffset, commitLogOffset: decodeOffsetMessageId(h.msgId).commitLogOffset, commitOrRollback: kind, fromTransactionCheck: false, msgId: 'x' },
        EndTransactionRequestHeader,
      );
      expect((await rb.client.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.END_TRANSACTION, header), 5000)).code).toBe(0);
    }
    // 2.9: k7 of FxBasic (queue 3) consumed with RECONSUME_LATER once.
    const k7 = expected.find((m) => m.topic === 'FxBasic' && m.keys === 'k7 order-2')!;
    const sent = await rawSend(rb, 'FxBasic', 3, k7.body, `${producerProps(k7)}${PROPERTY_SEPARATOR}WAIT${NAME_VALUE_SEPARATOR}true`);
    originalOffsetMsgId = decodeHeader(sent, SendMessageResponseHeader).msgId;
    const pulled = await pull(rb, 'FxBasic', { group: 'FxGroup', queueId: 3, suspendTimeoutMillis: 0 });
    expect(decodeHeader(pulled, PullMessageResponseHeader).nextBeginOffset).toBe(1);
    const back = encodeHeader(
      { offset: decodeOffsetMessageId(originalOffsetMsgId).commitLogOffset, group: 'FxGroup', delayLevel: 0, originMsgId: k7.uniqKey!, originTopic: 'FxBasic', unitMode: false, maxReconsumeTimes: 16 },
      ConsumerSendMsgBackRequestHeader,
    );
    expect((await rb.client.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.CONSUMER_SEND_MSG_BACK, back), 5000)).code).toBe(0);
    // Wait for the deliveries (1 s levels).
    for (let i = 0; i < 100 && rb.broker.store.getMaxOffsetInQueue('%RETRY%FxGroup', 0) + rb.broker.store.getMaxOffsetInQueue('FxDelay', 1) < 2; i++) await sleep(50);
    for (const rec of wanted) {
      for (const r of await readQueue(rb, rec.topic, rec.queueId)) ours.set(`${r.topic}/${r.queueId}/${r.queueOffset}`, r);
    }
  }, 30_000);

  afterAll(() => rb?.stop());

  it.each(wanted.map((w) => [w.kind, w.topic, w.queueId, w.queueOffset, w] as const))('%s %s/%d/%d matches field by field', (_kind, topic, queueId, queueOffset, want) => {
    const mine = ours.get(`${topic}/${queueId}/${queueOffset}`);
    expect(mine, 'record written').toBeDefined();
    const m = decodeMessage(mine!.record, 0, { decompress: false });
    const raw = mine!.record;
    // Properties string byte for byte; ORIGIN_MESSAGE_ID names our own original record (same length).
    const ourProps = raw.toString('utf8', raw.length - Buffer.byteLength(want.propertiesRaw), raw.length);
    const wantProps = want.propertiesRaw.replace(want.properties.ORIGIN_MESSAGE_ID ?? '\u0000', originalOffsetMsgId);
    expect(ourProps).toBe(wantProps);
    expect(m.storeSize).toBe(want.storeSize);
    expect(m.sysFlag).toBe(want.sysFlag);
    expect(m.flag).toBe(want.flag);
    expect(m.bodyCRC).toBe(want.bodyCRC);
    expect(m.body.toString('utf8')).toBe(want.body);
    expect(m.reconsumeTimes).toBe(want.reconsumeTimes);
    if (want.kind === 'transaction-commit') {
      const half = ours.get(`${HALF_TOPIC}/0/0`)!;
      expect(m.preparedTransactionOffset).toBe(decodeMessage(half.record).commitLogOffset);
      expect(m.bornTimestamp).toBe(decodeMessage(half.record).bornTimestamp);
    } else {
      expect(m.preparedTransactionOffset).toBe(want.preparedTransactionOffset);
    }
    if (want.kind === 'transaction-op') {
      // Born at the broker itself.
      expect(m.bornHost).toEqual(m.storeHost);
    }
    if (topic === SCHEDULE_TOPIC) {
      // tagsCode = delivery time: store time + the level's delay.
      const level = Number(want.properties.DELAY);
      expect(want.tagsCode - want.storeTimestamp).toBe([1000, 5000, 10_000][level - 1]);
      expect(mine!.tagsCode - m.storeTimestamp).toBe(levels[level - 1]);
    } else {
      expect(mine!.tagsCode).toBe(want.tagsCode);
    }
  });

  it('keeps the op topic out of topics.json and the half topic in it once checked, as 4.9.8 does', async () => {
    expect(rb.broker.ctx.topicConfigManager.selectTopicConfig(OP_HALF_TOPIC)).toBeUndefined();
    await rb.broker.ctx.transactionalMessageService.check();
    expect(rb.broker.ctx.topicConfigManager.selectTopicConfig(HALF_TOPIC)?.perm).toBe(6);
  });
});

describe('CHECK_TRANSACTION_STATE against the one a 4.9.8 broker sent (wire fixture)', () => {
  interface Frame {
    code: number;
    hex: string;
    header: { extFields: Record<string, string> };
  }
  const WIRE = fileURLToPath(new URL('../../../../shared/fixtures/wire/frames.jsonl', import.meta.url));
  const frame = readFileSync(WIRE, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Frame)
    .find((f) => f.code === RequestCode.CHECK_TRANSACTION_STATE && f.header.extFields.offsetMsgId?.startsWith('7F') && f.hex.includes(Buffer.from('WireBin').toString('hex')))!;
  const javaBody = (() => {
    const raw = Buffer.from(frame.hex, 'hex');
    return raw.subarray(8 + (raw.readInt32BE(4) & 0xffffff));
  })();
  const java = decodeMessage(javaBody, 0, { decompress: false });
  const readStoredProps = (buf: Buffer): string => readStoredMessageHeader(buf, 0).propertiesString;
  const javaProps = readStoredProps(javaBody);

  it('has the same header fields and a body with the same size, position fields and properties bytes', async () => {
    const rb = await startBroker({ memory: false, overrides: { brokerClusterName: 'DefaultCluster', transactionCheckInterval: 200, transactionTimeOut: 100 } });
    const producer = new RemotingClient({ logger: quiet });
    try {
      const checks: RemotingCommand[] = [];
      producer.registerProcessor(RequestCode.CHECK_TRANSACTION_STATE, (_ch, req) => (checks.push(req), null));
      const group = java.properties.get('PGROUP')!;
      const hb = JSON.stringify({ clientID: '127.0.0.1@wire', producerDataSet: [{ groupName: group }], consumerDataSet: [] });
      expect((await producer.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, Buffer.from(hb)), 5000)).code).toBe(0);
      // What the Java producer sent: the check's properties without the broker's additions, WAIT=true.
      const sentProps = javaProps
        .split(PROPERTY_SEPARATOR)
        .filter((kv) => !['REAL_TOPIC', 'REAL_QID', 'CLUSTER', 'TRANSACTION_CHECK_TIMES'].includes(kv.split(NAME_VALUE_SEPARATOR)[0]!))
        .map((kv) => (kv.startsWith(`WAIT${NAME_VALUE_SEPARATOR}`) ? `WAIT${NAME_VALUE_SEPARATOR}true` : kv))
        .join(PROPERTY_SEPARATOR);
      const r = sendRequest(java.topic, java.body, { queueId: java.queueId, producerGroup: group });
      r.extFields!.i = sentProps;
      r.extFields!.f = String(MessageSysFlag.TRANSACTION_PREPARED_TYPE);
      const sent = decodeHeader(await producer.invokeSync(rb.addr, r, 5000), SendMessageResponseHeader);
      const halfStoreTimestamp = decodeMessage(rb.broker.store.lookMessageByOffset(decodeOffsetMessageId(sent.msgId).commitLogOffset)!).storeTimestamp;
      for (let i = 0; i < 100 && checks.length === 0; i++) await sleep(50);
      const check = checks[0]!;
      expect(Object.keys(check.extFields!).sort()).toEqual(Object.keys(frame.header.extFields).sort());
      const ext = check.extFields!;
      expect(ext.msgId).toBe(java.properties.get('UNIQ_KEY'));
      expect(ext.transactionId).toBe(ext.msgId);
      const body = check.body!;
      const ours = decodeMessage(body, 0, { decompress: false });
      expect(body.length).toBe(javaBody.length);
      expect(body.readInt32BE(0)).toBe(body.length);
      expect(readStoredProps(body)).toBe(javaProps);
      expect([ours.topic, ours.queueId, ours.sysFlag, ours.reconsumeTimes, ours.flag]).toEqual([java.topic, java.queueId, java.sysFlag, java.reconsumeTimes, java.flag]);
      // The re-put half's position, the original half's store time (as 4.9.8).
      expect(ours.queueOffset).toBe(Number(ext.tranStateTableOffset));
      expect(ours.queueOffset).toBe(1);
      expect(ours.commitLogOffset).toBe(Number(ext.commitLogOffset));
      expect(decodeOffsetMessageId(ext.offsetMsgId!).commitLogOffset).toBe(ours.commitLogOffset);
      expect(ours.storeTimestamp).toBe(halfStoreTimestamp);
    } finally {
      await producer.close();
      await rb.stop();
    }
  });
});

describe('a rockit broker on the store RocketMQ 4.9.8 left behind', () => {
  it('resumes the schedule and transaction progress where the Java broker stopped: nothing delivered or checked twice', async () => {
    const { dir, cleanup } = tempDir('rockit-sem-fixture-');
    cpSync(join(FIXTURE_DIR, 'store'), join(dir, 'store'), { recursive: true });
    const broker = new BrokerController({
      configFile: FIXTURE_BROKER_CONF,
      overrides: { storePathRootDir: join(dir, 'store'), listenPort: 0, namesrvAddr: '', transactionCheckInterval: 600_000 },
      logger: quiet,
    });
    await broker.start();
    try {
      const store = broker.store;
      const count = (topic: string, q = 0) => store.getMaxOffsetInQueue(topic, q);
      expect([1, 2, 3].map((l) => broker.ctx.delayOffsetTable.get(l))).toEqual([1, 1, 1]);
      await sleep(1500); // the levels start 1 s after the broker
      expect([count('FxDelay', 0), count('FxDelay', 1), count('%RETRY%FxGroup')]).toEqual([1, 1, 1]);
      await broker.ctx.transactionalMessageService.check();
      expect(broker.ctx.transactionalMessageService.checksSent).toBe(0);
      expect([count('FxTx'), count(HALF_TOPIC), count(OP_HALF_TOPIC)]).toEqual([1, 2, 2]);
      // New delayed messages continue the Java broker's level queue.
      const client = new RemotingClient({ logger: quiet });
      try {
        const r = sendRequest('FxDelay', 'after the move', { queueId: 0, properties: { DELAY: '1' } });
        expect((await client.invokeSync(broker.brokerAddr, r, 5000)).code).toBe(0);
      } finally {
        await client.close();
      }
      expect(count(SCHEDULE_TOPIC, 0)).toBe(2);
      // Due after 1 s; a loaded machine may take longer, so wait for the outcome rather than a fixed time.
      for (let i = 0; i < 300 && (count('FxDelay', 0) < 2 || broker.ctx.delayOffsetTable.get(1) !== 2); i++) await sleep(50);
      expect(count('FxDelay', 0)).toBe(2);
      expect(broker.ctx.delayOffsetTable.get(1)).toBe(2);
    } finally {
      await broker.shutdown();
      cleanup();
    }
  });
});
