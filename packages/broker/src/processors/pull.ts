/**
 * PullMessageProcessor (rocketmq-protocol.md §8): checks, subscription, store read, status -> response code and
 * nextBeginOffset, commit offset, and long polling through the PullRequestHoldService. The body is the stored
 * records exactly as the store returned them.
 */
import { MessageConst, MixAll, PullSysFlag, SystemTopic, isReadable, tagsString2tagsCode, toFastJson } from '@rockit/common';
import {
  PullMessageRequestHeader,
  PullMessageResponseHeader,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeHeader,
  encodeHeader,
  type RemotingChannel,
} from '@rockit/remoting';
import { GetMessageStatus, type GetMessageResult } from '@rockit/store';
import type { BrokerContext, BrokerRequestHandler } from './context.js';
import type { SubscriptionFilter } from './filter-cache.js';
import { fail, failureResponse } from './responses.js';

type PullHeader = PullMessageRequestHeader;

/** Store status -> response code (§8.2); `undefined` code means "depends on the requested offset". */
const STATUS_CODE: Record<GetMessageStatus, number | undefined> = {
  [GetMessageStatus.FOUND]: ResponseCode.SUCCESS,
  [GetMessageStatus.MESSAGE_WAS_REMOVING]: ResponseCode.PULL_RETRY_IMMEDIATELY,
  [GetMessageStatus.NO_MATCHED_MESSAGE]: ResponseCode.PULL_RETRY_IMMEDIATELY,
  [GetMessageStatus.NO_MATCHED_LOGIC_QUEUE]: undefined,
  [GetMessageStatus.NO_MESSAGE_IN_QUEUE]: undefined,
  [GetMessageStatus.OFFSET_FOUND_NULL]: ResponseCode.PULL_NOT_FOUND,
  [GetMessageStatus.OFFSET_OVERFLOW_BADLY]: ResponseCode.PULL_OFFSET_MOVED,
  [GetMessageStatus.OFFSET_OVERFLOW_ONE]: ResponseCode.PULL_NOT_FOUND,
  [GetMessageStatus.OFFSET_TOO_SMALL]: ResponseCode.PULL_OFFSET_MOVED,
};

function responseCodeOf(result: GetMessageResult, requestedOffset: number): number {
  const code = STATUS_CODE[result.status];
  if (code !== undefined) return code;
  // An empty or unknown queue: the offset is wrong unless the consumer asked for 0.
  return requestedOffset !== 0 ? ResponseCode.PULL_OFFSET_MOVED : ResponseCode.PULL_NOT_FOUND;
}

/** The subscription a pull is filtered by: from the header (FLAG_SUBSCRIPTION) or from the heartbeat registry. */
function subscriptionFilterOf(ctx: BrokerContext, header: PullHeader, consumeBroadcastEnable: boolean): SubscriptionFilter {
  const { config } = ctx;
  if ((header.sysFlag & PullSysFlag.FLAG_SUBSCRIPTION) !== 0) {
    return ctx.filterCache.get(
      header.consumerGroup,
      header.topic,
      header.expressionType,
      header.subscription,
      header.subVersion,
      config.enablePropertyFilter,
    );
  }
  const group = ctx.consumerManager.getConsumerGroupInfo(header.consumerGroup);
  if (group === undefined) fail(ResponseCode.SUBSCRIPTION_NOT_EXIST, `the consumer's group info not exist, group: ${header.consumerGroup}`);
  if (!consumeBroadcastEnable && group.messageModel === 'BROADCASTING') {
    fail(ResponseCode.NO_PERMISSION, `the consumer group[${header.consumerGroup}] can not consume by broadcast way`);
  }
  const sub = group.subscriptionTable.get(header.topic);
  if (sub === undefined) fail(ResponseCode.SUBSCRIPTION_NOT_EXIST, `the consumer's subscription not exist, group: ${header.consumerGroup}, topic: ${header.topic}`);
  if (sub.subVersion < header.subVersion) {
    fail(ResponseCode.SUBSCRIPTION_NOT_LATEST, `the consumer's subscription not latest, group: ${header.consumerGroup}, topic: ${header.topic}`);
  }
  return ctx.filterCache.get(header.consumerGroup, header.topic, sub.expressionType, sub.subString, sub.subVersion, config.enablePropertyFilter);
}

