/** fastjson bodies as plain JSON: Maps become objects (object keys as their JSON text, MessageQueue keys as topic@broker@qid). */
export function jsonSafe(value: unknown): unknown {
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[keyText(k)] = jsonSafe(v);
    return out;
  }
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (typeof value === 'bigint') return Number(value);
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return value;
}

function keyText(k: unknown): string {
  if (k !== null && typeof k === 'object') {
    const o = k as { topic?: unknown; brokerName?: unknown; queueId?: unknown };
    if (o.topic !== undefined && o.brokerName !== undefined && o.queueId !== undefined) return `${String(o.topic)}@${String(o.brokerName)}@${Number(o.queueId)}`;
    return JSON.stringify(jsonSafe(k));
  }
  return String(k);
}
