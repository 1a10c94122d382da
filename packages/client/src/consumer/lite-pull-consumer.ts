/**
 * LitePullConsumer (RocketMQ `DefaultLitePullConsumer`): the application polls. Queues come from a subscription
 * (rebalanced among the group like a push consumer) or are assigned explicitly; background long-polling loops
 * fill a buffer that `poll()` drains. Offsets of polled messages are committed automatically or by `commitSync()`.
 */
import type { MessageExt } from '@rockit/common';
import { ResponseCode } from '@rockit/remoting';
import { MQClientError } from '../errors.js';
import { MessageQueueMap, type MessageQueue } from '../message-queue.js';
import { ConsumerBase, type ConsumerOptions } from './consumer-base.js';
import type { ProcessQueue } from './process-queue.js';
import { buildSubscriptionData, type MessageSelector } from './subscription.js';

export interface LitePullConsumerOptions extends ConsumerOptions {
  /** Commit the offsets of polled messages every autoCommitIntervalMillis (checked on poll). Default true. */
  autoCommit?: boolean;
  /** Default 5000 ms. */
  autoCommitIntervalMillis?: number;
  /** poll()'s default timeout. Default 5000 ms. */
  pollTimeoutMillis?: number;
  /** Pause pulling while this many messages wait in the buffer. Default 10000. */
  pullThresholdForAll?: number;
}

interface ConsumeRequest {
  pq: ProcessQueue;
  generation: number;
  msgs: MessageExt[];
}

export class LitePullConsumer extends ConsumerBase {
  protected readonly consumeType = 'CONSUME_ACTIVELY' as const;
  private readonly autoCommit: boolean;
  private readonly autoCommitIntervalMillis: number;
  private readonly pollTimeoutMillis: number;
  private readonly pullThresholdForAll: number;
  private mode: 'NONE' | 'SUBSCRIBE' | 'ASSIGN' = 'NONE';
  private assigned: MessageQueue[] = [];
  private readonly buffer: ConsumeRequest[] = [];
  private buffered = 0;
  private wakeUp: (() => void) | undefined;
  /** Per queue: the offset after the messages handed out by poll(). */
  private readonly consumedOffsets = new MessageQueueMap<number>();
  private nextAutoCommit = 0;

  constructor(options: LitePullConsumerOptions) {
    super(options, 10);
    this.autoCommit = options.autoCommit ?? true;
    this.autoCommitIntervalMillis = options.autoCommitIntervalMillis ?? 5000;
    this.pollTimeoutMillis = options.pollTimeoutMillis ?? 5000;
    this.pullThresholdForAll = options.pullThresholdForAll ?? 10_000;
  }

  subscribe(topic: string, selector: string | MessageSelector = '*'): void {
    if (this.mode === 'ASSIGN') throw new MQClientError('subscribe and assign are mutually exclusive');
    this.mode = 'SUBSCRIBE';
    this.addSubscription(topic, selector);
    void this.subscriptionChanged();
  }

  /** Consume exactly these queues (no group rebalance). */
  async assign(mqs: readonly MessageQueue[]): Promise<void> {
    if (this.mode === 'SUBSCRIBE') throw new MQClientError('subscribe and assign are mutually exclusive');
    this.mode = 'ASSIGN';
    this.assigned = [...mqs];
    for (const topic of new Set(mqs.map((q) => q.topic))) {
      if (!this.subscriptions.has(topic)) this.subscriptions.set(topic, buildSubscriptionData(topic, '*'));
    }
    if (this.running) await this.applyAssignment();
  }

  /** The readable queues of `topic`. */
  fetchMessageQueues(topic: string): Promise<MessageQueue[]> {
    return this.instance.subscribeQueues(topic);
  }

  async start(): Promise<void> {
    if (this.mode === 'NONE') throw new MQClientError('subscribe to a topic or assign queues before start()');
    await this.startBase();
    this.nextAutoCommit = Date.now() + this.autoCommitIntervalMillis;
    if (this.mode === 'ASSIGN') await this.applyAssignment();
    else await this.instance.doRebalance();
  }

  async shutdown(): Promise<void> {
    if (this.running && this.autoCommit) this.commitToStore();
    await this.shutdownBase();
    this.wakeUp?.();
  }

  override async doRebalance(): Promise<void> {
    if (this.mode === 'SUBSCRIBE') await super.doRebalance();
  }

  protected override async reassign(): Promise<void> {
    if (this.mode === 'ASSIGN') await this.applyAssignment();
    else await super.reassign();
  }

