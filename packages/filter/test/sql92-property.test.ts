import { describe, expect, it } from 'vitest';
import {
  compileSql92,
  FilterSyntaxError,
  interpretSql92,
  parseSql92,
  printSql92,
  type Literal,
  type Sql92Node,
} from '@rockit/filter';
import { outcomeOf } from './evaluation-outcome.js';

/** mulberry32: a small seeded PRNG so every run explores the same cases and failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROPERTY_NAMES = ['a', 'b', 'c', 'TAGS'];
const PROPERTY_VALUES = ['1', '5', '-3', '10', '10.0', '2147483648', '1e3', 'NaN', ' 7', 'abc', 'x', 'y', 'true', 'TRUE', '', "it's"];
const STRINGS = ['x', 'y', 'abc', '', "it's", '5', 'true', 'TagA'];
const INTEGERS = [0, 1, 5, 10, 2147483647];
const LONGS = [2147483648n, 9007199254740993n, 9223372036854775807n];
const DOUBLES = [0.5, 1.5, 10, 3.14, 1e21, 2.5e-7];

/** Generates random ASTs that RocketMQ would accept (every compile-time check holds by construction). */
class AstGenerator {
  constructor(private readonly random: () => number) {}

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private property(): { kind: 'Property'; name: string } {
    return { kind: 'Property', name: this.pick(PROPERTY_NAMES) };
  }

  private number(): Literal {
    const r = this.random();
    if (r < 0.5) return { kind: 'Literal', type: 'Integer', value: this.pick(INTEGERS) };
    if (r < 0.7) return { kind: 'Literal', type: 'Long', value: this.pick(LONGS) };
    return { kind: 'Literal', type: 'Double', value: this.pick(DOUBLES) };
  }

  /** What may stand beside > >= < <= and BETWEEN: numbers, properties, negations. */
  ordered(depth: number): Sql92Node {
    const r = this.random();
    if (r < 0.4) return this.number();
    if (r < 0.85 || depth <= 0) return this.property();
    return { kind: 'Negate', operand: this.chance(0.7) ? this.number() : this.ordered(depth - 1) };
  }

  /** Any value, conditions included. */
  value(depth: number): Sql92Node {
    const r = this.random();
    if (r < 0.3) return this.number();
    if (r < 0.45) return { kind: 'Literal', type: 'String', value: this.pick(STRINGS) };
    if (r < 0.5) return { kind: 'Literal', type: 'Boolean', value: this.chance(0.5) };
    if (r < 0.8 || depth <= 0) return this.property();
    if (r < 0.9) return { kind: 'Negate', operand: this.value(depth - 1) };
    // A bare property is only cast to a condition where a condition is required.
    const condition = this.condition(depth - 1);
    return condition.kind === 'BooleanCast' ? condition.operand : condition;
  }

  /** RocketMQ refuses NULL beside = and <>. */
  private equalityOperand(depth: number): Sql92Node {
    const v = this.value(depth);
    return v.kind === 'Literal' && v.type === 'Null' ? this.property() : v;
  }

  condition(depth: number): Sql92Node {
    const r = this.random();
    const leaf = depth <= 0;
    if (r < 0.05) {
      const v = this.random();
      return v < 0.4 ? { kind: 'Literal', type: 'Boolean', value: true } : v < 0.8 ? { kind: 'Literal', type: 'Boolean', value: false } : { kind: 'Literal', type: 'Null', value: null };
    }
    if (r < 0.1) return { kind: 'BooleanCast', operand: this.property() };
    if (!leaf && r < 0.3) return { kind: this.chance(0.5) ? 'And' : 'Or', left: this.condition(depth - 1), right: this.condition(depth - 1) };
    if (!leaf && r < 0.35) return { kind: 'Not', operand: this.condition(depth - 1) };
    if (r < 0.5) {
      let left = this.equalityOperand(depth - 1);
      const right = this.equalityOperand(depth - 1);
      // RocketMQ refuses TRUE/FALSE = <non-boolean constant>.
      if (left.kind === 'Literal' && left.type === 'Boolean' && right.kind === 'Literal' && right.type !== 'Boolean') left = this.property();
      return { kind: 'Comparison', operator: this.chance(0.5) ? '=' : '<>', left, right };
    }
    if (r < 0.65) {
      return { kind: 'Comparison', operator: this.pick(['>', '>=', '<', '<='] as const), left: this.ordered(1), right: this.ordered(1) };
    }
    if (r < 0.72) return { kind: 'IsNull', operand: this.value(depth - 1), negated: this.chance(0.5) };
    if (r < 0.8) {
      const negated = this.chance(0.4);
      let low = this.ordered(1);
      let high = this.ordered(1);
      // Constant bounds must be in order for BETWEEN; numbers here always compare.
      if (!negated && low.kind === 'Literal' && high.kind === 'Literal' && Number(low.value) > Number(high.value)) [low, high] = [high, low];
      return { kind: 'Between', operand: this.ordered(1), low, high, negated };
    }
    if (r < 0.9) {
      const values = Array.from({ length: 1 + Math.floor(this.random() * 6) }, () => this.pick(STRINGS));
      return { kind: 'In', operand: this.property(), values, negated: this.chance(0.5) };
    }
    return {
      kind: 'StringMatch',
      operator: this.pick(['CONTAINS', 'STARTSWITH', 'ENDSWITH'] as const),
      operand: this.value(depth - 1),
      search: this.pick(STRINGS),
      negated: this.chance(0.5),
    };
  }

