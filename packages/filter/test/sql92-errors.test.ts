import { describe, expect, it } from 'vitest';
import { compileSql92, FilterSemanticError, FilterSyntaxError, SUBSCRIPTION_PARSE_FAILED } from '@rockit/filter';

type ErrorRow = [expression: string, message: string, line: number, column: number];

// Malformed expressions: the exact message, and the line and column it points at.
const syntaxErrors: ErrorRow[] = [
  ['price >', "Expected a value after '>' at column 8", 1, 8],
  ['a > AND b', "Expected a value after '>' but found 'AND' at column 5", 1, 5],
  ['a = 1 b', "Expected an operator or the end of the expression after '1' but found 'b' at column 7", 1, 7],
  ['a and between 2 and 10', "Expected a value after 'and' but found 'between' at column 7", 1, 7],
  ["a in (1, 2)", "Expected a string after '(' but found '1' at column 7", 1, 7],
  ['a IN ()', "Expected a string after '(' but found ')' at column 7", 1, 7],
  ["a IN ('x',", "Expected a string after ',' at column 11", 1, 11],
  ["a IN ('x' 'y')", "Expected ',' or ')' after ''x'' but found ''y'' at column 11", 1, 11],
  ["value contains x", "Expected a string after 'contains' but found 'x' at column 16", 1, 16],
  ['value contains 123', "Expected a string after 'contains' but found '123' at column 16", 1, 16],
  ["'axb' contains ", "Expected a string after 'contains' at column 15", 1, 15],
  ["'axb' not contains ", "Expected a string after 'contains' at column 19", 1, 19],
  ['a IS', "Expected NOT or NULL after 'IS' at column 5", 1, 5],
  ['a IS NOT', "Expected NULL after 'NOT' at column 9", 1, 9],
  ['(a = 1', "Expected an operator or ')' after '1' at column 7", 1, 7],
  ['a = 1)', "Expected an operator or the end of the expression after '1' but found ')' at column 6", 1, 6],
  ['a BETWEEN 1', "Expected AND after '1' at column 12", 1, 12],
  ['a BETWEEN 1 OR', "Expected AND after '1' but found 'OR' at column 13", 1, 13],
  ['a = --1', "Expected a value after '=' at column 4", 1, 4],
  ['a == 1', "Expected a value after '=' but found '=' at column 4", 1, 4],
  ['a = 1 AND\n  b >', "Expected a value after '>' at line 2, column 6", 2, 6],
  ['', 'Expected a condition but the expression is empty at column 1', 1, 1],
  ['   ', 'Expected a condition but the expression is empty at column 1', 1, 1],
  ['a != 1', "Unexpected '!=': use '<>' for not equal at column 3", 1, 3],
  ['a = "x"', `Unexpected '"': strings are written in single quotes at column 5`, 1, 5],
  ["a = 'x", 'Unterminated string: missing the closing quote at column 5', 1, 5],
  ['a = 1 /* open', 'Unterminated comment: missing */ at column 7', 1, 7],
  ['a.b = 1', "Unexpected character '.' at column 2", 1, 2],
  ['a-b = 1', "Expected an operator or the end of the expression after 'a' but found '-' at column 2", 1, 2],
  ['a LIKE 1', "Expected an operator or the end of the expression after 'a' but found 'LIKE' at column 3", 1, 3],
  ['0L = a', "Expected an operator or the end of the expression after '0' but found 'L' at column 2", 1, 2],
];

// Well-formed expressions RocketMQ refuses to compile, with the reason.
const semanticErrors: ErrorRow[] = [
  ['NOT a > 1', "Cannot compare the condition NOT a with '>': only numbers and properties can be ordered; NOT binds tighter than '>', so write NOT (a > ...) at column 1", 1, 1],
  ['a = NULL', "Cannot compare with NULL using '='; use IS NULL at column 5", 1, 5],
  ['NULL <> a', "Cannot compare with NULL using '<>'; use IS NOT NULL at column 1", 1, 1],
  ["a > 'x'", "Cannot compare the string 'x' with '>': only numbers and properties can be ordered at column 5", 1, 5],
  ['a <= TRUE', "Cannot compare TRUE with '<=': only numbers and properties can be ordered at column 6", 1, 6],
  ['a < NULL', "Cannot compare NULL with '<': only numbers and properties can be ordered at column 5", 1, 5],
  ['(a = 1) > 1', "Cannot compare the condition a = 1 with '>': only numbers and properties can be ordered at column 1", 1, 1],
  ["TRUE = 'x'", "Cannot compare TRUE with the string 'x' at column 1", 1, 1],
  ['FALSE = 1', 'Cannot compare FALSE with the number 1 at column 1', 1, 1],
  ['a between 10 and 0', 'BETWEEN bounds are out of order: 10 is greater than 0 at column 11', 1, 11],
  [' a between 10 and 0', 'BETWEEN bounds are out of order: 10 is greater than 0 at column 12', 1, 12],
  ['a between 1.5 and 1', 'BETWEEN bounds are out of order: 1.5 is greater than 1 at column 11', 1, 11],
  ['a between NULL and 1', 'BETWEEN bounds cannot be NULL at column 11', 1, 11],
  ["a between 'x' and 5", "BETWEEN bounds 'x' and 5 cannot be compared ('x' is not an Integer) at column 11", 1, 11],
  ["a between 'a' and 'b'", "Cannot compare the string 'a' with 'BETWEEN': only numbers and properties can be ordered at column 11", 1, 11],
  ["a not between 'b' and 'a'", "Cannot compare the string 'b' with 'NOT BETWEEN': only numbers and properties can be ordered at column 15", 1, 15],
  ["'a' IN ('a')", "IN needs a property on its left but found the string 'a' at column 1", 1, 1],
  ["-a IN ('a')", "IN needs a property on its left but found the value -a at column 1", 1, 1],
  ["'abc'", "Expected a condition but found the string 'abc' at column 1", 1, 1],
  ['1', 'Expected a condition but found the number 1 at column 1', 1, 1],
  ['-a', 'Expected a condition but found the value -a at column 1', 1, 1],
  ['a = 1 AND 2', 'Expected a condition after AND but found the number 2 at column 11', 1, 11],
  ["'x' OR a = 1", "Expected a condition before OR but found the string 'x' at column 1", 1, 1],
  ['NOT 5', 'Expected a condition after NOT but found the number 5 at column 5', 1, 5],
  ['a > 100000000000000000000000', 'Number 100000000000000000000000 is outside the range of a long at column 5', 1, 5],
  ['a > 9223372036854775808', 'Number 9223372036854775808 is outside the range of a long at column 5', 1, 5],
  ['a > 1e400', 'Number 1e400 is too large for a double at column 5', 1, 5],
  [
    'a > 0.0',
    'Number 0.0 is refused: RocketMQ does not accept floating-point literals below Double.MIN_VALUE (4.9E-324), so not 0.0 either; write 0 at column 5',
    1,
    5,
  ],
  ["a = 1 AND\n b > 'x'", "Cannot compare the string 'x' with '>': only numbers and properties can be ordered at line 2, column 6", 2, 6],
];

