/**
 * Producer (RocketMQ `DefaultMQProducer`): sends single messages, batches and ordered messages to the queues of a
 * topic's route, round robin over brokers, retrying on another broker after a failure.
 */
import { randomUUID } from 'node:crypto';
import {
  Message,
  MessageConst,
  type MessageExt,
  MessageSysFlag,
  MixAll,
  compressBody,
  encodeBatchMessages,
  isRetryTopic,
  messageProperties2String,
  setCompressionType,
  setUniqID,
  validateSendTopic,
  validateTopic,
  type Logger,
} from '@rockit/common';
import { RequestTimeoutError, isReplyMessage } from './request-reply.js';
import { RemotingCommand, RequestCode, ResponseCode, SendMessageResponseHeader, decodeHeader, encodeHeader, type ExtFields } from '@rockit/remoting';
import type { ClientConfig } from '../config.js';
import { MQBrokerError, MQClientError, MQClientTimeoutError } from '../errors.js';
import { MQClientInstance, type ProducerMember } from '../instance.js';
import type { MessageQueue } from '../message-queue.js';
import type { TopicPublishInfo } from '../route.js';
import { RETRY_ON_CODES, SEND_STATUS_BY_CODE, type SendResult } from './send-result.js';
import { selectMessageQueueByHash, type MessageQueueSelector } from './selector.js';

export interface ProducerOptions extends ClientConfig {
  /** Default DEFAULT_PRODUCER. */
  producerGroup?: string;
  /** Default 3000 ms, for all attempts of one send together. */
  sendMsgTimeout?: number;
  /** Bodies of this many bytes or more are zlib-compressed. Default 4096. */
  compressMsgBodyOverHowmuch?: number;
  /** zlib level. Default 5. */
  compressLevel?: number;
  /** Extra attempts of a send (awaited) on another broker. Default 2. */
  retryTimesWhenSendFailed?: number;
  /** Extra attempts of an async send. Default 2. */
  retryTimesWhenSendAsyncFailed?: number;
  /** Largest body (and batch) accepted. Default 4 MiB. */
  maxMessageSize?: number;
  /** Queues per broker of a topic created by sending (TBW102 fallback). Default 4. */
  defaultTopicQueueNums?: number;
}

export interface SendOptions {
  /** Overrides sendMsgTimeout. */
  timeout?: number;
  /** Send to exactly this queue (no retries on other brokers). */
  messageQueue?: MessageQueue;
  /** Choose the queue: ordered messages. */
  selector?: MessageQueueSelector;
  arg?: unknown;
  /** Ordered by key: the queue is chosen by the key's hash (`SelectMessageQueueByHash`). */
  shardingKey?: string;
}

export interface SendCallback {
  onSuccess(result: SendResult): void;
  onException(err: Error): void;
}

type CommunicationMode = 'SYNC' | 'ASYNC' | 'ONEWAY';

const DEFAULT_TOPIC = 'TBW102';

/** The options of a send that gives none: one shared object, not a new one per send. */
const NO_OPTIONS: SendOptions = Object.freeze({});

/** Where a send's general path resumes after the callback path's first attempt failed. */
interface SendAttempts {
  attempt: number;
  lastBroker: string;
  lastError: unknown;
  deadline: number;
}

/** Whether the caller picks the queue (no round robin, no retry on another broker). */
function choosesQueue(options: SendOptions): boolean {
  return options.messageQueue !== undefined || options.selector !== undefined || options.shardingKey !== undefined;
}

/** encodeHeader's text of an int/long field: decimal for safe integers, Java's long text otherwise. */
function intText(v: number): string {
  return Number.isSafeInteger(v) ? String(v) : encodeHeader({ v }).v!;
}

export class Producer implements ProducerMember {
  readonly group: string;
  protected readonly instance: MQClientInstance;
  protected readonly logger: Logger;
  readonly sendMsgTimeout: number;
  readonly compressMsgBodyOverHowmuch: number;
  readonly retryTimesWhenSendFailed: number;
  readonly retryTimesWhenSendAsyncFailed: number;
  readonly maxMessageSize: number;
  private readonly compressLevel: number;
  private readonly defaultTopicQueueNums: number;
  private readonly defaultTopicQueueNumsText: string;
  private readonly topics = new Set<string>();
  /** Round-robin position per topic (`TopicPublishInfo.sendWhichQueue`). */
  private readonly sendWhichQueue = new Map<string, number>();
  private state: 'CREATED' | 'RUNNING' | 'SHUTDOWN' = 'CREATED';

