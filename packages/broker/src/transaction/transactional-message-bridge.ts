/**
 * TransactionalMessageBridge + TransactionalMessageUtil (rocketmq-protocol.md §10): how half, op, commit and
 * discarded records are built, in the shapes a 4.9.8 broker writes (see the store fixture's FxTx records).
 */
import {
  MessageConst,
  MessageSysFlag,
  SystemTopic,
  resetTransactionValue,
  tagsString2tagsCode,
  type MessageExtBrokerInner,
  type SocketAddress,
} from '@rockit/common';
import { editProperties, findProperty } from '../processors/stored-properties.js';
import { toInner, type StoredMessage } from '../stored-message.js';

export const HALF_TOPIC = SystemTopic.RMQ_SYS_TRANS_HALF_TOPIC;
export const OP_HALF_TOPIC = SystemTopic.RMQ_SYS_TRANS_OP_HALF_TOPIC;
export const CHECK_MAX_TIME_TOPIC = SystemTopic.RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC;
/** Tag of op records (`TransactionalMessageUtil.REMOVETAG`). */
export const REMOVE_TAG = 'd';
const REMOVE_TAG_CODE = tagsString2tagsCode(REMOVE_TAG);

/**
 * `parseHalfMessageInner`: a prepared message is parked in RMQ_SYS_TRANS_HALF_TOPIC queue 0 with REAL_TOPIC /
 * REAL_QID, its transaction type reset to NOT_TYPE so that it gets a consume-queue entry.
 */
export function parseHalfMessageInner(msg: MessageExtBrokerInner): void {
  const realTopic = msg.topic;
  const realQueueId = msg.queueId;
  msg.propertiesString = editProperties(msg.propertiesString, (p) => {
    p.set(MessageConst.PROPERTY_REAL_TOPIC, realTopic);
    p.set(MessageConst.PROPERTY_REAL_QUEUE_ID, String(realQueueId));
  });
  msg.sysFlag = resetTransactionValue(msg.sysFlag, MessageSysFlag.TRANSACTION_NOT_TYPE);
  msg.topic = HALF_TOPIC;
  msg.queueId = 0;
}

/**
 * `endMessageTransaction`: the committed copy for REAL_TOPIC / REAL_QID. Its properties string is the half's
 * as stored (4.9.8 builds it before clearing TRAN_MSG, so TRAN_MSG and REAL_* stay in the record).
 */
export function commitMessageInner(half: StoredMessage, halfCommitLogOffset: number): MessageExtBrokerInner {
  const inner = toInner(half);
  inner.topic = findProperty(half.propertiesString, MessageConst.PROPERTY_REAL_TOPIC) ?? half.topic;
  inner.queueId = Number(findProperty(half.propertiesString, MessageConst.PROPERTY_REAL_QUEUE_ID) ?? 0);
  inner.tagsCode = tagsString2tagsCode(findProperty(half.propertiesString, MessageConst.PROPERTY_TAGS));
  inner.sysFlag = resetTransactionValue(half.sysFlag, MessageSysFlag.TRANSACTION_COMMIT_TYPE);
  inner.preparedTransactionOffset = halfCommitLogOffset;
  return inner;
}

/**
 * `addRemoveTagInTransactionOp`: the op record of a finished half message, in the op queue of the half's queue:
 * tag `d`, body = the half's queue offset in decimal, born at the broker, no CLUSTER / UNIQ_KEY.
 */
export function opMessageInner(halfQueueOffset: number, queueId: number, brokerHost: SocketAddress): MessageExtBrokerInner {
  return {
    topic: OP_HALF_TOPIC,
    queueId,
    flag: 0,
    body: Buffer.from(String(halfQueueOffset), 'utf8'),
    propertiesString: editProperties('', (p) => {
      p.set(MessageConst.PROPERTY_TAGS, REMOVE_TAG);
      p.set(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, 'true');
    }),
    sysFlag: 0,
    bornTimestamp: Date.now(),
    bornHost: brokerHost,
    storeHost: brokerHost,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    tagsCode: REMOVE_TAG_CODE,
  };
}

/** TRANSACTION_CHECK_TIMES of a half message (0 when never checked). */
export function checkTimesOf(half: StoredMessage): number {
  const n = Number(findProperty(half.propertiesString, MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES) ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * `renewHalfMessageInner`: the half message appended again to the half queue after a check-back, with
 * TRANSACTION_CHECK_TIMES = `checkTimes` (the queue keeps moving while the outcome is unknown).
 */
export function renewHalfMessageInner(half: StoredMessage, checkTimes: number): MessageExtBrokerInner {
  const inner = toInner(half);
  inner.propertiesString = editProperties(half.propertiesString, (p) => p.set(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES, String(checkTimes)));
  inner.tagsCode = tagsString2tagsCode(findProperty(half.propertiesString, MessageConst.PROPERTY_TAGS));
  inner.sysFlag = resetTransactionValue(half.sysFlag, MessageSysFlag.TRANSACTION_NOT_TYPE);
  return inner;
}

/** `AdminBrokerProcessor.toMessageExtBrokerInner` (RESUME_CHECK_HALF_MESSAGE): back to the half queue, checked 0 times. */
export function resumedHalfMessageInner(discarded: StoredMessage): MessageExtBrokerInner {
  const inner = toInner(discarded);
  inner.topic = HALF_TOPIC;
  inner.queueId = 0;
  inner.propertiesString = editProperties(discarded.propertiesString, (p) => p.set(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES, '0'));
  inner.tagsCode = tagsString2tagsCode(findProperty(discarded.propertiesString, MessageConst.PROPERTY_TAGS));
  return inner;
}

/** `DefaultTransactionalMessageCheckListener.toMessageExtBrokerInner`: a half checked too often, set aside. */
export function discardedMessageInner(half: StoredMessage): MessageExtBrokerInner {
  const inner = toInner(half);
  inner.topic = CHECK_MAX_TIME_TOPIC;
  inner.queueId = 0;
  inner.tagsCode = tagsString2tagsCode(findProperty(half.propertiesString, MessageConst.PROPERTY_TAGS));
  inner.sysFlag = 0;
  return inner;
}
