/**
 * The stored message record (§6.1), shared by the commit log and PULL/QUERY/VIEW response bodies:
 *
 *   TOTALSIZE i32 | MAGICCODE i32 | BODYCRC i32 | QUEUEID i32 | FLAG i32 | QUEUEOFFSET i64 | PHYSICALOFFSET i64 |
 *   SYSFLAG i32 | BORNTIMESTAMP i64 | BORNHOST ip(4|16)+port i32 | STORETIMESTAMP i64 | STOREHOST ip(4|16)+port i32 |
 *   RECONSUMETIMES i32 | PREPARED_TRANSACTION_OFFSET i64 | BODYLENGTH i32 | BODY | TOPICLENGTH (V1 i8, V2 i16) |
 *   TOPIC | PROPERTIESLENGTH i16 | PROPERTIES
 *
 * Host sizes follow sysFlag bits 4 (born) and 5 (store); the topic-length size follows the magic code.
 */
import * as zlib from 'node:zlib';
import { deflateSync, inflateSync } from 'node:zlib';
import { MessageSysFlag, getCompressionType, isBornHostV6, isStoreHostV6 } from '../constants/message-sys-flag.js';
import { MessageExt } from './message-ext.js';
import { getInt32, getInt64, putBytes, putInt32, putInt64 } from './byte-order.js';
import { string2messageProperties } from './message-properties.js';
import { bytesToIp, isIPv6Address, writeIpBytes, type SocketAddress } from './socket-address.js';

/** Magic code of V1 records (1-byte topic length). */
export const MESSAGE_MAGIC_CODE_V1 = 0xdaa320a7 | 0; // -626843481
/** Magic code of V2 records (2-byte topic length, 5.x, topics longer than 127 bytes). */
export const MESSAGE_MAGIC_CODE_V2 = 0xdaa320ab | 0; // -626843477
/** Magic code of the end-of-file marker. */
export const BLANK_MAGIC_CODE = 0xcbd43194 | 0; // -875286124
/**
 * Size of the end-of-file marker (TOTALSIZE + MAGICCODE). A record is written to the current commit-log file only when
 * `msgLen + END_FILE_MIN_BLANK_LENGTH <= remaining`; otherwise the marker (TOTALSIZE = remaining, BLANK magic) is
 * written and the record goes to the start of the next file.
 */
export const END_FILE_MIN_BLANK_LENGTH = 8;

/** Whether a record of `msgLen` bytes fits into a file with `remaining` free bytes (leaving room for the marker). */
export function fitsInCommitLogFile(msgLen: number, remaining: number): boolean {
  return msgLen + END_FILE_MIN_BLANK_LENGTH <= remaining;
}

/** Writes the end-of-file marker at `pos`: TOTALSIZE = remaining, MAGICCODE = BLANK. Returns 8. */
export function writeBlankMarker(target: Buffer, pos: number, remaining: number): number {
  target.writeInt32BE(remaining, pos);
  target.writeInt32BE(BLANK_MAGIC_CODE, pos + 4);
  return END_FILE_MIN_BLANK_LENGTH;
}

/** Positions of fixed fields (same for every record variant). */
export const StoredMessageOffsets = {
  TOTALSIZE: 0,
  MAGICCODE: 4,
  BODYCRC: 8,
  QUEUEID: 12,
  FLAG: 16,
  QUEUEOFFSET: 20,
  PHYSICALOFFSET: 28,
  SYSFLAG: 36,
  BORNTIMESTAMP: 40,
  BORNHOST: 48,
} as const;

export class MessageDecodeError extends Error {
  override readonly name = 'MessageDecodeError';
}

// zlib.crc32 exists from Node 20.15; older Node 20 releases get the table-driven version below.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
let crcTable: Int32Array | undefined;

