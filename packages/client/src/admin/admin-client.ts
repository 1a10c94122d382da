/**
 * AdminClient (RocketMQ `DefaultMQAdminExt`, the calls mqadmin makes): typed calls to the name servers and brokers
 * for topics, subscription groups, offsets, statistics, connections, configs and message lookups. Calls that
 * concern a topic or group on a whole cluster fan out to the brokers of its route and merge the answers.
 */
import {
  MixAll,
  decodeMessages,
  decodeOffsetMessageId,
  getRetryTopic,
  mapEntries,
  parseFastJson,
  toFastJson,
  toObjectKeyMap,
  type MessageExt,
} from '@rockit/common';
import {
  AddWritePermOfBrokerRequestHeader,
  CloneGroupOffsetRequestHeader,
  ConsumeMessageDirectlyResultRequestHeader,
  CreateTopicRequestHeader,
  DeleteKVConfigRequestHeader,
  DeleteSubscriptionGroupRequestHeader,
  DeleteTopicFromNamesrvRequestHeader,
  DeleteTopicRequestHeader,
  GetConsumeStatsInBrokerHeader,
  GetConsumeStatsRequestHeader,
  GetConsumerConnectionListRequestHeader,
  GetConsumerRunningInfoRequestHeader,
  GetConsumerStatusRequestHeader,
  GetEarliestMsgStoretimeRequestHeader,
  GetKVConfigRequestHeader,
  GetKVListByNamespaceRequestHeader,
  GetProducerConnectionListRequestHeader,
  GetTopicStatsInfoRequestHeader,
  GetTopicsByClusterRequestHeader,
  HeaderFields,
  PutKVConfigRequestHeader,
  PlainAccessConfigRequestHeader,
  DeleteAccessConfigRequestHeader,
  UpdateGlobalWhiteAddrsConfigRequestHeader,
  QueryConsumeQueueRequestHeader,
  QueryConsumeTimeSpanRequestHeader,
  QueryCorrectionOffsetHeader,
  QueryMessageRequestHeader,
  QueryTopicConsumeByWhoRequestHeader,
  RemotingCommand,
  RequestCode,
  ResetOffsetRequestHeader,
  ResponseCode,
  ViewBrokerStatsDataRequestHeader,
  ViewMessageRequestHeader,
  WipeWritePermOfBrokerRequestHeader,
  defineHeader,
  encodeHeader,
  type HeaderDescriptor,
} from '@rockit/remoting';
import { MQClientAPI } from '../api.js';
import type { ClientConfig } from '../config.js';
import { MQBrokerError, MQClientError } from '../errors.js';
import { MQClientInstance } from '../instance.js';
import { MessageQueueMap, type MessageQueue } from '../message-queue.js';
import type { BrokerData, TopicRouteData } from '../route.js';

const GetTopicConfigRequestHeader = defineHeader('GetTopicConfigRequestHeader', { topic: HeaderFields.S });

export interface TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType?: 'SINGLE_TAG' | 'MULTI_TAG';
  topicSysFlag?: number;
  order?: boolean;
}

export interface ClusterInfo {
  brokerAddrTable: Map<string, BrokerData>;
  clusterAddrTable: Map<string, string[]>;
}

export interface TopicOffset {
  minOffset: number;
  maxOffset: number;
  lastUpdateTimestamp: number;
}

export interface OffsetWrapper {
  brokerOffset: number;
  consumerOffset: number;
  lastTimestamp: number;
}

/** One window of a broker stats item (BrokerStatsItem): growth, per second, per call. */
export interface BrokerStatsItem {
  sum: number;
  tps: number;
  avgpt: number;
}

/** VIEW_BROKER_STATS_DATA's answer: the last minute, hour and day of one item. */
export interface BrokerStatsData {
  statsMinute: BrokerStatsItem;
  statsHour: BrokerStatsItem;
  statsDay: BrokerStatsItem;
}

export interface ConsumeStats {
  offsetTable: MessageQueueMap<OffsetWrapper>;
  consumeTps: number;
  /** Σ(brokerOffset − consumerOffset). */
  diffTotal: number;
}

export interface Connection {
  clientId: string;
  clientAddr: string;
  language: string;
  version: number;
}

export interface ConsumerConnection {
  connectionSet: Connection[];
  consumeType?: string;
  messageModel?: string;
  consumeFromWhere?: string;
  subscriptionTable: Record<string, unknown>;
}

/** A JSON body as fastjson parsed it: plain objects for string keys, Maps / JsonObjectKeyMaps otherwise. */
export type JsonBody = Record<string, unknown>;

/** One producer connection of GET_ALL_PRODUCER_INFO (`remoteIP` as Java prints a socket address, "/ip:port"). */
export interface ProducerInfo {
  clientId: string;
  remoteIP: string;
  language: string;
  version: number;
  lastUpdateTimestamp: number;
}

