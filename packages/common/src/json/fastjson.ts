/**
 * A reader and writer for the JSON dialect fastjson 1.2.x produces and accepts (protocol §5.0).
 *
 * Value mapping (parse → JS → write):
 * - objects whose keys are all strings (quoted or bare identifiers) → plain objects (or `Map<string, …>` with
 *   `mapObjects: true`, which keeps key order exactly, e.g. for integer-looking string keys);
 * - objects whose keys are all bare numbers (`{0:"addr"}`, fastjson's Map<Integer|Long,…>) → `Map<number|bigint, …>`;
 * - objects with any object-valued key (`{{"brokerName":"b","queueId":0,"topic":"T"}:1}`) or mixed key kinds →
 *   `JsonObjectKeyMap`, which looks keys up by value;
 * - integers → `number` when `Number.isSafeInteger`, else `bigint` (exact); other numbers → `number`, or
 *   `JavaDouble` with `exactDoubles: true` so `0.0` is written back as `0.0`;
 * - strings, booleans, null, arrays as in JSON.
 *
 * Writing: plain objects are treated as Java beans (keys sorted alphabetically, as fastjson does; `sortKeys: false`
 * keeps insertion order) and null/undefined members are omitted; `Map`/`JsonObjectKeyMap` keep insertion order and write
 * number/bigint keys unquoted and object keys as nested objects (fastjson-native). `pretty: true` reproduces fastjson's
 * PrettyFormat (tabs; maps with non-string keys stay on one line), as in the broker's config files.
 */

/** A Java double whose text form must follow `Double.toString` (`0.0`, `1.5`, `1.0E-4`). */
export class JavaDouble {
  constructor(readonly value: number) {}

  toString(): string {
    return javaDoubleToString(this.value);
  }

  valueOf(): number {
    return this.value;
  }
}

/** Java `Double.toString`. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exp] = d.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exp)}`;
}

export type FastJsonKey = string | number | bigint | FastJsonValue;
export type FastJsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | JavaDouble
  | FastJsonValue[]
  | { [key: string]: FastJsonValue }
  | Map<FastJsonKey, FastJsonValue>
  | JsonObjectKeyMap<FastJsonValue, FastJsonValue>;

/**
 * A map whose keys are JSON values (typically MessageQueue objects). Lookups compare keys by value: two objects
 * with the same members in any order are the same key.
 */
export class JsonObjectKeyMap<K = unknown, V = unknown> implements Iterable<[K, V]> {
  private readonly index = new Map<string, number>();
  private readonly items: [K, V][] = [];

  constructor(entries?: Iterable<readonly [K, V]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  /** The canonical text a key is compared by. */
  static keyOf(key: unknown): string {
    return toFastJson(key, { sortKeys: true });
  }

  get size(): number {
    return this.items.length;
  }

  get(key: K): V | undefined {
    const i = this.index.get(JsonObjectKeyMap.keyOf(key));
    return i === undefined ? undefined : this.items[i]![1];
  }

  has(key: K): boolean {
    return this.index.has(JsonObjectKeyMap.keyOf(key));
  }

  set(key: K, value: V): this {
    const ck = JsonObjectKeyMap.keyOf(key);
    const i = this.index.get(ck);
    if (i === undefined) {
      this.index.set(ck, this.items.length);
      this.items.push([key, value]);
    } else {
      this.items[i]![1] = value;
    }
    return this;
  }

  delete(key: K): boolean {
    const ck = JsonObjectKeyMap.keyOf(key);
    const i = this.index.get(ck);
    if (i === undefined) return false;
    this.items.splice(i, 1);
    this.index.clear();
    this.items.forEach(([k], j) => this.index.set(JsonObjectKeyMap.keyOf(k), j));
    return true;
  }

  keys(): K[] {
    return this.items.map(([k]) => k);
  }

  values(): V[] {
    return this.items.map(([, v]) => v);
  }

  entries(): [K, V][] {
    return this.items.map(([k, v]) => [k, v]);
  }

  [Symbol.iterator](): Iterator<[K, V]> {
    return this.entries()[Symbol.iterator]();
  }
}

/** Entries of any parsed map form (plain object, Map, JsonObjectKeyMap). */
export function mapEntries(value: unknown): [unknown, unknown][] {
  if (value instanceof Map) return [...value.entries()];
  if (value instanceof JsonObjectKeyMap) return value.entries();
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value);
  throw new TypeError('not a JSON map');
}

