import { describe, expect, it } from 'vitest';
import { compileSql92, interpretSql92, type MessageProperties } from '@rockit/filter';
import { outcomeOf, type Outcome } from './evaluation-outcome.js';

/**
 * RocketMQ's evaluation semantics as a table: expression, message properties, and the
 * three-valued result RocketMQ's evaluator produces (`abort` = it throws, so no match).
 * Rows marked (RMQ) restate cases of RocketMQ's own filter tests (ExpressionTest,
 * LogicExpressionTest); the rest follow rocketmq-protocol.md §17.4 and the filter module's code.
 */
type Row = [expression: string, properties: Record<string, string>, outcome: Outcome];

const AND_EXPR = 'a=3 and b<>4 And c>5 AND d<=4';
const OR_EXPR = 'a=3 or b<>4 Or c>5 OR d<=4';

const table: Record<string, Row[]> = {
  'AND / OR chains (RMQ)': [
    [AND_EXPR, { a: '3', b: '5', c: '6', d: '1' }, true],
    [AND_EXPR, { a: '4', b: '5', c: '6', d: '1' }, false],
    [OR_EXPR, { a: '3' }, true],
    [OR_EXPR, { a: '4', b: '5' }, true],
    [OR_EXPR, { a: '4', b: '4', c: '6' }, true],
    [OR_EXPR, { a: '4', b: '4', c: '3', d: '2' }, true],
    [OR_EXPR, { a: '4', b: '4', c: '3', d: '10' }, false],
  ],
  'IN / NOT IN (RMQ)': [
    ["a in ('3', '4', '5')", { a: '3' }, true],
    ["a in ('3', '4', '5')", { a: '5' }, true],
    ["a in ('3', '4', '5')", { a: '8' }, false],
    ["a not in ('3', '4', '5')", { a: '8' }, true],
    ["a not in ('3', '4', '5')", { a: '4' }, false],
    ["a in ('3', '4', '5')", {}, null],
    ["a not in ('3', '4', '5')", {}, null],
    ["a in ('3')", { a: '3.0' }, false],
    ["(a) in ('3')", { a: '3' }, true],
    ["a in ('x', 'x', 'y', 'z', 'w', 'v')", { a: 'v' }, true],
  ],
  'BETWEEN / NOT BETWEEN (RMQ)': [
    ['a between 2 and 10', { a: '2' }, true],
    ['a between 2 and 10', { a: '10' }, true],
    ['a between 2 and 10', { a: '3' }, true],
    ['a between 2 and 10', { a: '1' }, false],
    ['a between 2 and 10', { a: '11' }, false],
    ['a not between 2 and 10', { a: '1' }, true],
    ['a not between 2 and 10', { a: '11' }, true],
    ['a not between 2 and 10', { a: '2' }, false],
    ['a not between 2 and 10', { a: '3' }, false],
    ['a between 2 and 10', {}, null],
    ['a between 0 and 100', { a: 'abc' }, 'abort'],
    ['key is not null and key between 0 and 100', { key: 'con' }, 'abort'],
    ['a between up and low', { a: '3.14' }, null],
    ['a between up and low', { a: '3.14', up: 'up', low: 'low' }, 'abort'],
    ['a between 2 and 10.5', { a: '10.5' }, 'abort'],
    ['a between 2.0 and 10.5', { a: '10.5' }, true],
    ['a between -5 and -1', { a: '-3' }, true],
    ['a between 5 and -1', { a: '3' }, false],
  ],
  'IS NULL / IS NOT NULL (RMQ)': [
    ['a is null', { abc: '2' }, true],
    ['a is null', { a: '2' }, false],
    ['a is not null', { a: '2' }, true],
    ['a is not null', { abc: '2' }, false],
    ["a is not null and a='hello'", { a: 'hello' }, true],
    ["a is not null and a='hello'", {}, false],
    ["a is null OR a='hello'", {}, true],
    ["a is null OR a='hello'", { a: 'hello' }, true],
    ["a is null OR a='hello'", { a: 'abc' }, false],
    ['a is null', { a: '' }, false],
    ['1 IS NULL', {}, false],
    ['NULL IS NULL', {}, true],
    ['(a > 1) IS NULL', {}, true],
    ['(a > 1) IS NOT NULL', { a: '0' }, true],
    ['(a > 1) IS NULL', { a: 'x' }, 'abort'],
  ],
  'strings and the quote escape (RMQ)': [
    ["TAGS is not null and TAGS='''''tag'''''", { TAGS: "''tag''" }, true],
    ["a = 'hello'", { a: 'hello' }, true],
    ["a = 'hello'", { a: 'Hello' }, false],
    ["a <> 'x'", { a: 'y' }, true],
    ["a <> 'x'", {}, null],
    ["'x' <> a", {}, true],
    ["'x' = a", {}, false],
    ['a = b', { a: '3.14', b: '3.14' }, true],
    ['a <> b', { a: '3.14', b: '3.14' }, false],
    ['a <> b', { a: '3.14', b: '3.141' }, true],
    ['a = b', {}, true],
    ['a = b', { a: 'x' }, false],
    ['a = b', { b: 'x' }, null],
    ["a = 'π ü 你好 🙂'", { a: 'π ü 你好 🙂' }, true],
  ],
  'booleans (RMQ)': [
    ['a=TRUE OR b=FALSE', { a: 'true', b: 'false' }, true],
    ['a=TRUE OR b=FALSE', { a: 'false', b: 'true' }, false],
    ['a = TRUE', { a: 'TRUE' }, true],
    ['a = TRUE', { a: 'tRuE' }, true],
    ['a = TRUE', { a: 'yes' }, false],
    ['a = FALSE', { a: 'yes' }, true],
    ['a = FALSE', {}, null],
    ['TRUE = a', { a: 'true' }, 'abort'],
    ['TRUE = a', {}, false],
    ['TRUE', {}, true],
    ['FALSE', {}, false],
    ['NULL', {}, null],
    ['NOT NULL', {}, null],
    ['TRUE = TRUE', {}, true],
    ['TRUE = FALSE', {}, false],
    ['FALSE <> TRUE', {}, true],
    ["'true' = TRUE", {}, true],
    ['1 = TRUE', {}, false],
    ['(a > 1) = TRUE', { a: '2' }, true],
    ['(a > 1) = 1', { a: '2' }, false],
    ['(a > 1) = (b > 1)', { a: '0', b: '0' }, true],
  ],
  'numbers: conversion to the constant type': [
    ['a = 10', { a: '10' }, true],
    ['a = 10', { a: '+10' }, true],
    ['a = 10', { a: '010' }, true],
    ['a = 10', { a: '10.0' }, 'abort'],
    ['a = 10', { a: ' 10' }, 'abort'],
    ['a = 10', { a: 'abc' }, 'abort'],
    ['a = 10', { a: '' }, 'abort'],
    ['a = 10.0', { a: '10' }, true],
    ['a = 10.0', { a: ' 10 ' }, true],
    ['a = 10.0', { a: '1e1' }, true],
    ['a = 10.0', { a: '10d' }, true],
    ['a = 10.0', { a: '0x1.4p3' }, true],
    ['a > 10.0', { a: 'Infinity' }, true],
    ['a > 10.0', { a: 'NaN' }, true],
    ['a = 10.0', { a: 'NaN' }, false],
    ['a > 10.0', { a: 'infinity' }, 'abort'],
    ['a = 5', { a: '٥' }, true],
    ['a = 2147483647', { a: '2147483647' }, true],
    ['a = 5', { a: '2147483648' }, 'abort'],
    ['a = 2147483648', { a: '2147483648' }, true],
    ['a = 9223372036854775807', { a: '9223372036854775807' }, true],
    ['a < 9223372036854775807', { a: '9223372036854775806' }, true],
    ['a = 9223372036854775807', { a: '9223372036854775808' }, 'abort'],
    ['a = 9007199254740993', { a: '9007199254740992' }, false],
    ['a > -9223372036854775807', { a: '-9223372036854775808' }, false],
    ['a > 5', { a: '6' }, true],
    ['a > 5', { a: '5' }, false],
    ['a >= 5', { a: '5' }, true],
    ['a < 5', { a: '-6' }, true],
    ['a <= -5', { a: '-5' }, true],
    ['a > 5', {}, null],
    ['a > 5', { a: '5.5' }, 'abort'],
    ['a > 5.0', { a: '5.5' }, true],
    ['a > 3.14', { a: '3.1415' }, true],
    ['a > 3.1E10', { a: '31415000000' }, true],
    ['a > 3.1E10', { a: '3.1415E10' }, true],
    ['a > .5', { a: '0.6' }, true],
    ['a > 5.', { a: '5.1' }, true],
    ['a > 5L', { a: '6' }, true],
    ['a > 5e-1', { a: '0.6' }, true],
    ['a = -0.5', { a: '-0.5' }, true],
    ['a = -(-5)', { a: '5' }, true],
    ['a > +5', { a: '6' }, true],
    ['a = -a', { a: '5' }, false],
    ['-a = 5', { a: '5' }, null],
    ['a > -a', { a: '5' }, null],
  ],
  'numbers: constants of different types meet': [
    ['5 = 5.0', {}, true],
    ['5 = 5', {}, true],
    ['5 < 2147483648', {}, true],
    ['2147483648 > 5', {}, true],
    ['9007199254740993 = 9007199254740992.0', {}, true],
    ['1.5 > 1', {}, true],
    ["5 = '5'", {}, true],
    ["'5' = 5", {}, true],
    ["5.0 = '5'", {}, true],
    ["5 = '5.0'", {}, 'abort'],
    ["'abc' = TRUE", {}, false],
    ["'abc' = FALSE", {}, true],
    ["'abc' = 1", {}, 'abort'],
    ['-0.5 = -0.5', {}, true],
  ],
  'two properties': [
    ['a > b', { a: '10', b: '20' }, false],
    ['a > b', { a: '20', b: '10' }, true],
    ['a > b', { a: '20', b: '1e1' }, true],
    ['a > b', { a: 'x', b: '10' }, 'abort'],
    ['a > b', { a: '10' }, null],
    ['a > b', { b: 'x' }, null],
    ['a = b', { a: '10', b: '10.0' }, false],
    ['a < b', { a: '-0.0', b: '0.0' }, true],
  ],
  'CONTAINS / STARTSWITH / ENDSWITH (RMQ)': [
    ["value contains 'x'", { value: 'axb' }, true],
    ["value startswith 'ax'", { value: 'axb' }, true],
    ["value endswith 'xb'", { value: 'axb' }, true],
    ["value not contains 'x'", { value: 'axb' }, false],
    ["value not startswith 'ax'", { value: 'axb' }, false],
    ["value not endswith 'xb'", { value: 'axb' }, false],
    ["value contains 'x'", { value: 'abb' }, false],
    ["value startswith 'x'", { value: 'abb' }, false],
    ["value endswith 'x'", { value: 'abb' }, false],
    ["value not contains 'x'", { value: 'abb' }, true],
    ["value not startswith 'x'", { value: 'abb' }, true],
    ["value not endswith 'x'", { value: 'abb' }, true],
    ["value contains ''", { value: 'axb' }, false],
    ["value startswith ''", { value: 'axb' }, false],
    ["value endswith ''", { value: 'axb' }, false],
    ["value not contains ''", { value: 'axb' }, false],
    ["value not startswith ''", { value: 'axb' }, false],
    ["value not endswith ''", { value: 'axb' }, false],
    ["value contains 'x'", {}, false],
    ["value not contains 'x'", {}, false],
    ["value not startswith 'x'", {}, false],
    ["value not endswith 'x'", {}, false],
    ["'axb' contains 'x'", {}, true],
    ["'axb' startswith 'ax'", {}, true],
    ["'axb' endswith 'xb'", {}, true],
    ["'axb' not contains 'x'", {}, false],
    ["'axb' not contains 'u'", {}, true],
    ["'axb' contains ''", {}, false],
    ["'axb' not endswith ''", {}, false],
    ["' ' contains ' '", {}, true],
    ["' ' not startswith ' '", {}, false],
    ["'axb' contains '.'", {}, false],
    ["'axb' not contains '.'", {}, true],
    ["'s' contains '\\'", {}, false],
    ["5 contains '5'", {}, false],
    ["5 not contains '5'", {}, false],
    ["(a > 1) contains 'x'", { a: '2' }, false],
    ["(a > 1) contains 'x'", { a: 'z' }, 'abort'],
    ["(a > 1) contains ''", { a: 'z' }, false],
    ["a not in ('4', '4', '5') and b between 3 and 10 and c not contains 'axbc'", { a: '3', b: '3', c: 'axbdc' }, true],
    ["a not in ('4', '4', '5') and b between 3 and 10 and c not startswith 'axbc'", { a: '3', b: '3', c: 'axbdc' }, true],
    ["a not in ('4', '4', '5') and b between 3 and 10 and c not endswith 'axbc'", { a: '3', b: '3', c: 'axbdc' }, true],
  ],
  'three-valued logic (RMQ LogicExpressionTest truth tables)': [
    ['TRUE AND TRUE', {}, true],
    ['TRUE AND FALSE', {}, false],
    ['TRUE AND NULL', {}, null],
    ['FALSE AND TRUE', {}, false],
    ['FALSE AND FALSE', {}, false],
    ['FALSE AND NULL', {}, false],
    ['NULL AND TRUE', {}, null],
    ['NULL AND FALSE', {}, false],
    ['NULL AND NULL', {}, null],
    ['TRUE OR TRUE', {}, true],
    ['TRUE OR FALSE', {}, true],
    ['TRUE OR NULL', {}, true],
    ['FALSE OR TRUE', {}, true],
    ['FALSE OR FALSE', {}, false],
    ['FALSE OR NULL', {}, null],
    ['NULL OR TRUE', {}, true],
    ['NULL OR FALSE', {}, null],
    ['NULL OR NULL', {}, null],
    ["NOT (a = 'x')", {}, null],
    ["NOT (a = 'x')", { a: 'y' }, true],
    ['NOT (a > 1) OR b IS NULL', { a: '0' }, true],
    ['a', { a: 'true' }, false],
    ['a', {}, null],
    ['NOT a', { a: 'x' }, true],
    ['NOT a', {}, null],
    ['NOT NOT a', { a: 'x' }, false],
    ['a OR b', { a: 'x' }, null],
    ['a AND b', { a: 'x' }, false],
  ],
  'short circuit, left to right': [
    ['TRUE OR a > 1', { a: 'x' }, true],
    ['a > 1 OR TRUE', { a: 'x' }, 'abort'],
    ['FALSE AND a > 1', { a: 'x' }, false],
    ['a > 1 AND FALSE', { a: 'x' }, 'abort'],
    ['NULL AND a > 1', { a: 'x' }, 'abort'],
    ['NULL OR a > 1', { a: 'x' }, 'abort'],
    ['b IS NULL OR a > 1', { a: 'x' }, true],
    ['b IS NOT NULL AND a > 1', { a: 'x' }, false],
    ["b = 'y' OR a > 1", { a: 'x', b: 'y' }, true],
    ["b = 'y' OR a > 1", { a: 'x', b: 'z' }, 'abort'],
    ['a > 1 OR b > 1', { a: '2', b: 'x' }, true],
    ['(a > 1) = (b > 1)', { a: 'x', b: '2' }, 'abort'],
  ],
  'precedence and parentheses': [
    ['a = 1 OR b = 1 AND c = 1', { a: '1' }, true],
    ['(a = 1 OR b = 1) AND c = 1', { a: '1' }, null],
    ['(a = 1 OR b = 1) AND c = 1', { a: '1', c: '0' }, false],
    ['a = 1 OR b = 1 AND c = 1', { b: '1', c: '0' }, null],
    ['a = 1 AND b = 1 OR c = 1', { c: '1' }, true],
    ['NOT a = 1', { a: '1' }, false],
    ['NOT a = 1', {}, null],
    ['NOT (a = 1)', { a: '1' }, false],
    ['NOT (a = 1)', { a: '2' }, true],
    ['a > 1 = TRUE', { a: '2' }, true],
    ['a > 1 = b > 1', { a: '2', b: '3' }, true],
    ['a BETWEEN 1 AND 3 AND b = 1', { a: '2', b: '1' }, true],
    ['-- comment\na = 1', { a: '1' }, true],
    ['a = 1 -- comment\r\nOR b = 1', { b: '1' }, true],
    ['a = 1 -- OR b = 1', { b: '1' }, null],
    ['a /* c */ = /* d */ 1', { a: '1' }, true],
    ['A = 1', { a: '1' }, null],
    ['$x_1 = 1', { $x_1: '1' }, true],
  ],
};

