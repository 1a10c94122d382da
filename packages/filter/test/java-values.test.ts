import { describe, expect, it } from 'vitest';
import { compileSql92 } from '@rockit/filter';
import { outcomeOf, type Outcome } from './evaluation-outcome.js';

// Java's conversions as they show through `prop = <constant>`: the property string is read as
// the constant's class. Each row: the property string, and the value Java's valueOf gives
// (undefined = NumberFormatException, so the evaluation aborts).
function converts(constant: string, property: string): Outcome {
  return outcomeOf(() => compileSql92(`p = ${constant}`).evaluateValue(new Map([['p', property]])));
}

describe('Integer.valueOf', () => {
  it.each([
    ['7', '7', true],
    ['7', '+7', true],
    ['7', '0007', true],
    ['-7', '-7', true],
    ['0', '-0', true],
    ['2147483647', '2147483647', true],
    ['-2147483647', '-2147483647', true],
    ['7', '٧', true],
    ['7', '７', true],
    ['7', '7 ', 'abort'],
    ['7', '7.0', 'abort'],
    ['7', '7L', 'abort'],
    ['7', '0x7', 'abort'],
    ['7', '+', 'abort'],
    ['7', '-', 'abort'],
    ['7', '', 'abort'],
    ['7', '2147483648', 'abort'],
    ['7', '-2147483649', 'abort'],
    ['7', '99999999999999999999', 'abort'],
  ] as const)('p = %s with p=%j is %j', (constant, property, outcome) => {
    expect(converts(constant, property)).toBe(outcome);
  });
});

describe('Long.valueOf', () => {
  it.each([
    ['3000000000', '3000000000', true],
    ['3000000000', '+3000000000', true],
    ['9223372036854775807', '9223372036854775807', true],
    ['-9223372036854775807', '-9223372036854775807', true],
    ['3000000000', '-9223372036854775808', false],
    ['3000000000', '9223372036854775808', 'abort'],
    ['3000000000', '3000000000.0', 'abort'],
    ['9007199254740993', '9007199254740993', true],
    ['9007199254740993', '9007199254740992', false],
  ] as const)('p = %s with p=%j is %j', (constant, property, outcome) => {
    expect(converts(constant, property)).toBe(outcome);
  });
});

describe('Double.valueOf', () => {
  it.each([
    ['1.5', '1.5', true],
    ['1.5', '  1.5\t', true],
    ['1.5', '1.50', true],
    ['1.5', '15e-1', true],
    ['1.5', '1.5f', true],
    ['1.5', '1.5D', true],
    ['1.5', '+1.5', true],
    ['1.5', '0x1.8p0', true],
    ['1.5', '0X3P-1', true],
    ['1.0', '1.', true],
    ['0.5', '.5', true],
    ['1.5', '1,5', 'abort'],
    ['1.5', '1.5.', 'abort'],
    ['1.5', 'e5', 'abort'],
    ['1.5', '.', 'abort'],
    ['1.5', '', 'abort'],
    ['1.5', '0x', 'abort'],
    ['1.5', '1_5', 'abort'],
    ['1.5', 'nan', 'abort'],
    ['1.5', '١.5', 'abort'],
    ['1.5', 'NaN', false],
    ['1.5', '-Infinity', false],
  ] as const)('p = %s with p=%j is %j', (constant, property, outcome) => {
    expect(converts(constant, property)).toBe(outcome);
  });

  it('orders like Double.compareTo: -0.0 below 0.0, NaN above everything', () => {
    const compiled = compileSql92('a < b');
    expect(compiled.evaluateValue(new Map([['a', '-0.0'], ['b', '0']]))).toBe(true);
    expect(compiled.evaluateValue(new Map([['a', '1e308'], ['b', 'NaN']]))).toBe(true);
    expect(compiled.evaluateValue(new Map([['a', 'NaN'], ['b', 'Infinity']]))).toBe(false);
    expect(compileSql92('a = b').evaluateValue(new Map([['a', 'NaN'], ['b', 'NaN']]))).toBe(true);
  });
});

describe('Boolean.valueOf', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['True', true],
    [' true', false],
    ['yes', false],
    ['1', false],
    ['', false],
  ])('p = TRUE with p=%j is %j', (property, outcome) => {
    expect(converts('TRUE', property)).toBe(outcome);
  });
});
