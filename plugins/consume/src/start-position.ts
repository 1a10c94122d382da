/**
 * --from for a new group. RocketMQ's consumeFromWhere only applies when the broker answers "no offset", but a 4.9
 * broker answers offset 0 instead while the queue's first message is still in memory (QUERY_CONSUMER_OFFSET), so a
 * new group on a young topic would start at the beginning whatever --from says. When the group has never committed
 * an offset of the topic on any of its brokers, the start of every queue is therefore committed before the consumer
 * starts: min offset (first), max offset (last) or the broker's search by store time (nearest message, as RocketMQ).
 */
import type { AdminClient, ClientConfig, MessageQueue } from '@rockit/client';

export type StartFrom = 'last' | 'first' | number;

/**
 * Fails with the client's error when the topic has no route (unknown topic, no name server answering), so that the
 * command says so instead of waiting for messages that cannot come. Then, with `seed`, commits the start offsets of
 * a new group; returns whether it did (false when the group already has progress on the topic or asking failed).
 */
export async function prepareStart(config: ClientConfig, topic: string, group: string, from: StartFrom, seed: boolean): Promise<boolean> {
  const { AdminClient } = await import('@rockit/client');
  const admin = new AdminClient(config);
  await admin.start();
  try {
    const instance = admin.clientInstance;
    const queues = await instance.subscribeQueues(topic);
    if (!seed) return false;
    return await seedNewGroupOffsets(admin, queues, topic, group, from);
  } finally {
    await admin.shutdown();
  }
}

async function seedNewGroupOffsets(admin: AdminClient, queues: MessageQueue[], topic: string, group: string, from: StartFrom): Promise<boolean> {
  const instance = admin.clientInstance;
  try {
    const key = `${topic}@${group}`;
    for (const brokerName of new Set(queues.map((q) => q.brokerName))) {
      const addr = instance.findBrokerAddressInSubscribe(brokerName);
      if (addr === undefined) return false;
      const table = (await admin.getAllConsumerOffset(addr)).offsetTable;
      const known = table instanceof Map ? table.has(key) : typeof table === 'object' && table !== null && key in table;
      if (known) return false;
    }
    for (const mq of queues) {
      const offset = from === 'first' ? await admin.minOffset(mq) : from === 'last' ? await admin.maxOffset(mq) : await admin.searchOffset(mq, from);
      await admin.updateConsumeOffset(group, mq, offset);
    }
    return true;
  } catch {
    // Not allowed or not answered (older brokers, ACL): the consumer's consumeFromWhere still applies.
    return false;
  }
}