/** One pull. With `brokerAllowSuspend` an empty result may be parked; a woken pull runs with it false. */
export async function processPullRequest(
  ctx: BrokerContext,
  channel: RemotingChannel,
  request: RemotingCommand,
  brokerAllowSuspend: boolean,
): Promise<RemotingCommand | null> {
  const { config, store } = ctx;
  const header = decodeHeader(request, PullMessageRequestHeader);
  if (!isReadable(config.brokerPermission)) fail(ResponseCode.NO_PERMISSION, `the broker[${config.brokerIP1}] pulling message is forbidden`);
  const groupConfig = ctx.subscriptionGroupManager.findSubscriptionGroupConfig(header.consumerGroup);
  if (groupConfig === undefined) fail(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group [${header.consumerGroup}] does not exist`);
  if (!groupConfig.consumeEnable) fail(ResponseCode.NO_PERMISSION, `subscription group no permission, ${header.consumerGroup}`);

  const hasSuspend = (header.sysFlag & PullSysFlag.FLAG_SUSPEND) !== 0;
  const hasCommitOffset = (header.sysFlag & PullSysFlag.FLAG_COMMIT_OFFSET) !== 0;

  const topicConfig = ctx.topicConfigManager.selectTopicConfig(header.topic);
  if (topicConfig === undefined) fail(ResponseCode.TOPIC_NOT_EXIST, `topic[${header.topic}] not exist, apply first please!`);
  if (!isReadable(topicConfig.perm)) fail(ResponseCode.NO_PERMISSION, `the topic[${header.topic}] pulling message is forbidden`);
  if (header.queueId < 0 || header.queueId >= topicConfig.readQueueNums) {
    fail(
      ResponseCode.SYSTEM_ERROR,
      `queueId[${header.queueId}] is illegal, topic:[${header.topic}] topicConfig.readQueueNums:[${topicConfig.readQueueNums}] consumer:[${channel.remoteAddress}]`,
    );
  }
  const filter = subscriptionFilterOf(ctx, header, groupConfig.consumeBroadcastEnable);

  const result = await store.getMessage(header.consumerGroup, header.topic, header.queueId, header.queueOffset, header.maxMsgNums, filter);
  const code = responseCodeOf(result, header.queueOffset);
  const nextBeginOffset =
    result.status === GetMessageStatus.NO_MATCHED_LOGIC_QUEUE || result.status === GetMessageStatus.NO_MESSAGE_IN_QUEUE ? 0 : result.nextBeginOffset;

  // Commit before answering, whatever the outcome (RocketMQ does it after building the response).
  if (brokerAllowSuspend && hasCommitOffset && config.isMaster()) {
    ctx.consumerOffsetManager.commitOffset(channel.remoteAddress, header.consumerGroup, header.topic, header.queueId, header.commitOffset);
  }

  if (code === ResponseCode.PULL_NOT_FOUND && brokerAllowSuspend && hasSuspend) {
    const timeoutMillis = config.longPollingEnable ? header.suspendTimeoutMillis : config.shortPollingTimeMills;
    return ctx.pullRequestHoldService.suspendPullRequest(header.topic, header.queueId, {
      channel,
      request,
      pullFromThisOffset: header.queueOffset,
      filter,
      suspendTimestamp: Date.now(),
      timeoutMillis,
    });
  }

  if (code === ResponseCode.PULL_OFFSET_MOVED && config.isMaster()) {
    generateOffsetMovedEvent(ctx, header.consumerGroup, header.topic, header.queueId, header.queueOffset, nextBeginOffset);
  }

  const ext = encodeHeader(
    { suggestWhichBrokerId: MixAll.MASTER_ID, nextBeginOffset, minOffset: result.minOffset, maxOffset: result.maxOffset },
    PullMessageResponseHeader,
  );
  const response = RemotingCommand.createResponse(code, result.status, ext);
  if (code === ResponseCode.SUCCESS) {
    // The stored records go out as they are, without joining them into one Buffer first.
    response.setBodyParts(result.messageBufferList, result.bufferTotalSize);
    ctx.stats.incGet(header.topic, result.msgCount, result.bufferTotalSize, header.consumerGroup);
  }
  return response;
}

/**
 * Records a corrected pull offset as a message in OFFSET_MOVED_EVENT (tag and key = the group), as a master
 * broker does, so operators can see which groups lost or skipped messages.
 */
function generateOffsetMovedEvent(ctx: BrokerContext, group: string, topic: string, queueId: number, offsetRequest: number, offsetNew: number): void {
  const event = { consumerGroup: group, messageQueue: { brokerName: ctx.config.brokerName, queueId, topic }, offsetNew, offsetRequest };
  ctx.store
    .putMessage({
      topic: SystemTopic.RMQ_SYS_OFFSET_MOVED_EVENT,
      queueId: 0,
      flag: 0,
      body: Buffer.from(toFastJson(event), 'utf8'),
      propertiesString: `${MessageConst.PROPERTY_TAGS}\u0001${group}\u0002${MessageConst.PROPERTY_KEYS}\u0001${group}`,
      sysFlag: 0,
      bornTimestamp: Date.now(),
      bornHost: ctx.storeHost,
      storeHost: ctx.storeHost,
      reconsumeTimes: 0,
      preparedTransactionOffset: 0,
      tagsCode: tagsString2tagsCode(group),
    })
    .then(
      (r) => ctx.logger.warn({ event, status: r.status }, 'PULL_OFFSET_MOVED: offset moved event written'),
      (err: unknown) => ctx.logger.warn({ err, event }, 'writing the offset moved event failed'),
    );
}

const pullMessage: BrokerRequestHandler = (ctx, channel, request) => processPullRequest(ctx, channel, request, true);

/** What the hold service runs when it wakes a parked pull: failures become responses, never lost answers. */
export function executeRequestWhenWakeup(ctx: BrokerContext, channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand | null> {
  return processPullRequest(ctx, channel, request, false).catch((err: unknown) => failureResponse(err));
}

export const PULL_PROCESSORS: ReadonlyArray<readonly [number, BrokerRequestHandler]> = [[RequestCode.PULL_MESSAGE, pullMessage]];
