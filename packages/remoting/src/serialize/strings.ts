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