  constructor(options: ProducerOptions = {}) {
    this.group = options.producerGroup ?? MixAll.DEFAULT_PRODUCER_GROUP;
    this.sendMsgTimeout = options.sendMsgTimeout ?? 3000;
    this.compressMsgBodyOverHowmuch = options.compressMsgBodyOverHowmuch ?? MixAll.COMPRESS_MSG_BODY_OVER_HOWMUCH;
    this.compressLevel = options.compressLevel ?? 5;
    this.retryTimesWhenSendFailed = options.retryTimesWhenSendFailed ?? 2;
    this.retryTimesWhenSendAsyncFailed = options.retryTimesWhenSendAsyncFailed ?? 2;
    this.maxMessageSize = options.maxMessageSize ?? MixAll.DEFAULT_MAX_MESSAGE_SIZE;
    this.defaultTopicQueueNums = options.defaultTopicQueueNums ?? MixAll.CLIENT_DEFAULT_TOPIC_QUEUE_NUMS;
    this.defaultTopicQueueNumsText = String(this.defaultTopicQueueNums);
    this.instance = MQClientInstance.getOrCreate(options);
    this.logger = this.instance.logger;
  }

  /** The shared client instance (routes, connections); admin tools reuse it. */
  get clientInstance(): MQClientInstance {
    return this.instance;
  }

  async start(): Promise<void> {
    if (this.state !== 'CREATED') throw new MQClientError(`the producer ${this.group} is ${this.state}; create a new one`);
    this.instance.registerProducer(this);
    try {
      this.instance.start();
    } catch (err) {
      await this.instance.unregisterProducer(this.group);
      throw err;
    }
    this.state = 'RUNNING';
    await this.instance.sendHeartbeatToAllBrokers();
  }

  /** Leaves the group on every broker and releases the client instance when nothing else uses it. */
  async shutdown(): Promise<void> {
    if (this.state !== 'RUNNING') return;
    this.state = 'SHUTDOWN';
    await this.instance.unregisterProducer(this.group);
  }

  /** The client id brokers know this producer by (`ip@instanceName`), as a request's REPLY_TO_CLIENT names it. */
  get clientId(): string {
    return this.instance.clientId;
  }

  publishTopics(): string[] {
    return [...this.topics];
  }

  /** Sends and resolves once the broker stored it (with retries on another broker). */
  send(msg: Message, options: SendOptions = NO_OPTIONS): Promise<SendResult> {
    return this.sendWith(msg, 'SYNC', options) as Promise<SendResult>;
  }

  /**
   * Request/reply (RocketMQ's `request(msg, timeout)`): sends `msg` and resolves with the reply that a consumer of
   * it sends back (`createReplyMessage(request, body)` and any producer's `send`), pushed to this client by the
   * broker. Rejects with RequestTimeoutError when no reply arrives within `timeoutMillis` (default: the send
   * timeout), or with the send's error when the request could not be sent. `options` chooses the queue as for `send`.
   */
  async request(msg: Message, timeoutMillis: number = this.sendMsgTimeout, options: SendOptions = NO_OPTIONS): Promise<MessageExt> {
    this.checkRunning();
    const begin = Date.now();
    const correlationId = randomUUID();
    msg.putProperty(MessageConst.PROPERTY_CORRELATION_ID, correlationId);
    msg.putProperty(MessageConst.PROPERTY_MESSAGE_REPLY_TO_CLIENT, this.instance.clientId);
    msg.putProperty(MessageConst.PROPERTY_MESSAGE_TTL, String(timeoutMillis));
    if (this.instance.cachedTopicPublishInfo(msg.topic) === undefined) {
      // The broker pushes the reply over a connection it knows from this client's heartbeat: send one to the
      // brokers of the new route before the request can be answered.
      await this.publishInfo(msg.topic);
      await this.instance.sendHeartbeatToAllBrokers();
    }
    let stopWaiting: () => void = () => undefined;
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<MessageExt>((resolve, reject) => {
      stopWaiting = this.instance.waitForReply(correlationId, resolve);
      timer = setTimeout(() => reject(new RequestTimeoutError(msg.topic, timeoutMillis)), Math.max(0, timeoutMillis - (Date.now() - begin)));
    });
    // The deadline can pass while the send is still out; the rejection is read after it, not lost as unhandled.
    reply.catch(() => undefined);
    try {
      // Waiting starts before the send: a quick replier can answer before the send's own response arrives.
      await this.send(msg, { ...options, timeout: Math.max(1, timeoutMillis - (Date.now() - begin)) }).catch((err: unknown) => {
        throw new MQClientError(`could not send the request to topic ${msg.topic}: ${(err as Error).message}`, (err as MQClientError).code ?? -1, { cause: err });
      });
      return await reply;
    } finally {
      clearTimeout(timer);
      stopWaiting();
    }
  }

