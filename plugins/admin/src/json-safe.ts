/**
 * fastjson bodies as the client hands them over: string-keyed maps are plain objects, object-keyed ones (MessageQueue
 * keys) are Maps or iterable JsonObjectKeyMaps, and BrowserCompatible bodies carry object keys as JSON text.
 */
export function entriesOf(value: unknown): [unknown, unknown][] {
  if (value === null || value === undefined) return [];
  if (value instanceof Map) return [...value.entries()];
  if (typeof value === 'object' && !Array.isArray(value) && Symbol.iterator in value) return [...(value as Iterable<[unknown, unknown]>)];
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).map(([k, v]) => [k.startsWith('{') ? JSON.parse(k) : k, v]);
  }
  return [];
}

/** The same as plain JSON: maps become objects (MessageQueue keys as topic@broker@qid, other object keys as JSON text). */
export function jsonSafe(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  if (value instanceof Map || Symbol.iterator in value) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of entriesOf(value)) out[keyText(k)] = jsonSafe(v);
    return out;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
}

function keyText(k: unknown): string {
  if (k !== null && typeof k === 'object') {
    const o = k as { topic?: unknown; brokerName?: unknown; queueId?: unknown };
    if (o.topic !== undefined && o.brokerName !== undefined && o.queueId !== undefined) return `${String(o.topic)}@${String(o.brokerName)}@${Number(o.queueId)}`;
    return JSON.stringify(jsonSafe(k));
  }
  return String(k);
}
