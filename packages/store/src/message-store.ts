/**
 * The MessageStore contract the broker depends on (RocketMQ `MessageStore`). The file store is the
 * default implementation; the memory store runs the same engine on RAM.
 */

import type { MessageExtBrokerInner } from '@rockit/common';

/**
 * A message as the broker hands it to the store (`@rockit/common`). The store assigns the store
 * timestamp, recomputes tagsCode for SCHEDULE_TOPIC_XXXX and sets the IPv6 host bits of sysFlag.
 */
export type { MessageExtBrokerInner };

export enum PutMessageStatus {
  PUT_OK = 'PUT_OK',
  FLUSH_DISK_TIMEOUT = 'FLUSH_DISK_TIMEOUT',
  FLUSH_SLAVE_TIMEOUT = 'FLUSH_SLAVE_TIMEOUT',
  SLAVE_NOT_AVAILABLE = 'SLAVE_NOT_AVAILABLE',
  SERVICE_NOT_AVAILABLE = 'SERVICE_NOT_AVAILABLE',
  CREATE_MAPEDFILE_FAILED = 'CREATE_MAPEDFILE_FAILED',
  MESSAGE_ILLEGAL = 'MESSAGE_ILLEGAL',
  PROPERTIES_SIZE_EXCEEDED = 'PROPERTIES_SIZE_EXCEEDED',
  OS_PAGECACHE_BUSY = 'OS_PAGECACHE_BUSY',
  UNKNOWN_ERROR = 'UNKNOWN_ERROR',
}

export interface AppendMessageResult {
  /** Commit-log offset of the (first) record. */
  wroteOffset: number;
  wroteBytes: number;
  /** Offset message id(s) (storeHost + commit-log offset); comma-joined for a batch. */
  msgId: string;
  /** Queue offset of the (first) record. */
  queueOffset: number;
  storeTimestamp: number;
  msgNum: number;
}

export interface PutMessageResult {
  status: PutMessageStatus;
  /** Why the put was refused (absent for PUT_OK). */
  remark?: string;
  appendResult?: AppendMessageResult;
}

export enum GetMessageStatus {
  FOUND = 'FOUND',
  NO_MATCHED_MESSAGE = 'NO_MATCHED_MESSAGE',
  MESSAGE_WAS_REMOVING = 'MESSAGE_WAS_REMOVING',
  OFFSET_FOUND_NULL = 'OFFSET_FOUND_NULL',
  OFFSET_OVERFLOW_BADLY = 'OFFSET_OVERFLOW_BADLY',
  OFFSET_OVERFLOW_ONE = 'OFFSET_OVERFLOW_ONE',
  OFFSET_TOO_SMALL = 'OFFSET_TOO_SMALL',
  NO_MATCHED_LOGIC_QUEUE = 'NO_MATCHED_LOGIC_QUEUE',
  NO_MESSAGE_IN_QUEUE = 'NO_MESSAGE_IN_QUEUE',
}

export interface GetMessageResult {
  status: GetMessageStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  /** Raw stored records exactly as in the commit log, one Buffer each (forward them undecoded). */
  messageBufferList: Buffer[];
  /** Queue offsets of the returned records, parallel to `messageBufferList`. */
  messageQueueOffsets: number[];
  bufferTotalSize: number;
  msgCount: number;
  suggestPullingFromSlave: boolean;
}

/** Consume-queue extension unit (RocketMQ `ConsumeQueueExt.CqExtUnit`); rockit never writes one. */
export interface CqExtUnit {
  tagsCode: number;
  msgStoreTime: number;
  filterBitMap?: Buffer;
}

/** Plugged in by the broker: tag-hash filtering on the consume queue, SQL92 on the record. */
export interface MessageFilter {
  isMatchedByConsumeQueue(tagsCode: number | undefined, cqExtUnit?: CqExtUnit): boolean;
  /** `msgBuffer` is the raw stored record. */
  isMatchedByCommitLog(msgBuffer?: Buffer, properties?: Map<string, string>): boolean;
}

