import { FilterEvaluationError, FilterSyntaxError } from '../errors.js';
import type { Comparison, ComparisonOperator, JavaType, Sql92Node } from './ast.js';
import { parseSql92 } from './parse.js';
import { print } from './print.js';
import { lookupProperty, type MessageProperties } from './properties.js';
import {
  ConversionFailure,
  classCastFailure,
  compareExact,
  javaBooleanValueOf,
  javaDoubleCompare,
  javaDoubleValueOf,
  javaIntegerValueOf,
  javaLongValueOf,
  negateInteger,
  negateLong,
} from './values.js';

/** A compiled condition: TRUE, FALSE or null (UNKNOWN); throws ConversionFailure to abort. */
export type Condition = (properties: MessageProperties) => boolean | null;

// Run-time representation per Java class: String string, Boolean boolean, Integer and Double
// number, Long number | bigint (exact), null for null. Every node's class is known statically.
type Value = string | boolean | number | bigint | null;
type ValueFn = (properties: MessageProperties) => Value;
type Comparator = (a: never, b: never) => number;

interface Operand {
  readonly type: JavaType;
  readonly fn: ValueFn;
  /** Present when the value is the same for every message. */
  readonly constant?: { readonly value: Value };
}

const minusOne = (): number => -1;
const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const compareBooleans = (a: boolean, b: boolean): number => (a === b ? 0 : a ? 1 : -1);

const compareToDouble = (a: number | bigint, b: number): number => javaDoubleCompare(Number(a), b);
const compareDoubleTo = (a: number, b: number | bigint): number => javaDoubleCompare(a, Number(b));
const throwClassCast = (): never => {
  throw classCastFailure;
};

/**
 * RocketMQ's __compare specialised for the static classes of both sides (left, then right): the
 * promotion or string conversion is chosen once, at compile time. Pairs not listed compare as -1.
 */
const COMPARATORS: Partial<Record<JavaType, Partial<Record<JavaType, Comparator>>>> = {
  String: {
    String: compareStrings,
    Integer: (a: string, b: number) => compareExact(javaIntegerValueOf(a), b),
    Long: (a: string, b: number | bigint) => compareExact(javaLongValueOf(a), b),
    Double: (a: string, b: number) => javaDoubleCompare(javaDoubleValueOf(a), b),
    Boolean: (a: string, b: boolean) => compareBooleans(javaBooleanValueOf(a), b),
  },
  Boolean: { Boolean: compareBooleans, String: throwClassCast },
  Integer: {
    Integer: compareExact,
    Long: compareExact,
    Double: compareToDouble,
    String: (a: number, b: string) => compareExact(a, javaIntegerValueOf(b)),
  },
  Long: {
    Long: compareExact,
    Integer: compareExact,
    Double: compareToDouble,
    String: (a: number | bigint, b: string) => compareExact(a, javaLongValueOf(b)),
  },
  Double: {
    Double: javaDoubleCompare,
    Integer: compareDoubleTo,
    Long: compareDoubleTo,
    String: (a: number, b: string) => javaDoubleCompare(a, javaDoubleValueOf(b)),
  },
};

function comparatorFor(left: JavaType, right: JavaType): Comparator {
  return COMPARATORS[left]?.[right] ?? minusOne;
}

/** `>`, `>=`, `<`, `<=` between two property strings: RocketMQ reads both as Double. */
const compareStringsAsDoubles = (a: string, b: string): number => javaDoubleCompare(javaDoubleValueOf(a), javaDoubleValueOf(b));

function constantOperand(type: JavaType, value: Value): Operand {
  return { type: value === null ? 'Null' : type, fn: () => value, constant: { value } };
}

/** Reads one property; one getter per kind of property source keeps each closure tree monomorphic. */
export type PropertyGetter = (properties: MessageProperties, name: string) => string | null | undefined;

const mapGetter: PropertyGetter = (p, name) => (p as ReadonlyMap<string, string>).get(name);

