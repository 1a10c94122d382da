/**
 * Route bodies the name server hands out (protocol §5.1, §5.2, §5.7) and their fastjson encodings.
 * Property keys are written in fastjson's alphabetical order and nulls are left out, so our bytes
 * match a Java name server's for the same state.
 */

import type { BrokerData, QueueData, TopicRouteData } from '@rockit/common';

export type { BrokerData, QueueData, TopicRouteData } from '@rockit/common';

export interface ClusterInfo {
  brokerAddrTable: Map<string, BrokerData>;
  clusterAddrTable: Map<string, Iterable<string>>;
}

export interface TopicList {
  topicList: Iterable<string>;
  /** Set only in GET_SYSTEM_TOPIC_LIST_FROM_NS answers: one broker to ask for its own system topics. */
  brokerAddr?: string;
}

export function queueDataEquals(a: QueueData, b: QueueData): boolean {
  return (
    a.brokerName === b.brokerName &&
    a.readQueueNums === b.readQueueNums &&
    a.writeQueueNums === b.writeQueueNums &&
    a.perm === b.perm &&
    a.topicSysFlag === b.topicSysFlag
  );
}

export function cloneBrokerData(bd: BrokerData): BrokerData {
  return { cluster: bd.cluster, brokerName: bd.brokerName, brokerAddrs: new Map(bd.brokerAddrs) };
}

/**
 * fastjson's two map-key styles: 'native' writes Long keys bare (`{0:"addr"}`, what 4.9 clients and
 * GET_BROKER_CLUSTER_INFO get); 'standard' is BrowserCompatible JSON (`{"0":"addr"}`, non-ASCII as
 * \uXXXX), used for route data asked for with version >= V4_9_4 or acceptStandardJsonOnly.
 */
export type JsonStyle = 'native' | 'standard';

export function jsonString(s: string, style: JsonStyle = 'native'): string {
  const quoted = JSON.stringify(s);
  if (style === 'native') return quoted;
  return quoted.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

function stringArray(items: Iterable<string>, style: JsonStyle): string {
  const parts: string[] = [];
  for (const item of items) parts.push(jsonString(item, style));
  return `[${parts.join(',')}]`;
}

export function encodeQueueData(qd: QueueData, style: JsonStyle = 'native'): string {
  return (
    `{"brokerName":${jsonString(qd.brokerName, style)},"perm":${qd.perm},"readQueueNums":${qd.readQueueNums},` +
    `"topicSysFlag":${qd.topicSysFlag},"writeQueueNums":${qd.writeQueueNums}}`
  );
}

export function encodeBrokerData(bd: BrokerData, style: JsonStyle = 'native'): string {
  // Small Long ids sit in ascending buckets of Java's HashMap, and MapSortField sorts them: ascending either way.
  const ids = [...bd.brokerAddrs.keys()].sort((a, b) => a - b);
  const addrs = ids.map((id) => {
    const key = style === 'native' ? String(id) : `"${id}"`;
    return `${key}:${jsonString(bd.brokerAddrs.get(id) as string, style)}`;
  });
  return (
    `{"brokerAddrs":{${addrs.join(',')}},"brokerName":${jsonString(bd.brokerName, style)},` +
    `"cluster":${jsonString(bd.cluster, style)}}`
  );
}

export function encodeTopicRouteData(route: TopicRouteData, style: JsonStyle = 'native'): Buffer {
  const filterEntries = [...(route.filterServerTable ?? [])].map(
    ([addr, servers]) => `${jsonString(addr, style)}:${stringArray(servers, style)}`,
  );
  const order = route.orderTopicConf === undefined ? '' : `"orderTopicConf":${jsonString(route.orderTopicConf, style)},`;
  const json =
    `{"brokerDatas":[${route.brokerDatas.map((bd) => encodeBrokerData(bd, style)).join(',')}],` +
    `"filterServerTable":{${filterEntries.join(',')}},${order}` +
    `"queueDatas":[${route.queueDatas.map((qd) => encodeQueueData(qd, style)).join(',')}]}`;
  return Buffer.from(json, 'utf8');
}

/** GET_BROKER_CLUSTER_INFO body; always fastjson-native (bare brokerId keys), as Java sends it. */
export function encodeClusterInfo(info: ClusterInfo): Buffer {
  const brokers = [...info.brokerAddrTable].map(([name, bd]) => `${jsonString(name)}:${encodeBrokerData(bd)}`);
  const clusters = [...info.clusterAddrTable].map(([name, names]) => `${jsonString(name)}:${stringArray(names, 'native')}`);
  return Buffer.from(`{"brokerAddrTable":{${brokers.join(',')}},"clusterAddrTable":{${clusters.join(',')}}}`, 'utf8');
}

export function encodeTopicList(list: TopicList): Buffer {
  const addr = list.brokerAddr === undefined ? '' : `"brokerAddr":${jsonString(list.brokerAddr)},`;
  return Buffer.from(`{${addr}"topicList":${stringArray(list.topicList, 'native')}}`, 'utf8');
}

/** KVTable body: `{"table":{"key":"value"}}`. */
export function encodeKVTable(table: Iterable<[string, string]>): Buffer {
  const entries = [...table].map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`);
  return Buffer.from(`{"table":{${entries.join(',')}}}`, 'utf8');
}
