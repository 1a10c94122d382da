/**
 * The name server's registry (RocketMQ `RouteInfoManager`, protocol §12): which brokers exist,
 * which cluster they belong to, which topics their masters serve, and when each was last heard from.
 * Pure in-memory logic: the transport hands in an opaque channel per registration and a clock can
 * be injected, so expiry is testable without waiting.
 */
import { MixAll, PermName, hashMapOrder, type Logger } from '@rockit/common';
import { dataVersionEquals, type DataVersion } from './data-version.js';
import type { TopicConfigSerializeWrapper } from './register-broker-body.js';
import {
  cloneBrokerData,
  queueDataEquals,
  type BrokerData,
  type ClusterInfo,
  type QueueData,
  type TopicList,
  type TopicRouteData,
} from './route-data.js';

const MASTER_ID = MixAll.MASTER_ID;
const { PERM_READ, PERM_WRITE } = PermName;
/** TopicSysFlag bits (RocketMQ `TopicSysFlag`). */
const FLAG_UNIT = 1;
const FLAG_UNIT_SUB = 2;

/** A broker's connection as the transport knows it; compared by identity only. */
export type BrokerChannel = object;

export interface BrokerLiveInfo {
  lastUpdateTimestamp: number;
  /** How long this broker may stay silent before it is dropped. */
  heartbeatTimeoutMillis: number;
  dataVersion: DataVersion;
  channel: BrokerChannel | undefined;
  haServerAddr: string;
}

export interface RegisterBrokerRequest {
  clusterName: string;
  brokerAddr: string;
  brokerName: string;
  brokerId: number;
  haServerAddr: string;
  topicConfigWrapper?: TopicConfigSerializeWrapper;
  filterServerList?: string[];
  channel?: BrokerChannel;
  /** 5.x brokers send their own expiry in the header; else the manager's default applies. */
  heartbeatTimeoutMillis?: number;
}

/** For a slave: where its master is, so it can replicate from it. */
export interface RegisterBrokerResult {
  haServerAddr?: string;
  masterAddr?: string;
}

export interface RouteInfoManagerOptions {
  /** Milliseconds since the epoch; tests inject a fake one. */
  clock?: () => number;
  /** Silence after which a broker is dropped (RocketMQ BROKER_CHANNEL_EXPIRED_TIME, 120 s). */
  brokerChannelExpiredTime?: number;
  /** Called for a broker dropped by expiry, so the transport can close its connection. */
  closeChannel?: (channel: BrokerChannel) => void;
  logger?: Logger;
}

export const DEFAULT_BROKER_CHANNEL_EXPIRED_TIME = 120_000;

/** Initial capacities of RocketMQ's tables; they decide the order Java iterates (and writes) them in. */
const TOPIC_QUEUE_TABLE_CAPACITY = 1024;
const BROKER_ADDR_TABLE_CAPACITY = 128;
const CLUSTER_ADDR_TABLE_CAPACITY = 32;

function pick<V>(map: Map<string, V>, keys: string[]): Map<string, V> {
  return new Map(keys.map((k) => [k, map.get(k) as V]));
}

export class RouteInfoManager {
  /** topic -> brokerName -> QueueData (the 4.9.x shape). */
  readonly topicQueueTable = new Map<string, Map<string, QueueData>>();
  /** brokerName -> BrokerData. */
  readonly brokerAddrTable = new Map<string, BrokerData>();
  /** clusterName -> brokerNames. */
  readonly clusterAddrTable = new Map<string, Set<string>>();
  /** brokerAddr -> liveness. */
  readonly brokerLiveTable = new Map<string, BrokerLiveInfo>();
  /** brokerAddr -> filter server addresses. */
  readonly filterServerTable = new Map<string, string[]>();

  private readonly clock: () => number;
  private readonly expiredTime: number;
  private readonly closeChannel: ((channel: BrokerChannel) => void) | undefined;
  private readonly log: Logger | undefined;

  constructor(options: RouteInfoManagerOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.expiredTime = options.brokerChannelExpiredTime ?? DEFAULT_BROKER_CHANNEL_EXPIRED_TIME;
    this.closeChannel = options.closeChannel;
    this.log = options.logger;
  }

