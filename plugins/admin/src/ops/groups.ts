import { compareMessageQueue, MQClientError, newSubscriptionGroupConfig, type AdminClient, type ConsumerConnection } from '@rockit/client/admin';
import { entriesOf } from '../json-safe.js';
import { brokerTargets, formatDate } from './targets.js';

export interface QueueProgress {
  topic: string;
  brokerName: string;
  queueId: number;
  brokerOffset: number;
  consumerOffset: number;
  clientIP: string;
  diff: number;
  lastTimestamp: number;
  lastTime: string;
}

export interface GroupProgress {
  group: string;
  queues: QueueProgress[];
  consumeTps: number;
  diffTotal: number;
}

/** Which client (by IP) holds each queue, from the consumers' running info; empty when nobody answers. */
async function queueOwners(admin: AdminClient, group: string): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  try {
    const cc = await admin.examineConsumerConnectionInfo(group);
    for (const c of cc.connectionSet) {
      try {
        const info = await admin.getConsumerRunningInfo(group, c.clientId);
        for (const [k] of entriesOf(info.mqTable)) {
          const mq = k as { topic: string; brokerName: string; queueId: number };
          owners.set(`${mq.topic}@${mq.brokerName}@${Number(mq.queueId)}`, c.clientAddr.split(':')[0] ?? c.clientAddr);
        }
      } catch {
        // A consumer that does not answer running-info simply shows NA.
      }
    }
  } catch {
    // Offline group.
  }
  return owners;
}

/** consumerProgress -g: per queue offsets and lag, sorted as MessageQueue sorts. */
export async function groupProgress(admin: AdminClient, group: string, topic?: string, withOwners = true): Promise<GroupProgress> {
  const stats = await admin.examineConsumeStats(group, topic).catch((err: unknown) => {
    // No %RETRY% route: the group never consumed (or does not exist).
    if (topic === undefined && (err as { code?: unknown }).code === 17) throw new MQClientError(`consumer group ${group} has no consume progress (it never consumed, or does not exist)`, 17);
    throw err;
  });
  const owners = withOwners ? await queueOwners(admin, group) : new Map<string, string>();
  const queues = [...stats.offsetTable.entries()]
    .sort(([a], [b]) => compareMessageQueue(a, b))
    .map(([mq, w]) => ({
      topic: mq.topic,
      brokerName: mq.brokerName,
      queueId: mq.queueId,
      brokerOffset: w.brokerOffset,
      consumerOffset: w.consumerOffset,
      clientIP: owners.get(`${mq.topic}@${mq.brokerName}@${mq.queueId}`) ?? 'NA',
      diff: w.brokerOffset - w.consumerOffset,
      lastTimestamp: w.lastTimestamp,
      lastTime: w.lastTimestamp > 0 ? formatDate(w.lastTimestamp) : '',
    }));
  return { group, queues, consumeTps: stats.consumeTps, diffTotal: queues.reduce((s, q) => s + q.diff, 0) };
}

export interface GroupSummary {
  group: string;
  count: number;
  version: string;
  type: string;
  model: string;
  tps: number;
  diffTotal: number;
}

/** consumerProgress without -g: every group that has a retry topic, with connection count and lag. */
export async function groupSummaries(admin: AdminClient): Promise<GroupSummary[]> {
  const prefix = '%RETRY%';
  const out: GroupSummary[] = [];
  for (const topic of (await admin.getTopicList()).sort()) {
    if (!topic.startsWith(prefix)) continue;
    const group = topic.slice(prefix.length);
    const summary: GroupSummary = { group, count: 0, version: 'OFFLINE', type: '', model: '', tps: 0, diffTotal: 0 };
    try {
      const stats = await admin.examineConsumeStats(group);
      summary.tps = Math.trunc(stats.consumeTps);
      summary.diffTotal = stats.diffTotal;
    } catch {
      // A group without offsets still gets its row.
    }
    try {
      const cc: ConsumerConnection = await admin.examineConsumerConnectionInfo(group);
      summary.count = cc.connectionSet.length;
      if (summary.count > 0) {
        summary.version = versionDesc(Math.min(...cc.connectionSet.map((c) => c.version)));
        summary.type = cc.consumeType === 'CONSUME_ACTIVELY' ? 'PULL' : 'PUSH';
        summary.model = cc.consumeType === 'CONSUME_ACTIVELY' ? '' : (cc.messageModel ?? '');
      }
    } catch {
      // Offline: no connections.
    }
    out.push(summary);
  }
  return out;
}

