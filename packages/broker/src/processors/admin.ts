/**
 * AdminBrokerProcessor (rocketmq-protocol.md §4.7): topics, subscription groups, broker config, runtime info,
 * statistics and connections. Bodies are fastjson text: beans with sorted keys, MessageQueue-keyed maps written
 * with object keys, integer-keyed maps with bare keys.
 */
import { JavaDouble, JsonObjectKeyMap, hashMapOrder, isSystemTopic, toFastJson } from '@rockit/common';
import { SCHEDULE_TOPIC } from '@rockit/store';
import {
  CreateTopicRequestHeader,
  DeleteSubscriptionGroupRequestHeader,
  DeleteTopicRequestHeader,
  GetBrokerConfigResponseHeader,
  GetConsumeStatsInBrokerHeader,
  GetConsumeStatsRequestHeader,
  GetConsumerConnectionListRequestHeader,
  GetProducerConnectionListRequestHeader,
  GetTopicStatsInfoRequestHeader,
  HeaderFields,
  MQVersion,
  QueryConsumeQueueRequestHeader,
  QueryTopicConsumeByWhoRequestHeader,
  RemotingCommand,
  RequestCode,
  ResetOffsetRequestHeader,
  ResponseCode,
  decodeHeader,
  defineHeader,
  encodeHeader,
} from '@rockit/remoting';
import { remotingChannelOf } from '../client/broker-client-channel.js';
import type { SubscriptionData } from '../managers/consumer-manager.js';
import { OP_HALF_TOPIC } from '../transaction/transactional-message-bridge.js';
import { subscriptionGroupConfigFromJson } from '../subscription-group-config.js';
import type { TopicFilterType } from '../topic-config.js';
import { parseBody } from './client-manage.js';
import type { BrokerContext, BrokerRequestHandler } from './context.js';
import { bodyResponse, codeResponse, fail } from './responses.js';

interface MessageQueueKey {
  brokerName: string;
  queueId: number;
  topic: string;
}

/** A MessageQueue as a fastjson map key (`{"brokerName":…,"queueId":…,"topic":…}`). */
function mq(ctx: BrokerContext, topic: string, queueId: number): MessageQueueKey {
  return { brokerName: ctx.config.brokerName, queueId, topic };
}

/** GET_TOPIC_CONFIG (5.x code 351): one topic's config. */
const GetTopicConfigRequestHeader = defineHeader('GetTopicConfigRequestHeader', { topic: HeaderFields.S });

function json(value: unknown): RemotingCommand {
  return bodyResponse(toFastJson(value));
}

const updateAndCreateTopic: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, CreateTopicRequestHeader);
  if (h.topic === h.defaultTopic) fail(ResponseCode.SYSTEM_ERROR, `the topic[${h.topic}] is conflict with the default topic.`);
  ctx.topicConfigManager.updateTopicConfig({
    topicName: h.topic,
    readQueueNums: h.readQueueNums,
    writeQueueNums: h.writeQueueNums,
    perm: h.perm,
    topicFilterType: h.topicFilterType as TopicFilterType,
    topicSysFlag: h.topicSysFlag ?? 0,
    order: h.order,
  });
  return codeResponse(ResponseCode.SUCCESS);
};

const deleteTopicInBroker: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, DeleteTopicRequestHeader);
  if (isSystemTopic(h.topic)) fail(ResponseCode.SYSTEM_ERROR, `The topic[${h.topic}] is conflict with system topic.`);
  ctx.topicConfigManager.deleteTopicConfig(h.topic);
  ctx.consumerOffsetManager.cleanOffsetByTopic(h.topic);
  ctx.store.deleteTopics([h.topic]);
  ctx.stats.onTopicDeleted(h.topic);
  return codeResponse(ResponseCode.SUCCESS);
};

const getAllTopicConfig: BrokerRequestHandler = (ctx) => bodyResponse(ctx.topicConfigManager.encode());

const getTopicConfig: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, GetTopicConfigRequestHeader);
  const tc = ctx.topicConfigManager.selectTopicConfig(h.topic);
  if (tc === undefined) fail(ResponseCode.TOPIC_NOT_EXIST, `No topic in this broker. topic: ${h.topic}`);
  return json({ topicConfig: tc });
};

