import type { CommitLog } from './commitlog/commit-log.js';
import type { ConsumeQueue } from './consumequeue/consume-queue.js';
import type { IndexService } from './index/index-service.js';
import type { MessageStoreConfig } from './config.js';
import type { StoreFs } from './store-fs.js';
import type { StoreLogger } from './log.js';

/** At most this many segments go per run (RocketMQ `DELETE_FILES_BATCH_MAX`). */
const DELETE_FILES_BATCH_MAX = 10;

export interface RetentionContext {
  commitLog: CommitLog;
  consumeQueues: () => Iterable<ConsumeQueue>;
  indexService: IndexService | undefined;
  config: MessageStoreConfig;
  fs: StoreFs;
  log: StoreLogger;
  now: () => number;
}

/**
 * RocketMQ's CleanCommitLogService + CleanConsumeQueueService: deletes commit-log segments older
 * than `fileReservedTime` hours at the `deleteWhen` hours, or earlier when the disk is fuller than
 * `diskMaxUsedSpaceRatio`; above `diskSpaceCleanForciblyRatio` the oldest go regardless of age.
 * Consume-queue and index files follow the commit log's new min offset.
 */
export class RetentionService {
  /** Set when disk use is above `diskSpaceWarningLevelRatio`: the store refuses writes. */
  diskFullReason: string | undefined;
  private manualDeleteRequests = 0;

  constructor(private readonly ctx: RetentionContext) {}

  requestManualDelete(): void {
    this.manualDeleteRequests = 20;
  }

  isTimeToDelete(): boolean {
    const hour = new Date(this.ctx.now()).getHours();
    return this.ctx.config.deleteWhen
      .split(';')
      .map((h) => h.trim())
      .filter(Boolean)
      .some((h) => Number(h) === hour);
  }

  diskUsageRatio(): number {
    try {
      const { total, free } = this.ctx.fs.diskUsage(this.ctx.commitLog.dir);
      return total > 0 ? (total - free) / total : 0;
    } catch {
      return -1;
    }
  }

  /** One cleaning pass; returns the number of commit-log segments deleted. */
  run(): number {
    const cfg = this.ctx.config;
    const ratio = this.diskUsageRatio();
    let cleanImmediately = false;
    if (ratio * 100 > cfg.diskSpaceWarningLevelRatio) {
      this.diskFullReason = `disk usage ${(ratio * 100).toFixed(1)}% is above diskSpaceWarningLevelRatio ${cfg.diskSpaceWarningLevelRatio}%`;
      cleanImmediately = true;
    } else {
      this.diskFullReason = undefined;
      if (ratio * 100 > cfg.diskSpaceCleanForciblyRatio) cleanImmediately = true;
    }
    const spaceFull = ratio < 0 || ratio * 100 > cfg.diskMaxUsedSpaceRatio;
    const manual = this.manualDeleteRequests > 0;
    let deleted = 0;
    if (this.isTimeToDelete() || spaceFull || manual) {
      if (manual) this.manualDeleteRequests--;
      const expiredMs = cfg.fileReservedTime * 3_600_000;
      const now = this.ctx.now();
      const atOnce = cleanImmediately && spaceFull;
      deleted = this.ctx.commitLog.deleteExpiredFiles((seg) => atOnce || now >= seg.lastModified() + expiredMs, DELETE_FILES_BATCH_MAX);
      if (deleted > 0) this.ctx.log.info({ deleted, diskRatio: ratio }, 'retention deleted commitlog segments');
    }
    this.cleanLogics();
    return deleted;
  }

  /** Consume queues and index files follow the commit log's min offset. */
  cleanLogics(): void {
    // Runs even when the commit log's min offset has not moved since the last run: units dispatched after
    // that run (consume-queue writes are batched) may still point below it, and the queue's min offset must
    // follow them. A queue whose min is already right costs one unit read.
    const phyMin = this.ctx.commitLog.getMinOffset();
    for (const cq of this.ctx.consumeQueues()) cq.deleteExpiredFile(phyMin);
    this.ctx.indexService?.deleteExpiredFile(phyMin);
  }
}
