import {
  createLogger,
  getReplyTopic,
  isInherited,
  isNotAllowedSendTopic,
  isSystemTopic,
  isValidPerm,
  isWriteable,
  MixAll,
  PermName,
  SystemTopic,
  validateTopic,
  type Logger,
} from '@rockit/common';
import { ResponseCode } from '@rockit/remoting';
import { join } from 'node:path';
import type { BrokerConfig } from '../config.js';
import { DataVersion } from '../data-version.js';
import { BrokerOperationError } from '../errors.js';
import { newTopicConfig, TOPIC_FILTER_TYPES, topicConfigFromJson, type TopicConfig } from '../topic-config.js';
import { VersionedTableManager } from './config-manager.js';

/** The BrokerConfig keys the topic manager reads. */
export type TopicConfigManagerSettings = Pick<
  BrokerConfig,
  | 'brokerClusterName'
  | 'brokerName'
  | 'autoCreateTopicEnable'
  | 'defaultTopicQueueNums'
  | 'clusterTopicEnable'
  | 'brokerTopicEnable'
  | 'traceTopicEnable'
  | 'msgTraceTopicName'
>;

export interface TopicConfigManagerOptions {
  config: TopicConfigManagerSettings;
  /** Directory holding topics.json (`<storePathRootDir>/config`). */
  configDir: string;
  logger?: Logger;
  /** Clock for DataVersion bumps (tests). */
  now?: () => number;
}

export type TopicConfigChange =
  | { kind: 'created'; topicConfig: TopicConfig }
  | { kind: 'updated'; topicConfig: TopicConfig; previous: TopicConfig }
  | { kind: 'deleted'; topicConfig: TopicConfig };

/** Largest queue count accepted from UPDATE_AND_CREATE_TOPIC (queue ids are ints; RocketMQ has no limit). */
export const MAX_TOPIC_QUEUE_NUMS = 65535;

/**
 * RocketMQ `TopicConfigManager` (4.9.8): the broker's topic table, its system topics, auto-creation from
 * the TBW102 template, and `config/topics.json`.
 */
export class TopicConfigManager extends VersionedTableManager<TopicConfig> {
  /** Topics this broker made system topics at start (cluster name, broker name, reply, trace). */
  private readonly brokerSystemTopics = new Set<string>();
  private readonly listeners = new Set<(change: TopicConfigChange) => void>();
  private readonly config: TopicConfigManagerSettings;

  constructor(options: TopicConfigManagerOptions) {
    super(join(options.configDir, 'topics.json'), options.logger ?? createLogger('TopicConfigManager'), {
      tableKey: 'topicConfigTable',
      readEntry: topicConfigFromJson,
      keyOf: (tc) => tc.topicName,
      now: options.now ?? Date.now,
    });
    this.config = options.config;
    this.initSystemTopics();
  }

  /** The topics RocketMQ 4.9.8's constructor puts in the table before topics.json is loaded over them. */
  private initSystemTopics(): void {
    const c = this.config;
    const system = (topicName: string, fields: Partial<TopicConfig>): void => {
      this.brokerSystemTopics.add(topicName);
      this.table.set(topicName, newTopicConfig(topicName, fields));
    };
    const RW = PermName.PERM_READ | PermName.PERM_WRITE;
    system(SystemTopic.RMQ_SYS_SELF_TEST_TOPIC, { readQueueNums: 1, writeQueueNums: 1 });
    if (c.autoCreateTopicEnable) {
      system(SystemTopic.AUTO_CREATE_TOPIC_KEY_TOPIC, {
        readQueueNums: c.defaultTopicQueueNums,
        writeQueueNums: c.defaultTopicQueueNums,
        perm: PermName.PERM_INHERIT | RW,
      });
    }
    system(SystemTopic.RMQ_SYS_BENCHMARK_TOPIC, { readQueueNums: MixAll.BENCHMARK_TOPIC_QUEUE_NUMS, writeQueueNums: MixAll.BENCHMARK_TOPIC_QUEUE_NUMS });
    system(c.brokerClusterName, { perm: PermName.PERM_INHERIT | (c.clusterTopicEnable ? RW : 0) });
    system(c.brokerName, { readQueueNums: 1, writeQueueNums: 1, perm: PermName.PERM_INHERIT | (c.brokerTopicEnable ? RW : 0) });
    system(SystemTopic.RMQ_SYS_OFFSET_MOVED_EVENT, { readQueueNums: 1, writeQueueNums: 1 });
    system(SystemTopic.RMQ_SYS_SCHEDULE_TOPIC, { readQueueNums: MixAll.SCHEDULE_TOPIC_QUEUE_NUMS, writeQueueNums: MixAll.SCHEDULE_TOPIC_QUEUE_NUMS });
    if (c.traceTopicEnable) system(c.msgTraceTopicName, { readQueueNums: 1, writeQueueNums: 1 });
    system(getReplyTopic(c.brokerClusterName), { readQueueNums: 1, writeQueueNums: 1 });
  }

