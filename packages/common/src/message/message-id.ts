import { networkInterfaces } from 'node:os';
import { randomBytes } from 'node:crypto';
import { MessageConst } from '../constants/message-const.js';
import { bytesToIp, writeIpBytes, type SocketAddress } from './socket-address.js';

const HEX = '0123456789ABCDEF';
const UNIQ_KEY = MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX;

/** Upper-case hex of `len` bytes at `pos` (`UtilAll.bytes2string`). */
const HEX_CODES = Uint8Array.from(HEX, (c) => c.charCodeAt(0));

export function bytesToHex(src: Uint8Array, pos = 0, len = src.length - pos): string {
  let out = '';
  for (let i = pos; i < pos + len; i++) {
    const b = src[i]!;
    out += HEX[b >> 4]! + HEX[b & 0xf]!;
  }
  return out;
}

export function hexToBytes(hex: string): Buffer {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError(`'${hex}' is not a hex string`);
  return Buffer.from(hex, 'hex');
}

// ---------------------------------------------------------------------------------------------------------------
// Offset message id (§7.1): storeHost ip(4|16) | port(int32) | commitLogOffset(int64), upper-case hex.

/** Builds the offset message id of a record stored at `commitLogOffset` on `storeHost`. */
const offsetIdScratch = Buffer.alloc(28);

export function createOffsetMessageId(storeHost: SocketAddress, commitLogOffset: number): string {
  const buf = offsetIdScratch;
  const ipLen = writeIpBytes(buf, 0, storeHost);
  buf.writeInt32BE(storeHost.port, ipLen);
  writeInt64(buf, ipLen + 4, commitLogOffset);
  return bytesToHex(buf, 0, ipLen + 12);
}

export interface OffsetMessageId {
  address: string;
  port: number;
  commitLogOffset: number;
}

/** Parses an offset message id; IPv4 when it has 32 hex chars, IPv6 (56) otherwise. */
export function decodeOffsetMessageId(msgId: string): OffsetMessageId {
  const bytes = hexToBytes(msgId);
  const ipLen = bytes.length === 16 ? 4 : 16;
  if (bytes.length !== ipLen + 12) throw new RangeError(`'${msgId}' is not an offset message id (32 or 56 hex chars)`);
  return {
    address: bytesToIp(bytes, 0, ipLen),
    port: bytes.readInt32BE(ipLen),
    commitLogOffset: readInt64(bytes, ipLen + 4),
  };
}

const TWO_32 = 4294967296;

/** int64 big-endian as a JS number (exact up to 2^53). */
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_32 + buf.readUInt32BE(pos + 4);
}

export function writeInt64(buf: Buffer, pos: number, value: number): void {
  const hi = Math.floor(value / TWO_32);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(value - hi * TWO_32, pos + 4);
}

// ---------------------------------------------------------------------------------------------------------------
// Client unique id, UNIQ_KEY (§7.2, `MessageClientIDSetter`):
//   ip(4|16) | pid(int16) | classLoaderHash(int32) | millisSinceMonthStart(int32) | counter(int16)

/**
 * The address Java's `UtilAll.getIP` would choose: the first public IPv4 or public IPv6 (not loopback, link-local
 * or site-local), else the first private IPv4; undefined when the host has none.
 */
export function localIpBytes(): Uint8Array | undefined {
  let privateV4: Uint8Array | undefined;
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.internal) continue;
      const bytes = toBytes(a.address);
      if (!bytes) continue;
      if (a.family === 'IPv4') {
        if (!isUsableIPv4(bytes)) continue;
        if (!isPrivateIPv4(bytes)) return bytes;
        privateV4 ??= bytes;
      } else if (isPublicIPv6(bytes)) {
        return bytes;
      }
    }
  }
  return privateV4;
}

function toBytes(address: string): Uint8Array | undefined {
  try {
    const b = Buffer.alloc(16);
    const n = writeIpBytes(b, 0, { address: address.split('%')[0]!, port: 0 });
    return b.subarray(0, n);
  } catch {
    return undefined;
  }
}

function isUsableIPv4(b: Uint8Array): boolean {
  return b[0]! >= 1 && b[0]! <= 223 && b[0] !== 127;
}

function isPrivateIPv4(b: Uint8Array): boolean {
  return b[0] === 10 || (b[0] === 172 && b[1]! >= 16 && b[1]! <= 31) || (b[0] === 192 && b[1] === 168);
}

function isPublicIPv6(b: Uint8Array): boolean {
  const allZero = b.every((x, i) => (i === 15 ? x === 0 || x === 1 : x === 0));
  const linkLocal = b[0] === 0xfe && (b[1]! & 0xc0) === 0x80;
  const siteLocal = b[0] === 0xfe && (b[1]! & 0xc0) === 0xc0;
  return !allZero && !linkLocal && !siteLocal;
}

