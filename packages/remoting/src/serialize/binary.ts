/**
 * ROCKETMQ binary header (serialize type 1), rocketmq-protocol.md §2.3:
 *   code:int16 language:u8 version:int16 opaque:int32 flag:int32
 *   remarkLen:int32 remark  extLen:int32 { keyLen:int16 key valLen:int32 val }*
 * A zero string length means null: an empty remark is absent, an entry with an empty key or value is dropped.
 */
import { LanguageCode, SerializeType } from '../codes.js';
import { RemotingCommand, type ExtFields } from '../command.js';
import { RemotingProtocolError } from '../errors.js';
import { ExtFieldsCollector } from './ext-shapes.js';
import { isAsciiRange, readCachedKey, readLatin1, readUtf8, readUtf8Native, writeUtf8 } from './strings.js';

const FIXED = 2 + 1 + 2 + 4 + 4 + 4 + 4;

/** Upper bound of the encoded header size (3 bytes per UTF-16 unit covers every UTF-8 sequence). */
export function binaryHeaderMaxLength(cmd: RemotingCommand): number {
  let n = FIXED;
  if (cmd.remark !== undefined) n += cmd.remark.length * 3;
  const ext = cmd.extFields;
  if (ext !== undefined) {
    for (const k in ext) n += 6 + (k.length + ext[k].length) * 3;
  }
  return n;
}

function putInt16(b: Buffer, p: number, v: number): void {
  b[p] = v >>> 8;
  b[p + 1] = v;
}
/** Big-endian int32 without Buffer's argument checks (the writer reserved the room). */
export function putInt32(b: Buffer, p: number, v: number): void {
  b[p] = v >>> 24;
  b[p + 1] = v >>> 16;
  b[p + 2] = v >>> 8;
  b[p + 3] = v;
}

/**
 * Writes the header at `offset`; returns its byte length, or -1 when it might not fit before `limit`
 * (checked per string at 3 bytes per UTF-16 unit, so nothing is written past `limit`).
 */
export function writeBinaryHeader(cmd: RemotingCommand, buf: Buffer, offset: number, limit: number = buf.length): number {
  let p = offset;
  if (limit - p < FIXED) return -1;
  if (cmd.code !== (cmd.code << 16) >> 16) {
    throw new RemotingProtocolError(`code ${cmd.code} does not fit the 16-bit ROCKETMQ header; use JSON`);
  }
  putInt16(buf, p, cmd.code);
  buf[p + 2] = cmd.language >= 0 ? cmd.language : LanguageCode.OTHER;
  putInt16(buf, p + 3, cmd.version);
  putInt32(buf, p + 5, cmd.opaque);
  putInt32(buf, p + 9, cmd.flag);
  p += 13;
  const remark = cmd.remark;
  if (remark !== undefined && limit - p < 8 + remark.length * 3) return -1;
  const remarkLen = remark === undefined || remark.length === 0 ? 0 : writeUtf8(buf, p + 4, remark);
  putInt32(buf, p, remarkLen);
  p += 4 + remarkLen;
  const extStart = p;
  p += 4;
  const ext = cmd.extFields;
  if (ext !== undefined) {
    for (const k in ext) {
      const v = ext[k];
      if (limit - p < 6 + (k.length + v.length) * 3) return -1;
      const kl = writeUtf8(buf, p + 2, k);
      putInt16(buf, p, kl);
      p += 2 + kl;
      const vl = writeUtf8(buf, p + 4, v);
      putInt32(buf, p, vl);
      p += 4 + vl;
    }
  }
  putInt32(buf, extStart, p - extStart - 4);
  return p - offset;
}

function malformed(what: string): RemotingProtocolError {
  return new RemotingProtocolError(`malformed ROCKETMQ header: ${what}`);
}

// Plain big-endian reads: the header is bounds-checked as it is walked, so Buffer's per-call checks are redundant.
const int16 = (b: Buffer, p: number) => (((b[p] << 8) | b[p + 1]) << 16) >> 16;
const int32 = (b: Buffer, p: number) => (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];

/** Decodes the header in `buf[start, end)`. Duplicate ext keys: the last one wins, as in Java's HashMap. */
export function readBinaryHeader(buf: Buffer, start: number, end: number): RemotingCommand {
  if (end - start < FIXED) throw malformed(`header of ${end - start} bytes is shorter than ${FIXED}`);
  const cmd = new RemotingCommand(int16(buf, start));
  const lang = buf[start + 2];
  cmd.language = lang <= LanguageCode.NODE_JS ? lang : -1;
  cmd.version = int16(buf, start + 3);
  cmd.opaque = int32(buf, start + 5);
  cmd.flag = int32(buf, start + 9);
  cmd.serializeType = SerializeType.ROCKETMQ;
  let p = start + 13;
  const remarkLen = int32(buf, p);
  p += 4;
  if (remarkLen < 0 || remarkLen > end - p) throw malformed(`remark length ${remarkLen}`);
  if (remarkLen > 0) cmd.remark = readUtf8(buf, p, p + remarkLen);
  p += remarkLen;
  if (end - p < 4) throw malformed('missing ext fields length');
  const extLen = int32(buf, p);
  p += 4;
  if (extLen < 0 || extLen > end - p) throw malformed(`ext fields length ${extLen}`);
  if (extLen > 0) cmd.extFields = readExtFields(buf, p, p + extLen);
  return cmd;
}

/**
 * The ext block is read as one Latin-1 string (one native call) and cut with substring; a key or value with
 * bytes >= 0x80 is decoded again as UTF-8 on its own.
 */
const collector = new ExtFieldsCollector();

function readExtFields(buf: Buffer, p: number, end: number): ExtFields {
  collector.reset();
  const base = p;
  const text = readLatin1(buf, p, end);
  while (p < end) {
    if (end - p < 6) throw malformed('truncated ext entry');
    const kl = int16(buf, p);
    p += 2;
    if (kl < 0 || kl > end - p - 4) throw malformed(`ext key length ${kl}`);
    const ks = p;
    p += kl;
    const vl = int32(buf, p);
    p += 4;
    if (vl < 0 || vl > end - p) throw malformed(`ext value length ${vl}`);
    if (kl > 0 && vl > 0) {
      const key = readCachedKey(buf, ks, ks + kl) ?? readUtf8Native(buf, ks, ks + kl);
      const value = isAsciiRange(buf, p, p + vl) ? text.substring(p - base, p - base + vl) : readUtf8Native(buf, p, p + vl);
      collector.add(key, value);
    }
    p += vl;
  }
  return collector.build();
}
