/**
 * BrokerStatsManager (RocketMQ `BrokerStatsManager` / `StatsItemSet` / `StatsItem`): per-topic and per-group
 * counters, sampled every 10 s into three windows: the last minute (7 snapshots 10 s apart), the last hour
 * (7 snapshots 10 min apart) and the last day (25 snapshots 1 h apart). VIEW_BROKER_STATS_DATA reports a window
 * as {sum, tps, avgpt}: the counter's growth between its oldest and newest snapshot, per second, and per call.
 *
 * Counting is a map lookup and two additions: no allocation per message or per request once an item exists.
 */

/** Names VIEW_BROKER_STATS_DATA accepts (RocketMQ 4.9's constants of the same names). */
export const BrokerStatsName = {
  /** key `topic`: messages put. */
  TOPIC_PUT_NUMS: 'TOPIC_PUT_NUMS',
  /** key `topic`: body bytes put. */
  TOPIC_PUT_SIZE: 'TOPIC_PUT_SIZE',
  /** key `topic@group`: messages pulled. */
  GROUP_GET_NUMS: 'GROUP_GET_NUMS',
  /** key `topic@group`: bytes pulled. */
  GROUP_GET_SIZE: 'GROUP_GET_SIZE',
  /** key `topic@group`: messages a consumer sent back (CONSUMER_SEND_MSG_BACK). */
  SNDBCK_PUT_NUMS: 'SNDBCK_PUT_NUMS',
  /** key: the broker's cluster name. */
  BROKER_PUT_NUMS: 'BROKER_PUT_NUMS',
  /** key: the broker's cluster name. */
  BROKER_GET_NUMS: 'BROKER_GET_NUMS',
} as const;
export type BrokerStatsName = (typeof BrokerStatsName)[keyof typeof BrokerStatsName];

/** One window of one item, as VIEW_BROKER_STATS_DATA's BrokerStatsItem. */
export interface StatsSnapshot {
  sum: number;
  tps: number;
  avgpt: number;
}

/** BrokerStatsData: the minute, hour and day windows of one item. */
export interface BrokerStatsData {
  statsMinute: StatsSnapshot;
  statsHour: StatsSnapshot;
  statsDay: StatsSnapshot;
}

export const STATS_SAMPLE_INTERVAL = 10_000;
/** Samples per hour-window snapshot (10 min) and per day-window snapshot (1 h). */
const SAMPLES_PER_HOUR_SNAPSHOT = 60;
const SAMPLES_PER_DAY_SNAPSHOT = 360;

/** The newest `capacity` (timestamp, value, times) snapshots of a counter, oldest first. */
class SnapshotRing {
  private readonly timestamps: Float64Array;
  private readonly values: Float64Array;
  private readonly times: Float64Array;
  private head = 0;
  private count = 0;

  constructor(private readonly capacity: number) {
    this.timestamps = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
  }

  push(timestamp: number, value: number, times: number): void {
    const i = (this.head + this.count) % this.capacity;
    this.timestamps[i] = timestamp;
    this.values[i] = value;
    this.times[i] = times;
    if (this.count < this.capacity) this.count++;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** Growth over the last `span` snapshot intervals (all of them by default). */
  window(span = this.capacity): StatsSnapshot {
    if (this.count < 2) return { sum: 0, tps: 0, avgpt: 0 };
    const last = (this.head + this.count - 1) % this.capacity;
    const first = (this.head + this.count - 1 - Math.min(span, this.count - 1)) % this.capacity;
    const sum = this.values[last]! - this.values[first]!;
    const millis = this.timestamps[last]! - this.timestamps[first]!;
    const calls = this.times[last]! - this.times[first]!;
    return { sum, tps: millis > 0 ? (sum * 1000) / millis : 0, avgpt: calls > 0 ? sum / calls : 0 };
  }
}

/** One counter (value and number of calls that added to it) and its three windows. */
export class StatsItem {
  value = 0;
  times = 0;
  private readonly minute = new SnapshotRing(7);
  private readonly hour = new SnapshotRing(7);
  private readonly day = new SnapshotRing(25);

