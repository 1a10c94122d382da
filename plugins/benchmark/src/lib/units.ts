/** Parses `--duration`/`--warmup`: plain seconds (`10`, `2.5`) or with a unit (`500ms`, `30s`, `2m`). Returns ms. */
export function parseDurationMs(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!m) throw new Error(`not a duration: "${text}" (seconds, or a number with ms, s, m or h)`);
  const value = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return value * factor;
}

/** One decimal MB (10^6 bytes) as nats bench and RocketMQ's own reports count them. */
export const MB = 1_000_000;

/** Milliseconds with a precision that suits the magnitude (0.042, 1.23, 12.3, 123). */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1) return ms.toFixed(3);
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

/** 12345.6 -> "12,346"; rates read better grouped. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