  registerBroker(req: RegisterBrokerRequest): RegisterBrokerResult {
    const { clusterName, brokerAddr, brokerName, brokerId } = req;
    let brokerNames = this.clusterAddrTable.get(clusterName);
    if (!brokerNames) this.clusterAddrTable.set(clusterName, (brokerNames = new Set()));
    brokerNames.add(brokerName);

    let registerFirst = false;
    let brokerData = this.brokerAddrTable.get(brokerName);
    if (!brokerData) {
      registerFirst = true;
      brokerData = { cluster: clusterName, brokerName, brokerAddrs: new Map() };
      this.brokerAddrTable.set(brokerName, brokerData);
    }
    // One address has one id: a slave promoted to master re-registers its address under id 0.
    for (const [id, addr] of brokerData.brokerAddrs) {
      if (addr === brokerAddr && id !== brokerId) brokerData.brokerAddrs.delete(id);
    }
    const oldAddr = brokerData.brokerAddrs.get(brokerId);
    brokerData.brokerAddrs.set(brokerId, brokerAddr);
    registerFirst ||= oldAddr === undefined;

    const wrapper = req.topicConfigWrapper;
    if (wrapper && brokerId === MASTER_ID) {
      // Masters only, and only when their topic table moved on: re-sending an unchanged table is free.
      if (registerFirst || this.isBrokerTopicConfigChanged(brokerAddr, wrapper.dataVersion)) {
        for (const tc of wrapper.topicConfigTable.values()) {
          this.createAndUpdateQueueData(brokerName, {
            brokerName,
            readQueueNums: tc.readQueueNums,
            writeQueueNums: tc.writeQueueNums,
            perm: tc.perm,
            topicSysFlag: tc.topicSysFlag,
          }, tc.topicName);
        }
      }
    }

    const prev = this.brokerLiveTable.get(brokerAddr);
    this.brokerLiveTable.set(brokerAddr, {
      lastUpdateTimestamp: this.clock(),
      heartbeatTimeoutMillis: req.heartbeatTimeoutMillis ?? this.expiredTime,
      dataVersion: { ...(wrapper?.dataVersion ?? { timestamp: 0, counter: 0 }) },
      channel: req.channel,
      haServerAddr: req.haServerAddr,
    });
    if (!prev) this.log?.info({ brokerAddr, haServerAddr: req.haServerAddr, brokerName, brokerId }, 'new broker registered');

    if (req.filterServerList) {
      if (req.filterServerList.length === 0) this.filterServerTable.delete(brokerAddr);
      else this.filterServerTable.set(brokerAddr, [...req.filterServerList]);
    }

    const result: RegisterBrokerResult = {};
    if (brokerId !== MASTER_ID) {
      const masterAddr = brokerData.brokerAddrs.get(MASTER_ID);
      const masterLive = masterAddr === undefined ? undefined : this.brokerLiveTable.get(masterAddr);
      if (masterAddr !== undefined && masterLive) {
        result.haServerAddr = masterLive.haServerAddr;
        result.masterAddr = masterAddr;
      }
    }
    return result;
  }

  private createAndUpdateQueueData(brokerName: string, queueData: QueueData, topic: string): void {
    let byBroker = this.topicQueueTable.get(topic);
    if (!byBroker) {
      this.topicQueueTable.set(topic, (byBroker = new Map()));
      this.log?.info({ topic, queueData }, 'new topic registered');
    }
    const existing = byBroker.get(brokerName);
    if (!existing || !queueDataEquals(existing, queueData)) {
      if (existing) this.log?.info({ topic, old: existing, new: queueData }, 'topic changed');
      byBroker.set(brokerName, queueData);
    }
  }

  isBrokerTopicConfigChanged(brokerAddr: string, dataVersion: DataVersion): boolean {
    const prev = this.queryBrokerTopicConfig(brokerAddr);
    return !prev || !dataVersionEquals(prev, dataVersion);
  }

  queryBrokerTopicConfig(brokerAddr: string): DataVersion | undefined {
    return this.brokerLiveTable.get(brokerAddr)?.dataVersion;
  }

  /** QUERY_DATA_VERSION with an unchanged version counts as a heartbeat. */
  updateBrokerInfoUpdateTimestamp(brokerAddr: string, timestamp = this.clock()): void {
    const live = this.brokerLiveTable.get(brokerAddr);
    if (live) live.lastUpdateTimestamp = timestamp;
  }

  unregisterBroker(clusterName: string, brokerAddr: string, brokerName: string, brokerId: number): void {
    const live = this.brokerLiveTable.delete(brokerAddr);
    this.filterServerTable.delete(brokerAddr);
    this.log?.info({ brokerAddr, brokerName, brokerId, wasLive: live }, 'unregisterBroker');
    const brokerData = this.brokerAddrTable.get(brokerName);
    if (!brokerData) return;
    brokerData.brokerAddrs.delete(brokerId);
    if (brokerData.brokerAddrs.size === 0) this.removeBrokerName(brokerName, clusterName);
  }

