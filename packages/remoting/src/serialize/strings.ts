/**
 * String <-> UTF-8 helpers for the header codecs. Node's Buffer has fast slice/write primitives that its
 * public typings do not list; they exist on every Buffer since Node 0.x and skip argument checks.
 */
interface FastBuffer extends Buffer {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
  utf8Write(s: string, offset: number, length?: number): number;
}

/** Strings of one ASCII byte, so single-letter keys (SEND_MESSAGE_V2's a..n) cost no allocation. */
const ONE_CHAR: string[] = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));

/** Decodes `buf[start, end)` as Latin-1 (one char per byte) in one native call. */
export function readLatin1(buf: Buffer, start: number, end: number): string {
  return (buf as FastBuffer).latin1Slice(start, end);
}

/** Decodes `buf[start, end)` as UTF-8 (a native call; see readUtf8 for the short-string fast path). */
export function readUtf8Native(buf: Buffer, start: number, end: number): string {
  return (buf as FastBuffer).utf8Slice(start, end);
}

/** True when `buf[start, end)` holds only ASCII bytes. */
export function isAsciiRange(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return false;
  return true;
}

const KEY_CACHE_LIMIT = 4096;
const keyCache = new Map<number, string>();

/**
 * Decodes a short ASCII ext key through a cache, so that the same key string (already internalized by V8 as a
 * property name) is reused frame after frame instead of a fresh string that V8 must look up again.
 * Returns undefined when the bytes are not short ASCII.
 */
export function readCachedKey(buf: Buffer, start: number, end: number): string | undefined {
  const len = end - start;
  if (len === 1) {
    const c = buf[start];
    return c < 0x80 ? ONE_CHAR[c] : undefined;
  }
  if (len > 24 || len === 0) return undefined;
  let h = len;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c >= 0x80) return undefined;
    h = (Math.imul(h, 31) + c) | 0;
  }
  const cached = keyCache.get(h);
  if (cached !== undefined && cached.length === len) {
    let same = true;
    for (let i = 0; i < len; i++) {
      if (cached.charCodeAt(i) !== buf[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  const key = (buf as FastBuffer).latin1Slice(start, end);
  if (keyCache.size < KEY_CACHE_LIMIT) keyCache.set(h, key);
  return key;
}

/** Decodes `buf[start, end)` as UTF-8. */
export function readUtf8(buf: Buffer, start: number, end: number): string {
  const len = end - start;
  if (len === 1) {
    const b = buf[start];
    if (b < 0x80) return ONE_CHAR[b];
  }
  if (len < 24) {
    // Short ASCII strings: a JS loop beats the native call's fixed cost.
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return (buf as FastBuffer).latin1Slice(start, end);
  }
  return (buf as FastBuffer).utf8Slice(start, end);
}

/** Writes `s` as UTF-8 at `offset` (the caller has reserved `s.length * 3` bytes); returns the byte count. */
export function writeUtf8(buf: Buffer, offset: number, s: string): number {
  const n = s.length;
  if (n < 48) {
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[offset + i] = c;
    }
    if (i === n) return n;
  }
  return (buf as FastBuffer).utf8Write(s, offset);
}
