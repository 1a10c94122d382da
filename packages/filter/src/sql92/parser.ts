import { CstParser, type CstNode } from 'chevrotain';
import * as T from './lexer.js';

/**
 * RocketMQ's SQL92 selector grammar (SelectorParser.jj), loosest binding first:
 *
 *   selector   := or EOF
 *   or         := and ( OR and )*
 *   and        := equality ( AND equality )*
 *   equality   := comparison ( '=' comparison | '<>' comparison | IS [NOT] NULL )*
 *   comparison := unary ( ('>' | '>=' | '<' | '<=') unary
 *                       | [NOT] (CONTAINS | STARTSWITH | ENDSWITH) string
 *                       | [NOT] BETWEEN unary AND unary
 *                       | [NOT] IN '(' string (',' string)* ')' )*
 *   unary      := '+' unary | '-' unary | NOT unary
 *               | literal | identifier | '(' or ')'      -- RocketMQ's primaryExpr, folded in
 *
 * NOT sits with the unary operators, as in RocketMQ: `NOT a > 1` is `(NOT a) > 1`.
 */
export class Sql92Parser extends CstParser {
  constructor() {
    super(T.allTokens, { maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  selector = this.RULE('selector', () => {
    this.SUBRULE(this.orExpression);
  });

  orExpression = this.RULE('orExpression', () => {
    this.SUBRULE(this.andExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(T.Or, { LABEL: 'operators' });
      this.SUBRULE2(this.andExpression, { LABEL: 'operands' });
    });
  });

  andExpression = this.RULE('andExpression', () => {
    this.SUBRULE(this.equalityExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(T.And, { LABEL: 'operators' });
      this.SUBRULE2(this.equalityExpression, { LABEL: 'operands' });
    });
  });

  equalityExpression = this.RULE('equalityExpression', () => {
    this.SUBRULE(this.comparisonExpression, { LABEL: 'first' });
    this.MANY(() => this.SUBRULE(this.equalitySuffix, { LABEL: 'suffixes' }));
  });

  equalitySuffix = this.RULE('equalitySuffix', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.Equal, { LABEL: 'operator' }) }, { ALT: () => this.CONSUME(T.NotEqual, { LABEL: 'operator' }) }]);
          this.SUBRULE(this.comparisonExpression, { LABEL: 'right' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Is, { LABEL: 'operator' });
          this.OPTION(() => this.CONSUME(T.Not, { LABEL: 'not' }));
          this.CONSUME(T.Null);
        },
      },
    ]);
  });

  comparisonExpression = this.RULE('comparisonExpression', () => {
    this.SUBRULE(this.unaryExpression, { LABEL: 'first' });
    this.MANY(() => this.SUBRULE(this.comparisonSuffix, { LABEL: 'suffixes' }));
  });

  comparisonSuffix = this.RULE('comparisonSuffix', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Greater, { LABEL: 'operator' }) },
            { ALT: () => this.CONSUME(T.GreaterEqual, { LABEL: 'operator' }) },
            { ALT: () => this.CONSUME(T.Less, { LABEL: 'operator' }) },
            { ALT: () => this.CONSUME(T.LessEqual, { LABEL: 'operator' }) },
          ]);
          this.SUBRULE(this.unaryExpression, { LABEL: 'right' });
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Not, { LABEL: 'not' }));
          this.OR3([
            { ALT: () => this.SUBRULE(this.stringMatch) },
            { ALT: () => this.SUBRULE(this.between) },
            { ALT: () => this.SUBRULE(this.inList) },
          ]);
        },
      },
    ]);
  });

  stringMatch = this.RULE('stringMatch', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Contains, { LABEL: 'operator' }) },
      { ALT: () => this.CONSUME(T.StartsWith, { LABEL: 'operator' }) },
      { ALT: () => this.CONSUME(T.EndsWith, { LABEL: 'operator' }) },
    ]);
    this.CONSUME(T.StringLiteral, { LABEL: 'search' });
  });

  between = this.RULE('between', () => {
    this.CONSUME(T.Between, { LABEL: 'operator' });
    this.SUBRULE(this.unaryExpression, { LABEL: 'low' });
    this.CONSUME(T.And);
    this.SUBRULE2(this.unaryExpression, { LABEL: 'high' });
  });

  inList = this.RULE('inList', () => {
    this.CONSUME(T.In, { LABEL: 'operator' });
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.StringLiteral, { LABEL: 'values' }) });
    this.CONSUME(T.RParen);
  });

  // unary and primary in one rule: every operand passes through here, so one rule call fewer each.
  unaryExpression = this.RULE('unaryExpression', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Plus, { LABEL: 'operator' }) },
            { ALT: () => this.CONSUME(T.Minus, { LABEL: 'operator' }) },
            { ALT: () => this.CONSUME(T.Not, { LABEL: 'operator' }) },
          ]);
          this.SUBRULE(this.unaryExpression, { LABEL: 'operand' });
        },
      },
      { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.DecimalLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.FloatLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.True, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.False, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.Null, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'identifier' }) },
      {
        ALT: () => {
          this.CONSUME(T.LParen, { LABEL: 'open' });
          this.SUBRULE(this.orExpression, { LABEL: 'inner' });
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });
}

/** One parser instance, reused: chevrotain parsers are built once and reset per input. */
export const sql92Parser = new Sql92Parser();

export type { CstNode };
