/**
 * The properties string a broker stores, derived from the one a producer sent without building a map on the
 * common path (RocketMQ re-encodes a HashMap; readers never depend on order).
 */
import {
  MessageConst,
  NAME_VALUE_SEPARATOR as NV,
  PROPERTY_SEPARATOR as PS,
  findProperty,
  hashMapOrder,
  messageProperties2String,
  string2messageProperties,
} from '@rockit/common';

/** `props` without the property `name` (every occurrence), cut out of the string without splitting it. */
export function removeProperty(props: string, name: string): string {
  const marker = name + NV;
  let from = 0;
  for (;;) {
    const at = props.indexOf(marker, from);
    if (at < 0) return props;
    if (at > 0 && props.charCodeAt(at - 1) !== 2) {
      from = at + 1; // `marker` inside another property's value
      continue;
    }
    const end = props.indexOf(PS, at);
    if (end < 0) props = at === 0 ? '' : props.slice(0, at - 1);
    else props = props.slice(0, at) + props.slice(end + 1);
    from = at;
  }
}

/** `props` with `name=value` set (replacing an existing value). */
export function putProperty(props: string, name: string, value: string): string {
  const base = props.includes(name + NV) ? removeProperty(props, name) : props;
  if (base.length === 0) return name + NV + value;
  return (base.endsWith(PS) ? base : base + PS) + name + NV + value;
}

/**
 * What SendMessageProcessor stores for a single message: the producer's properties plus CLUSTER, without WAIT
 * (4.9.2–4.9.8 drop it for single sends).
 */
export function storedSingleProperties(props: string | undefined, clusterName: string): string {
  let p = props ?? '';
  if (p.includes(MessageConst.PROPERTY_WAIT_STORE_MSG_OK + NV)) p = removeProperty(p, MessageConst.PROPERTY_WAIT_STORE_MSG_OK);
  return putProperty(p, MessageConst.PROPERTY_CLUSTER, clusterName);
}

/**
 * A properties string rebuilt from a map edit (rare paths: delay, retry, DLQ, transactions), in the order a Java
 * broker's HashMap writes it, so these records are byte-identical to RocketMQ's.
 */
export function editProperties(props: string, edit: (map: Map<string, string>) => void): string {
  const map = string2messageProperties(props);
  edit(map);
  return messageProperties2String(new Map(hashMapOrder(map.keys()).map((k) => [k, map.get(k)!])));
}

export { findProperty };
