/**
 * ClientManageProcessor + the client half of ConsumerManageProcessor (rocketmq-protocol.md §4.4): HEART_BEAT,
 * UNREGISTER_CLIENT, CHECK_CLIENT_CONFIG, GET_CONSUMER_LIST_BY_GROUP.
 */
import { PermName, getRetryTopic, mapEntries, parseFastJson, toFastJson } from '@rockit/common';
import {
  GetConsumerListByGroupRequestHeader,
  LANGUAGE_NAMES,
  RequestCode,
  ResponseCode,
  UnregisterClientRequestHeader,
  decodeHeader,
  type RemotingChannel,
  type RemotingCommand,
} from '@rockit/remoting';
import { clientChannelOf } from '../client/broker-client-channel.js';
import { HeartbeatDataError, parseHeartbeatData, type HeartbeatData } from '../heartbeat-data.js';
import { newClientChannelInfo, type ClientChannelInfo } from '../managers/client-channel.js';
import type { BrokerContext, BrokerRequestHandler } from './context.js';
import { bodyResponse, codeResponse, fail } from './responses.js';

type Json = Record<string, unknown>;

/** Parses a JSON request body into a plain object, answering SYSTEM_ERROR naming the body on garbage. */
export function parseBody(request: RemotingCommand, what: string): Json {
  if (request.body === undefined || request.body.length === 0) fail(ResponseCode.SYSTEM_ERROR, `the request body (${what}) is missing`);
  let v: unknown;
  try {
    v = parseFastJson(request.body.toString('utf8'));
  } catch (err) {
    fail(ResponseCode.SYSTEM_ERROR, `the request body is not a valid ${what}: ${(err as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(ResponseCode.SYSTEM_ERROR, `the request body is not a ${what} object`);
  return Object.fromEntries(mapEntries(v).map(([k, x]) => [String(k), x]));
}

/** Who is behind a connection, as of this request. */
export function channelInfoOf(channel: RemotingChannel, request: RemotingCommand, clientId: string): ClientChannelInfo {
  return newClientChannelInfo(clientChannelOf(channel), clientId, LANGUAGE_NAMES[request.language] ?? 'OTHER', request.version, Date.now());
}

/** Whether a group's members are told about membership changes (broker switch and the group's own). */
export function notifyEnabled(ctx: BrokerContext, group: string): boolean {
  if (!ctx.config.notifyConsumerIdsChangedEnable) return false;
  return ctx.subscriptionGroupManager.selectSubscriptionGroupConfig(group)?.notifyConsumerIdsChangedEnable ?? true;
}

function heartbeatDataOf(request: RemotingCommand): HeartbeatData {
  if (request.body === undefined || request.body.length === 0) fail(ResponseCode.SYSTEM_ERROR, 'the heartbeat has no body');
  try {
    return parseHeartbeatData(request.body);
  } catch (err) {
    if (err instanceof HeartbeatDataError) fail(ResponseCode.SYSTEM_ERROR, err.message);
    throw err;
  }
}

const heartBeat: BrokerRequestHandler = (ctx, channel, request) => {
  const data = heartbeatDataOf(request);
  if (data.clientID === '') fail(ResponseCode.SYSTEM_ERROR, 'the heartbeat has an empty clientID');
  for (const c of data.consumerDataSet) {
    const groupConfig = ctx.subscriptionGroupManager.findSubscriptionGroupConfig(c.groupName);
    if (groupConfig !== undefined) {
      ctx.topicConfigManager.createTopicInSendMessageBackMethod(getRetryTopic(c.groupName), groupConfig.retryQueueNums, PermName.PERM_WRITE | PermName.PERM_READ, 0);
    }
    const notify = (groupConfig?.notifyConsumerIdsChangedEnable ?? true) && ctx.config.notifyConsumerIdsChangedEnable;
    ctx.consumerManager.registerConsumer(
      c.groupName,
      channelInfoOf(channel, request, data.clientID),
      c.consumeType,
      c.messageModel,
      c.consumeFromWhere,
      c.subscriptionDataSet,
      notify,
    );
    ctx.filterCache.register(c.groupName, c.subscriptionDataSet, ctx.config.enablePropertyFilter, ctx.logger);
  }
  for (const p of data.producerDataSet) ctx.producerManager.registerProducer(p.groupName, channelInfoOf(channel, request, data.clientID));
  return codeResponse(ResponseCode.SUCCESS);
};

const unregisterClient: BrokerRequestHandler = (ctx, channel, request) => {
  const header = decodeHeader(request, UnregisterClientRequestHeader);
  const info = channelInfoOf(channel, request, header.clientID);
  if (header.producerGroup) ctx.producerManager.unregisterProducer(header.producerGroup, info);
  if (header.consumerGroup) ctx.consumerManager.unregisterConsumer(header.consumerGroup, info, notifyEnabled(ctx, header.consumerGroup));
  return codeResponse(ResponseCode.SUCCESS);
};

const getConsumerListByGroup: BrokerRequestHandler = (ctx, channel, request) => {
  const header = decodeHeader(request, GetConsumerListByGroupRequestHeader);
  const ids = ctx.consumerManager.getConsumerGroupInfo(header.consumerGroup)?.getAllClientId() ?? [];
  if (ids.length === 0) {
    ctx.logger.warn({ group: header.consumerGroup, client: channel.remoteAddress }, 'getConsumerGroupInfo failed');
    return codeResponse(ResponseCode.SYSTEM_ERROR, `no consumer for this group, ${header.consumerGroup}`);
  }
  return bodyResponse(toFastJson({ consumerIdList: ids }));
};

/** CHECK_CLIENT_CONFIG: TAG subscriptions are always fine; SQL92 must be enabled and compile. */
const checkClientConfig: BrokerRequestHandler = (ctx, _channel, request) => {
  const body = parseBody(request, 'CheckClientRequestBody');
  const sub = body.subscriptionData;
  const fields = sub !== null && typeof sub === 'object' ? Object.fromEntries(mapEntries(sub).map(([k, x]) => [String(k), x])) : {};
  const type = typeof fields.expressionType === 'string' ? fields.expressionType : undefined;
  const expression = typeof fields.subString === 'string' ? fields.subString : undefined;
  ctx.filterCache.check(type, expression, ctx.config.enablePropertyFilter);
  return codeResponse(ResponseCode.SUCCESS);
};

export const CLIENT_MANAGE_PROCESSORS: ReadonlyArray<readonly [number, BrokerRequestHandler]> = [
  [RequestCode.HEART_BEAT, heartBeat],
  [RequestCode.UNREGISTER_CLIENT, unregisterClient],
  [RequestCode.GET_CONSUMER_LIST_BY_GROUP, getConsumerListByGroup],
  [RequestCode.CHECK_CLIENT_CONFIG, checkClientConfig],
];
