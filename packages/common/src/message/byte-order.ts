/**
 * Big-endian integer access for the codec hot paths. Plain index stores/loads skip the argument checks of
 * Buffer#writeInt32BE & co., which dominate when a record has ~20 fixed fields; callers check bounds once per record.
 */

const TWO_32 = 4294967296;

export function putInt32(t: Uint8Array, p: number, v: number): void {
  t[p] = v >>> 24;
  t[p + 1] = v >>> 16;
  t[p + 2] = v >>> 8;
  t[p + 3] = v;
}

/** int64 from a JS number (exact up to 2^53, negative values allowed). */
export function putInt64(t: Uint8Array, p: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  putInt32(t, p, hi);
  putInt32(t, p + 4, v - hi * TWO_32);
}

export function getInt32(s: Uint8Array, p: number): number {
  return (s[p]! << 24) | (s[p + 1]! << 16) | (s[p + 2]! << 8) | s[p + 3]!;
}

export function getInt64(s: Uint8Array, p: number): number {
  return getInt32(s, p) * TWO_32 + (getInt32(s, p + 4) >>> 0);
}

/** Copies `src` to `t[p]`; a plain loop beats the native call for the short topics, hosts and properties of a record. */
export function putBytes(t: Uint8Array, p: number, src: Uint8Array): void {
  const n = src.length;
  if (n > 48) {
    t.set(src, p);
    return;
  }
  for (let i = 0; i < n; i++) t[p + i] = src[i]!;
}
