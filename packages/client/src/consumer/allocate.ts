/**
 * How the queues of a topic are split among a group's consumers (RocketMQ `AllocateMessageQueueStrategy`). Every
 * consumer runs the same function over the same sorted inputs and takes its own share.
 */
import { createHash } from 'node:crypto';
import { messageQueueToString, type MessageQueue } from '../message-queue.js';

export interface AllocateMessageQueueStrategy {
  readonly name: string;
  allocate(group: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[];
}

/** Contiguous blocks of queues per consumer, the first ones one larger when it does not divide (the default). */
export const allocateAveragely: AllocateMessageQueueStrategy = {
  name: 'AVG',
  allocate(_group, currentCID, mqAll, cidAll) {
    const index = cidAll.indexOf(currentCID);
    if (index < 0 || mqAll.length === 0) return [];
    const mod = mqAll.length % cidAll.length;
    const averageSize =
      mqAll.length <= cidAll.length ? 1 : mod > 0 && index < mod ? Math.floor(mqAll.length / cidAll.length) + 1 : Math.floor(mqAll.length / cidAll.length);
    const startIndex = mod > 0 && index < mod ? index * averageSize : index * averageSize + mod;
    const range = Math.min(averageSize, mqAll.length - startIndex);
    const out: MessageQueue[] = [];
    for (let i = 0; i < range; i++) out.push(mqAll[(startIndex + i) % mqAll.length]!);
    return out;
  },
};

/** Queue i goes to consumer i mod n. */
export const allocateAveragelyByCircle: AllocateMessageQueueStrategy = {
  name: 'AVG_BY_CIRCLE',
  allocate(_group, currentCID, mqAll, cidAll) {
    const index = cidAll.indexOf(currentCID);
    if (index < 0) return [];
    const out: MessageQueue[] = [];
    for (let i = index; i < mqAll.length; i += cidAll.length) out.push(mqAll[i]!);
    return out;
  },
};

/** Java's `MD5Hash`: the first four digest bytes, big-endian, as an unsigned number. */
function md5Hash(key: string): number {
  return createHash('md5').update(key, 'utf8').digest().readUInt32BE(0);
}

/**
 * A consistent-hash ring of `virtualNodeCnt` virtual nodes per consumer (`AllocateMessageQueueConsistentHash`):
 * when a consumer joins or leaves, only the queues next to its nodes move.
 */
export function allocateConsistentHash(virtualNodeCnt = 10): AllocateMessageQueueStrategy {
  return {
    name: 'CONSISTENT_HASH',
    allocate(_group, currentCID, mqAll, cidAll) {
      if (!cidAll.includes(currentCID)) return [];
      const ring: [number, string][] = [];
      for (const cid of cidAll) for (let i = 0; i < virtualNodeCnt; i++) ring.push([md5Hash(`${cid}-${i}`), cid]);
      // A later node with an equal hash replaces the earlier one, as in the Java TreeMap.
      ring.sort((a, b) => a[0] - b[0]);
      const dedup = ring.filter((n, i) => i + 1 === ring.length || ring[i + 1]![0] !== n[0]);
      return mqAll.filter((mq) => {
        const h = md5Hash(messageQueueToString(mq));
        const node = dedup.find(([k]) => k >= h) ?? dedup[0]!;
        return node[1] === currentCID;
      });
    },
  };
}