  private async applyAssignment(): Promise<void> {
    const byTopic = new Map<string, MessageQueue[]>();
    for (const t of this.subscriptions.keys()) byTopic.set(t, []);
    for (const mq of this.assigned) byTopic.get(mq.topic)!.push(mq);
    for (const [topic, mqs] of byTopic) await this.updateProcessQueueTable(topic, mqs);
  }

  protected override canPull(_pq: ProcessQueue): boolean {
    return this.buffered < this.pullThresholdForAll;
  }

  protected onMessagesFound(pq: ProcessQueue, msgs: MessageExt[]): void {
    this.buffer.push({ pq, generation: pq.generation, msgs });
    this.buffered += msgs.length;
    this.wakeUp?.();
  }

  protected override async afterQueueRemoved(mq: MessageQueue): Promise<void> {
    this.dropBuffered(mq);
    this.consumedOffsets.delete(mq);
  }

  private dropBuffered(mq: MessageQueue): void {
    for (let i = this.buffer.length - 1; i >= 0; i--) {
      const r = this.buffer[i]!;
      const q = r.pq.messageQueue;
      if (q.topic === mq.topic && q.brokerName === mq.brokerName && q.queueId === mq.queueId) {
        this.buffered -= r.msgs.length;
        this.buffer.splice(i, 1);
      }
    }
  }

  /** Waits up to `timeoutMillis` for messages; returns those of one pull (possibly none). */
  async poll(timeoutMillis = this.pollTimeoutMillis): Promise<MessageExt[]> {
    this.checkRunning();
    if (this.autoCommit && Date.now() >= this.nextAutoCommit) {
      this.nextAutoCommit = Date.now() + this.autoCommitIntervalMillis;
      await this.commitSync();
    }
    const deadline = Date.now() + timeoutMillis;
    for (;;) {
      const request = this.buffer.shift();
      if (request !== undefined) {
        this.buffered -= request.msgs.length;
        const { pq } = request;
        if (pq.dropped || pq.generation !== request.generation) continue;
        const offset = pq.removeMessages(request.msgs);
        if (offset >= 0) this.consumedOffsets.set(pq.messageQueue, offset);
        return request.msgs;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0 || !this.running) return [];
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remaining);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wakeUp = done;
      });
      this.wakeUp = undefined;
    }
  }

  /** Moves a queue's next poll to `offset` (between the queue's min and max offsets). */
  async seek(mq: MessageQueue, offset: number): Promise<void> {
    this.checkRunning();
    const pq = this.processQueueTable.get(mq);
    if (pq === undefined) throw new MQClientError(`the message queue is not assigned to this consumer: ${mq.topic}/${mq.brokerName}/${mq.queueId}`);
    const addr = await this.brokerAddr(mq);
    const [min, max] = await Promise.all([this.instance.api.getMinOffset(addr, mq), this.instance.api.getMaxOffset(addr, mq)]);
    if (offset < min || offset > max) {
      throw new MQClientError(`seek offset ${offset} is outside [${min}, ${max}] of ${mq.topic}/${mq.queueId}`, ResponseCode.PULL_OFFSET_MOVED);
    }
    pq.generation++;
    pq.clear();
    pq.nextOffset = offset;
    this.dropBuffered(mq);
    this.consumedOffsets.set(mq, offset);
    // The old loop may be parked in a long poll; a new generation pulls from the new offset right away.
    this.startPullLoop(pq);
  }

  async seekToBegin(mq: MessageQueue): Promise<void> {
    await this.seek(mq, await this.instance.api.getMinOffset(await this.brokerAddr(mq), mq));
  }

  async seekToEnd(mq: MessageQueue): Promise<void> {
    await this.seek(mq, await this.instance.api.getMaxOffset(await this.brokerAddr(mq), mq));
  }

  /** Commits the offsets of everything poll() has returned, and writes them to the offset store. */
  async commitSync(): Promise<void> {
    this.commitToStore();
    await this.offsetStore.persistAll(this.processQueueTable.keys());
  }

  private commitToStore(): void {
    for (const [mq, offset] of this.consumedOffsets.entries()) {
      if (this.processQueueTable.has(mq)) this.offsetStore.updateOffset(mq, offset, false);
    }
  }

  /** The committed offset of `mq` as the offset store has it (-1 when none). */
  committed(mq: MessageQueue): Promise<number> {
    return this.offsetStore.readOffset(mq, 'READ_FROM_STORE');
  }
}
