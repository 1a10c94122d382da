/**
 * What push and lite-pull consumers share (RocketMQ `RebalanceImpl` + the pull side of the consumer impls):
 * subscriptions, queue allocation among the group, a ProcessQueue and a pull loop per owned queue, offsets.
 */
import { JsonObjectKeyMap, MessageConst, MixAll, getRetryTopic, type Logger, type MessageExt } from '@rockit/common';
import { ResponseCode } from '@rockit/remoting';
import { BROKER_SUSPEND_MAX_TIME_MILLIS, CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND, PullSysFlag, type ConsumerData, type PullResult, type SubscriptionData } from '../api.js';
import type { ClientConfig } from '../config.js';
import { MQBrokerError, MQClientError } from '../errors.js';
import { MQClientInstance, type ConsumerMember } from '../instance.js';
import { MessageQueueMap, compareMessageQueue, type MessageQueue } from '../message-queue.js';
import { allocateAveragely, type AllocateMessageQueueStrategy } from './allocate.js';
import { LocalFileOffsetStore, OFFSET_NOT_FOUND, RemoteBrokerOffsetStore, defaultLocalOffsetStoreDir, type OffsetStore } from './offset-store.js';
import { ProcessQueue } from './process-queue.js';
import { buildSubscriptionData, filterByTags, type MessageSelector } from './subscription.js';

export type MessageModel = 'CLUSTERING' | 'BROADCASTING';
export type ConsumeFromWhere = 'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP';

export interface ConsumerOptions extends ClientConfig {
  consumerGroup: string;
  /** Default CLUSTERING. */
  messageModel?: MessageModel;
  /** Where a group without a committed offset starts. Default CONSUME_FROM_LAST_OFFSET. */
  consumeFromWhere?: ConsumeFromWhere;
  /** For CONSUME_FROM_TIMESTAMP. Default: half an hour ago. */
  consumeTimestamp?: Date | number;
  /** Default: averagely. */
  allocateMessageQueueStrategy?: AllocateMessageQueueStrategy;
  /** Messages asked for per pull. */
  pullBatchSize?: number;
  /** Pause pulling a queue holding this many unconsumed messages. Default 1000. */
  pullThresholdForQueue?: number;
  /** ... or this many MiB of bodies. Default 100. */
  pullThresholdSizeForQueue?: number;
  /** Directory of broadcasting consumers' offset files. Default ~/.rocketmq_offsets. */
  localOffsetStoreDir?: string;
  /** Offset store to use instead of the default one. */
  offsetStore?: OffsetStore;
}

