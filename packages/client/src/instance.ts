/**
 * MQClientInstance: what every producer and consumer of one client id shares (RocketMQ `MQClientInstance`): one
 * RemotingClient (one connection per broker), the route cache refreshed from the name servers, heartbeats to
 * every broker, the periodic offset persist and rebalance, and the broker's callbacks on those connections.
 */
import { AclClientRPCHook } from '@rockit/acl';
import { JsonObjectKeyMap, MessageConst, MixAll, createLogger, decodeMessage, parseFastJson, toFastJson, toObjectKeyMap, type Logger, type MessageExt } from '@rockit/common';
import {
  CheckTransactionStateRequestHeader,
  ConsumeMessageDirectlyResultRequestHeader,
  GetConsumerRunningInfoRequestHeader,
  GetConsumerStatusRequestHeader,
  RemotingCommandError,
  ResetOffsetRequestHeader,
  NotifyConsumerIdsChangedRequestHeader,
  RemotingClient,
  ReplyMessageRequestHeader,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  SerializeType,
  decodeHeader,
  type CheckTransactionStateRequestHeader as CheckHeader,
  type RemotingChannel,
} from '@rockit/remoting';
import { MQClientAPI, type ConsumerData, type HeartbeatData } from './api.js';
import { buildClientId, resolveClientConfig, type ClientConfig, type ResolvedClientConfig } from './config.js';
import { MQBrokerError, MQClientError, requestName } from './errors.js';
import { decodeTopicRouteData, routeEquals, toPublishInfo, toSubscribeQueues, type TopicPublishInfo, type TopicRouteData } from './route.js';
import { MessageQueueMap, type MessageQueue } from './message-queue.js';
import { replyFromPush } from './producer/request-reply.js';

/** A producer as the instance sees it. */
export interface ProducerMember {
  readonly group: string;
  /** Topics it sends to: their routes are refreshed. */
  publishTopics(): string[];
  /** CHECK_TRANSACTION_STATE for this group arrived on the connection to `brokerAddr`. */
  checkTransactionState?(brokerAddr: string, header: CheckHeader, msg: MessageExt): void;
}

/** A consumer as the instance sees it. */
export interface ConsumerMember {
  readonly group: string;
  consumerData(): ConsumerData;
  /** Recomputes its queues now. */
  doRebalance(): Promise<void>;
  persistConsumerOffset(): Promise<void>;
  /** RESET_CONSUMER_CLIENT_OFFSET: restart these queues from these offsets. */
  resetOffset(topic: string, offsets: MessageQueueMap<number>): Promise<void>;
  /** GET_CONSUMER_STATUS_FROM_CLIENT: the offsets held for `topic`. */
  consumerStatus(topic: string): MessageQueueMap<number>;
  /** GET_CONSUMER_RUNNING_INFO body (`ConsumerRunningInfo`). */
  runningInfo(): Record<string, unknown>;
  /** CONSUME_MESSAGE_DIRECTLY body (`ConsumeMessageDirectlyResult`); undefined when it cannot (pull consumers). */
  consumeMessageDirectly(msg: MessageExt, brokerName: string | undefined): Promise<Record<string, unknown> | undefined>;
}

const DEFAULT_TOPIC = 'TBW102';
const REBALANCE_INTERVAL = 20_000;

/** Clients by client id; clients configured with the same id share one instance. */
const instances = new Map<string, MQClientInstance>();

export class MQClientInstance {
  readonly clientId: string;
  readonly config: ResolvedClientConfig;
  readonly remoting: RemotingClient;
  readonly api: MQClientAPI;
  readonly logger: Logger;
  private readonly producers = new Map<string, ProducerMember>();
  private readonly consumers = new Map<string, ConsumerMember>();
  private readonly admins = new Set<object>();
  private readonly routes = new Map<string, TopicRouteData>();
  private readonly publishInfos = new Map<string, TopicPublishInfo>();
  /** brokerName -> brokerId -> address, from every route seen. */
  private readonly brokerAddrTable = new Map<string, Map<number, string>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private namesrvIndex: number;
  private started = false;
  private stopped = false;
  private rebalanceRunning: Promise<void> | undefined;
  private rebalanceAgain = false;
  /** Requests waiting for their reply, by CORRELATION_ID (RocketMQ's RequestFutureHolder). */
  private readonly replyWaiters = new Map<string, (reply: MessageExt) => void>();

