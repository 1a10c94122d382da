/** Topic routes as the name server hands them out (§5.1) and the queue lists clients derive from them. */
import { PermName, mapEntries, parseFastJson, isReadable, isWriteable, type TopicRouteData } from '@rockit/common';
import { MQClientError } from './errors.js';
import type { MessageQueue } from './message-queue.js';

export type { QueueData, BrokerData, TopicRouteData } from '@rockit/common';

/** Where a producer may send: the writable queues of a topic (RocketMQ `TopicPublishInfo`). */
export interface TopicPublishInfo {
  orderTopic: boolean;
  messageQueues: MessageQueue[];
  route: TopicRouteData;
}

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new MQClientError(`route data: ${what} is not an object`);
  return v as Record<string, unknown>;
}

/** Parses a GET_ROUTEINFO_BY_TOPIC body in fastjson-native or standard JSON form. */
export function decodeTopicRouteData(body: Buffer): TopicRouteData {
  const root = asObject(parseFastJson(body.toString('utf8')), 'the body');
  const queueDatas = ((root.queueDatas as unknown[] | undefined) ?? []).map((q) => {
    const o = asObject(q, 'queueData');
    return {
      brokerName: String(o.brokerName),
      readQueueNums: Number(o.readQueueNums ?? 0),
      writeQueueNums: Number(o.writeQueueNums ?? 0),
      perm: Number(o.perm ?? PermName.PERM_READ | PermName.PERM_WRITE),
      topicSysFlag: Number(o.topicSysFlag ?? 0),
    };
  });
  const brokerDatas = ((root.brokerDatas as unknown[] | undefined) ?? []).map((b) => {
    const o = asObject(b, 'brokerData');
    const addrs = new Map<number, string>();
    if (o.brokerAddrs != null) for (const [id, addr] of mapEntries(o.brokerAddrs)) addrs.set(Number(id), String(addr));
    return { cluster: String(o.cluster ?? ''), brokerName: String(o.brokerName), brokerAddrs: addrs };
  });
  const route: TopicRouteData = { queueDatas, brokerDatas };
  if (typeof root.orderTopicConf === 'string') route.orderTopicConf = root.orderTopicConf;
  return route;
}

/** Writable queues, brokers in name order, only brokers with a master (`topicRouteData2TopicPublishInfo`). */
export function toPublishInfo(topic: string, route: TopicRouteData): TopicPublishInfo {
  const messageQueues: MessageQueue[] = [];
  if (route.orderTopicConf) {
    for (const part of route.orderTopicConf.split(';')) {
      const [brokerName, nums] = part.split(':');
      for (let i = 0; i < Number(nums); i++) messageQueues.push({ topic, brokerName: brokerName!, queueId: i });
    }
    return { orderTopic: true, messageQueues, route };
  }
  const sorted = [...route.queueDatas].sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0));
  for (const qd of sorted) {
    if (!isWriteable(qd.perm)) continue;
    const bd = route.brokerDatas.find((b) => b.brokerName === qd.brokerName);
    if (bd?.brokerAddrs.get(0) === undefined) continue;
    for (let i = 0; i < qd.writeQueueNums; i++) messageQueues.push({ topic, brokerName: qd.brokerName, queueId: i });
  }
  return { orderTopic: false, messageQueues, route };
}

/** Readable queues (`topicRouteData2TopicSubscribeInfo`). */
export function toSubscribeQueues(topic: string, route: TopicRouteData): MessageQueue[] {
  const out: MessageQueue[] = [];
  for (const qd of route.queueDatas) {
    if (!isReadable(qd.perm)) continue;
    for (let i = 0; i < qd.readQueueNums; i++) out.push({ topic, brokerName: qd.brokerName, queueId: i });
  }
  return out;
}

/** Two routes equal in everything a client acts on. */
export function routeEquals(a: TopicRouteData, b: TopicRouteData): boolean {
  const key = (r: TopicRouteData) =>
    JSON.stringify([
      r.orderTopicConf ?? '',
      [...r.queueDatas].sort((x, y) => (x.brokerName < y.brokerName ? -1 : 1)),
      [...r.brokerDatas]
        .sort((x, y) => (x.brokerName < y.brokerName ? -1 : 1))
        .map((d) => [d.cluster, d.brokerName, [...d.brokerAddrs].sort((x, y) => x[0] - y[0])]),
    ]);
  return key(a) === key(b);
}
