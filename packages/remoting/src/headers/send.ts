/** Producer headers: SEND_MESSAGE (10), SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320), replies, send-back (§4.3, §9.3). */
import { I, L, S, b, defineHeader, i, keyed, s, type HeaderOf } from './descriptor.js';

/** The message fields a send and a pushed reply share. */
const MESSAGE_FIELDS = {
  producerGroup: S,
  topic: S,
  defaultTopic: S,
  defaultTopicQueueNums: I,
  queueId: I,
  sysFlag: I,
  bornTimestamp: L,
  flag: I,
  properties: s,
  reconsumeTimes: i,
  unitMode: b,
} as const;

/** SEND_MESSAGE (10). 4.9's base class adds `bname`. */
export const SendMessageRequestHeader = defineHeader('SendMessageRequestHeader', {
  ...MESSAGE_FIELDS,
  batch: b,
  maxReconsumeTimes: i,
  bname: s,
});
export type SendMessageRequestHeader = HeaderOf<typeof SendMessageRequestHeader>;

/**
 * SEND_MESSAGE_V2 (310) / SEND_BATCH_MESSAGE (320) / SEND_REPLY_MESSAGE_V2 (325): the same fields under one-letter
 * keys a..n; decodes to (and encodes from) the V1 field names.
 */
export const SendMessageRequestHeaderV2 = defineHeader('SendMessageRequestHeaderV2', {
  producerGroup: keyed(S, 'a'),
  topic: keyed(S, 'b'),
  defaultTopic: keyed(S, 'c'),
  defaultTopicQueueNums: keyed(I, 'd'),
  queueId: keyed(I, 'e'),
  sysFlag: keyed(I, 'f'),
  bornTimestamp: keyed(L, 'g'),
  flag: keyed(I, 'h'),
  properties: keyed(s, 'i'),
  reconsumeTimes: keyed(i, 'j'),
  unitMode: keyed(b, 'k'),
  maxReconsumeTimes: keyed(i, 'l'),
  batch: keyed(b, 'm'),
  bname: keyed(s, 'n'),
});

/** Response of every send code. The broker also adds ext fields MSG_REGION and TRACE_ON. */
export const SendMessageResponseHeader = defineHeader('SendMessageResponseHeader', {
  msgId: S,
  queueId: I,
  queueOffset: L,
  transactionId: s,
});
export type SendMessageResponseHeader = HeaderOf<typeof SendMessageResponseHeader>;

/** CONSUMER_SEND_MSG_BACK (36). `offset` is the commit-log offset of the failed message. */
export const ConsumerSendMsgBackRequestHeader = defineHeader('ConsumerSendMsgBackRequestHeader', {
  offset: L,
  group: S,
  delayLevel: I,
  originMsgId: s,
  originTopic: s,
  unitMode: b,
  maxReconsumeTimes: i,
  bname: s,
});
export type ConsumerSendMsgBackRequestHeader = HeaderOf<typeof ConsumerSendMsgBackRequestHeader>;

/** PUSH_REPLY_MESSAGE_TO_CLIENT (326), broker -> requesting producer. */
export const ReplyMessageRequestHeader = defineHeader('ReplyMessageRequestHeader', {
  ...MESSAGE_FIELDS,
  bornHost: S,
  storeHost: S,
  storeTimestamp: L,
});
export type ReplyMessageRequestHeader = HeaderOf<typeof ReplyMessageRequestHeader>;
