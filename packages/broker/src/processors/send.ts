/**
 * SendMessageProcessor (rocketmq-protocol.md §4.3, §6.7, §9.3): SEND_MESSAGE, SEND_MESSAGE_V2, SEND_BATCH_MESSAGE
 * and CONSUMER_SEND_MSG_BACK. Bodies are stored as received; only the properties string is edited (CLUSTER added,
 * WAIT dropped for single sends, REAL_TOPIC/REAL_QID for delayed messages).
 */
import {
  MessageConst,
  MessageDecodeError,
  MessageSysFlag,
  MixAll,
  PermName,
  decodeMessage,
  getDLQTopic,
  getRetryTopic,
  getTransactionValue,
  isRetryTopic,
  isWriteable,
  iterateBatchMessages,
  mergeBatchProperties,
  parseDelayLevels,
  parseSocketAddress,
  tagsString2tagsCode,
  validateTopic,
  type SocketAddress,
} from '@rockit/common';
import {
  ConsumerSendMsgBackRequestHeader,
  MQVersion,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  SendMessageRequestHeader,
  SendMessageRequestHeaderV2,
  SendMessageResponseHeader,
  decodeHeader,
  encodeHeader,
  type RemotingChannel,
} from '@rockit/remoting';
import { PutMessageStatus, SCHEDULE_TOPIC, type MessageExtBrokerInner, type PutMessageResult } from '@rockit/store';
import type { TopicConfig } from '../topic-config.js';
import { parseHalfMessageInner } from '../transaction/transactional-message-bridge.js';
import type { BrokerContext, BrokerRequestHandler } from './context.js';
import { codeResponse, fail } from './responses.js';
import { editProperties, findProperty, putProperty, storedSingleProperties } from './stored-properties.js';

type SendHeader = SendMessageRequestHeader;

const RW = PermName.PERM_READ | PermName.PERM_WRITE;

/** Store outcome -> response code and the remark RocketMQ gives (§4.3). */
const PUT_STATUS_RESPONSE: Record<PutMessageStatus, { code: number; remark?: string }> = {
  [PutMessageStatus.PUT_OK]: { code: ResponseCode.SUCCESS },
  [PutMessageStatus.FLUSH_DISK_TIMEOUT]: { code: ResponseCode.FLUSH_DISK_TIMEOUT },
  [PutMessageStatus.FLUSH_SLAVE_TIMEOUT]: { code: ResponseCode.FLUSH_SLAVE_TIMEOUT },
  [PutMessageStatus.SLAVE_NOT_AVAILABLE]: { code: ResponseCode.SLAVE_NOT_AVAILABLE },
  [PutMessageStatus.CREATE_MAPEDFILE_FAILED]: { code: ResponseCode.SYSTEM_ERROR, remark: 'create mapped file failed, server is busy or broken.' },
  [PutMessageStatus.MESSAGE_ILLEGAL]: {
    code: ResponseCode.MESSAGE_ILLEGAL,
    remark: 'the message is illegal, maybe msg body or properties length not matched. msg body length limit 128k, msg properties length limit 32k.',
  },
  [PutMessageStatus.PROPERTIES_SIZE_EXCEEDED]: { code: ResponseCode.MESSAGE_ILLEGAL, remark: 'the message properties are longer than 32767 bytes' },
  [PutMessageStatus.SERVICE_NOT_AVAILABLE]: {
    code: ResponseCode.SERVICE_NOT_AVAILABLE,
    remark: "service not available now. It may be caused by one of the following reasons: the broker's disk is full, messages are put to the slave, message store has been shut down, etc.",
  },
  [PutMessageStatus.OS_PAGECACHE_BUSY]: { code: ResponseCode.SYSTEM_ERROR, remark: '[PC_SYNCHRONIZED]broker busy, start flow control for a while' },
  [PutMessageStatus.UNKNOWN_ERROR]: { code: ResponseCode.SYSTEM_ERROR, remark: 'UNKNOWN_ERROR' },
};

const BORN_HOST = 'rockit.bornHost';

/** The producer's address as a SocketAddress, parsed once per connection. */
export function bornHostOf(channel: RemotingChannel): SocketAddress {
  let host = channel.attributes.get(BORN_HOST) as SocketAddress | undefined;
  if (host === undefined) {
    try {
      host = parseSocketAddress(channel.remoteAddress);
    } catch {
      host = { address: '0.0.0.0', port: 0 };
    }
    channel.attributes.set(BORN_HOST, host);
  }
  return host;
}

