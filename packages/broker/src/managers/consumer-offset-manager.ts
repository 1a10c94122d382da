import { createLogger, inJavaOrder, mapEntries, parseFastJson, toFastJson, type Logger } from '@rockit/common';
import { join } from 'node:path';
import { ConfigManager } from './config-manager.js';

/** Separator of the `topic@group` keys of consumerOffset.json. */
export const TOPIC_GROUP_SEPARATOR = '@';

/** RocketMQ's outer table is `ConcurrentHashMap(512)`, each queue map `ConcurrentHashMap(32)`. */
const TABLE_INITIAL_CAPACITY = 512;
const QUEUE_MAP_INITIAL_CAPACITY = 32;

export interface ConsumerOffsetManagerOptions {
  /** Directory holding consumerOffset.json (`<storePathRootDir>/config`). */
  configDir: string;
  /** `flushConsumerOffsetInterval` (ms) for `start()`; RocketMQ's default is 5000. */
  flushInterval?: number;
  logger?: Logger;
}

/** Parsed `topic@group` -> queueId -> offset. */
type OffsetTable = Map<string, Map<number, number>>;

function toOffset(v: unknown, where: string): number {
  const n = typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new TypeError(`${where} is not an integer offset`);
  return n;
}

/** Reads fastjson's `{0:12,1:34}` (unquoted int keys; quoted ones are accepted too) into queueId -> value. */
export function parseIntKeyTable(value: unknown, where: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const [k, v] of mapEntries(value)) {
    const key = typeof k === 'string' && /^-?\d+$/.test(k) ? Number(k) : typeof k === 'bigint' ? Number(k) : k;
    if (typeof key !== 'number' || !Number.isInteger(key)) throw new TypeError(`${where} has a non-integer key ${String(k)}`);
    out.set(key, toOffset(v, `${where}.${key}`));
  }
  return out;
}

function splitKey(topicAtGroup: string): [topic: string, group: string] {
  const i = topicAtGroup.indexOf(TOPIC_GROUP_SEPARATOR);
  return i < 0 ? [topicAtGroup, ''] : [topicAtGroup.slice(0, i), topicAtGroup.slice(i + 1)];
}

/**
 * RocketMQ `ConsumerOffsetManager`: committed consume offsets per `topic@group` and queue, persisted in
 * `config/consumerOffset.json` every `flushConsumerOffsetInterval` after `start()` and at `shutdown()`.
 */
export class ConsumerOffsetManager extends ConfigManager<OffsetTable> {
  private readonly table: OffsetTable = new Map();
  private readonly flushInterval: number;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;

  constructor(options: ConsumerOffsetManagerOptions) {
    super(join(options.configDir, 'consumerOffset.json'), options.logger ?? createLogger('ConsumerOffsetManager'));
    this.flushInterval = options.flushInterval ?? 5000;
  }

  /** UPDATE_CONSUMER_OFFSET / pull with commit flag. */
  commitOffset(clientHost: string, group: string, topic: string, queueId: number, offset: number): void {
    const key = topic + TOPIC_GROUP_SEPARATOR + group;
    let queues = this.table.get(key);
    if (!queues) {
      queues = new Map();
      this.table.set(key, queues);
    }
    const previous = queues.get(queueId);
    if (previous !== undefined && offset < previous) {
      this.logger.debug({ clientHost, key, queueId, offset, previous }, 'consumer offset moved backwards');
    }
    queues.set(queueId, offset);
    this.dirty = true;
  }

  /** Committed offset, or -1 when the group never committed on this queue. */
  queryOffset(group: string, topic: string, queueId: number): number {
    return this.table.get(topic + TOPIC_GROUP_SEPARATOR + group)?.get(queueId) ?? -1;
  }

  /** All committed offsets of a group on a topic (queueId -> offset); empty when none. */
  queryOffsets(group: string, topic: string): Map<number, number> {
    return new Map(this.table.get(topic + TOPIC_GROUP_SEPARATOR + group) ?? []);
  }

  /** Topics a group has offsets for (GET_CONSUME_STATS without a topic, QUERY_TOPIC_CONSUME_BY_WHO counterpart). */
  whichTopicByConsumer(group: string): Set<string> {
    const out = new Set<string>();
    for (const key of this.table.keys()) {
      const [topic, g] = splitKey(key);
      if (g === group) out.add(topic);
    }
    return out;
  }

  /** Groups that have offsets on a topic. */
  whichGroupByTopic(topic: string): Set<string> {
    const out = new Set<string>();
    for (const key of this.table.keys()) {
      const [t, group] = splitKey(key);
      if (t === topic) out.add(group);
    }
    return out;
  }