/**
 * Converts the BrowserCompatible form of an object-keyed map (`{"{\"brokerName\":…}":42}`: keys are JSON text)
 * into a JsonObjectKeyMap; maps already in native form pass through.
 */
export function toObjectKeyMap<K = unknown, V = unknown>(value: unknown): JsonObjectKeyMap<K, V> {
  if (value instanceof JsonObjectKeyMap) return value as JsonObjectKeyMap<K, V>;
  const out = new JsonObjectKeyMap<K, V>();
  for (const [k, v] of mapEntries(value)) {
    out.set((typeof k === 'string' && k.startsWith('{') ? parseFastJson(k) : k) as K, v as V);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

export interface ParseOptions {
  /** String-keyed objects become `Map<string, …>` instead of plain objects (exact key order). */
  mapObjects?: boolean;
  /** Non-integer numbers become `JavaDouble` (so they are written back the way Java wrote them). */
  exactDoubles?: boolean;
}

export class FastJsonSyntaxError extends SyntaxError {
  override readonly name = 'FastJsonSyntaxError';
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
  }
}

/** Parses fastjson-dialect text (see the module comment for the mapping). */
export function parseFastJson(text: string, opts: ParseOptions = {}): FastJsonValue {
  const p = new Parser(text, opts);
  const v = p.value();
  p.skipWs();
  if (p.pos < text.length) throw new FastJsonSyntaxError('unexpected trailing text', p.pos);
  return v;
}

type KeyKind = 'string' | 'number' | 'other';

class Parser {
  pos = 0;
  constructor(
    private readonly s: string,
    private readonly opts: ParseOptions,
  ) {}

  skipWs(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x08) this.pos++;
      else break;
    }
  }

  private fail(msg: string): never {
    throw new FastJsonSyntaxError(msg, this.pos);
  }

  value(): FastJsonValue {
    this.skipWs();
    const c = this.s[this.pos];
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
      case "'":
        return this.string();
      case undefined:
        return this.fail('unexpected end of input');
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
        return this.word();
    }
  }

  private word(): FastJsonValue {
    const id = this.identifier();
    if (id === 'true') return true;
    if (id === 'false') return false;
    if (id === 'null' || id === 'undefined') return null;
    if (id === 'NaN') return Number.NaN;
    return this.fail(`unexpected token '${id || this.s[this.pos]}'`);
  }

  private identifier(): string {
    const start = this.pos;
    while (this.pos < this.s.length && /[\w$]/.test(this.s[this.pos]!)) this.pos++;
    return this.s.slice(start, this.pos);
  }

  private number(): number | bigint | JavaDouble {
    const start = this.pos;
    const s = this.s;
    if (s[this.pos] === '-') this.pos++;
    let isInt = true;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c >= '0' && c <= '9') this.pos++;
      else if (c === '.' || c === 'e' || c === 'E' || ((c === '+' || c === '-') && /[eE]/.test(s[this.pos - 1]!))) {
        isInt = false;
        this.pos++;
      } else break;
    }
    const text = s.slice(start, this.pos);
    // fastjson accepts Java literal suffixes (L, S, B for long/short/byte; F, D for float/double)
    const suffix = s[this.pos];
    if (suffix === 'L' || suffix === 'S' || suffix === 'B') this.pos++;
    else if (suffix === 'F' || suffix === 'D') {
      this.pos++;
      isInt = false;
    }
    if (text === '-' || text.length === 0) this.fail('bad number');
    if (isInt) {
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : BigInt(text);
    }
    const d = Number(text);
    if (Number.isNaN(d)) this.fail(`bad number '${text}'`);
    return this.opts.exactDoubles ? new JavaDouble(d) : d;
  }

  private string(): string {
    const s = this.s;
    const quote = s[this.pos++]!;
    let out = '';
    let chunk = this.pos;
    while (true) {
      if (this.pos >= s.length) this.fail('unterminated string');
      const c = s[this.pos]!;
      if (c === quote) {
        out += s.slice(chunk, this.pos);
        this.pos++;
        return out;
      }
      if (c !== '\\') {
        this.pos++;
        continue;
      }
      out += s.slice(chunk, this.pos);
      const e = s[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case '0': out += '\0'; break;
        case 'u':
          out += String.fromCharCode(this.hex(4));
          break;
        case 'x':
          out += String.fromCharCode(this.hex(2));
          break;
        case undefined:
          this.fail('unterminated string');
          break;
        default:
          out += e; // \" \\ \/ \' and any other escaped char stand for themselves
      }
      chunk = this.pos;
    }
  }

  private hex(n: number): number {
    const h = this.s.slice(this.pos, this.pos + n);
    if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) this.fail('bad escape');
    this.pos += n;
    return parseInt(h, 16);
  }

  private array(): FastJsonValue[] {
    this.pos++;
    const out: FastJsonValue[] = [];
    this.skipWs();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return out;
    }
    while (true) {
      out.push(this.value());
      this.skipWs();
      const c = this.s[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail("expected ',' or ']'");
      this.skipWs();
      if (this.s[this.pos] === ']') {
        this.pos++;
        return out; // trailing comma, tolerated like fastjson
      }
    }
  }

  private key(): { key: FastJsonKey; kind: KeyKind } {
    this.skipWs();
    const c = this.s[this.pos];
    if (c === '"' || c === "'") return { key: this.string(), kind: 'string' };
    if (c === '{' || c === '[') return { key: this.value(), kind: 'other' };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const n = this.number();
      return { key: n instanceof JavaDouble ? n.value : n, kind: 'number' };
    }
    const id = this.identifier();
    if (id.length === 0) this.fail('expected a key');
    return { key: id, kind: 'string' };
  }

  private object(): FastJsonValue {
    this.pos++;
    const keys: FastJsonKey[] = [];
    const values: FastJsonValue[] = [];
    const kinds = new Set<KeyKind>();
    this.skipWs();
    if (this.s[this.pos] === '}') {
      this.pos++;
    } else {
      while (true) {
        const { key, kind } = this.key();
        this.skipWs();
        if (this.s[this.pos++] !== ':') this.fail("expected ':'");
        keys.push(key);
        kinds.add(kind);
        values.push(this.value());
        this.skipWs();
        const c = this.s[this.pos++];
        if (c === '}') break;
        if (c !== ',') this.fail("expected ',' or '}'");
        this.skipWs();
        if (this.s[this.pos] === '}') {
          this.pos++;
          break;
        }
      }
    }
    if (kinds.size === 0 || (kinds.size === 1 && kinds.has('string'))) {
      if (this.opts.mapObjects) return new Map(keys.map((k, i) => [k, values[i]!]));
      const obj: { [key: string]: FastJsonValue } = {};
      keys.forEach((k, i) => setOwn(obj, k as string, values[i]!));
      return obj;
    }
    if (kinds.size === 1 && kinds.has('number')) return new Map(keys.map((k, i) => [k, values[i]!]));
    return new JsonObjectKeyMap<FastJsonValue, FastJsonValue>(keys.map((k, i) => [k, values[i]!] as const));
  }
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

