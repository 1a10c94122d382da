import { mapEntries, parseFastJson } from '@rockit/common';
import type { ConsumeFromWhere, ConsumeType, MessageModel, SubscriptionData } from './managers/consumer-manager.js';

/** RocketMQ `ConsumerData` (protocol §5.3). */
export interface ConsumerData {
  groupName: string;
  consumeType: ConsumeType;
  messageModel: MessageModel;
  consumeFromWhere: ConsumeFromWhere;
  subscriptionDataSet: SubscriptionData[];
  unitMode: boolean;
}

/** RocketMQ `HeartbeatData` (HEART_BEAT body). */
export interface HeartbeatData {
  clientID: string;
  producerDataSet: Array<{ groupName: string }>;
  consumerDataSet: ConsumerData[];
}

/** A HEART_BEAT / UNREGISTER body that cannot be used; the message names the field. */
export class HeartbeatDataError extends Error {
  override readonly name = 'HeartbeatDataError';
}

const CONSUME_TYPES: readonly ConsumeType[] = ['CONSUME_ACTIVELY', 'CONSUME_PASSIVELY'];
const MESSAGE_MODELS: readonly MessageModel[] = ['BROADCASTING', 'CLUSTERING'];
const CONSUME_FROM_WHERE: readonly ConsumeFromWhere[] = [
  'CONSUME_FROM_LAST_OFFSET',
  'CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST',
  'CONSUME_FROM_MIN_OFFSET',
  'CONSUME_FROM_MAX_OFFSET',
  'CONSUME_FROM_FIRST_OFFSET',
  'CONSUME_FROM_TIMESTAMP',
];

type Obj = Map<unknown, unknown>;

function asObject(v: unknown, where: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new HeartbeatDataError(`${where} is not an object`);
  return new Map(mapEntries(v));
}

function asArray(v: unknown, where: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new HeartbeatDataError(`${where} is not an array`);
  return v;
}

function str(o: Obj, key: string, where: string, fallback?: string): string {
  const v = o.get(key);
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'string') throw new HeartbeatDataError(`${where}.${key} is missing or not a string`);
  return v;
}

function oneOf<T extends string>(o: Obj, key: string, values: readonly T[], where: string): T {
  const v = str(o, key, where);
  if (!values.includes(v as T)) throw new HeartbeatDataError(`${where}.${key} '${v}' is not one of ${values.join(', ')}`);
  return v as T;
}

function int(v: unknown, where: string): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new HeartbeatDataError(`${where} is not an integer`);
  return n;
}

function bool(o: Obj, key: string): boolean {
  return o.get(key) === true;
}

function subscriptionData(v: unknown, where: string): SubscriptionData {
  const o = asObject(v, where);
  return {
    topic: str(o, 'topic', where),
    subString: str(o, 'subString', where, '*'),
    tagsSet: asArray(o.get('tagsSet'), `${where}.tagsSet`).map((t, i) => {
      if (typeof t !== 'string') throw new HeartbeatDataError(`${where}.tagsSet[${i}] is not a string`);
      return t;
    }),
    codeSet: asArray(o.get('codeSet'), `${where}.codeSet`).map((c, i) => int(c, `${where}.codeSet[${i}]`)),
    subVersion: o.get('subVersion') === undefined ? 0 : int(o.get('subVersion'), `${where}.subVersion`),
    expressionType: str(o, 'expressionType', where, 'TAG') || 'TAG',
    classFilterMode: bool(o, 'classFilterMode'),
  };
}

function consumerData(v: unknown, where: string): ConsumerData {
  const o = asObject(v, where);
  return {
    groupName: str(o, 'groupName', where),
    consumeType: oneOf(o, 'consumeType', CONSUME_TYPES, where),
    messageModel: oneOf(o, 'messageModel', MESSAGE_MODELS, where),
    consumeFromWhere: oneOf(o, 'consumeFromWhere', CONSUME_FROM_WHERE, where),
    subscriptionDataSet: asArray(o.get('subscriptionDataSet'), `${where}.subscriptionDataSet`).map((s, i) => subscriptionData(s, `${where}.subscriptionDataSet[${i}]`)),
    unitMode: bool(o, 'unitMode'),
  };
}

/**
 * Reads a HEART_BEAT (or UNREGISTER_CLIENT-style) body. Unknown properties (5.x `heartbeatFingerprint`,
 * `withoutSub`, ...) are ignored; a missing or mistyped field throws HeartbeatDataError naming it.
 */
export function parseHeartbeatData(body: Buffer | string): HeartbeatData {
  let root: unknown;
  try {
    root = parseFastJson(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (e) {
    throw new HeartbeatDataError(`heartbeat body is not JSON: ${(e as Error).message}`);
  }
  const o = asObject(root, 'heartbeat');
  return {
    clientID: str(o, 'clientID', 'heartbeat'),
    producerDataSet: asArray(o.get('producerDataSet'), 'heartbeat.producerDataSet').map((p, i) => ({
      groupName: str(asObject(p, `heartbeat.producerDataSet[${i}]`), 'groupName', `heartbeat.producerDataSet[${i}]`),
    })),
    consumerDataSet: asArray(o.get('consumerDataSet'), 'heartbeat.consumerDataSet').map((c, i) => consumerData(c, `heartbeat.consumerDataSet[${i}]`)),
  };
}
