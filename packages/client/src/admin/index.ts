/**
 * `@rockit/client/admin`: the AdminClient and what admin tools need with it, without the consumers (whose SQL92
 * support loads the filter compiler, ~0.4 s of CPU): command-line tools that start per command import this.
 */
export { AdminClient, type TopicConfig, type ClusterInfo, type TopicOffset, type OffsetWrapper, type ConsumeStats, type BrokerStatsData, type BrokerStatsItem, type Connection, type ConsumerConnection, type JsonBody, type ConsumeQueueQuery, type ProducerInfo } from './admin-client.js';
export { MQClientError, MQBrokerError, MQClientTimeoutError } from '../errors.js';
export { AclClientRPCHook, type SessionCredentials } from '@rockit/acl';
export { MQClientAPI, PullSysFlag, type PullResult } from '../api.js';
export { mqKey, compareMessageQueue, messageQueueToString, MessageQueueMap, type MessageQueue } from '../message-queue.js';
export type { QueueData, BrokerData, TopicRouteData } from '../route.js';
export { allocateAveragely, type AllocateMessageQueueStrategy } from '../consumer/allocate.js';
export { Message, MessageExt, MixAll, newSubscriptionGroupConfig, type SubscriptionGroupConfig } from '@rockit/common';