/** QUERY_CONSUME_QUEUE's answer (QueryConsumeQueueResponseBody), with the broker that gave it. */
export interface ConsumeQueueQuery {
  brokerAddr: string;
  subscriptionData?: Record<string, unknown>;
  filterData?: string;
  maxQueueIndex: number;
  minQueueIndex: number;
  queueData: { physicOffset: number; physicSize: number; tagsCode: number; extendDataJson: string | null; bitMap: string | null; eval: boolean; msg: string | null }[];
}

function num(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : Number(v ?? 0);
}

function toMq(v: unknown): MessageQueue {
  const o = v as MessageQueue;
  return { topic: String(o.topic), brokerName: String(o.brokerName), queueId: num(o.queueId) };
}

export class AdminClient {
  private readonly instance: MQClientInstance;
  private readonly api: MQClientAPI;
  private readonly timeoutMillis: number;
  private started = false;

  constructor(options: ClientConfig & { adminTimeoutMillis?: number } = {}) {
    this.instance = MQClientInstance.getOrCreate(options);
    this.api = this.instance.api;
    this.timeoutMillis = options.adminTimeoutMillis ?? 5000;
  }

  get clientInstance(): MQClientInstance {
    return this.instance;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.instance.registerAdmin(this);
    this.instance.start();
    this.started = true;
  }

  async shutdown(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.instance.unregisterAdmin(this);
  }

  // -------------------------------------------------------------------------------------------------------
  // Plumbing

  private async call(addr: string, code: number, header?: object, descriptor?: HeaderDescriptor, body?: Buffer): Promise<RemotingCommand> {
    const request = RemotingCommand.createRequest(code, header ? encodeHeader(header, descriptor) : undefined, body);
    return this.api.invokeOk(addr, request, this.timeoutMillis);
  }

  private async namesrv(code: number, header?: object, descriptor?: HeaderDescriptor, body?: Buffer): Promise<RemotingCommand> {
    const request = RemotingCommand.createRequest(code, header ? encodeHeader(header, descriptor) : undefined, body);
    const response = await this.instance.invokeNamesrv(request, this.timeoutMillis);
    if (response.code !== ResponseCode.SUCCESS) throw new MQBrokerError(response.code, response.remark, this.instance.namesrvAddrs.join(';'), code);
    return response;
  }

  private static json(response: RemotingCommand): JsonBody {
    if (!response.body || response.body.length === 0) return {};
    return parseFastJson(response.body.toString('utf8')) as JsonBody;
  }

  private static strings(v: unknown): string[] {
    return [...((v as Iterable<unknown> | undefined) ?? [])].map(String);
  }

  /** Master addresses of a topic's brokers. */
  private async topicMasters(topic: string): Promise<{ brokerName: string; addr: string }[]> {
    const route = await this.getTopicRoute(topic);
    if (route === undefined) throw new MQClientError(`no route info of topic ${topic}`, ResponseCode.TOPIC_NOT_EXIST);
    return route.brokerDatas.flatMap((bd) => {
      const addr = bd.brokerAddrs.get(MixAll.MASTER_ID);
      return addr === undefined ? [] : [{ brokerName: bd.brokerName, addr }];
    });
  }

