import type { Socket } from 'node:net';
import type { RemotingCommand } from './command.js';
import { copyBodyTo, frameHeadMaxLength, writeFrameHead } from './frame.js';

const CHUNK_SIZE = 64 * 1024;
/** Bodies up to this size are copied next to their header; larger ones are written as their own Buffer. */
const COPY_BODY_LIMIT = 8 * 1024;

/**
 * Outgoing frames of one connection. Frames queued during one turn of the event loop are encoded back to back
 * into a 64 KiB chunk and written together in the next turn (one writev per turn instead of one write per frame).
 * A chunk is reused until it is full: the written part of it is never touched again, so no copy is needed.
 */
export class OutboundBuffer {
  private chunk: Buffer = Buffer.allocUnsafeSlow(CHUNK_SIZE);
  /** Start of the bytes not yet handed to the socket. */
  private start = 0;
  private pos = 0;
  private readonly pieces: Buffer[] = [];
  private scheduled = false;
  private readonly flushNow = () => this.flush();

  constructor(private readonly socket: Socket) {}

  write(cmd: RemotingCommand): void {
    const bodyLength = cmd.bodyLength;
    const copyBody = bodyLength <= COPY_BODY_LIMIT;
    const bodyRoom = copyBody ? bodyLength : 0;
    let n = writeFrameHead(cmd, this.chunk, this.pos, this.chunk.length - bodyRoom);
    if (n < 0) {
      this.reserve(frameHeadMaxLength(cmd) + bodyRoom);
      n = writeFrameHead(cmd, this.chunk, this.pos);
      if (n < 0) throw new Error('frameHeadMaxLength underestimated the header');
    }
    this.pos += n;
    if (bodyLength > 0) {
      if (copyBody) {
        this.pos += copyBodyTo(cmd, this.chunk, this.pos);
      } else {
        // A large body goes out as its own Buffers (a pull's stored records: views, written by one writev).
        this.cut();
        const parts = cmd.bodyParts;
        if (parts === undefined) this.pieces.push(cmd.body!);
        else for (const part of parts) this.pieces.push(part);
      }
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushNow);
    }
  }

  /** Hands everything queued to the socket. */
  flush(): void {
    this.scheduled = false;
    this.cut();
    const pieces = this.pieces;
    if (pieces.length === 0 || this.socket.destroyed) {
      pieces.length = 0;
      return;
    }
    if (pieces.length === 1) {
      this.socket.write(pieces[0]);
    } else {
      this.socket.cork();
      for (const p of pieces) this.socket.write(p);
      this.socket.uncork();
    }
    pieces.length = 0;
  }

  private cut(): void {
    if (this.pos > this.start) {
      this.pieces.push(this.chunk.subarray(this.start, this.pos));
      this.start = this.pos;
    }
  }

  private reserve(n: number): void {
    if (this.chunk.length - this.pos >= n) return;
    this.cut();
    this.chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_SIZE, n));
    this.start = this.pos = 0;
  }
}