  /** Drops a broker name whose last address left: from its cluster and from every topic. */
  private removeBrokerName(brokerName: string, clusterName?: string): void {
    this.brokerAddrTable.delete(brokerName);
    for (const [cluster, names] of this.clusterAddrTable) {
      if (clusterName !== undefined && cluster !== clusterName) continue;
      if (names.delete(brokerName) && names.size === 0) {
        this.clusterAddrTable.delete(cluster);
        this.log?.info({ cluster }, 'cluster has no broker left, removed');
      }
    }
    for (const [topic, byBroker] of this.topicQueueTable) {
      if (byBroker.delete(brokerName)) this.log?.info({ topic, brokerName }, 'removed broker from topic');
      if (byBroker.size === 0) {
        this.topicQueueTable.delete(topic);
        this.log?.info({ topic }, 'topic has no broker left, removed');
      }
    }
  }

  /** Forgets one broker address (expiry or closed connection), and its name if it was the last one. */
  private removeBrokerAddr(brokerAddr: string): void {
    this.brokerLiveTable.delete(brokerAddr);
    this.filterServerTable.delete(brokerAddr);
    for (const brokerData of this.brokerAddrTable.values()) {
      for (const [id, addr] of brokerData.brokerAddrs) {
        if (addr !== brokerAddr) continue;
        brokerData.brokerAddrs.delete(id);
        this.log?.info({ brokerAddr, brokerId: id, brokerName: brokerData.brokerName }, 'broker address removed');
        if (brokerData.brokerAddrs.size === 0) this.removeBrokerName(brokerData.brokerName);
        return;
      }
    }
  }

  /**
   * A connection closed: every broker that registered over it leaves at once. Without a matching
   * channel, `remoteAddr` is taken as the broker address (what Java does).
   */
  onChannelDestroy(remoteAddr: string | undefined, channel: BrokerChannel | undefined): string[] {
    const found: string[] = [];
    if (channel) {
      for (const [addr, live] of this.brokerLiveTable) if (live.channel === channel) found.push(addr);
    }
    if (found.length === 0 && remoteAddr && this.brokerLiveTable.has(remoteAddr)) found.push(remoteAddr);
    for (const addr of found) {
      this.log?.info({ brokerAddr: addr }, "the broker's channel destroyed, cleaning its routes");
      this.removeBrokerAddr(addr);
    }
    return found;
  }

  /** Drops brokers silent for longer than their timeout; returns their addresses. */
  scanNotActiveBroker(): string[] {
    const now = this.clock();
    const expired: string[] = [];
    for (const [addr, live] of this.brokerLiveTable) {
      if (live.lastUpdateTimestamp + live.heartbeatTimeoutMillis < now) expired.push(addr);
    }
    for (const addr of expired) {
      const live = this.brokerLiveTable.get(addr) as BrokerLiveInfo;
      this.log?.warn({ brokerAddr: addr, timeoutMillis: live.heartbeatTimeoutMillis }, 'the broker channel expired');
      if (live.channel) this.closeChannel?.(live.channel);
      this.removeBrokerAddr(addr);
    }
    return expired;
  }

  /** Route for one topic, or undefined (-> TOPIC_NOT_EXIST) unless queues and a broker exist. */
  pickupTopicRouteData(topic: string): TopicRouteData | undefined {
    const byBroker = this.topicQueueTable.get(topic);
    if (!byBroker || byBroker.size === 0) return undefined;
    const brokerNames = hashMapOrder(byBroker.keys());
    const queueDatas = brokerNames.map((name) => ({ ...(byBroker.get(name) as QueueData) }));
    const brokerDatas: BrokerData[] = [];
    const filterServerTable = new Map<string, string[]>();
    for (const brokerName of brokerNames) {
      const bd = this.brokerAddrTable.get(brokerName);
      if (!bd) continue;
      const clone = cloneBrokerData(bd);
      brokerDatas.push(clone);
      for (const addr of clone.brokerAddrs.values()) {
        const servers = this.filterServerTable.get(addr);
        if (servers) filterServerTable.set(addr, [...servers]);
      }
    }
    if (brokerDatas.length === 0) return undefined;
    return { queueDatas, brokerDatas, filterServerTable };
  }

