/**
 * A message's properties as the broker hands them to a filter: a Map, a lookup function
 * (e.g. over a decoded properties buffer) or a plain object. Values are strings, as RocketMQ
 * stores them; system properties such as TAGS, KEYS and UNIQ_KEY are included.
 */
export type MessageProperties =
  | ReadonlyMap<string, string>
  | ((name: string) => string | null | undefined)
  | Readonly<Record<string, string>>;

/** The property's value, or null when the message does not have it. */
export function lookupProperty(properties: MessageProperties, name: string): string | null {
  let value: string | null | undefined;
  if (typeof properties === 'function') value = properties(name);
  else if (properties instanceof Map) value = properties.get(name);
  else value = Object.hasOwn(properties, name) ? (properties as Readonly<Record<string, string>>)[name] : undefined;
  return value ?? null;
}
