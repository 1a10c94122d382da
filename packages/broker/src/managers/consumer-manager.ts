import { createLogger, type Logger } from '@rockit/common';
import { newClientChannelInfo, removeExpiredChannels, type ClientChannel, type ClientChannelInfo } from './client-channel.js';

export type ConsumeType = 'CONSUME_ACTIVELY' | 'CONSUME_PASSIVELY';
export type MessageModel = 'BROADCASTING' | 'CLUSTERING';
export type ConsumeFromWhere =
  | 'CONSUME_FROM_LAST_OFFSET'
  | 'CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST'
  | 'CONSUME_FROM_MIN_OFFSET'
  | 'CONSUME_FROM_MAX_OFFSET'
  | 'CONSUME_FROM_FIRST_OFFSET'
  | 'CONSUME_FROM_TIMESTAMP';

/** RocketMQ `SubscriptionData` from a heartbeat (protocol §5.3). */
export interface SubscriptionData {
  topic: string;
  subString: string;
  tagsSet: string[];
  codeSet: number[];
  /** ms timestamp; a newer version replaces the subscription. */
  subVersion: number;
  /** `TAG` or `SQL92`. */
  expressionType: string;
  classFilterMode: boolean;
}

/**
 * Membership events: CHANGE (the group's channels or subscriptions changed: the broker sends
 * NOTIFY_CONSUMER_IDS_CHANGED to `channels`), UNREGISTER (the group has no consumer left), REGISTER
 * (a heartbeat registered `subscriptions`, e.g. for SQL92 filter data).
 */
export type ConsumerGroupEvent =
  | { event: 'CHANGE'; group: string; channels: ClientChannel[] }
  | { event: 'UNREGISTER'; group: string }
  | { event: 'REGISTER'; group: string; subscriptions: SubscriptionData[] };

export type ConsumerIdsChangeListener = (event: ConsumerGroupEvent) => void;

/** RocketMQ `ConsumerGroupInfo`: one consumer group's settings, subscriptions and connected clients. */
export class ConsumerGroupInfo {
  readonly subscriptionTable = new Map<string, SubscriptionData>();
  readonly channelInfoTable = new Map<ClientChannel, ClientChannelInfo>();
  lastUpdateTimestamp: number;

  constructor(
    readonly groupName: string,
    public consumeType: ConsumeType,
    public messageModel: MessageModel,
    public consumeFromWhere: ConsumeFromWhere,
    now: number,
  ) {
    this.lastUpdateTimestamp = now;
  }

  findChannel(clientId: string): ClientChannelInfo | undefined {
    for (const info of this.channelInfoTable.values()) if (info.clientId === clientId) return info;
    return undefined;
  }

  getAllChannel(): ClientChannel[] {
    return [...this.channelInfoTable.keys()];
  }

  getAllClientId(): string[] {
    return [...this.channelInfoTable.values()].map((i) => i.clientId);
  }

  /** Adds or refreshes a channel; true when the channel is new to the group. */
  updateChannel(info: ClientChannelInfo, consumeType: ConsumeType, messageModel: MessageModel, consumeFromWhere: ConsumeFromWhere, now: number): boolean {
    this.consumeType = consumeType;
    this.messageModel = messageModel;
    this.consumeFromWhere = consumeFromWhere;
    let updated = false;
    let current = this.channelInfoTable.get(info.channel);
    if (!current) {
      this.channelInfoTable.set(info.channel, info);
      current = info;
      updated = true;
    } else if (current.clientId !== info.clientId) {
      // The same connection now speaks for another client id: keep the newest announcement (RocketMQ logs a [BUG]).
      this.channelInfoTable.set(info.channel, info);
      current = info;
    }
    this.lastUpdateTimestamp = now;
    current.lastUpdateTimestamp = now;
    return updated;
  }

  /**
   * Applies a heartbeat's subscription set: new topics are added, newer subVersions replace, topics no
   * longer listed are removed. True when topics were added or removed (a version bump alone is not a change).
   */
  updateSubscription(subscriptions: readonly SubscriptionData[], now: number): boolean {
    let updated = false;
    for (const sub of subscriptions) {
      const old = this.subscriptionTable.get(sub.topic);
      if (!old) {
        this.subscriptionTable.set(sub.topic, sub);
        updated = true;
      } else if (sub.subVersion > old.subVersion) {
        this.subscriptionTable.set(sub.topic, sub);
      }
    }
    const topics = new Set(subscriptions.map((s) => s.topic));
    for (const topic of [...this.subscriptionTable.keys()]) {
      if (!topics.has(topic)) {
        this.subscriptionTable.delete(topic);
        updated = true;
      }
    }
    this.lastUpdateTimestamp = now;
    return updated;
  }

  /** Removes a channel; true when it was there. */
  removeChannel(channel: ClientChannel): boolean {
    return this.channelInfoTable.delete(channel);
  }
}

export interface ConsumerManagerOptions {
  logger?: Logger;
  now?: () => number;
}

/**
 * RocketMQ `ConsumerManager`: consumer groups built from heartbeats. Emits CHANGE / UNREGISTER / REGISTER so
 * the broker can send NOTIFY_CONSUMER_IDS_CHANGED; drops channels idle for 120 s (`scanNotActiveChannel`).
 */
export class ConsumerManager {
  private readonly consumerTable = new Map<string, ConsumerGroupInfo>();
  private readonly listeners = new Set<ConsumerIdsChangeListener>();
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(options: ConsumerManagerOptions = {}) {
    this.logger = options.logger ?? createLogger('ConsumerManager');
    this.now = options.now ?? Date.now;
  }

