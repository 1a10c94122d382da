/**
 * PushConsumer (RocketMQ `DefaultMQPushConsumer`): long-polls its queues and hands messages to a listener, either
 * concurrently (a concurrency limit across queues, failures sent back for a later retry) or orderly (one batch
 * at a time per queue, under a broker lock in clustering).
 */
import { MessageConst, MixAll, getRetryTopic, Message, type MessageExt } from '@rockit/common';
import { MQClientError } from '../errors.js';
import type { MessageQueue } from '../message-queue.js';
import { Producer } from '../producer/producer.js';
import { ConsumerBase, type ConsumerOptions } from './consumer-base.js';
import type { ProcessQueue } from './process-queue.js';
import type { MessageSelector } from './subscription.js';

export type ConsumeConcurrentlyStatus = 'CONSUME_SUCCESS' | 'RECONSUME_LATER';
export type ConsumeOrderlyStatus = 'SUCCESS' | 'SUSPEND_CURRENT_QUEUE_A_MOMENT';

export interface ConsumeConcurrentlyContext {
  readonly messageQueue: MessageQueue;
  /** Delay level of the retry when the batch fails: 0 lets the broker choose (3 + reconsume times), -1 goes to DLQ. */
  delayLevelWhenNextConsume: number;
  /** With CONSUME_SUCCESS: messages after this index are retried. */
  ackIndex: number;
}

export interface ConsumeOrderlyContext {
  readonly messageQueue: MessageQueue;
  suspendCurrentQueueTimeMillis: number;
}

export type MessageListenerConcurrently = (
  msgs: MessageExt[],
  context: ConsumeConcurrentlyContext,
) => ConsumeConcurrentlyStatus | Promise<ConsumeConcurrentlyStatus>;
export type MessageListenerOrderly = (msgs: MessageExt[], context: ConsumeOrderlyContext) => ConsumeOrderlyStatus | Promise<ConsumeOrderlyStatus>;

export interface PushConsumerOptions extends ConsumerOptions {
  /** Listener calls running at once (the consume thread pool's size). Default 20. */
  consumeThreadMax?: number;
  /** Messages per listener call. Default 1. */
  consumeMessageBatchMaxSize?: number;
  /** Deliveries before a message goes to the DLQ; -1 = 16 (concurrently) or unlimited (orderly). */
  maxReconsumeTimes?: number;
  /** Orderly: pause of a queue after SUSPEND_CURRENT_QUEUE_A_MOMENT. Default 1000 ms. */
  suspendCurrentQueueTimeMillis?: number;
  /** How long shutdown waits for running listener calls. Default 5000 ms. */
  awaitTerminationMillisWhenShutdown?: number;
}

/** Orderly consumers renew their queue locks this often (`rocketmq.client.rebalance.lockInterval`). */
const LOCK_INTERVAL = 20_000;
/** A batch whose send-back failed is consumed again after this pause. */
const RECONSUME_DELAY = 5_000;

