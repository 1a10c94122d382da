import { formatCell } from './format.js';
import { padVisible, visibleWidth } from './text-width.js';

export type KeyValues = Readonly<Record<string, unknown>> | ReadonlyArray<readonly [string, unknown]>;

/**
 * A key/value listing with aligned colons, as mqadmin prints broker status and configs
 * (`%-32s: %s`). Pass pairs instead of an object to fix the order.
 */
export function kv(entries: KeyValues, options: { separator?: string } = {}): string {
  const separator = options.separator ?? ': ';
  const pairs = Array.isArray(entries) ? entries : Object.entries(entries);
  const width = Math.max(0, ...pairs.map(([key]) => visibleWidth(key)));
  return pairs.map(([key, value]) => `${padVisible(key, width)}${separator}${formatCell(value)}`.trimEnd()).join('\n');
}
