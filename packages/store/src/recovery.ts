import type { CommitLog } from './commitlog/commit-log.js';
import type { MappedFile } from './commitlog/mapped-file.js';
import type { StoreFs } from './store-fs.js';
import type { ConsumeQueue } from './consumequeue/consume-queue.js';
import type { IndexService } from './index/index-service.js';
import type { StoreCheckpoint } from './checkpoint.js';
import type { StoreLogger } from './log.js';
import { readInt64 as readLong, MESSAGE_MAGIC_CODE_V1, MESSAGE_MAGIC_CODE_V2 } from '@rockit/common';
import { checkRecord, DispatchRequest, recordStoreTimestamp } from './commitlog/message-record.js';

export interface RecoveryContext {
  commitLog: CommitLog;
  fs: StoreFs;
  consumeQueues: () => Iterable<ConsumeQueue>;
  indexService: IndexService | undefined;
  checkpoint: StoreCheckpoint;
  checkCRCOnRecover: boolean;
  delayLevels: number[];
  maxRecordSize: number;
  dispatch: (req: DispatchRequest) => void;
  log: StoreLogger;
}

export interface RecoveryReport {
  lastExitOK: boolean;
  /** Commit-log offset where valid data ends (new records are appended here). */
  maxPhyOffset: number;
  /** Whether non-zero bytes after the last valid record were cut (torn or corrupt tail). */
  truncatedTail: boolean;
  /** Records replayed through the dispatcher. */
  redispatched: number;
  scannedFrom: number;
}

/**
 * Walks records of the segments from `startIdx` on, validating each one (magic, sizes,
 * PHYSICALOFFSET, body CRC); returns the offset where valid data ends. `visit` sees every valid
 * record at or beyond `visitFrom`.
 */
function scan(ctx: RecoveryContext, startIdx: number, visitFrom: number, visit?: (req: DispatchRequest) => void, checkCRC = ctx.checkCRCOnRecover): number {
  const segs = ctx.commitLog.segments;
  const chunk = Math.max(4 * 1024 * 1024, ctx.maxRecordSize * 2);
  const buf = Buffer.allocUnsafe(Math.min(chunk, ctx.commitLog.fileSize));
  const req = new DispatchRequest();
  let end = segs[startIdx]!.fileFromOffset;
  for (let i = startIdx; i < segs.length; i++) {
    const seg = segs[i]!;
    const size = seg.fileSize;
    let pos = 0;
    let bufStart = 0;
    let bufEnd = 0;
    let reachedBlank = false;
    for (;;) {
      if (pos + 8 > size) {
        reachedBlank = true; // exactly full
        break;
      }
      if (pos + 8 > bufEnd) [bufStart, bufEnd] = fill(ctx.fs, seg, buf, pos);
      const totalSize = buf.readInt32BE(pos - bufStart);
      if (totalSize > 0 && pos + totalSize <= size && pos + totalSize > bufEnd) {
        [bufStart, bufEnd] = fill(ctx.fs, seg, buf, pos);
      }
      const phy = seg.fileFromOffset + pos;
      const r = checkRecord(buf, pos - bufStart, Math.min(bufEnd, size) - pos, phy, checkCRC, ctx.delayLevels, req, visit !== undefined && phy >= visitFrom);
      if (r === 'ok') {
        if (visit && phy >= visitFrom) visit(req);
        pos += totalSize;
        end = seg.fileFromOffset + pos;
      } else if (r === 'blank') {
        end = seg.fileFromOffset + size;
        reachedBlank = true;
        break;
      } else {
        break;
      }
    }
    if (!reachedBlank) return end;
    // The next segment must exist for data to continue; otherwise the log ends at this file's end.
    if (i === segs.length - 1) return end;
  }
  return end;
}

function fill(fs: StoreFs, seg: MappedFile, buf: Buffer, pos: number): [number, number] {
  const len = Math.min(buf.length, seg.fileSize - pos);
  let done = 0;
  while (done < len) {
    const n = fs.readSync(seg.fd, buf, done, len - done, pos + done);
    if (n <= 0) break;
    done += n;
  }
  if (done < len) buf.fill(0, done, len);
  return [pos, pos + len];
}

/** First record's store timestamp of a segment (0 when it does not start with a record). */
function firstStoreTimestamp(ctx: RecoveryContext, seg: MappedFile): number {
  const head = Buffer.alloc(128);
  ctx.fs.readSync(seg.fd, head, 0, 128, 0);
  const magic = head.readInt32BE(4);
  const magicOk = magic === MESSAGE_MAGIC_CODE_V1 || magic === MESSAGE_MAGIC_CODE_V2;
  if (head.readInt32BE(0) <= 0 || !magicOk || readLong(head, 28) !== seg.fileFromOffset) return 0;
  return recordStoreTimestamp(head, 0);
}

