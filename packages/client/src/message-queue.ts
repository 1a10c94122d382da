/** A queue of a topic on one broker (RocketMQ `MessageQueue`). Plain data: it is also the JSON body shape. */
export interface MessageQueue {
  topic: string;
  brokerName: string;
  queueId: number;
}

/** A string key for maps keyed by queue. */
export function mqKey(mq: MessageQueue): string {
  return `${mq.topic}\u0001${mq.brokerName}\u0001${mq.queueId}`;
}

/** Java's `MessageQueue.compareTo`: topic, then broker name, then queue id. */
export function compareMessageQueue(a: MessageQueue, b: MessageQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

/** Java's `MessageQueue.toString()` (the consistent-hash allocation hashes it). */
export function messageQueueToString(mq: MessageQueue): string {
  return `MessageQueue [topic=${mq.topic}, brokerName=${mq.brokerName}, queueId=${mq.queueId}]`;
}

/** A map keyed by MessageQueue value. */
export class MessageQueueMap<V> {
  private readonly map = new Map<string, [MessageQueue, V]>();
  get size(): number {
    return this.map.size;
  }
  get(mq: MessageQueue): V | undefined {
    return this.map.get(mqKey(mq))?.[1];
  }
  has(mq: MessageQueue): boolean {
    return this.map.has(mqKey(mq));
  }
  set(mq: MessageQueue, v: V): this {
    this.map.set(mqKey(mq), [mq, v]);
    return this;
  }
  delete(mq: MessageQueue): boolean {
    return this.map.delete(mqKey(mq));
  }
  clear(): void {
    this.map.clear();
  }
  keys(): MessageQueue[] {
    return [...this.map.values()].map(([k]) => k);
  }
  values(): V[] {
    return [...this.map.values()].map(([, v]) => v);
  }
  entries(): [MessageQueue, V][] {
    return [...this.map.values()];
  }
}