  onChange(listener: ConsumerIdsChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ConsumerGroupEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (e) {
        this.logger.error({ err: e, event: event.event, group: event.group }, 'consumer ids change listener failed');
      }
    }
  }

  /** A ClientChannelInfo stamped with the manager's clock (for a heartbeat's channel). */
  newClientChannelInfo(channel: ClientChannel, clientId: string, language: string, version: number): ClientChannelInfo {
    return newClientChannelInfo(channel, clientId, language, version, this.now());
  }

  getConsumerGroupInfo(group: string): ConsumerGroupInfo | undefined {
    return this.consumerTable.get(group);
  }

  /** Groups with at least one registered consumer. */
  get groups(): string[] {
    return [...this.consumerTable.keys()];
  }

  findChannel(group: string, clientId: string): ClientChannelInfo | undefined {
    return this.consumerTable.get(group)?.findChannel(clientId);
  }

  findSubscriptionData(group: string, topic: string): SubscriptionData | undefined {
    return this.consumerTable.get(group)?.subscriptionTable.get(topic);
  }

  findSubscriptionDataCount(group: string): number {
    return this.consumerTable.get(group)?.subscriptionTable.size ?? 0;
  }

  /** Online groups subscribing `topic` (QUERY_TOPIC_CONSUME_BY_WHO together with the offset table). */
  queryTopicConsumeByWho(topic: string): Set<string> {
    const out = new Set<string>();
    for (const [group, info] of this.consumerTable) if (info.subscriptionTable.has(topic)) out.add(group);
    return out;
  }

  /**
   * HEART_BEAT consumer data. Emits CHANGE (when `notifyConsumerIdsChanged` and the channel or the topic set
   * changed) and always REGISTER. Returns whether anything changed.
   */
  registerConsumer(
    group: string,
    info: ClientChannelInfo,
    consumeType: ConsumeType,
    messageModel: MessageModel,
    consumeFromWhere: ConsumeFromWhere,
    subscriptions: readonly SubscriptionData[],
    notifyConsumerIdsChanged: boolean,
  ): boolean {
    const now = this.now();
    let groupInfo = this.consumerTable.get(group);
    if (!groupInfo) {
      groupInfo = new ConsumerGroupInfo(group, consumeType, messageModel, consumeFromWhere, now);
      this.consumerTable.set(group, groupInfo);
    }
    const channelChanged = groupInfo.updateChannel(info, consumeType, messageModel, consumeFromWhere, now);
    if (channelChanged) this.logger.info({ group, clientId: info.clientId, remoteAddress: info.channel.remoteAddress }, 'new consumer connected');
    const subscriptionChanged = groupInfo.updateSubscription(subscriptions, now);
    const changed = channelChanged || subscriptionChanged;
    if (changed && notifyConsumerIdsChanged) this.emit({ event: 'CHANGE', group, channels: groupInfo.getAllChannel() });
    this.emit({ event: 'REGISTER', group, subscriptions: [...subscriptions] });
    return changed;
  }

  /** UNREGISTER_CLIENT for a consumer group. */
  unregisterConsumer(group: string, info: ClientChannelInfo, notifyConsumerIdsChanged: boolean): void {
    const groupInfo = this.consumerTable.get(group);
    if (!groupInfo) return;
    if (groupInfo.removeChannel(info.channel)) {
      this.logger.info({ group, clientId: info.clientId }, 'unregister consumer');
    }
    this.afterChannelsRemoved(group, groupInfo, notifyConsumerIdsChanged);
  }

  /** A connection closed: removes it from every group. Returns the groups it was in. */
  doChannelCloseEvent(remoteAddress: string, channel: ClientChannel): string[] {
    const groups: string[] = [];
    for (const [group, groupInfo] of [...this.consumerTable]) {
      if (!groupInfo.removeChannel(channel)) continue;
      groups.push(group);
      this.logger.info({ group, remoteAddress }, 'consumer channel closed');
      this.afterChannelsRemoved(group, groupInfo, true);
    }
    return groups;
  }

  /**
   * Drops channels idle for more than 120 s and returns them so the broker can close the connections.
   * Unlike RocketMQ (which leaves it to the connection-close event that no longer finds the channel), the
   * groups that lost members get CHANGE / UNREGISTER here so remaining consumers rebalance.
   */
  scanNotActiveChannel(): ClientChannelInfo[] {
    const now = this.now();
    const all: ClientChannelInfo[] = [];
    for (const [group, groupInfo] of [...this.consumerTable]) {
      const expired = removeExpiredChannels(groupInfo.channelInfoTable, now);
      if (expired.length === 0) continue;
      for (const info of expired) {
        this.logger.warn({ group, clientId: info.clientId, remoteAddress: info.channel.remoteAddress, idleMs: now - info.lastUpdateTimestamp }, 'SCAN: remove expired consumer channel');
      }
      all.push(...expired);
      this.afterChannelsRemoved(group, groupInfo, true);
    }
    return all;
  }

  private afterChannelsRemoved(group: string, groupInfo: ConsumerGroupInfo, notify: boolean): void {
    if (groupInfo.channelInfoTable.size === 0 && this.consumerTable.get(group) === groupInfo) {
      this.consumerTable.delete(group);
      this.logger.info({ group }, 'consumer group has no consumer left, removed');
      this.emit({ event: 'UNREGISTER', group });
    }
    if (notify) this.emit({ event: 'CHANGE', group, channels: groupInfo.getAllChannel() });
  }
}
