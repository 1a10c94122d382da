/**
 * Offsets (rocketmq-protocol.md §4.4): QUERY_CONSUMER_OFFSET, UPDATE_CONSUMER_OFFSET (ConsumerManageProcessor) and
 * the queue bounds GET_MAX_OFFSET, GET_MIN_OFFSET, SEARCH_OFFSET_BY_TIMESTAMP, GET_EARLIEST_MSG_STORETIME.
 */
import {
  GetEarliestMsgStoretimeRequestHeader,
  GetEarliestMsgStoretimeResponseHeader,
  GetMaxOffsetRequestHeader,
  GetMaxOffsetResponseHeader,
  GetMinOffsetRequestHeader,
  GetMinOffsetResponseHeader,
  QueryConsumerOffsetRequestHeader,
  QueryConsumerOffsetResponseHeader,
  RequestCode,
  ResponseCode,
  SearchOffsetRequestHeader,
  SearchOffsetResponseHeader,
  UpdateConsumerOffsetRequestHeader,
  decodeHeader,
} from '@rockit/remoting';
import { totalmem } from 'node:os';
import type { BrokerContext, BrokerRequestHandler } from './context.js';
import { codeResponse, headerResponse } from './responses.js';

const queryConsumerOffset: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, QueryConsumerOffsetRequestHeader);
  const offset = ctx.consumerOffsetManager.queryOffset(h.consumerGroup, h.topic, h.queueId);
  if (offset >= 0) return headerResponse({ offset }, QueryConsumerOffsetResponseHeader);
  // A group that never committed starts from 0 while the queue still holds its first message in memory
  // (DefaultMessageStore.checkInDiskByConsumeOffset); otherwise the client applies its consumeFromWhere.
  const minOffset = ctx.store.getMinOffsetInQueue(h.topic, h.queueId);
  if (minOffset <= 0 && !isInDisk(ctx, h.topic, h.queueId, 0)) return headerResponse({ offset: 0 }, QueryConsumerOffsetResponseHeader);
  return codeResponse(ResponseCode.QUERY_NOT_FOUND, 'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first');
};

/** Whether the message at `consumeOffset` is further behind the commit-log head than memory is thought to hold. */
function isInDisk(ctx: BrokerContext, topic: string, queueId: number, consumeOffset: number): boolean {
  const phy = ctx.store.getCommitLogOffsetInQueue(topic, queueId, consumeOffset);
  const memory = totalmem() * (ctx.config.accessMessageInMemoryMaxRatio / 100);
  return ctx.store.getMaxPhyOffset() - phy > memory;
}

const updateConsumerOffset: BrokerRequestHandler = (ctx, channel, request) => {
  const h = decodeHeader(request, UpdateConsumerOffsetRequestHeader);
  ctx.consumerOffsetManager.commitOffset(channel.remoteAddress, h.consumerGroup, h.topic, h.queueId, h.commitOffset);
  return codeResponse(ResponseCode.SUCCESS);
};

const getMaxOffset: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, GetMaxOffsetRequestHeader);
  return headerResponse({ offset: ctx.store.getMaxOffsetInQueue(h.topic, h.queueId) }, GetMaxOffsetResponseHeader);
};

const getMinOffset: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, GetMinOffsetRequestHeader);
  return headerResponse({ offset: ctx.store.getMinOffsetInQueue(h.topic, h.queueId) }, GetMinOffsetResponseHeader);
};

const searchOffsetByTimestamp: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, SearchOffsetRequestHeader);
  return headerResponse({ offset: ctx.store.getOffsetInQueueByTime(h.topic, h.queueId, h.timestamp) }, SearchOffsetResponseHeader);
};

const getEarliestMsgStoretime: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, GetEarliestMsgStoretimeRequestHeader);
  return headerResponse({ timestamp: ctx.store.getEarliestMessageTime(h.topic, h.queueId) }, GetEarliestMsgStoretimeResponseHeader);
};

export const CONSUMER_OFFSET_PROCESSORS: ReadonlyArray<readonly [number, BrokerRequestHandler]> = [
  [RequestCode.QUERY_CONSUMER_OFFSET, queryConsumerOffset],
  [RequestCode.UPDATE_CONSUMER_OFFSET, updateConsumerOffset],
  [RequestCode.GET_MAX_OFFSET, getMaxOffset],
  [RequestCode.GET_MIN_OFFSET, getMinOffset],
  [RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, searchOffsetByTimestamp],
  [RequestCode.GET_EARLIEST_MSG_STORETIME, getEarliestMsgStoretime],
];