const getBrokerConfig: BrokerRequestHandler = (ctx) => {
  const response = bodyResponse(ctx.config.toProperties());
  response.extFields = encodeHeader({ version: toFastJson(ctx.config.dataVersion.toJSON()) }, GetBrokerConfigResponseHeader);
  return response;
};

const updateBrokerConfig: BrokerRequestHandler = async (ctx, channel, request) => {
  const text = request.body?.toString('utf8') ?? '';
  const permissionBefore = ctx.config.brokerPermission;
  const { changed } = ctx.config.update(text);
  if (changed.length > 0) await ctx.config.persist();
  ctx.logger.info({ changed, client: channel.remoteAddress }, 'broker config updated');
  if (ctx.config.brokerPermission !== permissionBefore) {
    ctx.topicConfigManager.dataVersion.next();
    ctx.registerBrokerAll();
  }
  return codeResponse(ResponseCode.SUCCESS);
};

function formatRuntime(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `[ ${Math.floor(s / 86400)} days, ${Math.floor((s % 86400) / 3600)} hours, ${Math.floor((s % 3600) / 60)} minutes, ${s % 60} seconds ]`;
}

/** GET_BROKER_RUNTIME_INFO: the KVTable keys `mqadmin brokerStatus` prints that rockit can fill honestly. */
const getBrokerRuntimeInfo: BrokerRequestHandler = (ctx) => {
  const { config, stats, sendQueue } = ctx;
  const storeInfo = ctx.store.getRuntimeInfo();
  const table: Record<string, string> = {
    ...storeInfo,
    brokerVersionDesc: 'V4_9_8',
    brokerVersion: String(MQVersion.V4_9_8),
    msgPutTotalTodayMorning: String(stats.msgPutTotalTodayMorning),
    msgPutTotalTodayNow: String(stats.msgPutTotal),
    msgGetTotalTodayMorning: String(stats.msgGetTotalTodayMorning),
    msgGetTotalTodayNow: String(stats.msgGetTotal),
    sendThreadPoolQueueSize: String(sendQueue.size),
    sendThreadPoolQueueCapacity: String(config.sendThreadPoolQueueCapacity),
    sendThreadPoolQueueHeadWaitTimeMills: String(sendQueue.headWaitMillis()),
    pullThreadPoolQueueSize: '0',
    pullThreadPoolQueueCapacity: String(config.pullThreadPoolQueueCapacity),
    pullThreadPoolQueueHeadWaitTimeMills: '0',
    pullRequestHoldCount: String(ctx.pullRequestHoldService.size),
    startAcceptSendRequestTimeStamp: String(config.startAcceptSendRequestTimeStamp),
    bootTimestamp: String(ctx.bootTimestamp),
    runtime: formatRuntime(Date.now() - ctx.bootTimestamp),
    getTotalTps: stats.getTps().toFixed(2),
    getTransferedTps: stats.getTransferedTps(),
    brokerActive: 'true',
  };
  return json({ table });
};

const updateAndCreateSubscriptionGroup: BrokerRequestHandler = (ctx, _channel, request) => {
  const body = parseBody(request, 'SubscriptionGroupConfig');
  let config;
  try {
    config = subscriptionGroupConfigFromJson(body, 'SubscriptionGroupConfig');
  } catch (err) {
    fail(ResponseCode.SYSTEM_ERROR, (err as Error).message);
  }
  ctx.subscriptionGroupManager.updateSubscriptionGroupConfig(config);
  return codeResponse(ResponseCode.SUCCESS);
};

const deleteSubscriptionGroup: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, DeleteSubscriptionGroupRequestHeader);
  ctx.subscriptionGroupManager.deleteSubscriptionGroupConfig(h.groupName);
  if (h.removeOffset) ctx.consumerOffsetManager.removeOffset(h.groupName);
  ctx.stats.onGroupDeleted(h.groupName);
  return codeResponse(ResponseCode.SUCCESS);
};

const getAllSubscriptionGroupConfig: BrokerRequestHandler = (ctx) => bodyResponse(ctx.subscriptionGroupManager.encode());

