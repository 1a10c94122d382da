/** Separator between a property's name and value. */
export const NAME_VALUE_SEPARATOR = '\u0001';
/** Separator between properties. */
export const PROPERTY_SEPARATOR = '\u0002';

/**
 * `messageProperties2String`: name\u0001value\u0002… for every entry with a non-null value, without the trailing
 * \u0002. Insertion order is kept (Java uses HashMap order; readers do not depend on it).
 */
export function messageProperties2String(properties: ReadonlyMap<string, string | undefined | null>): string {
  // Separators go before every pair but the first, so no trailing one has to be cut off (a copy per send).
  let out: string | undefined;
  for (const [name, value] of properties) {
    if (value == null) continue;
    out = out === undefined ? name + NAME_VALUE_SEPARATOR + value : out + PROPERTY_SEPARATOR + name + NAME_VALUE_SEPARATOR + value;
  }
  return out ?? '';
}

/**
 * `string2messageProperties`, with RocketMQ's tolerance: a segment is kept only when it is at least 3 chars long and
 * its first \u0001 has at least one char before it and one after it inside the segment (so empty names and values are
 * dropped); a later duplicate overwrites an earlier one; a trailing \u0002 is harmless.
 */
export function string2messageProperties(text: string | undefined | null): Map<string, string> {
  const map = new Map<string, string>();
  if (!text) return map;
  const len = text.length;
  let index = 0;
  while (index < len) {
    let end = text.indexOf(PROPERTY_SEPARATOR, index);
    if (end < 0) end = len;
    if (end - index >= 3) {
      const kv = text.indexOf(NAME_VALUE_SEPARATOR, index);
      if (kv > index && kv < end - 1) {
        map.set(text.substring(index, kv), text.substring(kv + 1, end));
      }
    }
    index = end + 1;
  }
  return map;
}

/**
 * Finds one property in a properties string without building the map (store dispatch reads TAGS, KEYS and UNIQ_KEY
 * this way). Same tolerance and last-one-wins rule as `string2messageProperties`.
 */
export function findProperty(text: string, name: string): string | undefined {
  let found: string | undefined;
  const len = text.length;
  let index = 0;
  while (index < len) {
    let end = text.indexOf(PROPERTY_SEPARATOR, index);
    if (end < 0) end = len;
    const kv = index + name.length;
    if (
      kv < end - 1 &&
      name.length > 0 &&
      text.charCodeAt(kv) === 1 &&
      text.startsWith(name, index) &&
      text.indexOf(NAME_VALUE_SEPARATOR, index) === kv
    ) {
      found = text.substring(kv + 1, end);
    }
    index = end + 1;
  }
  return found;
}
