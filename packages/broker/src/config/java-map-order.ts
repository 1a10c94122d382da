/**
 * Iteration order of Java's `ConcurrentHashMap`, which is the order fastjson writes RocketMQ's tables in
 * (topics.json, subscriptionGroup.json, consumerOffset.json, delayOffset.json). Reproducing it lets rockit
 * write files byte-identical to a Java broker's. Entries iterate by bucket index `spread(hash) & (n - 1)`;
 * entries sharing a bucket keep insertion order (Java can reorder those after a resize; rare and harmless).
 */
import { javaStringHashCode } from '@rockit/common';

/** Java `Integer.hashCode()`. */
export function javaIntHash(n: number): number {
  return n | 0;
}

function tableSizeFor(c: number): number {
  let n = 1;
  while (n < c) n *= 2;
  return n;
}

/** Table length of `new ConcurrentHashMap(initialCapacity)` once it holds `size` entries. */
export function concurrentHashMapTableSize(initialCapacity: number, size: number): number {
  let n = tableSizeFor(Math.floor(1 + initialCapacity / 0.75));
  while (size >= n - (n >>> 2)) n *= 2;
  return n;
}

/** Keys of a `new ConcurrentHashMap(initialCapacity)` filled with `keys` (in that insertion order), in iteration order. */
export function concurrentHashMapOrder<K>(keys: Iterable<K>, hash: (key: K) => number, initialCapacity: number): K[] {
  const list = [...keys];
  const mask = concurrentHashMapTableSize(initialCapacity, list.length) - 1;
  const bucket = (k: K): number => {
    const h = hash(k);
    return ((h ^ (h >>> 16)) & 0x7fffffff) & mask;
  };
  return list
    .map((key, index) => ({ key, index, b: bucket(key) }))
    .sort((x, y) => x.b - y.b || x.index - y.index)
    .map((e) => e.key);
}

/** A new Map with `map`'s entries in Java ConcurrentHashMap iteration order. */
export function inJavaOrder<K extends string | number, V>(map: ReadonlyMap<K, V>, initialCapacity: number): Map<K, V> {
  const hash = (k: K): number => (typeof k === 'string' ? javaStringHashCode(k) : javaIntHash(k));
  return new Map(concurrentHashMapOrder(map.keys(), hash, initialCapacity).map((k) => [k, map.get(k)!] as [K, V]));
}

/** Table length of a default `new HashMap()` once it holds `size` entries (16, doubling past 3/4 full). */
export function hashMapTableSize(size: number): number {
  let n = 16;
  while (size > n * 0.75) n *= 2;
  return n;
}

/**
 * Keys of a default `java.util.HashMap<String, String>` filled in this order, in its iteration order: how
 * `MessageDecoder.messageProperties2String` orders the properties of the records a Java broker builds itself
 * (delay parking, send-back, half / commit messages). A resize keeps each bucket's relative order.
 */
export function hashMapOrder(keys: Iterable<string>): string[] {
  const list = [...keys];
  const mask = hashMapTableSize(list.length) - 1;
  return list
    .map((key, index) => {
      const h = javaStringHashCode(key);
      return { key, index, b: (h ^ (h >>> 16)) & mask };
    })
    .sort((x, y) => x.b - y.b || x.index - y.index)
    .map((e) => e.key);
}
