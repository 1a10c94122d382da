import type { CstNode, IToken } from 'chevrotain';
import { FilterSemanticError, positionAt } from '../errors.js';
import { isBooleanNode, type ComparisonOperator, type Literal, type Sql92Node, type StringMatchOperator } from './ast.js';
import * as T from './lexer.js';
import { sql92Parser } from './parser.js';
import { print } from './print.js';
import { ConversionFailure, JAVA_DOUBLE_MIN_VALUE, JAVA_INT_MAX, JAVA_LONG_MAX, javaCompare } from './values.js';

/** A node with its first token, whose position error messages report. */
interface Built {
  readonly node: Sql92Node;
  readonly start: IToken;
}

type Children = Record<string, (CstNode | IToken)[] | undefined>;

const tokens = (ctx: Children, key: string): IToken[] => (ctx[key] ?? []) as IToken[];
const nodes = (ctx: Children, key: string): CstNode[] => (ctx[key] ?? []) as CstNode[];
const token = (ctx: Children, key: string): IToken => tokens(ctx, key)[0]!;
const node = (ctx: Children, key: string): CstNode => nodes(ctx, key)[0]!;

/** How error messages name a value. */
export function describeNode(n: Sql92Node): string {
  if (n.kind === 'Literal') {
    if (n.type === 'String') return `the string ${print(n)}`;
    if (n.type === 'Boolean' || n.type === 'Null') return print(n);
    return `the number ${print(n)}`;
  }
  if (n.kind === 'Property') return `the property ${n.name}`;
  if (n.kind === 'Negate') return `the value ${print(n)}`;
  return `the condition ${print(n)}`;
}

const BaseVisitor = sql92Parser.getBaseCstVisitorConstructor();

/**
 * Builds the AST from the CST bottom-up, left to right, and applies RocketMQ's compile-time
 * checks at the same points its SelectorParser does (so the first reported error is the same).
 */
export class AstBuilder extends BaseVisitor {
  constructor(private readonly expression: string) {
    super();
  }

  private fail(reason: string, at: IToken): never {
    throw new FilterSemanticError(reason, positionAt(this.expression, at.startOffset), this.expression);
  }

  /** RocketMQ's asBooleanExpression: conditions pass, a bare property is cast, anything else is refused. */
  private asCondition(b: Built, where: string): Sql92Node {
    if (isBooleanNode(b.node)) return b.node;
    if (b.node.kind === 'Property') return { kind: 'BooleanCast', operand: b.node };
    return this.fail(`Expected a condition${where} but found ${describeNode(b.node)}`, b.start);
  }

  /** checkLessThanOperand: only numbers, negations and properties can meet > >= < <=. */
  private checkOrdered(b: Built, operator: string): void {
    const n = b.node;
    const refused = (n.kind === 'Literal' && !(n.type === 'Integer' || n.type === 'Long' || n.type === 'Double')) || isBooleanNode(n);
    if (!refused) return;
    const hint = n.kind === 'Not' ? `; NOT binds tighter than '${operator}', so write NOT (${print(n.operand)} ${operator} ...)` : '';
    this.fail(`Cannot compare ${describeNode(n)} with '${operator}': only numbers and properties can be ordered${hint}`, b.start);
  }

  private checkEquality(left: Built, right: Built, operator: string): void {
    for (const side of [left, right]) {
      if (side.node.kind === 'Literal' && side.node.type === 'Null') {
        this.fail(`Cannot compare with NULL using '${operator}'; use IS ${operator === '=' ? '' : 'NOT '}NULL`, side.start);
      }
    }
    const l = left.node;
    const r = right.node;
    if (l.kind === 'Literal' && r.kind === 'Literal' && l.type === 'Boolean' && r.type !== 'Boolean') {
      this.fail(`Cannot compare ${describeNode(l)} with ${describeNode(r)}`, left.start);
    }
  }

  private checkBetweenBounds(low: Built, high: Built): void {
    const lo = low.node;
    const hi = high.node;
    if (lo.kind !== 'Literal' || hi.kind !== 'Literal') return;
    if (lo.type === 'Null' || hi.type === 'Null') this.fail('BETWEEN bounds cannot be NULL', lo.type === 'Null' ? low.start : high.start);
    let order: number;
    try {
      order = javaCompare(hi as Exclude<Literal, { type: 'Null' }>, lo as Exclude<Literal, { type: 'Null' }>);
    } catch (e) {
      if (!(e instanceof ConversionFailure)) throw e;
      return this.fail(`BETWEEN bounds ${print(lo)} and ${print(hi)} cannot be compared (${e.reason})`, low.start);
    }
    if (order < 0) this.fail(`BETWEEN bounds are out of order: ${print(lo)} is greater than ${print(hi)}`, low.start);
  }

  selector(ctx: Children): Sql92Node {
    return this.asCondition(this.visit(node(ctx, 'orExpression')) as Built, '');
  }

  orExpression(ctx: Children): Built {
    return this.logical(ctx, 'Or', 'OR');
  }

  andExpression(ctx: Children): Built {
    return this.logical(ctx, 'And', 'AND');
  }

  private logical(ctx: Children, kind: 'And' | 'Or', keyword: string): Built {
    const operands = nodes(ctx, 'operands');
    let left = this.visit(operands[0]!) as Built;
    for (let i = 1; i < operands.length; i++) {
      const right = this.visit(operands[i]!) as Built;
      const l = this.asCondition(left, ` before ${keyword}`);
      const r = this.asCondition(right, ` after ${keyword}`);
      left = { node: { kind, left: l, right: r }, start: left.start };
    }
    return left;
  }

