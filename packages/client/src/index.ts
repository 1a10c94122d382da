export { MQClientError, MQBrokerError, MQClientTimeoutError, requestName } from './errors.js';
export { AclClientRPCHook, aclSignature, type SessionCredentials } from '@rockit/acl';
export {
  parseNamesrvAddr,
  localAddress,
  resolveClientConfig,
  buildClientId,
  parseSerializeType,
  resolveSerializeType,
  SERIALIZE_TYPE_ENV,
  type ClientConfig,
  type ResolvedClientConfig,
  type SerializeTypeName,
} from './config.js';
export { mqKey, compareMessageQueue, messageQueueToString, MessageQueueMap, type MessageQueue } from './message-queue.js';
export {
  decodeTopicRouteData,
  toPublishInfo,
  toSubscribeQueues,
  routeEquals,
  type QueueData,
  type BrokerData,
  type TopicRouteData,
  type TopicPublishInfo,
} from './route.js';
export {
  MQClientAPI,
  PullSysFlag,
  BROKER_SUSPEND_MAX_TIME_MILLIS,
  CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND,
  type PullResult,
  type PullStatus,
  type HeartbeatData,
  type ConsumerData,
  type SubscriptionData,
} from './api.js';
export { MQClientInstance, type ProducerMember, type ConsumerMember } from './instance.js';
export { Producer, type ProducerOptions, type SendOptions, type SendCallback } from './producer/producer.js';
export { SEND_STATUS_BY_CODE, RETRY_ON_CODES, type SendResult, type SendStatus } from './producer/send-result.js';
export { createReplyMessage, RequestTimeoutError, REQUEST_TIMEOUT_CODE, CREATE_REPLY_MESSAGE_CODE } from './producer/request-reply.js';
export { selectMessageQueueByHash, selectMessageQueueByRandom, type MessageQueueSelector } from './producer/selector.js';
export {
  TransactionProducer,
  type TransactionListener,
  type TransactionSendResult,
  type LocalTransactionState,
} from './producer/transaction-producer.js';
export { buildSubscriptionData, filterByTags, type ExpressionType, type MessageSelector } from './consumer/subscription.js';
export {
  allocateAveragely,
  allocateAveragelyByCircle,
  allocateConsistentHash,
  type AllocateMessageQueueStrategy,
} from './consumer/allocate.js';
export {
  RemoteBrokerOffsetStore,
  LocalFileOffsetStore,
  defaultLocalOffsetStoreDir,
  OFFSET_NOT_FOUND,
  OFFSET_READ_FAILED,
  type OffsetStore,
  type ReadOffsetType,
} from './consumer/offset-store.js';
export { ProcessQueue, REBALANCE_LOCK_MAX_LIVE_TIME } from './consumer/process-queue.js';
export { ConsumerBase, type ConsumerOptions, type MessageModel, type ConsumeFromWhere } from './consumer/consumer-base.js';
export {
  PushConsumer,
  type PushConsumerOptions,
  type ConsumeConcurrentlyStatus,
  type ConsumeOrderlyStatus,
  type ConsumeConcurrentlyContext,
  type ConsumeOrderlyContext,
  type MessageListenerConcurrently,
  type MessageListenerOrderly,
} from './consumer/push-consumer.js';
export { LitePullConsumer, type LitePullConsumerOptions } from './consumer/lite-pull-consumer.js';
export {
  AdminClient,
  type TopicConfig,
  type ClusterInfo,
  type TopicOffset,
  type OffsetWrapper,
  type ConsumeStats,
  type BrokerStatsData,
  type BrokerStatsItem,
  type Connection,
  type ConsumerConnection,
  type JsonBody,
  type ConsumeQueueQuery,
  type ProducerInfo,
} from './admin/admin-client.js';
export { Message, MessageExt, MessageConst, MixAll, createLogger, type MessageInit, type Logger } from './message.js';