  /** Starts every window at zero now, so traffic counts from the item's first use, not from its first sample. */
  constructor(now: number) {
    this.minute.push(now, 0, 0);
    this.hour.push(now, 0, 0);
    this.day.push(now, 0, 0);
  }

  add(value: number, times: number): void {
    this.value += value;
    this.times += times;
  }

  sampleMinute(now: number): void {
    this.minute.push(now, this.value, this.times);
  }
  sampleHour(now: number): void {
    this.hour.push(now, this.value, this.times);
  }
  sampleDay(now: number): void {
    this.day.push(now, this.value, this.times);
  }

  /** Last 10 s, last minute, last 10 min (mqadmin brokerStatus' "10s 1min 10min" tps triples). */
  recentTps(): [number, number, number] {
    return [this.minute.window(1).tps, this.minute.window().tps, this.hour.window(1).tps];
  }

  statsData(): BrokerStatsData {
    return { statsMinute: this.minute.window(), statsHour: this.hour.window(), statsDay: this.day.window() };
  }
}

/** The items of one stats name, by key. */
class StatsItemSet {
  readonly items = new Map<string, StatsItem>();
  /** `topic@group` items by group then topic: counting a pull builds no key string. */
  private readonly byGroup = new Map<string, Map<string, StatsItem>>();

  constructor(private readonly now: () => number) {}

  item(key: string): StatsItem {
    let item = this.items.get(key);
    if (item === undefined) {
      item = new StatsItem(this.now());
      this.items.set(key, item);
    }
    return item;
  }

  /** Drops the item `key` (a `topic` key). */
  remove(key: string): void {
    this.items.delete(key);
  }

  /** Drops every `topic@group` item of `topic`. */
  removeTopic(topic: string): void {
    for (const [group, topics] of this.byGroup) {
      if (topics.delete(topic)) this.items.delete(`${topic}@${group}`);
    }
  }

  /** Drops every `topic@group` item of `group`. */
  removeGroup(group: string): void {
    const topics = this.byGroup.get(group);
    if (topics === undefined) return;
    for (const topic of topics.keys()) this.items.delete(`${topic}@${group}`);
    this.byGroup.delete(group);
  }

  groupItem(topic: string, group: string): StatsItem {
    let topics = this.byGroup.get(group);
    if (topics === undefined) this.byGroup.set(group, (topics = new Map()));
    let item = topics.get(topic);
    if (item === undefined) {
      item = this.item(`${topic}@${group}`);
      topics.set(topic, item);
    }
    return item;
  }
}

export interface BrokerStatsManagerOptions {
  /** Key of BROKER_PUT_NUMS / BROKER_GET_NUMS. */
  clusterName?: string;
  /** Milliseconds since the epoch (tests inject a fake clock). */
  now?: () => number;
}

export class BrokerStatsManager {
  /** Totals GET_BROKER_RUNTIME_INFO reports (msgPutTotalTodayNow / msgGetTotalTodayNow). */
  msgPutTotal = 0;
  msgGetTotal = 0;
  /** The totals at the start of the local day: rolled when a put or get happens after midnight. */
  msgPutTotalTodayMorning = 0;
  msgGetTotalTodayMorning = 0;
  readonly clusterName: string;
  private readonly now: () => number;
  private readonly sets = new Map<string, StatsItemSet>();
  private readonly topicPutNums: StatsItemSet;
  private readonly topicPutSize: StatsItemSet;
  private readonly groupGetNums: StatsItemSet;
  private readonly groupGetSize: StatsItemSet;
  private readonly sendBackNums: StatsItemSet;
  private readonly brokerPutNums: StatsItem;
  private readonly brokerGetNums: StatsItem;
  private nextDay: number;
  private samples = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: BrokerStatsManagerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.clusterName = options.clusterName ?? 'DefaultCluster';
    for (const name of Object.values(BrokerStatsName)) this.sets.set(name, new StatsItemSet(this.now));
    this.topicPutNums = this.sets.get(BrokerStatsName.TOPIC_PUT_NUMS)!;
    this.topicPutSize = this.sets.get(BrokerStatsName.TOPIC_PUT_SIZE)!;
    this.groupGetNums = this.sets.get(BrokerStatsName.GROUP_GET_NUMS)!;
    this.groupGetSize = this.sets.get(BrokerStatsName.GROUP_GET_SIZE)!;
    this.sendBackNums = this.sets.get(BrokerStatsName.SNDBCK_PUT_NUMS)!;
    this.brokerPutNums = this.sets.get(BrokerStatsName.BROKER_PUT_NUMS)!.item(this.clusterName);
    this.brokerGetNums = this.sets.get(BrokerStatsName.BROKER_GET_NUMS)!.item(this.clusterName);
    this.nextDay = nextMidnight(this.now());
  }

