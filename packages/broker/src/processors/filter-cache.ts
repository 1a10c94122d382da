/**
 * Consumer subscriptions compiled once per (group, topic, subscription version), RocketMQ's ConsumerFilterManager
 * without the bloom-filter bitmap: heartbeats compile ahead, pulls find the compiled filter by group and topic and
 * never compile per pull or per message. The filter @rockit/filter builds is adapted to the store's two-stage
 * MessageFilter: tag code on the ConsumeQueue unit, then, for SQL92, the properties read straight out of the
 * stored record (no header decode, no properties map).
 */
import { MESSAGE_MAGIC_CODE_V2, NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR, findProperty, isBornHostV6, isStoreHostV6, type Logger } from '@rockit/common';
import { ExpressionType, FilterError, compileSubscription, isTagType, type MessageFilter as CompiledFilter } from '@rockit/filter';
import { ResponseCode } from '@rockit/remoting';
import type { MessageFilter } from '@rockit/store';
import { fail } from './responses.js';

/** A compiled subscription usable by the store and by the long-polling wake-up check. */
export interface SubscriptionFilter extends MessageFilter {
  readonly expressionType: string;
  readonly expression: string;
  /** Whether a newly arrived message (tag code + properties string) would be delivered. */
  matchesArrival(tagsCode: number, propertiesString: string | undefined): boolean;
}

/**
 * The properties string of a stored record (RocketMQ's layout, §12), or '' when the record is too short to hold
 * one: a damaged record then simply fails an SQL92 condition instead of failing the pull.
 */
export function storedPropertiesString(buf: Buffer): string {
  if (buf.length < 40) return '';
  const sysFlag = buf.readInt32BE(36);
  // totalSize..bornTimestamp is 48 bytes, then bornHost, storeTimestamp, storeHost, reconsumeTimes, preparedTxOffset.
  const bodyLengthAt = 48 + (isBornHostV6(sysFlag) ? 20 : 8) + 8 + (isStoreHostV6(sysFlag) ? 20 : 8) + 12;
  if (bodyLengthAt + 4 > buf.length) return '';
  let p = bodyLengthAt + 4 + buf.readInt32BE(bodyLengthAt);
  const v2 = buf.readInt32BE(4) === MESSAGE_MAGIC_CODE_V2;
  if (p < 0 || p + (v2 ? 2 : 1) > buf.length) return '';
  p += v2 ? 2 + buf.readInt16BE(p) : 1 + buf.readInt8(p);
  if (p + 2 > buf.length) return '';
  const len = buf.readInt16BE(p);
  p += 2;
  return len > 0 && p + len <= buf.length ? buf.toString('utf8', p, p + len) : '';
}

/** `\u0002name\u0001` per property name an expression reads (names come from compiled expressions only). */
const needles = new Map<string, string>();

/**
 * One property of a properties string, as `string2messageProperties` would give it (the last occurrence wins),
 * found with indexOf instead of walking every entry; about twice as fast as `findProperty` on stored records.
 */
export function readProperty(text: string, name: string): string | undefined {
  let needle = needles.get(name);
  if (needle === undefined) {
    if (needles.size >= 4096) needles.clear();
    needle = PROPERTY_SEPARATOR + name + NAME_VALUE_SEPARATOR;
    needles.set(name, needle);
  }
  let start: number;
  let at = text.indexOf(needle);
  if (at >= 0) {
    for (let next = text.indexOf(needle, at + 1); next >= 0; next = text.indexOf(needle, next + 1)) at = next;
    start = at + needle.length;
  } else if (name.length > 0 && text.startsWith(name) && text.charCodeAt(name.length) === 1) {
    start = name.length + 1;
  } else {
    return undefined;
  }
  let end = text.indexOf(PROPERTY_SEPARATOR, start);
  if (end < 0) end = text.length;
  // An empty value is no entry at all for string2messageProperties: an earlier one may then win (rare).
  return end > start ? text.substring(start, end) : findProperty(text, name);
}

/** Adapts a compiled TAG or SQL92 filter; SQL92 reads properties through one reused lookup, not a Map per message. */
export function adaptFilter(compiled: CompiledFilter): SubscriptionFilter {
  if (!compiled.needsCommitLogCheck) {
    return {
      expressionType: compiled.expressionType,
      expression: compiled.expression,
      isMatchedByConsumeQueue: (tagsCode) => compiled.isMatchedByConsumeQueue(tagsCode),
      isMatchedByCommitLog: () => true,
      matchesArrival: (tagsCode) => compiled.isMatchedByConsumeQueue(tagsCode),
    };
  }
  // Evaluation is synchronous, so one closure over a swapped-in properties string serves every message.
  let current = '';
  const lookup = (name: string): string | undefined => readProperty(current, name);
  const matches = (propertiesString: string): boolean => {
    current = propertiesString;
    try {
      return compiled.isMatchedByCommitLog(lookup);
    } finally {
      current = '';
    }
  };
  return {
    expressionType: compiled.expressionType,
    expression: compiled.expression,
    isMatchedByConsumeQueue: (tagsCode) => compiled.isMatchedByConsumeQueue(tagsCode),
    isMatchedByCommitLog: (msgBuffer, properties) => {
      if (properties) return compiled.isMatchedByCommitLog(properties);
      return msgBuffer === undefined || matches(storedPropertiesString(msgBuffer));
    },
    matchesArrival: (tagsCode, propertiesString) => compiled.isMatchedByConsumeQueue(tagsCode) && matches(propertiesString ?? ''),
  };
}

