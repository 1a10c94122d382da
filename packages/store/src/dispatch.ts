import type { ConsumeQueue } from './consumequeue/consume-queue.js';
import type { IndexService } from './index/index-service.js';
import { MessageSysFlag, getTransactionValue } from '@rockit/common';
import type { DispatchRequest } from './commitlog/message-record.js';

/**
 * Builds ConsumeQueue units and index entries from commit-log records ("reput"). The put path
 * calls it inline right after appending; recovery replays the commit log through the same code.
 */
export class CommitLogDispatcher {
  constructor(
    private readonly findConsumeQueue: (topic: string, queueId: number) => ConsumeQueue,
    private readonly indexService: IndexService | undefined,
  ) {}

  /** Whether a record of this sysFlag gets a consume-queue unit (not PREPARED / ROLLBACK, §6.3). */
  static dispatchesToQueue(sysFlag: number): boolean {
    const t = getTransactionValue(sysFlag);
    return t === MessageSysFlag.TRANSACTION_NOT_TYPE || t === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
  }

  dispatch(req: DispatchRequest, cq?: ConsumeQueue): void {
    if (CommitLogDispatcher.dispatchesToQueue(req.sysFlag)) {
      (cq ?? this.findConsumeQueue(req.topic, req.queueId)).putMessagePositionInfo(
        req.commitLogOffset,
        req.msgSize,
        req.tagsCode,
        req.consumeQueueOffset,
      );
    }
    this.indexService?.buildIndex(req);
  }
}
