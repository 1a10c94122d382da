/**
 * Subscription expressions compiled once and shared by every pull of the same (type, expression): the filter
 * @rockit/filter builds, adapted to the store's two-stage MessageFilter (tag code on the consume queue,
 * properties from the stored record for SQL92).
 */
import { readStoredMessageHeader, string2messageProperties } from '@rockit/common';
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

function adapt(compiled: CompiledFilter): SubscriptionFilter {
  const sql = compiled.expressionType === ExpressionType.SQL92;
  return {
    expressionType: compiled.expressionType,
    expression: compiled.expression,
    isMatchedByConsumeQueue: (tagsCode) => compiled.isMatchedByConsumeQueue(tagsCode),
    isMatchedByCommitLog: sql
      ? (msgBuffer, properties) => {
          if (properties) return compiled.isMatchedByCommitLog(properties);
          if (!msgBuffer) return true;
          return compiled.isMatchedByCommitLog(string2messageProperties(readStoredMessageHeader(msgBuffer, 0).propertiesString));
        }
      : () => true,
    matchesArrival: (tagsCode, propertiesString) =>
      compiled.isMatchedByConsumeQueue(tagsCode) && (!sql || compiled.isMatchedByCommitLog(string2messageProperties(propertiesString))),
  };
}

const MAX_CACHED = 10_000;

export class FilterCache {
  private readonly cache = new Map<string, SubscriptionFilter>();

  /**
   * The filter for a subscription. SQL92 needs `enablePropertyFilter` (else SYSTEM_ERROR); an expression that
   * does not parse answers SUBSCRIPTION_PARSE_FAILED with the parser's message.
   */
  get(expressionType: string | undefined, expression: string | undefined, enablePropertyFilter: boolean): SubscriptionFilter {
    const type = isTagType(expressionType) ? ExpressionType.TAG : (expressionType as string);
    if (type !== ExpressionType.TAG && !enablePropertyFilter) {
      fail(ResponseCode.SYSTEM_ERROR, 'The broker does not support consumer to filter message by SQL92');
    }
    const key = `${type}\u0000${expression ?? ''}`;
    let filter = this.cache.get(key);
    if (filter === undefined) {
      try {
        filter = adapt(compileSubscription(type, expression ?? ''));
      } catch (err) {
        const reason = err instanceof FilterError || err instanceof Error ? err.message : String(err);
        fail(ResponseCode.SUBSCRIPTION_PARSE_FAILED, `parse the consumer's subscription[${expression ?? ''}] failed: ${reason}`);
      }
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, filter);
    }
    return filter;
  }
}
