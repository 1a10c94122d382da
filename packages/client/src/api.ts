/**
 * One typed method per request the client sends (RocketMQ `MQClientAPIImpl`). Failure codes become MQBrokerError,
 * timeouts MQClientTimeoutError; both name the peer and the request.
 */
import { PullSysFlag, decodeMessages, toFastJson, type MessageExt } from '@rockit/common';

export { PullSysFlag };
import {
  ConsumerSendMsgBackRequestHeader,
  EndTransactionRequestHeader,
  GetConsumerListByGroupRequestHeader,
  GetMaxOffsetRequestHeader,
  GetMinOffsetRequestHeader,
  PullMessageRequestHeader,
  PullMessageResponseHeader,
  QueryConsumerOffsetRequestHeader,
  QueryConsumerOffsetResponseHeader,
  RemotingCommand,
  RemotingTimeoutError,
  RequestCode,
  ResponseCode,
  SearchOffsetRequestHeader,
  UnregisterClientRequestHeader,
  UpdateConsumerOffsetRequestHeader,
  decodeHeader,
  encodeHeader,
  type ConsumerSendMsgBackRequestHeader as SendBackHeader,
  type EndTransactionRequestHeader as EndTxHeader,
  type HeaderDescriptor,
  type PullMessageRequestHeader as PullHeader,
  type RemotingClient,
} from '@rockit/remoting';
import { MQBrokerError, MQClientTimeoutError } from './errors.js';
import type { MessageQueue } from './message-queue.js';

/** Broker suspend time of a long poll and the RPC timeout that covers it (§8.1). */
export const BROKER_SUSPEND_MAX_TIME_MILLIS = 15_000;
export const CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND = 30_000;

export type PullStatus = 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL';

export interface PullResult {
  pullStatus: PullStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  suggestWhichBrokerId: number;
  /** Decoded messages (FOUND only), before the client's tag re-check. */
  msgFoundList: MessageExt[];
}

const PULL_STATUS_BY_CODE = new Map<number, PullStatus>([
  [ResponseCode.SUCCESS, 'FOUND'],
  [ResponseCode.PULL_NOT_FOUND, 'NO_NEW_MSG'],
  [ResponseCode.PULL_RETRY_IMMEDIATELY, 'NO_MATCHED_MSG'],
  [ResponseCode.PULL_OFFSET_MOVED, 'OFFSET_ILLEGAL'],
]);

export interface HeartbeatData {
  clientID: string;
  producerDataSet: { groupName: string }[];
  consumerDataSet: ConsumerData[];
}

export interface SubscriptionData {
  classFilterMode: boolean;
  topic: string;
  subString: string;
  tagsSet: string[];
  codeSet: number[];
  subVersion: number;
  expressionType: 'TAG' | 'SQL92';
}

export interface ConsumerData {
  groupName: string;
  consumeType: 'CONSUME_ACTIVELY' | 'CONSUME_PASSIVELY';
  messageModel: 'CLUSTERING' | 'BROADCASTING';
  consumeFromWhere: string;
  subscriptionDataSet: SubscriptionData[];
  unitMode: boolean;
}

export class MQClientAPI {
  constructor(
    readonly remoting: RemotingClient,
    private readonly defaultTimeoutMillis: number,
  ) {}

  /** Sends `request` and returns the response whatever its code; a timeout names the peer and request. */
  invoke(addr: string, request: RemotingCommand, timeoutMillis = this.defaultTimeoutMillis): Promise<RemotingCommand> {
    // A rejection handler rather than an async wrapper: one promise and one await less on every send.
    return this.remoting.invokeSync(addr, request, timeoutMillis).catch((err: unknown) => {
      if (err instanceof RemotingTimeoutError) throw new MQClientTimeoutError(addr, timeoutMillis, request.code);
      throw err;
    });
  }

  /**
   * invoke without promises, for asynchronous sends: `callback` gets the response whatever its code, or the error
   * (a timeout as MQClientTimeoutError), always after this returns.
   */
  invokeCallback(addr: string, request: RemotingCommand, timeoutMillis: number, callback: (err: Error | null, response?: RemotingCommand) => void): void {
    this.remoting.invokeCallback(addr, request, timeoutMillis, (err, response) => {
      if (err instanceof RemotingTimeoutError) callback(new MQClientTimeoutError(addr, timeoutMillis, request.code));
      else callback(err, response);
    });
  }

  /** Like invoke, but a code other than `expected` (SUCCESS) throws MQBrokerError. */
  async invokeOk(addr: string, request: RemotingCommand, timeoutMillis?: number, expected: number = ResponseCode.SUCCESS): Promise<RemotingCommand> {
    const response = await this.invoke(addr, request, timeoutMillis);
    if (response.code !== expected) throw MQBrokerError.of(addr, request, response);
    return response;
  }

  invokeOneway(addr: string, request: RemotingCommand, timeoutMillis = this.defaultTimeoutMillis): Promise<void> {
    return this.remoting.invokeOneway(addr, request, timeoutMillis);
  }

  /** A request with a typed header. */
  static request(code: number, header: object, descriptor?: HeaderDescriptor, body?: Buffer): RemotingCommand {
    return RemotingCommand.createRequest(code, encodeHeader(header, descriptor), body);
  }

  async pullMessage(addr: string, header: PullHeader, timeoutMillis: number): Promise<PullResult> {
    const request = MQClientAPI.request(RequestCode.PULL_MESSAGE, header, PullMessageRequestHeader);
    const response = await this.invoke(addr, request, timeoutMillis);
    const pullStatus = PULL_STATUS_BY_CODE.get(response.code);
    if (pullStatus === undefined) throw MQBrokerError.of(addr, request, response);
    const h = decodeHeader(response, PullMessageResponseHeader);
    return {
      pullStatus,
      nextBeginOffset: h.nextBeginOffset,
      minOffset: h.minOffset,
      maxOffset: h.maxOffset,
      suggestWhichBrokerId: h.suggestWhichBrokerId,
      msgFoundList: pullStatus === 'FOUND' && response.body ? decodeMessages(response.body) : [],
    };
  }

