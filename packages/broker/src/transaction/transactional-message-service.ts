/**
 * TransactionalMessageServiceImpl + TransactionalMessageCheckService (rocketmq-protocol.md §10): finishing half
 * messages (commit copy + op record, or op record only) and checking back the unresolved ones with their
 * producer group every `transactionCheckInterval`.
 *
 * Progress lives where a 4.9 broker keeps it: the consumer offsets of group CID_RMQ_SYS_TRANS on the half and op
 * queues (consumerOffset.json), so a restart resumes checking where it stopped.
 */
import {
  MessageConst,
  MixAll,
  PermName,
  createLogger,
  createOffsetMessageId,
  hostSysFlags,
  storedMessageLength,
  writeStoredMessage,
  type Logger,
  type MessageExtBrokerInner,
  type SocketAddress,
} from '@rockit/common';
import { CheckTransactionStateRequestHeader, RemotingCommand, RequestCode, encodeHeader } from '@rockit/remoting';
import { GetMessageStatus, PutMessageStatus, type MessageStore, type PutMessageResult } from '@rockit/store';
import { remotingChannelOf } from '../client/broker-client-channel.js';
import type { BrokerConfig } from '../config.js';
import type { ConsumerOffsetManager } from '../managers/consumer-offset-manager.js';
import type { ProducerManager } from '../managers/producer-manager.js';
import type { TopicConfigManager } from '../managers/topic-config-manager.js';
import { editProperties, findProperty } from '../processors/stored-properties.js';
import { readStoredMessage, type StoredMessage } from '../stored-message.js';
import {
  HALF_TOPIC,
  OP_HALF_TOPIC,
  checkTimesOf,
  commitMessageInner,
  discardedMessageInner,
  opMessageInner,
  renewHalfMessageInner,
  resumedHalfMessageInner,
} from './transactional-message-bridge.js';

export interface TransactionalMessageServiceOptions {
  config: BrokerConfig;
  store: MessageStore;
  topicConfigManager: TopicConfigManager;
  consumerOffsetManager: ConsumerOffsetManager;
  producerManager: ProducerManager;
  storeHost: SocketAddress;
  logger?: Logger;
}

/** The internal group whose offsets on the half / op queues record the check progress. */
export const TRANS_CHECK_GROUP = MixAll.CID_SYS_RMQ_TRANS;
/** RocketMQ caps one queue's check round at 60 s (`MAX_PROCESS_TIME_LIMIT`). */
const MAX_PROCESS_TIME_LIMIT = 60_000;
/** Op records read per call. */
const PULL_BATCH = 32;
const RW = PermName.PERM_READ | PermName.PERM_WRITE;

/** Why END_TRANSACTION found no half message to finish (§4.5 remarks). */
export type HalfLookup = { half: StoredMessage } | { error: string };

