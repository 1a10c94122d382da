/**
 * The properties string a broker stores, derived from the one a producer sent without building a map on the
 * common path (RocketMQ re-encodes a HashMap; readers never depend on order).
 */
import {
  MessageConst,
  NAME_VALUE_SEPARATOR as NV,
  PROPERTY_SEPARATOR as PS,
  findProperty,
  messageProperties2String,
  string2messageProperties,
} from '@rockit/common';

/** The segment `name\u0001…` removed from a properties string (every occurrence). */
export function removeProperty(props: string, name: string): string {
  const marker = name + NV;
  if (!props.includes(marker)) return props;
  const kept: string[] = [];
  for (const seg of props.split(PS)) if (seg.length > 0 && !seg.startsWith(marker)) kept.push(seg);
  return kept.join(PS);
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

/** A properties string rebuilt from a map edit (rare paths: delay, retry, DLQ). */
export function editProperties(props: string, edit: (map: Map<string, string>) => void): string {
  const map = string2messageProperties(props);
  edit(map);
  return messageProperties2String(map);
}

export { findProperty };
