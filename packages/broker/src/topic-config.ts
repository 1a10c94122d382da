import { mapEntries, type FastJsonValue, type TopicConfig } from '@rockit/common';

export { TOPIC_FILTER_TYPES, newTopicConfig, type TopicConfig, type TopicFilterType } from '@rockit/common';

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
