/**
 * ROCKETMQ binary header (serialize type 1), rocketmq-protocol.md §2.3:
 *   code:int16 language:u8 version:int16 opaque:int32 flag:int32
 *   remarkLen:int32 remark  extLen:int32 { keyLen:int16 key valLen:int32 val }*
 * A zero string length means null: an empty remark is absent, an entry with an empty key or value is dropped.
 */
import { LanguageCode, SerializeType } from '../codes.js';
import { RemotingCommand, type ExtFields } from '../command.js';
import { RemotingProtocolError } from '../errors.js';
import { readUtf8, writeUtf8 } from './strings.js';

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

/** Writes the header at `offset`; returns its byte length. */
export function writeBinaryHeader(cmd: RemotingCommand, buf: Buffer, offset: number): number {
  let p = offset;
  buf.writeInt16BE((cmd.code << 16) >> 16, p);
  buf[p + 2] = cmd.language >= 0 ? cmd.language : LanguageCode.OTHER;
  buf.writeInt16BE((cmd.version << 16) >> 16, p + 3);
  buf.writeInt32BE(cmd.opaque | 0, p + 5);
  buf.writeInt32BE(cmd.flag | 0, p + 9);
  p += 13;
  const remark = cmd.remark;
  const remarkLen = remark === undefined || remark.length === 0 ? 0 : writeUtf8(buf, p + 4, remark);
  buf.writeInt32BE(remarkLen, p);
  p += 4 + remarkLen;
  const extStart = p;
  p += 4;
  const ext = cmd.extFields;
  if (ext !== undefined) {
    for (const k in ext) {
      const kl = writeUtf8(buf, p + 2, k);
      buf.writeInt16BE(kl, p);
      p += 2 + kl;
      const vl = writeUtf8(buf, p + 4, ext[k]);
      buf.writeInt32BE(vl, p);
      p += 4 + vl;
    }
  }
  buf.writeInt32BE(p - extStart - 4, extStart);
  return p - offset;
}

function malformed(what: string): RemotingProtocolError {
  return new RemotingProtocolError(`malformed ROCKETMQ header: ${what}`);
}

/** Decodes the header in `buf[start, end)`. Duplicate ext keys: the last one wins, as in Java's HashMap. */
export function readBinaryHeader(buf: Buffer, start: number, end: number): RemotingCommand {
  if (end - start < FIXED) throw malformed(`header of ${end - start} bytes is shorter than ${FIXED}`);
  const cmd = new RemotingCommand(buf.readInt16BE(start));
  const lang = buf[start + 2];
  cmd.language = lang <= LanguageCode.NODE_JS ? lang : -1;
  cmd.version = buf.readInt16BE(start + 3);
  cmd.opaque = buf.readInt32BE(start + 5);
  cmd.flag = buf.readInt32BE(start + 9);
  cmd.serializeType = SerializeType.ROCKETMQ;
  let p = start + 13;
  const remarkLen = buf.readInt32BE(p);
  p += 4;
  if (remarkLen < 0 || remarkLen > end - p) throw malformed(`remark length ${remarkLen}`);
  if (remarkLen > 0) cmd.remark = readUtf8(buf, p, p + remarkLen);
  p += remarkLen;
  if (end - p < 4) throw malformed('missing ext fields length');
  const extLen = buf.readInt32BE(p);
  p += 4;
  if (extLen < 0 || extLen > end - p) throw malformed(`ext fields length ${extLen}`);
  if (extLen > 0) cmd.extFields = readExtFields(buf, p, p + extLen);
  return cmd;
}

function readExtFields(buf: Buffer, p: number, end: number): ExtFields {
  const ext: ExtFields = {};
  while (p < end) {
    if (end - p < 2) throw malformed('truncated ext key length');
    const kl = buf.readInt16BE(p);
    p += 2;
    if (kl < 0 || kl > end - p - 4) throw malformed(`ext key length ${kl}`);
    const ks = p;
    p += kl;
    const vl = buf.readInt32BE(p);
    p += 4;
    if (vl < 0 || vl > end - p) throw malformed(`ext value length ${vl}`);
    if (kl > 0 && vl > 0) setExtField(ext, readUtf8(buf, ks, ks + kl), readUtf8(buf, p, p + vl));
    p += vl;
  }
  return ext;
}

/** Plain assignment, except that a key named `__proto__` must become an own property. */
export function setExtField(ext: ExtFields, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(ext, key, { value, enumerable: true, writable: true, configurable: true });
  else ext[key] = value;
}