type OffsetWrapper = { brokerOffset: number; consumerOffset: number; lastTimestamp: number };

/** OffsetWrapper of every queue (`queues` of them) of `topic` for `group` into `offsetTable`; returns Σ lag. */
function addOffsetWrappers(ctx: BrokerContext, group: string, topic: string, queues: number, offsetTable: JsonObjectKeyMap<MessageQueueKey, OffsetWrapper>): number {
  let diff = 0;
  for (let i = 0; i < queues; i++) {
    const brokerOffset = Math.max(0, ctx.store.getMaxOffsetInQueue(topic, i));
    const consumerOffset = Math.max(0, ctx.consumerOffsetManager.queryOffset(group, topic, i));
    const lastTimestamp = consumerOffset > 0 ? ctx.store.getMessageStoreTimeStamp(topic, i, consumerOffset - 1) : 0;
    offsetTable.set(mq(ctx, topic, i), { brokerOffset, consumerOffset, lastTimestamp });
    diff += brokerOffset - consumerOffset;
  }
  return diff;
}

/** An online group that subscribes other topics (not this one any more) is not reported on it. */
function unsubscribedOnline(ctx: BrokerContext, group: string, topic: string): boolean {
  const online = ctx.consumerManager.getConsumerGroupInfo(group);
  return online !== undefined && online.subscriptionTable.size > 0 && !online.subscriptionTable.has(topic);
}

