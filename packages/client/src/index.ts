export { MQClientError, MQBrokerError, MQClientTimeoutError, requestName } from './errors.js';
export { parseNamesrvAddr, localAddress, resolveClientConfig, buildClientId, type ClientConfig, type ResolvedClientConfig } from './config.js';
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
export { selectMessageQueueByHash, selectMessageQueueByRandom, type MessageQueueSelector } from './producer/selector.js';
export {
  TransactionProducer,
  type TransactionListener,
  type TransactionSendResult,
  type LocalTransactionState,
} from './producer/transaction-producer.js';
