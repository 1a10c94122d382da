/** Subscriptions as the broker keeps them (`SubscriptionData`, §5.3) and the client's exact tag re-check. */
import { MessageConst, type MessageExt } from '@rockit/common';
import { compileSql92, parseTagExpression } from '@rockit/filter';
import type { SubscriptionData } from '../api.js';
import { MQClientError } from '../errors.js';

export type ExpressionType = 'TAG' | 'SQL92';

/** A TAG expression (`"TagA || TagB"`, `"*"`) or an SQL92 one (`{ type: 'SQL92', expression: 'a > 5' }`). */
export interface MessageSelector {
  type: ExpressionType;
  expression: string;
}

/** `FilterAPI.build`: tags and their hash codes for TAG; the expression as is for SQL92 (checked locally first). */
export function buildSubscriptionData(topic: string, selector: string | MessageSelector = '*'): SubscriptionData {
  const { type, expression } = typeof selector === 'string' ? { type: 'TAG' as const, expression: selector } : selector;
  if (type === 'SQL92') {
    try {
      compileSql92(expression);
    } catch (err) {
      throw new MQClientError(`bad SQL92 subscription for ${topic}: ${(err as Error).message}`, -1, { cause: err });
    }
    return { classFilterMode: false, topic, subString: expression, tagsSet: [], codeSet: [], subVersion: Date.now(), expressionType: 'SQL92' };
  }
  const tags = parseTagExpression(expression);
  return {
    classFilterMode: false,
    topic,
    subString: tags.subString,
    tagsSet: [...tags.tags],
    codeSet: [...tags.codes],
    subVersion: Date.now(),
    expressionType: 'TAG',
  };
}

/**
 * The client's exact check after the broker's tag hash filter (hash codes collide): with a tag list, only messages
 * whose TAGS is in the list pass.
 */
export function filterByTags(sub: SubscriptionData, msgs: MessageExt[]): MessageExt[] {
  if (sub.expressionType !== 'TAG' || sub.tagsSet.length === 0 || sub.classFilterMode) return msgs;
  const tags = new Set(sub.tagsSet);
  return msgs.filter((m) => {
    const t = m.getProperty(MessageConst.PROPERTY_TAGS);
    return t !== undefined && tags.has(t);
  });
}
