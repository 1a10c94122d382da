import { isIPv4, isIPv6 } from 'node:net';

/** A host as stored in a message record: IP address text plus port. */
export interface SocketAddress {
  address: string;
  port: number;
  /** The address as 4 or 16 bytes, when already parsed (`toSocketAddress` fills it): saves re-parsing on every write. */
  ipBytes?: Uint8Array;
}

/** Parses "a.b.c.d:port" or "[v6]:port" (also bare "v6:port" with the port after the last colon). */
export function parseSocketAddress(text: string): SocketAddress {
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') throw new RangeError(`bad socket address '${text}'`);
    host = text.slice(1, close);
    portText = text.slice(close + 2);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) throw new RangeError(`bad socket address '${text}' (no port)`);
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new RangeError(`bad port in socket address '${text}'`);
  return toSocketAddress(host, port);
}

/** A SocketAddress with its address bytes parsed once. */
export function toSocketAddress(address: string, port: number): SocketAddress {
  return { address, port, ipBytes: ipToBytes(address) };
}

/** "127.0.0.1:10911" or "[::1]:10911". */
export function formatSocketAddress(addr: SocketAddress): string {
  return addr.address.includes(':') ? `[${addr.address}]:${addr.port}` : `${addr.address}:${addr.port}`;
}

export function isIPv6Address(address: string): boolean {
  return address.includes(':');
}

/** The address as 4 (IPv4) or 16 (IPv6, including IPv4-embedded forms) bytes. */
export function ipToBytes(address: string): Uint8Array {
  const zone = address.indexOf('%');
  const a = zone >= 0 ? address.slice(0, zone) : address;
  if (isIPv4(a)) {
    const out = new Uint8Array(4);
    writeIPv4(a, out, 0);
    return out;
  }
  if (!isIPv6(a)) throw new RangeError(`'${address}' is not an IP address`);
  return ipv6ToBytes(a);
}

function writeIPv4(a: string, out: Uint8Array, pos: number): void {
  let part = 0;
  let value = 0;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    if (c === 0x2e) {
      out[pos + part++] = value;
      value = 0;
    } else {
      value = value * 10 + (c - 0x30);
    }
  }
  out[pos + part] = value;
}

function ipv6ToBytes(a: string): Uint8Array {
  const out = new Uint8Array(16);
  const dbl = a.indexOf('::');
  const head = dbl >= 0 ? a.slice(0, dbl) : a;
  const tail = dbl >= 0 ? a.slice(dbl + 2) : '';
  const headBytes = groupsToBytes(head);
  const tailBytes = groupsToBytes(tail);
  out.set(headBytes, 0);
  out.set(tailBytes, 16 - tailBytes.length);
  return out;
}

function groupsToBytes(part: string): number[] {
  if (part.length === 0) return [];
  const bytes: number[] = [];
  for (const g of part.split(':')) {
    if (g.includes('.')) {
      const v4 = new Uint8Array(4);
      writeIPv4(g, v4, 0);
      bytes.push(...v4);
    } else {
      const v = parseInt(g, 16);
      bytes.push(v >> 8, v & 0xff);
    }
  }
  return bytes;
}

/** Writes the address bytes of `addr` at `pos`; returns the byte count (4 or 16). No allocation for IPv4 text. */
export function writeIpBytes(target: Uint8Array, pos: number, addr: SocketAddress): number {
  const ip = addr.ipBytes;
  if (ip) {
    for (let i = 0; i < ip.length; i++) target[pos + i] = ip[i]!;
    return ip.length;
  }
  if (!isIPv6Address(addr.address)) {
    writeIPv4(addr.address, target, pos);
    return 4;
  }
  const bytes = ipv6ToBytes(addr.address);
  target.set(bytes, pos);
  return 16;
}

/** IP text of 4 or 16 bytes at `pos`: dotted quad, or RFC 5952 compressed IPv6. */
export function bytesToIp(src: Uint8Array, pos: number, len: 4 | 16): string {
  if (len === 4) return `${src[pos]}.${src[pos + 1]}.${src[pos + 2]}.${src[pos + 3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((src[pos + i]! << 8) | src[pos + i + 1]!);
  // longest run (>= 2) of zero groups is shortened to '::'
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
