/** Defaults and naming rules shared by broker, name server and clients (RocketMQ `MixAll` and friends). */
export const MixAll = {
  DEFAULT_NAMESRV_ADDR: '127.0.0.1:9876',
  NAMESRV_ADDR_ENV: 'NAMESRV_ADDR',
  DEFAULT_LISTEN_PORT: 10911,
  MASTER_ID: 0,
  /** Queues of a topic auto-created from TBW102 on the broker side. */
  DEFAULT_TOPIC_QUEUE_NUMS: 8,
  /** The client's `defaultTopicQueueNums` when it creates a topic by sending. */
  CLIENT_DEFAULT_TOPIC_QUEUE_NUMS: 4,
  DEFAULT_PRODUCER_GROUP: 'DEFAULT_PRODUCER',
  DEFAULT_CONSUMER_GROUP: 'DEFAULT_CONSUMER',
  TOOLS_CONSUMER_GROUP: 'TOOLS_CONSUMER',
  FILTERSRV_CONSUMER_GROUP: 'FILTERSRV_CONSUMER',
  MONITOR_CONSUMER_GROUP: '__MONITOR_CONSUMER',
  CLIENT_INNER_PRODUCER_GROUP: 'CLIENT_INNER_PRODUCER',
  SELF_TEST_PRODUCER_GROUP: 'SELF_TEST_P_GROUP',
  SELF_TEST_CONSUMER_GROUP: 'SELF_TEST_C_GROUP',
  ONS_HTTP_PROXY_GROUP: 'CID_ONS-HTTP-PROXY',
  CID_ONSAPI_PERMISSION_GROUP: 'CID_ONSAPI_PERMISSION',
  CID_ONSAPI_OWNER_GROUP: 'CID_ONSAPI_OWNER',
  CID_ONSAPI_PULL_GROUP: 'CID_ONSAPI_PULL',
  CID_RMQ_SYS_PREFIX: 'CID_RMQ_SYS_',
  /** Consumer group the broker uses for its transaction check bookkeeping. */
  CID_SYS_RMQ_TRANS: 'CID_RMQ_SYS_TRANS',
  RETRY_GROUP_TOPIC_PREFIX: '%RETRY%',
  DLQ_GROUP_TOPIC_PREFIX: '%DLQ%',
  /** Namespace separator in `%RETRY%ns%group`. */
  NAMESPACE_SEPARATOR: '%',
  REPLY_TOPIC_POSTFIX: 'REPLY_TOPIC',
  UNIQUE_MSG_QUERY_FLAG: '_UNIQUE_KEY_QUERY',
  DEFAULT_CHARSET: 'UTF-8',
  MASTER_BROKER_ID: 0,
  /** Default `maxReconsumeTimes` of concurrent consumers (-1 in the client means 16). */
  DEFAULT_MAX_RECONSUME_TIMES: 16,
  /** Bodies of this size or more are compressed by the producer (single messages only). */
  COMPRESS_MSG_BODY_OVER_HOWMUCH: 4096,
  DEFAULT_MAX_MESSAGE_SIZE: 4 * 1024 * 1024,
  /** Broker-side retry queues per group (`SubscriptionGroupConfig.retryQueueNums`). */
  DEFAULT_RETRY_QUEUE_NUMS: 1,
  DLQ_QUEUE_NUMS: 1,
  SCHEDULE_TOPIC_QUEUE_NUMS: 18,
  BENCHMARK_TOPIC_QUEUE_NUMS: 1024,
  CLUSTER_TOPIC_QUEUE_NUMS: 16,
} as const;

export function getRetryTopic(consumerGroup: string): string {
  return MixAll.RETRY_GROUP_TOPIC_PREFIX + consumerGroup;
}

export function getDLQTopic(consumerGroup: string): string {
  return MixAll.DLQ_GROUP_TOPIC_PREFIX + consumerGroup;
}

export function isRetryTopic(topic: string): boolean {
  return topic.startsWith(MixAll.RETRY_GROUP_TOPIC_PREFIX);
}

export function isDLQTopic(topic: string): boolean {
  return topic.startsWith(MixAll.DLQ_GROUP_TOPIC_PREFIX);
}

/** The group named by a `%RETRY%` or `%DLQ%` topic, or undefined for any other topic. */
export function groupOfRetryOrDLQTopic(topic: string): string | undefined {
  if (isRetryTopic(topic)) return topic.slice(MixAll.RETRY_GROUP_TOPIC_PREFIX.length);
  if (isDLQTopic(topic)) return topic.slice(MixAll.DLQ_GROUP_TOPIC_PREFIX.length);
  return undefined;
}

export function getReplyTopic(clusterName: string): string {
  return `${clusterName}_${MixAll.REPLY_TOPIC_POSTFIX}`;
}

export function isSysConsumerGroup(group: string): boolean {
  return group.startsWith(MixAll.CID_RMQ_SYS_PREFIX);
}