function compileOperand(node: Sql92Node, get: PropertyGetter): Operand {
  switch (node.kind) {
    case 'Literal':
      return constantOperand(node.type, node.value);
    case 'Property': {
      const name = node.name;
      return { type: 'String', fn: (p) => get(p, name) ?? null };
    }
    case 'Negate': {
      const inner = compileOperand(node.operand, get);
      if (inner.constant !== undefined) {
        const v = inner.constant.value;
        if (inner.type === 'Integer') return constantOperand('Integer', negateInteger(v as number));
        if (inner.type === 'Long') return constantOperand('Long', negateLong(BigInt(v as number | bigint)));
        if (inner.type === 'Double') return constantOperand('Double', -(v as number));
        return constantOperand('Null', null);
      }
      // Not a number: the result is null, but a condition operand still runs (it may abort).
      if (node.operand.kind === 'Property') return constantOperand('Null', null);
      const fn = inner.fn;
      return {
        type: 'Null',
        fn: (p) => {
          fn(p);
          return null;
        },
      };
    }
    default:
      return { type: 'Boolean', fn: compileCondition(node, get) };
  }
}

function relationalTest(operator: ComparisonOperator): (c: number) => boolean {
  switch (operator) {
    case '>':
      return (c) => c > 0;
    case '>=':
      return (c) => c >= 0;
    case '<':
      return (c) => c < 0;
    default:
      return (c) => c <= 0;
  }
}

function compileEquality(node: Comparison, get: PropertyGetter): Condition {
  const l = compileOperand(node.left, get);
  const r = compileOperand(node.right, get);
  const cmp = comparatorFor(l.type, r.type) as (a: Value, b: Value) => number;
  const lf = l.fn;
  const rf = r.fn;
  // RocketMQ: both sides evaluated; null = null is TRUE, null = x is null, x = null is FALSE.
  const equal: Condition = (p) => {
    const a = lf(p);
    const b = rf(p);
    if (a === null) return b === null ? true : null;
    if (b === null) return false;
    return cmp(a, b) === 0;
  };
  if (node.operator === '=') return equal;
  return (p) => {
    const v = equal(p);
    return v === null ? null : !v;
  };
}

function compileRelational(node: Comparison, get: PropertyGetter): Condition {
  const l = compileOperand(node.left, get);
  const r = compileOperand(node.right, get);
  const test = relationalTest(node.operator);
  const cmp = (
    l.type === 'String' && r.type === 'String' ? compareStringsAsDoubles : comparatorFor(l.type, r.type)
  ) as (a: Value, b: Value) => number;
  if (node.left.kind === 'Property' && r.constant !== undefined) {
    // The common shape `prop > 10`: no operand calls.
    const name = node.left.name;
    const c = r.constant.value;
    if (c === null) return () => null;
    return (p) => {
      const a = get(p, name);
      return a == null ? null : test(cmp(a, c));
    };
  }
  const lf = l.fn;
  const rf = r.fn;
  return (p) => {
    const a = lf(p);
    if (a === null) return null;
    const b = rf(p);
    if (b === null) return null;
    return test(cmp(a, b));
  };
}

function and(left: Condition, right: Condition): Condition {
  return (p) => {
    const a = left(p);
    if (a === false) return false;
    const b = right(p);
    if (b === false) return false;
    return a === null || b === null ? null : true;
  };
}

function or(left: Condition, right: Condition): Condition {
  return (p) => {
    const a = left(p);
    if (a === true) return true;
    const b = right(p);
    if (b === true) return true;
    return a === null || b === null ? null : false;
  };
}

function compare(operator: ComparisonOperator, left: Sql92Node, right: Sql92Node, get: PropertyGetter): Condition {
  return compileCondition({ kind: 'Comparison', operator, left, right }, get);
}

const stringMatchers = {
  CONTAINS: (s: string, search: string) => s.includes(search),
  STARTSWITH: (s: string, search: string) => s.startsWith(search),
  ENDSWITH: (s: string, search: string) => s.endsWith(search),
} as const;

/** Compiles a condition node into a closure; all decisions about types are taken here, once. */
export function compileCondition(node: Sql92Node, get: PropertyGetter = lookupProperty): Condition {
  switch (node.kind) {
    case 'Literal': {
      const value = node.type === 'Boolean' ? node.value : null;
      return () => value;
    }
    case 'BooleanCast': {
      const name = node.operand.name;
      return (p) => (get(p, name) == null ? null : false);
    }
    case 'Not': {
      const inner = compileCondition(node.operand, get);
      return (p) => {
        const v = inner(p);
        return v === null ? null : !v;
      };
    }
    case 'And':
      return and(compileCondition(node.left, get), compileCondition(node.right, get));
    case 'Or':
      return or(compileCondition(node.left, get), compileCondition(node.right, get));
    case 'Comparison':
      return node.operator === '=' || node.operator === '<>' ? compileEquality(node, get) : compileRelational(node, get);
    case 'IsNull': {
      const fn = compileOperand(node.operand, get).fn;
      return node.negated ? (p) => fn(p) !== null : (p) => fn(p) === null;
    }
    case 'Between':
      return node.negated
        ? or(compare('<', node.operand, node.low, get), compare('>', node.operand, node.high, get))
        : and(compare('>=', node.operand, node.low, get), compare('<=', node.operand, node.high, get));
    case 'In': {
      const name = node.operand.name;
      const values = new Set(node.values);
      const negated = node.negated;
      return (p) => {
        const v = get(p, name);
        return v == null ? null : values.has(v) !== negated;
      };
    }
    case 'StringMatch': {
      const search = node.search;
      if (search.length === 0) return () => false;
      const fn = compileOperand(node.operand, get).fn;
      const matches = stringMatchers[node.operator];
      const negated = node.negated;
      return (p) => {
        const v = fn(p);
        return typeof v === 'string' ? matches(v, search) !== negated : false;
      };
    }
    default:
      throw new TypeError(`${node.kind} is not a condition`);
  }
}

