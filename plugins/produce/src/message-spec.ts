/**
 * What one message to send is made of, whether it came from flags, a file, a JSON line on stdin or the
 * interactive session; and how it becomes a client Message.
 */
import type { Message } from '@rockit/client';

export type SendMode = 'sync' | 'async' | 'oneway';
export const SEND_MODES: readonly SendMode[] = ['sync', 'async', 'oneway'];

export interface MessageSpec {
  body: Buffer;
  tag?: string;
  /** Space-separated in RocketMQ's KEYS property. */
  keys?: string[];
  properties?: Record<string, string>;
  delayLevel?: number;
  /** Same key, same queue (ordered by key). */
  shardingKey?: string;
}

/** A bad input, tied to where it came from (`line 3`, `--property`), for the failure summary. */
export class SpecError extends Error {
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'SpecError';
  }
}

/** `k=v` flags as a record; the value may contain `=`. */
export function parseProperties(pairs: readonly string[], where = '--property'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new SpecError(where, `expected key=value, got "${pair}"`);
    out[pair.slice(0, i).trim()] = pair.slice(i + 1);
  }
  return out;
}

/** `a b` or `a,b` as a key list. */
export function splitKeys(keys: string): string[] {
  return keys.split(/[\s,]+/).filter((k) => k.length > 0);
}

const FIELDS = new Set(['body', 'tag', 'tags', 'keys', 'properties', 'delayLevel', 'shardingKey']);

/** One stdin line: `{"body", "tag", "keys", "properties", "delayLevel", "shardingKey"}`. */
export function parseJsonLine(line: string, lineNo: number): MessageSpec {
  const where = `line ${lineNo}`;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    throw new SpecError(where, `not JSON (${(err as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SpecError(where, 'expected a JSON object');
  const o = v as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0) throw new SpecError(where, `unknown field(s) ${unknown.join(', ')}`);
  const str = (k: string): string | undefined => {
    const x = o[k];
    if (x === undefined || x === null) return undefined;
    if (typeof x !== 'string') throw new SpecError(where, `"${k}" must be a string`);
    return x;
  };
  const body = o.body;
  const spec: MessageSpec = {
    body: Buffer.from(typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body), 'utf8'),
  };
  const tag = str('tag') ?? str('tags');
  if (tag !== undefined) spec.tag = tag;
  const keys = o.keys;
  if (Array.isArray(keys)) spec.keys = keys.map(String);
  else if (keys !== undefined && keys !== null) spec.keys = splitKeys(String(keys));
  const props = o.properties;
  if (props !== undefined && props !== null) {
    if (typeof props !== 'object' || Array.isArray(props)) throw new SpecError(where, '"properties" must be an object');
    spec.properties = Object.fromEntries(Object.entries(props).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]));
  }
  const delay = o.delayLevel;
  if (delay !== undefined && delay !== null) {
    if (!Number.isInteger(delay) || (delay as number) < 0) throw new SpecError(where, '"delayLevel" must be a non-negative integer');
    spec.delayLevel = delay as number;
  }
  const shardingKey = str('shardingKey');
  if (shardingKey !== undefined) spec.shardingKey = shardingKey;
  return spec;
}

/** The client Message for `spec` (user properties are checked by the client: reserved names are refused). */
export function toMessage(MessageClass: typeof Message, topic: string, spec: MessageSpec): Message {
  const msg = new MessageClass(topic, spec.body);
  if (spec.tag !== undefined && spec.tag !== '') msg.tags = spec.tag;
  if (spec.keys !== undefined && spec.keys.length > 0) msg.keys = spec.keys;
  for (const [k, v] of Object.entries(spec.properties ?? {})) msg.putUserProperty(k, v);
  if (spec.delayLevel !== undefined && spec.delayLevel > 0) msg.delayTimeLevel = spec.delayLevel;
  return msg;
}