export class TransactionalMessageService {
  readonly logger: Logger;
  /** CHECK_TRANSACTION_STATE requests sent / half messages discarded after transactionCheckMax (runtime info, tests). */
  checksSent = 0;
  discarded = 0;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly o: TransactionalMessageServiceOptions) {
    this.logger = o.logger ?? createLogger('TransactionalMessageService');
  }

  /** `checkPrepareMessage` after `lookMessageByOffset`: the half message END_TRANSACTION names, or why not. */
  findHalf(commitLogOffset: number, producerGroup: string, tranStateTableOffset: number): HalfLookup {
    const record = this.o.store.lookMessageByOffset(commitLogOffset);
    if (record === undefined) return { error: 'Find prepared transaction message failed' };
    let half: StoredMessage;
    try {
      half = readStoredMessage(record, this.o.storeHost);
    } catch {
      return { error: 'Find prepared transaction message failed' };
    }
    if (half.topic !== HALF_TOPIC) return { error: 'Find prepared transaction message failed' };
    if (findProperty(half.propertiesString, MessageConst.PROPERTY_PRODUCER_GROUP) !== producerGroup) return { error: 'The producer group wrong' };
    if (half.queueOffset !== tranStateTableOffset) return { error: 'The transaction state table offset wrong' };
    if (half.commitLogOffset !== commitLogOffset) return { error: 'The commit log offset wrong' };
    return { half };
  }

  /** COMMIT: the copy to the real topic, then the op record. */
  async commit(half: StoredMessage): Promise<PutMessageResult> {
    const result = await this.o.store.putMessage(commitMessageInner(half, half.commitLogOffset));
    if (result.status === PutMessageStatus.PUT_OK) await this.deletePrepareMessage(half);
    return result;
  }

  /** ROLLBACK (and the end of a commit): the op record marking the half message finished. */
  async deletePrepareMessage(half: StoredMessage): Promise<boolean> {
    const result = await this.o.store.putMessage(opMessageInner(half.queueOffset, half.queueId, this.o.storeHost));
    if (result.status !== PutMessageStatus.PUT_OK) {
      this.logger.error({ status: result.status, halfOffset: half.queueOffset }, 'writing the transaction op record failed');
      return false;
    }
    return true;
  }

  /** RESUME_CHECK_HALF_MESSAGE: the record at `commitLogOffset` back to the half queue, checked 0 times; why not otherwise. */
  async resumeCheckHalfMessage(commitLogOffset: number): Promise<string | undefined> {
    const record = this.o.store.lookMessageByOffset(commitLogOffset);
    if (record === undefined) return `no message at commit log offset ${commitLogOffset}`;
    const result = await this.o.store.putMessage(resumedHalfMessageInner(readStoredMessage(record, this.o.storeHost)));
    if (result.status !== PutMessageStatus.PUT_OK) return 'Put message back to RMQ_SYS_TRANS_HALF_TOPIC failed.';
    this.logger.info({ commitLogOffset }, 'half message put back for checking');
    return undefined;
  }

  /** Starts the periodic check (TransactionalMessageCheckService). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.plan();
  }

  private plan(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.checking = this.check().catch((err: unknown) => this.logger.error({ err }, 'transaction check failed'));
      void this.checking.then(() => this.plan());
    }, this.o.config.transactionCheckInterval);
    this.timer.unref();
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.checking;
  }

  /**
   * One check round over the half queues: half messages with an op record are skipped, those older than
   * transactionTimeOut (or their CHECK_IMMUNITY_TIME_IN_SECONDS) are appended again with TRANSACTION_CHECK_TIMES + 1
   * and checked back with a live producer of their group, those checked transactionCheckMax times are set aside
   * in TRANS_CHECK_MAX_TIME_TOPIC. Progress is committed as CID_RMQ_SYS_TRANS offsets.
   */
  async check(): Promise<void> {
    const { store, config, topicConfigManager } = this.o;
    const halfTopic = topicConfigManager.createTopicInSendMessageBackMethod(HALF_TOPIC, 1, RW, 0);
    const startTime = Date.now();
    for (let queueId = 0; queueId < halfTopic.readQueueNums; queueId++) {
      if (store.getMaxOffsetInQueue(HALF_TOPIC, queueId) === 0) continue;
      await this.checkQueue(queueId, startTime, config.transactionTimeOut, config.transactionCheckMax);
    }
  }

  private queryOffset(topic: string, queueId: number): number {
    const offset = this.o.consumerOffsetManager.queryOffset(TRANS_CHECK_GROUP, topic, queueId);
    return offset >= 0 ? offset : Math.max(0, this.o.store.getMinOffsetInQueue(topic, queueId));
  }

  private commitOffset(topic: string, queueId: number, offset: number): void {
    this.o.consumerOffsetManager.commitOffset('TransactionalMessageService', TRANS_CHECK_GROUP, topic, queueId, offset);
  }

  /** Half queue offsets already finished (op records from `opOffset` on) and the op offsets that are done. */
  private async readOps(queueId: number, opOffset: number, halfOffset: number): Promise<{ removed: Map<number, number>; done: number[]; end: number }> {
    const removed = new Map<number, number>();
    const done: number[] = [];
    let offset = opOffset;
    for (;;) {
      const r = await this.o.store.getMessage(TRANS_CHECK_GROUP, OP_HALF_TOPIC, queueId, offset, PULL_BATCH);
      if (r.status !== GetMessageStatus.FOUND) {
        if (r.status === GetMessageStatus.OFFSET_TOO_SMALL || r.status === GetMessageStatus.OFFSET_OVERFLOW_BADLY) {
          if (r.nextBeginOffset !== offset) {
            offset = r.nextBeginOffset;
            continue;
          }
        }
        return { removed, done, end: offset };
      }
      for (let i = 0; i < r.messageBufferList.length; i++) {
        const op = readStoredMessage(r.messageBufferList[i]!, this.o.storeHost);
        const opQueueOffset = r.messageQueueOffsets[i]!;
        const halfQueueOffset = Number(op.body.toString('utf8'));
        if (!Number.isInteger(halfQueueOffset) || halfQueueOffset < halfOffset) done.push(opQueueOffset);
        else removed.set(halfQueueOffset, opQueueOffset);
      }
      offset = r.nextBeginOffset;
    }
  }

  private async halfAt(queueId: number, offset: number): Promise<StoredMessage | undefined> {
    const r = await this.o.store.getMessage(TRANS_CHECK_GROUP, HALF_TOPIC, queueId, offset, 1);
    const buf = r.status === GetMessageStatus.FOUND ? r.messageBufferList[0] : undefined;
    return buf === undefined ? undefined : readStoredMessage(buf, this.o.storeHost);
  }

  private async checkQueue(queueId: number, startTime: number, transactionTimeOut: number, transactionCheckMax: number): Promise<void> {
    const { store } = this.o;
    const halfOffset = this.queryOffset(HALF_TOPIC, queueId);
    const opOffset = this.queryOffset(OP_HALF_TOPIC, queueId);
    const { removed, done } = await this.readOps(queueId, opOffset, halfOffset);
    const maxHalf = store.getMaxOffsetInQueue(HALF_TOPIC, queueId);
    let i = halfOffset;
    while (i < maxHalf && Date.now() - startTime < MAX_PROCESS_TIME_LIMIT && !this.stopped) {
      const opDone = removed.get(i);
      if (opDone !== undefined) {
        done.push(opDone);
        removed.delete(i);
        i++;
        continue;
      }
      const half = await this.halfAt(queueId, i);
      if (half === undefined) {
        // Removed by retention or not dispatched yet: RocketMQ skips what is gone and stops at the end.
        if (i < store.getMinOffsetInQueue(HALF_TOPIC, queueId)) {
          i++;
          continue;
        }
        break;
      }
      // Appended during this round (a re-put of ours, or a new send): next round.
      if (half.storeTimestamp >= startTime) break;
      const checkTimes = checkTimesOf(half);
      const tooOld = Date.now() - half.bornTimestamp > this.o.config.fileReservedTime * 3_600_000;
      if (checkTimes >= transactionCheckMax || tooOld) {
        await this.discard(half, tooOld ? 'older than fileReservedTime' : `checked ${checkTimes} times`);
        i++;
        continue;
      }
      const age = Date.now() - half.bornTimestamp;
      const immunitySeconds = Number(findProperty(half.propertiesString, MessageConst.PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS));
      const immunity = Number.isFinite(immunitySeconds) && immunitySeconds > 0 ? immunitySeconds * 1000 : transactionTimeOut;
      // Newer half messages follow: none of them is due yet.
      if (age >= 0 && age < immunity) break;
      const renewed = await this.putBackHalfMsgQueue(half, checkTimes + 1);
      if (renewed === undefined) break; // retried next round
      this.sendCheckMessage(renewed);
      i++;
    }
    if (i !== halfOffset) this.commitOffset(HALF_TOPIC, queueId, i);
    const newOpOffset = nextOpOffset(opOffset, done);
    if (newOpOffset !== opOffset) this.commitOffset(OP_HALF_TOPIC, queueId, newOpOffset);
  }

  /** The half message appended again with its new check count; its new position is what the producer is asked about. */
  private async putBackHalfMsgQueue(half: StoredMessage, checkTimes: number): Promise<StoredMessage | undefined> {
    const inner = renewHalfMessageInner(half, checkTimes);
    const result = await this.o.store.putMessage(inner);
    const append = result.appendResult;
    if (result.status !== PutMessageStatus.PUT_OK || append === undefined) {
      this.logger.error({ status: result.status, halfOffset: half.queueOffset }, 'putting a half message back failed');
      return undefined;
    }
    // As 4.9.8: the check names the new position; the store time stays the original half's.
    return { ...half, ...inner, commitLogOffset: append.wroteOffset, queueOffset: append.queueOffset };
  }

  private async discard(half: StoredMessage, why: string): Promise<void> {
    this.o.topicConfigManager.createTopicOfTranCheckMaxTime(1, RW);
    const result = await this.o.store.putMessage(discardedMessageInner(half));
    this.discarded++;
    this.logger.warn(
      {
        uniqKey: findProperty(half.propertiesString, MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX),
        producerGroup: findProperty(half.propertiesString, MessageConst.PROPERTY_PRODUCER_GROUP),
        halfOffset: half.queueOffset,
        status: result.status,
      },
      `half message discarded (${why}), moved to TRANS_CHECK_MAX_TIME_TOPIC`,
    );
  }

  /** CHECK_TRANSACTION_STATE (oneway) to one live producer of the half message's group. */
  private sendCheckMessage(half: StoredMessage): void {
    const group = findProperty(half.propertiesString, MessageConst.PROPERTY_PRODUCER_GROUP) ?? '';
    const channel = this.o.producerManager.getAvailableChannel(group);
    const remoting = channel === undefined ? undefined : remotingChannelOf(channel);
    if (remoting === undefined || !remoting.isOpen) {
      this.logger.warn({ group, halfOffset: half.queueOffset }, 'no live producer of the group to check a transaction with');
      return;
    }
    const uniqKey = findProperty(half.propertiesString, MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    const offsetMsgId = createOffsetMessageId(this.o.storeHost, half.commitLogOffset);
    const header = encodeHeader(
      {
        tranStateTableOffset: half.queueOffset,
        commitLogOffset: half.commitLogOffset,
        msgId: uniqKey ?? offsetMsgId,
        transactionId: uniqKey ?? offsetMsgId,
        offsetMsgId,
      },
      CheckTransactionStateRequestHeader,
    );
    const request = RemotingCommand.createRequest(RequestCode.CHECK_TRANSACTION_STATE, header, encodeCheckBody(half)).markOneway();
    try {
      remoting.send(request);
      this.checksSent++;
    } catch (err) {
      this.logger.warn({ err, group }, 'CHECK_TRANSACTION_STATE could not be sent');
    }
  }
}