/** MQVersion.getVersionDesc for the ordinals clients send (V4_9_3 = 399 ... V4_9_8 = 409, odd = the next release's SNAPSHOT). */
export function versionDesc(ordinal: number): string {
  const releases: [number, string][] = [[273, 'V4_3_0'], [399, 'V4_9_3'], [401, 'V4_9_4'], [403, 'V4_9_5'], [405, 'V4_9_6'], [407, 'V4_9_7'], [409, 'V4_9_8'], [413, 'V5_0_0'], [433, 'V5_1_0'], [453, 'V5_2_0'], [479, 'V5_3_3']];
  const exact = releases.find(([o]) => o === ordinal);
  return exact !== undefined ? exact[1] : `V(${ordinal})`;
}

export interface SubGroupOptions {
  brokerAddr?: string;
  cluster?: string;
  groupName: string;
  consumeEnable?: boolean;
  consumeFromMinEnable?: boolean;
  consumeBroadcastEnable?: boolean;
  retryQueueNums?: number;
  retryMaxTimes?: number;
  brokerId?: number;
  whichBrokerWhenConsumeSlowly?: number;
  notifyConsumerIdsChangedEnable?: boolean;
}

/** mqadmin's defaults for what updateSubGroup is not given: Java's `new SubscriptionGroupConfig()`. */
const { groupName: _unused, ...SUB_GROUP_DEFAULTS } = newSubscriptionGroupConfig('');

/** updateSubGroup: SubscriptionGroupConfig with mqadmin's defaults for what is not given. */
export async function updateSubGroup(admin: AdminClient, o: SubGroupOptions): Promise<{ brokers: string[]; config: Record<string, unknown> }> {
  const config: Record<string, unknown> = { groupName: o.groupName };
  for (const [key, def] of Object.entries(SUB_GROUP_DEFAULTS)) config[key] = (o as unknown as Record<string, unknown>)[key] ?? def;
  const brokers = await brokerTargets(admin, o.brokerAddr, o.cluster);
  for (const addr of brokers) await admin.createOrUpdateSubscriptionGroup(addr, config as { groupName: string });
  return { brokers, config };
}

/** deleteSubGroup on the target brokers (and its retry topic's offsets when asked). */
export async function deleteSubGroup(admin: AdminClient, group: string, removeOffset: boolean, brokerAddr?: string, cluster?: string): Promise<string[]> {
  const brokers = await brokerTargets(admin, brokerAddr, cluster);
  for (const addr of brokers) await admin.deleteSubscriptionGroup(addr, group, removeOffset);
  return brokers;
}

/** Groups configured on the brokers (subscriptionGroup.json of every master), system groups left out unless asked. */
export async function listSubGroups(admin: AdminClient, cluster?: string, includeSystem = false): Promise<{ group: string; brokers: string[]; retryMaxTimes: number; consumeEnable: boolean }[]> {
  const byGroup = new Map<string, { group: string; brokers: string[]; retryMaxTimes: number; consumeEnable: boolean }>();
  for (const addr of await admin.clusterMasters(cluster)) {
    for (const [group, cfg] of await admin.getAllSubscriptionGroup(addr)) {
      if (!includeSystem && isSystemGroup(group)) continue;
      const row = byGroup.get(group) ?? { group, brokers: [], retryMaxTimes: Number(cfg.retryMaxTimes ?? 16), consumeEnable: cfg.consumeEnable !== false };
      row.brokers.push(addr);
      byGroup.set(group, row);
    }
  }
  return [...byGroup.values()].sort((a, b) => a.group.localeCompare(b.group));
}

const SYSTEM_GROUPS = new Set([
  'TOOLS_CONSUMER', 'FILTERSRV_CONSUMER', 'SELF_TEST_C_GROUP', 'CID_ONS-HTTP-PROXY', 'CID_ONSAPI_PULL', 'CID_ONSAPI_PERMISSION',
  'CID_ONSAPI_OWNER', 'CID_RMQ_SYS_TRANS', 'SELF_TEST_P_GROUP', 'CLIENT_INNER_PRODUCER', 'DEFAULT_CONSUMER', 'DEFAULT_PRODUCER',
]);

export function isSystemGroup(group: string): boolean {
  return SYSTEM_GROUPS.has(group) || group.startsWith('CID_RMQ_SYS_');
}

/** The group's online consumers; an unknown group (no retry topic route) is said in words. */
export async function groupConnections(admin: AdminClient, group: string): Promise<ConsumerConnection> {
  try {
    return await admin.examineConsumerConnectionInfo(group);
  } catch (err) {
    if ((err as { code?: unknown }).code === 17) throw new MQClientError(`consumer group ${group} is unknown to the brokers (no %RETRY%${group} route)`, 17);
    throw err;
  }
}
