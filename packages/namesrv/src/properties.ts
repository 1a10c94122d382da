/**
 * Java `Properties` text (RocketMQ config files and UPDATE_NAMESRV_CONFIG bodies). Reading is
 * `java.util.Properties.load`, shared with the broker through @rockit/common.
 */
export { parseProperties } from '@rockit/common';

/** `key=value` lines (RocketMQ `MixAll.properties2String`), keys sorted for stable output. */
export function formatProperties(entries: Iterable<[string, string]>): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.map(([k, v]) => `${k}=${v}\n`).join('');
}
