/**
 * Admin requests about consumer groups (rocketmq-protocol.md §4.7): the ones the broker forwards to a consumer
 * (GET_CONSUMER_RUNNING_INFO, CONSUME_MESSAGE_DIRECTLY) and offset tools (QUERY_CONSUME_TIME_SPAN,
 * CLONE_GROUP_OFFSET, QUERY_CORRECTION_OFFSET).
 */
import { decodeOffsetMessageId, mapEntries, parseFastJson, toFastJson } from '@rockit/common';
import {
  CloneGroupOffsetRequestHeader,
  ConsumeMessageDirectlyResultRequestHeader,
  GetConsumerRunningInfoRequestHeader,
  GetConsumerStatusRequestHeader,
  MQVersion,
  QueryConsumeTimeSpanRequestHeader,
  QueryCorrectionOffsetHeader,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeHeader,
  type ExtFields,
} from '@rockit/remoting';
import { remotingChannelOf } from '../client/broker-client-channel.js';
import type { BrokerContext, BrokerRequestHandler } from './context.js';
import { bodyResponse, codeResponse, fail } from './responses.js';

/** How long a forwarded call may take on the client (RocketMQ uses the admin's own timeout, typically 5 s). */
const FORWARD_TIMEOUT_MILLIS = 5000;
const LONG_MAX = 9223372036854775807n;

/** Calls the consumer `clientId` of `group` with `code` and answers with its response as it is. */
async function forwardToConsumer(ctx: BrokerContext, group: string, clientId: string, code: number, ext: ExtFields, body?: Buffer): Promise<RemotingCommand> {
  const info = ctx.consumerManager.findChannel(group, clientId);
  const channel = info ? remotingChannelOf(info.channel) : undefined;
  if (info === undefined || channel === undefined) fail(ResponseCode.SYSTEM_ERROR, `The Consumer <${clientId}> <${group}> not online`);
  if (info.version < MQVersion.V3_0_7_SNAPSHOT) {
    fail(ResponseCode.SYSTEM_ERROR, `The Consumer <${clientId}> Version <${info.version}> too low to finish, please upgrade it to V3_0_7_SNAPSHOT`);
  }
  try {
    const reply = await channel.invoke(RemotingCommand.createRequest(code, ext, body), FORWARD_TIMEOUT_MILLIS);
    const response = RemotingCommand.createResponse(reply.code, reply.remark, reply.extFields);
    response.body = reply.body;
    return response;
  } catch (err) {
    return codeResponse(ResponseCode.SYSTEM_ERROR, `invoke consumer <${clientId}> <${group}> failed: ${(err as Error).message}`);
  }
}

const getConsumerRunningInfo: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, GetConsumerRunningInfoRequestHeader);
  return forwardToConsumer(ctx, h.consumerGroup, h.clientId, RequestCode.GET_CONSUMER_RUNNING_INFO, { ...request.extFields });
};

const consumeMessageDirectly: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, ConsumeMessageDirectlyResultRequestHeader);
  if (!h.clientId || !h.msgId) fail(ResponseCode.SYSTEM_ERROR, 'CONSUME_MESSAGE_DIRECTLY needs clientId and msgId');
  let offset: number;
  try {
    offset = decodeOffsetMessageId(h.msgId).commitLogOffset;
  } catch (err) {
    fail(ResponseCode.SYSTEM_ERROR, (err as Error).message);
  }
  const record = ctx.store.lookMessageByOffset(offset);
  if (record === undefined) fail(ResponseCode.SYSTEM_ERROR, `can not find message by the offset, ${offset}`);
  const ext = { ...request.extFields, brokerName: ctx.config.brokerName };
  return forwardToConsumer(ctx, h.consumerGroup, h.clientId, RequestCode.CONSUME_MESSAGE_DIRECTLY, ext, record);
};

/**
 * INVOKE_BROKER_TO_GET_CONSUMER_STATUS: asks each consumer of the group (or only `clientAddr`, a client id) for its
 * queue offsets (GET_CONSUMER_STATUS_FROM_CLIENT) and answers `{consumerTable:{clientId:{MessageQueue:offset}}}`.
 */
