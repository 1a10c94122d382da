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
