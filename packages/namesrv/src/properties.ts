/**
 * Java `Properties` text (RocketMQ config files and UPDATE_NAMESRV_CONFIG bodies): `key=value`,
 * `key: value` or `key value`, `#`/`!` comments, backslash escapes and line continuations. Leading
 * whitespace of a value is dropped, trailing whitespace is kept, as Java does.
 */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] as string).replace(/^[ \t\f]+/, '');
    if (line === '' || line[0] === '#' || line[0] === '!') continue;
    // An odd number of trailing backslashes continues the logical line.
    while (endsWithOddBackslashes(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + (lines[++i] as string).replace(/^[ \t\f]+/, '');
    }
    const { key, rest } = splitKey(line);
    out.set(unescape(key), unescape(rest));
  }
  return out;
}

function endsWithOddBackslashes(line: string): boolean {
  let n = 0;
  for (let j = line.length - 1; j >= 0 && line[j] === '\\'; j--) n++;
  return n % 2 === 1;
}

function splitKey(line: string): { key: string; rest: string } {
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    i++;
  }
  const key = line.slice(0, i);
  let j = i;
  while (j < line.length && /[ \t\f]/.test(line[j] as string)) j++;
  if (j < line.length && (line[j] === '=' || line[j] === ':')) j++;
  while (j < line.length && /[ \t\f]/.test(line[j] as string)) j++;
  return { key, rest: line.slice(j) };
}

const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, seq: string) =>
    seq.length === 5 ? String.fromCharCode(parseInt(seq.slice(1), 16)) : (ESCAPES[seq] ?? seq),
  );
}

/** `key=value` lines (RocketMQ `MixAll.properties2String`), keys sorted for stable output. */
export function formatProperties(entries: Iterable<[string, string]>): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.map(([k, v]) => `${k}=${v}\n`).join('');
}
