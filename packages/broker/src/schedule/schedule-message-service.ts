/**
 * ScheduleMessageService (rocketmq-protocol.md §9.2, §15.3, §15.6): delivers delayed messages parked in
 * SCHEDULE_TOPIC_XXXX queue `level - 1` to their REAL_TOPIC / REAL_QID once due, one worker per level, and keeps
 * each level's next consume-queue offset in delayOffset.json.
 *
 * Where RocketMQ re-checks every 100 ms, a level here sleeps exactly until its head message is due, or until the
 * store reports a new message in its queue, which keeps delivery within a few ms of due without busy polling.
 */
import {
  MessageConst,
  createLogger,
  findProperty,
  SystemTopic,
  parseDelayLevels,
  readStoredMessageHeader,
  tagsString2tagsCode,
  type Logger,
  type SocketAddress,
} from '@rockit/common';
import { GetMessageStatus, PutMessageStatus, SCHEDULE_TOPIC, type MessageStore } from '@rockit/store';
import type { DelayOffsetTable } from '../managers/delay-offset-table.js';
import { readStoredMessage, toInner, type StoredMessage } from '../stored-message.js';

export interface ScheduleMessageServiceOptions {
  store: MessageStore;
  delayOffsetTable: DelayOffsetTable;
  /** `messageDelayLevel`, e.g. "1s 5s 10s". */
  messageDelayLevel: string;
  storeHost: SocketAddress;
  /** `flushDelayOffsetInterval`: delayOffset.json is also written after each delivery round. */
  flushDelayOffsetInterval?: number;
  /** Counts delivered messages per real topic (broker stats). */
  onDelivered?: (topic: string, bodyBytes: number) => void;
  logger?: Logger;
}

/** Reads of a level queue per round (RocketMQ reads the consume queue in whole buffers). */
const BATCH = 32;
/** RocketMQ `FIRST_DELAY_TIME`: the levels start this long after the broker. */
const FIRST_DELAY_TIME = 1000;
/** Re-check of an idle level, in case a store arrival notice was missed. */
const IDLE_CHECK_INTERVAL = 1000;
/** RocketMQ `DELAY_FOR_A_PERIOD`: wait after a failed re-put. */
const DELAY_FOR_A_PERIOD = 10_000;
/** Copies looked at per key when checking for a delivery made before a crash. */
const MAX_COPIES_CHECKED = 32;
/** Internal group name used for reads (stats only). */
const SCHEDULE_GROUP = 'SCHEDULE_GROUP';

class DelayLevelWorker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private wakeRequested = false;

  constructor(
    private readonly service: ScheduleMessageService,
    readonly level: number,
    readonly delayMillis: number,
  ) {}

  /** Runs a round after `delay` ms (replacing the planned one). */
  schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), Math.max(0, delay));
    // Like the broker's other housekeeping timers, these alone do not keep the process alive.
    this.timer.unref();
  }

  /** A new message arrived in this level's queue: look now if idle. */
  wake(): void {
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    if (this.service.isStopped) return;
    this.schedule(0);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Delivers every due message; then sleeps until the head message is due (or a new one arrives). */
  private async round(): Promise<void> {
    if (this.running || this.service.isStopped) return;
    this.running = true;
    this.wakeRequested = false;
    let next: number;
    try {
      next = await this.service.deliverDue(this);
    } catch (err) {
      this.service.logger.error({ err, level: this.level }, 'delay level delivery failed');
      next = DELAY_FOR_A_PERIOD;
    } finally {
      this.running = false;
    }
    if (this.service.isStopped) return;
    this.schedule(this.wakeRequested ? 0 : next);
  }

  get idle(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.running ? setTimeout(check, 5) : resolve());
      check();
    });
  }
}