/** Start of the month containing `now` (local time zone), and of the next one. */
function monthBounds(now: number): { start: number; next: number } {
  const d = new Date(now);
  const start = new Date(d.getFullYear(), d.getMonth(), 1).getTime();
  const next = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
  return { start, next };
}

/**
 * Generates UNIQ_KEYs for this process. The fixed prefix (ip, pid, a random stand-in for Java's class-loader hash)
 * makes ids unique across processes; the time delta and 16-bit counter make them unique within one.
 */
export class MessageClientIDSetter {
  /** The id's text as bytes: the fixed prefix's hex digits once, the 12 digits of time and counter per id. */
  private readonly text: Buffer;
  private readonly prefixLength: number;
  private counter = 0;
  private startTime = 0;
  private nextStartTime = 0;

  constructor(ip: Uint8Array = localIpBytes() ?? createFakeIp(), pid = process.pid, loaderHash = randomBytes(4).readInt32BE(0)) {
    const fixed = Buffer.allocUnsafe(ip.length + 6);
    fixed.set(ip, 0);
    fixed.writeInt16BE((pid << 16) >> 16, ip.length);
    fixed.writeInt32BE(loaderHash, ip.length + 2);
    const prefix = bytesToHex(fixed);
    this.prefixLength = prefix.length;
    this.text = Buffer.alloc(prefix.length + 12);
    this.text.write(prefix, 0, 'latin1');
  }

  createUniqID(now = Date.now()): string {
    if (now >= this.nextStartTime) {
      const b = monthBounds(now);
      this.startTime = b.start;
      this.nextStartTime = b.next;
    }
    const delta = Math.max(0, now - this.startTime) | 0;
    const counter = this.counter & 0xffff;
    this.counter = (this.counter + 1) & 0x7fffffff;
    // Hex digits written in place and read back as one flat string: one native call instead of 13 joined pieces.
    const t = this.text;
    let p = this.prefixLength;
    for (let shift = 28; shift >= 0; shift -= 4) t[p++] = HEX_CODES[(delta >>> shift) & 15]!;
    for (let shift = 12; shift >= 0; shift -= 4) t[p++] = HEX_CODES[(counter >>> shift) & 15]!;
    return (t as Buffer & { latin1Slice(start: number, end: number): string }).latin1Slice(0, p);
  }
}

/** Four bytes from the current time, Java's fallback when the host has no usable address. */
export function createFakeIp(): Uint8Array {
  const b = Buffer.allocUnsafe(8);
  writeInt64(b, 0, Date.now());
  return b.subarray(4, 8);
}

let defaultSetter: MessageClientIDSetter | undefined;

/** A new UNIQ_KEY from the process-wide generator. */
export function createUniqID(): string {
  defaultSetter ??= new MessageClientIDSetter();
  return defaultSetter.createUniqID();
}

/** Gives `msg` a UNIQ_KEY unless it already has one (`MessageClientIDSetter.setUniqID`); returns the key. */
export function setUniqID(msg: { properties: Map<string, string> }): string {
  const existing = msg.properties.get(UNIQ_KEY);
  if (existing !== undefined) return existing;
  const id = createUniqID();
  msg.properties.set(UNIQ_KEY, id);
  return id;
}

export interface UniqIDInfo {
  ip: string;
  pid: number;
  classLoaderHash: number;
  /** Approximate creation time (ms), resolved against the current month like Java's `getNearlyTimeFromID`. */
  time: number;
  counter: number;
}

/** Parses a UNIQ_KEY; the IP is 4 bytes when the id has 32 hex chars, 16 when it has 56. */
export function parseUniqID(id: string, now = Date.now()): UniqIDInfo {
  const bytes = hexToBytes(id);
  const ipLen = bytes.length === 28 ? 16 : 4;
  if (bytes.length !== ipLen + 12) throw new RangeError(`'${id}' is not a message unique id (32 or 56 hex chars)`);
  const span = bytes.readUInt32BE(ipLen + 6);
  const d = new Date(now);
  let monthStart = new Date(d.getFullYear(), d.getMonth(), 1).getTime();
  if (monthStart + span >= now) monthStart = new Date(d.getFullYear(), d.getMonth() - 1, 1).getTime();
  return {
    ip: bytesToIp(bytes, 0, ipLen),
    pid: bytes.readUInt16BE(ipLen),
    classLoaderHash: bytes.readInt32BE(ipLen + 2),
    time: monthStart + span,
    counter: bytes.readUInt16BE(ipLen + 10),
  };
}
