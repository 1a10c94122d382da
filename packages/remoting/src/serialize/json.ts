/**
 * JSON header (serialize type 0), rocketmq-protocol.md §2.2. The encoder reproduces fastjson's layout for
 * RemotingCommand byte for byte: top-level keys sorted, nulls omitted, `serializeTypeCurrentRPC` always "JSON",
 * the language as its name, ext fields in the command's order, fastjson's string escapes.
 * The decoder accepts any key order, unknown keys, and non-string ext values (ali-ons sends numbers and booleans).
 */
import { LANGUAGE_NAMES, SerializeType, languageCodeOf } from '../codes.js';
import { RemotingCommand, type ExtFields } from '../command.js';
import { RemotingProtocolError } from '../errors.js';
import { setExtField } from './ext-shapes.js';

const HEX = '0123456789ABCDEF';
/** fastjson's replacement for each char below 0xA0: '' = as is, else the escape text. */
const ESCAPES: string[] = Array.from({ length: 0xa0 }, (_, c) => {
  if (c === 0x22) return '\\"';
  if (c === 0x5c) return '\\\\';
  const short = { 8: 'b', 9: 't', 10: 'n', 12: 'f', 13: 'r' }[c];
  if (short !== undefined) return '\\' + short;
  if (c < 0x20 || c >= 0x7f) return '\\u00' + HEX[c >> 4] + HEX[c & 15];
  return '';
});

/** True when fastjson escapes char code `c` (see ESCAPES). */
function needsEscape(c: number): boolean {
  return c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0x7f && (c < 0xa0 || c === 0x2028 || c === 0x2029));
}

/** A JSON string literal as fastjson writes it. */
export function quoteJson(s: string): string {
  const n = s.length;
  let i = 0;
  // Most values need no escape: one char-code scan, no regex, no copy.
  while (i < n && !needsEscape(s.charCodeAt(i))) i++;
  if (i === n) return '"' + s + '"';
  let out = '"';
  let from = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!needsEscape(c)) continue;
    out += s.slice(from, i) + (c < 0xa0 ? ESCAPES[c] : c === 0x2028 ? '\\u2028' : '\\u2029');
    from = i + 1;
  }
  return out + s.slice(from) + '"';
}

/** The JSON header text of `cmd`, exactly as a Java peer would write it. */
export function jsonHeaderText(cmd: RemotingCommand): string {
  let s = '{"code":' + cmd.code;
  const ext = cmd.extFields;
  if (ext !== undefined) {
    s += ',"extFields":{';
    let first = true;
    for (const k in ext) {
      s += (first ? '' : ',') + quoteJson(k) + ':' + quoteJson(ext[k]);
      first = false;
    }
    s += '}';
  }
  s += ',"flag":' + cmd.flag;
  const lang = cmd.language >= 0 ? LANGUAGE_NAMES[cmd.language] : undefined;
  if (lang !== undefined) s += ',"language":"' + lang + '"';
  s += ',"opaque":' + cmd.opaque;
  if (cmd.remark !== undefined) s += ',"remark":' + quoteJson(cmd.remark);
  return s + ',"serializeTypeCurrentRPC":"JSON","version":' + cmd.version + '}';
}

/** `"key":` ASCII bytes of the fixed top-level keys, and each language's `"language":"NAME"` fragment. */
const ascii = (t: string): Uint8Array => Uint8Array.from(t, (c) => c.charCodeAt(0));
const K_CODE = ascii('{"code":');
const K_EXT = ascii(',"extFields":{');
const K_FLAG = ascii(',"flag":');
const K_OPAQUE = ascii(',"opaque":');
const K_REMARK = ascii(',"remark":');
const K_TAIL = ascii(',"serializeTypeCurrentRPC":"JSON","version":');
const K_LANGUAGE: Uint8Array[] = LANGUAGE_NAMES.map((name) => ascii(`,"language":"${name}"`));
const HEX_BYTES = ascii(HEX);

function putBytes(buf: Buffer, pos: number, bytes: Uint8Array): number {
  buf.set(bytes, pos);
  return pos + bytes.length;
}