/**
 * Startup recovery (RocketMQ `recoverNormally` / `recoverAbnormally`, rockit flavour):
 * 1. find the end of valid data (the last 3 segments after a clean exit; from the checkpoint's
 *    segment after a crash) and cut the tail there;
 * 2. drop consume-queue units and index entries pointing past the end;
 * 3. replay the records the consume queues / index have not seen through the dispatcher.
 */
export function recover(ctx: RecoveryContext, lastExitOK: boolean): RecoveryReport {
  const segs = ctx.commitLog.segments;
  const report: RecoveryReport = { lastExitOK, maxPhyOffset: 0, truncatedTail: false, redispatched: 0, scannedFrom: 0 };
  if (segs.length === 0) {
    for (const cq of ctx.consumeQueues()) cq.truncateDirtyLogicFiles(0);
    ctx.indexService?.prepareWritable(!lastExitOK, 0, () => 0);
    return report;
  }
  let startIdx: number;
  if (lastExitOK) {
    startIdx = Math.max(0, segs.length - 3);
  } else {
    const minTs = ctx.checkpoint.getMinTimestamp();
    startIdx = 0;
    for (let i = segs.length - 1; i >= 0; i--) {
      const ts = firstStoreTimestamp(ctx, segs[i]!);
      if (ts > 0 && ts <= minTs) {
        startIdx = i;
        break;
      }
    }
  }
  report.scannedFrom = segs[startIdx]!.fileFromOffset;
  const end = scan(ctx, startIdx, Number.MAX_SAFE_INTEGER);
  const lastSeg = segs[segs.length - 1]!;
  if (end < lastSeg.fileFromOffset || (end < lastSeg.fileFromOffset + lastSeg.fileSize && !isZeroTail(ctx, lastSeg, end))) {
    report.truncatedTail = true;
    ctx.log.warn({ offset: end }, 'commitlog: torn or corrupt tail truncated');
  }
  ctx.commitLog.truncateDirtyFiles(end);
  report.maxPhyOffset = end;

  let reputFrom = Number.MAX_SAFE_INTEGER;
  let cqMax = -1;
  for (const cq of ctx.consumeQueues()) {
    cq.truncateDirtyLogicFiles(end);
    cqMax = Math.max(cqMax, cq.getMaxPhysicOffset());
  }
  const storeTimestampAt = (phy: number): number => {
    const head = Buffer.alloc(80);
    if (!ctx.commitLog.readInto(phy, head, 0, 80)) return 0;
    return recordStoreTimestamp(head, 0);
  };
  ctx.indexService?.prepareWritable(!lastExitOK, end, storeTimestampAt);

  // After a clean exit everything was dispatched: continue after the furthest evidence of it (so a
  // deleted topic is not resurrected). After a crash, replay from the checkpoint's segment and from
  // wherever the index stopped, whichever is earlier; consume-queue dispatch is idempotent.
  let indexedEnd = -1;
  if (ctx.indexService) {
    const idx = ctx.indexService.indexedUpTo();
    indexedEnd = idx.endPhyOffset;
    if (idx.hasEntries) {
      // endPhyOffset is the start of the last indexed record: continue after it.
      const head = Buffer.alloc(4);
      if (ctx.commitLog.readInto(indexedEnd, head, 0, 4)) indexedEnd += head.readInt32BE(0);
    }
  }
  if (lastExitOK) {
    reputFrom = Math.max(cqMax, indexedEnd, 0);
  } else {
    reputFrom = segs[startIdx]!.fileFromOffset;
    if (indexedEnd >= 0 && indexedEnd < reputFrom) reputFrom = indexedEnd;
  }
  reputFrom = Math.max(reputFrom, ctx.commitLog.getMinOffset());
  if (reputFrom < end) {
    const fromIdx = segs.findIndex((s) => s.fileFromOffset + s.fileSize > reputFrom);
    // The records up to `end` passed the CRC check above (and the tail after it is zeroed): replay without it.
    const crcChecked = report.scannedFrom <= reputFrom;
    scan(
      ctx,
      Math.max(0, fromIdx),
      reputFrom,
      (req) => {
        ctx.dispatch(req);
        report.redispatched++;
      },
      crcChecked ? false : ctx.checkCRCOnRecover,
    );
  }
  return report;
}

function isZeroTail(ctx: RecoveryContext, seg: MappedFile, end: number): boolean {
  const b = Buffer.alloc(8);
  ctx.fs.readSync(seg.fd, b, 0, 8, end - seg.fileFromOffset);
  return b.readInt32BE(0) === 0 && b.readInt32BE(4) === 0;
}