export interface WriteOptions {
  /** fastjson PrettyFormat: tab indentation, as the broker writes its config files. */
  pretty?: boolean;
  /** Sort plain-object keys alphabetically like fastjson does for beans (default true). */
  sortKeys?: boolean;
  /**
   * fastjson's BrowserCompatible feature (route data for request version >= 401): non-string keys as JSON strings,
   * longs outside ±(2^53-1) as strings, non-ASCII as \uXXXX.
   */
  browserCompatible?: boolean;
}

/** Serialises `value` the way fastjson would (see the module comment). */
export function toFastJson(value: unknown, opts: WriteOptions = {}): string {
  return new Writer(opts).write(value, 0) ?? 'null';
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

class Writer {
  private readonly sortKeys: boolean;
  constructor(private readonly opts: WriteOptions) {
    this.sortKeys = opts.sortKeys ?? true;
  }

  private quote(s: string): string {
    // eslint-disable-next-line no-control-regex
    const re = this.opts.browserCompatible ? /["\\\u0000-\u001f\u007f-\uffff]/g : /["\\\u0000-\u001f]/g;
    return `"${s.replace(re, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)}"`;
  }

  private nl(indent: number): string {
    return this.opts.pretty ? `\n${'\t'.repeat(indent)}` : '';
  }

  /** Text of `v`, or undefined when fastjson would omit it (null/undefined members). */
  write(v: unknown, indent: number): string | undefined {
    if (v === null || v === undefined) return undefined;
    switch (typeof v) {
      case 'string':
        return this.quote(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(v)) return 'null';
        if (Number.isInteger(v)) return this.integer(v);
        return javaDoubleToString(v);
      case 'bigint':
        return this.integer(v);
      case 'function':
      case 'symbol':
        return undefined;
      default:
        break;
    }
    if (v instanceof JavaDouble) return Number.isFinite(v.value) ? v.toString() : 'null';
    if (v instanceof Date) return String(v.getTime());
    if (v instanceof Uint8Array) return this.quote(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'));
    if (Array.isArray(v) || v instanceof Set) return this.array([...(v as Iterable<unknown>)], indent);
    if (v instanceof Map || v instanceof JsonObjectKeyMap) return this.map([...(v as Iterable<[unknown, unknown]>)], indent);
    const withToJSON = v as { toJSON?: () => unknown };
    if (typeof withToJSON.toJSON === 'function') return this.write(withToJSON.toJSON(), indent);
    return this.bean(v as Record<string, unknown>, indent);
  }

  private integer(v: number | bigint): string {
    const text = String(v);
    if (this.opts.browserCompatible && !Number.isSafeInteger(Number(v))) return `"${text}"`;
    return text;
  }

  private array(items: unknown[], indent: number): string {
    if (items.length === 0) return '[]';
    const listStyle = this.opts.pretty && items.some((x) => x !== null && typeof x === 'object' && !(x instanceof JavaDouble));
    const parts = items.map((x) => this.write(x, indent + 1) ?? 'null');
    if (!listStyle) return `[${parts.join(',')}]`;
    return `[${parts.map((p) => this.nl(indent + 1) + p).join(',')}${this.nl(indent)}]`;
  }

  private bean(obj: Record<string, unknown>, indent: number): string {
    const keys = Object.keys(obj);
    if (this.sortKeys) keys.sort();
    const parts: string[] = [];
    for (const k of keys) {
      const text = this.write(obj[k], indent + 1);
      if (text !== undefined) parts.push(`${this.nl(indent + 1)}${this.quote(k)}:${text}`);
    }
    return parts.length === 0 ? '{}' : `{${parts.join(',')}${this.nl(indent)}}`;
  }

  private map(entries: [unknown, unknown][], indent: number): string {
    const parts: string[] = [];
    for (const [k, val] of entries) {
      const text = this.write(val, indent + 1);
      if (text === undefined) continue;
      if (typeof k === 'string') {
        parts.push(`${this.nl(indent + 1)}${this.quote(k)}:${text}`);
      } else {
        // fastjson writes non-string keys without a line break before them, even in PrettyFormat
        const keyText = this.write(k, indent + 1) ?? 'null';
        parts.push(`${this.opts.browserCompatible && !keyText.startsWith('"') ? this.quote(keyText) : keyText}:${text}`);
      }
    }
    return parts.length === 0 ? '{}' : `{${parts.join(',')}${this.nl(indent)}}`;
  }
}