/** The op queue offset up to which every op record is done (`calculateOpOffset`). */
function nextOpOffset(opOffset: number, done: number[]): number {
  const set = new Set(done);
  let offset = opOffset;
  while (set.has(offset)) offset++;
  return offset;
}

/**
 * `MessageDecoder.encode` of the half message with its real topic and queue: the check request's body. 4.9.8's
 * message there also carries WAIT=false (set on the re-put after its stored properties were built).
 */
function encodeCheckBody(half: StoredMessage): Buffer {
  const msg: MessageExtBrokerInner = {
    ...half,
    propertiesString: editProperties(half.propertiesString, (p) => p.set(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, 'false')),
    topic: findProperty(half.propertiesString, MessageConst.PROPERTY_REAL_TOPIC) ?? half.topic,
    queueId: Number(findProperty(half.propertiesString, MessageConst.PROPERTY_REAL_QUEUE_ID) ?? half.queueId),
    sysFlag: half.sysFlag | hostSysFlags(half.bornHost, half.storeHost),
  };
  const size = storedMessageLength(Buffer.byteLength(msg.topic), msg.body.length, Buffer.byteLength(msg.propertiesString), msg.sysFlag);
  const buf = Buffer.alloc(size);
  writeStoredMessage(buf, 0, msg, half.queueOffset, half.commitLogOffset, half.storeTimestamp);
  return buf;
}
