import { MQClientError, type AdminClient, type TopicConfig } from '@rockit/client/admin';
import { brokerTargets } from './targets.js';

/** The name-server KV namespace of ordered-topic configs (`brokerName:queueNum;...`). */
export const ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG';

export interface TopicClusterRow {
  cluster: string;
  topic: string;
  consumerGroup: string;
}

/** topicList -c: one row per (cluster, topic, consuming group); a topic nobody consumes gets an empty group. */
export async function topicsByCluster(admin: AdminClient): Promise<TopicClusterRow[]> {
  const info = await admin.getClusterInfo();
  const rows: TopicClusterRow[] = [];
  for (const cluster of info.clusterAddrTable.keys()) {
    for (const topic of (await admin.getTopicsByCluster(cluster)).sort()) {
      let groups: string[] = [];
      if (!topic.startsWith('%RETRY%') && !topic.startsWith('%DLQ%')) {
        groups = await admin.queryTopicConsumeByWho(topic).catch(() => []);
      }
      if (groups.length === 0) rows.push({ cluster, topic, consumerGroup: '' });
      for (const consumerGroup of groups.sort()) rows.push({ cluster, topic, consumerGroup });
    }
  }
  return rows;
}

export interface TopicQueueStatus {
  brokerName: string;
  queueId: number;
  minOffset: number;
  maxOffset: number;
  lastUpdateTimestamp: number;
}

/** topicStatus: per queue, sorted by broker then queue id. */
export async function topicStatus(admin: AdminClient, topic: string): Promise<TopicQueueStatus[]> {
  const stats = await admin.examineTopicStats(topic);
  return [...stats.entries()]
    .map(([mq, o]) => ({ brokerName: mq.brokerName, queueId: mq.queueId, ...o }))
    .sort((a, b) => a.brokerName.localeCompare(b.brokerName) || a.queueId - b.queueId);
}

/** topicRoute as plain JSON (brokerAddrs keyed by broker id, as the wire body). */
export async function topicRoute(admin: AdminClient, topic: string): Promise<Record<string, unknown>> {
  const route = await admin.getTopicRoute(topic);
  if (route === undefined) throw new MQClientError(`no route info of topic ${topic}`, 17);
  return {
    ...route,
    brokerDatas: route.brokerDatas.map((bd) => ({ ...bd, brokerAddrs: Object.fromEntries(bd.brokerAddrs) })),
  } as unknown as Record<string, unknown>;
}

/** Clusters whose brokers host the topic. */
export async function topicClusters(admin: AdminClient, topic: string): Promise<string[]> {
  const route = await admin.getTopicRoute(topic);
  if (route === undefined) throw new MQClientError(`no route info of topic ${topic}`, 17);
  const info = await admin.getClusterInfo();
  const clusters = new Set<string>();
  for (const bd of route.brokerDatas) {
    for (const [cluster, names] of info.clusterAddrTable) if (names.includes(bd.brokerName)) clusters.add(cluster);
  }
  return [...clusters].sort();
}

export interface UpdateTopicOptions {
  brokerAddr?: string;
  cluster?: string;
  topic: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  order: boolean;
}

/** updateTopic: creates or updates on one broker or every master of a cluster; ordered on a cluster also writes the order conf. */
export async function updateTopic(admin: AdminClient, o: UpdateTopicOptions): Promise<{ brokers: string[]; topicConfig: TopicConfig; orderConf?: string }> {
  const topicConfig: TopicConfig = { topicName: o.topic, readQueueNums: o.readQueueNums, writeQueueNums: o.writeQueueNums, perm: o.perm, order: o.order };
  const brokers = await brokerTargets(admin, o.brokerAddr, o.cluster);
  for (const addr of brokers) await admin.createOrUpdateTopic(addr, topicConfig);
  if (o.order && o.brokerAddr === undefined && o.cluster !== undefined) {
    const info = await admin.getClusterInfo();
    const names = (info.clusterAddrTable.get(o.cluster) ?? []).slice().sort();
    const orderConf = names.map((n) => `${n}:${o.writeQueueNums}`).join(';');
    await admin.putKVConfig(ORDER_TOPIC_CONFIG, o.topic, orderConf);
    return { brokers, topicConfig, orderConf };
  }
  return { brokers, topicConfig };
}

/** updateTopicPerm: the topic's current config on each target broker, with only perm changed. */
export async function updateTopicPerm(admin: AdminClient, topic: string, perm: number, brokerAddr?: string, cluster?: string): Promise<{ addr: string; oldPerm: number; perm: number }[]> {
  const out: { addr: string; oldPerm: number; perm: number }[] = [];
  for (const addr of await brokerTargets(admin, brokerAddr, cluster)) {
    const current = await admin.getTopicConfig(addr, topic);
    await admin.createOrUpdateTopic(addr, { ...current, topicName: topic, perm });
    out.push({ addr, oldPerm: Number(current.perm), perm });
  }
  return out;
}

/** Topics with cluster and queue counts, for `rockit topic list`. */
export async function topicSummaries(admin: AdminClient, includeSystem: boolean): Promise<{ topic: string; brokers: number; readQueues: number; writeQueues: number; perm: number }[]> {
  const system = new Set(includeSystem ? [] : await admin.getSystemTopicList().catch(() => [] as string[]));
  const topics = (await admin.getTopicList()).filter((t) => includeSystem || !(system.has(t) || isSystemTopic(t)));
  const out = [];
  for (const topic of topics.sort()) {
    const route = await admin.getTopicRoute(topic);
    const qds = route?.queueDatas ?? [];
    out.push({
      topic,
      brokers: qds.length,
      readQueues: qds.reduce((s, q) => s + q.readQueueNums, 0),
      writeQueues: qds.reduce((s, q) => s + q.writeQueueNums, 0),
      perm: qds[0]?.perm ?? 0,
    });
  }
  return out;
}

const SYSTEM_TOPICS = new Set([
  'TBW102', 'SCHEDULE_TOPIC_XXXX', 'BenchmarkTest', 'OFFSET_MOVED_EVENT', 'SELF_TEST_TOPIC', 'RMQ_SYS_TRANS_HALF_TOPIC',
  'RMQ_SYS_TRANS_OP_HALF_TOPIC', 'TRANS_CHECK_MAX_TIME_TOPIC', 'RMQ_SYS_TRACE_TOPIC',
]);

/** Topics the broker creates for itself (TopicValidator's system topics, retry/DLQ, per-cluster reply topics). */
export function isSystemTopic(topic: string): boolean {
  return SYSTEM_TOPICS.has(topic) || topic.startsWith('%RETRY%') || topic.startsWith('%DLQ%') || topic.startsWith('rmq_sys_') || topic.endsWith('_REPLY_TOPIC');
}
