import { createToken, Lexer, type TokenType } from 'chevrotain';

// Tokens of RocketMQ's SelectorParser.jj. Keywords are case-insensitive and fall back to
// Identifier when they are only the start of a longer name (`notes`, `order_id`).

export const Identifier = createToken({ name: 'Identifier', pattern: /[a-zA-Z_$][a-zA-Z0-9_$]*/ });

const keyword = (name: string): TokenType =>
  createToken({ name, pattern: new RegExp(name, 'i'), longer_alt: Identifier, label: name });

export const Not = keyword('NOT');
export const And = keyword('AND');
export const Or = keyword('OR');
export const Between = keyword('BETWEEN');
export const In = keyword('IN');
export const True = keyword('TRUE');
export const False = keyword('FALSE');
export const Null = keyword('NULL');
export const Is = keyword('IS');
export const Contains = keyword('CONTAINS');
export const StartsWith = keyword('STARTSWITH');
export const EndsWith = keyword('ENDSWITH');

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\n\r\f]+/, group: Lexer.SKIPPED });
/**
 * `-- ...` up to and including the line break. JavaCC's LINE_COMMENT requires the break; RocketMQ
 * still accepts `a = 1 -- note` at the very end because it ignores whatever follows a complete
 * expression. rockit rejects trailing input, so a comment may end the text instead.
 */
function matchLineComment(text: string, offset: number): RegExpExecArray | null {
  if (text.charCodeAt(offset) !== 45 || text.charCodeAt(offset + 1) !== 45) return null;
  let end = offset + 2;
  while (end < text.length) {
    const c = text.charCodeAt(end++);
    if (c === 10) break;
    if (c === 13) {
      if (text.charCodeAt(end) === 10) end++;
      break;
    }
  }
  return [text.slice(offset, end)] as unknown as RegExpExecArray;
}

export const LineComment = createToken({
  name: 'LineComment',
  pattern: { exec: matchLineComment },
  start_chars_hint: ['-'],
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\//,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

// Floating point first: chevrotain takes the first pattern that matches, JavaCC the longest.
export const FloatLiteral = createToken({
  name: 'FloatLiteral',
  pattern: /(?:[0-9]+\.[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)/,
  label: 'a number',
});
export const DecimalLiteral = createToken({ name: 'DecimalLiteral', pattern: /0|[1-9][0-9]*[lL]?/, label: 'a number' });
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /'(?:''|[^'])*'/,
  line_breaks: true,
  label: 'a string',
});

export const NotEqual = createToken({ name: 'NotEqual', pattern: '<>', label: "'<>'" });
export const LessEqual = createToken({ name: 'LessEqual', pattern: '<=', label: "'<='" });
export const Less = createToken({ name: 'Less', pattern: '<', label: "'<'" });
export const GreaterEqual = createToken({ name: 'GreaterEqual', pattern: '>=', label: "'>='" });
export const Greater = createToken({ name: 'Greater', pattern: '>', label: "'>'" });
export const Equal = createToken({ name: 'Equal', pattern: '=', label: "'='" });
export const Plus = createToken({ name: 'Plus', pattern: '+', label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: '-', label: "'-'" });
export const LParen = createToken({ name: 'LParen', pattern: '(', label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: "')'" });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: "','" });

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  Not,
  And,
  Or,
  Between,
  In,
  True,
  False,
  Null,
  Is,
  Contains,
  StartsWith,
  EndsWith,
  Identifier,
  FloatLiteral,
  DecimalLiteral,
  StringLiteral,
  NotEqual,
  LessEqual,
  Less,
  GreaterEqual,
  Greater,
  Equal,
  Plus,
  Minus,
  LParen,
  RParen,
  Comma,
];

export const Sql92Lexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true });