  private constructor(clientConfig: ClientConfig, config: ResolvedClientConfig, clientId: string) {
    this.config = config;
    this.clientId = clientId;
    this.logger = clientConfig.logger ?? createLogger('MQClientInstance');
    this.remoting = new RemotingClient({
      logger: this.logger,
      defaultTimeoutMillis: config.mqClientApiTimeout,
      serializeType: SerializeType[config.serializeType],
    });
    if (clientConfig.rpcHook) this.remoting.registerRPCHook(clientConfig.rpcHook);
    // Signing goes last: it covers every ext field the other hooks set.
    if (clientConfig.credentials) this.remoting.registerRPCHook(new AclClientRPCHook(clientConfig.credentials));
    this.api = new MQClientAPI(this.remoting, config.mqClientApiTimeout);
    this.namesrvIndex = Math.floor(Math.random() * Math.max(1, config.namesrvAddrs.length));
    this.remoting.registerProcessor(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, (_ch, req) => this.onNotifyConsumerIdsChanged(req));
    this.remoting.registerProcessor(RequestCode.CHECK_TRANSACTION_STATE, (ch, req) => this.onCheckTransactionState(ch, req));
    this.remoting.registerProcessor(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, (_ch, req) => this.onResetOffset(req));
    this.remoting.registerProcessor(RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT, (_ch, req) => this.onGetConsumerStatus(req));
    this.remoting.registerProcessor(RequestCode.GET_CONSUMER_RUNNING_INFO, (_ch, req) => this.onGetConsumerRunningInfo(req));
    this.remoting.registerProcessor(RequestCode.CONSUME_MESSAGE_DIRECTLY, (_ch, req) => this.onConsumeMessageDirectly(req));
    this.remoting.registerProcessor(RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT, (ch, req) => this.onPushReplyMessage(ch, req));
  }

  /** The instance for `config`'s client id, created on first use (`MQClientManager.getOrCreateMQClientInstance`). */
  static getOrCreate(clientConfig: ClientConfig): MQClientInstance {
    const config = resolveClientConfig(clientConfig);
    const clientId = buildClientId(config);
    let instance = instances.get(clientId);
    if (instance === undefined || instance.stopped) {
      instance = new MQClientInstance(clientConfig, config, clientId);
      instances.set(clientId, instance);
    }
    return instance;
  }

  get namesrvAddrs(): readonly string[] {
    return this.config.namesrvAddrs;
  }

  /** Starts the periodic tasks once; later calls do nothing. */
  start(): void {
    if (this.started) return;
    if (this.config.namesrvAddrs.length === 0) {
      throw new MQClientError(`no name server address: set namesrvAddr or the ${MixAll.NAMESRV_ADDR_ENV} environment variable`);
    }
    this.started = true;
    const every = (ms: number, task: () => Promise<unknown>) => {
      this.timers.push(setInterval(() => void task().catch((err: unknown) => this.logger.warn({ err }, 'periodic task failed')), ms));
    };
    every(this.config.pollNameServerInterval, () => this.updateAllTopicRoutes());
    every(this.config.heartbeatBrokerInterval, () => this.sendHeartbeatToAllBrokers());
    every(this.config.persistConsumerOffsetInterval, () => this.persistAllConsumerOffset());
    every(REBALANCE_INTERVAL, () => this.doRebalance());
  }

  registerProducer(member: ProducerMember): void {
    if (this.producers.has(member.group)) {
      throw new MQClientError(`the producer group[${member.group}] has been created before, specify another name please`);
    }
    this.producers.set(member.group, member);
  }

  registerConsumer(member: ConsumerMember): void {
    if (this.consumers.has(member.group)) {
      throw new MQClientError(`the consumer group[${member.group}] has been created before, specify another name please`);
    }
    this.consumers.set(member.group, member);
  }

