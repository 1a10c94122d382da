/**
 * ReplyMessageProcessor (request/reply, rocketmq-protocol.md §4): SEND_REPLY_MESSAGE and SEND_REPLY_MESSAGE_V2.
 * A replier sends the reply to `<cluster>_REPLY_TOPIC`; the broker pushes it at once, as PUSH_REPLY_MESSAGE_TO_CLIENT,
 * to the requesting producer named by the REPLY_TO_CLIENT property (found by client id among the producers that
 * sent heartbeats), and also stores it when `storeReplyMessageEnable` is set (the default).
 */
import { MessageConst, findProperty, tagsString2tagsCode, type SocketAddress } from '@rockit/common';
import {
  RemotingCommand,
  ReplyMessageRequestHeader,
  RequestCode,
  ResponseCode,
  SendMessageRequestHeader,
  SendMessageRequestHeaderV2,
  SendMessageResponseHeader,
  decodeHeader,
  encodeHeader,
  type RemotingChannel,
} from '@rockit/remoting';
import type { MessageExtBrokerInner } from '@rockit/store';
import { remotingChannelOf } from '../client/broker-client-channel.js';
import type { BrokerContext, BrokerRequestHandler } from './context.js';
import { bornHostOf, msgCheck, randomQueue, wasStored } from './send.js';
import { putProperty } from './stored-properties.js';

/** How long the requester may take to acknowledge a pushed reply (RocketMQ's Broker2Client.callClient: 10 s). */
const PUSH_TIMEOUT_MILLIS = 10_000;

type SendHeader = SendMessageRequestHeader;

/** Java's `InetAddress.getHostAddress() + ":" + port`: no brackets around IPv6 addresses. */
const hostText = (a: SocketAddress): string => `${a.address}:${a.port}`;

/** Pushes the reply to the requester; undefined when it acknowledged it, else why not. */
async function pushReply(ctx: BrokerContext, channel: RemotingChannel, header: SendHeader, body: Buffer): Promise<string | undefined> {
  const properties = header.properties ?? '';
  const requester = findProperty(properties, MessageConst.PROPERTY_MESSAGE_REPLY_TO_CLIENT);
  if (requester === undefined) return `the reply has no ${MessageConst.PROPERTY_MESSAGE_REPLY_TO_CLIENT} property: nobody to push it to`;
  const client = ctx.producerManager.findChannel(requester);
  const target = client ? remotingChannelOf(client) : undefined;
  if (target === undefined) return `no producer with client id <${requester}> is connected to this broker: cannot push the reply`;
  const ext = encodeHeader(
    {
      producerGroup: header.producerGroup,
      topic: header.topic,
      defaultTopic: header.defaultTopic,
      defaultTopicQueueNums: header.defaultTopicQueueNums,
      queueId: header.queueId,
      sysFlag: header.sysFlag,
      bornTimestamp: header.bornTimestamp,
      flag: header.flag,
      properties: putProperty(properties, MessageConst.PROPERTY_PUSH_REPLY_TIME, String(Date.now())),
      reconsumeTimes: header.reconsumeTimes,
      unitMode: header.unitMode,
      bornHost: hostText(bornHostOf(channel)),
      storeHost: hostText(ctx.storeHost),
      storeTimestamp: Date.now(),
    },
    ReplyMessageRequestHeader,
  );
  try {
    const answer = await target.invoke(RemotingCommand.createRequest(RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT, ext, body), PUSH_TIMEOUT_MILLIS);
    if (answer.code === ResponseCode.SUCCESS) return undefined;
    return `the requester <${requester}> refused the reply: ${answer.remark ?? `code ${answer.code}`}`;
  } catch (err) {
    return `pushing the reply to <${requester}> failed: ${(err as Error).message}`;
  }
}

async function sendReplyMessage(ctx: BrokerContext, channel: RemotingChannel, request: RemotingCommand, header: SendHeader): Promise<RemotingCommand> {
  const topicConfig = msgCheck(ctx, channel, header);
  const queueId = header.queueId < 0 ? randomQueue(topicConfig.writeQueueNums) : header.queueId;
  const body = request.body ?? Buffer.alloc(0);
  const pushFailure = await pushReply(ctx, channel, header, body);
  // As RocketMQ: a pushed reply answers SUCCESS (msgId "0", offset 0 unless it is also stored), a failed push
  // SYSTEM_ERROR with the reason; storing does not change the code.
  let response = { msgId: '0', queueId, queueOffset: 0 };
  if (ctx.config.storeReplyMessageEnable) {
    const properties = header.properties ?? '';
    const msg: MessageExtBrokerInner = {
      topic: header.topic,
      queueId,
      flag: header.flag,
      body,
      // Stored as the replier sent it (no CLUSTER added, no PUSH_REPLY_TIME), as a 4.9.8 broker stores replies.
      propertiesString: properties,
      // 4.9.8 stores sysFlag 0 and so loses the compressed flag of a compressed reply; rockit keeps the header's.
      sysFlag: header.sysFlag,
      bornTimestamp: header.bornTimestamp,
      bornHost: bornHostOf(channel),
      storeHost: ctx.storeHost,
      reconsumeTimes: header.reconsumeTimes ?? 0,
      preparedTransactionOffset: 0,
      tagsCode: tagsString2tagsCode(findProperty(properties, MessageConst.PROPERTY_TAGS)),
    };
    const result = await ctx.store.putMessage(msg);
    if (wasStored(result)) {
      ctx.stats.incPut(header.topic, 1, body.length);
      response = { msgId: result.appendResult!.msgId, queueId, queueOffset: result.appendResult!.queueOffset };
    } else {
      ctx.logger.warn({ topic: header.topic, status: result.status }, 'reply message not stored');
    }
  }
  const ext = encodeHeader(response, SendMessageResponseHeader);
  ext[MessageConst.PROPERTY_MSG_REGION] = ctx.config.regionId;
  ext[MessageConst.PROPERTY_TRACE_SWITCH] = String(ctx.config.traceOn);
  return pushFailure === undefined
    ? RemotingCommand.createResponse(ResponseCode.SUCCESS, undefined, ext)
    : RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, pushFailure, ext);
}

function submitReply(descriptor: typeof SendMessageRequestHeader | typeof SendMessageRequestHeaderV2): BrokerRequestHandler {
  return (ctx, channel, request) => sendReplyMessage(ctx, channel, request, decodeHeader(request, descriptor) as SendHeader);
}

export const REPLY_PROCESSORS: ReadonlyArray<readonly [number, BrokerRequestHandler]> = [
  [RequestCode.SEND_REPLY_MESSAGE, submitReply(SendMessageRequestHeader)],
  [RequestCode.SEND_REPLY_MESSAGE_V2, submitReply(SendMessageRequestHeaderV2)],
];
