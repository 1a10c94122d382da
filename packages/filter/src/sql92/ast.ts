/**
 * Typed AST of an SQL92 selector. Node kinds follow RocketMQ's expression classes; parentheses
 * leave no node (as in RocketMQ), so `(a)` and `a` are the same tree.
 */

/** Java classes a value can have while RocketMQ evaluates a selector (`Null` = always null). */
export type JavaType = 'String' | 'Boolean' | 'Integer' | 'Long' | 'Double' | 'Null';

export type Literal =
  | { readonly kind: 'Literal'; readonly type: 'String'; readonly value: string }
  | { readonly kind: 'Literal'; readonly type: 'Integer'; readonly value: number }
  | { readonly kind: 'Literal'; readonly type: 'Long'; readonly value: bigint }
  | { readonly kind: 'Literal'; readonly type: 'Double'; readonly value: number }
  | { readonly kind: 'Literal'; readonly type: 'Boolean'; readonly value: boolean }
  | { readonly kind: 'Literal'; readonly type: 'Null'; readonly value: null };

/** A message property, looked up by exact (case-sensitive) name; its value is a string or absent. */
export interface Property {
  readonly kind: 'Property';
  readonly name: string;
}

/** Unary minus. RocketMQ evaluates it at run time: numbers are negated, anything else gives null. */
export interface Negate {
  readonly kind: 'Negate';
  readonly operand: Sql92Node;
}

/** NOT over a condition (three-valued: NOT null = null). */
export interface Not {
  readonly kind: 'Not';
  readonly operand: Sql92Node;
}

/** A bare property used as a condition: null when absent, otherwise FALSE (property values are strings, never Boolean). */
export interface BooleanCast {
  readonly kind: 'BooleanCast';
  readonly operand: Property;
}

export interface Logical {
  readonly kind: 'And' | 'Or';
  readonly left: Sql92Node;
  readonly right: Sql92Node;
}

export type ComparisonOperator = '=' | '<>' | '>' | '>=' | '<' | '<=';

export interface Comparison {
  readonly kind: 'Comparison';
  readonly operator: ComparisonOperator;
  readonly left: Sql92Node;
  readonly right: Sql92Node;
}

export interface IsNull {
  readonly kind: 'IsNull';
  readonly operand: Sql92Node;
  readonly negated: boolean;
}

/** `x BETWEEN a AND b` is `x >= a AND x <= b`; `NOT BETWEEN` is `x < a OR x > b`. */
export interface Between {
  readonly kind: 'Between';
  readonly operand: Sql92Node;
  readonly low: Sql92Node;
  readonly high: Sql92Node;
  readonly negated: boolean;
}

export interface In {
  readonly kind: 'In';
  readonly operand: Property;
  readonly values: readonly string[];
  readonly negated: boolean;
}

export type StringMatchOperator = 'CONTAINS' | 'STARTSWITH' | 'ENDSWITH';

/** RocketMQ 5.x CONTAINS / STARTSWITH / ENDSWITH: FALSE (never null) for absent or non-string values and an empty search. */
export interface StringMatch {
  readonly kind: 'StringMatch';
  readonly operator: StringMatchOperator;
  readonly operand: Sql92Node;
  readonly search: string;
  readonly negated: boolean;
}

export type Sql92Node =
  | Literal
  | Property
  | Negate
  | Not
  | BooleanCast
  | Logical
  | Comparison
  | IsNull
  | Between
  | In
  | StringMatch;

/** Whether RocketMQ treats the node as a BooleanExpression (a condition, or the constants TRUE/FALSE/NULL). */
export function isBooleanNode(node: Sql92Node): boolean {
  switch (node.kind) {
    case 'Literal':
      return node.type === 'Boolean' || node.type === 'Null';
    case 'Property':
    case 'Negate':
      return false;
    default:
      return true;
  }
}

/** The Java class a node's non-null value always has (every node has exactly one). */
export function staticTypeOf(node: Sql92Node): JavaType {
  switch (node.kind) {
    case 'Literal':
      return node.type;
    case 'Property':
      return 'String';
    case 'Negate': {
      const inner = staticTypeOf(node.operand);
      return inner === 'Integer' || inner === 'Long' || inner === 'Double' ? inner : 'Null';
    }
    default:
      return 'Boolean';
  }
}