  /**
   * Asynchronous send, retried `retryTimesWhenSendAsyncFailed` times: with a callback the outcome goes there (and
   * nothing is returned), otherwise to the returned promise.
   */
  sendAsync(msg: Message, callback: SendCallback, options?: SendOptions): void;
  sendAsync(msg: Message, callback?: undefined, options?: SendOptions): Promise<SendResult>;
  sendAsync(msg: Message, callback?: SendCallback, options: SendOptions = NO_OPTIONS): Promise<SendResult> | void {
    if (callback === undefined) {
      return new Promise<SendResult>((resolve, reject) => this.sendAsyncTo(msg, { onSuccess: resolve, onException: reject }, options));
    }
    this.sendAsyncTo(msg, callback, options);
  }

  /**
   * The asynchronous send: with a known route and the default queue choice, the first attempt runs on callbacks
   * from the socket to `callback` (no promise per send, like Java's `sendMessageAsync`); anything else — no route
   * yet, a chosen queue, a retry after a failure — continues on the general path with the attempts left.
   */
  private sendAsyncTo(msg: Message, callback: SendCallback, options: SendOptions): void {
    const info = this.state === 'RUNNING' && !choosesQueue(options) ? this.instance.cachedTopicPublishInfo(msg.topic) : undefined;
    if (info === undefined) return this.sendAsyncGeneral(msg, callback, options);
    try {
      this.checkMessage(msg);
    } catch (err) {
      process.nextTick(() => this.deliverSend(callback, msg, err));
      return;
    }
    const timeout = options.timeout ?? this.sendMsgTimeout;
    const deadline = Date.now() + timeout;
    this.topics.add(msg.topic);
    const mq = this.selectOneMessageQueue(info, undefined);
    const addr = this.instance.findBrokerAddressInPublish(mq.brokerName);
    if (addr === undefined) return this.sendAsyncGeneral(msg, callback, options);
    const request = this.sendRequest(msg, mq, undefined);
    // The one closure of a send: it carries the attempt to its answer.
    this.instance.api.invokeCallback(addr, request, timeout, (err, response) => {
      let failure: unknown = err ?? undefined;
      if (failure === undefined) {
        let result: SendResult | undefined;
        try {
          result = this.sendResult(addr, request, response!, msg, mq, undefined);
        } catch (e) {
          failure = e;
        }
        if (result !== undefined) return this.deliverSend(callback, msg, undefined, result);
      }
      if (failure instanceof MQBrokerError && !RETRY_ON_CODES.has(failure.code)) return this.deliverSend(callback, msg, failure);
      if (this.retryTimesWhenSendAsyncFailed === 0) return this.deliverSend(callback, msg, this.sendFailure(msg, timeout, 1, failure));
      this.logger.warn({ err: failure, topic: msg.topic, broker: mq.brokerName, attempt: 0 }, 'send failed, trying another broker');
      const resume = { attempt: 1, lastBroker: mq.brokerName, lastError: failure, deadline };
      const retry = (): void => this.sendAsyncGeneral(msg, callback, options, resume);
      this.instance.updateTopicRoute(msg.topic).then(retry, retry);
    });
  }

  /** The asynchronous send on the general (promise) path, from `resume` when the callback path's attempt failed. */
  private sendAsyncGeneral(msg: Message, callback: SendCallback, options: SendOptions, resume?: SendAttempts): void {
    this.sendWith(msg, 'ASYNC', options, undefined, resume).then(
      (r) => this.deliverSend(callback, msg, undefined, r),
      (e: unknown) => this.deliverSend(callback, msg, e),
    );
  }

  /** Hands a send's outcome to its callback; what the callback throws is logged (as Java's producer does). */
  private deliverSend(callback: SendCallback, msg: Message, err: unknown, result?: SendResult): void {
    try {
      if (err === undefined) callback.onSuccess(result!);
      else callback.onException(err instanceof Error ? err : new Error(String(err)));
    } catch (thrown) {
      this.logger.warn({ err: thrown, topic: msg.topic }, 'the send callback threw');
    }
  }