export class ScheduleMessageService {
  readonly logger: Logger;
  /** Delay in ms per level (index = level - 1). */
  readonly delayLevels: number[];
  private readonly workers: DelayLevelWorker[];
  private readonly store: MessageStore;
  private readonly table: DelayOffsetTable;
  private readonly storeHost: SocketAddress;
  private readonly onDelivered: ((topic: string, bodyBytes: number) => void) | undefined;
  private readonly flushInterval: number;
  private flushTimer: NodeJS.Timeout | undefined;
  private stopped = true;
  /** When this start began: records due before it may already have been delivered by the previous run. */
  private startedAt = 0;
  private readonly arriving = (topic: string, queueId: number): void => {
    if (topic === SCHEDULE_TOPIC) this.workers[queueId]?.wake();
  };

  constructor(options: ScheduleMessageServiceOptions) {
    this.store = options.store;
    this.table = options.delayOffsetTable;
    this.storeHost = options.storeHost;
    this.onDelivered = options.onDelivered;
    this.logger = options.logger ?? createLogger('ScheduleMessageService');
    this.flushInterval = options.flushDelayOffsetInterval ?? 10_000;
    this.delayLevels = parseDelayLevels(options.messageDelayLevel);
    this.workers = this.delayLevels.map((ms, i) => new DelayLevelWorker(this, i + 1, ms));
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Largest delay level (`maxDelayLevel`). */
  get maxDelayLevel(): number {
    return this.delayLevels.length;
  }

  /** Clamps each level's offset into its queue (a store cut short by recovery), then starts every level. */
  start(firstDelay = FIRST_DELAY_TIME): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.startedAt = Date.now();
    this.correctDelayOffsets();
    this.store.addMessageArrivingListener(this.arriving);
    for (const w of this.workers) w.schedule(firstDelay);
    this.flushTimer = setInterval(() => void this.table.persist(), this.flushInterval);
    this.flushTimer.unref();
  }

  /** Stops every level after its current round and writes delayOffset.json. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.flushTimer);
    this.store.removeMessageArrivingListener(this.arriving);
    for (const w of this.workers) w.stop();
    await Promise.all(this.workers.map((w) => w.idle));
    await this.table.persist();
  }

  /** `correctDelayOffset`: an offset outside [min, max] of its level queue is moved to the nearest end. */
  private correctDelayOffsets(): void {
    for (const w of this.workers) {
      const queueId = w.level - 1;
      const offset = this.table.get(w.level);
      const max = this.store.getMaxOffsetInQueue(SCHEDULE_TOPIC, queueId);
      const min = Math.max(0, this.store.getMinOffsetInQueue(SCHEDULE_TOPIC, queueId));
      const corrected = offset > max ? max : offset < min ? min : offset;
      if (corrected !== offset) {
        this.logger.warn({ level: w.level, offset, corrected, min, max }, 'delay offset outside its queue, corrected');
        this.table.set(w.level, corrected);
      }
    }
  }

  /** When a message of `level` parked at `storeTimestamp` is due (`computeDeliverTimestamp`). */
  deliverTimestamp(level: number, storeTimestamp: number): number {
    return storeTimestamp + (this.delayLevels[level - 1] ?? 1000);
  }

