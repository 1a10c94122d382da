import { mapEntries, type FastJsonValue } from '@rockit/common';

export type TopicFilterType = 'SINGLE_TAG' | 'MULTI_TAG';
export const TOPIC_FILTER_TYPES: readonly TopicFilterType[] = ['SINGLE_TAG', 'MULTI_TAG'];

/** RocketMQ `TopicConfig` (protocol §5.4); JSON property names are these field names. */
export interface TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType: TopicFilterType;
  topicSysFlag: number;
  order: boolean;
}

/** `new TopicConfig(topicName)`: 16 read and write queues, perm RW. */
export function newTopicConfig(topicName: string, fields: Partial<Omit<TopicConfig, 'topicName'>> = {}): TopicConfig {
  return {
    topicName,
    readQueueNums: 16,
    writeQueueNums: 16,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
    ...fields,
  };
}

function field(obj: Map<unknown, FastJsonValue>, name: string): FastJsonValue | undefined {
  return obj.get(name);
}

function toInt(v: FastJsonValue | undefined, path: string, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new TypeError(`${path} is not an integer`);
  return n;
}

/** Reads a parsed JSON object as a TopicConfig (missing properties take Java's defaults). */
export function topicConfigFromJson(value: unknown, path: string): TopicConfig {
  const obj = new Map(mapEntries(value)) as Map<unknown, FastJsonValue>;
  const name = field(obj, 'topicName') ?? path.slice(path.indexOf('.') + 1);
  if (typeof name !== 'string') throw new TypeError(`${path}.topicName is not a string`);
  const filter = field(obj, 'topicFilterType') ?? 'SINGLE_TAG';
  const order = field(obj, 'order') ?? false;
  if (typeof order !== 'boolean') throw new TypeError(`${path}.order is not a boolean`);
  return {
    topicName: name,
    readQueueNums: toInt(field(obj, 'readQueueNums'), `${path}.readQueueNums`, 16),
    writeQueueNums: toInt(field(obj, 'writeQueueNums'), `${path}.writeQueueNums`, 16),
    perm: toInt(field(obj, 'perm'), `${path}.perm`, 6),
    // Java maps an unknown enum name to null, which fastjson then omits; keep the default instead.
    topicFilterType: filter === 'MULTI_TAG' ? 'MULTI_TAG' : 'SINGLE_TAG',
    topicSysFlag: toInt(field(obj, 'topicSysFlag'), `${path}.topicSysFlag`, 0),
    order,
  };
}
