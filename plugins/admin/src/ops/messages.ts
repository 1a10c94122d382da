import { Message, MQClientError, PullSysFlag, type AdminClient, type MessageExt, type MessageQueue } from '@rockit/client/admin';
import { formatDate } from './targets.js';

/** A stored message as --json prints it (body as UTF-8 text). */
export interface MessageView {
  msgId: string;
  offsetMsgId: string;
  topic: string;
  tags?: string;
  keys: string[];
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  reconsumeTimes: number;
  bornTimestamp: number;
  storeTimestamp: number;
  bornHost: string;
  storeHost: string;
  sysFlag: number;
  properties: Record<string, string>;
  body: string;
}

export function toMessageView(m: MessageExt): MessageView {
  return {
    msgId: m.msgId,
    offsetMsgId: m.offsetMsgId,
    topic: m.topic,
    ...(m.tags !== undefined ? { tags: m.tags } : {}),
    keys: m.keys,
    queueId: m.queueId,
    queueOffset: m.queueOffset,
    commitLogOffset: m.commitLogOffset,
    reconsumeTimes: m.reconsumeTimes,
    bornTimestamp: m.bornTimestamp,
    storeTimestamp: m.storeTimestamp,
    bornHost: `${m.bornHost.address}:${m.bornHost.port}`,
    storeHost: `${m.storeHost.address}:${m.storeHost.port}`,
    sysFlag: m.sysFlag,
    properties: Object.fromEntries(m.properties),
    body: m.body.toString('utf8'),
  };
}

/** queryMsgById's detail block (`%-20s %s`), the body printed inline instead of written to a file. */
export function messageDetails(m: MessageView): [string, unknown][] {
  return [
    ['OffsetID:', m.offsetMsgId],
    ['Topic:', m.topic],
    ['Tags:', `[${m.tags ?? ''}]`],
    ['Keys:', `[${m.keys.join(' ')}]`],
    ['Queue ID:', m.queueId],
    ['Queue Offset:', m.queueOffset],
    ['CommitLog Offset:', m.commitLogOffset],
    ['Reconsume Times:', m.reconsumeTimes],
    ['Born Timestamp:', formatDate(m.bornTimestamp, true)],
    ['Store Timestamp:', formatDate(m.storeTimestamp, true)],
    ['Born Host:', m.bornHost],
    ['Store Host:', m.storeHost],
    ['System Flag:', m.sysFlag],
    ['Properties:', `{${Object.entries(m.properties).map(([k, v]) => `${k}=${v}`).join(', ')}}`],
    ['Message Body:', m.body],
  ];
}

/** queryMsgById: the offset message id names the broker; an id that does not decode is tried as a UNIQ_KEY on `topic`. */
export async function messageById(admin: AdminClient, msgId: string, topic?: string): Promise<MessageView[]> {
  if (/^[0-9A-Fa-f]{32}$/.test(msgId)) {
    try {
      return [toMessageView(await admin.viewMessage(msgId))];
    } catch (err) {
      if (topic === undefined) throw err;
    }
  }
  if (topic === undefined) throw new MQClientError(`${msgId} is not an offset message id; give the topic (-t) to look it up as a unique key`);
  return messageByUniqueKey(admin, topic, msgId);
}

export async function messageByUniqueKey(admin: AdminClient, topic: string, key: string): Promise<MessageView[]> {
  const found = await admin.queryMessageByUniqKey(topic, key);
  if (found.length === 0) throw new MQClientError(`no message with unique key ${key} in topic ${topic}`, 208);
  return found.map(toMessageView);
}

export async function messagesByKey(admin: AdminClient, topic: string, key: string, maxNum = 64, begin = 0, end = Number.MAX_SAFE_INTEGER): Promise<MessageView[]> {
  return (await admin.queryMessageByKey(topic, key, maxNum, begin, end)).map(toMessageView);
}

async function queueBrokerAddr(admin: AdminClient, topic: string, brokerName: string): Promise<string> {
  const route = await admin.getTopicRoute(topic);
  if (route === undefined) throw new MQClientError(`no route info of topic ${topic}`, 17);
  const addr = route.brokerDatas.find((bd) => bd.brokerName === brokerName)?.brokerAddrs.get(0);
  if (addr === undefined) throw new MQClientError(`the broker[${brokerName}] does not host topic ${topic}`);
  return addr;
}

