import { createLogger, isSysConsumerGroup, MixAll, validateGroup, type Logger } from '@rockit/common';
import { ResponseCode } from '@rockit/remoting';
import { join } from 'node:path';
import type { BrokerConfig } from '../config.js';
import { BrokerOperationError } from '../errors.js';
import { newSubscriptionGroupConfig, subscriptionGroupConfigFromJson, type SubscriptionGroupConfig } from '../subscription-group-config.js';
import { VersionedTableManager } from './config-manager.js';

export interface SubscriptionGroupManagerOptions {
  config: Pick<BrokerConfig, 'autoCreateSubscriptionGroup'>;
  /** Directory holding subscriptionGroup.json (`<storePathRootDir>/config`). */
  configDir: string;
  logger?: Logger;
  now?: () => number;
}

/** Groups RocketMQ 4.9.8 puts in every broker's table at start. */
export const SYSTEM_SUBSCRIPTION_GROUPS: readonly string[] = [
  MixAll.TOOLS_CONSUMER_GROUP,
  MixAll.FILTERSRV_CONSUMER_GROUP,
  MixAll.SELF_TEST_CONSUMER_GROUP,
  MixAll.ONS_HTTP_PROXY_GROUP,
  MixAll.CID_ONSAPI_PULL_GROUP,
  MixAll.CID_ONSAPI_PERMISSION_GROUP,
  MixAll.CID_ONSAPI_OWNER_GROUP,
];

/**
 * RocketMQ `SubscriptionGroupManager` (4.9.8): consumer group settings (retry queues, max reconsume times,
 * consume enabled), auto-created on first use when `autoCreateSubscriptionGroup`, persisted in
 * `config/subscriptionGroup.json`.
 */
export class SubscriptionGroupManager extends VersionedTableManager<SubscriptionGroupConfig> {
  private readonly config: SubscriptionGroupManagerOptions['config'];

  constructor(options: SubscriptionGroupManagerOptions) {
    super(join(options.configDir, 'subscriptionGroup.json'), options.logger ?? createLogger('SubscriptionGroupManager'), {
      tableKey: 'subscriptionGroupTable',
      readEntry: subscriptionGroupConfigFromJson,
      keyOf: (g) => g.groupName,
      now: options.now ?? Date.now,
    });
    this.config = options.config;
    for (const group of SYSTEM_SUBSCRIPTION_GROUPS) this.table.set(group, newSubscriptionGroupConfig(group));
  }

  /**
   * The group's config; creates a default one when the group is unknown and auto-creation is on (or the
   * group is a `CID_RMQ_SYS_` group). Undefined otherwise (the processor answers SUBSCRIPTION_GROUP_NOT_EXIST).
   */
  findSubscriptionGroupConfig(group: string): SubscriptionGroupConfig | undefined {
    const existing = this.table.get(group);
    if (existing) return existing;
    if (!this.config.autoCreateSubscriptionGroup && !isSysConsumerGroup(group)) return undefined;
    if (validateGroup(group) !== undefined) return undefined;
    const created = newSubscriptionGroupConfig(group);
    this.table.set(group, created);
    this.logger.info({ subscriptionGroupConfig: created }, 'auto create a subscription group');
    this.changed();
    return created;
  }

  /** The group's config without auto-creation. */
  selectSubscriptionGroupConfig(group: string): SubscriptionGroupConfig | undefined {
    return this.table.get(group);
  }

  containsSubscriptionGroup(group: string): boolean {
    return this.table.has(group);
  }

  /** A copy of the table in file order. */
  get subscriptionGroupTable(): Map<string, SubscriptionGroupConfig> {
    return this.tableInFileOrder();
  }

  /** Why UPDATE_AND_CREATE_SUBSCRIPTIONGROUP would refuse `config`, or undefined (RocketMQ checks nothing; rockit does). */
  validateSubscriptionGroupConfig(config: SubscriptionGroupConfig): string | undefined {
    const reason = validateGroup(config.groupName);
    if (reason) return reason;
    const g = config.groupName;
    if (!Number.isInteger(config.retryQueueNums) || config.retryQueueNums < 0) return `The group[${g}] retryQueueNums ${config.retryQueueNums} is invalid: must be >= 0.`;
    if (!Number.isInteger(config.retryMaxTimes) || config.retryMaxTimes < -1) return `The group[${g}] retryMaxTimes ${config.retryMaxTimes} is invalid: must be >= -1.`;
    if (!Number.isInteger(config.brokerId) || config.brokerId < 0) return `The group[${g}] brokerId ${config.brokerId} is invalid: must be >= 0.`;
    if (!Number.isInteger(config.whichBrokerWhenConsumeSlowly) || config.whichBrokerWhenConsumeSlowly < 0) {
      return `The group[${g}] whichBrokerWhenConsumeSlowly ${config.whichBrokerWhenConsumeSlowly} is invalid: must be >= 0.`;
    }
    return undefined;
  }

  /** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP. Throws BrokerOperationError(SYSTEM_ERROR) for an invalid config. */
  updateSubscriptionGroupConfig(config: SubscriptionGroupConfig): SubscriptionGroupConfig {
    const reason = this.validateSubscriptionGroupConfig(config);
    if (reason) throw new BrokerOperationError(ResponseCode.SYSTEM_ERROR, reason);
    const copy = { ...config };
    const previous = this.table.get(copy.groupName);
    this.table.set(copy.groupName, copy);
    this.logger.info({ previous, subscriptionGroupConfig: copy }, previous ? 'update subscription group config' : 'create new subscription group');
    this.changed();
    return copy;
  }

  /** Stops a group from consuming (consumeEnable=false), e.g. when its consumers read too slowly. */
  disableConsume(group: string): void {
    const config = this.table.get(group);
    if (!config) return;
    config.consumeEnable = false;
    this.changed();
  }

  /** DELETE_SUBSCRIPTIONGROUP; returns the removed config (undefined when unknown, which is not an error). */
  deleteSubscriptionGroupConfig(group: string): SubscriptionGroupConfig | undefined {
    const removed = this.table.get(group);
    if (!removed) {
      this.logger.warn({ group }, 'delete subscription group failed, group not exist');
      return undefined;
    }
    this.table.delete(group);
    this.logger.info({ subscriptionGroupConfig: removed }, 'delete subscription group');
    this.changed();
    return removed;
  }
}