  properties(): Map<string, string> {
    const props = new Map<string, string>();
    for (const name of PROPERTY_NAMES) if (this.chance(0.75)) props.set(name, this.pick(PROPERTY_VALUES));
    return props;
  }
}

describe('SQL92 properties', () => {
  it('prints random well-formed ASTs to text that parses back to the same AST', () => {
    const gen = new AstGenerator(prng(7));
    for (let i = 0; i < 1500; i++) {
      const ast = gen.condition(4);
      const text = printSql92(ast);
      expect(parseSql92(text), text).toEqual(ast);
      expect(printSql92(parseSql92(text))).toBe(text);
    }
  });

  it('gives the same result from the compiled predicate as from the AST interpreter', () => {
    const gen = new AstGenerator(prng(11));
    let decided = 0;
    for (let i = 0; i < 1500; i++) {
      const ast = gen.condition(4);
      const compiled = compileSql92(printSql92(ast));
      for (let j = 0; j < 6; j++) {
        const props = gen.properties();
        const expected = outcomeOf(() => interpretSql92(ast, props));
        const record = Object.fromEntries(props);
        expect(outcomeOf(() => compiled.evaluateValue(props)), `${compiled.expression} with ${JSON.stringify(record)}`).toBe(expected);
        expect(outcomeOf(() => compiled.evaluateValue(record))).toBe(expected);
        expect(compiled.evaluate(props)).toBe(expected === true);
        if (expected !== null && expected !== 'abort') decided++;
      }
    }
    // The generator must exercise real decisions, not only UNKNOWN and aborts.
    expect(decided).toBeGreaterThan(3000);
  });

  it('never throws anything but a FilterSyntaxError on random text', () => {
    const random = prng(3);
    const pieces = [
      'a', 'b', 'TAGS', ' ', ' ', '(', ')', "'", "'x'", "''", 'AND', 'or', 'NOT', '=', '<>', '>', '<=', '1', '1.5', '0.0',
      '-', '+', '--', '/*', '*/', '\n', 'IN', 'BETWEEN', 'IS', 'NULL', ',', 'TRUE', 'false', '!', 'é', 'CONTAINS',
      'endswith', '99999999999999999999', '1e999', '.', '"', '$', '_x9', '5L',
    ];
    let compiled = 0;
    for (let i = 0; i < 4000; i++) {
      const length = 1 + Math.floor(random() * 12);
      let text = '';
      for (let k = 0; k < length; k++) text += pieces[Math.floor(random() * pieces.length)];
      let result;
      try {
        result = compileSql92(text);
      } catch (e) {
        expect(e, text).toBeInstanceOf(FilterSyntaxError);
        const err = e as FilterSyntaxError;
        expect(err.line).toBeGreaterThanOrEqual(1);
        expect(err.column).toBeGreaterThanOrEqual(1);
        continue;
      }
      compiled++;
      // Whatever compiles round-trips and evaluates without unexpected failures.
      expect(parseSql92(result.normalized), text).toEqual(result.ast);
      const props = new Map([['a', '1'], ['b', 'x']]);
      expect(outcomeOf(() => result.evaluateValue(props))).toBe(outcomeOf(() => interpretSql92(result.ast, props)));
    }
    expect(compiled).toBeGreaterThan(20);
  });
});