/** Pulls up to `max` messages of one queue from `offset` (no suspend, no commit: a tool's read-only pull). */
export async function pullQueue(admin: AdminClient, mq: MessageQueue, offset: number, max: number, group = 'TOOLS_CONSUMER', subExpression = '*'): Promise<{ messages: MessageExt[]; nextBeginOffset: number; status: string }> {
  const addr = await queueBrokerAddr(admin, mq.topic, mq.brokerName);
  const result = await admin.clientInstance.api.pullMessage(
    addr,
    {
      consumerGroup: group,
      topic: mq.topic,
      queueId: mq.queueId,
      queueOffset: offset,
      maxMsgNums: Math.min(max, 32),
      sysFlag: PullSysFlag.FLAG_SUBSCRIPTION,
      commitOffset: 0,
      suspendTimeoutMillis: 0,
      subscription: subExpression,
      subVersion: 0,
      expressionType: 'TAG',
      bname: mq.brokerName,
    },
    10_000,
  );
  return { messages: result.msgFoundList, nextBeginOffset: result.nextBeginOffset, status: result.pullStatus };
}

/** The queues of a topic (read queues, from its route). */
export async function topicQueues(admin: AdminClient, topic: string, brokerName?: string, queueId?: number): Promise<MessageQueue[]> {
  const route = await admin.getTopicRoute(topic);
  if (route === undefined) throw new MQClientError(`no route info of topic ${topic}`, 17);
  const out: MessageQueue[] = [];
  for (const qd of [...route.queueDatas].sort((a, b) => a.brokerName.localeCompare(b.brokerName))) {
    if (brokerName !== undefined && qd.brokerName !== brokerName) continue;
    for (let q = 0; q < qd.readQueueNums; q++) if (queueId === undefined || q === queueId) out.push({ topic, brokerName: qd.brokerName, queueId: q });
  }
  if (out.length === 0) throw new MQClientError(`topic ${topic} has no queue${brokerName !== undefined ? ` on broker ${brokerName}` : ''}${queueId !== undefined ? ` with id ${queueId}` : ''}`);
  return out;
}

/** Every message of the queues between two store times (offsets found by time), at most `limit` in all. */
export async function readQueues(
  admin: AdminClient,
  queues: MessageQueue[],
  o: { begin?: number; end?: number; offset?: number; limit?: number; subExpression?: string; group?: string },
): Promise<MessageView[]> {
  const out: MessageView[] = [];
  const limit = o.limit ?? Number.MAX_SAFE_INTEGER;
  for (const mq of queues) {
    let offset = o.offset ?? (o.begin !== undefined ? await admin.searchOffset(mq, o.begin) : await admin.minOffset(mq));
    const end = o.end !== undefined ? await admin.searchOffset(mq, o.end) : await admin.maxOffset(mq);
    const max = o.end !== undefined ? end + 1 : end;
    while (offset < max && out.length < limit) {
      const r = await pullQueue(admin, mq, offset, Math.min(32, limit - out.length), o.group, o.subExpression);
      if (r.status !== 'FOUND') break;
      for (const m of r.messages) {
        if (o.end !== undefined && m.storeTimestamp > o.end) continue;
        if (o.begin !== undefined && m.storeTimestamp < o.begin) continue;
        out.push(toMessageView(m));
      }
      if (r.nextBeginOffset <= offset) break;
      offset = r.nextBeginOffset;
    }
    if (out.length >= limit) break;
  }
  return out.slice(0, limit);
}

export interface SendView {
  brokerName: string;
  queueId: number;
  sendStatus: string;
  msgId: string;
  offsetMsgId: string;
  queueOffset: number;
  rtMillis: number;
}

/** Sends `count` messages with one short-lived producer (sendMessage, checkMsgSendRT). */
export async function sendMessages(
  connection: { namesrvAddrs: string[]; timeoutMillis: number; credentials?: { accessKey: string; secretKey: string } },
  o: { topic: string; body: string | Buffer; keys?: string; tags?: string; brokerName?: string; queueId?: number; count?: number },
): Promise<SendView[]> {
  const { Producer } = await import('@rockit/client');
  const { namesrvAddrs, timeoutMillis, credentials } = connection;
  const producer = new Producer({
    namesrvAddr: namesrvAddrs,
    producerGroup: 'PID_SMSC',
    sendMsgTimeout: timeoutMillis,
    mqClientApiTimeout: timeoutMillis,
    ...(credentials !== undefined ? { credentials } : {}),
  });
  await producer.start();
  try {
    const out: SendView[] = [];
    for (let i = 0; i < (o.count ?? 1); i++) {
      const msg = new Message(o.topic, o.body, { ...(o.tags !== undefined ? { tags: o.tags } : {}), ...(o.keys !== undefined ? { keys: o.keys } : {}) });
      const options = o.brokerName !== undefined && o.queueId !== undefined ? { messageQueue: { topic: o.topic, brokerName: o.brokerName, queueId: o.queueId } } : {};
      const started = performance.now();
      const r = await producer.send(msg, options);
      out.push({
        brokerName: r.messageQueue.brokerName,
        queueId: r.messageQueue.queueId,
        sendStatus: r.sendStatus,
        msgId: r.msgId,
        offsetMsgId: r.offsetMsgId,
        queueOffset: r.queueOffset,
        rtMillis: performance.now() - started,
      });
    }
    return out;
  } finally {
    await producer.shutdown();
  }
}