/** A compiled SQL92 selector, ready to be evaluated per message. */
export interface CompiledSql92 {
  /** The expression as given. */
  readonly expression: string;
  /** The normalized expression (keywords upper-case, minimal parentheses); parses to the same AST. */
  readonly normalized: string;
  readonly ast: Sql92Node;
  /** Whether the message is selected: only an exact TRUE selects; UNKNOWN and aborted evaluations do not. */
  evaluate(properties: MessageProperties): boolean;
  /**
   * The three-valued result (null = UNKNOWN). Throws FilterEvaluationError when a property
   * cannot be converted (RocketMQ aborts the evaluation; such a message is not selected).
   */
  evaluateValue(properties: MessageProperties): boolean | null;
}

// Like RocketMQ's SelectorParser.PARSE_CACHE: the same few expressions arrive again and again
// (every heartbeat, every pull), so the last 100 outcomes, failures included, are kept.
const CACHE_SIZE = 100;
const cache = new Map<string, CompiledSql92 | FilterSyntaxError>();

export interface CompileSql92Options {
  /** Use the cache of the last 100 outcomes (default true). */
  readonly cache?: boolean;
}

/**
 * Parses, checks and compiles an SQL92 selector with RocketMQ's semantics. Throws
 * FilterSyntaxError (or its subclass FilterSemanticError) with line, column and what was expected.
 * Results for the last 100 distinct expressions are cached (compiled selectors are immutable).
 */
export function compileSql92(expression: string, options?: CompileSql92Options): CompiledSql92 {
  if (options?.cache === false) return compileUncached(expression);
  let outcome = cache.get(expression);
  if (outcome !== undefined) {
    cache.delete(expression); // keep the most recently used last
  } else {
    try {
      outcome = compileUncached(expression);
    } catch (e) {
      if (!(e instanceof FilterSyntaxError)) throw e;
      outcome = e;
    }
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(expression, outcome);
  if (outcome instanceof FilterSyntaxError) throw outcome;
  return outcome;
}

/** Drops every cached compilation. */
export function clearSql92Cache(): void {
  cache.clear();
}

function compileUncached(expression: string): CompiledSql92 {
  return new CompiledSelector(expression, parseSql92(expression));
}

/** A class rather than an object literal: literals with getters take V8's slow creation path. */
class CompiledSelector implements CompiledSql92 {
  // Maps (what the broker decodes properties into) get their own closure tree; the general
  // one is built the first time another kind of property source shows up.
  private readonly onMap: Condition;
  private onAny: Condition | undefined;
  private normalizedText: string | undefined;

  constructor(
    readonly expression: string,
    readonly ast: Sql92Node,
  ) {
    this.onMap = compileCondition(ast, mapGetter);
  }

  get normalized(): string {
    return (this.normalizedText ??= print(this.ast));
  }

  private condition(properties: MessageProperties): boolean | null {
    if (properties instanceof Map) return this.onMap(properties);
    return (this.onAny ??= compileCondition(this.ast, lookupProperty))(properties);
  }

  evaluate(properties: MessageProperties): boolean {
    try {
      return this.condition(properties) === true;
    } catch {
      return false; // RocketMQ's filter catches every failure and does not select the message
    }
  }

  evaluateValue(properties: MessageProperties): boolean | null {
    try {
      return this.condition(properties);
    } catch (e) {
      if (e instanceof ConversionFailure) throw new FilterEvaluationError(`Evaluation aborted: ${e.reason}`);
      throw e;
    }
  }
}
