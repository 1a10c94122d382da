/** Broker administration (§4.7) and the admin requests the broker forwards to clients (§4.8). */
import { B, I, L, S, b, defineHeader, i, l, s, type HeaderOf } from './descriptor.js';

export const CreateTopicRequestHeader = defineHeader('CreateTopicRequestHeader', {
  topic: S,
  defaultTopic: S,
  readQueueNums: I,
  writeQueueNums: I,
  perm: I,
  topicFilterType: S,
  topicSysFlag: i,
  order: B,
});
export type CreateTopicRequestHeader = HeaderOf<typeof CreateTopicRequestHeader>;

export const DeleteTopicRequestHeader = defineHeader('DeleteTopicRequestHeader', { topic: S });
export type DeleteTopicRequestHeader = HeaderOf<typeof DeleteTopicRequestHeader>;

/** GET_BROKER_CONFIG (26) response: `version` is the DataVersion JSON; the body holds the properties. */
export const GetBrokerConfigResponseHeader = defineHeader('GetBrokerConfigResponseHeader', { version: S });

export const DeleteSubscriptionGroupRequestHeader = defineHeader('DeleteSubscriptionGroupRequestHeader', {
  groupName: S,
  removeOffset: b,
});
export type DeleteSubscriptionGroupRequestHeader = HeaderOf<typeof DeleteSubscriptionGroupRequestHeader>;

export const GetConsumeStatsRequestHeader = defineHeader('GetConsumeStatsRequestHeader', { consumerGroup: S, topic: s });
export type GetConsumeStatsRequestHeader = HeaderOf<typeof GetConsumeStatsRequestHeader>;

export const GetTopicStatsInfoRequestHeader = defineHeader('GetTopicStatsInfoRequestHeader', { topic: S });

export const QueryConsumeQueueRequestHeader = defineHeader('QueryConsumeQueueRequestHeader', {
  topic: s,
  queueId: i,
  index: l,
  count: i,
  consumerGroup: s,
});
export type QueryConsumeQueueRequestHeader = HeaderOf<typeof QueryConsumeQueueRequestHeader>;

/** INVOKE_BROKER_TO_RESET_OFFSET (222) and RESET_CONSUMER_CLIENT_OFFSET (220); the key is literally `isForce`. */
export const ResetOffsetRequestHeader = defineHeader('ResetOffsetRequestHeader', {
  topic: S,
  group: S,
  timestamp: L,
  isForce: B,
});
export type ResetOffsetRequestHeader = HeaderOf<typeof ResetOffsetRequestHeader>;

/** INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223) and GET_CONSUMER_STATUS_FROM_CLIENT (221). */
export const GetConsumerStatusRequestHeader = defineHeader('GetConsumerStatusRequestHeader', {
  topic: S,
  group: S,
  clientAddr: s,
});
export type GetConsumerStatusRequestHeader = HeaderOf<typeof GetConsumerStatusRequestHeader>;

export const GetConsumerConnectionListRequestHeader = defineHeader('GetConsumerConnectionListRequestHeader', {
  consumerGroup: S,
});
export const GetProducerConnectionListRequestHeader = defineHeader('GetProducerConnectionListRequestHeader', {
  producerGroup: S,
});
export const QueryTopicConsumeByWhoRequestHeader = defineHeader('QueryTopicConsumeByWhoRequestHeader', { topic: S });
export const QueryConsumeTimeSpanRequestHeader = defineHeader('QueryConsumeTimeSpanRequestHeader', { topic: S, group: S });

/** CONSUME_MESSAGE_DIRECTLY (309): admin -> broker -> client; the broker adds ext `brokerName`. */
export const ConsumeMessageDirectlyResultRequestHeader = defineHeader('ConsumeMessageDirectlyResultRequestHeader', {
  consumerGroup: S,
  clientId: s,
  msgId: s,
  brokerName: s,
});
export type ConsumeMessageDirectlyResultRequestHeader = HeaderOf<typeof ConsumeMessageDirectlyResultRequestHeader>;

/** GET_CONSUMER_RUNNING_INFO (307): admin -> broker -> client. */
export const GetConsumerRunningInfoRequestHeader = defineHeader('GetConsumerRunningInfoRequestHeader', {
  consumerGroup: S,
  clientId: S,
  jstackEnable: b,
});
export type GetConsumerRunningInfoRequestHeader = HeaderOf<typeof GetConsumerRunningInfoRequestHeader>;

export const QueryCorrectionOffsetHeader = defineHeader('QueryCorrectionOffsetHeader', {
  filterGroups: s,
  compareGroup: S,
  topic: S,
});
export const CloneGroupOffsetRequestHeader = defineHeader('CloneGroupOffsetRequestHeader', {
  srcGroup: S,
  destGroup: S,
  topic: s,
  offline: b,
});
export const ViewBrokerStatsDataRequestHeader = defineHeader('ViewBrokerStatsDataRequestHeader', {
  statsName: S,
  statsKey: S,
});
export const GetConsumeStatsInBrokerHeader = defineHeader('GetConsumeStatsInBrokerHeader', { isOrder: B });
