/**
 * Iteration order of Java's `HashMap`/`HashSet` and `ConcurrentHashMap`: the order fastjson writes RocketMQ's
 * tables in (topics.json, subscriptionGroup.json, consumerOffset.json, name server answers, stored properties).
 * Reproducing it keeps rockit's files and answers byte-identical to Java's. Entries iterate by bucket index
 * `spread(hash) & (n - 1)`; entries sharing a bucket keep insertion order (HashMap resizes preserve it;
 * ConcurrentHashMap can reorder them after a resize, rare and harmless).
 */
import { javaStringHashCode } from '../message/tag-hash.js';

const LOAD_FACTOR = 0.75;

/** Java `Integer.hashCode()`. */
export function javaIntHash(n: number): number {
  return n | 0;
}

function tableSizeFor(c: number): number {
  let n = 1;
  while (n < c) n *= 2;
  return n;
}

/** `keys` (in insertion order) sorted by bucket `spread(hash) & mask`, ties in insertion order. */
function bucketOrder<K>(keys: K[], hash: (key: K) => number, mask: number): K[] {
  return keys
    .map((key, index) => {
      const h = hash(key);
      // HASH_BITS (0x7fffffff) only matters to ConcurrentHashMap above 2^31 buckets; harmless for HashMap.
      return { key, index, b: (h ^ (h >>> 16)) & 0x7fffffff & mask };
    })
    .sort((x, y) => x.b - y.b || x.index - y.index)
    .map((e) => e.key);
}

/** Table length of `new HashMap(initialCapacity)` (default 16) once it holds `size` entries; it never shrinks. */
export function hashMapTableSize(size: number, initialCapacity = 16): number {
  let n = tableSizeFor(initialCapacity);
  while (size > n * LOAD_FACTOR) n *= 2;
  return n;
}

/**
 * Keys of a `java.util.HashMap<String, ?>`/`HashSet<String>` (default capacity 16, or `initialCapacity`) filled
 * in this order, in its iteration order. E.g. how `MessageDecoder.messageProperties2String` orders the properties
 * of records a Java broker builds itself, or the topic lists a Java name server answers with.
 */
export function hashMapOrder(keys: Iterable<string>, initialCapacity = 16): string[] {
  const list = [...keys];
  return bucketOrder(list, javaStringHashCode, hashMapTableSize(list.length, initialCapacity) - 1);
}

/** Table length of `new ConcurrentHashMap(initialCapacity)` once it holds `size` entries. */
export function concurrentHashMapTableSize(initialCapacity: number, size: number): number {
  let n = tableSizeFor(Math.floor(1 + initialCapacity / LOAD_FACTOR));
  while (size >= n - (n >>> 2)) n *= 2;
  return n;
}

/** Keys of a `new ConcurrentHashMap(initialCapacity)` filled with `keys` (in that insertion order), in iteration order. */
export function concurrentHashMapOrder<K>(keys: Iterable<K>, hash: (key: K) => number, initialCapacity: number): K[] {
  const list = [...keys];
  return bucketOrder(list, hash, concurrentHashMapTableSize(initialCapacity, list.length) - 1);
}

/** A new Map with `map`'s entries in Java ConcurrentHashMap iteration order. */
export function inJavaOrder<K extends string | number, V>(map: ReadonlyMap<K, V>, initialCapacity: number): Map<K, V> {
  const hash = (k: K): number => (typeof k === 'string' ? javaStringHashCode(k) : javaIntHash(k));
  return new Map(concurrentHashMapOrder(map.keys(), hash, initialCapacity).map((k) => [k, map.get(k)!] as [K, V]));
}
