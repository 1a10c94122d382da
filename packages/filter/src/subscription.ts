import { FilterTypeError } from './errors.js';
import { compileSql92, type CompiledSql92 } from './sql92/compile.js';
import type { MessageProperties } from './sql92/properties.js';
import { matchesTagCode, parseTagExpression, type TagSubscription } from './tag-expression.js';

/** RocketMQ's ExpressionType names. */
export const ExpressionType = { TAG: 'TAG', SQL92: 'SQL92' } as const;

/** RocketMQ's ExpressionType.isTagType: a missing or empty type means TAG. */
export function isTagType(type: string | null | undefined): boolean {
  return type == null || type === '' || type === ExpressionType.TAG;
}

/**
 * The broker's two-stage message filter (RocketMQ's MessageFilter): a cheap check on the
 * ConsumeQueue unit's tag code, then a check on the message's properties from the CommitLog.
 * A message is delivered only when both say yes.
 */
export interface MessageFilter {
  /** `TAG` or `SQL92` (normalized: an empty type is `TAG`). */
  readonly expressionType: string;
  readonly expression: string;
  /**
   * False when isMatchedByCommitLog always answers true (TAG), so the caller can skip decoding
   * the stored message's properties.
   */
  readonly needsCommitLogCheck: boolean;
  isMatchedByConsumeQueue(tagsCode: number | bigint | null | undefined): boolean;
  isMatchedByCommitLog(properties: MessageProperties | null | undefined): boolean;
}

export interface TagMessageFilter extends MessageFilter {
  readonly expressionType: 'TAG';
  readonly subscription: TagSubscription;
}

export interface Sql92MessageFilter extends MessageFilter {
  readonly expressionType: 'SQL92';
  readonly compiled: CompiledSql92;
}

/** Builds a filter for one expression type; throws FilterSyntaxError for a bad expression. */
export type FilterCompiler = (expression: string) => MessageFilter;

const noProperties: MessageProperties = new Map<string, string>();

export function compileTagFilter(expression: string): TagMessageFilter {
  const subscription = parseTagExpression(expression);
  return {
    expressionType: 'TAG',
    expression: subscription.subString,
    subscription,
    needsCommitLogCheck: false,
    isMatchedByConsumeQueue: (tagsCode) => matchesTagCode(subscription, tagsCode),
    // Tags are decided on the ConsumeQueue; the client re-checks the exact strings.
    isMatchedByCommitLog: () => true,
  };
}

export function compileSql92Filter(expression: string): Sql92MessageFilter {
  const compiled = compileSql92(expression);
  return {
    expressionType: 'SQL92',
    expression,
    compiled,
    needsCommitLogCheck: true,
    // Without RocketMQ's optional bloom-filter bitmap there is nothing to decide on the tag code.
    isMatchedByConsumeQueue: () => true,
    isMatchedByCommitLog: (properties) => compiled.evaluate(properties ?? noProperties),
  };
}

const registry = new Map<string, FilterCompiler>([
  [ExpressionType.TAG, compileTagFilter],
  [ExpressionType.SQL92, compileSql92Filter],
]);

/** Registers (or replaces) the filter for an expression type; TAG and SQL92 are built in. */
export function registerFilterType(expressionType: string, compiler: FilterCompiler): void {
  registry.set(expressionType, compiler);
}

/** The expression types a filter is registered for. */
export function filterTypes(): string[] {
  return [...registry.keys()];
}

/**
 * Compiles a subscription (`SubscriptionData.expressionType` + `subString`) into a MessageFilter.
 * Throws FilterSyntaxError / FilterSemanticError for a bad expression (answer
 * SUBSCRIPTION_PARSE_FAILED with its message) and FilterTypeError for an unknown type.
 */
export function compileSubscription(expressionType: string | null | undefined, expression: string | null | undefined): MessageFilter {
  const type = isTagType(expressionType) ? ExpressionType.TAG : expressionType!;
  const compiler = registry.get(type);
  if (compiler === undefined) throw new FilterTypeError(type);
  return compiler(expression ?? '');
}