export function randomQueue(n: number): number {
  return n <= 1 ? 0 : Math.floor(Math.random() * n);
}

/** `AbstractSendMessageProcessor.msgCheck`: the topic's config (auto-created when allowed) or a failure. */
export function msgCheck(ctx: BrokerContext, channel: RemotingChannel, header: SendHeader): TopicConfig {
  const { config, topicConfigManager } = ctx;
  const topic = header.topic;
  const existing = topicConfigManager.selectTopicConfig(topic);
  if (!isWriteable(config.brokerPermission) && existing?.order) {
    fail(ResponseCode.NO_PERMISSION, `the broker[${config.brokerIP1}] sending message is forbidden`);
  }
  const invalid = validateTopic(topic);
  if (invalid) fail(ResponseCode.SYSTEM_ERROR, invalid);
  if (!topicConfigManager.isTopicCanSendMessage(topic)) fail(ResponseCode.NO_PERMISSION, `Sending message to topic[${topic}] is forbidden.`);
  let topicConfig = existing;
  if (topicConfig === undefined) {
    const topicSysFlag = 0;
    topicConfig = topicConfigManager.createTopicInSendMessageMethod(topic, header.defaultTopic, channel.remoteAddress, header.defaultTopicQueueNums, topicSysFlag);
    if (topicConfig === undefined && isRetryTopic(topic)) {
      topicConfig = topicConfigManager.createTopicInSendMessageBackMethod(topic, 1, RW, topicSysFlag);
    }
    if (topicConfig === undefined) fail(ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist, apply first please!`);
  }
  const queueIdMax = Math.max(topicConfig.readQueueNums, topicConfig.writeQueueNums);
  if (header.queueId >= queueIdMax) {
    fail(ResponseCode.SYSTEM_ERROR, `request queueId[${header.queueId}] is illegal, topic ${topic} has ${queueIdMax} queues, producer: ${channel.remoteAddress}`);
  }
  const acceptFrom = config.startAcceptSendRequestTimeStamp;
  if (acceptFrom > Date.now()) fail(ResponseCode.SYSTEM_ERROR, `broker unable to service, until ${new Date(acceptFrom).toISOString()}`);
  return topicConfig;
}

interface Destination {
  topic: string;
  queueId: number;
  topicConfig: TopicConfig;
  /** Properties edit for the DLQ move (delay level removed). */
  toDlq: boolean;
}

/**
 * `handleRetryAndDLQ`: a message produced to `%RETRY%<group>` (client-side send-back fallback) goes to
 * `%DLQ%<group>` once it was reconsumed `maxReconsumeTimes` times.
 */
function retryDestination(ctx: BrokerContext, request: RemotingCommand, header: SendHeader, dest: Destination): void {
  if (!isRetryTopic(dest.topic)) return;
  const group = dest.topic.slice(MixAll.RETRY_GROUP_TOPIC_PREFIX.length);
  const groupConfig = ctx.subscriptionGroupManager.findSubscriptionGroupConfig(group);
  if (groupConfig === undefined) fail(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${group}`);
  let maxReconsumeTimes = groupConfig.retryMaxTimes;
  if (request.version >= MQVersion.V3_4_9 && header.maxReconsumeTimes !== undefined) maxReconsumeTimes = header.maxReconsumeTimes;
  if ((header.reconsumeTimes ?? 0) < maxReconsumeTimes) return;
  const dlq = getDLQTopic(group);
  dest.topicConfig = ctx.topicConfigManager.createTopicInSendMessageBackMethod(dlq, MixAll.DLQ_QUEUE_NUMS, RW, 0);
  dest.topic = dlq;
  dest.queueId = randomQueue(MixAll.DLQ_QUEUE_NUMS);
  dest.toDlq = true;
}

/** The delay level a properties string asks for (0 = none). */
function delayLevelOf(props: string): number {
  const raw = findProperty(props, MessageConst.PROPERTY_DELAY_TIME_LEVEL);
  if (raw === undefined) return 0;
  const n = Number(raw);
  return Number.isInteger(n) ? n : 0;
}

let delayLevelCache: { spec: string; max: number } | undefined;
function maxDelayLevel(ctx: BrokerContext): number {
  const spec = ctx.config.messageDelayLevel;
  if (delayLevelCache?.spec !== spec) delayLevelCache = { spec, max: parseDelayLevels(spec).length };
  return delayLevelCache.max;
}

/**
 * Parks a delayed message in SCHEDULE_TOPIC_XXXX queue `level - 1` with REAL_TOPIC/REAL_QID (RocketMQ does this in
 * CommitLog.putMessage; the store leaves it to the broker). The delivery service itself is not part of this module.
 */
export function applyDelayLevel(ctx: BrokerContext, msg: MessageExtBrokerInner): void {
  const tranType = getTransactionValue(msg.sysFlag);
  if (tranType !== MessageSysFlag.TRANSACTION_NOT_TYPE && tranType !== MessageSysFlag.TRANSACTION_COMMIT_TYPE) return;
  let level = delayLevelOf(msg.propertiesString);
  if (level <= 0) return;
  level = Math.min(level, maxDelayLevel(ctx));
  const realTopic = msg.topic;
  const realQueueId = msg.queueId;
  msg.propertiesString = editProperties(msg.propertiesString, (p) => {
    p.set(MessageConst.PROPERTY_DELAY_TIME_LEVEL, String(level));
    p.set(MessageConst.PROPERTY_REAL_TOPIC, realTopic);
    p.set(MessageConst.PROPERTY_REAL_QUEUE_ID, String(realQueueId));
  });
  msg.topic = SCHEDULE_TOPIC;
  msg.queueId = level - 1;
}

/** Outcomes where the message was stored: the response header is filled even when the code is not SUCCESS. */
const STORED_CODES: ReadonlySet<number> = new Set([
  ResponseCode.SUCCESS,
  ResponseCode.FLUSH_DISK_TIMEOUT,
  ResponseCode.FLUSH_SLAVE_TIMEOUT,
  ResponseCode.SLAVE_NOT_AVAILABLE,
]);

/** True when the store kept the message (PUT_OK, or stored with a flush/slave shortfall). */
export function wasStored(result: PutMessageResult): boolean {
  const code = PUT_STATUS_RESPONSE[result.status]?.code;
  return code !== undefined && STORED_CODES.has(code) && result.appendResult !== undefined;
}

function sendResponse(ctx: BrokerContext, result: PutMessageResult, queueId: number): RemotingCommand {
  const mapped = PUT_STATUS_RESPONSE[result.status] ?? PUT_STATUS_RESPONSE[PutMessageStatus.UNKNOWN_ERROR];
  const append = result.appendResult;
  if (append === undefined || !STORED_CODES.has(mapped.code)) return codeResponse(mapped.code, result.remark ?? mapped.remark ?? result.status);
  const ext = encodeHeader({ msgId: append.msgId, queueId, queueOffset: append.queueOffset }, SendMessageResponseHeader);
  ext[MessageConst.PROPERTY_MSG_REGION] = ctx.config.regionId;
  ext[MessageConst.PROPERTY_TRACE_SWITCH] = String(ctx.config.traceOn);
  return RemotingCommand.createResponse(mapped.code, mapped.remark, ext);
}

function checkBodySize(ctx: BrokerContext, size: number): void {
  if (size > ctx.config.maxMessageSize) {
    fail(ResponseCode.MESSAGE_ILLEGAL, `the message body size ${size} bytes is larger than maxMessageSize ${ctx.config.maxMessageSize} bytes`);
  }
}

async function sendMessage(ctx: BrokerContext, channel: RemotingChannel, request: RemotingCommand, header: SendHeader): Promise<RemotingCommand> {
  const topicConfig = msgCheck(ctx, channel, header);
  const dest: Destination = {
    topic: header.topic,
    queueId: header.queueId < 0 ? randomQueue(topicConfig.writeQueueNums) : header.queueId,
    topicConfig,
    toDlq: false,
  };
  const body = request.body ?? Buffer.alloc(0);
  checkBodySize(ctx, body.length);
  retryDestination(ctx, request, header, dest);
  let sysFlag = header.sysFlag;
  if (dest.topicConfig.topicFilterType === 'MULTI_TAG') sysFlag |= MessageSysFlag.MULTI_TAGS_FLAG;
  const props = header.properties ?? '';
  if (getTransactionValue(sysFlag) === MessageSysFlag.TRANSACTION_PREPARED_TYPE && ctx.config.rejectTransactionMessage) {
    fail(ResponseCode.NO_PERMISSION, `the broker[${ctx.config.brokerIP1}] sending transaction message is forbidden`);
  }
  const prepared = getTransactionValue(sysFlag) === MessageSysFlag.TRANSACTION_PREPARED_TYPE;
  let propertiesString = storedSingleProperties(props, ctx.config.brokerClusterName);
  if (dest.toDlq) propertiesString = editProperties(propertiesString, (p) => p.delete(MessageConst.PROPERTY_DELAY_TIME_LEVEL));
  const msg: MessageExtBrokerInner = {
    topic: dest.topic,
    queueId: dest.queueId,
    flag: header.flag,
    body,
    propertiesString,
    sysFlag,
    bornTimestamp: header.bornTimestamp,
    bornHost: bornHostOf(channel),
    storeHost: ctx.storeHost,
    reconsumeTimes: header.reconsumeTimes ?? 0,
    preparedTransactionOffset: 0,
    tagsCode: tagsString2tagsCode(findProperty(props, MessageConst.PROPERTY_TAGS)),
  };
  // Half and delayed messages are re-encoded from the producer's full map by a Java broker, WAIT included.
  const halfMessage = prepared && !dest.toDlq;
  if (halfMessage || delayLevelOf(propertiesString) > 0) {
    const wait = findProperty(props, MessageConst.PROPERTY_WAIT_STORE_MSG_OK);
    if (wait !== undefined) msg.propertiesString = putProperty(msg.propertiesString, MessageConst.PROPERTY_WAIT_STORE_MSG_OK, wait);
  }
  // A prepared (half) message waits in RMQ_SYS_TRANS_HALF_TOPIC for END_TRANSACTION; delay levels do not apply.
  if (halfMessage) parseHalfMessageInner(msg);
  else applyDelayLevel(ctx, msg);
  const result = await ctx.store.putMessage(msg);
  if (result.status === PutMessageStatus.PUT_OK) ctx.stats.incPut(prepared ? header.topic : msg.topic, 1, body.length);
  // The queue the producer sent to (or the DLQ's), not the schedule / half queue it was parked in (as 4.9.8 answers).
  return sendResponse(ctx, result, dest.queueId);
}

async function sendBatchMessage(ctx: BrokerContext, channel: RemotingChannel, request: RemotingCommand, header: SendHeader): Promise<RemotingCommand> {
  const topic = header.topic;
  if (Buffer.byteLength(topic) > 127) fail(ResponseCode.MESSAGE_ILLEGAL, `message topic length too long ${topic.length}`);
  if (isRetryTopic(topic)) fail(ResponseCode.MESSAGE_ILLEGAL, `batch request does not support retry group ${topic}`);
  const topicConfig = msgCheck(ctx, channel, header);
  const queueId = header.queueId < 0 ? randomQueue(topicConfig.writeQueueNums) : header.queueId;
  const body = request.body;
  if (body === undefined || body.length === 0) fail(ResponseCode.MESSAGE_ILLEGAL, 'the batch body is empty');
  let sysFlag = header.sysFlag;
  if (topicConfig.topicFilterType === 'MULTI_TAG') sysFlag |= MessageSysFlag.MULTI_TAGS_FLAG;
  const batchProps = putProperty(header.properties ?? '', MessageConst.PROPERTY_CLUSTER, ctx.config.brokerClusterName);
  const bornHost = bornHostOf(channel);
  const batch: MessageExtBrokerInner[] = [];
  try {
    for (const entry of iterateBatchMessages(body)) {
      checkBodySize(ctx, entry.body.length);
      batch.push({
        topic,
        queueId,
        flag: entry.flag,
        body: entry.body,
        propertiesString: mergeBatchProperties(entry.propertiesString, batchProps),
        sysFlag,
        bornTimestamp: header.bornTimestamp,
        bornHost,
        storeHost: ctx.storeHost,
        reconsumeTimes: header.reconsumeTimes ?? 0,
        preparedTransactionOffset: 0,
        tagsCode: tagsString2tagsCode(findProperty(entry.propertiesString, MessageConst.PROPERTY_TAGS)),
      });
    }
  } catch (err) {
    if (err instanceof MessageDecodeError) fail(ResponseCode.MESSAGE_ILLEGAL, `the batch body is malformed: ${err.message}`);
    throw err;
  }
  const result = await ctx.store.putMessages(batch);
  if (result.status === PutMessageStatus.PUT_OK) ctx.stats.incPut(topic, batch.length, body.length);
  return sendResponse(ctx, result, queueId);
}

/** SEND_MESSAGE / SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE: decoded at once, run through the send queue. */
function submitSend(descriptor: typeof SendMessageRequestHeader | typeof SendMessageRequestHeaderV2): BrokerRequestHandler {
  return (ctx, channel, request) => {
    const arrivedAt = Date.now();
    const header = decodeHeader(request, descriptor) as SendHeader;
    const run = header.batch ? sendBatchMessage : sendMessage;
    return ctx.sendQueue.submit(arrivedAt, () => run(ctx, channel, request, header));
  };
}

/** CONSUMER_SEND_MSG_BACK (§9.3): the failed message goes to `%RETRY%<group>` with a delay, or to the DLQ. */
async function consumerSendMsgBack(ctx: BrokerContext, channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
  const header = decodeHeader(request, ConsumerSendMsgBackRequestHeader);
  const { topicConfigManager, config } = ctx;
  const groupConfig = ctx.subscriptionGroupManager.findSubscriptionGroupConfig(header.group);
  if (groupConfig === undefined) fail(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${header.group}`);
  if (!isWriteable(config.brokerPermission)) fail(ResponseCode.NO_PERMISSION, `the broker[${config.brokerIP1}] sending message is forbidden`);
  if (groupConfig.retryQueueNums <= 0) return codeResponse(ResponseCode.SUCCESS);

  let topic = getRetryTopic(header.group);
  let queueId = randomQueue(groupConfig.retryQueueNums);
  let topicConfig = topicConfigManager.createTopicInSendMessageBackMethod(topic, groupConfig.retryQueueNums, RW, 0);
  if (!isWriteable(topicConfig.perm)) fail(ResponseCode.NO_PERMISSION, `the topic[${topic}] sending message is forbidden`);

  const record = ctx.store.lookMessageByOffset(header.offset);
  if (record === undefined) fail(ResponseCode.SYSTEM_ERROR, `look message by offset failed, ${header.offset}`);
  const original = decodeMessage(record, 0, { decompress: false });

  let maxReconsumeTimes = groupConfig.retryMaxTimes;
  if (request.version >= MQVersion.V3_4_9 && header.maxReconsumeTimes !== undefined) maxReconsumeTimes = header.maxReconsumeTimes;
  let delayLevel = header.delayLevel;
  const toDlq = original.reconsumeTimes >= maxReconsumeTimes || delayLevel < 0;
  if (toDlq) {
    topic = getDLQTopic(header.group);
    queueId = randomQueue(MixAll.DLQ_QUEUE_NUMS);
    topicConfig = topicConfigManager.createTopicInSendMessageBackMethod(topic, MixAll.DLQ_QUEUE_NUMS, RW, 0);
  } else if (delayLevel === 0) {
    delayLevel = 3 + original.reconsumeTimes;
  }

  const props = original.properties;
  if (!props.has(MessageConst.PROPERTY_RETRY_TOPIC)) props.set(MessageConst.PROPERTY_RETRY_TOPIC, original.topic);
  props.set(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, 'false');
  if (toDlq) props.delete(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
  else props.set(MessageConst.PROPERTY_DELAY_TIME_LEVEL, String(delayLevel));
  if (!props.get(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID)) props.set(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID, original.offsetMsgId);
  const tags = props.get(MessageConst.PROPERTY_TAGS);

  const msg: MessageExtBrokerInner = {
    topic,
    queueId,
    flag: original.flag,
    body: original.body,
    propertiesString: editProperties('', (p) => {
      for (const [k, v] of props) p.set(k, v);
    }),
    sysFlag: original.sysFlag & ~(MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG),
    bornTimestamp: original.bornTimestamp,
    bornHost: original.bornHost,
    storeHost: ctx.storeHost,
    reconsumeTimes: original.reconsumeTimes + 1,
    preparedTransactionOffset: 0,
    tagsCode: tagsString2tagsCode(tags),
  };
  applyDelayLevel(ctx, msg);
  const result = await ctx.store.putMessage(msg);
  if (result.status !== PutMessageStatus.PUT_OK) return codeResponse(ResponseCode.SYSTEM_ERROR, result.remark ?? result.status);
  ctx.stats.incPut(msg.topic, 1, msg.body.length);
  ctx.stats.incSendBackNums(header.group, original.topic);
  return codeResponse(ResponseCode.SUCCESS);
}

export const SEND_PROCESSORS: ReadonlyArray<readonly [number, BrokerRequestHandler]> = [
  [RequestCode.SEND_MESSAGE, submitSend(SendMessageRequestHeader)],
  [RequestCode.SEND_MESSAGE_V2, submitSend(SendMessageRequestHeaderV2)],
  [RequestCode.SEND_BATCH_MESSAGE, submitSend(SendMessageRequestHeaderV2)],
  [RequestCode.CONSUMER_SEND_MSG_BACK, consumerSendMsgBack],
];