  /** The group's committed offset, or -1 when the broker has none (QUERY_NOT_FOUND). */
  async queryConsumerOffset(addr: string, group: string, mq: MessageQueue): Promise<number> {
    const request = MQClientAPI.request(
      RequestCode.QUERY_CONSUMER_OFFSET,
      { consumerGroup: group, topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName },
      QueryConsumerOffsetRequestHeader,
    );
    const response = await this.invoke(addr, request);
    if (response.code === ResponseCode.QUERY_NOT_FOUND) return -1;
    if (response.code !== ResponseCode.SUCCESS) throw MQBrokerError.of(addr, request, response);
    return decodeHeader(response, QueryConsumerOffsetResponseHeader).offset;
  }

  async updateConsumerOffset(addr: string, group: string, mq: MessageQueue, offset: number, oneway = false): Promise<void> {
    const request = MQClientAPI.request(
      RequestCode.UPDATE_CONSUMER_OFFSET,
      { consumerGroup: group, topic: mq.topic, queueId: mq.queueId, commitOffset: offset, bname: mq.brokerName },
      UpdateConsumerOffsetRequestHeader,
    );
    if (oneway) await this.invokeOneway(addr, request);
    else await this.invokeOk(addr, request);
  }

  private async offsetCall(addr: string, code: number, header: object, descriptor: HeaderDescriptor): Promise<number> {
    const response = await this.invokeOk(addr, MQClientAPI.request(code, header, descriptor));
    return Number(response.extFields?.offset ?? 0);
  }

  getMaxOffset(addr: string, mq: MessageQueue): Promise<number> {
    return this.offsetCall(addr, RequestCode.GET_MAX_OFFSET, { topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName }, GetMaxOffsetRequestHeader);
  }
  getMinOffset(addr: string, mq: MessageQueue): Promise<number> {
    return this.offsetCall(addr, RequestCode.GET_MIN_OFFSET, { topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName }, GetMinOffsetRequestHeader);
  }
  searchOffset(addr: string, mq: MessageQueue, timestamp: number): Promise<number> {
    return this.offsetCall(
      addr,
      RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
      { topic: mq.topic, queueId: mq.queueId, timestamp, bname: mq.brokerName },
      SearchOffsetRequestHeader,
    );
  }

  /** Client ids of the group's consumers connected to that broker. */
  async getConsumerIdListByGroup(addr: string, group: string): Promise<string[]> {
    const request = MQClientAPI.request(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: group }, GetConsumerListByGroupRequestHeader);
    const response = await this.invoke(addr, request);
    if (response.code !== ResponseCode.SUCCESS) throw MQBrokerError.of(addr, request, response);
    const body = response.body ? (JSON.parse(response.body.toString('utf8')) as { consumerIdList?: string[] }) : {};
    return body.consumerIdList ?? [];
  }

  async sendHeartbeat(addr: string, data: HeartbeatData): Promise<number> {
    const request = RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, Buffer.from(toFastJson(data), 'utf8'));
    const response = await this.invokeOk(addr, request);
    return response.version;
  }

  async unregisterClient(addr: string, clientID: string, producerGroup?: string, consumerGroup?: string): Promise<void> {
    const header: Record<string, string> = { clientID };
    if (producerGroup !== undefined) header.producerGroup = producerGroup;
    if (consumerGroup !== undefined) header.consumerGroup = consumerGroup;
    await this.invokeOk(addr, MQClientAPI.request(RequestCode.UNREGISTER_CLIENT, header, UnregisterClientRequestHeader));
  }

  /** Locks `mqs` for `clientId`; returns the queues now held. */
  async lockBatchMQ(addr: string, group: string, clientId: string, mqs: MessageQueue[], timeoutMillis = 1000): Promise<MessageQueue[]> {
    const body = Buffer.from(toFastJson({ consumerGroup: group, clientId, mqSet: mqs }), 'utf8');
    const response = await this.invokeOk(addr, RemotingCommand.createRequest(RequestCode.LOCK_BATCH_MQ, undefined, body), timeoutMillis);
    const parsed = response.body ? (JSON.parse(response.body.toString('utf8')) as { lockOKMQSet?: MessageQueue[] }) : {};
    return (parsed.lockOKMQSet ?? []).map((q) => ({ topic: q.topic, brokerName: q.brokerName, queueId: q.queueId }));
  }

  async unlockBatchMQ(addr: string, group: string, clientId: string, mqs: MessageQueue[], timeoutMillis = 1000): Promise<void> {
    const body = Buffer.from(toFastJson({ consumerGroup: group, clientId, mqSet: mqs }), 'utf8');
    await this.invokeOk(addr, RemotingCommand.createRequest(RequestCode.UNLOCK_BATCH_MQ, undefined, body), timeoutMillis);
  }

  async consumerSendMessageBack(addr: string, header: SendBackHeader, timeoutMillis = 5000): Promise<void> {
    await this.invokeOk(addr, MQClientAPI.request(RequestCode.CONSUMER_SEND_MSG_BACK, header, ConsumerSendMsgBackRequestHeader), timeoutMillis);
  }

  endTransactionOneway(addr: string, header: EndTxHeader, remark?: string): Promise<void> {
    const request = MQClientAPI.request(RequestCode.END_TRANSACTION, header, EndTransactionRequestHeader);
    request.remark = remark;
    return this.invokeOneway(addr, request);
  }
}
