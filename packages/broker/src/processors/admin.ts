/**
 * AdminBrokerProcessor (rocketmq-protocol.md §4.7): topics, subscription groups, broker config, runtime info,
 * statistics and connections. Bodies are written in fastjson's form (object-keyed maps for MessageQueue keys).
 */
import { JsonObjectKeyMap, isSystemTopic } from '@rockit/common';
import {
  CreateTopicRequestHeader,
  DeleteTopicRequestHeader,
  RequestCode,
  ResponseCode,
  decodeHeader,
} from '@rockit/remoting';
import type { TopicFilterType } from '../topic-config.js';
import type { BrokerContext, BrokerRequestHandler } from './context.js';
import { bodyResponse, codeResponse, fail } from './responses.js';

/** A MessageQueue as a fastjson map key: `{"brokerName":…,"queueId":…,"topic":…}`. */
export function messageQueueKey(ctx: BrokerContext, topic: string, queueId: number): { brokerName: string; queueId: number; topic: string } {
  return { brokerName: ctx.config.brokerName, queueId, topic };
}

export function newMessageQueueMap<V>(): JsonObjectKeyMap<{ brokerName: string; queueId: number; topic: string }, V> {
  return new JsonObjectKeyMap();
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
  return codeResponse(ResponseCode.SUCCESS);
};

const getAllTopicConfig: BrokerRequestHandler = (ctx) => bodyResponse(ctx.topicConfigManager.encode());

export const ADMIN_PROCESSORS: ReadonlyArray<readonly [number, BrokerRequestHandler]> = [
  [RequestCode.UPDATE_AND_CREATE_TOPIC, updateAndCreateTopic],
  [RequestCode.DELETE_TOPIC_IN_BROKER, deleteTopicInBroker],
  [RequestCode.GET_ALL_TOPIC_CONFIG, getAllTopicConfig],
];