  /** Listens to every table change (the broker re-registers with name servers on `created`/`updated`). */
  onChange(listener: (change: TopicConfigChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(change: TopicConfigChange): void {
    this.changed();
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (e) {
        this.logger.error({ err: e }, 'topic config change listener failed');
      }
    }
  }

  selectTopicConfig(topic: string): TopicConfig | undefined {
    return this.table.get(topic);
  }

  /** A copy of the table in file order. */
  get topicConfigTable(): Map<string, TopicConfig> {
    return this.tableInFileOrder();
  }

  /** RocketMQ's system topics plus the ones this broker declared at start; also any `rmq_sys_` topic. */
  isSystemTopic(topic: string): boolean {
    return isSystemTopic(topic) || this.brokerSystemTopics.has(topic);
  }

  /** System topics present in this broker (GET_SYSTEM_TOPIC_LIST_FROM_BROKER). */
  systemTopicList(): string[] {
    return [...this.table.keys()].filter((t) => this.isSystemTopic(t));
  }

  /** SELF_TEST_TOPIC, SCHEDULE_TOPIC_XXXX, the transaction topics and OFFSET_MOVED_EVENT refuse producers. */
  isTopicCanSendMessage(topic: string): boolean {
    return !isNotAllowedSendTopic(topic);
  }

  /**
   * SEND_MESSAGE for an unknown topic: creates it from the `defaultTopic` template (TBW102) when that
   * template exists and has PERM_INHERIT, with min(clientDefaultTopicQueueNums, template write queues)
   * queues and the template's perm without INHERIT. Undefined when the template cannot be used (the
   * processor then answers TOPIC_NOT_EXIST). With autoCreateTopicEnable=false a TBW102 loaded from file
   * loses INHERIT here, as in RocketMQ.
   */
  createTopicInSendMessageMethod(
    topic: string,
    defaultTopic: string,
    remoteAddress: string,
    clientDefaultTopicQueueNums: number,
    topicSysFlag: number,
  ): TopicConfig | undefined {
    const existing = this.table.get(topic);
    if (existing) return existing;
    const template = this.table.get(defaultTopic);
    if (!template) {
      this.logger.warn({ topic, defaultTopic, producer: remoteAddress }, 'create new topic failed: the default topic does not exist');
      return undefined;
    }
    if (defaultTopic === SystemTopic.AUTO_CREATE_TOPIC_KEY_TOPIC && !this.config.autoCreateTopicEnable) {
      template.perm = PermName.PERM_READ | PermName.PERM_WRITE;
    }
    if (!isInherited(template.perm)) {
      this.logger.warn({ topic, defaultTopic, perm: template.perm, producer: remoteAddress }, 'create new topic failed: the default topic has no inherit perm');
      return undefined;
    }
    const queueNums = Math.max(0, Math.min(clientDefaultTopicQueueNums, template.writeQueueNums));
    const topicConfig = newTopicConfig(topic, {
      readQueueNums: queueNums,
      writeQueueNums: queueNums,
      perm: template.perm & ~PermName.PERM_INHERIT,
      topicSysFlag,
      topicFilterType: template.topicFilterType,
    });
    this.table.set(topic, topicConfig);
    this.logger.info({ topic, defaultTopic, producer: remoteAddress, topicConfig }, 'created new topic from default topic');
    this.notify({ kind: 'created', topicConfig });
    return topicConfig;
  }

  /**
   * Retry / DLQ / transaction topics (CONSUMER_SEND_MSG_BACK, heartbeat, half messages): returns the
   * existing config or creates one with the given queue count, perm and sysFlag.
   */
  createTopicInSendMessageBackMethod(topic: string, clientDefaultTopicQueueNums: number, perm: number, topicSysFlag: number): TopicConfig {
    const existing = this.table.get(topic);
    if (existing) return existing;
    const topicConfig = newTopicConfig(topic, {
      readQueueNums: clientDefaultTopicQueueNums,
      writeQueueNums: clientDefaultTopicQueueNums,
      perm,
      topicSysFlag,
    });
    this.table.set(topic, topicConfig);
    this.logger.info({ topicConfig }, 'created new topic');
    this.notify({ kind: 'created', topicConfig });
    return topicConfig;
  }

  /** TRANS_CHECK_MAX_TIME_TOPIC, where half messages that exceeded transactionCheckMax go. */
  createTopicOfTranCheckMaxTime(clientDefaultTopicQueueNums: number, perm: number): TopicConfig {
    return this.createTopicInSendMessageBackMethod(SystemTopic.RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC, clientDefaultTopicQueueNums, perm, 0);
  }

  /**
   * Why UPDATE_AND_CREATE_TOPIC would refuse `topicConfig`, or undefined. RocketMQ checks the name and
   * the system-topic set; rockit also checks queue numbers, perm and filter type.
   */
  validateTopicConfig(topicConfig: TopicConfig): string | undefined {
    const { topicName } = topicConfig;
    const reason = validateTopic(topicName);
    if (reason) return reason;
    if (this.isSystemTopic(topicName)) return `The topic[${topicName}] is conflict with system topic.`;
    for (const key of ['readQueueNums', 'writeQueueNums'] as const) {
      const n = topicConfig[key];
      if (!Number.isInteger(n) || n < 0 || n > MAX_TOPIC_QUEUE_NUMS) {
        return `The topic[${topicName}] ${key} ${n} is invalid: must be an integer from 0 to ${MAX_TOPIC_QUEUE_NUMS}.`;
      }
    }
    if (topicConfig.readQueueNums === 0 && topicConfig.writeQueueNums === 0) {
      return `The topic[${topicName}] must have at least one read or write queue.`;
    }
    if (!isValidPerm(topicConfig.perm)) return `The topic[${topicName}] perm ${topicConfig.perm} is invalid: must combine R=4, W=2, X=1 (and priority 8).`;
    if (!TOPIC_FILTER_TYPES.includes(topicConfig.topicFilterType)) {
      return `The topic[${topicName}] topicFilterType '${String(topicConfig.topicFilterType)}' is invalid: must be SINGLE_TAG or MULTI_TAG.`;
    }
    if (!Number.isInteger(topicConfig.topicSysFlag)) return `The topic[${topicName}] topicSysFlag ${topicConfig.topicSysFlag} is invalid.`;
    return undefined;
  }

  /**
   * UPDATE_AND_CREATE_TOPIC: validates and puts the config. Throws BrokerOperationError(SYSTEM_ERROR) with
   * RocketMQ's remark for invalid names and system topics.
   */
  updateTopicConfig(topicConfig: TopicConfig): TopicConfig {
    const reason = this.validateTopicConfig(topicConfig);
    if (reason) throw new BrokerOperationError(ResponseCode.SYSTEM_ERROR, reason);
    return this.putTopicConfig(topicConfig);
  }

  /** Puts a config without the admin checks (internal callers: order flags, broker-made topics). */
  putTopicConfig(topicConfig: TopicConfig): TopicConfig {
    const copy = { ...topicConfig };
    const previous = this.table.get(copy.topicName);
    this.table.set(copy.topicName, copy);
    if (previous) {
      this.logger.info({ previous, topicConfig: copy }, 'update topic config');
      this.notify({ kind: 'updated', topicConfig: copy, previous });
    } else {
      this.logger.info({ topicConfig: copy }, 'create new topic');
      this.notify({ kind: 'created', topicConfig: copy });
    }
    return copy;
  }

  /** Marks exactly the given topics as ordered (ORDER_TOPIC_CONFIG from the name server). */
  updateOrderTopicConfig(orderTopics: ReadonlySet<string>): void {
    let dirty = false;
    for (const tc of this.table.values()) {
      const order = orderTopics.has(tc.topicName);
      if (tc.order !== order) {
        tc.order = order;
        dirty = true;
      }
    }
    if (dirty) this.changed();
  }

  /**
   * DELETE_TOPIC_IN_BROKER: removes a topic. System topics are refused (SYSTEM_ERROR); an unknown topic is
   * a no-op returning undefined, as in RocketMQ.
   */
  deleteTopicConfig(topic: string): TopicConfig | undefined {
    const reason = validateTopic(topic);
    if (reason) throw new BrokerOperationError(ResponseCode.SYSTEM_ERROR, reason);
    if (this.isSystemTopic(topic)) {
      throw new BrokerOperationError(ResponseCode.SYSTEM_ERROR, `The topic[${topic}] is conflict with system topic.`);
    }
    const removed = this.table.get(topic);
    if (!removed) {
      this.logger.warn({ topic }, 'delete topic config failed, topic not exist');
      return undefined;
    }
    this.table.delete(topic);
    this.logger.info({ topicConfig: removed }, 'delete topic config');
    this.notify({ kind: 'deleted', topicConfig: removed });
    return removed;
  }

  /** Topic writable by producers right now (perm W on the topic; the broker's own perm is checked apart). */
  isWriteable(topic: string): boolean {
    const tc = this.table.get(topic);
    return tc !== undefined && isWriteable(tc.perm);
  }

  /** TopicConfigSerializeWrapper as a bean (REGISTER_BROKER body, GET_ALL_TOPIC_CONFIG). */
  buildTopicConfigSerializeWrapper(): { dataVersion: DataVersion; topicConfigTable: Map<string, TopicConfig> } {
    return { dataVersion: this.dataVersion.clone(), topicConfigTable: this.topicConfigTable };
  }
}