/** Compiles the expression and checks the error it fails with. */
function expectCompileError(expression: string, message: string, line: number, column: number): FilterSyntaxError {
  let error: unknown;
  try {
    compileSql92(expression);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(FilterSyntaxError);
  const e = error as FilterSyntaxError;
  expect(e.message).toBe(message);
  expect([e.line, e.column]).toEqual([line, column]);
  expect(e.code).toBe(SUBSCRIPTION_PARSE_FAILED);
  return e;
}

describe('SQL92 syntax errors', () => {
  it.each(syntaxErrors)('%j fails with %j', (expression, message, line, column) => {
    expect(expectCompileError(expression, message, line, column)).not.toBeInstanceOf(FilterSemanticError);
  });

  it('lists what was expected', () => {
    try {
      compileSql92('a IS');
      expect.unreachable();
    } catch (e) {
      expect((e as FilterSyntaxError).expected).toEqual(['NOT', 'NULL']);
      expect((e as FilterSyntaxError).reason).toBe("Expected NOT or NULL after 'IS'");
    }
  });

  it('shows the offending line with a caret under the column', () => {
    const caught = (expression: string): FilterSyntaxError => {
      try {
        compileSql92(expression);
      } catch (e) {
        return e as FilterSyntaxError;
      }
      throw new Error(`${expression} compiled`);
    };
    expect(caught('price >').excerpt()).toBe('price >\n       ^');
    expect(caught("a = 1 AND\n\tb > 'x'").excerpt()).toBe("\tb > 'x'\n\t    ^");
    expect(caught('a = NULL').excerpt()).toBe('a = NULL\n    ^');
  });

  it('refuses a huge float literal like RocketMQ (ParserTest.testParse_floatOverFlow)', () => {
    const digits = '1' + '1'.repeat(51 * 2048);
    expect(() => compileSql92(`a > ${digits}.${digits}`)).toThrow(FilterSemanticError);
  });
});

describe('SQL92 semantic errors (refused by RocketMQ at compile time)', () => {
  it.each(semanticErrors)('%j fails with %j', (expression, message, line, column) => {
    expect(expectCompileError(expression, message, line, column)).toBeInstanceOf(FilterSemanticError);
  });
});

describe('SQL92 expressions RocketMQ accepts', () => {
  // ParserTest.testParse_valid and a few accepted oddities.
  it.each([
    'a=3 and b<>4 And c>5 AND d<=4',
    'a=3 or b<>4 Or c>5 OR d<=4',
    "a in ('3', '4', '5')",
    "(a not in ('6', '4', '5')) or (b in ('3', '4', '5'))",
    '(a between 2 and 10) AND (b not between 6 and 9)',
    'a is null',
    'a is not null',
    'a <= now',
    "a=3 and b contains 'xxx' and c not contains 'xxx'",
    'a not between 10 and 0',
    'a between -1 and -5',
    'NOT a = 1',
    "1 = 'x'",
    'NULL IS NULL',
    'a',
    'NULL',
    'a = 1 -- a comment may end the text',
  ])('%j', (expression) => {
    expect(() => compileSql92(expression)).not.toThrow();
  });

  it('ignores blanks, case of keywords and comments (ParserTest.testEquals)', () => {
    const a = compileSql92('a=3 and b<>4 And c>5 AND d<=4');
    const b = compileSql92('a=3  and    b<>4 /* x */ And c>5 AND\n d<=4');
    const c = compileSql92('a=3 or b<>4 Or c>5 OR d<=4');
    expect(b.ast).toEqual(a.ast);
    expect(c.ast).not.toEqual(a.ast);
    expect(a.normalized).toBe('a = 3 AND b <> 4 AND c > 5 AND d <= 4');
  });
});
