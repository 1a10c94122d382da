/**
 * Remoting frames (rocketmq-protocol.md §2.1):
 *   frameLength:int32 (= 4 + headerLength + bodyLength) | serializeType:u8 headerLength:u24 | header | body
 */
import { SerializeType } from './codes.js';
import type { RemotingCommand } from './command.js';
import { RemotingProtocolError } from './errors.js';
import { binaryHeaderMaxLength, putInt32, readBinaryHeader, writeBinaryHeader } from './serialize/binary.js';
import { jsonHeaderMaxLength, parseJsonHeader, writeJsonHeader } from './serialize/json.js';
import { readUtf8 } from './serialize/strings.js';

/** Netty's default `com.rocketmq.remoting.frameMaxLength`. */
export const DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;
const MAX_HEADER_LENGTH = 0xffffff;

/** Upper bound of the frame's size without its body (length prefix, type word, header). */
export function frameHeadMaxLength(cmd: RemotingCommand): number {
  return 8 + (cmd.serializeType === SerializeType.ROCKETMQ ? binaryHeaderMaxLength(cmd) : jsonHeaderMaxLength(cmd));
}

/**
 * Writes the frame length, the type word and the header at `offset`, without the body. Returns the number of
 * bytes written, or -1 when they might not fit before `limit` (then grow to `frameHeadMaxLength` and retry).
 */
export function writeFrameHead(cmd: RemotingCommand, buf: Buffer, offset: number, limit: number = buf.length): number {
  let headerLength: number;
  if (cmd.serializeType === SerializeType.ROCKETMQ) {
    headerLength = writeBinaryHeader(cmd, buf, offset + 8, limit);
    if (headerLength < 0) return -1;
  } else {
    headerLength = writeJsonHeader(cmd, buf, offset + 8, limit);
    if (headerLength < 0) return -1;
  }
  if (headerLength > MAX_HEADER_LENGTH) throw new RemotingProtocolError(`header of ${headerLength} bytes is too long`);
  putInt32(buf, offset, 4 + headerLength + cmd.bodyLength);
  putInt32(buf, offset + 4, (cmd.serializeType << 24) | headerLength);
  return 8 + headerLength;
}

/**
 * Reusable single-frame encoder: `encode` writes the whole frame (body included) into an internal buffer that
 * grows as needed and is overwritten by the next call.
 */
export class FrameEncoder {
  buffer: Buffer = Buffer.allocUnsafeSlow(4096);

  /** Encodes `cmd` at the start of `this.buffer`; returns the frame's byte length. */
  encode(cmd: RemotingCommand): number {
    const bodyLength = cmd.bodyLength;
    let n = writeFrameHead(cmd, this.buffer, 0, this.buffer.length - bodyLength);
    if (n < 0) {
      const needed = frameHeadMaxLength(cmd) + bodyLength;
      this.buffer = Buffer.allocUnsafeSlow(Math.max(needed, this.buffer.length * 2));
      n = writeFrameHead(cmd, this.buffer, 0);
      if (n < 0) throw new Error('frameHeadMaxLength underestimated the header');
    }
    if (bodyLength > 0) copyBodyTo(cmd, this.buffer, n);
    return n + bodyLength;
  }
}

/** Encodes a command as a new, exactly sized Buffer. */
export function encodeFrame(cmd: RemotingCommand): Buffer {
  const scratch = Buffer.allocUnsafe(frameHeadMaxLength(cmd));
  const n = writeFrameHead(cmd, scratch, 0);
  if (n < 0) throw new Error('frameHeadMaxLength underestimated the header');
  const bodyLength = cmd.bodyLength;
  if (bodyLength === 0) return Buffer.from(scratch.subarray(0, n));
  const out = Buffer.allocUnsafe(n + bodyLength);
  scratch.copy(out, 0, 0, n);
  copyBodyTo(cmd, out, n);
  return out;
}

/** Copies the body's parts back to back into `buf` at `offset`. */
export function copyBodyTo(cmd: RemotingCommand, buf: Buffer, offset: number): number {
  const parts = cmd.bodyParts;
  if (parts === undefined) return cmd.body!.copy(buf, offset);
  let pos = offset;
  for (const part of parts) pos += part.copy(buf, pos);
  return pos - offset;
}

/**
 * Decodes one complete frame `buf[start, end)` (from the length prefix on). The body is a view into `buf`.
 */
