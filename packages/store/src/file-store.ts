import os from 'node:os';
import path from 'node:path';
import {
  createOffsetMessageId,
  hostSysFlags,
  MessageSysFlag,
  parseDelayLevels,
  storedMessageLength,
  toSocketAddress,
  validateTopic,
  writeStoredMessage,
  type SocketAddress,
} from '@rockit/common';
import { resolveStoreConfig, type MessageStoreConfig } from './config.js';
import { mkdirpDurable, nodeFs, type StoreFs } from './store-fs.js';
import { storeLogger, type StoreLogger } from './log.js';
import { CommitLog, CreateMappedFileError } from './commitlog/commit-log.js';
import { GroupCommitService } from './commitlog/flush.js';
import { computeTagsCode, DispatchRequest, recordStoreTimestamp, SCHEDULE_TOPIC } from './commitlog/message-record.js';
import { ConsumeQueue, CQ_STORE_UNIT_SIZE } from './consumequeue/consume-queue.js';
import { IndexService } from './index/index-service.js';
import { CommitLogDispatcher } from './dispatch.js';
import { StoreCheckpoint } from './checkpoint.js';
import { recover, type RecoveryReport } from './recovery.js';
import { RetentionService } from './retention.js';
import { StoreWriteError, describeFsError } from './mapped-file-name.js';
import {
  GetMessageStatus,
  PutMessageStatus,
  type GetMessageResult,
  type MessageArrivingListener,
  type MessageExtBrokerInner,
  type MessageFilter,
  type MessageStore,
  type ConsumeQueueUnit,
  type PutMessageResult,
  type QueryMessageResult,
  type QueueStats,
  type StoreStats,
} from './message-store.js';

const MAX_PROPERTIES_LENGTH = 32767;
const TOTAL_MEMORY = os.totalmem();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));
const HOST_V6_BITS = MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG;
/** A record may exceed the body limit by this much for topic, properties and header (RocketMQ). */
const RECORD_OVERHEAD_ALLOWANCE = 64 * 1024;
/** How often the per-turn commit also writes consume-queue units (see onCommitTick). */
const LOGICS_COMMIT_INTERVAL_MS = 10;

/** Store directories opened by this process (Node cannot flock the `lock` file). */
const openStores = new Set<string>();

function refused(status: PutMessageStatus, remark: string): PutMessageResult {
  return { status, remark };
}

/**
 * The file-backed MessageStore (RocketMQ `DefaultMessageStore`) in RocketMQ's exact layout.
 * Single-threaded by design: the put "lock" is the event loop, records are encoded straight into
 * the CommitLog's append buffer, consume-queue and index entries are built inline right after
 * the append, and everything reaches the files once per event-loop turn.
 */
export class FileMessageStore implements MessageStore {
  readonly config: MessageStoreConfig;
  readonly fs: StoreFs;
  private readonly log: StoreLogger;
  private readonly now: () => number;
  private readonly commitLog: CommitLog;
  private readonly consumeQueueTable = new Map<string, Map<number, ConsumeQueue>>();
  private readonly indexService: IndexService | undefined;
  private checkpoint: StoreCheckpoint | undefined;
  private readonly dispatcher: CommitLogDispatcher;
  private readonly delayLevels: number[];
  private readonly groupCommit: GroupCommitService;
  private readonly retention: RetentionService;
  private readonly listeners: MessageArrivingListener[] = [];
  private readonly req = new DispatchRequest();
  private readonly topicBytes = new Map<string, Buffer>();
  private readonly dirtyQueues: ConsumeQueue[] = [];
  private readonly storeHost: SocketAddress;
  private readonly rootDir: string;
  private writeErrorReason: string | undefined;
  private running = false;
  private shuttingDown = false;
  private commitScheduled = false;
  /** performance.now() of the last commit that included the consume queues. */
  private lastLogicsCommit = 0;
  private timers: NodeJS.Timeout[] = [];
  private probeTimer: NodeJS.Timeout | undefined;
  private lastDispatchTimestamp = 0;
  recoveryReport: RecoveryReport | undefined;
  // statistics
  private putTimesTotal = 0;
  private putSizeTotal = 0;
  private getFound = 0;
  private getMiss = 0;
  private readonly tpsRing = new Float64Array(61);
  private tpsSecond = 0;