/** Decimal digits of an integer (Java int or long range as a JS number). */
function putInt(buf: Buffer, pos: number, v: number): number {
  if (v < 0) {
    buf[pos++] = 0x2d;
    v = -v;
  }
  if (v < 10) {
    buf[pos] = 0x30 + v;
    return pos + 1;
  }
  if (v < 0x80000000 && v === Math.floor(v)) {
    // Digits by arithmetic, right to left: no string per number (opaque, code and version of every frame).
    let end = pos + 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) end++;
    for (let at = end - 1, t = v; at >= pos; at--, t = Math.floor(t / 10)) buf[at] = 0x30 + (t % 10);
    return end;
  }
  const digits = String(v);
  for (let i = 0; i < digits.length; i++) buf[pos + i] = digits.charCodeAt(i);
  return pos + digits.length;
}

/** Below this many plain chars, writing bytes in JS beats a native call's fixed cost. */
const LATIN1_RUN = 24;

function isPlainAscii(c: number): boolean {
  return c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c;
}

/**
 * A JSON string literal as quoteJson writes it, encoded as UTF-8 straight into `buf`: no escaped copy, no joined
 * header text. Returns the position after it, or -1 when it would pass `limit`.
 */
function putQuoted(buf: Buffer, pos: number, limit: number, s: string): number {
  const n = s.length;
  // Worst case per char: a 6-byte \u00XX escape (3-byte UTF-8 and surrogate pairs stay below it).
  if (pos + 6 * n + 2 > limit) return -1;
  buf[pos++] = 0x22;
  let i = 0;
  if (n >= LATIN1_RUN) {
    // A long run of plain ASCII goes out with one native copy; the loop below takes over at the first char that
    // needs an escape or more than one byte.
    let plain = 0;
    while (plain < n && isPlainAscii(s.charCodeAt(plain))) plain++;
    if (plain >= LATIN1_RUN) {
      pos += (buf as Buffer & { latin1Write(s: string, offset: number, length: number): number }).latin1Write(plain === n ? s : s.slice(0, plain), pos, plain);
      i = plain;
    }
  }
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      // needsEscape's rule spelled out for ASCII (calling it here measured ~20 % slower); the randomized frame
      // test holds this writer to quoteJson's bytes.
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x7f) {
        buf[pos++] = c;
        continue;
      }
    } else if (c >= 0xa0 && c !== 0x2028 && c !== 0x2029) {
      if (c < 0x800) {
        buf[pos++] = 0xc0 | (c >> 6);
        buf[pos++] = 0x80 | (c & 63);
        continue;
      }
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          buf[pos++] = 0xf0 | (cp >> 18);
          buf[pos++] = 0x80 | ((cp >> 12) & 63);
          buf[pos++] = 0x80 | ((cp >> 6) & 63);
          buf[pos++] = 0x80 | (cp & 63);
          i++;
          continue;
        }
      }
      // A lone surrogate becomes U+FFFD, as UTF-8 encoders (and Buffer.write) do.
      const u = c >= 0xd800 && c < 0xe000 ? 0xfffd : c;
      buf[pos++] = 0xe0 | (u >> 12);
      buf[pos++] = 0x80 | ((u >> 6) & 63);
      buf[pos++] = 0x80 | (u & 63);
      continue;
    }
    // An escape (ESCAPES for chars below 0xA0, \u2028 and \u2029 above).
    if (c < 0xa0) {
      const e = ESCAPES[c]!;
      for (let k = 0; k < e.length; k++) buf[pos++] = e.charCodeAt(k);
    } else {
      buf[pos++] = 0x5c;
      buf[pos++] = 0x75;
      buf[pos++] = HEX_BYTES[(c >> 12) & 15]!;
      buf[pos++] = HEX_BYTES[(c >> 8) & 15]!;
      buf[pos++] = HEX_BYTES[(c >> 4) & 15]!;
      buf[pos++] = HEX_BYTES[c & 15]!;
    }
  }
  buf[pos++] = 0x22;
  return pos;
}

/** An upper bound of writeJsonHeader's output for `cmd` (the room it asks for: 6 bytes per char of every string). */
export function jsonHeaderMaxLength(cmd: RemotingCommand): number {
  let n = 256;
  const ext = cmd.extFields;
  if (ext !== undefined) for (const k in ext) n += 6 * (k.length + ext[k]!.length) + 8;
  if (cmd.remark !== undefined) n += 6 * cmd.remark.length + 8;
  return n;
}