  equalityExpression(ctx: Children): Built {
    let left = this.visit(node(ctx, 'first')) as Built;
    for (const suffix of nodes(ctx, 'suffixes')) {
      const s = suffix.children as Children;
      const op = token(s, 'operator');
      if (op.tokenType === T.Is) {
        left = { node: { kind: 'IsNull', operand: left.node, negated: tokens(s, 'not').length > 0 }, start: left.start };
        continue;
      }
      const operator = op.image as ComparisonOperator;
      const right = this.visit(node(s, 'right')) as Built;
      this.checkEquality(left, right, operator);
      left = { node: { kind: 'Comparison', operator, left: left.node, right: right.node }, start: left.start };
    }
    return left;
  }

  comparisonExpression(ctx: Children): Built {
    let left = this.visit(node(ctx, 'first')) as Built;
    for (const suffix of nodes(ctx, 'suffixes')) {
      const s = suffix.children as Children;
      const negated = tokens(s, 'not').length > 0;
      if (s['right']) {
        const operator = token(s, 'operator').image as ComparisonOperator;
        const right = this.visit(node(s, 'right')) as Built;
        this.checkOrdered(left, operator);
        this.checkOrdered(right, operator);
        left = { node: { kind: 'Comparison', operator, left: left.node, right: right.node }, start: left.start };
      } else if (s['stringMatch']) {
        const m = node(s, 'stringMatch').children as Children;
        const operator = token(m, 'operator').image.toUpperCase() as StringMatchOperator;
        const search = unquote(token(m, 'search').image);
        left = { node: { kind: 'StringMatch', operator, operand: left.node, search, negated }, start: left.start };
      } else if (s['between']) {
        left = this.between(left, node(s, 'between').children as Children, negated);
      } else {
        const list = node(s, 'inList').children as Children;
        if (left.node.kind !== 'Property') {
          this.fail(`IN needs a property on its left but found ${describeNode(left.node)}`, left.start);
        }
        const values = tokens(list, 'values').map((t) => unquote(t.image));
        left = { node: { kind: 'In', operand: left.node, values, negated }, start: left.start };
      }
    }
    return left;
  }

  private between(value: Built, ctx: Children, negated: boolean): Built {
    const low = this.visit(node(ctx, 'low')) as Built;
    const high = this.visit(node(ctx, 'high')) as Built;
    if (!negated) this.checkBetweenBounds(low, high);
    const operator = negated ? 'NOT BETWEEN' : 'BETWEEN';
    this.checkOrdered(value, operator);
    this.checkOrdered(low, operator);
    this.checkOrdered(high, operator);
    return { node: { kind: 'Between', operand: value.node, low: low.node, high: high.node, negated }, start: value.start };
  }

  unaryExpression(ctx: Children): Built {
    if (!ctx['operator']) return this.primary(ctx);
    const op = token(ctx, 'operator');
    const operand = this.visit(node(ctx, 'operand')) as Built;
    if (op.image === '+') return { node: operand.node, start: op };
    if (op.image === '-') return { node: { kind: 'Negate', operand: operand.node }, start: op };
    return { node: { kind: 'Not', operand: this.asCondition(operand, ' after NOT') }, start: op };
  }

  private primary(ctx: Children): Built {
    if (ctx['inner']) return { node: (this.visit(node(ctx, 'inner')) as Built).node, start: token(ctx, 'open') };
    if (ctx['identifier']) {
      const t = token(ctx, 'identifier');
      return { node: { kind: 'Property', name: t.image }, start: t };
    }
    const t = token(ctx, 'literal');
    return { node: this.literal(t), start: t };
  }

  private literal(t: IToken): Literal {
    switch (t.tokenType) {
      case T.StringLiteral:
        return { kind: 'Literal', type: 'String', value: unquote(t.image) };
      case T.True:
        return { kind: 'Literal', type: 'Boolean', value: true };
      case T.False:
        return { kind: 'Literal', type: 'Boolean', value: false };
      case T.Null:
        return { kind: 'Literal', type: 'Null', value: null };
      case T.DecimalLiteral: {
        const digits = t.image.endsWith('l') || t.image.endsWith('L') ? t.image.slice(0, -1) : t.image;
        // Up to 9 digits always fits an int; only longer literals need exact (bigint) range checks.
        if (digits.length <= 9) return { kind: 'Literal', type: 'Integer', value: Number(digits) };
        const value = BigInt(digits);
        if (value > JAVA_LONG_MAX) this.fail(`Number ${t.image} is outside the range of a long`, t);
        return value <= JAVA_INT_MAX_BIG
          ? { kind: 'Literal', type: 'Integer', value: Number(value) }
          : { kind: 'Literal', type: 'Long', value };
      }
      default: {
        const value = Number(t.image);
        if (value === Infinity) this.fail(`Number ${t.image} is too large for a double`, t);
        if (value < JAVA_DOUBLE_MIN_VALUE) {
          this.fail(
            `Number ${t.image} is refused: RocketMQ does not accept floating-point literals below Double.MIN_VALUE (4.9E-324), so not 0.0 either; write 0`,
            t,
          );
        }
        return { kind: 'Literal', type: 'Double', value };
      }
    }
  }
}

const JAVA_INT_MAX_BIG = BigInt(JAVA_INT_MAX);

/** Decodes a string literal: strips the quotes and turns `''` into `'`. */
function unquote(image: string): string {
  return image.slice(1, -1).replaceAll("''", "'");
}