  /** Master addresses of every broker in `cluster` (all clusters when undefined). */
  async clusterMasters(cluster?: string): Promise<string[]> {
    const info = await this.getClusterInfo();
    const names = cluster === undefined ? [...info.brokerAddrTable.keys()] : (info.clusterAddrTable.get(cluster) ?? []);
    if (cluster !== undefined && !info.clusterAddrTable.has(cluster)) throw new MQClientError(`no cluster named ${cluster}`);
    return names.flatMap((n) => {
      const addr = info.brokerAddrTable.get(n)?.brokerAddrs.get(MixAll.MASTER_ID);
      return addr === undefined ? [] : [addr];
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Name server

  async getClusterInfo(): Promise<ClusterInfo> {
    const body = AdminClient.json(await this.namesrv(RequestCode.GET_BROKER_CLUSTER_INFO));
    const brokerAddrTable = new Map<string, BrokerData>();
    for (const [name, bd] of mapEntries(body.brokerAddrTable ?? {})) {
      const o = bd as JsonBody;
      const addrs = new Map<number, string>();
      for (const [id, a] of mapEntries(o.brokerAddrs ?? {})) addrs.set(num(id), String(a));
      brokerAddrTable.set(String(name), { cluster: String(o.cluster ?? ''), brokerName: String(o.brokerName ?? name), brokerAddrs: addrs });
    }
    const clusterAddrTable = new Map<string, string[]>();
    for (const [c, names] of mapEntries(body.clusterAddrTable ?? {})) clusterAddrTable.set(String(c), AdminClient.strings(names));
    return { brokerAddrTable, clusterAddrTable };
  }

  getTopicRoute(topic: string): Promise<TopicRouteData | undefined> {
    return this.instance.fetchTopicRoute(topic);
  }

  async getTopicList(): Promise<string[]> {
    return AdminClient.strings(AdminClient.json(await this.namesrv(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER)).topicList);
  }

  async getTopicsByCluster(cluster: string): Promise<string[]> {
    return AdminClient.strings(AdminClient.json(await this.namesrv(RequestCode.GET_TOPICS_BY_CLUSTER, { cluster }, GetTopicsByClusterRequestHeader)).topicList);
  }

  async getSystemTopicList(): Promise<string[]> {
    return AdminClient.strings(AdminClient.json(await this.namesrv(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS)).topicList);
  }

  async putKVConfig(namespace: string, key: string, value: string): Promise<void> {
    await this.namesrv(RequestCode.PUT_KV_CONFIG, { namespace, key, value }, PutKVConfigRequestHeader);
  }

  /** undefined when the key is not set. */
  async getKVConfig(namespace: string, key: string): Promise<string | undefined> {
    const request = RemotingCommand.createRequest(RequestCode.GET_KV_CONFIG, encodeHeader({ namespace, key }, GetKVConfigRequestHeader));
    const response = await this.instance.invokeNamesrv(request, this.timeoutMillis);
    if (response.code === ResponseCode.QUERY_NOT_FOUND) return undefined;
    if (response.code !== ResponseCode.SUCCESS) throw new MQBrokerError(response.code, response.remark, this.instance.namesrvAddrs.join(';'), request.code);
    return response.extFields?.value;
  }

  async deleteKVConfig(namespace: string, key: string): Promise<void> {
    await this.namesrv(RequestCode.DELETE_KV_CONFIG, { namespace, key }, DeleteKVConfigRequestHeader);
  }

  async getKVListByNamespace(namespace: string): Promise<Map<string, string>> {
    const body = AdminClient.json(await this.namesrv(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace }, GetKVListByNamespaceRequestHeader));
    return new Map(mapEntries(body.table ?? {}).map(([k, v]) => [String(k), String(v)]));
  }

  /** Removes write permission of `brokerName` on every name server; returns the topics touched per name server. */
  async wipeWritePermOfBroker(brokerName: string): Promise<Map<string, number>> {
    return this.permOnEveryNamesrv(RequestCode.WIPE_WRITE_PERM_OF_BROKER, brokerName, WipeWritePermOfBrokerRequestHeader, 'wipeTopicCount');
  }

  async addWritePermOfBroker(brokerName: string): Promise<Map<string, number>> {
    return this.permOnEveryNamesrv(RequestCode.ADD_WRITE_PERM_OF_BROKER, brokerName, AddWritePermOfBrokerRequestHeader, 'addTopicCount');
  }

  private async permOnEveryNamesrv(code: number, brokerName: string, descriptor: HeaderDescriptor, field: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const addr of this.instance.namesrvAddrs) {
      const response = await this.call(addr, code, { brokerName }, descriptor);
      out.set(addr, num(response.extFields?.[field]));
    }
    return out;
  }

  async getNamesrvConfig(): Promise<Map<string, Map<string, string>>> {
    const out = new Map<string, Map<string, string>>();
    for (const addr of this.instance.namesrvAddrs) out.set(addr, parseProperties((await this.call(addr, RequestCode.GET_NAMESRV_CONFIG)).body));
    return out;
  }

  async updateNamesrvConfig(properties: Record<string, string>): Promise<void> {
    const body = Buffer.from(formatProperties(properties), 'utf8');
    for (const addr of this.instance.namesrvAddrs) await this.call(addr, RequestCode.UPDATE_NAMESRV_CONFIG, undefined, undefined, body);
  }

  // -------------------------------------------------------------------------------------------------------
  // Topics

  /** UPDATE_AND_CREATE_TOPIC on one broker. */
  async createOrUpdateTopic(brokerAddr: string, config: TopicConfig): Promise<void> {
    await this.call(
      brokerAddr,
      RequestCode.UPDATE_AND_CREATE_TOPIC,
      {
        topic: config.topicName,
        defaultTopic: 'TBW102',
        readQueueNums: config.readQueueNums,
        writeQueueNums: config.writeQueueNums,
        perm: config.perm,
        topicFilterType: config.topicFilterType ?? 'SINGLE_TAG',
        topicSysFlag: config.topicSysFlag ?? 0,
        order: config.order ?? false,
      },
      CreateTopicRequestHeader,
    );
  }

  /** Creates or updates the topic on every master of `cluster`; returns their addresses. */
  async createOrUpdateTopicInCluster(cluster: string, config: TopicConfig): Promise<string[]> {
    const masters = await this.clusterMasters(cluster);
    for (const addr of masters) await this.createOrUpdateTopic(addr, config);
    return masters;
  }

  /** Deletes the topic from its brokers (those of `cluster`, or of its route) and from every name server. */
  async deleteTopic(topic: string, cluster?: string): Promise<void> {
    const masters = cluster !== undefined ? await this.clusterMasters(cluster) : (await this.topicMasters(topic)).map((m) => m.addr);
    for (const addr of masters) await this.call(addr, RequestCode.DELETE_TOPIC_IN_BROKER, { topic }, DeleteTopicRequestHeader);
    const header = cluster === undefined ? { topic } : { topic, clusterName: cluster };
    for (const addr of this.instance.namesrvAddrs) await this.call(addr, RequestCode.DELETE_TOPIC_IN_NAMESRV, header, DeleteTopicFromNamesrvRequestHeader);
  }

  async getTopicConfig(brokerAddr: string, topic: string): Promise<TopicConfig> {
    const body = AdminClient.json(await this.call(brokerAddr, RequestCode.GET_TOPIC_CONFIG, { topic }, GetTopicConfigRequestHeader));
    return (body.topicConfig ?? body) as unknown as TopicConfig;
  }

  /** topicName -> TopicConfig of every topic on the broker. */
  async getAllTopicConfig(brokerAddr: string): Promise<Map<string, TopicConfig>> {
    const body = AdminClient.json(await this.call(brokerAddr, RequestCode.GET_ALL_TOPIC_CONFIG));
    return new Map(mapEntries(body.topicConfigTable ?? {}).map(([k, v]) => [String(k), v as TopicConfig]));
  }

  /** Per queue of the topic on every broker of its route: min/max offset and last store time. */
  async examineTopicStats(topic: string): Promise<MessageQueueMap<TopicOffset>> {
    const out = new MessageQueueMap<TopicOffset>();
    for (const { addr } of await this.topicMasters(topic)) {
      const body = AdminClient.json(await this.call(addr, RequestCode.GET_TOPIC_STATS_INFO, { topic }, GetTopicStatsInfoRequestHeader));
      for (const [mq, o] of toObjectKeyMap(body.offsetTable ?? {})) {
        const v = o as JsonBody;
        out.set(toMq(mq), { minOffset: num(v.minOffset), maxOffset: num(v.maxOffset), lastUpdateTimestamp: num(v.lastUpdateTimestamp) });
      }
    }
    return out;
  }

  /** Groups that have consumed `topic` on its brokers. */
  async queryTopicConsumeByWho(topic: string): Promise<string[]> {
    const groups = new Set<string>();
    for (const { addr } of await this.topicMasters(topic)) {
      const body = AdminClient.json(await this.call(addr, RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, { topic }, QueryTopicConsumeByWhoRequestHeader));
      for (const g of AdminClient.strings(body.groupList)) groups.add(g);
    }
    return [...groups];
  }

  // -------------------------------------------------------------------------------------------------------
  // Subscription groups

  /** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP with a SubscriptionGroupConfig (`groupName` required; broker defaults for the rest). */
  async createOrUpdateSubscriptionGroup(brokerAddr: string, config: { groupName: string } & Record<string, unknown>): Promise<void> {
    await this.call(brokerAddr, RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, undefined, Buffer.from(toFastJson(config), 'utf8'));
  }

  async getAllSubscriptionGroup(brokerAddr: string): Promise<Map<string, JsonBody>> {
    const body = AdminClient.json(await this.call(brokerAddr, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG));
    return new Map(mapEntries(body.subscriptionGroupTable ?? {}).map(([k, v]) => [String(k), v as JsonBody]));
  }

  async deleteSubscriptionGroup(brokerAddr: string, groupName: string, removeOffset = false): Promise<void> {
    await this.call(brokerAddr, RequestCode.DELETE_SUBSCRIPTIONGROUP, { groupName, removeOffset }, DeleteSubscriptionGroupRequestHeader);
  }

  // -------------------------------------------------------------------------------------------------------
  // Consumers, producers, offsets

  /** Offsets and lag of `group` (for `topic`, or every topic it consumes), over the brokers of the topic or of its retry topic. */
  async examineConsumeStats(group: string, topic?: string): Promise<ConsumeStats> {
    const masters = await this.topicMasters(topic ?? getRetryTopic(group));
    const offsetTable = new MessageQueueMap<OffsetWrapper>();
    let consumeTps = 0;
    for (const { addr } of masters) {
      const header = topic === undefined ? { consumerGroup: group } : { consumerGroup: group, topic };
      const body = AdminClient.json(await this.call(addr, RequestCode.GET_CONSUME_STATS, header, GetConsumeStatsRequestHeader));
      consumeTps += num(body.consumeTps);
      for (const [mq, o] of toObjectKeyMap(body.offsetTable ?? {})) {
        const v = o as JsonBody;
        offsetTable.set(toMq(mq), { brokerOffset: num(v.brokerOffset), consumerOffset: num(v.consumerOffset), lastTimestamp: num(v.lastTimestamp) });
      }
    }
    let diffTotal = 0;
    for (const w of offsetTable.values()) diffTotal += w.brokerOffset - w.consumerOffset;
    return { offsetTable, consumeTps, diffTotal };
  }

  /** The group's online consumers (from a broker hosting its retry topic, or `topic`). */
  async examineConsumerConnectionInfo(group: string, topic?: string): Promise<ConsumerConnection> {
    const [master] = await this.topicMasters(topic ?? getRetryTopic(group));
    if (master === undefined) throw new MQClientError(`no broker for consumer group ${group}`);
    const body = AdminClient.json(await this.call(master.addr, RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: group }, GetConsumerConnectionListRequestHeader));
    return {
      connectionSet: ((body.connectionSet as Connection[] | undefined) ?? []).map((c) => ({ ...c, version: num(c.version) })),
      subscriptionTable: Object.fromEntries(mapEntries(body.subscriptionTable ?? {}).map(([k, v]) => [String(k), v])),
      ...(body.consumeType !== undefined ? { consumeType: String(body.consumeType) } : {}),
      ...(body.messageModel !== undefined ? { messageModel: String(body.messageModel) } : {}),
      ...(body.consumeFromWhere !== undefined ? { consumeFromWhere: String(body.consumeFromWhere) } : {}),
    };
  }

