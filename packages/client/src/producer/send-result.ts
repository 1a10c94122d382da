/** What a send returns (RocketMQ `SendResult`). */
import { ResponseCode } from '@rockit/remoting';
import type { MessageQueue } from '../message-queue.js';

export type SendStatus = 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

export interface SendResult {
  sendStatus: SendStatus;
  /** The client id (UNIQ_KEY); comma-joined for a batch. */
  msgId: string;
  /** The broker's offset id (store host + commit-log offset); comma-joined for a batch. */
  offsetMsgId: string;
  messageQueue: MessageQueue;
  /** Consume-queue offset (the first message's, for a batch). */
  queueOffset: number;
  transactionId?: string;
  regionId: string;
  traceOn: boolean;
}

/** Response codes a broker answers a stored message with, and the status each means. */
export const SEND_STATUS_BY_CODE: ReadonlyMap<number, SendStatus> = new Map([
  [ResponseCode.SUCCESS, 'SEND_OK'],
  [ResponseCode.FLUSH_DISK_TIMEOUT, 'FLUSH_DISK_TIMEOUT'],
  [ResponseCode.FLUSH_SLAVE_TIMEOUT, 'FLUSH_SLAVE_TIMEOUT'],
  [ResponseCode.SLAVE_NOT_AVAILABLE, 'SLAVE_NOT_AVAILABLE'],
]);

/** Failure codes after which the producer tries another broker (`DefaultMQProducerImpl.sendDefaultImpl`). */
export const RETRY_ON_CODES: ReadonlySet<number> = new Set<number>([
  ResponseCode.TOPIC_NOT_EXIST,
  ResponseCode.SERVICE_NOT_AVAILABLE,
  ResponseCode.SYSTEM_ERROR,
  ResponseCode.NO_PERMISSION,
  ResponseCode.NO_BUYER_ID,
  ResponseCode.NOT_IN_CURRENT_UNIT,
]);