  /** Sends without waiting for the broker's answer; resolves once the request is written. */
  async sendOneway(msg: Message, options: SendOptions = {}): Promise<void> {
    await this.sendWith(msg, 'ONEWAY', options);
  }

  /** Ordered send: the queue is chosen by `selector(queues, msg, arg)`. */
  sendOrderly<A>(msg: Message, selector: MessageQueueSelector<A>, arg: A, options: Omit<SendOptions, 'selector' | 'arg'> = {}): Promise<SendResult> {
    return this.send(msg, { ...options, selector: selector as MessageQueueSelector, arg });
  }

  /**
   * Sends messages of one topic as batches (SEND_BATCH_MESSAGE), split so that no batch exceeds maxMessageSize.
   * One SendResult per batch sent.
   */
  async sendBatch(msgs: readonly Message[], options: Omit<SendOptions, 'selector' | 'arg' | 'shardingKey'> = {}): Promise<SendResult[]> {
    if (msgs.length === 0) throw new MQClientError('a batch needs at least one message', ResponseCode.MESSAGE_ILLEGAL);
    const first = msgs[0]!;
    const sizes: number[] = [];
    for (const m of msgs) {
      if (m.topic !== first.topic) throw new MQClientError('the topic of the messages in one batch should be the same', ResponseCode.MESSAGE_ILLEGAL);
      if (m.delayTimeLevel > 0) throw new MQClientError('TimeDelayLevel is not supported for batching', ResponseCode.MESSAGE_ILLEGAL);
      if (isRetryTopic(m.topic)) throw new MQClientError('retry group topic is not supported for batching', ResponseCode.MESSAGE_ILLEGAL);
      if (m.waitStoreMsgOK !== first.waitStoreMsgOK) throw new MQClientError('the waitStoreMsgOK of the messages in one batch should be the same', ResponseCode.MESSAGE_ILLEGAL);
      this.checkMessage(m);
      setUniqID(m);
      sizes.push(22 + m.body.length + Buffer.byteLength(m.propertiesString(), 'utf8'));
    }
    const results: SendResult[] = [];
    let start = 0;
    while (start < msgs.length) {
      let end = start;
      let total = 0;
      while (end < msgs.length && (end === start || total + sizes[end]! <= this.maxMessageSize)) total += sizes[end++]!;
      if (total > this.maxMessageSize) {
        throw new MQClientError(`a message of the batch is ${total} bytes encoded, over the ${this.maxMessageSize} limit`, ResponseCode.MESSAGE_ILLEGAL);
      }
      const chunk = msgs.slice(start, end);
      const batch = new Message(first.topic, encodeBatchMessages(chunk), { waitStoreMsgOK: first.waitStoreMsgOK });
      results.push((await this.sendWith(batch, 'SYNC', options, chunk)) as SendResult);
      start = end;
    }
    return results;
  }

  protected checkRunning(): void {
    if (this.state !== 'RUNNING') throw new MQClientError(`the producer ${this.group} is not running (${this.state}): call start() first`);
  }

  private checkMessage(msg: Message): void {
    // From JavaScript a plain { topic, body } object gets here; say so instead of failing deep in the encoder.
    if (!(msg.properties instanceof Map) || !Buffer.isBuffer(msg.body)) {
      throw new MQClientError('send() takes a Message: new Message(topic, body), with a Buffer or string body', ResponseCode.MESSAGE_ILLEGAL);
    }
    // Validators.checkMessage: the name's syntax first (as the broker would refuse it), then the forbidden topics.
    const bad = validateTopic(msg.topic) ?? validateSendTopic(msg.topic);
    if (bad !== undefined) throw new MQClientError(bad, ResponseCode.MESSAGE_ILLEGAL);
    if (msg.body.length === 0) throw new MQClientError('the message body length is zero', ResponseCode.MESSAGE_ILLEGAL);
    if (msg.body.length > this.maxMessageSize) {
      throw new MQClientError(`the message body size over max value, MAX: ${this.maxMessageSize}`, ResponseCode.MESSAGE_ILLEGAL);
    }
  }

