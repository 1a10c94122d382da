export * from './config.js';
export * from './config/properties.js';
export {
  concurrentHashMapOrder,
  concurrentHashMapTableSize,
  hashMapOrder,
  hashMapTableSize,
  inJavaOrder,
  javaIntHash,
} from '@rockit/common';
export * from './config-file.js';
export * from './data-version.js';
export * from './errors.js';
export * from './topic-config.js';
export * from './managers/config-manager.js';
export * from './managers/topic-config-manager.js';
export * from './subscription-group-config.js';
export * from './managers/subscription-group-manager.js';
export * from './managers/consumer-offset-manager.js';
export * from './managers/delay-offset-table.js';
export * from './managers/client-channel.js';
export * from './managers/consumer-manager.js';
export * from './managers/producer-manager.js';
export * from './heartbeat-data.js';
// Broker runtime (BrokerController, processors, long polling, registration)
export * from './broker-controller.js';
export * from './registration.js';
export * from './client-notifier.js';
export * from './client/broker-client-channel.js';
export * from './long-polling/pull-request-hold-service.js';
export { BROKER_PROCESSORS } from './processors/processor-table.js';
export { BrokerStatsManager, BrokerStatsName, StatsItem, STATS_SAMPLE_INTERVAL, type BrokerStatsData, type StatsSnapshot, type BrokerStatsManagerOptions } from './stats/broker-stats-manager.js';
export type { BrokerContext, BrokerRequestHandler } from './processors/context.js';
export { PullSysFlag } from '@rockit/common';
export { SendQueue, type SendQueueOptions } from './processors/send-queue.js';
export { RebalanceLockManager, REBALANCE_LOCK_MAX_LIVE_TIME, type LockedQueue } from './processors/rebalance-lock-manager.js';
export { ScheduleMessageService, type ScheduleMessageServiceOptions } from './schedule/schedule-message-service.js';
export { TransactionalMessageService, TRANS_CHECK_GROUP, type TransactionalMessageServiceOptions } from './transaction/transactional-message-service.js';
export { HALF_TOPIC, OP_HALF_TOPIC, CHECK_MAX_TIME_TOPIC, REMOVE_TAG } from './transaction/transactional-message-bridge.js';
export { readStoredMessage, type StoredMessage } from './stored-message.js';
export * from './embedded-cluster.js';
export * from './namesrv-probe.js';