/**
 * Writes `cmd`'s JSON header (the bytes of `jsonHeaderText(cmd)` as UTF-8) at `offset`, without building the text
 * first: the hot path of every JSON request and response. Returns the byte count, or -1 when it might not fit
 * before `limit`.
 */
export function writeJsonHeader(cmd: RemotingCommand, buf: Buffer, offset: number, limit: number): number {
  // Room for the fixed parts and four numbers; strings check their own room.
  if (offset + 160 > limit) return -1;
  let pos = putBytes(buf, offset, K_CODE);
  pos = putInt(buf, pos, cmd.code);
  const ext = cmd.extFields;
  if (ext !== undefined) {
    pos = putBytes(buf, pos, K_EXT);
    let first = true;
    for (const k in ext) {
      if (!first) buf[pos++] = 0x2c;
      first = false;
      pos = putQuoted(buf, pos, limit - 160, k);
      if (pos < 0) return -1;
      buf[pos++] = 0x3a;
      pos = putQuoted(buf, pos, limit - 160, ext[k]!);
      if (pos < 0) return -1;
    }
    buf[pos++] = 0x7d;
  }
  pos = putBytes(buf, pos, K_FLAG);
  pos = putInt(buf, pos, cmd.flag);
  if (cmd.language >= 0 && cmd.language < K_LANGUAGE.length) pos = putBytes(buf, pos, K_LANGUAGE[cmd.language]!);
  pos = putBytes(buf, pos, K_OPAQUE);
  pos = putInt(buf, pos, cmd.opaque);
  if (cmd.remark !== undefined) {
    pos = putBytes(buf, pos, K_REMARK);
    pos = putQuoted(buf, pos, limit - 60, cmd.remark);
    if (pos < 0) return -1;
  }
  pos = putBytes(buf, pos, K_TAIL);
  pos = putInt(buf, pos, cmd.version);
  buf[pos++] = 0x7d;
  return pos - offset;
}

function malformed(what: string): RemotingProtocolError {
  return new RemotingProtocolError(`malformed JSON header: ${what}`);
}

function intField(h: Record<string, unknown>, key: string, required: boolean): number {
  const v = h[key];
  if (v === undefined || v === null) {
    if (required) throw malformed(`missing "${key}"`);
    return 0;
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) throw malformed(`"${key}" is not an integer`);
  return v;
}

/** Ext values as Java reads them: every value a string; JSON numbers and booleans keep their text. */
function extValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Java peers send only string values: then the parsed object is used as it is (JSON.parse made own properties). */
function allStrings(ext: Record<string, unknown>): boolean {
  for (const k in ext) if (typeof ext[k] !== 'string') return false;
  return true;
}

function stringifyValues(ext: Record<string, unknown>): ExtFields {
  const fields: ExtFields = {};
  for (const k in ext) {
    const s = extValue(ext[k]);
    if (s !== undefined) setExtField(fields, k, s);
  }
  return fields;
}

/** Parses a JSON header text into a command (without body). */
export function parseJsonHeader(text: string): RemotingCommand {
  let h: unknown;
  try {
    h = JSON.parse(text);
  } catch (err) {
    throw malformed((err as Error).message);
  }
  if (typeof h !== 'object' || h === null || Array.isArray(h)) throw malformed('not an object');
  const o = h as Record<string, unknown>;
  const cmd = new RemotingCommand(intField(o, 'code', true));
  cmd.serializeType = SerializeType.JSON;
  const lang = o.language;
  cmd.language = typeof lang === 'string' ? (languageCodeOf(lang) ?? -1) : -1;
  cmd.version = intField(o, 'version', false);
  cmd.opaque = intField(o, 'opaque', false);
  cmd.flag = intField(o, 'flag', false);
  if (typeof o.remark === 'string') cmd.remark = o.remark;
  const ext = o.extFields;
  if (ext !== undefined && ext !== null) {
    if (typeof ext !== 'object' || Array.isArray(ext)) throw malformed('"extFields" is not an object');
    const fields = allStrings(ext as Record<string, unknown>) ? (ext as ExtFields) : stringifyValues(ext as Record<string, unknown>);
    cmd.extFields = fields;
  }
  return cmd;
}
