/**
 * A stored record turned back into a message to store again (RocketMQ's schedule delivery, transaction commit and
 * half re-put): every field as stored, the body kept as stored (compressed stays compressed).
 */
import {
  MessageSysFlag,
  decodeMessage,
  readStoredMessageHeader,
  type MessageExtBrokerInner,
  type SocketAddress,
} from '@rockit/common';

export interface StoredMessage extends MessageExtBrokerInner {
  /** Where the record lives. */
  commitLogOffset: number;
  queueOffset: number;
  storeTimestamp: number;
}

const HOST_V6_FLAGS = MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG;

/** Decodes `record` (one raw stored record) with its properties string exactly as stored and a copy of the body. */
export function readStoredMessage(record: Buffer, storeHost: SocketAddress): StoredMessage {
  const h = readStoredMessageHeader(record, 0);
  const ext = decodeMessage(record, 0, { decompress: false, readBody: false });
  return {
    topic: h.topic,
    queueId: h.queueId,
    flag: h.flag,
    body: Buffer.from(record.subarray(h.bodyPosition, h.bodyPosition + h.bodyLength)),
    propertiesString: h.propertiesString,
    // The store sets the IPv6 host bits from the hosts it writes.
    sysFlag: h.sysFlag & ~HOST_V6_FLAGS,
    bornTimestamp: h.bornTimestamp,
    bornHost: ext.bornHost,
    storeHost,
    reconsumeTimes: h.reconsumeTimes,
    preparedTransactionOffset: h.preparedTransactionOffset,
    tagsCode: 0,
    commitLogOffset: h.physicalOffset,
    queueOffset: h.queueOffset,
    storeTimestamp: h.storeTimestamp,
  };
}

/** The message to store again: `StoredMessage` without its position fields. */
export function toInner(m: StoredMessage): MessageExtBrokerInner {
  return {
    topic: m.topic,
    queueId: m.queueId,
    flag: m.flag,
    body: m.body,
    propertiesString: m.propertiesString,
    sysFlag: m.sysFlag,
    bornTimestamp: m.bornTimestamp,
    bornHost: m.bornHost,
    storeHost: m.storeHost,
    reconsumeTimes: m.reconsumeTimes,
    preparedTransactionOffset: m.preparedTransactionOffset,
    tagsCode: m.tagsCode,
  };
}
