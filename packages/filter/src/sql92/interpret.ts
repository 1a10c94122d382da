import { FilterEvaluationError } from '../errors.js';
import type { ComparisonOperator, Sql92Node } from './ast.js';
import { lookupProperty, type MessageProperties } from './properties.js';
import { ConversionFailure, javaCompare, javaDoubleCompare, javaDoubleValueOf, negateInteger, negateLong, type JavaValue } from './values.js';

/**
 * A straightforward tree-walking evaluator that follows RocketMQ's expression classes one to
 * one, with Java values tagged by class at run time. It is the reference the compiled
 * predicates are checked against; it allocates freely and is not meant for the hot path.
 * Throws FilterEvaluationError where RocketMQ's evaluation throws.
 */
export function interpretSql92(node: Sql92Node, properties: MessageProperties): boolean | null {
  try {
    return condition(node, properties);
  } catch (e) {
    if (e instanceof ConversionFailure) throw new FilterEvaluationError(`Evaluation aborted: ${e.reason}`);
    throw e;
  }
}

function value(node: Sql92Node, p: MessageProperties): JavaValue {
  switch (node.kind) {
    case 'Literal':
      return node.type === 'Null' ? null : ({ type: node.type, value: node.value } as JavaValue);
    case 'Property': {
      const v = lookupProperty(p, node.name);
      return v === null ? null : { type: 'String', value: v };
    }
    case 'Negate': {
      const v = value(node.operand, p);
      if (v === null) return null;
      if (v.type === 'Integer') return { type: 'Integer', value: negateInteger(v.value) };
      if (v.type === 'Long') return { type: 'Long', value: negateLong(BigInt(v.value)) };
      if (v.type === 'Double') return { type: 'Double', value: -v.value };
      return null;
    }
    default: {
      const b = condition(node, p);
      return b === null ? null : { type: 'Boolean', value: b };
    }
  }
}

function compare(operator: ComparisonOperator, left: Sql92Node, right: Sql92Node, p: MessageProperties): boolean | null {
  if (operator === '<>') {
    const eq = compare('=', left, right, p);
    return eq === null ? null : !eq;
  }
  if (operator === '=') {
    const l = value(left, p);
    const r = value(right, p);
    if (l === null && r === null) return true;
    if (l === null) return null;
    if (r === null) return false;
    return javaCompare(l, r) === 0;
  }
  const l = value(left, p);
  if (l === null) return null;
  const r = value(right, p);
  if (r === null) return null;
  const c =
    l.type === 'String' && r.type === 'String'
      ? javaDoubleCompare(javaDoubleValueOf(l.value), javaDoubleValueOf(r.value))
      : javaCompare(l, r);
  if (operator === '>') return c > 0;
  if (operator === '>=') return c >= 0;
  if (operator === '<') return c < 0;
  return c <= 0;
}

function and(a: boolean | null, right: () => boolean | null): boolean | null {
  if (a === false) return false;
  const b = right();
  if (b === false) return false;
  return a === null || b === null ? null : true;
}

function or(a: boolean | null, right: () => boolean | null): boolean | null {
  if (a === true) return true;
  const b = right();
  if (b === true) return true;
  return a === null || b === null ? null : false;
}

function condition(node: Sql92Node, p: MessageProperties): boolean | null {
  switch (node.kind) {
    case 'Literal':
      return node.type === 'Boolean' ? node.value : null;
    case 'BooleanCast': {
      const v = value(node.operand, p);
      return v === null ? null : v.type === 'Boolean' ? v.value : false;
    }
    case 'Not': {
      const v = condition(node.operand, p);
      return v === null ? null : !v;
    }
    case 'And':
      return and(condition(node.left, p), () => condition(node.right, p));
    case 'Or':
      return or(condition(node.left, p), () => condition(node.right, p));
    case 'Comparison':
      return compare(node.operator, node.left, node.right, p);
    case 'IsNull':
      return (value(node.operand, p) === null) !== node.negated;
    case 'Between':
      return node.negated
        ? or(compare('<', node.operand, node.low, p), () => compare('>', node.operand, node.high, p))
        : and(compare('>=', node.operand, node.low, p), () => compare('<=', node.operand, node.high, p));
    case 'In': {
      const v = value(node.operand, p);
      if (v === null || v.type !== 'String') return null;
      return node.values.includes(v.value) !== node.negated;
    }
    case 'StringMatch': {
      if (node.search.length === 0) return false;
      const v = value(node.operand, p);
      if (v === null || v.type !== 'String') return false;
      const found =
        node.operator === 'CONTAINS'
          ? v.value.includes(node.search)
          : node.operator === 'STARTSWITH'
            ? v.value.startsWith(node.search)
            : v.value.endsWith(node.search);
      return found !== node.negated;
    }
    default:
      throw new TypeError(`${node.kind} is not a condition`);
  }
}
