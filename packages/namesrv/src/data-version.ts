/**
 * A broker's topic-config version (RocketMQ `DataVersion`): the name server re-reads a master's
 * topic table only when this changes. Longs are kept as numbers: timestamps and counters stay far
 * below 2^53.
 */
export interface DataVersion {
  timestamp: number;
  counter: number;
  /** 5.x only (controller mode); absent from 4.9.x brokers. */
  stateVersion?: number;
}

export function dataVersionEquals(a: DataVersion, b: DataVersion): boolean {
  return a.timestamp === b.timestamp && a.counter === b.counter && (a.stateVersion ?? 0) === (b.stateVersion ?? 0);
}

/** The version Java gives a registration without a body (timestamp 0, counter 0). */
export function emptyDataVersion(): DataVersion {
  return { timestamp: 0, counter: 0 };
}

/** Reads a DataVersion from parsed JSON, tolerating missing fields and bigint longs. */
export function toDataVersion(value: unknown): DataVersion {
  const v = (value ?? {}) as Record<string, unknown>;
  const out: DataVersion = { timestamp: toNumber(v.timestamp), counter: toNumber(v.counter) };
  if (v.stateVersion !== undefined) out.stateVersion = toNumber(v.stateVersion);
  return out;
}

/** fastjson's output for a DataVersion: sorted keys, plain integers. */
export function encodeDataVersion(dv: DataVersion): string {
  const state = dv.stateVersion === undefined ? '' : `,"stateVersion":${dv.stateVersion}`;
  return `{"counter":${dv.counter}${state},"timestamp":${dv.timestamp}}`;
}

export function toNumber(value: unknown, fallback = 0): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return fallback;
}
