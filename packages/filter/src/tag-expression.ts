import { javaTrim } from './sql92/values.js';

/** The subscription string that selects every message (`SubscriptionData.SUB_ALL`). */
export const SUB_ALL = '*';

/** A parsed TAG subscription, as FilterAPI.buildSubscriptionData builds it. */
export interface TagSubscription {
  /** The subscription string as RocketMQ keeps it (`*` when it selects everything). */
  readonly subString: string;
  /** True for `*`, empty or missing: every message matches, tagged or not. */
  readonly all: boolean;
  /** The distinct trimmed tags (empty when `all`). */
  readonly tags: ReadonlySet<string>;
  /** Their Java String.hashCode values, as stored in the ConsumeQueue's tagsCode (empty when `all`). */
  readonly codes: ReadonlySet<number>;
}

/**
 * Java's `String.hashCode`: `h = 31 * h + c` over UTF-16 code units with int32 wrap-around.
 * It is the ConsumeQueue's tagsCode for a message's TAGS (`"TagA"` -> 2598919).
 */
export function tagHashCode(tag: string): number {
  let h = 0;
  for (let i = 0; i < tag.length; i++) h = (Math.imul(31, h) + tag.charCodeAt(i)) | 0;
  return h;
}

/**
 * Parses a TAG subscription: `*` or empty selects all; otherwise tags separated by `||`,
 * each trimmed, empty parts and duplicates ignored. A `*` inside a list is the literal tag `*`.
 */
export function parseTagExpression(expression: string | null | undefined): TagSubscription {
  if (expression == null || expression === '' || expression === SUB_ALL) {
    return { subString: SUB_ALL, all: true, tags: new Set(), codes: new Set() };
  }
  const tags = new Set<string>();
  const codes = new Set<number>();
  for (const part of expression.split('||')) {
    const tag = javaTrim(part);
    if (tag.length === 0 || tags.has(tag)) continue;
    tags.add(tag);
    codes.add(tagHashCode(tag));
  }
  return { subString: expression, all: false, tags, codes };
}

/**
 * The broker's ConsumeQueue-stage check. `tagsCode` is the unit's 8-byte tag code; RocketMQ
 * compares its low 32 bits (`tagsCode.intValue()`), and a missing code always matches.
 */
export function matchesTagCode(sub: TagSubscription, tagsCode: number | bigint | null | undefined): boolean {
  if (tagsCode == null || sub.all) return true;
  return sub.codes.has(typeof tagsCode === 'number' && tagsCode === (tagsCode | 0) ? tagsCode : lowInt32(tagsCode));
}

/** The client's exact re-check by tag string (hash codes can collide); untagged messages match only `*`. */
export function matchesTag(sub: TagSubscription, tag: string | null | undefined): boolean {
  if (sub.all) return true;
  return tag != null && sub.tags.has(tag);
}

function lowInt32(code: number | bigint): number {
  return Number(BigInt.asIntN(32, typeof code === 'bigint' ? code : BigInt(Math.trunc(code))));
}
