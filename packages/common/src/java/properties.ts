/**
 * Java `.properties` syntax as `java.util.Properties.load` reads it (broker.conf, namesrv.properties, UPDATE_*_CONFIG bodies):
 * `#`/`!` comment lines, `key=value`, `key: value` or `key value`, backslash line continuations
 * (leading whitespace of the continuation dropped), `\t \n \r \f \uXXXX` escapes, any other escaped
 * character standing for itself. Leading whitespace of a value is dropped, trailing whitespace kept.
 */

export class PropertiesSyntaxError extends Error {
  override readonly name = 'PropertiesSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

interface LogicalLine {
  text: string;
  line: number;
}

function isWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

/** Number of backslashes immediately before the end of `s`. */
function trailingBackslashes(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n;
}

function* logicalLines(text: string): Generator<LogicalLine> {
  const natural = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < natural.length; i++) {
    const start = i + 1;
    let current = natural[i]!.replace(/^[ \t\f]+/, '');
    if (current.length === 0 || current[0] === '#' || current[0] === '!') continue;
    // An odd number of trailing backslashes joins the next natural line (its leading blanks dropped).
    while (trailingBackslashes(current) % 2 === 1) {
      current = current.slice(0, -1);
      i++;
      if (i >= natural.length) break;
      current += natural[i]!.replace(/^[ \t\f]+/, '');
    }
    yield { text: current, line: start };
  }
}

function unescape(raw: string, line: number): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = raw[++i];
    if (next === undefined) break;
    switch (next) {
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        const hex = raw.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PropertiesSyntaxError('malformed \\uxxxx encoding', line);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default:
        out += next;
    }
  }
  return out;
}

/** Splits a logical line into its raw (still escaped) key and value. */
function splitKeyValue(text: string): [string, string] {
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '=' || c === ':' || isWhitespace(c)) break;
    i++;
  }
  const key = text.slice(0, i);
  while (i < text.length && isWhitespace(text[i]!)) i++;
  if (i < text.length && (text[i] === '=' || text[i] === ':')) i++;
  while (i < text.length && isWhitespace(text[i]!)) i++;
  return [key, text.slice(i)];
}

/** Parses properties text; later duplicates of a key win, as in Java. Insertion order is kept. */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const { text: logical, line } of logicalLines(text)) {
    const [rawKey, rawValue] = splitKeyValue(logical);
    out.set(unescape(rawKey, line), unescape(rawValue, line));
  }
  return out;
}