  /**
   * One round of a level: delivers the due messages from its progress offset on and returns how long to sleep
   * before the next round.
   */
  async deliverDue(worker: DelayLevelWorker): Promise<number> {
    const queueId = worker.level - 1;
    for (;;) {
      if (this.stopped) return IDLE_CHECK_INTERVAL;
      const offset = this.table.get(worker.level);
      const result = await this.store.getMessage(SCHEDULE_GROUP, SCHEDULE_TOPIC, queueId, offset, BATCH);
      if (result.status !== GetMessageStatus.FOUND) {
        if (result.nextBeginOffset !== offset && result.status !== GetMessageStatus.NO_MESSAGE_IN_QUEUE) {
          // OFFSET_TOO_SMALL (files removed by retention) / overflow: continue where the queue really is.
          this.logger.warn({ level: worker.level, offset, next: result.nextBeginOffset, status: result.status }, 'delay offset corrected');
          this.table.set(worker.level, result.nextBeginOffset);
          continue;
        }
        return IDLE_CHECK_INTERVAL;
      }
      let delivered = 0;
      for (let i = 0; i < result.messageBufferList.length; i++) {
        const queueOffset = result.messageQueueOffsets[i]!;
        const record = result.messageBufferList[i]!;
        const now = Date.now();
        // The header is enough to know whether the record is due; it is decoded fully only to deliver it.
        let due = this.deliverTimestamp(worker.level, readStoredMessageHeader(record, 0).storeTimestamp);
        // A store time in the future (clock moved back) must not hold a message longer than its delay.
        if (due > now + worker.delayMillis) due = now;
        if (due > now) {
          if (delivered > 0) void this.table.persist();
          return due - now;
        }
        const ok = await this.deliver(readStoredMessage(record, this.storeHost), worker.level, queueOffset, due < this.startedAt);
        if (!ok) {
          if (delivered > 0) void this.table.persist();
          return DELAY_FOR_A_PERIOD;
        }
        this.table.set(worker.level, queueOffset + 1);
        delivered++;
      }
      if (result.nextBeginOffset > this.table.get(worker.level)) this.table.set(worker.level, result.nextBeginOffset);
      if (delivered > 0) void this.table.persist();
    }
  }

  /**
   * Whether the previous run already delivered `parked` though its offset was not persisted (a crash right after a
   * delivery round): its copy in the real topic is found through the index by UNIQ_KEY — same properties, born
   * time and reconsume times, stored after the parked record. RocketMQ has no such check (it delivers again).
   */
  private alreadyDelivered(parked: StoredMessage, realTopic: string): boolean {
    const uniqKey = findProperty(parked.propertiesString, MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    if (uniqKey === undefined) return false;
    const found = this.store.queryMessage(realTopic, uniqKey, MAX_COPIES_CHECKED, parked.storeTimestamp, Number.MAX_SAFE_INTEGER);
    return found.messageBufferList.some((buf) => {
      const h = readStoredMessageHeader(buf, 0);
      return (
        h.topic === realTopic &&
        h.storeTimestamp >= parked.storeTimestamp &&
        h.bornTimestamp === parked.bornTimestamp &&
        h.reconsumeTimes === parked.reconsumeTimes &&
        h.propertiesString === parked.propertiesString
      );
    });
  }

  /** `messageTimeup` + put: the record to its real topic and queue; false when the store refused it. */
  private async deliver(parked: StoredMessage, level: number, queueOffset: number, dueBeforeStart: boolean): Promise<boolean> {
    const realTopic = findProperty(parked.propertiesString, MessageConst.PROPERTY_REAL_TOPIC);
    const realQid = Number(findProperty(parked.propertiesString, MessageConst.PROPERTY_REAL_QUEUE_ID));
    if (!realTopic || !Number.isInteger(realQid) || realQid < 0 || realTopic === SystemTopic.RMQ_SYS_TRANS_HALF_TOPIC) {
      this.logger.error({ level, queueOffset, commitLogOffset: parked.commitLogOffset, realTopic }, 'delayed message without a deliverable REAL_TOPIC/REAL_QID, skipped');
      return true;
    }
    if (dueBeforeStart && this.alreadyDelivered(parked, realTopic)) {
      this.logger.info({ level, queueOffset, topic: realTopic }, 'delayed message already delivered before the restart, not delivered again');
      return true;
    }
    // The properties string is kept as stored, DELAY and REAL_* included, exactly as a 4.9 broker writes it; the
    // broker never parks it again because only the send path applies DELAY.
    const inner = toInner(parked);
    inner.topic = realTopic;
    inner.queueId = realQid;
    inner.tagsCode = tagsString2tagsCode(findProperty(parked.propertiesString, MessageConst.PROPERTY_TAGS));
    const result = await this.store.putMessage(inner);
    if (result.status !== PutMessageStatus.PUT_OK) {
      this.logger.error({ level, queueOffset, topic: realTopic, status: result.status }, 'delivering a delayed message failed, will retry');
      return false;
    }
    this.onDelivered?.(realTopic, inner.body.length);
    return true;
  }
}
