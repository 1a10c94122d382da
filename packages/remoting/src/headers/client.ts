/**
 * Client management: HEART_BEAT (34, body only), UNREGISTER_CLIENT (35), GET_CONSUMER_LIST_BY_GROUP (38),
 * NOTIFY_CONSUMER_IDS_CHANGED (40, broker -> client), LOCK_BATCH_MQ / UNLOCK_BATCH_MQ (41/42, bodies only).
 */
import { S, defineHeader, s, type HeaderOf } from './descriptor.js';

export const UnregisterClientRequestHeader = defineHeader('UnregisterClientRequestHeader', {
  clientID: S,
  producerGroup: s,
  consumerGroup: s,
});
export type UnregisterClientRequestHeader = HeaderOf<typeof UnregisterClientRequestHeader>;

export const GetConsumerListByGroupRequestHeader = defineHeader('GetConsumerListByGroupRequestHeader', {
  consumerGroup: S,
});
export type GetConsumerListByGroupRequestHeader = HeaderOf<typeof GetConsumerListByGroupRequestHeader>;

export const NotifyConsumerIdsChangedRequestHeader = defineHeader('NotifyConsumerIdsChangedRequestHeader', {
  consumerGroup: S,
});
export type NotifyConsumerIdsChangedRequestHeader = HeaderOf<typeof NotifyConsumerIdsChangedRequestHeader>;

/** A queue as the lock bodies carry it (§5.5). */
export interface MessageQueueData {
  topic: string;
  brokerName: string;
  queueId: number;
}

/** LOCK_BATCH_MQ / UNLOCK_BATCH_MQ request body (JSON). */
export interface LockBatchRequestBody {
  consumerGroup: string;
  clientId: string;
  mqSet: MessageQueueData[];
}
/** LOCK_BATCH_MQ response body: the queues now locked by this client. */
export interface LockBatchResponseBody {
  lockOKMQSet: MessageQueueData[];
}
