import { mapEntries, newSubscriptionGroupConfig, type FastJsonValue, type SubscriptionGroupConfig } from '@rockit/common';

export { newSubscriptionGroupConfig, type SubscriptionGroupConfig } from '@rockit/common';

const BOOLEAN_FIELDS = ['consumeEnable', 'consumeFromMinEnable', 'consumeBroadcastEnable', 'notifyConsumerIdsChangedEnable'] as const;
const INT_FIELDS = ['retryQueueNums', 'retryMaxTimes', 'brokerId', 'whichBrokerWhenConsumeSlowly'] as const;

/**
 * Reads a parsed JSON object (a subscriptionGroup.json entry or an UPDATE_AND_CREATE_SUBSCRIPTIONGROUP
 * body) as a SubscriptionGroupConfig. Missing properties take Java's defaults; 5.x-only properties are ignored.
 */
export function subscriptionGroupConfigFromJson(value: unknown, where: string): SubscriptionGroupConfig {
  const obj = new Map(mapEntries(value)) as Map<unknown, FastJsonValue>;
  const groupName = obj.get('groupName');
  if (typeof groupName !== 'string') throw new TypeError(`${where}.groupName is not a string`);
  const out = newSubscriptionGroupConfig(groupName);
  for (const key of BOOLEAN_FIELDS) {
    const v = obj.get(key);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') throw new TypeError(`${where}.${key} is not a boolean`);
    out[key] = v;
  }
  for (const key of INT_FIELDS) {
    const v = obj.get(key);
    if (v === undefined || v === null) continue;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new TypeError(`${where}.${key} is not an integer`);
    out[key] = n;
  }
  return out;
}