  /** An admin client holds the instance open without heartbeating. */
  registerAdmin(admin: object): void {
    this.admins.add(admin);
  }

  /** Removes a producer, tells every broker (UNREGISTER_CLIENT), and closes the instance when it was the last user. */
  async unregisterProducer(group: string): Promise<void> {
    if (!this.producers.delete(group)) return;
    await this.unregisterFromBrokers(group, undefined);
    await this.closeIfUnused();
  }

  async unregisterConsumer(group: string): Promise<void> {
    if (!this.consumers.delete(group)) return;
    await this.unregisterFromBrokers(undefined, group);
    await this.closeIfUnused();
  }

  async unregisterAdmin(admin: object): Promise<void> {
    if (!this.admins.delete(admin)) return;
    await this.closeIfUnused();
  }

  private async unregisterFromBrokers(producerGroup: string | undefined, consumerGroup: string | undefined): Promise<void> {
    await Promise.allSettled(
      this.allBrokerAddrs().map((addr) =>
        this.api.unregisterClient(addr, this.clientId, producerGroup, consumerGroup).catch((err: unknown) => {
          this.logger.warn({ err, addr }, 'unregister client failed');
        }),
      ),
    );
  }

  private async closeIfUnused(): Promise<void> {
    if (this.producers.size + this.consumers.size + this.admins.size > 0) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    if (instances.get(this.clientId) === this) instances.delete(this.clientId);
    await this.remoting.close();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Name servers and routes

  /** Sends `request` to a name server: the current one, then each other in turn when it cannot be reached. */
  async invokeNamesrv(request: RemotingCommand, timeoutMillis = this.config.mqClientApiTimeout): Promise<RemotingCommand> {
    const addrs = this.config.namesrvAddrs;
    if (addrs.length === 0) throw new MQClientError('no name server address configured');
    let lastError: unknown;
    for (let i = 0; i < addrs.length; i++) {
      const addr = addrs[this.namesrvIndex % addrs.length]!;
      try {
        return await this.api.invoke(addr, request, timeoutMillis);
      } catch (err) {
        lastError = err;
        this.namesrvIndex = (this.namesrvIndex + 1) % addrs.length;
        request = RemotingCommand.createRequest(request.code, request.extFields, request.body);
      }
    }
    throw new MQClientError(`no name server of [${addrs.join(';')}] answered ${requestName(request.code)}`, -1, { cause: lastError });
  }

  /** GET_ROUTEINFO_BY_TOPIC; undefined when the topic does not exist (TOPIC_NOT_EXIST). */
  async fetchTopicRoute(topic: string): Promise<TopicRouteData | undefined> {
    const request = RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic });
    const response = await this.invokeNamesrv(request);
    if (response.code === ResponseCode.TOPIC_NOT_EXIST) return undefined;
    if (response.code !== ResponseCode.SUCCESS || !response.body) {
      throw new MQBrokerError(response.code, response.remark, this.config.namesrvAddrs[this.namesrvIndex % this.config.namesrvAddrs.length]!, request.code);
    }
    return decodeTopicRouteData(response.body);
  }

  /**
   * Refreshes the route of `topic` from the name server; returns whether it changed. With `useDefaultTopic` a topic
   * without a route gets TBW102's route with at most `defaultTopicQueueNums` queues per broker, so the first send
   * makes a broker with autoCreateTopicEnable create it.
   */
  async updateTopicRoute(topic: string, useDefaultTopic = false, defaultTopicQueueNums: number = MixAll.CLIENT_DEFAULT_TOPIC_QUEUE_NUMS): Promise<boolean> {
    let route = await this.fetchTopicRoute(topic);
    if (route === undefined && useDefaultTopic) {
      const def = await this.fetchTopicRoute(DEFAULT_TOPIC);
      if (def !== undefined) {
        for (const qd of def.queueDatas) {
          const n = Math.min(defaultTopicQueueNums, qd.readQueueNums);
          qd.readQueueNums = n;
          qd.writeQueueNums = n;
        }
        route = def;
      }
    }
    if (route === undefined) return false;
    let newBroker = false;
    for (const bd of route.brokerDatas) {
      const known = this.brokerAddrTable.get(bd.brokerName);
      for (const [id, addr] of bd.brokerAddrs) if (known?.get(id) !== addr) newBroker = true;
      this.brokerAddrTable.set(bd.brokerName, new Map(bd.brokerAddrs));
    }
    // A broker seen for the first time learns about our producers and consumers now, not in up to 30 s.
    if (newBroker && this.started && !this.stopped) void this.sendHeartbeatToAllBrokers();
    const old = this.routes.get(topic);
    this.routes.set(topic, route);
    const changed = old === undefined || !routeEquals(old, route);
    if (changed || !this.publishInfos.has(topic)) this.publishInfos.set(topic, toPublishInfo(topic, route));
    return changed;
  }

  /** The cached route of `topic`. */
  topicRoute(topic: string): TopicRouteData | undefined {
    return this.routes.get(topic);
  }

  /** Publish info from the cached route, fetching it (with the TBW102 fallback) when missing. */
  /** The route of `topic` already known, with at least one queue; undefined when it must be fetched. */
  cachedTopicPublishInfo(topic: string): TopicPublishInfo | undefined {
    const cached = this.publishInfos.get(topic);
    return cached !== undefined && cached.messageQueues.length > 0 ? cached : undefined;
  }

  async topicPublishInfo(topic: string): Promise<TopicPublishInfo | undefined> {
    const cached = this.cachedTopicPublishInfo(topic);
    if (cached !== undefined) return cached;
    await this.updateTopicRoute(topic);
    const info = this.publishInfos.get(topic);
    if (info !== undefined && info.messageQueues.length > 0) return info;
    await this.updateTopicRoute(topic, true);
    return this.publishInfos.get(topic);
  }

  /** Readable queues of `topic` (fetching the route when missing). */
  async subscribeQueues(topic: string): Promise<MessageQueue[]> {
    if (!this.routes.has(topic)) await this.updateTopicRoute(topic);
    const route = this.routes.get(topic);
    if (route === undefined) throw new MQClientError(`no route info of topic ${topic}: does it exist?`, ResponseCode.TOPIC_NOT_EXIST);
    return toSubscribeQueues(topic, route);
  }

  private async updateAllTopicRoutes(): Promise<void> {
    const topics = new Set<string>();
    for (const p of this.producers.values()) for (const t of p.publishTopics()) topics.add(t);
    for (const c of this.consumers.values()) for (const s of c.consumerData().subscriptionDataSet) topics.add(s.topic);
    await Promise.allSettled([...topics].map((t) => this.updateTopicRoute(t)));
  }

  /** The master address of `brokerName`. */
  findBrokerAddressInPublish(brokerName: string): string | undefined {
    return this.brokerAddrTable.get(brokerName)?.get(MixAll.MASTER_ID);
  }

  /** The address of `brokerId` of `brokerName`, else the master, else any. */
  findBrokerAddressInSubscribe(brokerName: string, brokerId: number = MixAll.MASTER_ID): string | undefined {
    const addrs = this.brokerAddrTable.get(brokerName);
    if (addrs === undefined) return undefined;
    return addrs.get(brokerId) ?? addrs.get(MixAll.MASTER_ID) ?? addrs.values().next().value;
  }

  /** Some broker hosting `topic` (to ask for the group's consumer list). */
  findBrokerAddrByTopic(topic: string): string | undefined {
    const route = this.routes.get(topic);
    const bd = route?.brokerDatas[Math.floor(Math.random() * route.brokerDatas.length)];
    return bd === undefined ? undefined : (bd.brokerAddrs.get(MixAll.MASTER_ID) ?? bd.brokerAddrs.values().next().value);
  }

  allBrokerAddrs(): string[] {
    const out: string[] = [];
    for (const addrs of this.brokerAddrTable.values()) for (const a of addrs.values()) out.push(a);
    return out;
  }

  /** Client ids of `group`'s consumers, as a broker hosting `topic` knows them. */
  async findConsumerIdList(topic: string, group: string): Promise<string[]> {
    if (!this.routes.has(topic)) await this.updateTopicRoute(topic);
    const addr = this.findBrokerAddrByTopic(topic);
    if (addr === undefined) return [];
    return this.api.getConsumerIdListByGroup(addr, group);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Heartbeats, offsets, rebalance

  heartbeatData(): HeartbeatData {
    return {
      clientID: this.clientId,
      producerDataSet: [...new Set([...this.producers.keys(), MixAll.CLIENT_INNER_PRODUCER_GROUP])].map((groupName) => ({ groupName })),
      consumerDataSet: [...this.consumers.values()].map((c) => c.consumerData()),
    };
  }

  /** HEART_BEAT to every known broker (masters, and slaves when consumers exist). */
  async sendHeartbeatToAllBrokers(): Promise<void> {
    if (this.producers.size === 0 && this.consumers.size === 0) return;
    const data = this.heartbeatData();
    const targets: string[] = [];
    for (const addrs of this.brokerAddrTable.values()) {
      for (const [id, addr] of addrs) if (id === MixAll.MASTER_ID || this.consumers.size > 0) targets.push(addr);
    }
    await Promise.all(
      targets.map((addr) =>
        this.api.sendHeartbeat(addr, data).catch((err: unknown) => {
          this.logger.warn({ err, addr }, 'heartbeat failed');
        }),
      ),
    );
  }

  async persistAllConsumerOffset(): Promise<void> {
    await Promise.allSettled([...this.consumers.values()].map((c) => c.persistConsumerOffset()));
  }

  /** Rebalances every consumer; concurrent calls collapse into one more run. */
  doRebalance(): Promise<void> {
    if (this.rebalanceRunning !== undefined) {
      this.rebalanceAgain = true;
      return this.rebalanceRunning;
    }
    const run = async () => {
      do {
        this.rebalanceAgain = false;
        await Promise.allSettled([...this.consumers.values()].map((c) => c.doRebalance()));
      } while (this.rebalanceAgain && !this.stopped);
    };
    this.rebalanceRunning = run().finally(() => {
      this.rebalanceRunning = undefined;
    });
    return this.rebalanceRunning;
  }

  private onNotifyConsumerIdsChanged(request: RemotingCommand): null {
    const { consumerGroup } = decodeHeader(request, NotifyConsumerIdsChangedRequestHeader);
    this.logger.info({ consumerGroup }, 'consumer ids changed, rebalancing');
    void this.doRebalance();
    return null;
  }

  /** Calls `onReply` with the reply carrying this CORRELATION_ID when a broker pushes it; returns how to stop waiting. */
  waitForReply(correlationId: string, onReply: (reply: MessageExt) => void): () => void {
    this.replyWaiters.set(correlationId, onReply);
    return () => {
      if (this.replyWaiters.get(correlationId) === onReply) this.replyWaiters.delete(correlationId);
    };
  }

  /** PUSH_REPLY_MESSAGE_TO_CLIENT: a reply to one of this client's requests, pushed by the broker it was sent to. */
  private onPushReplyMessage(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const receivedAt = Date.now();
    let reply: MessageExt;
    try {
      reply = replyFromPush(decodeHeader(request, ReplyMessageRequestHeader), request.body, receivedAt);
    } catch (err) {
      this.logger.warn({ err, broker: channel.remoteAddress }, 'undecodable reply message');
      return RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, `cannot decode the reply: ${(err as Error).message}`);
    }
    const correlationId = reply.getProperty(MessageConst.PROPERTY_CORRELATION_ID);
    const waiter = correlationId === undefined ? undefined : this.replyWaiters.get(correlationId);
    if (waiter === undefined) {
      // Late (the request timed out) or not ours: acknowledged all the same, as RocketMQ does.
      this.logger.warn({ correlationId, broker: channel.remoteAddress }, 'a reply arrived that no request is waiting for');
    } else {
      this.replyWaiters.delete(correlationId!);
      waiter(reply);
    }
    return RemotingCommand.createResponse(ResponseCode.SUCCESS);
  }

  private onCheckTransactionState(channel: RemotingChannel, request: RemotingCommand): null {
    const header = decodeHeader(request, CheckTransactionStateRequestHeader);
    let msg: MessageExt | undefined;
    try {
      msg = request.body ? decodeMessage(request.body) : undefined;
    } catch (err) {
      this.logger.warn({ err, broker: channel.remoteAddress }, 'CHECK_TRANSACTION_STATE with an undecodable message');
      return null;
    }
    const group = msg?.getProperty(MessageConst.PROPERTY_PRODUCER_GROUP);
    const producer = group === undefined ? undefined : this.producers.get(group);
    if (producer?.checkTransactionState === undefined) {
      this.logger.warn({ group, broker: channel.remoteAddress }, 'CHECK_TRANSACTION_STATE for a group without a transaction producer here');
      return null;
    }
    producer.checkTransactionState(channel.remoteAddress, header, msg!);
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Admin callbacks (an admin tool -> broker -> this client)

  private consumerFor(group: string): ConsumerMember {
    const consumer = this.consumers.get(group);
    if (consumer === undefined) throw new RemotingCommandError(ResponseCode.SYSTEM_ERROR, `The Consumer Group <${group}> not exist in this consumer`);
    return consumer;
  }

  private async onResetOffset(request: RemotingCommand): Promise<null> {
    const h = decodeHeader(request, ResetOffsetRequestHeader);
    const consumer = this.consumers.get(h.group);
    if (consumer === undefined || !request.body) return null;
    const root = parseFastJson(request.body.toString('utf8')) as { offsetTable?: unknown } | null;
    const offsets = new MessageQueueMap<number>();
    if (root?.offsetTable != null) {
      for (const [mq, offset] of toObjectKeyMap<MessageQueue, number>(root.offsetTable)) {
        offsets.set({ topic: mq.topic, brokerName: mq.brokerName, queueId: Number(mq.queueId) }, Number(offset));
      }
    }
    this.logger.info({ group: h.group, topic: h.topic, queues: offsets.size }, 'resetting consumer offsets');
    await consumer.resetOffset(h.topic, offsets);
    return null;
  }

  private onGetConsumerStatus(request: RemotingCommand): RemotingCommand {
    const h = decodeHeader(request, GetConsumerStatusRequestHeader);
    const table = this.consumerFor(h.group).consumerStatus(h.topic);
    return bodyResponse({ messageQueueTable: new JsonObjectKeyMap<MessageQueue, number>(table.entries()) });
  }

  private onGetConsumerRunningInfo(request: RemotingCommand): RemotingCommand {
    const h = decodeHeader(request, GetConsumerRunningInfoRequestHeader);
    const info = this.consumerFor(h.consumerGroup).runningInfo();
    const properties = (info.properties ?? {}) as Record<string, string>;
    properties.PROP_NAMESERVER_ADDR = this.config.namesrvAddrs.join(';');
    properties.PROP_CLIENT_VERSION = 'V4_9_8';
    return bodyResponse({ ...info, properties });
  }

  private async onConsumeMessageDirectly(request: RemotingCommand): Promise<RemotingCommand> {
    const h = decodeHeader(request, ConsumeMessageDirectlyResultRequestHeader);
    const consumer = this.consumerFor(h.consumerGroup);
    if (!request.body) throw new RemotingCommandError(ResponseCode.SYSTEM_ERROR, 'CONSUME_MESSAGE_DIRECTLY without a message');
    const result = await consumer.consumeMessageDirectly(decodeMessage(request.body), h.brokerName);
    if (result === undefined) {
      throw new RemotingCommandError(ResponseCode.SYSTEM_ERROR, `The Consumer Group <${h.consumerGroup}> is not a push consumer here`);
    }
    return bodyResponse(result);
  }
}

function bodyResponse(body: unknown): RemotingCommand {
  const response = RemotingCommand.createResponse(ResponseCode.SUCCESS);
  response.body = Buffer.from(toFastJson(body), 'utf8');
  return response;
}
