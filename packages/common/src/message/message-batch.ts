/**
 * SEND_BATCH_MESSAGE body (§6.7): a concatenation of
 *   TOTALSIZE i32 (= 22 + bodyLen + propsLen) | MAGICCODE i32 (0) | BODYCRC i32 (0) | FLAG i32 | BODYLENGTH i32 |
 *   BODY | PROPERTIESLENGTH i16 | PROPERTIES
 */
import { MessageDecodeError } from './message-codec.js';
import type { Message } from './message.js';
import { messageProperties2String } from './message-properties.js';

const BATCH_FIXED = 4 + 4 + 4 + 4 + 4 + 2;

/** One message of a batch body; `body` is a view into the batch buffer (no copy). */
export interface BatchMessageEntry {
  flag: number;
  body: Buffer;
  propertiesString: string;
  /** Position of this entry in the batch buffer and its total size. */
  position: number;
  totalSize: number;
}

/** Encodes the batch body a producer sends (`MessageDecoder.encodeMessages`). */
export function encodeBatchMessages(messages: readonly Message[]): Buffer {
  const props = messages.map((m) => Buffer.from(messageProperties2String(m.properties), 'utf8'));
  let total = 0;
  for (let i = 0; i < messages.length; i++) total += BATCH_FIXED + messages[i]!.body.length + props[i]!.length;
  const out = Buffer.allocUnsafe(total);
  let p = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const pb = props[i]!;
    if (pb.length > 32767) throw new RangeError(`message properties too long: ${pb.length} bytes (max 32767)`);
    const size = BATCH_FIXED + m.body.length + pb.length;
    out.writeInt32BE(size, p);
    out.writeInt32BE(0, p + 4); // magic: ignored by the broker
    out.writeInt32BE(0, p + 8); // body CRC: computed by the broker
    out.writeInt32BE(m.flag, p + 12);
    out.writeInt32BE(m.body.length, p + 16);
    m.body.copy(out, p + 20);
    p += 20 + m.body.length;
    out.writeInt16BE(pb.length, p);
    pb.copy(out, p + 2);
    p += 2 + pb.length;
  }
  return out;
}

/** Iterates the messages of a batch body without copying bodies. Throws MessageDecodeError on a malformed entry. */
export function* iterateBatchMessages(buf: Buffer): Generator<BatchMessageEntry> {
  let p = 0;
  while (p < buf.length) {
    if (p + BATCH_FIXED > buf.length) throw new MessageDecodeError(`truncated batch entry at ${p}`);
    const totalSize = buf.readInt32BE(p);
    const flag = buf.readInt32BE(p + 12);
    const bodyLen = buf.readInt32BE(p + 16);
    if (bodyLen < 0 || p + 20 + bodyLen + 2 > buf.length) throw new MessageDecodeError(`bad batch body length at ${p}`);
    const body = buf.subarray(p + 20, p + 20 + bodyLen);
    let q = p + 20 + bodyLen;
    const propsLen = buf.readInt16BE(q);
    q += 2;
    if (propsLen < 0 || q + propsLen > buf.length) throw new MessageDecodeError(`bad batch properties length at ${p}`);
    const propertiesString = buf.toString('utf8', q, q + propsLen);
    q += propsLen;
    if (totalSize !== q - p) throw new MessageDecodeError(`batch entry at ${p}: TOTALSIZE ${totalSize} != ${q - p}`);
    yield { flag, body, propertiesString, position: p, totalSize };
    p = q;
  }
}

export function decodeBatchMessages(buf: Buffer): BatchMessageEntry[] {
  return [...iterateBatchMessages(buf)];
}

/**
 * Stored properties of a batch member (`MessageExtBatchEncoder`): the member's own properties, a separator when they
 * are non-empty and do not end with one, then the batch's properties.
 */
export function mergeBatchProperties(inner: string, batch: string): string {
  if (inner.length === 0) return batch;
  if (batch.length === 0) return inner;
  return inner.endsWith('\u0002') ? inner + batch : `${inner}\u0002${batch}`;
}
