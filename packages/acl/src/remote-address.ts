/**
 * Address patterns of plain_acl.yml (RemoteAddressStrategyFactory facts): blank matches nothing; `*`, `*.*.*.*` and
 * `*:*:*:*:*:*:*:*` match all; `a,b,c` is a list of exact addresses; `192.168.1.{1,2,3}` lists last segments;
 * segments may be `*` or a range `1-100` (`192.168.*`, `192.168.1.1-100`); anything else matches exactly.
 */
export type RemoteAddressMatcher = (ip: string) => boolean;

const NOTHING: RemoteAddressMatcher = () => false;
const EVERYTHING: RemoteAddressMatcher = () => true;

/** One segment pattern: `*`, `a-b` or a literal (decimal for IPv4, hex for IPv6). */
function segmentMatcher(pattern: string, radix: number): (segment: string) => boolean {
  if (pattern === '*') return () => true;
  const range = /^([0-9a-fA-F]+)-([0-9a-fA-F]+)$/.exec(pattern);
  if (range) {
    const lo = parseInt(range[1]!, radix);
    const hi = parseInt(range[2]!, radix);
    return (s) => {
      const n = parseInt(s, radix);
      return Number.isInteger(n) && n >= lo && n <= hi;
    };
  }
  const exact = parseInt(pattern, radix);
  return (s) => parseInt(s, radix) === exact;
}

export function remoteAddressMatcher(pattern: string): RemoteAddressMatcher {
  const p = pattern.trim();
  if (p === '') return NOTHING;
  if (p === '*' || p === '*.*.*.*' || p === '*:*:*:*:*:*:*:*') return EVERYTHING;
  if (p.includes('{')) {
    const m = /^(.*[.:])\{([^}]*)\}$/.exec(p);
    if (!m) return (ip) => ip === p;
    const prefix = m[1]!;
    const lasts = new Set(m[2]!.split(',').map((x) => x.trim()));
    return (ip) => ip.startsWith(prefix) && lasts.has(ip.slice(prefix.length));
  }
  if (p.includes(',')) {
    const list = new Set(p.split(',').map((x) => x.trim()));
    return (ip) => list.has(ip);
  }
  if (p.includes('*') || p.includes('-')) {
    const v6 = p.includes(':');
    const separator = v6 ? ':' : '.';
    const segments = p.split(separator).map((s) => segmentMatcher(s, v6 ? 16 : 10));
    return (ip) => {
      const parts = ip.split(separator);
      // A pattern with fewer segments (`192.168.*`) leaves the rest free.
      if (parts.length < segments.length) return false;
      return segments.every((match, i) => match(parts[i]!));
    };
  }
  return (ip) => ip === p;
}