/** GET_CONSUME_STATS: per read queue of each topic the group consumes, broker and consumer offsets. */
const getConsumeStats: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, GetConsumeStatsRequestHeader);
  const topics = h.topic ? [h.topic] : [...ctx.consumerOffsetManager.whichTopicByConsumer(h.consumerGroup)];
  const offsetTable = new JsonObjectKeyMap<MessageQueueKey, OffsetWrapper>();
  let consumeTps = 0;
  for (const topic of topics) {
    const tc = ctx.topicConfigManager.selectTopicConfig(topic);
    if (tc === undefined) fail(ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist`);
    if (unsubscribedOnline(ctx, h.consumerGroup, topic)) continue;
    addOffsetWrappers(ctx, h.consumerGroup, topic, tc.readQueueNums, offsetTable);
    consumeTps += ctx.stats.tpsGroupGetNums(h.consumerGroup, topic);
  }
  return json({ consumeTps: new JavaDouble(consumeTps), offsetTable });
};

/** GET_BROKER_CONSUME_STATS (mqadmin brokerConsumeStats): every group's ConsumeStats per topic, and the total lag. */
const getBrokerConsumeStats: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, GetConsumeStatsInBrokerHeader);
  let totalDiff = 0;
  const consumeStatsList: Map<string, unknown[]>[] = [];
  for (const group of ctx.subscriptionGroupManager.subscriptionGroupTable.keys()) {
    const list: unknown[] = [];
    for (const topic of ctx.consumerOffsetManager.whichTopicByConsumer(group)) {
      const tc = ctx.topicConfigManager.selectTopicConfig(topic);
      if (tc === undefined || (h.isOrder && !tc.order) || unsubscribedOnline(ctx, group, topic)) continue;
      const offsetTable = new JsonObjectKeyMap<MessageQueueKey, OffsetWrapper>();
      totalDiff += addOffsetWrappers(ctx, group, topic, tc.writeQueueNums, offsetTable);
      list.push({ consumeTps: new JavaDouble(ctx.stats.tpsGroupGetNums(group, topic)), offsetTable });
    }
    consumeStatsList.push(new Map([[group, list]]));
  }
  return json({ brokerAddr: ctx.config.brokerAddr, consumeStatsList, totalDiff });
};

/** GET_TOPIC_STATS_INFO: min/max offset and last store time of every write queue. */
const getTopicStatsInfo: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, GetTopicStatsInfoRequestHeader);
  const tc = ctx.topicConfigManager.selectTopicConfig(h.topic);
  if (tc === undefined) fail(ResponseCode.TOPIC_NOT_EXIST, `topic[${h.topic}] not exist`);
  const offsetTable = new JsonObjectKeyMap<MessageQueueKey, { lastUpdateTimestamp: number; maxOffset: number; minOffset: number }>();
  for (let i = 0; i < tc.writeQueueNums; i++) {
    const minOffset = Math.max(0, ctx.store.getMinOffsetInQueue(h.topic, i));
    const maxOffset = Math.max(0, ctx.store.getMaxOffsetInQueue(h.topic, i));
    const lastUpdateTimestamp = maxOffset > 0 ? ctx.store.getMessageStoreTimeStamp(h.topic, i, maxOffset - 1) : 0;
    offsetTable.set(mq(ctx, h.topic, i), { lastUpdateTimestamp, maxOffset, minOffset });
  }
  return json({ offsetTable });
};

function connectionOf(info: { channel: { remoteAddress: string }; clientId: string; language: string; version: number }) {
  return { clientAddr: info.channel.remoteAddress, clientId: info.clientId, language: info.language, version: info.version };
}

const getConsumerConnectionList: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, GetConsumerConnectionListRequestHeader);
  const group = ctx.consumerManager.getConsumerGroupInfo(h.consumerGroup);
  if (group === undefined || group.channelInfoTable.size === 0) {
    return codeResponse(ResponseCode.CONSUMER_NOT_ONLINE, `the consumer group[${h.consumerGroup}] not online`);
  }
  return json({
    connectionSet: [...group.channelInfoTable.values()].map(connectionOf),
    consumeFromWhere: group.consumeFromWhere,
    consumeType: group.consumeType,
    messageModel: group.messageModel,
    subscriptionTable: group.subscriptionTable,
  });
};

const getProducerConnectionList: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, GetProducerConnectionListRequestHeader);
  const channels = ctx.producerManager.getGroupChannels(h.producerGroup);
  if (channels.length === 0) return codeResponse(ResponseCode.SYSTEM_ERROR, `the producer group[${h.producerGroup}] not exist`);
  return json({ connectionSet: channels.map(connectionOf) });
};

const queryTopicConsumeByWho: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, QueryTopicConsumeByWhoRequestHeader);
  const groups = new Set([...ctx.consumerManager.queryTopicConsumeByWho(h.topic), ...ctx.consumerOffsetManager.whichGroupByTopic(h.topic)]);
  return json({ groupList: [...groups] });
};

const getAllConsumerOffset: BrokerRequestHandler = (ctx) => bodyResponse(ctx.consumerOffsetManager.encode());
const getAllDelayOffset: BrokerRequestHandler = (ctx) => bodyResponse(ctx.delayOffsetTable.encode());
const getSystemTopicListFromBroker: BrokerRequestHandler = (ctx) => json({ topicList: ctx.topicConfigManager.systemTopicList() });

/**
 * INVOKE_BROKER_TO_RESET_OFFSET (basic): computes each write queue's target offset (the offset at `timestamp`,
 * -1 = the end; kept at the committed offset when that is smaller unless `isForce`) and tells every online consumer
 * of the group with RESET_CONSUMER_CLIENT_OFFSET. The consumers commit the new offsets themselves.
 */
const invokeBrokerToResetOffset: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, ResetOffsetRequestHeader);
  const tc = ctx.topicConfigManager.selectTopicConfig(h.topic);
  if (tc === undefined) fail(ResponseCode.SYSTEM_ERROR, `[reset-offset] reset offset failed, no topic in this broker. topic=${h.topic}`);
  const offsetTable = new JsonObjectKeyMap<MessageQueueKey, number>();
  for (let i = 0; i < tc.writeQueueNums; i++) {
    const consumerOffset = ctx.consumerOffsetManager.queryOffset(h.group, h.topic, i);
    if (consumerOffset === -1) fail(ResponseCode.SYSTEM_ERROR, `THe consumer group <${h.group}> not exist`);
    const timestampOffset = h.timestamp === -1 ? ctx.store.getMaxOffsetInQueue(h.topic, i) : ctx.store.getOffsetInQueueByTime(h.topic, i, h.timestamp);
    offsetTable.set(mq(ctx, h.topic, i), h.isForce || timestampOffset < consumerOffset ? timestampOffset : consumerOffset);
  }
  const body = Buffer.from(toFastJson({ offsetTable }), 'utf8');
  const group = ctx.consumerManager.getConsumerGroupInfo(h.group);
  const channels = group ? [...group.channelInfoTable.values()].filter((i) => i.version >= MQVersion.V3_0_7_SNAPSHOT) : [];
  if (channels.length === 0) {
    return codeResponse(ResponseCode.CONSUMER_NOT_ONLINE, `Consumer not online, so can not reset offset, Group: ${h.group} Topic: ${h.topic} Timestamp: ${h.timestamp}`);
  }
  for (const info of channels) {
    const channel = remotingChannelOf(info.channel);
    if (channel) ctx.clientNotifier.resetOffset(channel, { topic: h.topic, group: h.group, timestamp: h.timestamp, isForce: h.isForce }, body);
  }
  return bodyResponse(body);
};

/**
 * GET_ALL_PRODUCER_INFO: every producer connection by group, as ProducerTableInfo (`remoteIP` in Java's
 * InetSocketAddress.toString() form, "/ip:port"; groups in Java HashMap order).
 */
const getAllProducerInfo: BrokerRequestHandler = (ctx) => {
  const table = ctx.producerManager.getGroupChannelTable();
  const data = new Map<string, unknown[]>();
  for (const group of hashMapOrder(table.keys())) {
    data.set(
      group,
      table.get(group)!.map((i) => ({ clientId: i.clientId, language: i.language, lastUpdateTimestamp: i.lastUpdateTimestamp, remoteIP: `/${i.channel.remoteAddress}`, version: i.version })),
    );
  }
  return json({ data });
};

/** CLEAN_EXPIRED_CONSUMEQUEUE (mqadmin cleanExpiredCQ): drops the consume queues whose messages retention removed. */
const cleanExpiredConsumeQueue: BrokerRequestHandler = (ctx) => {
  ctx.logger.warn('cleaning expired consume queues on an admin request');
  ctx.store.cleanExpiredConsumeQueue();
  return codeResponse(ResponseCode.SUCCESS);
};

/** DELETE_EXPIRED_COMMITLOG (mqadmin deleteExpiredCommitLog): runs retention now, as at `deleteWhen`. */
const deleteExpiredCommitLog: BrokerRequestHandler = (ctx) => {
  ctx.logger.warn('deleting expired commit-log files on an admin request');
  ctx.store.executeDeleteFilesManually();
  return codeResponse(ResponseCode.SUCCESS);
};

/**
 * Consume queues CLEAN_UNUSED_TOPIC must keep although no topic config names them: the schedule topic's (the delay
 * service's offsets point into them) and the transaction op topic's, which 4.9.8 keeps out of topics.json too; a
 * 4.9.8 broker would drop the latter and re-check finished transactions.
 */
const KEEP_WITHOUT_CONFIG: ReadonlySet<string> = new Set([SCHEDULE_TOPIC, OP_HALF_TOPIC]);

/** CLEAN_UNUSED_TOPIC (mqadmin cleanUnusedTopic): drops the consume queues of topics this broker has no config for. */
const cleanUnusedTopic: BrokerRequestHandler = (ctx) => {
  const known = ctx.topicConfigManager.topicConfigTable;
  const unused = [...ctx.store.getConsumeQueueTable().keys()].filter((t) => !known.has(t) && !KEEP_WITHOUT_CONFIG.has(t));
  ctx.logger.warn({ topics: unused }, 'cleaning unused topics on an admin request');
  ctx.store.deleteTopics(unused);
  return codeResponse(ResponseCode.SUCCESS);
};

/**
 * QUERY_CONSUME_QUEUE (mqadmin queryCq): `count` consume-queue units of one queue from `index`, the queue's bounds,
 * and with a consumer group its subscription and filter data. No unit here has consumequeue_ext data (rockit does
 * not write it), so `eval` stays false and there is no `bitMap` or `extendDataJson`.
 */
const queryConsumeQueue: BrokerRequestHandler = (ctx, _channel, request) => {
  const raw = decodeHeader(request, QueryConsumeQueueRequestHeader);
  if (!raw.topic) fail(ResponseCode.SYSTEM_ERROR, 'QUERY_CONSUME_QUEUE needs a topic');
  // Java's primitive fields: 0 when absent.
  const h = { ...raw, topic: raw.topic, queueId: raw.queueId ?? 0, index: raw.index ?? 0, count: raw.count ?? 0 };
  const units = ctx.store.getConsumeQueueUnits(h.topic, h.queueId, h.index, h.count);
  if (units === undefined) return codeResponse(ResponseCode.SYSTEM_ERROR, `queue ${h.queueId} of topic ${h.topic} does not exist on this broker`);
  // Keys in fastjson's (alphabetical) order.
  const body: Record<string, unknown> = {};
  let subscriptionData: SubscriptionData | undefined;
  if (h.consumerGroup) {
    subscriptionData = ctx.consumerManager.findSubscriptionData(h.consumerGroup, h.topic);
    body.filterData =
      subscriptionData === undefined
        ? `${h.consumerGroup}@${h.topic} is not online!`
        : subscriptionData.expressionType === 'SQL92'
          ? JSON.stringify({ clientVersion: subscriptionData.subVersion, consumerGroup: h.consumerGroup, expression: subscriptionData.subString, expressionType: 'SQL92', topic: h.topic }, null, '\t')
          : 'null';
  }
  const max = ctx.store.getMaxOffsetInQueue(h.topic, h.queueId);
  const min = ctx.store.getMinOffsetInQueue(h.topic, h.queueId);
  body.maxQueueIndex = max;
  body.minQueueIndex = min;
  body.queueData = units.map((u) => ({ eval: false, physicOffset: u.physicOffset, physicSize: u.physicSize, tagsCode: u.tagsCode }));
  if (subscriptionData !== undefined) body.subscriptionData = subscriptionData;
  const response = json(body);
  if (units.length === 0) response.remark = `no unit at index ${h.index} of queue ${h.queueId} of ${h.topic} (it holds ${min} to ${max - 1})`;
  return response;
};

export const ADMIN_PROCESSORS: ReadonlyArray<readonly [number, BrokerRequestHandler]> = [
  [RequestCode.UPDATE_AND_CREATE_TOPIC, updateAndCreateTopic],
  [RequestCode.DELETE_TOPIC_IN_BROKER, deleteTopicInBroker],
  [RequestCode.GET_ALL_TOPIC_CONFIG, getAllTopicConfig],
  [RequestCode.GET_TOPIC_CONFIG, getTopicConfig],
  [RequestCode.GET_BROKER_CONFIG, getBrokerConfig],
  [RequestCode.UPDATE_BROKER_CONFIG, updateBrokerConfig],
  [RequestCode.GET_BROKER_RUNTIME_INFO, getBrokerRuntimeInfo],
  [RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, updateAndCreateSubscriptionGroup],
  [RequestCode.DELETE_SUBSCRIPTIONGROUP, deleteSubscriptionGroup],
  [RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, getAllSubscriptionGroupConfig],
  [RequestCode.GET_CONSUME_STATS, getConsumeStats],
  [RequestCode.GET_BROKER_CONSUME_STATS, getBrokerConsumeStats],
  [RequestCode.GET_TOPIC_STATS_INFO, getTopicStatsInfo],
  [RequestCode.GET_CONSUMER_CONNECTION_LIST, getConsumerConnectionList],
  [RequestCode.GET_PRODUCER_CONNECTION_LIST, getProducerConnectionList],
  [RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, queryTopicConsumeByWho],
  [RequestCode.GET_ALL_CONSUMER_OFFSET, getAllConsumerOffset],
  [RequestCode.GET_ALL_DELAY_OFFSET, getAllDelayOffset],
  [RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER, getSystemTopicListFromBroker],
  [RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, invokeBrokerToResetOffset],
  [RequestCode.GET_ALL_PRODUCER_INFO, getAllProducerInfo],
  [RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE, cleanExpiredConsumeQueue],
  [RequestCode.DELETE_EXPIRED_COMMITLOG, deleteExpiredCommitLog],
  [RequestCode.CLEAN_UNUSED_TOPIC, cleanUnusedTopic],
  [RequestCode.QUERY_CONSUME_QUEUE, queryConsumeQueue],
];
