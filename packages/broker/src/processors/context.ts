/**
 * What every request processor reaches: the broker's configuration, store, managers and services. The
 * BrokerController builds one and hands it to the processor table.
 */
import type { PlainAclFile } from '@rockit/acl';
import type { Logger, SocketAddress } from '@rockit/common';
import type { RemotingChannel, RemotingCommand } from '@rockit/remoting';
import type { MessageStore } from '@rockit/store';
import type { BrokerConfig } from '../config.js';
import type { ConsumerManager } from '../managers/consumer-manager.js';
import type { ProducerManager } from '../managers/producer-manager.js';
import type { ClientNotifier } from '../client-notifier.js';
import type { PullRequestHoldService } from '../long-polling/pull-request-hold-service.js';
import type { ConsumerOffsetManager } from '../managers/consumer-offset-manager.js';
import type { DelayOffsetTable } from '../managers/delay-offset-table.js';
import type { SubscriptionGroupManager } from '../managers/subscription-group-manager.js';
import type { TopicConfigManager } from '../managers/topic-config-manager.js';
import type { RebalanceLockManager } from './rebalance-lock-manager.js';
import type { SendQueue } from './send-queue.js';
import type { FilterCache } from './filter-cache.js';
import type { BrokerStatsManager } from '../stats/broker-stats-manager.js';
import type { TransactionalMessageService } from '../transaction/transactional-message-service.js';
import type { ScheduleMessageService } from '../schedule/schedule-message-service.js';

export interface BrokerContext {
  readonly config: BrokerConfig;
  readonly store: MessageStore;
  readonly topicConfigManager: TopicConfigManager;
  readonly subscriptionGroupManager: SubscriptionGroupManager;
  readonly consumerOffsetManager: ConsumerOffsetManager;
  readonly delayOffsetTable: DelayOffsetTable;
  readonly consumerManager: ConsumerManager;
  readonly producerManager: ProducerManager;
  readonly clientNotifier: ClientNotifier;
  readonly pullRequestHoldService: PullRequestHoldService;
  readonly rebalanceLockManager: RebalanceLockManager;
  readonly sendQueue: SendQueue;
  readonly filterCache: FilterCache;
  readonly stats: BrokerStatsManager;
  readonly scheduleMessageService: ScheduleMessageService;
  readonly transactionalMessageService: TransactionalMessageService;
  /** brokerIP1:listenPort, written into every stored record. */
  readonly storeHost: SocketAddress;
  readonly logger: Logger;
  /** Time the broker started (runtime info). */
  readonly bootTimestamp: number;
  /** The plain_acl.yml in force (aclEnable=true), which the ACL admin codes change. */
  readonly aclFile: PlainAclFile | undefined;
  /** Re-registers with every name server now (topic or permission changed). */
  registerBrokerAll(): void;
}

/** One request code's handler. Throw RemotingCommandError (or a manager's BrokerOperationError) to fail. */
export type BrokerRequestHandler = (
  ctx: BrokerContext,
  channel: RemotingChannel,
  request: RemotingCommand,
) => Promise<RemotingCommand | null> | RemotingCommand | null;