  /** The producers of `group` connected to the brokers of `topic`. */
  async examineProducerConnectionInfo(group: string, topic: string): Promise<Connection[]> {
    const out = new Map<string, Connection>();
    for (const { addr } of await this.topicMasters(topic)) {
      try {
        const body = AdminClient.json(await this.call(addr, RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: group }, GetProducerConnectionListRequestHeader));
        for (const c of (body.connectionSet as Connection[] | undefined) ?? []) out.set(c.clientId, { ...c, version: num(c.version) });
      } catch (err) {
        if (!(err instanceof MQBrokerError && err.code === ResponseCode.SYSTEM_ERROR)) throw err;
      }
    }
    return [...out.values()];
  }

  /** GET_CONSUMER_RUNNING_INFO of one consumer, through a broker it is connected to. */
  async getConsumerRunningInfo(group: string, clientId: string, jstack = false): Promise<JsonBody> {
    const [master] = await this.topicMasters(getRetryTopic(group));
    if (master === undefined) throw new MQClientError(`no broker for consumer group ${group}`);
    return AdminClient.json(
      await this.call(master.addr, RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: group, clientId, jstackEnable: jstack }, GetConsumerRunningInfoRequestHeader),
    );
  }

  /** Has one consumer consume one message (by offset message id) and reports what its listener answered. */
  async consumeMessageDirectly(group: string, clientId: string, offsetMsgId: string): Promise<JsonBody> {
    const { address, port } = decodeOffsetMessageId(offsetMsgId);
    return AdminClient.json(
      await this.call(`${address}:${port}`, RequestCode.CONSUME_MESSAGE_DIRECTLY, { consumerGroup: group, clientId, msgId: offsetMsgId }, ConsumeMessageDirectlyResultRequestHeader),
    );
  }

  /**
   * Resets the group's offsets on `topic` to those at `timestamp` (-1: the end) on every broker of the topic; online
   * consumers restart from them. Returns the new offsets.
   */
  async resetOffsetByTimestamp(topic: string, group: string, timestamp: number, isForce = true): Promise<MessageQueueMap<number>> {
    const out = new MessageQueueMap<number>();
    for (const { addr } of await this.topicMasters(topic)) {
      const body = AdminClient.json(await this.call(addr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic, group, timestamp, isForce }, ResetOffsetRequestHeader));
      for (const [mq, offset] of toObjectKeyMap(body.offsetTable ?? {})) out.set(toMq(mq), num(offset));
    }
    return out;
  }

  /** Sets the group's committed offset of one queue on its broker (UPDATE_CONSUMER_OFFSET). */
  async updateConsumeOffset(group: string, mq: MessageQueue, offset: number): Promise<void> {
    const addr = (await this.topicMasters(mq.topic)).find((m) => m.brokerName === mq.brokerName)?.addr;
    if (addr === undefined) throw new MQClientError(`the broker[${mq.brokerName}] does not host ${mq.topic}`);
    await this.api.updateConsumerOffset(addr, group, mq, offset);
  }

  /** clientId -> queue -> offset as each online consumer of the group holds them. */
  async getConsumeStatus(topic: string, group: string, clientAddr?: string): Promise<Map<string, MessageQueueMap<number>>> {
    const out = new Map<string, MessageQueueMap<number>>();
    for (const { addr } of await this.topicMasters(topic)) {
      const header = clientAddr === undefined ? { topic, group } : { topic, group, clientAddr };
      const body = AdminClient.json(await this.call(addr, RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, header, GetConsumerStatusRequestHeader));
      for (const [clientId, table] of mapEntries(body.consumerTable ?? {})) {
        const m = out.get(String(clientId)) ?? new MessageQueueMap<number>();
        for (const [mq, offset] of toObjectKeyMap(table)) m.set(toMq(mq), num(offset));
        out.set(String(clientId), m);
      }
    }
    return out;
  }

  async queryConsumeTimeSpan(topic: string, group: string): Promise<JsonBody[]> {
    const out: JsonBody[] = [];
    for (const { addr } of await this.topicMasters(topic)) {
      const body = AdminClient.json(await this.call(addr, RequestCode.QUERY_CONSUME_TIME_SPAN, { topic, group }, QueryConsumeTimeSpanRequestHeader));
      out.push(...((body.consumeTimeSpanSet as JsonBody[] | undefined) ?? []));
    }
    return out;
  }

  async cloneGroupOffset(srcGroup: string, destGroup: string, topic: string, offline = false): Promise<void> {
    for (const { addr } of await this.topicMasters(topic)) {
      await this.call(addr, RequestCode.CLONE_GROUP_OFFSET, { srcGroup, destGroup, topic, offline }, CloneGroupOffsetRequestHeader);
    }
  }

  /** queueId -> offset per broker (QUERY_CORRECTION_OFFSET). */
  async queryCorrectionOffset(brokerAddr: string, topic: string, compareGroup: string, filterGroups?: string): Promise<Map<number, number>> {
    const header = filterGroups === undefined ? { topic, compareGroup } : { topic, compareGroup, filterGroups };
    const body = AdminClient.json(await this.call(brokerAddr, RequestCode.QUERY_CORRECTION_OFFSET, header, QueryCorrectionOffsetHeader));
    return new Map(mapEntries(body.correctionOffsets ?? {}).map(([k, v]) => [num(k), num(v)]));
  }

  async getBrokerConsumeStats(brokerAddr: string, isOrder = false): Promise<JsonBody> {
    return AdminClient.json(await this.call(brokerAddr, RequestCode.GET_BROKER_CONSUME_STATS, { isOrder }, GetConsumeStatsInBrokerHeader));
  }

  async getAllConsumerOffset(brokerAddr: string): Promise<JsonBody> {
    return AdminClient.json(await this.call(brokerAddr, RequestCode.GET_ALL_CONSUMER_OFFSET));
  }

  async getAllDelayOffset(brokerAddr: string): Promise<JsonBody> {
    return AdminClient.json(await this.call(brokerAddr, RequestCode.GET_ALL_DELAY_OFFSET));
  }

  // -------------------------------------------------------------------------------------------------------
  // Queues

  async maxOffset(mq: MessageQueue): Promise<number> {
    return this.api.getMaxOffset(await this.queueBroker(mq), mq);
  }
  async minOffset(mq: MessageQueue): Promise<number> {
    return this.api.getMinOffset(await this.queueBroker(mq), mq);
  }
  async searchOffset(mq: MessageQueue, timestamp: number): Promise<number> {
    return this.api.searchOffset(await this.queueBroker(mq), mq, timestamp);
  }
  async earliestMsgStoreTime(mq: MessageQueue): Promise<number> {
    const response = await this.call(
      await this.queueBroker(mq),
      RequestCode.GET_EARLIEST_MSG_STORETIME,
      { topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName },
      GetEarliestMsgStoretimeRequestHeader,
    );
    return num(response.extFields?.timestamp);
  }

  private async queueBroker(mq: MessageQueue): Promise<string> {
    const m = (await this.topicMasters(mq.topic)).find((x) => x.brokerName === mq.brokerName);
    if (m === undefined) throw new MQClientError(`the broker[${mq.brokerName}] does not host ${mq.topic}`);
    return m.addr;
  }

  // -------------------------------------------------------------------------------------------------------
  // Brokers

  /**
   * QUERY_CONSUME_QUEUE (mqadmin queryCq): `count` consume-queue units of `topic` queue `queueId` from `index` on
   * `brokerAddr` (default: the first master of the topic's route), with the queue's bounds; with `consumerGroup`
   * also its subscription and filter data.
   */
  async queryConsumeQueue(
    topic: string,
    queueId: number,
    index: number,
    count: number,
    options: { brokerAddr?: string; consumerGroup?: string } = {},
  ): Promise<ConsumeQueueQuery> {
    const addr = options.brokerAddr ?? (await this.topicMasters(topic))[0]?.addr;
    if (addr === undefined) throw new MQClientError(`no master broker hosts ${topic}`, ResponseCode.TOPIC_NOT_EXIST);
    const header = { topic, queueId, index, count, ...(options.consumerGroup !== undefined ? { consumerGroup: options.consumerGroup } : {}) };
    const body = AdminClient.json(await this.call(addr, RequestCode.QUERY_CONSUME_QUEUE, header, QueryConsumeQueueRequestHeader));
    return {
      brokerAddr: addr,
      ...(body.subscriptionData != null ? { subscriptionData: body.subscriptionData as Record<string, unknown> } : {}),
      ...(typeof body.filterData === 'string' ? { filterData: body.filterData } : {}),
      maxQueueIndex: num(body.maxQueueIndex),
      minQueueIndex: num(body.minQueueIndex),
      queueData: ((body.queueData as JsonBody[] | undefined) ?? []).map((u) => ({
        physicOffset: num(u.physicOffset),
        physicSize: num(u.physicSize),
        tagsCode: num(u.tagsCode),
        extendDataJson: typeof u.extendDataJson === 'string' ? u.extendDataJson : null,
        bitMap: typeof u.bitMap === 'string' ? u.bitMap : null,
        eval: u.eval === true,
        msg: typeof u.msg === 'string' ? u.msg : null,
      })),
    };
  }

  /**
   * UPDATE_AND_CREATE_ACL_CONFIG (mqadmin updateAclConfig): creates the account on the broker's plain_acl.yml, or
   * merges the given fields into it (permissions as `name=PUB|SUB` entries).
   */
  async createAndUpdatePlainAccessConfig(
    brokerAddr: string,
    account: { accessKey: string; secretKey?: string; whiteRemoteAddress?: string; admin?: boolean; defaultTopicPerm?: string; defaultGroupPerm?: string; topicPerms?: string[]; groupPerms?: string[] },
  ): Promise<void> {
    const header = {
      accessKey: account.accessKey,
      admin: account.admin ?? false,
      ...(account.secretKey !== undefined ? { secretKey: account.secretKey } : {}),
      ...(account.whiteRemoteAddress !== undefined ? { whiteRemoteAddress: account.whiteRemoteAddress } : {}),
      ...(account.defaultTopicPerm !== undefined ? { defaultTopicPerm: account.defaultTopicPerm } : {}),
      ...(account.defaultGroupPerm !== undefined ? { defaultGroupPerm: account.defaultGroupPerm } : {}),
      ...(account.topicPerms !== undefined ? { topicPerms: account.topicPerms.join(',') } : {}),
      ...(account.groupPerms !== undefined ? { groupPerms: account.groupPerms.join(',') } : {}),
    };
    await this.call(brokerAddr, RequestCode.UPDATE_AND_CREATE_ACL_CONFIG, header, PlainAccessConfigRequestHeader);
  }

  /** DELETE_ACL_CONFIG (mqadmin deleteAccessConfig). */
  async deletePlainAccessConfig(brokerAddr: string, accessKey: string): Promise<void> {
    await this.call(brokerAddr, RequestCode.DELETE_ACL_CONFIG, { accessKey }, DeleteAccessConfigRequestHeader);
  }

  /** UPDATE_GLOBAL_WHITE_ADDRS_CONFIG (mqadmin updateGlobalWhiteAddr): replaces the global white address list. */
  async updateGlobalWhiteAddrConfig(brokerAddr: string, addresses: string[], aclFileFullPath = ''): Promise<void> {
    await this.call(brokerAddr, RequestCode.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG, { globalWhiteAddrs: addresses.join(','), aclFileFullPath }, UpdateGlobalWhiteAddrsConfigRequestHeader);
  }

  /** GET_BROKER_CLUSTER_ACL_INFO (mqadmin clusterAclConfigVersion): the data version of the broker's ACL file(s). */
  async examineBrokerClusterAclVersionInfo(brokerAddr: string): Promise<{ brokerName: string; brokerAddr: string; clusterName: string; version: { counter: number; timestamp: number }; allAclFileVersion: Record<string, { counter: number; timestamp: number }> }> {
    const ext = (await this.call(brokerAddr, RequestCode.GET_BROKER_CLUSTER_ACL_INFO)).extFields ?? {};
    const parse = (text: string | undefined): unknown => (text ? parseFastJson(text) : undefined);
    const dv = (v: unknown) => ({ counter: num((v as JsonBody | undefined)?.counter), timestamp: num((v as JsonBody | undefined)?.timestamp) });
    const all = (parse(ext.allAclFileVersion) ?? {}) as JsonBody;
    return {
      brokerName: ext.brokerName ?? '',
      brokerAddr: ext.brokerAddr ?? brokerAddr,
      clusterName: ext.clusterName ?? '',
      version: dv(parse(ext.version)),
      allAclFileVersion: Object.fromEntries(mapEntries(all).map(([k, v]) => [String(k), dv(v)])),
    };
  }

  /** GET_ALL_PRODUCER_INFO (mqadmin producer): the broker's producer connections, by group. */
  async getAllProducerInfo(brokerAddr: string): Promise<Map<string, ProducerInfo[]>> {
    const body = AdminClient.json(await this.call(brokerAddr, RequestCode.GET_ALL_PRODUCER_INFO));
    const out = new Map<string, ProducerInfo[]>();
    for (const [group, list] of mapEntries(body.data ?? {})) {
      out.set(
        String(group),
        ((list as JsonBody[] | undefined) ?? []).map((p) => ({
          clientId: String(p.clientId ?? ''),
          remoteIP: String(p.remoteIP ?? ''),
          language: String(p.language ?? ''),
          version: num(p.version),
          lastUpdateTimestamp: num(p.lastUpdateTimestamp),
        })),
      );
    }
    return out;
  }

  /** CLEAN_EXPIRED_CONSUMEQUEUE (mqadmin cleanExpiredCQ): the broker drops consume queues whose messages are all gone. */
  async cleanExpiredConsumeQueue(brokerAddr: string): Promise<void> {
    await this.call(brokerAddr, RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE);
  }

  /** CLEAN_UNUSED_TOPIC (mqadmin cleanUnusedTopic): the broker drops consume queues of topics it has no config for. */
  async cleanUnusedTopic(brokerAddr: string): Promise<void> {
    await this.call(brokerAddr, RequestCode.CLEAN_UNUSED_TOPIC);
  }

  /** DELETE_EXPIRED_COMMITLOG (mqadmin deleteExpiredCommitLog): the broker runs retention now, as at `deleteWhen`. */
  async deleteExpiredCommitLog(brokerAddr: string): Promise<void> {
    await this.call(brokerAddr, RequestCode.DELETE_EXPIRED_COMMITLOG);
  }

  async getBrokerConfig(brokerAddr: string): Promise<Map<string, string>> {
    return parseProperties((await this.call(brokerAddr, RequestCode.GET_BROKER_CONFIG)).body);
  }

  async updateBrokerConfig(brokerAddr: string, properties: Record<string, string>): Promise<void> {
    await this.call(brokerAddr, RequestCode.UPDATE_BROKER_CONFIG, undefined, undefined, Buffer.from(formatProperties(properties), 'utf8'));
  }

  /**
   * One stats item of a broker (`statsName` such as TOPIC_PUT_NUMS with key `topic`, GROUP_GET_NUMS with key
   * `topic@group`); an item the broker never counted fails with MQBrokerError SYSTEM_ERROR.
   */
  async viewBrokerStatsData(brokerAddr: string, statsName: string, statsKey: string): Promise<BrokerStatsData> {
    const body = AdminClient.json(await this.call(brokerAddr, RequestCode.VIEW_BROKER_STATS_DATA, { statsName, statsKey }, ViewBrokerStatsDataRequestHeader));
    const item = (v: unknown): BrokerStatsItem => {
      const o = (v ?? {}) as JsonBody;
      return { sum: num(o.sum), tps: num(o.tps), avgpt: num(o.avgpt) };
    };
    return { statsMinute: item(body.statsMinute), statsHour: item(body.statsHour), statsDay: item(body.statsDay) };
  }

  async getBrokerRuntimeInfo(brokerAddr: string): Promise<Map<string, string>> {
    const body = AdminClient.json(await this.call(brokerAddr, RequestCode.GET_BROKER_RUNTIME_INFO));
    return new Map(mapEntries(body.table ?? {}).map(([k, v]) => [String(k), String(v)]));
  }

  // -------------------------------------------------------------------------------------------------------
  // Messages

  /** The stored message an offset message id points at (VIEW_MESSAGE_BY_ID on the broker named in the id). */
  async viewMessage(offsetMsgId: string): Promise<MessageExt> {
    const { address, port, commitLogOffset } = decodeOffsetMessageId(offsetMsgId);
    const response = await this.call(`${address}:${port}`, RequestCode.VIEW_MESSAGE_BY_ID, { offset: commitLogOffset }, ViewMessageRequestHeader);
    const [msg] = decodeMessages(response.body ?? Buffer.alloc(0));
    if (msg === undefined) throw new MQClientError(`no message at ${offsetMsgId}`);
    return msg;
  }

  /** Messages of `topic` with `key` in KEYS, stored between the two times, from every broker of the topic. */
  queryMessageByKey(topic: string, key: string, maxNum = 32, begin = 0, end = Number.MAX_SAFE_INTEGER): Promise<MessageExt[]> {
    return this.queryMessage(topic, key, maxNum, begin, end, false);
  }

  /** The message(s) whose UNIQ_KEY (client msgId) is `uniqKey`. */
  queryMessageByUniqKey(topic: string, uniqKey: string): Promise<MessageExt[]> {
    return this.queryMessage(topic, uniqKey, 32, 0, Number.MAX_SAFE_INTEGER, true);
  }

  private async queryMessage(topic: string, key: string, maxNum: number, begin: number, end: number, uniq: boolean): Promise<MessageExt[]> {
    const found: MessageExt[] = [];
    for (const { addr } of await this.topicMasters(topic)) {
      const ext = encodeHeader({ topic, key, maxNum, beginTimestamp: begin, endTimestamp: end }, QueryMessageRequestHeader);
      ext[MixAll.UNIQUE_MSG_QUERY_FLAG] = String(uniq);
      const request = RemotingCommand.createRequest(RequestCode.QUERY_MESSAGE, ext);
      const response = await this.api.invoke(addr, request, this.timeoutMillis * 3);
      if (response.code === ResponseCode.QUERY_NOT_FOUND) continue;
      if (response.code !== ResponseCode.SUCCESS) throw MQBrokerError.of(addr, request, response);
      // The index matches by hash: keep only exact key matches.
      for (const m of decodeMessages(response.body ?? Buffer.alloc(0))) {
        if (m.topic !== topic) continue;
        if (uniq ? m.uniqKey === key : m.keys.includes(key)) found.push(m);
      }
    }
    return found;
  }
}

/** Java properties text (`key=value` lines) as a map. */
function parseProperties(body: Buffer | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of (body?.toString('utf8') ?? '').split(/\r?\n/)) {
    if (line.length === 0 || line.startsWith('#') || line.startsWith('!')) continue;
    const i = line.search(/[=:]/);
    if (i < 0) out.set(line.trim(), '');
    else out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}

function formatProperties(properties: Record<string, string>): string {
  return Object.entries(properties)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');
}