const FLOW_CONTROL_DELAY = 50;
/** Rebalance again this soon when a queue could not be locked (RocketMQ 5's `rebalanceLater(500)`). */
const LOCK_RETRY_DELAY = 500;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export abstract class ConsumerBase implements ConsumerMember {
  readonly group: string;
  readonly messageModel: MessageModel;
  readonly consumeFromWhere: ConsumeFromWhere;
  protected readonly consumeTimestamp: number;
  protected readonly instance: MQClientInstance;
  protected readonly logger: Logger;
  protected readonly allocateStrategy: AllocateMessageQueueStrategy;
  protected readonly pullBatchSize: number;
  protected readonly pullThresholdForQueue: number;
  protected readonly pullThresholdSizeForQueue: number;
  protected readonly subscriptions = new Map<string, SubscriptionData>();
  protected readonly processQueueTable = new MessageQueueMap<ProcessQueue>();
  readonly offsetStore: OffsetStore;
  protected running = false;
  private startTimestamp = 0;
  private stateName: 'CREATED' | 'RUNNING' | 'SHUTDOWN' = 'CREATED';
  protected abstract readonly consumeType: ConsumerData['consumeType'];
  /** Long-poll suspend time the broker is asked for. */
  protected suspendMillis = BROKER_SUSPEND_MAX_TIME_MILLIS;

  constructor(options: ConsumerOptions, defaultPullBatchSize: number) {
    if (!options.consumerGroup) throw new MQClientError('consumerGroup is required');
    this.group = options.consumerGroup;
    this.messageModel = options.messageModel ?? 'CLUSTERING';
    this.consumeFromWhere = options.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET';
    const ts = options.consumeTimestamp ?? Date.now() - 30 * 60_000;
    this.consumeTimestamp = typeof ts === 'number' ? ts : ts.getTime();
    this.allocateStrategy = options.allocateMessageQueueStrategy ?? allocateAveragely;
    this.pullBatchSize = options.pullBatchSize ?? defaultPullBatchSize;
    this.pullThresholdForQueue = options.pullThresholdForQueue ?? 1000;
    this.pullThresholdSizeForQueue = (options.pullThresholdSizeForQueue ?? 100) * 1024 * 1024;
    this.instance = MQClientInstance.getOrCreate(options);
    this.logger = this.instance.logger;
    this.offsetStore =
      options.offsetStore ??
      (this.messageModel === 'BROADCASTING'
        ? new LocalFileOffsetStore(options.localOffsetStoreDir ?? defaultLocalOffsetStoreDir(), this.instance.clientId, this.group)
        : new RemoteBrokerOffsetStore(this.instance, this.group));
  }

  get clientInstance(): MQClientInstance {
    return this.instance;
  }

  /** Queues this consumer currently owns. */
  assignedQueues(): MessageQueue[] {
    return this.processQueueTable.keys().sort(compareMessageQueue);
  }

  protected get isOrderly(): boolean {
    return false;
  }

  protected async startBase(): Promise<void> {
    if (this.stateName !== 'CREATED') throw new MQClientError(`the consumer ${this.group} is ${this.stateName}; create a new one`);
    await this.offsetStore.load();
    this.instance.registerConsumer(this);
    try {
      this.instance.start();
    } catch (err) {
      await this.instance.unregisterConsumer(this.group);
      throw err;
    }
    this.stateName = 'RUNNING';
    this.running = true;
    this.startTimestamp = Date.now();
    await Promise.allSettled([...this.subscriptions.keys()].map((t) => this.instance.updateTopicRoute(t)));
    await this.instance.sendHeartbeatToAllBrokers();
  }

  /** Stops pulling, persists offsets, leaves the group on every broker. */
  protected async shutdownBase(): Promise<void> {
    if (this.stateName !== 'RUNNING') return;
    this.stateName = 'SHUTDOWN';
    this.running = false;
    const mqs = this.processQueueTable.keys();
    // Pull loops stop now; listener calls still running may finish and commit before the queues are dropped.
    await this.beforeShutdown(mqs);
    for (const pq of this.processQueueTable.values()) pq.dropped = true;
    await this.offsetStore.persistAll(mqs);
    this.processQueueTable.clear();
    await this.instance.unregisterConsumer(this.group);
  }

  /** Hook: orderly consumers unlock their queues here. */
  protected async beforeShutdown(_mqs: MessageQueue[]): Promise<void> {}

  protected checkRunning(): void {
    if (this.stateName !== 'RUNNING') throw new MQClientError(`the consumer ${this.group} is not running (${this.stateName}): call start() first`);
  }

  protected addSubscription(topic: string, selector: string | MessageSelector): void {
    this.subscriptions.set(topic, buildSubscriptionData(topic, selector));
    // Clustering consumers also take their group's retries (§9.3).
    if (this.messageModel === 'CLUSTERING') {
      const retry = getRetryTopic(this.group);
      if (!this.subscriptions.has(retry)) this.subscriptions.set(retry, buildSubscriptionData(retry, '*'));
    }
  }

  /** After a subscription change: routes, a heartbeat, and a rebalance now. */
  protected async subscriptionChanged(): Promise<void> {
    if (!this.running) return;
    await Promise.allSettled([...this.subscriptions.keys()].map((t) => this.instance.updateTopicRoute(t)));
    await this.instance.sendHeartbeatToAllBrokers();
    void this.instance.doRebalance();
  }

  consumerData(): ConsumerData {
    return {
      groupName: this.group,
      consumeType: this.consumeType,
      messageModel: this.messageModel,
      consumeFromWhere: this.consumeFromWhere,
      subscriptionDataSet: [...this.subscriptions.values()],
      unitMode: false,
    };
  }

  async persistConsumerOffset(): Promise<void> {
    if (!this.running) return;
    await this.offsetStore.persistAll(this.processQueueTable.keys());
  }

  // -------------------------------------------------------------------------------------------------------
  // Admin callbacks

  /** Restarts the given queues from the given offsets (`resetOffsetByTimeStamp` pushed by the broker). */
  async resetOffset(topic: string, offsets: MessageQueueMap<number>): Promise<void> {
    for (const [mq, offset] of offsets.entries()) {
      if (mq.topic !== topic) continue;
      const pq = this.processQueueTable.get(mq);
      if (pq !== undefined) {
        pq.dropped = true;
        this.processQueueTable.delete(mq);
        await this.afterQueueRemoved(mq, pq);
      }
      this.offsetStore.updateOffset(mq, offset, false);
      await this.offsetStore.persist(mq);
    }
    await this.reassign();
  }

  /** Takes queues again after a reset: a rebalance (assigning consumers re-apply their assignment). */
  protected async reassign(): Promise<void> {
    await this.instance.doRebalance();
  }

  consumerStatus(topic: string): MessageQueueMap<number> {
    return this.offsetStore.cloneOffsetTable(topic);
  }

  /** `ConsumerRunningInfo`: settings, subscriptions, and per owned queue what is cached and committed. */
  runningInfo(): Record<string, unknown> {
    const mqTable = new JsonObjectKeyMap<MessageQueue, unknown>();
    for (const [mq, pq] of this.processQueueTable.entries()) {
      mqTable.set(mq, {
        commitOffset: this.offsetStore.cloneOffsetTable(mq.topic).get(mq) ?? -1,
        cachedMsgCount: pq.msgCount,
        cachedMsgSizeInMiB: Math.floor(pq.msgSize / (1024 * 1024)),
        locked: pq.locked,
        lastLockTimestamp: pq.lastLockTimestamp,
        droped: pq.dropped,
        transactionMsgCount: 0,
        tryUnlockTimes: 0,
      });
    }
    return {
      properties: {
        PROP_CONSUME_TYPE: this.consumeType,
        PROP_CONSUMEORDERLY: String(this.isOrderly),
        PROP_CONSUMER_START_TIMESTAMP: String(this.startTimestamp),
        messageModel: this.messageModel,
        consumeFromWhere: this.consumeFromWhere,
        pullBatchSize: String(this.pullBatchSize),
        pullThresholdForQueue: String(this.pullThresholdForQueue),
      },
      subscriptionSet: [...this.subscriptions.values()],
      mqTable,
      statusTable: {},
    };
  }

  async consumeMessageDirectly(_msg: MessageExt, _brokerName: string | undefined): Promise<Record<string, unknown> | undefined> {
    return undefined;
  }

  // -------------------------------------------------------------------------------------------------------
  // Rebalance

  async doRebalance(): Promise<void> {
    if (!this.running) return;
    for (const topic of [...this.subscriptions.keys()]) {
      try {
        await this.rebalanceByTopic(topic);
      } catch (err) {
        if (!(err instanceof MQClientError && err.code === ResponseCode.TOPIC_NOT_EXIST)) {
          this.logger.warn({ err, topic, group: this.group }, 'rebalance failed');
        }
      }
    }
    // Queues of topics no longer subscribed.
    const topics = new Set(this.subscriptions.keys());
    for (const [mq, pq] of this.processQueueTable.entries()) {
      if (!topics.has(mq.topic)) await this.removeProcessQueue(mq, pq);
    }
  }

  private async rebalanceByTopic(topic: string): Promise<void> {
    const mqAll = (await this.instance.subscribeQueues(topic)).sort(compareMessageQueue);
    let allocated: MessageQueue[];
    if (this.messageModel === 'BROADCASTING') {
      allocated = mqAll;
    } else {
      const cidAll = (await this.instance.findConsumerIdList(topic, this.group)).sort();
      if (cidAll.length === 0) {
        this.logger.warn({ topic, group: this.group }, 'no consumer of the group is known to the broker yet');
        return;
      }
      allocated = this.allocateStrategy.allocate(this.group, this.instance.clientId, mqAll, cidAll);
    }
    await this.updateProcessQueueTable(topic, allocated);
  }

  /** Drops queues no longer owned, adds new ones (starting their pull loops). Returns whether anything changed. */
  protected async updateProcessQueueTable(topic: string, owned: readonly MessageQueue[]): Promise<boolean> {
    if (!this.running) return false;
    const keep = new MessageQueueMap<true>();
    for (const mq of owned) keep.set(mq, true);
    let changed = false;
    for (const [mq, pq] of this.processQueueTable.entries()) {
      if (mq.topic === topic && !keep.has(mq)) {
        await this.removeProcessQueue(mq, pq);
        changed = true;
      }
    }
    let lockFailed = false;
    for (const mq of owned) {
      if (this.processQueueTable.has(mq)) continue;
      if (this.isOrderly && this.messageModel === 'CLUSTERING' && !(await this.lock(mq))) {
        lockFailed = true;
        continue;
      }
      this.offsetStore.removeOffset(mq);
      const nextOffset = await this.computePullFromWhere(mq);
      if (nextOffset < 0 || !this.running || this.processQueueTable.has(mq)) continue;
      const pq = new ProcessQueue(mq, nextOffset);
      if (this.isOrderly && this.messageModel === 'CLUSTERING') {
        pq.locked = true;
        pq.lastLockTimestamp = Date.now();
      }
      this.processQueueTable.set(mq, pq);
      changed = true;
      this.logger.debug({ mq, nextOffset, group: this.group }, 'queue assigned');
      this.startPullLoop(pq);
    }
    // The previous owner may not have unlocked yet: try again shortly rather than at the next 20 s rebalance.
    if (lockFailed) setTimeout(() => void this.instance.doRebalance(), LOCK_RETRY_DELAY).unref();
    return changed;
  }

  /** Stops a queue: persists its offset and forgets it (`removeUnnecessaryMessageQueue`). */
  protected async removeProcessQueue(mq: MessageQueue, pq: ProcessQueue): Promise<void> {
    pq.dropped = true;
    this.processQueueTable.delete(mq);
    await this.offsetStore.persist(mq);
    this.offsetStore.removeOffset(mq);
    await this.afterQueueRemoved(mq, pq);
  }

  /** Hook: orderly consumers wait for the running batch and unlock. */
  protected async afterQueueRemoved(_mq: MessageQueue, _pq: ProcessQueue): Promise<void> {}

  protected async lock(_mq: MessageQueue): Promise<boolean> {
    return true;
  }

  /** The first offset to pull for a queue the group has no progress for in memory (`computePullFromWhere`). */
  protected async computePullFromWhere(mq: MessageQueue): Promise<number> {
    const last = await this.offsetStore.readOffset(mq, 'READ_FROM_STORE');
    if (last >= 0) return last;
    if (last !== OFFSET_NOT_FOUND) return -1;
    const retry = mq.topic.startsWith(MixAll.RETRY_GROUP_TOPIC_PREFIX);
    const addr = await this.brokerAddr(mq);
    try {
      switch (this.consumeFromWhere) {
        case 'CONSUME_FROM_FIRST_OFFSET':
          return 0;
        case 'CONSUME_FROM_TIMESTAMP':
          return retry ? await this.instance.api.getMaxOffset(addr, mq) : await this.instance.api.searchOffset(addr, mq, this.consumeTimestamp);
        default:
          return retry ? 0 : await this.instance.api.getMaxOffset(addr, mq);
      }
    } catch (err) {
      this.logger.warn({ err, mq }, 'could not compute where to start pulling');
      return -1;
    }
  }

  protected async brokerAddr(mq: MessageQueue, brokerId: number = MixAll.MASTER_ID): Promise<string> {
    let addr = this.instance.findBrokerAddressInSubscribe(mq.brokerName, brokerId);
    if (addr === undefined) {
      await this.instance.updateTopicRoute(mq.topic);
      addr = this.instance.findBrokerAddressInSubscribe(mq.brokerName, brokerId);
    }
    if (addr === undefined) throw new MQClientError(`the broker[${mq.brokerName}] does not exist`, ResponseCode.SERVICE_NOT_AVAILABLE);
    return addr;
  }

  // -------------------------------------------------------------------------------------------------------
  // Pulling

  /** Hook: whether the queue may be pulled now (orderly: only while locked). */
  protected canPull(_pq: ProcessQueue): boolean {
    return true;
  }

  /** Hook: messages found and kept in the ProcessQueue. */
  protected abstract onMessagesFound(pq: ProcessQueue, msgs: MessageExt[]): void;

  /** Starts a pull loop for the queue's current generation. */
  protected startPullLoop(pq: ProcessQueue): void {
    this.pullLoop(pq, pq.generation).catch((err: unknown) => this.logger.error({ err, mq: pq.messageQueue }, 'pull loop stopped'));
  }

  /** Long-polling pull loop of one queue; ends when the queue is dropped or its generation changes (seek). */
  protected async pullLoop(pq: ProcessQueue, generation: number): Promise<void> {
    const mq = pq.messageQueue;
    let brokerId: number = MixAll.MASTER_ID;
    const stale = () => pq.dropped || !this.running || pq.generation !== generation;
    while (!stale()) {
      if (pq.msgCount > this.pullThresholdForQueue || pq.msgSize > this.pullThresholdSizeForQueue) {
        await sleep(FLOW_CONTROL_DELAY);
        continue;
      }
      if (!this.canPull(pq)) {
        await sleep(100);
        continue;
      }
      const sub = this.subscriptions.get(mq.topic);
      let result: PullResult;
      const offset = pq.nextOffset;
      try {
        const addr = await this.brokerAddr(mq, brokerId);
        const commitOffset = this.messageModel === 'CLUSTERING' ? await this.offsetStore.readOffset(mq, 'READ_FROM_MEMORY') : 0;
        const sysFlag = (commitOffset > 0 ? PullSysFlag.FLAG_COMMIT_OFFSET : 0) | PullSysFlag.FLAG_SUSPEND | PullSysFlag.FLAG_SUBSCRIPTION;
        result = await this.instance.api.pullMessage(
          addr,
          {
            consumerGroup: this.group,
            topic: mq.topic,
            queueId: mq.queueId,
            queueOffset: offset,
            maxMsgNums: this.pullBatchSize,
            sysFlag,
            commitOffset: Math.max(0, commitOffset),
            suspendTimeoutMillis: this.suspendMillis,
            subscription: sub?.subString ?? '*',
            subVersion: sub?.subVersion ?? 0,
            expressionType: sub?.expressionType ?? 'TAG',
            bname: mq.brokerName,
          },
          Math.max(CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND, this.suspendMillis + 5000),
        );
      } catch (err) {
        if (stale()) return;
        const flowControlled = err instanceof MQBrokerError && err.code === ResponseCode.FLOW_CONTROL;
        if (!flowControlled) {
          this.logger.warn({ err, mq, group: this.group }, 'pull failed');
          // The broker may be gone or moved: refresh the route before the next attempt.
          await this.instance.updateTopicRoute(mq.topic).catch(() => false);
        }
        await sleep(flowControlled ? 20 : this.instance.config.pullTimeDelayMillsWhenException);
        continue;
      }
      if (stale()) return;
      brokerId = result.suggestWhichBrokerId;
      switch (result.pullStatus) {
        case 'FOUND': {
          pq.nextOffset = result.nextBeginOffset;
          const msgs = sub ? filterByTags(sub, result.msgFoundList) : result.msgFoundList;
          for (const m of msgs) this.prepareMessage(m, result);
          if (msgs.length === 0) {
            this.correctTagsOffset(pq);
            break;
          }
          pq.putMessages(msgs);
          this.onMessagesFound(pq, msgs);
          break;
        }
        case 'NO_NEW_MSG':
        case 'NO_MATCHED_MSG':
          pq.nextOffset = result.nextBeginOffset;
          this.correctTagsOffset(pq);
          break;
        case 'OFFSET_ILLEGAL':
          this.logger.warn({ mq, offset, nextBeginOffset: result.nextBeginOffset }, 'pull offset illegal, correcting it');
          pq.nextOffset = result.nextBeginOffset;
          this.offsetStore.updateOffset(mq, result.nextBeginOffset, false);
          break;
      }
    }
  }

  /** Nothing held: the whole pulled range is done, so the committed offset moves to the next pull offset. */
  private correctTagsOffset(pq: ProcessQueue): void {
    if (pq.msgCount === 0) this.offsetStore.updateOffset(pq.messageQueue, pq.nextOffset, true);
  }

  /** Retried messages show their original topic; MIN/MAX offsets tell the listener the queue's bounds. */
  private prepareMessage(m: MessageExt, result: PullResult): void {
    const retryTopic = m.getProperty(MessageConst.PROPERTY_RETRY_TOPIC);
    if (retryTopic !== undefined && m.topic === getRetryTopic(this.group)) m.topic = retryTopic;
    m.putProperty(MessageConst.PROPERTY_MIN_OFFSET, String(result.minOffset));
    m.putProperty(MessageConst.PROPERTY_MAX_OFFSET, String(result.maxOffset));
  }
}
