/** The broker's default `messageDelayLevel` (18 levels; level N is the N-th entry). */
export const DEFAULT_MESSAGE_DELAY_LEVEL = '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a `messageDelayLevel` string into delays in ms; index 0 is level 1.
 * Throws on an entry RocketMQ would reject (unknown unit or non-numeric amount).
 */
export function parseDelayLevels(spec: string): number[] {
  const out: number[] = [];
  for (const entry of spec.trim().split(/\s+/)) {
    if (entry.length === 0) continue;
    const unit = entry.slice(-1);
    const factor = UNIT_MS[unit];
    const amount = entry.slice(0, -1);
    if (factor === undefined || !/^\d+$/.test(amount)) {
      throw new RangeError(`bad delay level '${entry}' in messageDelayLevel (expected <n>s|m|h|d)`);
    }
    out.push(Number(amount) * factor);
  }
  return out;
}

/** Number of delay levels in the default configuration. */
export const MAX_DELAY_LEVEL = 18;
