/** mqadmin's table layouts, shared by `rockit admin <cmd>` and the friendlier topic/group/cluster commands. */
import { table } from '@rockit/cli';
import type { ClusterBrokerRow } from './ops/cluster.js';
import type { GroupProgress, GroupSummary } from './ops/groups.js';
import { messageDetails, type MessageView } from './ops/messages.js';
import type { TopicGroupStats } from './ops/stats.js';
import type { TopicQueueStatus } from './ops/topics.js';
import { formatDate } from './ops/targets.js';

export function renderClusterList(rows: readonly ClusterBrokerRow[]): string {
  return table(rows, [
    { header: '#Cluster Name', key: 'cluster', minWidth: 16 },
    { header: '#Broker Name', key: 'brokerName', minWidth: 22 },
    { header: '#BID', key: 'brokerId', minWidth: 4 },
    { header: '#Addr', key: 'addr', minWidth: 22 },
    { header: '#Version', get: (r) => (r.error !== undefined ? 'DOWN' : r.version), minWidth: 16 },
    { header: '#InTPS(LOAD)', get: (r) => `${r.inTps.toFixed(2)}(${r.sendQueue},${r.sendWaitMs}ms)`, minWidth: 19, align: 'right' },
    { header: '#OutTPS(LOAD)', get: (r) => `${r.outTps.toFixed(2)}(${r.pullQueue},${r.pullWaitMs}ms)`, minWidth: 19, align: 'right' },
    { header: '#PCWait(ms)', key: 'pageCacheLockTimeMills', minWidth: 10, align: 'right' },
    { header: '#Hour', get: (r) => r.hours.toFixed(2), minWidth: 5, align: 'right' },
    { header: '#SPACE', get: (r) => r.space.toFixed(4), minWidth: 6, align: 'right' },
  ]);
}

export function renderTopicStatus(rows: readonly TopicQueueStatus[]): string {
  return table(rows, [
    { header: '#Broker Name', key: 'brokerName', minWidth: 32 },
    { header: '#QID', key: 'queueId', minWidth: 4 },
    { header: '#Min Offset', key: 'minOffset', minWidth: 20 },
    { header: '#Max Offset', key: 'maxOffset', minWidth: 20 },
    { header: '#Last Updated', get: (r) => (r.lastUpdateTimestamp > 0 ? formatDate(r.lastUpdateTimestamp, true) : '') },
  ]);
}

/** consumerProgress -g: the queue table, then the TPS and Diff Total lines. */
export function renderGroupProgress(p: GroupProgress): string {
  const rows = table(p.queues, [
    { header: '#Topic', key: 'topic', minWidth: 32 },
    { header: '#Broker Name', key: 'brokerName', minWidth: 32 },
    { header: '#QID', key: 'queueId', minWidth: 4 },
    { header: '#Broker Offset', key: 'brokerOffset', minWidth: 20 },
    { header: '#Consumer Offset', key: 'consumerOffset', minWidth: 20 },
    { header: '#Client IP', key: 'clientIP', minWidth: 20 },
    { header: '#Diff', key: 'diff', minWidth: 20 },
    { header: '#LastTime', key: 'lastTime' },
  ]);
  return `${rows}\n\nConsume TPS: ${p.consumeTps.toFixed(1)}\nDiff Total: ${p.diffTotal}`;
}

export function renderGroupSummaries(rows: readonly GroupSummary[]): string {
  return table(rows, [
    { header: '#Group', key: 'group', minWidth: 32 },
    { header: '#Count', key: 'count', minWidth: 6 },
    { header: '#Version', key: 'version', minWidth: 24 },
    { header: '#Type', key: 'type', minWidth: 5 },
    { header: '#Model', key: 'model', minWidth: 14 },
    { header: '#TPS', key: 'tps', minWidth: 7 },
    { header: '#Diff Total', key: 'diffTotal' },
  ]);
}

export function renderMessage(m: MessageView): string {
  // mqadmin: "%-20s %s".
  return messageDetails(m)
    .map(([k, v]) => `${k.padEnd(20)} ${String(v)}`.trimEnd())
    .join('\n');
}

/** queryMsgByKey / queryMsgByUniqueKey list form. */
export function renderMessageIds(rows: readonly MessageView[]): string {
  return table(rows, [
    { header: '#Message ID', key: 'msgId', minWidth: 50 },
    { header: '#QID', key: 'queueId', minWidth: 4, align: 'right' },
    { header: '#Offset', key: 'queueOffset', minWidth: 40, align: 'right' },
  ]);
}

/** printMsg's per-message line. */
export function renderMessageLine(m: MessageView, printBody: boolean): string {
  return `MSGID: ${m.msgId} ${JSON.stringify({ topic: m.topic, queueId: m.queueId, queueOffset: m.queueOffset, tags: m.tags, keys: m.keys, storeTimestamp: m.storeTimestamp })} BODY: ${printBody ? m.body : 'NOT PRINT BODY'}`;
}

/** resetOffsetByTime / skipAccumulatedMessage result table. */
export function renderOffsets(rows: readonly { brokerName: string; queueId: number; offset: number }[]): string {
  return table(rows, [
    { header: '#brokerName', key: 'brokerName', minWidth: 40 },
    { header: '#queueId', key: 'queueId', minWidth: 40 },
    { header: '#offset', key: 'offset', minWidth: 40 },
  ]);
}

/** statsAll: mqadmin's columns; a topic nobody consumes has no group, no out rate and NO_CONSUMER. */
export function renderStatsAll(rows: readonly TopicGroupStats[]): string {
  return table(rows, [
    { header: '#Topic', key: 'topic', minWidth: 32 },
    { header: '#Consumer Group', get: (r) => r.group ?? '', minWidth: 32 },
    { header: '#Accumulation', key: 'accumulation', minWidth: 12, align: 'right' },
    { header: '#InTPS', get: (r) => r.inTps.toFixed(2), minWidth: 11, align: 'right' },
    { header: '#OutTPS', get: (r) => r.outTps?.toFixed(2) ?? '', minWidth: 11, align: 'right' },
    { header: '#InMsg24Hour', key: 'inMsg24Hour', minWidth: 14, align: 'right' },
    { header: '#OutMsg24Hour', get: (r) => (r.group === undefined ? 'NO_CONSUMER' : String(r.outMsg24Hour ?? 0)), minWidth: 14, align: 'right' },
  ]);
}