describe('SQL92 evaluation (RocketMQ semantics)', () => {
  for (const [group, rows] of Object.entries(table)) {
    describe(group, () => {
      it.each(rows)('%j with %j is %j', (expression, props, outcome) => {
        const compiled = compileSql92(expression);
        const map: MessageProperties = new Map(Object.entries(props));
        expect(outcomeOf(() => compiled.evaluateValue(map))).toBe(outcome);
        // Only an exact TRUE selects; an aborted evaluation selects nothing.
        expect(compiled.evaluate(map)).toBe(outcome === true);
        expect(compiled.evaluate(props)).toBe(outcome === true);
        expect(compiled.evaluate((name) => props[name])).toBe(outcome === true);
        expect(outcomeOf(() => interpretSql92(compiled.ast, map))).toBe(outcome);
      });
    });
  }

  it('selects a message only on an exact TRUE', () => {
    const unknown = compileSql92("a = 'x'");
    expect(unknown.evaluateValue(new Map())).toBeNull();
    expect(unknown.evaluate(new Map())).toBe(false);
  });

  it('reports why an evaluation was aborted', () => {
    const compiled = compileSql92('a = 10');
    expect(() => compiled.evaluateValue(new Map([['a', '10.0']]))).toThrow("Evaluation aborted: '10.0' is not an Integer");
  });

  it('reads properties case-sensitively and ignores inherited object keys', () => {
    const compiled = compileSql92('constructor IS NULL AND toString IS NULL');
    expect(compiled.evaluate({})).toBe(true);
  });

  it('evaluates the subscription from the fixture store like RocketMQ 4.9.8 did', () => {
    // FxSqlGroup subscribed FxBasic with this expression and consumed a = 21, 24, ..., 39.
    const compiled = compileSql92("b = 'x' AND a >= 20");
    const selected: number[] = [];
    for (let i = 0; i < 40; i++) {
      const props = new Map([['a', String(i)], ['b', i % 3 === 0 ? 'x' : 'y'], ['TAGS', i % 2 ? 'TagB' : 'TagA']]);
      if (compiled.evaluate(props)) selected.push(i);
    }
    expect(selected).toEqual([21, 24, 27, 30, 33, 36, 39]);
  });
});