export interface QueryMessageResult {
  /** Raw stored records, ascending commit-log offset. */
  messageBufferList: Buffer[];
  phyOffsets: number[];
  indexLastUpdateTimestamp: number;
  indexLastUpdatePhyoffset: number;
  bufferTotalSize: number;
}

export type MessageArrivingListener = (
  topic: string,
  queueId: number,
  logicOffset: number,
  tagsCode: number,
  storeTimestamp: number,
  filterBitMap: Buffer | undefined,
  propertiesString: string | undefined,
) => void;

export interface QueueStats {
  topic: string;
  queueId: number;
  minOffset: number;
  maxOffset: number;
  msgCount: number;
  lastStoreTimestamp: number;
}

export interface StoreStats {
  putMessageTimesTotal: number;
  putMessageSizeTotal: number;
  /** Messages per second over the last 10 s / 1 min. */
  putTps10s: number;
  putTps60s: number;
  getMessageTimesTotalFound: number;
  getMessageTimesTotalMiss: number;
  commitLogMinOffset: number;
  commitLogMaxOffset: number;
  commitLogDiskRatio: number;
  consumeQueueCount: number;
  readOnlyReason?: string;
}

/** One 20-byte consume-queue unit: where the message is in the commit log, its size and its tags code. */
export interface ConsumeQueueUnit {
  physicOffset: number;
  physicSize: number;
  tagsCode: number;
}

export interface MessageStore {
  start(): Promise<void>;
  shutdown(): Promise<void>;
  /** Deletes every file of the store (after shutdown). */
  destroy(): Promise<void>;

  putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult>;
  /** All messages share topic and queue; stored contiguously with consecutive queue offsets. */
  putMessages(batch: MessageExtBrokerInner[]): Promise<PutMessageResult>;

  getMessage(
    group: string,
    topic: string,
    queueId: number,
    offset: number,
    maxMsgNums: number,
    filter?: MessageFilter,
  ): Promise<GetMessageResult>;
  /** The raw record at a commit-log offset; `size` skips reading the length first. */
  lookMessageByOffset(commitLogOffset: number, size?: number): Buffer | undefined;

  getMaxOffsetInQueue(topic: string, queueId: number): number;
  getMinOffsetInQueue(topic: string, queueId: number): number;
  getCommitLogOffsetInQueue(topic: string, queueId: number, consumeQueueOffset: number): number;
  getOffsetInQueueByTime(topic: string, queueId: number, timestamp: number): number;
  getMinPhyOffset(): number;
  getMaxPhyOffset(): number;
  queryMessage(topic: string, key: string, maxNum: number, begin: number, end: number): QueryMessageResult;
  getEarliestMessageTime(topic?: string, queueId?: number): number;
  getMessageStoreTimeStamp(topic: string, queueId: number, consumeQueueOffset: number): number;

  /**
   * Up to `count` consume-queue units from queue offset `index` (QUERY_CONSUME_QUEUE, mqadmin queryCq): fewer at the
   * queue's end, none when `index` is below the queue's min offset; undefined when the store has no such queue.
   */
  getConsumeQueueUnits(topic: string, queueId: number, index: number, count: number): ConsumeQueueUnit[] | undefined;
  getQueueStats(topic: string, queueId: number): QueueStats | undefined;
  getStoreStats(): StoreStats;
  getRuntimeInfo(): Record<string, string>;

  addMessageArrivingListener(listener: MessageArrivingListener): void;
  removeMessageArrivingListener(listener: MessageArrivingListener): void;

  /**
   * Removes consume queues whose messages are all gone from the commit log (or whose topic is not in `liveTopics`);
   * never the schedule topic's, whose offsets the delay service keeps.
   */
  cleanExpiredConsumeQueue(liveTopics?: Set<string>): void;
  deleteTopics(topics: Iterable<string>): number;
  /** Runs retention now, as if at `deleteWhen` (mqadmin deleteExpiredCommitLog). */
  executeDeleteFilesManually(): void;
  /** Topics/queues that have a consume queue. */
  getConsumeQueueTable(): Map<string, number[]>;
  isReadOnly(): boolean;
}