  private async sendWith(
    msg: Message,
    mode: CommunicationMode,
    options: SendOptions,
    batch?: readonly Message[],
    resume?: SendAttempts,
  ): Promise<SendResult | undefined> {
    this.checkRunning();
    if (batch === undefined) this.checkMessage(msg);
    const timeout = options.timeout ?? this.sendMsgTimeout;
    const deadline = resume?.deadline ?? Date.now() + timeout;
    this.topics.add(msg.topic);
    // Known routes are read without an await (one map lookup); only a missing route goes to the name server.
    const info = this.instance.cachedTopicPublishInfo(msg.topic) ?? (await this.publishInfo(msg.topic));
    if (choosesQueue(options)) {
      const mq = options.messageQueue ?? this.select(info, msg, options);
      return this.sendKernel(msg, mq, mode, deadline - Date.now(), batch);
    }
    const times = mode === 'ONEWAY' ? 1 : 1 + (mode === 'SYNC' ? this.retryTimesWhenSendFailed : this.retryTimesWhenSendAsyncFailed);
    let lastBroker = resume?.lastBroker;
    let lastError = resume?.lastError;
    for (let attempt = resume?.attempt ?? 0; attempt < times; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const mq = this.selectOneMessageQueue(info, lastBroker);
      try {
        return await this.sendKernel(msg, mq, mode, remaining, batch);
      } catch (err) {
        lastError = err;
        lastBroker = mq.brokerName;
        if (err instanceof MQBrokerError && !RETRY_ON_CODES.has(err.code)) throw err;
        this.logger.warn({ err, topic: msg.topic, broker: mq.brokerName, attempt }, 'send failed, trying another broker');
        await this.instance.updateTopicRoute(msg.topic).catch(() => false);
      }
    }
    throw this.sendFailure(msg, timeout, times, lastError);
  }

  /** The error of a send whose attempts all failed (or ran out of time). */
  private sendFailure(msg: Message, timeout: number, times: number, lastError: unknown): MQClientError {
    if (lastError instanceof MQClientTimeoutError || lastError === undefined) {
      return new MQClientError(`send to topic ${msg.topic} timed out: ${timeout} ms spent`, -1, { cause: lastError });
    }
    const detail = lastError instanceof Error ? lastError.message : String(lastError);
    return new MQClientError(`send to topic ${msg.topic} failed ${times} times: ${detail}`, lastError instanceof MQBrokerError ? lastError.code : -1, {
      cause: lastError,
    });
  }

  private async publishInfo(topic: string): Promise<TopicPublishInfo> {
    const info = await this.instance.topicPublishInfo(topic);
    if (info === undefined || info.messageQueues.length === 0) {
      throw new MQClientError(
        `no route info of topic ${topic} (nor of ${DEFAULT_TOPIC}) from name servers [${this.instance.namesrvAddrs.join(';')}]`,
        ResponseCode.TOPIC_NOT_EXIST,
      );
    }
    return info;
  }

  private select(info: TopicPublishInfo, msg: Message, options: SendOptions): MessageQueue {
    if (options.shardingKey !== undefined) return selectMessageQueueByHash(info.messageQueues, msg, options.shardingKey);
    const mq = options.selector!(info.messageQueues, msg, options.arg);
    if (mq === undefined) throw new MQClientError('the queue selector returned no queue');
    return mq;
  }

  /** Round robin, avoiding the broker that just failed (`TopicPublishInfo.selectOneMessageQueue`). */
  private selectOneMessageQueue(info: TopicPublishInfo, lastBroker: string | undefined): MessageQueue {
    const mqs = info.messageQueues;
    const topic = mqs[0]!.topic;
    let pos = this.sendWhichQueue.get(topic) ?? Math.floor(Math.random() * mqs.length);
    for (let i = 0; i < mqs.length; i++) {
      const mq = mqs[Math.abs(pos++) % mqs.length]!;
      if (lastBroker === undefined || mq.brokerName !== lastBroker) {
        this.sendWhichQueue.set(topic, pos);
        return mq;
      }
    }
    this.sendWhichQueue.set(topic, pos);
    return mqs[Math.abs(pos) % mqs.length]!;
  }

