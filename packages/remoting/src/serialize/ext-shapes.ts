/**
 * Builds decoded extFields objects fast. Storing keys one by one into a fresh object is a megamorphic keyed
 * store per field (the slowest part of decoding a header). But a connection sends the same few key sequences
 * over and over (SEND_MESSAGE_V2's a..n, the pull header...), so each sequence seen often enough gets a
 * generated object-literal factory: one monomorphic allocation with all fields in place, same key order.
 */
import type { ExtFields } from '../command.js';

interface ShapeNode {
  readonly next: Map<string, ShapeNode>;
  hits: number;
  factory: ((values: readonly string[]) => ExtFields) | undefined;
}

/** A sequence becomes a factory after this many sightings (one-off headers never pay for compiling). */
const HOT_AFTER = 16;
const MAX_NODES = 4096;
const MAX_FIELDS = 64;
let nodes = 0;
const root: ShapeNode = { next: new Map(), hits: 0, factory: undefined };

function compile(keys: readonly string[], n: number): ((values: readonly string[]) => ExtFields) | undefined {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    // A quoted "__proto__" in a literal would set the prototype; duplicates keep the slow path's semantics simple.
    if (k === '__proto__' || seen.has(k)) return undefined;
    seen.add(k);
    parts.push(`${JSON.stringify(k)}:v[${i}]`);
  }
  return new Function('v', `return {${parts.join(',')}};`) as (values: readonly string[]) => ExtFields;
}

/** Own-property assignment, also for a key named `__proto__`. */
export function setExtField(ext: ExtFields, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(ext, key, { value, enumerable: true, writable: true, configurable: true });
  else ext[key] = value;
}

/** Collects the fields of one header, then builds the object. Not reentrant: one decode at a time. */
export class ExtFieldsCollector {
  private readonly keys: string[] = [];
  private readonly values: string[] = [];
  private n = 0;
  /** The key sequence of the last hot shape and its factory: consecutive frames usually repeat it. */
  private lastKeys: string[] = [];
  private lastFactory: ((values: readonly string[]) => ExtFields) | undefined = undefined;

  reset(): void {
    this.n = 0;
  }

  add(key: string, value: string): void {
    this.keys[this.n] = key;
    this.values[this.n++] = value;
  }

  build(): ExtFields {
    const n = this.n;
    const keys = this.keys;
    const values = this.values;
    if (this.lastFactory !== undefined && this.sameAsLast(n)) return this.lastFactory(values);
    let node: ShapeNode | undefined = n <= MAX_FIELDS ? root : undefined;
    for (let i = 0; i < n && node !== undefined; i++) {
      let child: ShapeNode | undefined = node.next.get(keys[i]);
      if (child === undefined && nodes < MAX_NODES) {
        child = { next: new Map(), hits: 0, factory: undefined };
        node.next.set(keys[i], child);
        nodes++;
      }
      node = child;
    }
    if (node !== undefined) {
      if (node.factory !== undefined) {
        this.lastKeys = keys.slice(0, n);
        this.lastFactory = node.factory;
        return node.factory(values);
      }
      if (++node.hits === HOT_AFTER) node.factory = compile(keys, n);
    }
    const ext: ExtFields = {};
    for (let i = 0; i < n; i++) setExtField(ext, keys[i], values[i]);
    return ext;
  }

  private sameAsLast(n: number): boolean {
    const last = this.lastKeys;
    if (last.length !== n) return false;
    const keys = this.keys;
    for (let i = 0; i < n; i++) if (keys[i] !== last[i]) return false;
    return true;
  }
}
