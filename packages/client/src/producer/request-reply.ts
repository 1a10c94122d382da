/**
 * Request/reply (RocketMQ 4.6+): a producer's `request()` sends a message carrying CORRELATION_ID, REPLY_TO_CLIENT
 * and TTL; the consumer that handles it answers with `createReplyMessage(request, body)` sent by any producer; the
 * broker pushes that reply (PUSH_REPLY_MESSAGE_TO_CLIENT) to the requesting client, which resolves the request.
 */
import {
  Message,
  MessageConst,
  MessageExt,
  MessageSysFlag,
  REPLY_MESSAGE_FLAG,
  decompressBody,
  getReplyTopic,
  parseSocketAddress,
  string2messageProperties,
  type SocketAddress,
} from '@rockit/common';
import type { ReplyMessageRequestHeader } from '@rockit/remoting';
import { MQClientError } from '../errors.js';

/** RocketMQ's ClientErrorCode.REQUEST_TIMEOUT_EXCEPTION. */
export const REQUEST_TIMEOUT_CODE = 10006;
/** RocketMQ's ClientErrorCode.CREATE_REPLY_MESSAGE_EXCEPTION. */
export const CREATE_REPLY_MESSAGE_CODE = 10007;

/** The request was sent, but no reply arrived in time (RocketMQ `RequestTimeoutException`). */
export class RequestTimeoutError extends MQClientError {
  override name = 'RequestTimeoutError';
  constructor(topic: string, timeoutMillis: number) {
    super(`the request to topic ${topic} was sent, but no reply arrived within ${timeoutMillis} ms`, REQUEST_TIMEOUT_CODE);
  }
}

/**
 * The reply to a request message (RocketMQ `MessageUtil.createReplyMessage`): addressed to the request's cluster's
 * reply topic, carrying its CORRELATION_ID, REPLY_TO_CLIENT and TTL. Send it with any producer.
 */
export function createReplyMessage(request: Message, body: Buffer | string): Message {
  const cluster = request.getProperty(MessageConst.PROPERTY_CLUSTER);
  if (cluster === undefined) {
    throw new MQClientError(
      `cannot create a reply: the request has no ${MessageConst.PROPERTY_CLUSTER} property (reply to a message a broker delivered)`,
      CREATE_REPLY_MESSAGE_CODE,
    );
  }
  const reply = new Message(getReplyTopic(cluster), body);
  reply.putProperty(MessageConst.PROPERTY_MESSAGE_TYPE, REPLY_MESSAGE_FLAG);
  for (const key of [MessageConst.PROPERTY_CORRELATION_ID, MessageConst.PROPERTY_MESSAGE_REPLY_TO_CLIENT, MessageConst.PROPERTY_MESSAGE_TTL]) {
    const value = request.getProperty(key);
    if (value !== undefined) reply.putProperty(key, value);
  }
  return reply;
}

/** True for a message `createReplyMessage` made: it goes out as SEND_REPLY_MESSAGE_V2. */
export function isReplyMessage(msg: Message): boolean {
  return msg.properties.get(MessageConst.PROPERTY_MESSAGE_TYPE) === REPLY_MESSAGE_FLAG;
}

function hostOf(text: string | undefined): SocketAddress | undefined {
  if (text === undefined) return undefined;
  try {
    return parseSocketAddress(text);
  } catch {
    return undefined;
  }
}

/** The reply a broker pushed, as the message the requester receives (ClientRemotingProcessor.receiveReplyMessage). */
export function replyFromPush(header: ReplyMessageRequestHeader, body: Buffer | undefined, receivedAt: number): MessageExt {
  let payload = body ?? Buffer.alloc(0);
  if ((header.sysFlag & MessageSysFlag.COMPRESSED_FLAG) !== 0) payload = decompressBody(payload, header.sysFlag);
  const msg = new MessageExt(header.topic, payload);
  msg.queueId = header.queueId;
  msg.sysFlag = header.sysFlag;
  msg.flag = header.flag;
  msg.bornTimestamp = header.bornTimestamp;
  msg.storeTimestamp = header.storeTimestamp;
  msg.reconsumeTimes = header.reconsumeTimes ?? 0;
  const bornHost = hostOf(header.bornHost);
  if (bornHost) msg.bornHost = bornHost;
  const storeHost = hostOf(header.storeHost);
  if (storeHost) msg.storeHost = storeHost;
  msg.properties = string2messageProperties(header.properties);
  msg.properties.set(MessageConst.PROPERTY_REPLY_MESSAGE_ARRIVE_TIME, String(receivedAt));
  return msg;
}
