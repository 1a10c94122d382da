/**
 * Typed custom headers as data (rocketmq-protocol.md §2.5). A header descriptor lists the Java class's fields
 * with their type and whether they are required (`@CFNotNull`); `decodeHeader` turns a command's extFields into
 * a typed object, `encodeHeader` does the reverse (numbers as decimal text, booleans "true"/"false").
 */
import { ResponseCode } from '../codes.js';
import { RemotingCommand, type ExtFields } from '../command.js';
import { RemotingCommandError } from '../errors.js';

export type FieldType = 'string' | 'int' | 'long' | 'boolean';

export interface FieldSpec {
  readonly type: FieldType;
  readonly required: boolean;
  /** Key in extFields when it differs from the field name (SEND_MESSAGE_V2's one-letter keys). */
  readonly key?: string;
}

export interface HeaderDescriptor<F extends Record<string, FieldSpec> = Record<string, FieldSpec>> {
  /** The Java class name, for messages and lookups. */
  readonly name: string;
  readonly fields: F;
}

type ValueOf<T extends FieldType> = T extends 'string' ? string : T extends 'boolean' ? boolean : number;
type RequiredKeys<F> = { [K in keyof F]: F[K] extends { required: true } ? K : never }[keyof F];
type OptionalKeys<F> = Exclude<keyof F, RequiredKeys<F>>;
type Flatten<T> = { [K in keyof T]: T[K] };

/** The TypeScript type of a decoded header. Longs are numbers: exact up to 2^53, see `formatLong` beyond. */
export type HeaderOf<D extends HeaderDescriptor> = Flatten<
  { [K in RequiredKeys<D['fields']>]: ValueOf<D['fields'][K]['type']> } & {
    [K in OptionalKeys<D['fields']>]?: ValueOf<D['fields'][K]['type']>;
  }
>;

export function defineHeader<const F extends Record<string, FieldSpec>>(name: string, fields: F): HeaderDescriptor<F> {
  return { name, fields };
}

/** Field shorthands: upper case = required (`@CFNotNull`), lower case = optional. */
export const S = { type: 'string', required: true } as const;
export const s = { type: 'string', required: false } as const;
export const I = { type: 'int', required: true } as const;
export const i = { type: 'int', required: false } as const;
export const L = { type: 'long', required: true } as const;
export const l = { type: 'long', required: false } as const;
export const B = { type: 'boolean', required: true } as const;
export const b = { type: 'boolean', required: false } as const;
/** The shorthands for headers defined outside this package. */
export const HeaderFields = { S, s, I, i, L, l, B, b } as const;

/** The same field under another ext key. */
export function keyed<T extends FieldSpec, K extends string>(spec: T, key: K): T & { readonly key: K } {
  return { ...spec, key };
}

const INTEGER = /^-?\d+$/;

function fieldError(d: HeaderDescriptor, name: string, raw: string): RemotingCommandError {
  return new RemotingCommandError(
    ResponseCode.SYSTEM_ERROR,
    `the custom field <${name}> of ${d.name} has an illegal value "${raw}"`,
  );
}

function parseField(d: HeaderDescriptor, name: string, spec: FieldSpec, raw: string): string | number | boolean {
  switch (spec.type) {
    case 'string':
      return raw;
    case 'boolean':
      // Boolean.parseBoolean: "true" in any case, anything else false.
      return raw.length === 4 && raw.toLowerCase() === 'true';
    case 'int': {
      const n = Number(raw);
      if (!INTEGER.test(raw) || n < -2147483648 || n > 2147483647) throw fieldError(d, name, raw);
      return n;
    }
    case 'long': {
      if (!INTEGER.test(raw)) throw fieldError(d, name, raw);
      return Number(raw);
    }
  }
}

/**
 * Reads a typed header from `cmd.extFields`. A missing required field fails like Java's
 * `decodeCommandCustomHeader` ("the custom field <x> is null", SYSTEM_ERROR); so does a malformed number.
 * Extra keys (AccessKey, Signature, ...) are ignored.
 */
export function decodeHeader<D extends HeaderDescriptor>(cmd: RemotingCommand | ExtFields | undefined, descriptor: D): HeaderOf<D> {
  const ext = cmd instanceof RemotingCommand ? cmd.extFields : cmd;
  const out: Record<string, string | number | boolean> = {};
  for (const name in descriptor.fields) {
    const spec = descriptor.fields[name];
    const raw = ext?.[spec.key ?? name];
    if (raw === undefined) {
      if (spec.required) {
        throw new RemotingCommandError(ResponseCode.SYSTEM_ERROR, `the custom field <${spec.key ?? name}> is null`);
      }
      continue;
    }
    out[name] = parseField(descriptor, name, spec, raw);
  }
  return out as HeaderOf<D>;
}

const LONG_MAX = 2 ** 63;
/**
 * Decimal text of a long held in a number. Numbers are exact up to 2^53; Long.MAX_VALUE / MIN_VALUE (sentinels
 * such as QUERY_MESSAGE's open `endTimestamp`) round to ±2^63 and are written back as Java's exact text.
 */
export function formatLong(v: number | bigint): string {
  if (typeof v === 'bigint' || Number.isSafeInteger(v)) return String(v);
  if (v >= LONG_MAX) return '9223372036854775807';
  if (v <= -LONG_MAX) return '-9223372036854775808';
  return Number.isInteger(v) ? BigInt(v).toString() : String(Math.trunc(v));
}

function formatValue(v: unknown): string {
  return typeof v === 'number' && !Number.isSafeInteger(v) ? formatLong(v) : String(v);
}

/**
 * Writes a header as extFields: with a descriptor in its field order under its wire keys (required fields must
 * be present), without one in the object's own order. Undefined and null values are left out.
 */
export function encodeHeader(header: object, descriptor?: HeaderDescriptor, into: ExtFields = {}): ExtFields {
  const values = header as Record<string, unknown>;
  if (descriptor === undefined) {
    for (const k in values) {
      const v = values[k];
      if (v !== undefined && v !== null) into[k] = formatValue(v);
    }
    return into;
  }
  for (const name in descriptor.fields) {
    const spec = descriptor.fields[name];
    const v = values[name];
    if (v === undefined || v === null) {
      if (spec.required) throw new TypeError(`${descriptor.name}: required field ${name} is missing`);
      continue;
    }
    into[spec.key ?? name] = formatValue(v);
  }
  return into;
}