const invokeBrokerToGetConsumerStatus: BrokerRequestHandler = async (ctx, _channel, request) => {
  const h = decodeHeader(request, GetConsumerStatusRequestHeader);
  const group = ctx.consumerManager.getConsumerGroupInfo(h.group);
  if (group === undefined || group.channelInfoTable.size === 0) fail(ResponseCode.SYSTEM_ERROR, `No Any Consumer online in the consumer group: [${h.group}]`);
  const consumerTable = new Map<string, unknown>();
  for (const info of group.channelInfoTable.values()) {
    if (h.clientAddr && h.clientAddr !== info.clientId) continue;
    if (info.version < MQVersion.V3_0_7_SNAPSHOT) {
      fail(ResponseCode.SYSTEM_ERROR, `The Consumer <${info.clientId}> Version <${info.version}> too low to finish, please upgrade it to V3_0_7_SNAPSHOT`);
    }
    const channel = remotingChannelOf(info.channel);
    if (channel === undefined) continue;
    try {
      const reply = await channel.invoke(RemotingCommand.createRequest(RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT, { ...request.extFields }), FORWARD_TIMEOUT_MILLIS);
      if (reply.code !== ResponseCode.SUCCESS || reply.body === undefined) continue;
      const status = new Map(mapEntries(parseFastJson(reply.body.toString('utf8'))));
      consumerTable.set(info.clientId, status.get('messageQueueTable') ?? new Map());
    } catch (err) {
      ctx.logger.warn({ err, group: h.group, clientId: info.clientId }, 'get consumer status from client failed');
    }
  }
  return bodyResponse(toFastJson({ consumerTable }));
};

/** QUERY_CONSUME_TIME_SPAN: per read queue, the store times of the first, last and last consumed message. */
const queryConsumeTimeSpan: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, QueryConsumeTimeSpanRequestHeader);
  const tc = ctx.topicConfigManager.selectTopicConfig(h.topic);
  if (tc === undefined) fail(ResponseCode.TOPIC_NOT_EXIST, `topic[${h.topic}] not exist`);
  const { store } = ctx;
  const consumeTimeSpanSet = [];
  for (let i = 0; i < tc.writeQueueNums; i++) {
    const minTimeStamp = store.getMessageStoreTimeStamp(h.topic, i, store.getMinOffsetInQueue(h.topic, i));
    const maxOffset = store.getMaxOffsetInQueue(h.topic, i);
    const maxTimeStamp = maxOffset > 0 ? store.getMessageStoreTimeStamp(h.topic, i, maxOffset - 1) : 0;
    const consumerOffset = ctx.consumerOffsetManager.queryOffset(h.group, h.topic, i);
    const consumeTimeStamp =
      consumerOffset > 0 ? store.getMessageStoreTimeStamp(h.topic, i, consumerOffset - 1) : consumerOffset === 0 ? minTimeStamp : 0;
    consumeTimeSpanSet.push({
      consumeTimeStamp,
      delayTime: maxTimeStamp - consumeTimeStamp,
      maxTimeStamp,
      messageQueue: { brokerName: ctx.config.brokerName, queueId: i, topic: h.topic },
      minTimeStamp,
    });
  }
  return bodyResponse(toFastJson({ consumeTimeSpanSet }));
};

const cloneGroupOffset: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, CloneGroupOffsetRequestHeader);
  const topics = h.topic ? [h.topic] : [...ctx.consumerOffsetManager.whichTopicByConsumer(h.srcGroup)];
  for (const topic of topics) {
    if (ctx.topicConfigManager.selectTopicConfig(topic) === undefined) continue;
    ctx.consumerOffsetManager.cloneOffset(h.srcGroup, h.destGroup, topic);
  }
  return codeResponse(ResponseCode.SUCCESS);
};

/**
 * QUERY_CORRECTION_OFFSET: per queue, the smallest offset the other groups committed, or Long.MAX_VALUE where the
 * compare group is already behind it (nothing to correct).
 */
const queryCorrectionOffset: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, QueryCorrectionOffsetHeader);
  const minOffsets = ctx.consumerOffsetManager.queryMinOffsetInAllGroup(h.topic, h.filterGroups ?? '', (t, q) => ctx.store.getMinOffsetInQueue(t, q));
  const compare = ctx.consumerOffsetManager.queryOffsets(h.compareGroup, h.topic);
  const correctionOffsets = new Map<number, number | bigint>();
  for (const [queueId, minOffset] of minOffsets) {
    const compareOffset = compare.get(queueId);
    correctionOffsets.set(queueId, compareOffset !== undefined && compareOffset > minOffset ? LONG_MAX : minOffset);
  }
  return bodyResponse(toFastJson({ correctionOffsets }));
};

export const CONSUMER_ADMIN_PROCESSORS: ReadonlyArray<readonly [number, BrokerRequestHandler]> = [
  [RequestCode.GET_CONSUMER_RUNNING_INFO, getConsumerRunningInfo],
  [RequestCode.CONSUME_MESSAGE_DIRECTLY, consumeMessageDirectly],
  [RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, invokeBrokerToGetConsumerStatus],
  [RequestCode.QUERY_CONSUME_TIME_SPAN, queryConsumeTimeSpan],
  [RequestCode.CLONE_GROUP_OFFSET, cloneGroupOffset],
  [RequestCode.QUERY_CORRECTION_OFFSET, queryCorrectionOffset],
];

