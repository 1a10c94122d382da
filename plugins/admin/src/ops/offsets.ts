import { type AdminClient } from '@rockit/client/admin';
import { topicQueues } from './messages.js';

/**
 * Resets the group's offsets on every queue of the topic to those at `timestamp` (-1: the end). Online consumers
 * are told by the broker (INVOKE_BROKER_TO_RESET_OFFSET); with nobody online the offsets are committed directly,
 * as mqadmin falls back to for an offline group.
 */
export async function resetOffsets(admin: AdminClient, topic: string, group: string, timestamp: number, force: boolean): Promise<{ brokerName: string; queueId: number; offset: number }[]> {
  const { MQBrokerError } = await import('@rockit/client/admin');
  let table: Map<string, { brokerName: string; queueId: number; offset: number }>;
  try {
    const result = await admin.resetOffsetByTimestamp(topic, group, timestamp, force);
    table = new Map([...result.entries()].map(([mq, offset]) => [`${mq.brokerName}@${mq.queueId}`, { brokerName: mq.brokerName, queueId: mq.queueId, offset }]));
  } catch (err) {
    // 206 CONSUMER_NOT_ONLINE: commit the offsets ourselves.
    if (!(err instanceof MQBrokerError && err.code === 206)) throw err;
    table = new Map();
  }
  if (table.size === 0) {
    for (const mq of await topicQueues(admin, topic)) {
      const offset = timestamp < 0 ? await admin.maxOffset(mq) : await admin.searchOffset(mq, timestamp);
      await admin.updateConsumeOffset(group, mq, offset);
      table.set(`${mq.brokerName}@${mq.queueId}`, { brokerName: mq.brokerName, queueId: mq.queueId, offset });
    }
  }
  return [...table.values()].sort((a, b) => a.brokerName.localeCompare(b.brokerName) || a.queueId - b.queueId);
}