export function decodeFrame(buf: Buffer, start: number, end: number): RemotingCommand {
  if (end - start < 8) throw new RemotingProtocolError(`frame of ${end - start} bytes is too short`);
  const frameLength = (buf[start] << 24) | (buf[start + 1] << 16) | (buf[start + 2] << 8) | buf[start + 3];
  if (frameLength !== end - start - 4) {
    throw new RemotingProtocolError(`frame length ${frameLength} does not match ${end - start - 4} bytes`);
  }
  return decodeFrameContent(buf, start + 4, end);
}

/** Decodes `buf[start, end)` = type word + header + body (the frame without its length prefix). */
function decodeFrameContent(buf: Buffer, start: number, end: number): RemotingCommand {
  const type = buf[start];
  const headerLength = (buf[start + 1] << 16) | (buf[start + 2] << 8) | buf[start + 3];
  const headerStart = start + 4;
  const headerEnd = headerStart + headerLength;
  if (headerEnd > end) {
    throw new RemotingProtocolError(`header length ${headerLength} exceeds frame of ${end - start} bytes`);
  }
  let cmd: RemotingCommand;
  if (type === SerializeType.ROCKETMQ) cmd = readBinaryHeader(buf, headerStart, headerEnd);
  else if (type === SerializeType.JSON) cmd = parseJsonHeader(readUtf8(buf, headerStart, headerEnd));
  else throw new RemotingProtocolError(`unknown serialize type ${type}`);
  if (headerEnd < end) cmd.body = buf.subarray(headerEnd, end);
  return cmd;
}

export interface FrameDecoderOptions {
  /** Largest accepted frame length (the length prefix's value); default 16 MiB. */
  maxFrameSize?: number;
}

/**
 * Streaming frame decoder for one TCP connection: feed it chunks as they arrive, it calls `onFrame` for every
 * complete frame. Frames that lie inside one chunk are decoded in place (bodies are views of the chunk). The
 * pieces of a frame that spans chunks are kept as views until it is complete, then joined with one copy, so
 * memory follows the bytes received, not the length a peer announces. Any protocol violation throws a
 * RemotingProtocolError, after which the decoder must not be used again (the connection should be closed).
 */
export class FrameDecoder {
  readonly maxFrameSize: number;
  /** Partial length prefix. */
  private readonly lengthBytes = Buffer.alloc(4);
  private lengthHave = 0;
  /** Length of the frame being assembled across chunks (without its prefix), or -1. */
  private partialLength = -1;
  private partialParts: Buffer[] = [];
  private partialHave = 0;

  constructor(
    private readonly onFrame: (cmd: RemotingCommand) => void,
    options: FrameDecoderOptions = {},
  ) {
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
  }

  /** Bytes held for an incomplete frame. */
  get buffered(): number {
    return this.partialLength >= 0 ? 4 + this.partialHave : this.lengthHave;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      if (this.partialLength >= 0) {
        const n = Math.min(this.partialLength - this.partialHave, len - pos);
        this.partialParts.push(chunk.subarray(pos, pos + n));
        this.partialHave += n;
        pos += n;
        if (this.partialHave < this.partialLength) return;
        const parts = this.partialParts;
        const frame = parts.length === 1 ? parts[0] : Buffer.concat(parts, this.partialLength);
        this.partialLength = -1;
        this.partialParts = [];
        this.partialHave = 0;
        this.onFrame(decodeFrameContent(frame, 0, frame.length));
        continue;
      }
      let frameLength: number;
      if (this.lengthHave > 0 || len - pos < 4) {
        while (this.lengthHave < 4 && pos < len) this.lengthBytes[this.lengthHave++] = chunk[pos++];
        if (this.lengthHave < 4) return;
        this.lengthHave = 0;
        frameLength = this.checkLength(this.lengthBytes.readInt32BE(0));
      } else {
        frameLength = this.checkLength(chunk.readInt32BE(pos));
        pos += 4;
      }
      if (len - pos >= frameLength) {
        const start = pos;
        pos += frameLength;
        this.onFrame(decodeFrameContent(chunk, start, pos));
      } else {
        this.partialLength = frameLength;
      }
    }
  }

  private checkLength(frameLength: number): number {
    if (frameLength < 4) throw new RemotingProtocolError(`illegal frame length ${frameLength}`);
    if (frameLength > this.maxFrameSize) {
      throw new RemotingProtocolError(`frame length ${frameLength} exceeds the maximum of ${this.maxFrameSize}`);
    }
    return frameLength;
  }
}