  /** One attempt against one queue (`sendKernelImpl`). The caller's message object is not changed except UNIQ_KEY. */
  protected async sendKernel(msg: Message, mq: MessageQueue, mode: CommunicationMode, timeout: number, batch?: readonly Message[]): Promise<SendResult | undefined> {
    let addr = this.instance.findBrokerAddressInPublish(mq.brokerName);
    if (addr === undefined) {
      await this.instance.updateTopicRoute(mq.topic, true, this.defaultTopicQueueNums);
      addr = this.instance.findBrokerAddressInPublish(mq.brokerName);
      if (addr === undefined) throw new MQClientError(`the broker[${mq.brokerName}] does not exist`, ResponseCode.SERVICE_NOT_AVAILABLE);
    }
    const request = this.sendRequest(msg, mq, batch);
    if (mode === 'ONEWAY') {
      await this.instance.api.invokeOneway(addr, request, timeout);
      return undefined;
    }
    const response = await this.instance.api.invoke(addr, request, timeout);
    return this.sendResult(addr, request, response, msg, mq, batch);
  }

  /** The SEND_MESSAGE_V2 (or SEND_BATCH_MESSAGE) request of one attempt; sets the message's UNIQ_KEY if it has none. */
  private sendRequest(msg: Message, mq: MessageQueue, batch: readonly Message[] | undefined): RemotingCommand {
    let body = msg.body;
    let sysFlag = 0;
    if (batch === undefined) {
      setUniqID(msg);
      if (body.length >= this.compressMsgBodyOverHowmuch) {
        body = compressBody(body, this.compressLevel);
        sysFlag = setCompressionType(sysFlag | MessageSysFlag.COMPRESSED_FLAG, 'ZLIB');
      }
      if (msg.getProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED) === 'true') sysFlag |= MessageSysFlag.TRANSACTION_PREPARED_TYPE;
    }
    let properties = msg.properties;
    let reconsumeTimes = 0;
    let maxReconsumeTimes: number | undefined;
    if (isRetryTopic(mq.topic)) {
      // The broker takes these from the header (its DLQ decision), not from the properties.
      properties = new Map(properties);
      reconsumeTimes = Number(properties.get(MessageConst.PROPERTY_RECONSUME_TIME) ?? 0);
      const max = properties.get(MessageConst.PROPERTY_MAX_RECONSUME_TIMES);
      if (max !== undefined) maxReconsumeTimes = Number(max);
      properties.delete(MessageConst.PROPERTY_RECONSUME_TIME);
      properties.delete(MessageConst.PROPERTY_MAX_RECONSUME_TIMES);
    }
    // SendMessageRequestHeaderV2's extFields written directly, in its field order (a..n) and with encodeHeader's
    // text for each value: the same wire bytes without walking the descriptor for every message.
    const header: ExtFields = {
      a: this.group,
      b: mq.topic,
      c: DEFAULT_TOPIC,
      d: this.defaultTopicQueueNumsText,
      e: intText(mq.queueId),
      f: intText(sysFlag),
      g: String(Date.now()),
      h: intText(msg.flag),
      i: messageProperties2String(properties),
      j: intText(reconsumeTimes),
      k: 'false',
    };
    if (maxReconsumeTimes !== undefined) header.l = intText(maxReconsumeTimes);
    header.m = batch !== undefined ? 'true' : 'false';
    header.n = mq.brokerName;
    const code = batch ? RequestCode.SEND_BATCH_MESSAGE : isReplyMessage(msg) ? RequestCode.SEND_REPLY_MESSAGE_V2 : RequestCode.SEND_MESSAGE_V2;
    return RemotingCommand.createRequest(code, header, body);
  }

  /** Reads the broker's answer to a send: the SendResult, or MQBrokerError for a code that is no send status. */
  private sendResult(addr: string, request: RemotingCommand, response: RemotingCommand, msg: Message, mq: MessageQueue, batch: readonly Message[] | undefined): SendResult {
    const sendStatus = SEND_STATUS_BY_CODE.get(response.code);
    if (sendStatus === undefined) throw MQBrokerError.of(addr, request, response);
    const h = decodeHeader(response, SendMessageResponseHeader);
    const result: SendResult = {
      sendStatus,
      msgId: batch ? batch.map((m) => m.uniqKey).join(',') : msg.uniqKey!,
      offsetMsgId: h.msgId,
      messageQueue: { topic: mq.topic, brokerName: mq.brokerName, queueId: h.queueId },
      queueOffset: h.queueOffset,
      regionId: response.extFields?.[MessageConst.PROPERTY_MSG_REGION] ?? 'DefaultRegion',
      traceOn: response.extFields?.[MessageConst.PROPERTY_TRACE_SWITCH] !== 'false',
    };
    if (h.transactionId !== undefined) result.transactionId = h.transactionId;
    return result;
  }
}