  constructor(config: Partial<MessageStoreConfig> & { storePathRootDir: string }) {
    this.config = resolveStoreConfig(config);
    this.fs = this.config.fs ?? nodeFs;
    this.log = storeLogger(this.config.logger);
    this.now = this.config.now ?? Date.now;
    this.rootDir = path.resolve(this.config.storePathRootDir);
    this.delayLevels = parseDelayLevels(this.config.messageDelayLevel);
    this.commitLog = new CommitLog(
      this.config.storePathCommitLog ?? path.join(this.rootDir, 'commitlog'),
      this.config.mappedFileSizeCommitLog,
      this.config.appendBufferSize,
      this.fs,
      this.log,
      this.config.flushDiskType === 'ASYNC_FLUSH',
    );
    this.commitLog.onWriteDone = (err) => {
      if (err) this.enterReadOnly(err instanceof Error ? err.message : String(err));
      else this.groupCommit.onCommitted();
    };
    this.commitLog.ensureAppendCapacity(Math.min(this.config.maxMessageSize + RECORD_OVERHEAD_ALLOWANCE + 8, this.config.mappedFileSizeCommitLog));
    this.indexService = this.config.messageIndexEnable
      ? new IndexService(this.rootDir, this.config.maxHashSlotNum, this.config.maxIndexNum, this.fs, this.now, this.log)
      : undefined;
    this.dispatcher = new CommitLogDispatcher((t, q) => this.findConsumeQueue(t, q), this.indexService);
    this.storeHost = toSocketAddress(this.config.storeHost.address, this.config.storeHost.port);
    this.groupCommit = new GroupCommitService(this.commitLog, this.fs, {
      syncFlushTimeout: this.config.syncFlushTimeout,
      commitAll: () => this.commitAll(),
      onFlushed: () => {
        if (this.checkpoint) this.checkpoint.physicMsgTimestamp = Math.max(this.checkpoint.physicMsgTimestamp, this.groupCommit.flushedTimestamp);
      },
      onError: (err) => this.enterReadOnly(`commitlog fdatasync failed: ${describeFsError(err)}`),
      now: this.now,
      log: this.log,
    });
    this.retention = new RetentionService({
      commitLog: this.commitLog,
      consumeQueues: () => this.allConsumeQueues(),
      indexService: this.indexService,
      config: this.config,
      fs: this.fs,
      log: this.log,
      now: this.now,
    });
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    if (this.running) return;
    if (openStores.has(this.rootDir)) throw new Error(`store ${this.rootDir} is already open in this process`);
    const fs = this.fs;
    mkdirpDurable(fs, this.rootDir);
    fs.writeFileSync(path.join(this.rootDir, 'lock'), 'lock');
    const abortFile = path.join(this.rootDir, 'abort');
    const lastExitOK = !fs.existsSync(abortFile);
    fs.writeFileSync(abortFile, '');
    this.commitLog.load();
    this.loadConsumeQueues();
    this.indexService?.load();
    this.checkpoint = new StoreCheckpoint(path.join(this.rootDir, 'checkpoint'), fs);
    this.recoveryReport = recover(
      {
        commitLog: this.commitLog,
        fs,
        consumeQueues: () => this.allConsumeQueues(),
        indexService: this.indexService,
        checkpoint: this.checkpoint,
        checkCRCOnRecover: this.config.checkCRCOnRecover,
        delayLevels: this.delayLevels,
        maxRecordSize: this.config.maxMessageSize + RECORD_OVERHEAD_ALLOWANCE,
        dispatch: (req) => {
          this.dispatcher.dispatch(req);
          this.lastDispatchTimestamp = req.storeTimestamp;
        },
        log: this.log,
      },
      lastExitOK,
    );
    this.commitAll();
    this.flushLogics();
    for (const cq of this.allConsumeQueues()) cq.correctMinOffset(this.commitLog.getMinOffset());
    this.log.info({ dir: this.rootDir, ...this.recoveryReport }, 'message store recovered');
    openStores.add(this.rootDir);
    this.running = true;
    if (this.config.flushDiskType === 'ASYNC_FLUSH') {
      this.every(this.config.flushIntervalCommitLog, () => this.groupCommit.flush());
    } else {
      this.every(Math.max(10, Math.min(100, this.config.syncFlushTimeout / 10)), () => this.groupCommit.expireWaiters());
    }
    this.every(this.config.flushIntervalConsumeQueue, () => this.flushLogicsInBackground());
    this.every(this.config.cleanResourceInterval, () => this.runRetention());
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(() => {
      try {
        fn();
      } catch (err) {
        this.log.error({ err }, 'store background task failed');
      }
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  async shutdown(): Promise<void> {
    if (!this.running) return;
    this.shuttingDown = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    let clean = true;
    while (this.logicsFlushing) await new Promise((r) => setTimeout(r, 1));
    try {
      this.commitAll(true);
      while (this.commitLog.writesInFlight()) await new Promise((r) => setImmediate(r));
      this.commitAll(true);
      await this.groupCommit.flushAndWait();
      this.flushLogics(true);
    } catch (err) {
      clean = false;
      this.log.error({ err }, 'store shutdown could not flush; abort file kept so the next start recovers');
    }
    this.groupCommit.shutdown();
    this.indexService?.shutdown();
    for (const cq of this.allConsumeQueues()) cq.close();
    this.consumeQueueTable.clear();
    this.checkpoint?.shutdown();
    this.commitLog.shutdown();
    if (clean && !this.writeErrorReason) this.fs.unlinkSync(path.join(this.rootDir, 'abort'));
    openStores.delete(this.rootDir);
    this.running = false;
    this.shuttingDown = false;
  }

  async destroy(): Promise<void> {
    if (this.running) await this.shutdown();
    this.fs.rmrfSync(this.rootDir);
  }

  // ---------------------------------------------------------------- consume queues

  private loadConsumeQueues(): void {
    const dir = path.join(this.rootDir, 'consumequeue');
    if (!this.fs.existsSync(dir)) return;
    for (const topic of this.fs.readdirSync(dir)) {
      const tdir = path.join(dir, topic);
      let qids: string[];
      try {
        qids = this.fs.readdirSync(tdir);
      } catch {
        continue;
      }
      for (const q of qids) {
        if (!/^\d+$/.test(q)) continue;
        const cq = new ConsumeQueue(topic, Number(q), dir, this.config.mappedFileSizeConsumeQueue, this.fs, this.markQueueDirty);
        cq.load();
        this.queuesOf(topic).set(Number(q), cq);
      }
    }
  }

  private queuesOf(topic: string): Map<number, ConsumeQueue> {
    let m = this.consumeQueueTable.get(topic);
    if (!m) {
      m = new Map();
      this.consumeQueueTable.set(topic, m);
    }
    return m;
  }

  private findConsumeQueue(topic: string, queueId: number): ConsumeQueue {
    const m = this.queuesOf(topic);
    let cq = m.get(queueId);
    if (!cq) {
      cq = new ConsumeQueue(topic, queueId, path.join(this.rootDir, 'consumequeue'), this.config.mappedFileSizeConsumeQueue, this.fs, this.markQueueDirty);
      m.set(queueId, cq);
    }
    return cq;
  }

  private readonly markQueueDirty = (cq: ConsumeQueue): void => {
    cq.queuedForCommit = true;
    this.dirtyQueues.push(cq);
  };

  getConsumeQueueUnits(topic: string, queueId: number, index: number, count: number): ConsumeQueueUnit[] | undefined {
    const cq = this.getConsumeQueue(topic, queueId);
    if (cq === undefined) return undefined;
    const units: ConsumeQueueUnit[] = [];
    if (index < cq.getMinOffsetInQueue()) return units;
    const end = Math.min(cq.getMaxOffsetInQueue(), index + Math.max(0, count));
    for (let i = index; i < end; i++) {
      const u = cq.getUnit(i);
      if (u === undefined) break;
      units.push({ physicOffset: u.phyOffset, physicSize: u.size, tagsCode: u.tagsCode });
    }
    return units;
  }

  private getConsumeQueue(topic: string, queueId: number): ConsumeQueue | undefined {
    return this.consumeQueueTable.get(topic)?.get(queueId);
  }

  private *allConsumeQueues(): Iterable<ConsumeQueue> {
    for (const m of this.consumeQueueTable.values()) yield* m.values();
  }

  // ---------------------------------------------------------------- put

  private checkStoreStatus(): PutMessageResult | undefined {
    if (!this.running || this.shuttingDown) return refused(PutMessageStatus.SERVICE_NOT_AVAILABLE, 'message store is not running');
    if (this.writeErrorReason) return refused(PutMessageStatus.SERVICE_NOT_AVAILABLE, `message store is read-only: ${this.writeErrorReason}`);
    if (this.retention.diskFullReason) return refused(PutMessageStatus.SERVICE_NOT_AVAILABLE, `message store is read-only: ${this.retention.diskFullReason}`);
    return undefined;
  }

  /** Validates one message; returns its record length or a refusal. */
  private checkMessage(msg: MessageExtBrokerInner): number | PutMessageResult {
    // A topic in the encoded-topic cache has passed validation before.
    const topicReason = this.topicBytes.has(msg.topic) ? undefined : validateTopic(msg.topic);
    if (topicReason) return refused(PutMessageStatus.MESSAGE_ILLEGAL, `topic "${msg.topic}": ${topicReason}`);
    if (!msg.storeHost) msg.storeHost = this.storeHost;
    // The record's host fields must match the sysFlag IPv6 bits; set them here rather than refuse.
    msg.sysFlag = (msg.sysFlag & ~HOST_V6_BITS) | hostSysFlags(msg.bornHost, msg.storeHost);
    if (!Number.isInteger(msg.queueId) || msg.queueId < 0) return refused(PutMessageStatus.MESSAGE_ILLEGAL, `queueId ${msg.queueId} is invalid`);
    if (msg.body.length > this.config.maxMessageSize) {
      return refused(PutMessageStatus.MESSAGE_ILLEGAL, `message body is ${msg.body.length} bytes, more than maxMessageSize ${this.config.maxMessageSize}`);
    }
    const propsLen = msg.propertiesString.length === 0 ? 0 : Buffer.byteLength(msg.propertiesString, 'utf8');
    if (propsLen > MAX_PROPERTIES_LENGTH) {
      return refused(PutMessageStatus.PROPERTIES_SIZE_EXCEEDED, `message properties are ${propsLen} bytes, more than ${MAX_PROPERTIES_LENGTH}`);
    }
    const size = storedMessageLength(this.topicBuffer(msg.topic).length, msg.body.length, propsLen, msg.sysFlag);
    if (size > this.config.maxMessageSize + RECORD_OVERHEAD_ALLOWANCE) {
      return refused(PutMessageStatus.MESSAGE_ILLEGAL, `stored message would be ${size} bytes, more than allowed`);
    }
    if (size + 8 > this.config.mappedFileSizeCommitLog) {
      return refused(PutMessageStatus.MESSAGE_ILLEGAL, `stored message would be ${size} bytes, more than a commitlog segment (mappedFileSizeCommitLog ${this.config.mappedFileSizeCommitLog}) holds`);
    }
    return size;
  }

  private msgIdHost: SocketAddress | undefined;
  private msgIdPrefix = '';

  /** `createOffsetMessageId` with the host part cached for the (usually single) store host object. */
  private offsetMsgId(host: SocketAddress, offset: number): string {
    if (host !== this.msgIdHost) {
      this.msgIdHost = host;
      this.msgIdPrefix = createOffsetMessageId(host, 0).slice(0, -16);
    }
    const hi = Math.floor(offset / 0x100000000);
    const lo = offset >>> 0;
    return (
      this.msgIdPrefix +
      HEX[hi >>> 24]! + HEX[(hi >>> 16) & 255]! + HEX[(hi >>> 8) & 255]! + HEX[hi & 255]! +
      HEX[lo >>> 24]! + HEX[(lo >>> 16) & 255]! + HEX[(lo >>> 8) & 255]! + HEX[lo & 255]!
    );
  }

  private topicBuffer(topic: string): Buffer {
    let b = this.topicBytes.get(topic);
    if (!b) {
      b = Buffer.from(topic, 'utf8');
      if (this.topicBytes.size > 100_000) this.topicBytes.clear();
      this.topicBytes.set(topic, b);
    }
    return b;
  }

  putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult> {
    const bad = this.checkStoreStatus();
    if (bad) return Promise.resolve(bad);
    const size = this.checkMessage(msg);
    if (typeof size !== 'number') return Promise.resolve(size);
    let phy: number;
    try {
      phy = this.commitLog.reserve(size);
    } catch (err) {
      return Promise.resolve(this.appendFailed(err));
    }
    const storeTimestamp = this.now();
    const queueOffset = this.appendOne(msg, size, phy, storeTimestamp);
    this.afterAppend(1, size, storeTimestamp);
    const result: PutMessageResult = {
      status: PutMessageStatus.PUT_OK,
      appendResult: {
        wroteOffset: phy,
        wroteBytes: size,
        msgId: this.offsetMsgId(msg.storeHost, phy),
        queueOffset,
        storeTimestamp,
        msgNum: 1,
      },
    };
    return this.config.flushDiskType === 'SYNC_FLUSH' ? this.groupCommit.waitFor(phy + size, result) : Promise.resolve(result);
  }

  putMessages(batch: MessageExtBrokerInner[]): Promise<PutMessageResult> {
    const bad = this.checkStoreStatus();
    if (bad) return Promise.resolve(bad);
    if (batch.length === 0) return Promise.resolve(refused(PutMessageStatus.MESSAGE_ILLEGAL, 'empty batch'));
    const sizes: number[] = [];
    let total = 0;
    const first = batch[0]!;
    for (const m of batch) {
      if (m.topic !== first.topic || m.queueId !== first.queueId) {
        return Promise.resolve(refused(PutMessageStatus.MESSAGE_ILLEGAL, 'all messages of a batch must have the same topic and queue'));
      }
      const size = this.checkMessage(m);
      if (typeof size !== 'number') return Promise.resolve(size);
      sizes.push(size);
      total += size;
    }
    if (total > this.config.maxMessageSize + RECORD_OVERHEAD_ALLOWANCE) {
      return Promise.resolve(refused(PutMessageStatus.MESSAGE_ILLEGAL, `batch is ${total} bytes, more than maxMessageSize allows`));
    }
    if (total + 8 > this.config.mappedFileSizeCommitLog) {
      return Promise.resolve(refused(PutMessageStatus.MESSAGE_ILLEGAL, 'batch does not fit in one commitlog segment'));
    }
    let phy: number;
    try {
      this.commitLog.ensureAppendCapacity(total);
      phy = this.commitLog.reserve(total);
    } catch (err) {
      return Promise.resolve(this.appendFailed(err));
    }
    const storeTimestamp = this.now();
    let at = phy;
    let firstQueueOffset = -1;
    const ids: string[] = [];
    for (let i = 0; i < batch.length; i++) {
      const qo = this.appendOne(batch[i]!, sizes[i]!, at, storeTimestamp);
      if (firstQueueOffset < 0) firstQueueOffset = qo;
      ids.push(this.offsetMsgId(batch[i]!.storeHost, at));
      at += sizes[i]!;
    }
    this.afterAppend(batch.length, total, storeTimestamp);
    const result: PutMessageResult = {
      status: PutMessageStatus.PUT_OK,
      appendResult: { wroteOffset: phy, wroteBytes: total, msgId: ids.join(','), queueOffset: firstQueueOffset, storeTimestamp, msgNum: batch.length },
    };
    return this.config.flushDiskType === 'SYNC_FLUSH' ? this.groupCommit.waitFor(at, result) : Promise.resolve(result);
  }

  /** Encodes one record at the append position, dispatches it and returns its queue offset. */
  private appendOne(msg: MessageExtBrokerInner, size: number, phy: number, storeTimestamp: number): number {
    const sysFlag = msg.sysFlag;
    const cq = this.findConsumeQueue(msg.topic, msg.queueId);
    const toQueue = CommitLogDispatcher.dispatchesToQueue(sysFlag);
    const queueOffset = toQueue ? cq.getMaxOffsetInQueue() : 0;
    writeStoredMessage(this.commitLog.buffer, this.commitLog.bufferPos, msg, queueOffset, phy, storeTimestamp, this.topicBuffer(msg.topic));
    this.commitLog.advance(size);

    const req = this.req;
    req.topic = msg.topic;
    req.queueId = msg.queueId;
    req.commitLogOffset = phy;
    req.msgSize = size;
    req.storeTimestamp = storeTimestamp;
    req.consumeQueueOffset = queueOffset;
    req.sysFlag = sysFlag;
    req.propertiesString = msg.propertiesString;
    req.tagsCode = msg.topic === SCHEDULE_TOPIC ? computeTagsCode(msg.topic, msg.propertiesString, storeTimestamp, this.delayLevels) : msg.tagsCode;
    this.dispatcher.dispatch(req, cq);
    this.lastDispatchTimestamp = storeTimestamp;
    if (toQueue) {
      for (let i = 0; i < this.listeners.length; i++) {
        this.listeners[i]!(msg.topic, msg.queueId, queueOffset + 1, req.tagsCode, storeTimestamp, undefined, msg.propertiesString);
      }
    }
    return queueOffset;
  }

  private afterAppend(count: number, bytes: number, storeTimestamp: number): void {
    this.putTimesTotal += count;
    this.putSizeTotal += bytes;
    this.commitLog.lastAppendTimestamp = storeTimestamp;
    const sec = Math.floor(storeTimestamp / 1000);
    if (sec !== this.tpsSecond) {
      this.rollTps(sec);
    }
    this.tpsRing[sec % 61]! += count;
    if (!this.commitScheduled) {
      this.commitScheduled = true;
      setImmediate(this.onCommitTick);
    }
  }

  private rollTps(sec: number): void {
    if (sec - this.tpsSecond > 61) this.tpsRing.fill(0);
    else for (let s = this.tpsSecond + 1; s <= sec; s++) this.tpsRing[s % 61] = 0;
    this.tpsSecond = sec;
  }

  private readonly onCommitTick = (): void => {
    this.commitScheduled = false;
    // The commit log is written every turn; consume-queue units at most every LOGICS_COMMIT_INTERVAL_MS (readers
    // merge the buffered ones, the logics flush commits them first, recovery rebuilds them from the commit log),
    // so a turn of a few messages spread over many queues does not cost one write per queue.
    this.commitAll(false, performance.now() - this.lastLogicsCommit >= LOGICS_COMMIT_INTERVAL_MS);
    this.groupCommit.onCommitted();
  };

  private appendFailed(err: unknown): PutMessageResult {
    if (err instanceof CreateMappedFileError) {
      this.enterReadOnly(err.message);
      return refused(PutMessageStatus.CREATE_MAPEDFILE_FAILED, err.message);
    }
    if (err instanceof StoreWriteError) {
      this.enterReadOnly(err.message);
      return refused(PutMessageStatus.SERVICE_NOT_AVAILABLE, `message store is read-only: ${err.message}`);
    }
    this.log.error({ err }, 'append failed');
    return refused(PutMessageStatus.UNKNOWN_ERROR, String(err));
  }

  /**
   * Writes everything buffered (commit log, consume queues, index) to the files. A write error
   * turns the store read-only; buffered data stays in memory (and readable) for the retry probe.
   */
  private commitAll(throwOnError = false, consumeQueues = true): boolean {
    try {
      this.commitLog.commit();
      const dq = this.dirtyQueues;
      if (consumeQueues) this.lastLogicsCommit = performance.now();
      while (consumeQueues && dq.length > 0) {
        const cq = dq[dq.length - 1]!;
        cq.commit();
        cq.queuedForCommit = false;
        dq.pop();
      }
      this.indexService?.commit();
      return true;
    } catch (err) {
      const reason = err instanceof StoreWriteError ? err.message : `write failed: ${describeFsError(err)}`;
      this.enterReadOnly(reason);
      if (throwOnError) throw err;
      return false;
    }
  }

  private enterReadOnly(reason: string): void {
    if (!this.writeErrorReason) this.log.error({ reason }, 'message store turned read-only');
    this.writeErrorReason = reason;
    if (!this.probeTimer && this.running) {
      this.probeTimer = setInterval(() => this.probeWrites(), this.config.writeProbeInterval);
      this.probeTimer.unref();
    }
  }

  /** Retries the pending writes; when they succeed (space came back) the store is writable again. */
  private probeWrites(): void {
    const before = this.writeErrorReason;
    this.writeErrorReason = undefined;
    if (this.commitAll()) {
      try {
        this.probeFlush();
      } catch (err) {
        this.writeErrorReason = `fdatasync failed: ${describeFsError(err)}`;
        return;
      }
      if (this.probeTimer) clearInterval(this.probeTimer);
      this.probeTimer = undefined;
      this.log.info({ previous: before }, 'message store writable again');
      this.groupCommit.onCommitted();
    }
  }

  private probeFlush(): void {
    for (const seg of this.commitLog.segmentsToFlush()) this.fs.fdatasyncSync(seg.fd);
  }

  /** Flushes consume queues + index and advances the checkpoint. */
  private flushLogics(throwOnError = false): void {
    if (!this.checkpoint) return;
    const dispatchedTs = this.lastDispatchTimestamp;
    try {
      if (!this.commitAll(throwOnError)) return;
      for (const cq of this.allConsumeQueues()) cq.flush();
      const indexTs = this.indexService?.flush() ?? 0;
      if (dispatchedTs > 0) this.checkpoint.logicsMsgTimestamp = dispatchedTs;
      if (indexTs > 0) this.checkpoint.indexMsgTimestamp = indexTs;
      if (this.config.flushDiskType === 'ASYNC_FLUSH' || this.shuttingDown) {
        this.checkpoint.physicMsgTimestamp = Math.max(this.checkpoint.physicMsgTimestamp, this.groupCommit.flushedTimestamp);
      }
      this.checkpoint.flush();
    } catch (err) {
      this.enterReadOnly(`consume queue / index flush failed: ${describeFsError(err)}`);
      if (throwOnError) throw err;
    }
  }

  private logicsFlushing = false;

  /**
   * The periodic flush of consume queues, index and checkpoint, with the fdatasyncs on libuv's pool
   * so the event loop keeps serving puts. The checkpoint is written only after the data it vouches
   * for is durable.
   */
  private flushLogicsInBackground(): void {
    const checkpoint = this.checkpoint;
    if (!checkpoint || this.logicsFlushing || !this.running) return;
    const dispatchedTs = this.lastDispatchTimestamp;
    if (!this.commitAll()) return;
    const fds: number[] = [];
    const done: (() => void)[] = [];
    let indexTs = 0;
    try {
      for (const cq of this.allConsumeQueues()) {
        const t = cq.flushTargets();
        if (t) {
          fds.push(...t.fds);
          done.push(t.done);
        }
      }
      const idx = this.indexService?.writeBack();
      if (idx?.fd !== undefined) fds.push(idx.fd);
      indexTs = idx?.endTimestamp ?? 0;
    } catch (err) {
      this.enterReadOnly(`index write failed: ${describeFsError(err)}`);
      return;
    }
    this.logicsFlushing = true;
    const syncAll = (list: number[], then: () => void): void => {
      let left = list.length;
      let failed: unknown;
      if (left === 0) return then();
      for (const fd of list) {
        this.fs.fdatasync(fd, (err) => {
          // EBADF: the file was deleted meanwhile (topic deleted), nothing left to make durable.
          if (err && err.code !== 'EBADF') failed = err;
          if (--left > 0) return;
          if (failed) {
            this.logicsFlushing = false;
            this.enterReadOnly(`consume queue / index fdatasync failed: ${describeFsError(failed)}`);
          } else then();
        });
      }
    };
    syncAll(fds, () => {
      for (const d of done) d();
      if (!this.running || this.shuttingDown) {
        this.logicsFlushing = false;
        return;
      }
      if (dispatchedTs > 0) checkpoint.logicsMsgTimestamp = dispatchedTs;
      if (indexTs > 0) checkpoint.indexMsgTimestamp = indexTs;
      if (this.config.flushDiskType === 'ASYNC_FLUSH') {
        checkpoint.physicMsgTimestamp = Math.max(checkpoint.physicMsgTimestamp, this.groupCommit.flushedTimestamp);
      }
      let fd: number;
      try {
        fd = checkpoint.write();
      } catch (err) {
        this.logicsFlushing = false;
        this.enterReadOnly(`checkpoint write failed: ${describeFsError(err)}`);
        return;
      }
      syncAll([fd], () => {
        this.logicsFlushing = false;
      });
    });
  }

  private runRetention(): void {
    if (this.logicsFlushing) return; // retention closes files; try again next round
    this.retention.run();
  }

  // ---------------------------------------------------------------- get

  async getMessage(group: string, topic: string, queueId: number, offset: number, maxMsgNums: number, filter?: MessageFilter): Promise<GetMessageResult> {
    return this.getMessageSync(group, topic, queueId, offset, maxMsgNums, filter);
  }

  /** RocketMQ `DefaultMessageStore.getMessage`, offset-correction semantics included (§8.2). */
  getMessageSync(_group: string, topic: string, queueId: number, offset: number, maxMsgNums: number, filter?: MessageFilter): GetMessageResult {
    const result: GetMessageResult = {
      status: GetMessageStatus.NO_MESSAGE_IN_QUEUE,
      nextBeginOffset: offset,
      minOffset: 0,
      maxOffset: 0,
      messageBufferList: [],
      messageQueueOffsets: [],
      bufferTotalSize: 0,
      msgCount: 0,
      suggestPullingFromSlave: false,
    };
    const cq = this.getConsumeQueue(topic, queueId);
    if (!cq) {
      result.status = GetMessageStatus.NO_MATCHED_LOGIC_QUEUE;
      result.nextBeginOffset = 0;
      this.getMiss++;
      return result;
    }
    const minOffset = cq.getMinOffsetInQueue();
    const maxOffset = cq.getMaxOffsetInQueue();
    result.minOffset = minOffset;
    result.maxOffset = maxOffset;
    if (maxOffset === 0) {
      result.status = GetMessageStatus.NO_MESSAGE_IN_QUEUE;
      result.nextBeginOffset = 0;
    } else if (offset < minOffset) {
      result.status = GetMessageStatus.OFFSET_TOO_SMALL;
      result.nextBeginOffset = minOffset;
    } else if (offset === maxOffset) {
      result.status = GetMessageStatus.OFFSET_OVERFLOW_ONE;
      result.nextBeginOffset = offset;
    } else if (offset > maxOffset) {
      result.status = GetMessageStatus.OFFSET_OVERFLOW_BADLY;
      result.nextBeginOffset = minOffset === 0 ? minOffset : maxOffset;
    } else {
      this.readQueue(cq, offset, maxMsgNums, filter, result);
    }
    if (result.status === GetMessageStatus.FOUND) this.getFound++;
    else this.getMiss++;
    return result;
  }

  private readonly unitBuf = Buffer.allocUnsafe(CQ_STORE_UNIT_SIZE * 1024);

  private readQueue(cq: ConsumeQueue, offset: number, maxMsgNums: number, filter: MessageFilter | undefined, result: GetMessageResult): void {
    const cfg = this.config;
    const maxOffsetPy = this.commitLog.getMaxOffset();
    const memory = TOTAL_MEMORY * (cfg.accessMessageInMemoryMaxRatio / 100);
    const maxFilterMessageCount = Math.max(16000, maxMsgNums * 20);
    let status = GetMessageStatus.NO_MATCHED_MESSAGE;
    let nextPhyFileStartOffset = Number.MIN_SAFE_INTEGER;
    let maxPhyOffsetPulling = 0;
    let examined = 0;
    let readAny = false;
    outer: while (examined < maxFilterMessageCount) {
      // Start with about what the pull can return; read more (up to 1024 units a time) only if filters skip units.
      const want = examined === 0 ? Math.max(maxMsgNums, 1) : 1024;
      const n = cq.getUnits(offset + examined, Math.min(want, 1024, maxFilterMessageCount - examined), this.unitBuf);
      if (n === 0) break;
      readAny = true;
      for (let i = 0; i < n; i++) {
        const p = i * CQ_STORE_UNIT_SIZE;
        const offsetPy = Number(this.unitBuf.readBigInt64BE(p));
        const sizePy = this.unitBuf.readInt32BE(p + 8);
        const tagsCode = Number(this.unitBuf.readBigInt64BE(p + 12));
        maxPhyOffsetPulling = offsetPy;
        if (nextPhyFileStartOffset !== Number.MIN_SAFE_INTEGER && offsetPy < nextPhyFileStartOffset) {
          examined++;
          continue;
        }
        const isInDisk = maxOffsetPy - offsetPy > memory;
        if (this.isTheBatchFull(sizePy, maxMsgNums, result.bufferTotalSize, result.msgCount, isInDisk)) break outer;
        examined++;
        if (filter && !filter.isMatchedByConsumeQueue(tagsCode)) {
          if (result.bufferTotalSize === 0) status = GetMessageStatus.NO_MATCHED_MESSAGE;
          continue;
        }
        const buf = sizePy > 0 && sizePy !== 0x7fffffff ? this.commitLog.getMessageAhead(offsetPy, sizePy) : undefined;
        if (!buf) {
          if (result.bufferTotalSize === 0) status = GetMessageStatus.MESSAGE_WAS_REMOVING;
          nextPhyFileStartOffset = this.commitLog.rollNextFile(offsetPy);
          continue;
        }
        if (filter && !filter.isMatchedByCommitLog(buf, undefined)) {
          if (result.bufferTotalSize === 0) status = GetMessageStatus.NO_MATCHED_MESSAGE;
          continue;
        }
        result.messageBufferList.push(buf);
        result.messageQueueOffsets.push(offset + examined - 1);
        result.bufferTotalSize += sizePy;
        result.msgCount++;
        status = GetMessageStatus.FOUND;
        nextPhyFileStartOffset = Number.MIN_SAFE_INTEGER;
      }
      // RocketMQ reads one consume-queue file per pull.
      if ((offset + examined) % (cfg.mappedFileSizeConsumeQueue / CQ_STORE_UNIT_SIZE) === 0) break;
    }
    if (!readAny) {
      result.status = GetMessageStatus.OFFSET_FOUND_NULL;
      result.nextBeginOffset = cq.rollNextFile(offset);
      return;
    }
    result.status = status;
    result.nextBeginOffset = offset + examined;
    result.suggestPullingFromSlave = maxOffsetPy - maxPhyOffsetPulling > memory;
  }

  private isTheBatchFull(sizePy: number, maxMsgNums: number, bufferTotal: number, messageTotal: number, isInDisk: boolean): boolean {
    if (bufferTotal === 0 || messageTotal === 0) return false;
    if (maxMsgNums <= messageTotal) return true;
    const c = this.config;
    if (isInDisk) {
      if (bufferTotal + sizePy > c.maxTransferBytesOnMessageInDisk) return true;
      if (messageTotal > c.maxTransferCountOnMessageInDisk - 1) return true;
    } else {
      if (bufferTotal + sizePy > c.maxTransferBytesOnMessageInMemory) return true;
      if (messageTotal > c.maxTransferCountOnMessageInMemory - 1) return true;
    }
    return false;
  }

  lookMessageByOffset(commitLogOffset: number, size?: number): Buffer | undefined {
    return this.commitLog.getMessage(commitLogOffset, size);
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.getConsumeQueue(topic, queueId)?.getMaxOffsetInQueue() ?? 0;
  }

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.getConsumeQueue(topic, queueId)?.getMinOffsetInQueue() ?? -1;
  }

  getCommitLogOffsetInQueue(topic: string, queueId: number, consumeQueueOffset: number): number {
    return this.getConsumeQueue(topic, queueId)?.getUnit(consumeQueueOffset)?.phyOffset ?? 0;
  }

  getMinPhyOffset(): number {
    return this.commitLog.getMinOffset();
  }

  getMaxPhyOffset(): number {
    return this.commitLog.getMaxOffset();
  }

  private storeTimestampAt(phyOffset: number): number {
    const head = Buffer.allocUnsafe(80);
    if (!this.commitLog.readInto(phyOffset, head, 0, 80)) return -1;
    return recordStoreTimestamp(head, 0);
  }

  /**
   * Queue offset of the message stored closest to `timestamp` (binary search over store times,
   * like RocketMQ's `ConsumeQueue.getOffsetInQueueByTime`: exact match, else the nearer neighbour).
   */
  getOffsetInQueueByTime(topic: string, queueId: number, timestamp: number): number {
    const cq = this.getConsumeQueue(topic, queueId);
    if (!cq) return 0;
    let low = cq.getMinOffsetInQueue();
    let high = cq.getMaxOffsetInQueue() - 1;
    const minPhy = this.commitLog.getMinOffset();
    let left = -1;
    let right = -1;
    let leftValue = -1;
    let rightValue = -1;
    while (high >= low) {
      const mid = Math.floor((low + high) / 2);
      const u = cq.getUnit(mid);
      if (!u) break;
      if (u.phyOffset < minPhy || u.size === 0x7fffffff) {
        low = mid + 1;
        left = mid;
        continue;
      }
      const t = this.storeTimestampAt(u.phyOffset);
      if (t < 0) return 0;
      if (t === timestamp) return mid;
      if (t > timestamp) {
        high = mid - 1;
        right = mid;
        rightValue = t;
      } else {
        low = mid + 1;
        left = mid;
        leftValue = t;
      }
    }
    if (leftValue === -1) return right === -1 ? cq.getMinOffsetInQueue() : right;
    if (rightValue === -1) return left;
    return Math.abs(timestamp - leftValue) > Math.abs(timestamp - rightValue) ? right : left;
  }

  queryMessage(topic: string, key: string, maxNum: number, begin: number, end: number): QueryMessageResult {
    const out: QueryMessageResult = { messageBufferList: [], phyOffsets: [], indexLastUpdateTimestamp: 0, indexLastUpdatePhyoffset: 0, bufferTotalSize: 0 };
    if (!this.indexService) return out;
    const r = this.indexService.queryOffset(topic, key, maxNum, begin, end);
    out.indexLastUpdateTimestamp = r.indexLastUpdateTimestamp;
    out.indexLastUpdatePhyoffset = r.indexLastUpdatePhyoffset;
    const minPhy = this.commitLog.getMinOffset();
    for (const phy of [...new Set(r.phyOffsets)].sort((a, b) => a - b)) {
      if (phy < minPhy) continue;
      const buf = this.commitLog.getMessage(phy);
      if (!buf) continue;
      out.phyOffsets.push(phy);
      out.messageBufferList.push(buf);
      out.bufferTotalSize += buf.length;
    }
    return out;
  }

  getEarliestMessageTime(topic?: string, queueId?: number): number {
    if (topic === undefined) {
      return this.commitLog.getMaxOffset() > this.commitLog.getMinOffset() ? this.storeTimestampAt(this.commitLog.getMinOffset()) : -1;
    }
    const cq = this.getConsumeQueue(topic, queueId ?? 0);
    if (!cq) return -1;
    const u = cq.getUnit(cq.getMinOffsetInQueue());
    return u ? this.storeTimestampAt(u.phyOffset) : -1;
  }

  getMessageStoreTimeStamp(topic: string, queueId: number, consumeQueueOffset: number): number {
    const u = this.getConsumeQueue(topic, queueId)?.getUnit(consumeQueueOffset);
    return u ? this.storeTimestampAt(u.phyOffset) : -1;
  }

  // ---------------------------------------------------------------- stats & admin

  getQueueStats(topic: string, queueId: number): QueueStats | undefined {
    const cq = this.getConsumeQueue(topic, queueId);
    if (!cq) return undefined;
    const min = cq.getMinOffsetInQueue();
    const max = cq.getMaxOffsetInQueue();
    const last = max > min ? cq.getUnit(max - 1) : undefined;
    return { topic, queueId, minOffset: min, maxOffset: max, msgCount: max - min, lastStoreTimestamp: last ? this.storeTimestampAt(last.phyOffset) : 0 };
  }

  getStoreStats(): StoreStats {
    const nowSec = Math.floor(this.now() / 1000);
    if (nowSec !== this.tpsSecond) this.rollTps(nowSec);
    let last10 = 0;
    let last60 = 0;
    for (let s = 0; s < 60; s++) {
      const v = this.tpsRing[(nowSec - s + 61 * 2) % 61]!;
      if (s < 10) last10 += v;
      last60 += v;
    }
    let cqCount = 0;
    for (const m of this.consumeQueueTable.values()) cqCount += m.size;
    return {
      putMessageTimesTotal: this.putTimesTotal,
      putMessageSizeTotal: this.putSizeTotal,
      putTps10s: last10 / 10,
      putTps60s: last60 / 60,
      getMessageTimesTotalFound: this.getFound,
      getMessageTimesTotalMiss: this.getMiss,
      commitLogMinOffset: this.commitLog.getMinOffset(),
      commitLogMaxOffset: this.commitLog.getMaxOffset(),
      commitLogDiskRatio: this.retention.diskUsageRatio(),
      consumeQueueCount: cqCount,
      readOnlyReason: this.writeErrorReason ?? this.retention.diskFullReason,
    };
  }

  getRuntimeInfo(): Record<string, string> {
    const s = this.getStoreStats();
    return {
      putMessageTimesTotal: String(s.putMessageTimesTotal),
      putMessageSizeTotal: String(s.putMessageSizeTotal),
      putTps: `${s.putTps10s.toFixed(2)} ${s.putTps60s.toFixed(2)}`,
      getFoundTimes: String(s.getMessageTimesTotalFound),
      getMissTimes: String(s.getMessageTimesTotalMiss),
      commitLogMinOffset: String(s.commitLogMinOffset),
      commitLogMaxOffset: String(s.commitLogMaxOffset),
      commitLogDiskRatio: String(s.commitLogDiskRatio),
      consumeQueueCount: String(s.consumeQueueCount),
      flushDiskType: this.config.flushDiskType,
      storeState: s.readOnlyReason ? `READ_ONLY: ${s.readOnlyReason}` : 'OK',
      earliestMessageTimeStamp: String(this.getEarliestMessageTime()),
      dispatchBehindBytes: '0',
    };
  }

  addMessageArrivingListener(listener: MessageArrivingListener): void {
    this.listeners.push(listener);
  }

  removeMessageArrivingListener(listener: MessageArrivingListener): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  cleanExpiredConsumeQueue(liveTopics?: Set<string>): void {
    const minPhy = this.commitLog.getMinOffset();
    for (const [topic, queues] of this.consumeQueueTable) {
      // The schedule service's progress (delayOffset.json) counts in these queues: a queue made anew would restart
      // at offset 0 below it, and the delayed messages put there would never be delivered (RocketMQ skips it too).
      if (topic === SCHEDULE_TOPIC) continue;
      if (liveTopics && !liveTopics.has(topic)) {
        this.deleteTopics([topic]);
        continue;
      }
      for (const [qid, cq] of queues) {
        if (cq.getMaxPhysicOffset() >= 0 && cq.getMaxPhysicOffset() < minPhy) {
          cq.destroy();
          queues.delete(qid);
        }
      }
      if (queues.size === 0) this.consumeQueueTable.delete(topic);
    }
  }

  deleteTopics(topics: Iterable<string>): number {
    let n = 0;
    for (const topic of topics) {
      const queues = this.consumeQueueTable.get(topic);
      if (!queues) continue;
      for (const cq of queues.values()) {
        cq.destroy();
        const i = this.dirtyQueues.indexOf(cq);
        if (i >= 0) this.dirtyQueues.splice(i, 1);
      }
      this.fs.rmrfSync(path.join(this.rootDir, 'consumequeue', topic));
      this.consumeQueueTable.delete(topic);
      n++;
    }
    return n;
  }

  executeDeleteFilesManually(): void {
    this.retention.requestManualDelete();
    this.retention.run();
  }

  getConsumeQueueTable(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const [t, m] of this.consumeQueueTable) out.set(t, [...m.keys()].sort((a, b) => a - b));
    return out;
  }

  isReadOnly(): boolean {
    return this.writeErrorReason !== undefined || this.retention.diskFullReason !== undefined;
  }

  /** Internals for tests and tools (index headers, commit-log segment names). */
  inspect(): { commitLogFiles: string[]; indexFiles: ReturnType<IndexService['headers']>; checkpoint: { physicMsgTimestamp: number; logicsMsgTimestamp: number; indexMsgTimestamp: number } | undefined } {
    return {
      commitLogFiles: this.commitLog.segments.map((s) => path.basename(s.file)),
      indexFiles: this.indexService?.headers() ?? [],
      checkpoint: this.checkpoint
        ? { physicMsgTimestamp: this.checkpoint.physicMsgTimestamp, logicsMsgTimestamp: this.checkpoint.logicsMsgTimestamp, indexMsgTimestamp: this.checkpoint.indexMsgTimestamp }
        : undefined,
    };
  }
}
