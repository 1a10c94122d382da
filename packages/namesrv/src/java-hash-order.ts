/**
 * Iteration order of Java's HashMap/HashSet with String keys, so lists and maps we answer with come
 * out in the order a Java name server writes them (readers do not care; byte-identical answers make
 * captures comparable). Bucket = spread(String.hashCode) & (capacity - 1); a bucket keeps insertion
 * order, and resizing preserves it.
 */
import { javaStringHashCode } from '@rockit/common';

const LOAD_FACTOR = 0.75;

/** Table size of a HashMap created with `initialCapacity` after `size` insertions (it never shrinks). */
export function javaHashCapacity(size: number, initialCapacity = 16): number {
  let capacity = 1;
  while (capacity < initialCapacity) capacity *= 2;
  while (size > capacity * LOAD_FACTOR) capacity *= 2;
  return capacity;
}

function bucketOf(key: string, capacity: number): number {
  const h = javaStringHashCode(key);
  return (h ^ (h >>> 16)) & (capacity - 1);
}

/** `keys` (given in insertion order) in the order a Java HashMap of that capacity iterates them. */
export function javaHashOrder(keys: Iterable<string>, capacity: number): string[] {
  return [...keys]
    .map((key, index) => ({ key, index, bucket: bucketOf(key, capacity) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.key);
}

/** Order of a HashMap/HashSet with default initial capacity (16), or the given one, holding `keys`. */
export function javaHashSetOrder(keys: Iterable<string>, initialCapacity = 16): string[] {
  const list = [...keys];
  return javaHashOrder(list, javaHashCapacity(list.length, initialCapacity));
}