  /**
   * Per queue, the smallest offset any group (except `filterGroups`, comma-separated) committed on `topic`
   * (QUERY_CORRECTION_OFFSET). With `minOffsetInQueue`, offsets already below the queue's min are ignored.
   */
  queryMinOffsetInAllGroup(topic: string, filterGroups = '', minOffsetInQueue?: (topic: string, queueId: number) => number): Map<number, number> {
    const excluded = new Set(filterGroups.split(',').map((s) => s.trim()).filter(Boolean));
    const out = new Map<number, number>();
    for (const [key, queues] of this.table) {
      const [t, group] = splitKey(key);
      if (t !== topic || excluded.has(group)) continue;
      for (const [queueId, offset] of queues) {
        if (minOffsetInQueue && offset < minOffsetInQueue(topic, queueId)) continue;
        const current = out.get(queueId);
        out.set(queueId, current === undefined ? offset : Math.min(current, offset));
      }
    }
    return out;
  }

  /** CLONE_GROUP_OFFSET: copies srcGroup's offsets on `topic` to destGroup (replacing destGroup's). */
  cloneOffset(srcGroup: string, destGroup: string, topic: string): void {
    const source = this.table.get(topic + TOPIC_GROUP_SEPARATOR + srcGroup);
    if (!source) return;
    this.table.set(topic + TOPIC_GROUP_SEPARATOR + destGroup, new Map(source));
    this.dirty = true;
  }

  /** Removes every offset of a group (DELETE_SUBSCRIPTIONGROUP with removeOffset). Returns the topics cleared. */
  removeOffset(group: string): string[] {
    return this.removeWhere((_, g) => g === group).map(([topic]) => topic);
  }

  /** Removes every group's offsets on a topic (DELETE_TOPIC_IN_BROKER). Returns the groups cleared. */
  cleanOffsetByTopic(topic: string): string[] {
    return this.removeWhere((t) => t === topic).map(([, group]) => group);
  }

  /**
   * Drops the offsets of groups that no longer subscribe a topic (no online consumer has it) when every
   * committed offset is at or below the queue's min offset, i.e. nothing is left that the offset could
   * still protect. Returns the removed `topic@group` keys.
   */
  scanUnsubscribedTopic(isSubscribed: (group: string, topic: string) => boolean, minOffsetInQueue: (topic: string, queueId: number) => number): string[] {
    const behind = (topic: string, queues: Map<number, number>): boolean =>
      queues.size > 0 && [...queues].every(([queueId, offset]) => offset <= minOffsetInQueue(topic, queueId));
    return this.removeWhere((topic, group) => !isSubscribed(group, topic) && behind(topic, this.table.get(topic + TOPIC_GROUP_SEPARATOR + group)!)).map(
      ([topic, group]) => {
        this.logger.warn({ topic, group }, 'remove topic offset of an unsubscribed group');
        return topic + TOPIC_GROUP_SEPARATOR + group;
      },
    );
  }

  private removeWhere(match: (topic: string, group: string) => boolean): Array<[topic: string, group: string]> {
    const removed: Array<[string, string]> = [];
    for (const key of [...this.table.keys()]) {
      const [topic, group] = splitKey(key);
      if (!match(topic, group)) continue;
      this.table.delete(key);
      removed.push([topic, group]);
    }
    if (removed.length > 0) this.dirty = true;
    return removed;
  }

  /** A copy of the table (`topic@group` -> queueId -> offset) in file order. */
  get offsetTable(): Map<string, Map<number, number>> {
    const out = new Map<string, Map<number, number>>();
    for (const [key, queues] of inJavaOrder(this.table, TABLE_INITIAL_CAPACITY)) out.set(key, inJavaOrder(queues, QUEUE_MAP_INITIAL_CAPACITY));
    return out;
  }

  /** Starts writing the file every `flushInterval` ms while offsets changed. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.dirty) return;
      this.dirty = false;
      this.requestPersist();
    }, this.flushInterval);
    this.timer.unref();
  }

  /** Stops the periodic writes and writes the current offsets. */
  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.dirty = false;
    await this.persist();
  }

  encode(pretty = false): string {
    return toFastJson({ offsetTable: this.offsetTable }, { pretty });
  }

  protected parse(text: string): OffsetTable {
    const root = parseFastJson(text, { mapObjects: true });
    if (!(root instanceof Map)) throw new TypeError('consumerOffset.json is not an object');
    const table = root.get('offsetTable');
    const out: OffsetTable = new Map();
    if (table === undefined || table === null) return out;
    for (const [key, queues] of mapEntries(table)) out.set(String(key), parseIntKeyTable(queues, `offsetTable.${String(key)}`));
    return out;
  }

  protected apply(parsed: OffsetTable): void {
    for (const [key, queues] of parsed) this.table.set(key, queues);
  }
}