  /** `count` messages of `bytes` body bytes stored in `topic` by one request. */
  incPut(topic: string, count: number, bytes: number): void {
    this.rollDay();
    this.msgPutTotal += count;
    this.topicPutNums.item(topic).add(count, 1);
    this.topicPutSize.item(topic).add(bytes, 1);
    this.brokerPutNums.add(count, 1);
  }

  /** `count` messages (`bytes` bytes) of `topic` pulled by one request of `group` (unknown group: broker totals only). */
  incGet(topic: string, count: number, bytes: number, group?: string): void {
    this.rollDay();
    this.msgGetTotal += count;
    this.brokerGetNums.add(count, 1);
    if (group === undefined) return;
    this.groupGetNums.groupItem(topic, group).add(count, 1);
    this.groupGetSize.groupItem(topic, group).add(bytes, 1);
  }

  /** A consumer of `group` sent a message of `topic` back for retry. */
  incSendBackNums(group: string, topic: string): void {
    this.sendBackNums.groupItem(topic, group).add(1, 1);
  }

  /** A deleted topic's items go (its put and its groups' get and send-back stats), as RocketMQ's onTopicDeleted. */
  onTopicDeleted(topic: string): void {
    this.topicPutNums.remove(topic);
    this.topicPutSize.remove(topic);
    for (const set of [this.groupGetNums, this.groupGetSize, this.sendBackNums]) set.removeTopic(topic);
  }

  /** A deleted subscription group's get and send-back items go, as RocketMQ's onGroupDeleted. */
  onGroupDeleted(group: string): void {
    for (const set of [this.groupGetNums, this.groupGetSize, this.sendBackNums]) set.removeGroup(group);
  }

  /** The item VIEW_BROKER_STATS_DATA asks for, or undefined when nothing was ever counted under it. */
  getStatsItem(statsName: string, statsKey: string): StatsItem | undefined {
    return this.sets.get(statsName)?.items.get(statsKey);
  }

  /** Messages per second `group` pulled from `topic` over the last minute (ConsumeStats.consumeTps). */
  tpsGroupGetNums(group: string, topic: string): number {
    return this.groupGetNums.items.get(`${topic}@${group}`)?.statsData().statsMinute.tps ?? 0;
  }

  /** Messages per second got over the last minute (runtime info `getTotalTps`). */
  getTps(): number {
    return this.brokerGetNums.statsData().statsMinute.tps;
  }

  /** "10s 1min 10min" messages-per-second of gets (runtime info `getTransferedTps`). */
  getTransferedTps(): string {
    return this.brokerGetNums
      .recentTps()
      .map((t) => t.toFixed(2))
      .join(' ');
  }

  /** One 10 s sampling round (the timer's work; tests call it with a fake clock). */
  sample(): void {
    const now = this.now();
    this.samples++;
    const hour = this.samples % SAMPLES_PER_HOUR_SNAPSHOT === 0;
    const day = this.samples % SAMPLES_PER_DAY_SNAPSHOT === 0;
    for (const set of this.sets.values()) {
      for (const item of set.items.values()) {
        item.sampleMinute(now);
        if (hour) item.sampleHour(now);
        if (day) item.sampleDay(now);
      }
    }
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.sample(), STATS_SAMPLE_INTERVAL);
    this.timer.unref();
  }

  shutdown(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private rollDay(): void {
    const now = this.now();
    if (now < this.nextDay) return;
    this.nextDay = nextMidnight(now);
    this.msgPutTotalTodayMorning = this.msgPutTotal;
    this.msgGetTotalTodayMorning = this.msgGetTotal;
  }
}

function nextMidnight(ms: number): number {
  const d = new Date(ms);
  d.setHours(24, 0, 0, 0);
  return d.getTime();
}