interface CompiledSubscription {
  readonly expressionType: string;
  readonly expression: string;
  /** The newest subscription version this compilation served. */
  version: number;
  readonly filter: SubscriptionFilter;
}

/** Compilations kept per (group, topic): consumers of a group in the middle of a subscription change. */
const PER_SUBSCRIPTION = 4;
/** (group, topic) pairs kept; beyond that the table starts over (groups and topics must exist to get here). */
const MAX_SUBSCRIPTIONS = 10_000;

function normalizedType(expressionType: string | undefined): string {
  return isTagType(expressionType) ? ExpressionType.TAG : (expressionType as string);
}

/** RocketMQ's refusal of non-TAG subscriptions on a broker without `enablePropertyFilter`. */
function checkTypeEnabled(type: string, enablePropertyFilter: boolean): void {
  if (type !== ExpressionType.TAG && !enablePropertyFilter) {
    fail(ResponseCode.SYSTEM_ERROR, `The broker does not support consumer to filter message by ${type}`);
  }
}

/** Compiles, answering SUBSCRIPTION_PARSE_FAILED with the parser's own message (line, column, what was expected). */
function compile(type: string, expression: string): SubscriptionFilter {
  try {
    return adaptFilter(compileSubscription(type, expression));
  } catch (err) {
    if (err instanceof FilterError && err.code !== ResponseCode.SUBSCRIPTION_PARSE_FAILED) fail(err.code, err.message);
    fail(ResponseCode.SUBSCRIPTION_PARSE_FAILED, err instanceof Error ? err.message : String(err));
  }
}

export class FilterCache {
  private readonly table = new Map<string, CompiledSubscription[]>();

  /** Number of (group, topic) pairs with a compiled subscription. */
  get size(): number {
    return this.table.size;
  }

  /**
   * The filter of `group`'s subscription to `topic` (from a heartbeat or a pull header), compiled on first use.
   * Throws SYSTEM_ERROR for SQL92 without `enablePropertyFilter` and SUBSCRIPTION_PARSE_FAILED for a bad
   * expression.
   */
  get(
    group: string,
    topic: string,
    expressionType: string | undefined,
    expression: string | undefined,
    subVersion: number,
    enablePropertyFilter: boolean,
  ): SubscriptionFilter {
    const type = normalizedType(expressionType);
    checkTypeEnabled(type, enablePropertyFilter);
    const text = expression ?? '';
    const key = `${group}\u0001${topic}`;
    let list = this.table.get(key);
    if (list !== undefined) {
      for (const c of list) {
        if (c.expression === text && c.expressionType === type) {
          if (subVersion > c.version) c.version = subVersion;
          return c.filter;
        }
      }
    }
    const filter = compile(type, text);
    if (list === undefined) {
      if (this.table.size >= MAX_SUBSCRIPTIONS) this.table.clear();
      list = [];
      this.table.set(key, list);
    }
    list.unshift({ expressionType: type, expression: text, version: subVersion, filter });
    if (list.length > PER_SUBSCRIPTION) list.pop();
    return filter;
  }

  /** The version last seen for a compiled (group, topic, type, expression), for inspection. */
  versionOf(group: string, topic: string, expressionType: string | undefined, expression: string): number | undefined {
    const type = normalizedType(expressionType);
    return this.table.get(`${group}\u0001${topic}`)?.find((c) => c.expressionType === type && c.expression === expression)?.version;
  }

  /**
   * A heartbeat's subscriptions, compiled ahead of the pulls. A bad one is logged, not refused: RocketMQ's
   * heartbeat succeeds too, and the pulls (or CHECK_CLIENT_CONFIG) answer with the parse error.
   */
  register(
    group: string,
    subscriptions: ReadonlyArray<{ topic: string; expressionType?: string | undefined; subString: string; subVersion: number }>,
    enablePropertyFilter: boolean,
    logger: Logger,
  ): void {
    // TAG filters are cheap to build on the first pull; without enablePropertyFilter the pulls refuse SQL92.
    if (!enablePropertyFilter) return;
    for (const sub of subscriptions) {
      if (isTagType(sub.expressionType)) continue;
      try {
        this.get(group, sub.topic, sub.expressionType, sub.subString, sub.subVersion, enablePropertyFilter);
      } catch (err) {
        logger.warn({ group, topic: sub.topic, expression: sub.subString, err: (err as Error).message }, 'heartbeat subscription does not compile');
      }
    }
  }

  /** CHECK_CLIENT_CONFIG: whether a subscription would be accepted, without keeping it. */
  check(expressionType: string | undefined, expression: string | undefined, enablePropertyFilter: boolean): void {
    const type = normalizedType(expressionType);
    if (type === ExpressionType.TAG) return;
    checkTypeEnabled(type, enablePropertyFilter);
    compile(type, expression ?? '');
  }
}
