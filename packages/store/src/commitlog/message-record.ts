/**
 * Store-side views of RocketMQ's stored record (protocol §6.1). Encoding and header decoding live in
 * `@rockit/common`; this file adds what only the store needs: the recovery validator (which also
 * checks CRC, PHYSICALOFFSET and the exact declared size), dispatch info, and the tag code rule.
 */
import {
  bodyCrc32,
  findProperty,
  isBornHostV6,
  isStoreHostV6,
  javaStringHashCode,
  MessageConst,
  readInt64,
  SystemTopic,
  BLANK_MAGIC_CODE,
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
} from '@rockit/common';

export const SCHEDULE_TOPIC = SystemTopic.RMQ_SYS_SCHEDULE_TOPIC;
export const TRANSACTION_MASK = 0xc;
const POS_SYSFLAG = 36;
const POS_BORNHOST = 48;

function hostLength(v6: boolean): number {
  return v6 ? 20 : 8;
}

/** Store timestamp of the record at `buf[pos]` (needs its first 80 bytes). */
export function recordStoreTimestamp(buf: Buffer, pos: number): number {
  const sysFlag = buf.readInt32BE(pos + POS_SYSFLAG);
  return readInt64(buf, pos + POS_BORNHOST + hostLength(isBornHostV6(sysFlag)));
}

/**
 * What dispatch needs from one record. One instance is reused for every record on the put and
 * recovery paths, so dispatch allocates nothing per message beyond decoded strings.
 */
export class DispatchRequest {
  topic = '';
  queueId = 0;
  commitLogOffset = 0;
  msgSize = 0;
  tagsCode = 0;
  storeTimestamp = 0;
  consumeQueueOffset = 0;
  sysFlag = 0;
  /** KEYS and UNIQ_KEY are looked up lazily from here by the index. */
  propertiesString = '';
}

/**
 * Tag code as RocketMQ's `CommitLog.checkMessageAndReturnSize` computes it: the TAGS hash, or for
 * SCHEDULE_TOPIC_XXXX the delivery time (store time + the delay of level DELAY, capped at the max level).
 */
export function computeTagsCode(topic: string, props: string, storeTimestamp: number, delayLevels: number[]): number {
  if (topic === SCHEDULE_TOPIC) {
    const level = findProperty(props, MessageConst.PROPERTY_DELAY_TIME_LEVEL);
    if (level !== undefined) {
      let l = Number.parseInt(level, 10);
      if (l > delayLevels.length) l = delayLevels.length;
      const ms = l > 0 ? delayLevels[l - 1] : undefined;
      return ms !== undefined ? storeTimestamp + ms : storeTimestamp + 1000;
    }
  }
  const tags = findProperty(props, MessageConst.PROPERTY_TAGS);
  return tags ? javaStringHashCode(tags) : 0;
}

export type RecordCheck = 'ok' | 'blank' | 'invalid';

/**
 * Validates the record at `buf[pos]` (commit-log offset `phyOffset`) like
 * `checkMessageAndReturnSize`: magic, declared size vs. field lengths, PHYSICALOFFSET, optional body
 * CRC; fills `req` when valid. `avail` is how many bytes of the segment follow `pos` in `buf`.
 */
export function checkRecord(
  buf: Buffer,
  pos: number,
  avail: number,
  phyOffset: number,
  checkCRC: boolean,
  delayLevels: number[],
  req: DispatchRequest,
  decode = true,
): RecordCheck {
  if (avail < 8) return 'invalid';
  const totalSize = buf.readInt32BE(pos);
  const magic = buf.readInt32BE(pos + 4);
  if (magic === BLANK_MAGIC_CODE) return totalSize >= 8 ? 'blank' : 'invalid';
  if (magic !== MESSAGE_MAGIC_CODE_V1 && magic !== MESSAGE_MAGIC_CODE_V2) return 'invalid';
  if (totalSize < 91 || totalSize > avail) return 'invalid';
  const sysFlag = buf.readInt32BE(pos + POS_SYSFLAG);
  const storeTsPos = pos + POS_BORNHOST + hostLength(isBornHostV6(sysFlag));
  const bodyLenPos = storeTsPos + 8 + hostLength(isStoreHostV6(sysFlag)) + 4 + 8;
  if (bodyLenPos + 4 - pos > totalSize) return 'invalid';
  const bodyLen = buf.readInt32BE(bodyLenPos);
  if (bodyLen < 0) return 'invalid';
  const bodyPos = bodyLenPos + 4;
  const v2 = magic === MESSAGE_MAGIC_CODE_V2;
  const topicLenPos = bodyPos + bodyLen;
  if (topicLenPos + (v2 ? 2 : 1) - pos > totalSize) return 'invalid';
  const topicLen = v2 ? buf.readUInt16BE(topicLenPos) : buf.readUInt8(topicLenPos);
  const topicPos = topicLenPos + (v2 ? 2 : 1);
  const propsLenPos = topicPos + topicLen;
  if (propsLenPos + 2 - pos > totalSize) return 'invalid';
  const propsLen = buf.readInt16BE(propsLenPos);
  if (propsLen < 0 || propsLenPos + 2 + propsLen - pos !== totalSize) return 'invalid';
  if (readInt64(buf, pos + 28) !== phyOffset) return 'invalid';
  if (checkCRC && bodyCrc32(buf.subarray(bodyPos, bodyPos + bodyLen)) !== buf.readInt32BE(pos + 8)) return 'invalid';
  if (!decode) return 'ok';
  req.topic = buf.toString('utf8', topicPos, topicPos + topicLen);
  req.queueId = buf.readInt32BE(pos + 12);
  req.consumeQueueOffset = readInt64(buf, pos + 20);
  req.commitLogOffset = phyOffset;
  req.msgSize = totalSize;
  req.sysFlag = sysFlag;
  req.storeTimestamp = readInt64(buf, storeTsPos);
  req.propertiesString = propsLen > 0 ? buf.toString('utf8', propsLenPos + 2, propsLenPos + 2 + propsLen) : '';
  req.tagsCode = computeTagsCode(req.topic, req.propertiesString, req.storeTimestamp, delayLevels);
  return 'ok';
}
