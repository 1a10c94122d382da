import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import { FilterSyntaxError, positionAt } from '../errors.js';
import type { Sql92Node } from './ast.js';
import { AstBuilder } from './ast-builder.js';
import * as T from './lexer.js';
import { sql92Parser } from './parser.js';

const VALUE_STARTS: ReadonlySet<TokenType> = new Set([T.Identifier, T.StringLiteral, T.DecimalLiteral, T.FloatLiteral, T.LParen]);
const OPERATORS: ReadonlySet<TokenType> = new Set([
  T.Or, T.And, T.Equal, T.NotEqual, T.Greater, T.GreaterEqual, T.Less, T.LessEqual,
  T.Is, T.Between, T.In, T.Contains, T.StartsWith, T.EndsWith, T.Not,
]);

/** Parses an SQL92 selector into its AST, applying RocketMQ's compile-time checks. */
export function parseSql92(expression: string): Sql92Node {
  if (/^[ \t\n\r\f]*$/.test(expression)) {
    throw new FilterSyntaxError('Expected a condition but the expression is empty', { offset: 0, line: 1, column: 1 }, ['a condition'], expression);
  }
  const lexed = T.Sql92Lexer.tokenize(expression);
  const lexError = lexed.errors[0];
  if (lexError !== undefined) {
    throw new FilterSyntaxError(
      describeBadCharacter(expression, lexError.offset),
      positionAt(expression, lexError.offset),
      [],
      expression,
    );
  }
  sql92Parser.input = lexed.tokens;
  const cst = sql92Parser.selector();
  const parseError = sql92Parser.errors[0];
  if (parseError !== undefined) throw syntaxError(expression, lexed.tokens, parseError);
  return new AstBuilder(expression).visit(cst) as Sql92Node;
}

function describeBadCharacter(expression: string, offset: number): string {
  const c = expression[offset]!;
  if (c === "'") return 'Unterminated string: missing the closing quote';
  if (c === '!' && expression[offset + 1] === '=') return "Unexpected '!=': use '<>' for not equal";
  if (c === '"') return `Unexpected '"': strings are written in single quotes`;
  if (c === '/' && expression[offset + 1] === '*') return 'Unterminated comment: missing */';
  return `Unexpected character '${c}'`;
}

function quoteToken(t: IToken): string {
  const image = t.image.length > 24 ? `${t.image.slice(0, 21)}...` : t.image;
  return `'${image}'`;
}

/** Names the set of tokens that could have come next, for "Expected ..." messages. */
function describeExpected(types: readonly TokenType[], endAllowed: boolean): string[] {
  const set = new Set(types);
  if ([...set].some((t) => VALUE_STARTS.has(t)) && !endAllowed) {
    return set.size === 1 && set.has(T.StringLiteral) ? ['a string'] : ['a value'];
  }
  const anyOperator = [...set].some((t) => OPERATORS.has(t) && t !== T.Not && t !== T.And && t !== T.Or);
  const others = [...set].filter((t) => !anyOperator || !OPERATORS.has(t));
  const labels = others.map((t) => (typeof t.LABEL === 'string' ? t.LABEL : t.name));
  return [...(anyOperator ? ['an operator'] : []), ...labels, ...(endAllowed ? ['the end of the expression'] : [])];
}

function joinAlternatives(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function syntaxError(expression: string, tokens: IToken[], error: IRecognitionException): FilterSyntaxError {
  const atEnd = error.token.tokenType.name === 'EOF';
  const index = atEnd ? tokens.length : tokens.indexOf(error.token);
  const previous = index > 0 ? tokens[index - 1] : undefined;
  const endAllowed = error.name === 'NotAllInputParsedException';
  const next = sql92Parser.computeContentAssist('selector', tokens.slice(0, index)).map((s) => s.nextTokenType);
  const expected = describeExpected(next, endAllowed);
  let reason = `Expected ${joinAlternatives(expected)}`;
  if (previous !== undefined) reason += ` after ${quoteToken(previous)}`;
  if (!atEnd) reason += ` but found ${quoteToken(error.token)}`;
  const offset = !atEnd ? error.token.startOffset : previous !== undefined ? previous.startOffset + previous.image.length : 0;
  return new FilterSyntaxError(reason, positionAt(expression, offset), expected, expression);
}