/** Standard reflected CRC-32 (poly 0xEDB88320), used only when Node lacks `zlib.crc32`. */
export function crc32Fallback(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = -1;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** `UtilAll.crc32`: CRC-32 with the top bit cleared. */
export function bodyCrc32(body: Uint8Array): number {
  return (nativeCrc32 ? nativeCrc32(body) : crc32Fallback(body)) & 0x7fffffff;
}

/** Record length (`calMsgLength`). V2 magic adds one byte of topic length; each IPv6 host adds 12. */
export function storedMessageLength(
  topicLen: number,
  bodyLen: number,
  propertiesLen: number,
  sysFlag = 0,
  magic: number = topicLen > 127 ? MESSAGE_MAGIC_CODE_V2 : MESSAGE_MAGIC_CODE_V1,
): number {
  const bornHostLen = sysFlag & MessageSysFlag.BORNHOST_V6_FLAG ? 20 : 8;
  const storeHostLen = sysFlag & MessageSysFlag.STOREHOSTADDRESS_V6_FLAG ? 20 : 8;
  const topicLenSize = magic === MESSAGE_MAGIC_CODE_V2 ? 2 : 1;
  return 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + bornHostLen + 8 + storeHostLen + 4 + 8 + 4 + bodyLen + topicLenSize + topicLen + 2 + propertiesLen;
}

/** sysFlag host bits matching the address families of born and store host. */
export function hostSysFlags(bornHost: SocketAddress, storeHost: SocketAddress): number {
  return (
    (isIPv6Address(bornHost.address) ? MessageSysFlag.BORNHOST_V6_FLAG : 0) |
    (isIPv6Address(storeHost.address) ? MessageSysFlag.STOREHOSTADDRESS_V6_FLAG : 0)
  );
}

/**
 * What the broker hands the store for one message: send-header fields plus the raw body. The store writes it
 * straight into its append buffer with `writeStoredMessage`.
 */
export interface MessageExtBrokerInner {
  topic: string;
  queueId: number;
  flag: number;
  body: Buffer;
  propertiesString: string;
  /** Must carry the IPv6 host bits when a host is IPv6 (see `hostSysFlags`). */
  sysFlag: number;
  bornTimestamp: number;
  bornHost: SocketAddress;
  storeHost: SocketAddress;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  /** Consume-queue tag code (tag hash, or delivery time for SCHEDULE_TOPIC_XXXX); not part of the record. */
  tagsCode: number;
  storeTimestamp?: number;
}

/**
 * Writes the record for `msg` at `target[pos]` and returns its length. Pass `encodedTopic` / `encodedProps` (UTF-8)
 * when the caller has them, to skip measuring the strings; with them (and hosts with `ipBytes` or IPv4 text) nothing is
 * allocated. V2 magic is used only when the topic is longer than 127 bytes (as a 5.x broker does).
 * The caller checks the space first (`storedMessageLength`); a short target throws RangeError.
 */
export function writeStoredMessage(
  target: Buffer,
  pos: number,
  msg: MessageExtBrokerInner,
  queueOffset: number,
  physicalOffset: number,
  storeTimestamp: number,
  encodedTopic?: Uint8Array,
  encodedProps?: Uint8Array,
): number {
  const topicLen = encodedTopic ? encodedTopic.length : Buffer.byteLength(msg.topic, 'utf8');
  const propsLen = encodedProps ? encodedProps.length : Buffer.byteLength(msg.propertiesString, 'utf8');
  if (propsLen > 32767) throw new RangeError(`message properties too long: ${propsLen} bytes (max 32767)`);
  if (topicLen > 32767) throw new RangeError(`topic too long: ${topicLen} bytes`);
  const magic = topicLen > 127 ? MESSAGE_MAGIC_CODE_V2 : MESSAGE_MAGIC_CODE_V1;
  const sysFlag = msg.sysFlag;
  const bodyLen = msg.body.length;
  const total = storedMessageLength(topicLen, bodyLen, propsLen, sysFlag, magic);
  if (pos + total > target.length) throw new RangeError(`record of ${total} bytes does not fit at ${pos}`);

  putInt32(target, pos, total);
  putInt32(target, pos + 4, magic);
  putInt32(target, pos + 8, bodyCrc32(msg.body));
  putInt32(target, pos + 12, msg.queueId);
  putInt32(target, pos + 16, msg.flag);
  putInt64(target, pos + 20, queueOffset);
  putInt64(target, pos + 28, physicalOffset);
  putInt32(target, pos + 36, sysFlag);
  putInt64(target, pos + 40, msg.bornTimestamp);
  let p = writeHost(target, pos + 48, msg.bornHost, isBornHostV6(sysFlag));
  putInt64(target, p, storeTimestamp);
  p = writeHost(target, p + 8, msg.storeHost, isStoreHostV6(sysFlag));
  putInt32(target, p, msg.reconsumeTimes);
  putInt64(target, p + 4, msg.preparedTransactionOffset);
  putInt32(target, p + 12, bodyLen);
  p += 16;
  target.set(msg.body, p);
  p += bodyLen;
  if (magic === MESSAGE_MAGIC_CODE_V2) {
    target[p] = topicLen >>> 8;
    target[p + 1] = topicLen;
    p += 2;
  } else {
    target[p] = topicLen;
    p += 1;
  }
  if (encodedTopic) putBytes(target, p, encodedTopic);
  else target.write(msg.topic, p, topicLen, 'utf8');
  p += topicLen;
  target[p] = propsLen >>> 8;
  target[p + 1] = propsLen;
  p += 2;
  if (encodedProps) putBytes(target, p, encodedProps);
  else if (propsLen > 0) target.write(msg.propertiesString, p, propsLen, 'utf8');
  return total;
}

function writeHost(target: Buffer, pos: number, host: SocketAddress, v6: boolean): number {
  if (v6 !== isIPv6Address(host.address)) {
    throw new RangeError(`host ${host.address} does not match the sysFlag IPv6 bit (use hostSysFlags)`);
  }
  const n = writeIpBytes(target, pos, host);
  putInt32(target, pos + n, host.port);
  return pos + n + 4;
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

export interface DecodeOptions {
  /** Inflate zlib bodies when the compressed flag is set (default true). LZ4/ZSTD bodies then throw. */
  decompress?: boolean;
  /** Read the body at all (default true); when false `body` is empty. */
  readBody?: boolean;
  /**
   * Copy the body out of `buf` (default false: `body` is a view into `buf`, which is fine for pull bodies but not
   * for a buffer that will be reused).
   */
  copyBody?: boolean;
}

/** The fixed part of a record and its variable-field positions, read without decoding the body. */
export interface StoredMessageHeader {
  totalSize: number;
  magicCode: number;
  bodyCRC: number;
  queueId: number;
  flag: number;
  queueOffset: number;
  physicalOffset: number;
  sysFlag: number;
  bornTimestamp: number;
  storeTimestamp: number;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  /** Absolute position of the body in the buffer, and its length. */
  bodyPosition: number;
  bodyLength: number;
  topic: string;
  propertiesString: string;
}

function checkMagic(magic: number, pos: number): void {
  if (magic !== MESSAGE_MAGIC_CODE_V1 && magic !== MESSAGE_MAGIC_CODE_V2) {
    const hex = (magic >>> 0).toString(16).toUpperCase();
    throw new MessageDecodeError(
      magic === BLANK_MAGIC_CODE ? `end-of-file marker at ${pos}` : `bad magic code 0x${hex} at ${pos}`,
    );
  }
}

/** Reads the header fields, topic and properties string of the record at `pos`; never touches the body bytes. */
export function readStoredMessageHeader(buf: Buffer, pos: number): StoredMessageHeader {
  const end = buf.length;
  if (pos + 4 + 4 > end) throw new MessageDecodeError(`truncated record at ${pos}`);
  const totalSize = getInt32(buf, pos);
  const magicCode = getInt32(buf, pos + 4);
  checkMagic(magicCode, pos);
  const sysFlag = pos + 40 <= end ? getInt32(buf, pos + 36) : 0;
  if (totalSize < storedMessageLength(0, 0, 0, sysFlag, magicCode) || pos + totalSize > end) {
    throw new MessageDecodeError(`record at ${pos} claims ${totalSize} bytes, ${end - pos} available`);
  }
  const recEnd = pos + totalSize;
  const bornHostLen = isBornHostV6(sysFlag) ? 20 : 8;
  const storeHostLen = isStoreHostV6(sysFlag) ? 20 : 8;
  let p = pos + 48 + bornHostLen;
  const storeTimestamp = getInt64(buf, p);
  p += 8 + storeHostLen;
  const reconsumeTimes = getInt32(buf, p);
  const preparedTransactionOffset = getInt64(buf, p + 4);
  const bodyLength = getInt32(buf, p + 12);
  const bodyPosition = p + 16;
  p = bodyPosition + bodyLength;
  if (bodyLength < 0 || p > recEnd) throw new MessageDecodeError(`bad body length ${bodyLength} at ${pos}`);
  let topicLen: number;
  if (magicCode === MESSAGE_MAGIC_CODE_V2) {
    topicLen = buf.readInt16BE(p);
    p += 2;
  } else {
    topicLen = buf.readInt8(p);
    p += 1;
  }
  if (topicLen < 0 || p + topicLen + 2 > recEnd) throw new MessageDecodeError(`bad topic length at ${pos}`);
  const topic = buf.toString('utf8', p, p + topicLen);
  p += topicLen;
  const propsLen = buf.readInt16BE(p);
  p += 2;
  if (propsLen < 0 || p + propsLen > recEnd) throw new MessageDecodeError(`bad properties length at ${pos}`);
  const propertiesString = propsLen > 0 ? buf.toString('utf8', p, p + propsLen) : '';
  return {
    totalSize,
    magicCode,
    bodyCRC: getInt32(buf, pos + 8),
    queueId: getInt32(buf, pos + 12),
    flag: getInt32(buf, pos + 16),
    queueOffset: getInt64(buf, pos + 20),
    physicalOffset: getInt64(buf, pos + 28),
    sysFlag,
    bornTimestamp: getInt64(buf, pos + 40),
    storeTimestamp,
    reconsumeTimes,
    preparedTransactionOffset,
    bodyPosition,
    bodyLength,
    topic,
    propertiesString,
  };
}

function readHost(buf: Buffer, pos: number, v6: boolean): SocketAddress {
  const ipLen = v6 ? 16 : 4;
  return { address: bytesToIp(buf, pos, ipLen), port: getInt32(buf, pos + ipLen) };
}

/** Inflates a compressed body; zlib (type 0 or 0x300) only. */
export function decompressBody(body: Uint8Array, sysFlag: number): Buffer {
  let type: string;
  try {
    type = getCompressionType(sysFlag);
  } catch (e) {
    throw new MessageDecodeError((e as Error).message);
  }
  if (type !== 'ZLIB') {
    throw new MessageDecodeError(`cannot decompress a ${type} message body: only zlib is supported`);
  }
  try {
    return inflateSync(body);
  } catch (e) {
    throw new MessageDecodeError(`corrupt zlib message body: ${(e as Error).message}`);
  }
}

/** Default zlib level of the Java producer (`rocketmq.message.compressLevel`). */
export const DEFAULT_COMPRESS_LEVEL = 5;

/** Compresses a body the way the Java producer does (zlib stream, level 5); pair with `setCompressionType(f, 'ZLIB')`. */
export function compressBody(body: Uint8Array, level = DEFAULT_COMPRESS_LEVEL): Buffer {
  return deflateSync(body, { level });
}

/**
 * Decodes the record at `pos` into a MessageExt (`MessageDecoder.decode`). `sysFlag` stays as stored even when the
 * body was inflated (as in Java); decode with `decompress: false` to get the stored bytes back.
 */
export function decodeMessage(buf: Buffer, pos = 0, opts: DecodeOptions = {}): MessageExt {
  const h = readStoredMessageHeader(buf, pos);
  const msg = new MessageExt(h.topic);
  msg.storeSize = h.totalSize;
  msg.magicCode = h.magicCode;
  msg.bodyCRC = h.bodyCRC;
  msg.queueId = h.queueId;
  msg.flag = h.flag;
  msg.queueOffset = h.queueOffset;
  msg.commitLogOffset = h.physicalOffset;
  msg.sysFlag = h.sysFlag;
  msg.bornTimestamp = h.bornTimestamp;
  msg.storeTimestamp = h.storeTimestamp;
  msg.reconsumeTimes = h.reconsumeTimes;
  msg.preparedTransactionOffset = h.preparedTransactionOffset;
  const bornV6 = isBornHostV6(h.sysFlag);
  msg.bornHost = readHost(buf, pos + 48, bornV6);
  msg.storeHost = readHost(buf, pos + 48 + (bornV6 ? 20 : 8) + 8, isStoreHostV6(h.sysFlag));
  if (opts.readBody !== false && h.bodyLength > 0) {
    const raw = buf.subarray(h.bodyPosition, h.bodyPosition + h.bodyLength);
    if (opts.decompress !== false && h.sysFlag & MessageSysFlag.COMPRESSED_FLAG) {
      msg.body = decompressBody(raw, h.sysFlag);
    } else {
      msg.body = opts.copyBody ? Buffer.from(raw) : raw;
    }
  }
  msg.properties = string2messageProperties(h.propertiesString);
  return msg;
}

/**
 * Decodes every record of a pull/query body (`MessageDecoder.decodes`). Like RocketMQ, it stops at the first record
 * that fails to decode and returns what it has.
 */
export function decodeMessages(buf: Buffer, opts: DecodeOptions = {}): MessageExt[] {
  const out: MessageExt[] = [];
  let pos = 0;
  while (pos < buf.length) {
    let msg: MessageExt;
    try {
      msg = decodeMessage(buf, pos, opts);
    } catch {
      break;
    }
    out.push(msg);
    pos += msg.storeSize;
  }
  return out;
}