class Semaphore {
  private waiters: (() => void)[] = [];
  constructor(private permits: number) {}
  async acquire(): Promise<void> {
    if (this.permits > 0) {
      this.permits--;
      return;
    }
    await new Promise<void>((r) => this.waiters.push(r));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.permits++;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class PushConsumer extends ConsumerBase {
  protected readonly consumeType = 'CONSUME_PASSIVELY' as const;
  private readonly consumeMessageBatchMaxSize: number;
  private readonly maxReconsumeTimesOption: number;
  private readonly suspendCurrentQueueTimeMillis: number;
  private readonly awaitTerminationMillis: number;
  private readonly semaphore: Semaphore;
  private concurrentListener: MessageListenerConcurrently | undefined;
  private orderlyListener: MessageListenerOrderly | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private innerProducer: Promise<Producer> | undefined;

  constructor(private readonly options: PushConsumerOptions) {
    super(options, 32);
    const batch = options.consumeMessageBatchMaxSize ?? 1;
    if (batch < 1 || batch > 1024) throw new MQClientError('consumeMessageBatchMaxSize out of range [1, 1024]');
    this.consumeMessageBatchMaxSize = batch;
    this.maxReconsumeTimesOption = options.maxReconsumeTimes ?? -1;
    this.suspendCurrentQueueTimeMillis = options.suspendCurrentQueueTimeMillis ?? 1000;
    this.awaitTerminationMillis = options.awaitTerminationMillisWhenShutdown ?? 5000;
    this.semaphore = new Semaphore(options.consumeThreadMax ?? 20);
  }

  /** Subscribes `topic` with a TAG expression (`"TagA || TagB"`, default `*`) or `{ type: 'SQL92', expression }`. */
  subscribe(topic: string, selector: string | MessageSelector = '*'): void {
    this.addSubscription(topic, selector);
    void this.subscriptionChanged();
  }

  unsubscribe(topic: string): void {
    this.subscriptions.delete(topic);
    void this.subscriptionChanged();
  }

  registerMessageListener(listener: MessageListenerConcurrently): void {
    this.concurrentListener = listener;
    this.orderlyListener = undefined;
  }

  registerMessageListenerOrderly(listener: MessageListenerOrderly): void {
    this.orderlyListener = listener;
    this.concurrentListener = undefined;
  }

  protected override get isOrderly(): boolean {
    return this.orderlyListener !== undefined;
  }

  async start(): Promise<void> {
    if (!this.concurrentListener && !this.orderlyListener) throw new MQClientError('register a message listener before start()');
    if (this.subscriptions.size === 0) throw new MQClientError('subscribe to a topic before start()');
    await this.startBase();
    if (this.isOrderly && this.messageModel === 'CLUSTERING') {
      this.timers.push(setInterval(() => void this.lockAll(), LOCK_INTERVAL));
    }
    await this.instance.doRebalance();
  }

  /** Stops pulling, lets running listener calls finish, commits offsets, leaves the group. */
  async shutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    await this.shutdownBase();
    const inner = this.innerProducer;
    this.innerProducer = undefined;
    if (inner) await (await inner.catch(() => undefined))?.shutdown();
  }

  protected override async beforeShutdown(mqs: MessageQueue[]): Promise<void> {
    const deadline = Date.now() + this.awaitTerminationMillis;
    while (this.inflight.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.inflight]), sleep(Math.max(1, deadline - Date.now()))]);
    }
    if (this.isOrderly && this.messageModel === 'CLUSTERING') await this.unlockAll(mqs);
  }

  private get maxReconsumeTimes(): number {
    if (this.maxReconsumeTimesOption >= 0) return this.maxReconsumeTimesOption;
    return this.isOrderly ? 2147483647 : MixAll.DEFAULT_MAX_RECONSUME_TIMES;
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((err: unknown) => this.logger.error({ err, group: this.group }, 'consume task failed'));
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
  }

  protected onMessagesFound(pq: ProcessQueue, msgs: MessageExt[]): void {
    if (this.orderlyListener) {
      this.submitOrderly(pq);
      return;
    }
    for (let i = 0; i < msgs.length; i += this.consumeMessageBatchMaxSize) {
      this.track(this.consumeConcurrently(pq, msgs.slice(i, i + this.consumeMessageBatchMaxSize)));
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Concurrently

  private async consumeConcurrently(pq: ProcessQueue, msgs: MessageExt[]): Promise<void> {
    const listener = this.concurrentListener!;
    const context: ConsumeConcurrentlyContext = { messageQueue: pq.messageQueue, delayLevelWhenNextConsume: 0, ackIndex: Number.MAX_SAFE_INTEGER };
    let status: ConsumeConcurrentlyStatus;
    await this.semaphore.acquire();
    try {
      if (pq.dropped) return;
      const now = String(Date.now());
      for (const m of msgs) m.putProperty(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP, now);
      status = (await listener(msgs, context)) ?? 'RECONSUME_LATER';
    } catch (err) {
      this.logger.warn({ err, group: this.group, mq: pq.messageQueue }, 'the listener threw; the messages will be consumed again');
      status = 'RECONSUME_LATER';
    } finally {
      this.semaphore.release();
    }
    if (pq.dropped) return;
    const ackIndex = status === 'CONSUME_SUCCESS' ? Math.min(context.ackIndex, msgs.length - 1) : -1;
    const failed: MessageExt[] = [];
    for (let i = ackIndex + 1; i < msgs.length; i++) {
      const m = msgs[i]!;
      if (this.messageModel === 'BROADCASTING') {
        this.logger.warn({ msgId: m.msgId, group: this.group }, 'broadcasting consumption failed; the message is dropped');
      } else if (!(await this.sendMessageBack(m, context.delayLevelWhenNextConsume, pq.messageQueue))) {
        m.reconsumeTimes++;
        failed.push(m);
      }
    }
    const done = failed.length === 0 ? msgs : msgs.filter((m) => !failed.includes(m));
    const offset = pq.removeMessages(done);
    if (offset >= 0 && !pq.dropped) this.offsetStore.updateOffset(pq.messageQueue, offset, true);
    if (failed.length > 0) {
      this.track(sleep(RECONSUME_DELAY).then(() => (pq.dropped ? undefined : this.consumeConcurrently(pq, failed))));
    }
  }

  /**
   * CONSUMER_SEND_MSG_BACK to the message's broker; when that fails, produce the message to %RETRY%<group>
   * ourselves (§9.3). False when both failed.
   */
  private async sendMessageBack(msg: MessageExt, delayLevel: number, mq: MessageQueue): Promise<boolean> {
    try {
      const addr = this.instance.findBrokerAddressInPublish(mq.brokerName) ?? `${msg.storeHost.address}:${msg.storeHost.port}`;
      await this.instance.api.consumerSendMessageBack(addr, {
        offset: msg.commitLogOffset,
        group: this.group,
        delayLevel,
        originMsgId: msg.msgId,
        originTopic: msg.topic,
        unitMode: false,
        maxReconsumeTimes: this.maxReconsumeTimes,
        bname: mq.brokerName,
      });
      return true;
    } catch (err) {
      this.logger.warn({ err, msgId: msg.msgId }, 'send back failed, resending to the retry topic');
      return this.resendToRetryTopic(msg);
    }
  }

  private async resendToRetryTopic(msg: MessageExt): Promise<boolean> {
    try {
      const retry = new Message(getRetryTopic(this.group), msg.body, { raw: true, properties: msg.properties, flag: msg.flag });
      retry.putProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID, msg.getProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID) ?? msg.msgId);
      retry.putProperty(MessageConst.PROPERTY_RETRY_TOPIC, msg.topic);
      retry.putProperty(MessageConst.PROPERTY_RECONSUME_TIME, String(msg.reconsumeTimes + 1));
      retry.putProperty(MessageConst.PROPERTY_MAX_RECONSUME_TIMES, String(this.maxReconsumeTimes));
      retry.clearProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED);
      retry.clearProperty(MessageConst.PROPERTY_MIN_OFFSET);
      retry.clearProperty(MessageConst.PROPERTY_MAX_OFFSET);
      retry.delayTimeLevel = 3 + msg.reconsumeTimes;
      await (await this.retryProducer()).send(retry);
      return true;
    } catch (err) {
      this.logger.warn({ err, msgId: msg.msgId }, 'resending to the retry topic failed');
      return false;
    }
  }

  /** The client's inner producer (`CLIENT_INNER_PRODUCER`), created on first use. */
  private retryProducer(): Promise<Producer> {
    this.innerProducer ??= (async () => {
      const p = new Producer({
        namesrvAddr: [...this.instance.namesrvAddrs],
        clientIP: this.instance.config.clientIP,
        instanceName: `${this.instance.config.instanceName}#inner-${this.group}`,
        producerGroup: MixAll.CLIENT_INNER_PRODUCER_GROUP,
        logger: this.logger,
        ...(this.options.rpcHook ? { rpcHook: this.options.rpcHook } : {}),
      });
      await p.start();
      return p;
    })();
    return this.innerProducer;
  }

  /** CONSUME_MESSAGE_DIRECTLY: runs the listener on one message an admin picked; nothing is committed or sent back. */
  override async consumeMessageDirectly(msg: MessageExt, brokerName: string | undefined): Promise<Record<string, unknown>> {
    const mq: MessageQueue = { topic: msg.topic, brokerName: brokerName ?? '', queueId: msg.queueId };
    const start = Date.now();
    let consumeResult: string;
    let remark: string | undefined;
    try {
      if (this.orderlyListener) {
        const status = await this.orderlyListener([msg], { messageQueue: mq, suspendCurrentQueueTimeMillis: this.suspendCurrentQueueTimeMillis });
        consumeResult = status === 'SUCCESS' ? 'CR_SUCCESS' : status === 'SUSPEND_CURRENT_QUEUE_A_MOMENT' ? 'CR_LATER' : 'CR_RETURN_NULL';
      } else {
        const status = await this.concurrentListener!([msg], { messageQueue: mq, delayLevelWhenNextConsume: 0, ackIndex: 0 });
        consumeResult = status === 'CONSUME_SUCCESS' ? 'CR_SUCCESS' : status === 'RECONSUME_LATER' ? 'CR_LATER' : 'CR_RETURN_NULL';
      }
    } catch (err) {
      consumeResult = 'CR_THROW_EXCEPTION';
      remark = String(err);
    }
    const result: Record<string, unknown> = { order: this.isOrderly, autoCommit: true, consumeResult, spentTimeMills: Date.now() - start };
    if (remark !== undefined) result.remark = remark;
    return result;
  }

  // -------------------------------------------------------------------------------------------------------
  // Orderly

  protected override canPull(pq: ProcessQueue): boolean {
    return !this.isOrderly || this.messageModel !== 'CLUSTERING' || pq.locked;
  }

  private submitOrderly(pq: ProcessQueue): void {
    if (!pq.consumingNow) this.track(this.consumeOrderly(pq));
  }

  private async consumeOrderly(pq: ProcessQueue): Promise<void> {
    const listener = this.orderlyListener!;
    const mq = pq.messageQueue;
    const clustering = this.messageModel === 'CLUSTERING';
    pq.consumingNow = true;
    try {
      while (!pq.dropped && this.running) {
        if (clustering && (!pq.locked || pq.lockExpired)) {
          if (!(await this.lock(mq))) {
            pq.locked = false;
            await sleep(100);
            continue;
          }
          pq.locked = true;
          pq.lastLockTimestamp = Date.now();
        }
        const msgs = pq.takeMessages(this.consumeMessageBatchMaxSize);
        if (msgs.length === 0) break;
        const context: ConsumeOrderlyContext = { messageQueue: mq, suspendCurrentQueueTimeMillis: this.suspendCurrentQueueTimeMillis };
        let status: ConsumeOrderlyStatus;
        await this.semaphore.acquire();
        try {
          status = (await listener(msgs, context)) ?? 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
        } catch (err) {
          this.logger.warn({ err, group: this.group, mq }, 'the orderly listener threw; the queue is suspended a moment');
          status = 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
        } finally {
          this.semaphore.release();
        }
        if (pq.dropped) break;
        if (status === 'SUCCESS' || (clustering && (await this.sendExhaustedToDLQ(msgs)))) {
          const offset = pq.commit();
          if (offset >= 0) this.offsetStore.updateOffset(mq, offset, false);
          continue;
        }
        for (const m of msgs) m.reconsumeTimes++;
        pq.makeMessagesToConsumeAgain(msgs);
        await sleep(context.suspendCurrentQueueTimeMillis);
      }
    } finally {
      pq.consumingNow = false;
    }
  }

  /** Orderly: messages retried maxReconsumeTimes go to the DLQ (via the retry topic); true when all of them did. */
  private async sendExhaustedToDLQ(msgs: MessageExt[]): Promise<boolean> {
    const exhausted = msgs.filter((m) => m.reconsumeTimes >= this.maxReconsumeTimes);
    if (exhausted.length === 0) return false;
    for (const m of exhausted) if (!(await this.resendToRetryTopic(m))) return false;
    return exhausted.length === msgs.length;
  }

  protected override async lock(mq: MessageQueue): Promise<boolean> {
    try {
      const addr = await this.brokerAddr(mq);
      const locked = await this.instance.api.lockBatchMQ(addr, this.group, this.instance.clientId, [mq]);
      return locked.some((q) => q.topic === mq.topic && q.brokerName === mq.brokerName && q.queueId === mq.queueId);
    } catch (err) {
      this.logger.warn({ err, mq }, 'lock failed');
      return false;
    }
  }

  /** Renews the locks of every owned queue, per broker (`RebalanceImpl.lockAll`). */
  private async lockAll(): Promise<void> {
    const byBroker = new Map<string, ProcessQueue[]>();
    for (const pq of this.processQueueTable.values()) {
      const list = byBroker.get(pq.messageQueue.brokerName) ?? [];
      list.push(pq);
      byBroker.set(pq.messageQueue.brokerName, list);
    }
    for (const [, pqs] of byBroker) {
      try {
        const addr = await this.brokerAddr(pqs[0]!.messageQueue);
        const locked = await this.instance.api.lockBatchMQ(addr, this.group, this.instance.clientId, pqs.map((p) => p.messageQueue));
        const ok = new Set(locked.map((q) => `${q.topic}\u0001${q.queueId}`));
        const now = Date.now();
        for (const pq of pqs) {
          pq.locked = ok.has(`${pq.messageQueue.topic}\u0001${pq.messageQueue.queueId}`);
          if (pq.locked) pq.lastLockTimestamp = now;
        }
      } catch (err) {
        this.logger.warn({ err }, 'renewing queue locks failed');
      }
    }
  }

  private async unlockAll(mqs: MessageQueue[]): Promise<void> {
    const byBroker = new Map<string, MessageQueue[]>();
    for (const mq of mqs) byBroker.set(mq.brokerName, [...(byBroker.get(mq.brokerName) ?? []), mq]);
    await Promise.allSettled(
      [...byBroker.values()].map(async (list) => this.instance.api.unlockBatchMQ(await this.brokerAddr(list[0]!), this.group, this.instance.clientId, list)),
    );
  }

  protected override async afterQueueRemoved(mq: MessageQueue, pq: ProcessQueue): Promise<void> {
    if (!this.isOrderly || this.messageModel !== 'CLUSTERING') return;
    // Let the running batch finish before another consumer may take the queue.
    const deadline = Date.now() + 1000;
    while (pq.consumingNow && Date.now() < deadline) await sleep(10);
    await this.unlockAll([mq]);
  }
}
