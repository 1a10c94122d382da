/**
 * broker.conf / GET_BROKER_CONFIG text. Reading is `java.util.Properties.load`, shared with the name server
 * through @rockit/common; writing escapes what a reader would otherwise misread.
 */
export { PropertiesSyntaxError, parseProperties } from '@rockit/common';

/**
 * Writes `key=value` lines as RocketMQ's `MixAll.properties2String` does, escaping only what
 * `Properties.load` on the reading side would otherwise misread (backslashes, line breaks, separators in keys).
 */
export function formatProperties(entries: Iterable<readonly [string, string]>): string {
  let out = '';
  for (const [key, value] of entries) out += `${escapeKey(key)}=${escapeValue(value)}\n`;
  return out;
}

function escapeKey(key: string): string {
  return key.replace(/[\\=: \t\n\r\f#!]/g, (c) => ESCAPES[c] ?? `\\${c}`);
}

function escapeValue(value: string): string {
  return value.replace(/[\\\n\r\t\f]/g, (c) => ESCAPES[c] ?? `\\${c}`);
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\f': '\\f' };