  getAllClusterInfo(): ClusterInfo {
    const brokerNames = hashMapOrder(this.brokerAddrTable.keys(), BROKER_ADDR_TABLE_CAPACITY);
    const clusters = hashMapOrder(this.clusterAddrTable.keys(), CLUSTER_ADDR_TABLE_CAPACITY);
    const clusterAddrTable = new Map(clusters.map((c) => [c, hashMapOrder(this.clusterAddrTable.get(c) as Set<string>)]));
    return { brokerAddrTable: pick(this.brokerAddrTable, brokerNames), clusterAddrTable };
  }

  /** Topic names: Java copies the table's keys into a fresh HashSet, so two orderings apply in turn. */
  getAllTopicList(): TopicList {
    return { topicList: hashMapOrder(hashMapOrder(this.topicQueueTable.keys(), TOPIC_QUEUE_TABLE_CAPACITY)) };
  }

  /** With a cluster name, only that cluster's brokers lose the topic (5.x DELETE_TOPIC_IN_NAMESRV). */
  deleteTopic(topic: string, clusterName?: string): void {
    if (!clusterName) {
      this.topicQueueTable.delete(topic);
      return;
    }
    const byBroker = this.topicQueueTable.get(topic);
    const brokerNames = this.clusterAddrTable.get(clusterName);
    if (!byBroker || !brokerNames) return;
    for (const name of brokerNames) byBroker.delete(name);
    if (byBroker.size === 0) this.topicQueueTable.delete(topic);
  }

  getTopicsByCluster(cluster: string): TopicList {
    const brokerNames = this.clusterAddrTable.get(cluster);
    const topics = new Set<string>();
    if (brokerNames) {
      for (const [topic, byBroker] of this.topicQueueTable) {
        for (const name of brokerNames) if (byBroker.has(name)) topics.add(topic);
      }
    }
    return { topicList: hashMapOrder(topics) };
  }

  /** Cluster and broker names (each is also a topic on its brokers) plus one broker to ask for more. */
  getSystemTopicList(): TopicList {
    const topics = new Set<string>();
    for (const [cluster, names] of this.clusterAddrTable) {
      topics.add(cluster);
      for (const name of names) topics.add(name);
    }
    const list: TopicList = { topicList: hashMapOrder(topics) };
    for (const name of hashMapOrder(this.brokerAddrTable.keys(), BROKER_ADDR_TABLE_CAPACITY)) {
      const addrs = (this.brokerAddrTable.get(name) as BrokerData).brokerAddrs;
      if (addrs.size === 0) continue;
      list.brokerAddr = addrs.get(Math.min(...addrs.keys()));
      break;
    }
    return list;
  }

  /** Topics whose first QueueData's sysFlag matches (GET_UNIT_TOPIC_LIST and friends). */
  getTopicsBySysFlag(test: (topicSysFlag: number) => boolean): TopicList {
    const topics: string[] = [];
    for (const [topic, byBroker] of this.topicQueueTable) {
      const first = byBroker.values().next();
      if (!first.done && test(first.value.topicSysFlag)) topics.push(topic);
    }
    return { topicList: hashMapOrder(topics) };
  }

  getUnitTopics(): TopicList {
    return this.getTopicsBySysFlag((f) => (f & FLAG_UNIT) !== 0);
  }

  getHasUnitSubTopicList(): TopicList {
    return this.getTopicsBySysFlag((f) => (f & FLAG_UNIT_SUB) !== 0);
  }

  getHasUnitSubUnUnitTopicList(): TopicList {
    return this.getTopicsBySysFlag((f) => (f & FLAG_UNIT) === 0 && (f & FLAG_UNIT_SUB) !== 0);
  }

  /** Clears PERM_WRITE on every queue of the broker (drain before maintenance); returns queues touched. */
  wipeWritePermOfBroker(brokerName: string): number {
    return this.operateWritePerm(brokerName, (perm) => perm & ~PERM_WRITE);
  }

  /** Gives every queue of the broker READ|WRITE again; returns queues touched. */
  addWritePermOfBroker(brokerName: string): number {
    return this.operateWritePerm(brokerName, () => PERM_READ | PERM_WRITE);
  }

  private operateWritePerm(brokerName: string, change: (perm: number) => number): number {
    let count = 0;
    for (const byBroker of this.topicQueueTable.values()) {
      const qd = byBroker.get(brokerName);
      if (!qd) continue;
      qd.perm = change(qd.perm);
      count++;
    }
    return count;
  }
}
