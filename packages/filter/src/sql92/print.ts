import type { Literal, Sql92Node } from './ast.js';

// Binding strength of each node, loosest first, matching the grammar's rules.
const OR = 1;
const AND = 2;
const EQUALITY = 3;
const COMPARISON = 4;
const UNARY = 5;
const PRIMARY = 6;

function levelOf(node: Sql92Node): number {
  switch (node.kind) {
    case 'Or':
      return OR;
    case 'And':
      return AND;
    case 'IsNull':
      return EQUALITY;
    case 'Comparison':
      return node.operator === '=' || node.operator === '<>' ? EQUALITY : COMPARISON;
    case 'Between':
    case 'In':
    case 'StringMatch':
      return COMPARISON;
    case 'Not':
    case 'Negate':
      return UNARY;
    default:
      return PRIMARY;
  }
}

/** Quotes a string the way the grammar reads it back (`'` doubled). */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Formats a Double so that it lexes as a floating-point literal again (`10` -> `10.0`). */
export function formatDouble(value: number): string {
  const text = String(value);
  return /[.eE]/.test(text) || !Number.isFinite(value) ? text : `${text}.0`;
}

function printLiteral(node: Literal): string {
  switch (node.type) {
    case 'String':
      return quoteString(node.value);
    case 'Double':
      return formatDouble(node.value);
    case 'Boolean':
      return node.value ? 'TRUE' : 'FALSE';
    case 'Null':
      return 'NULL';
    default:
      return String(node.value);
  }
}

function at(node: Sql92Node, minLevel: number): string {
  const text = print(node);
  return levelOf(node) < minLevel ? `(${text})` : text;
}

/**
 * Prints the normalized form of an expression: keywords upper-case, single spaces, only the
 * parentheses the grammar needs. Parsing the output gives the same AST back.
 */
export function print(node: Sql92Node): string {
  switch (node.kind) {
    case 'Literal':
      return printLiteral(node);
    case 'Property':
      return node.name;
    case 'BooleanCast':
      return node.operand.name;
    case 'Or':
      return `${at(node.left, OR)} OR ${at(node.right, AND)}`;
    case 'And':
      return `${at(node.left, AND)} AND ${at(node.right, EQUALITY)}`;
    case 'Comparison':
      return levelOf(node) === EQUALITY
        ? `${at(node.left, EQUALITY)} ${node.operator} ${at(node.right, COMPARISON)}`
        : `${at(node.left, COMPARISON)} ${node.operator} ${at(node.right, UNARY)}`;
    case 'IsNull':
      return `${at(node.operand, EQUALITY)} IS ${node.negated ? 'NOT NULL' : 'NULL'}`;
    case 'Between':
      return `${at(node.operand, COMPARISON)} ${node.negated ? 'NOT ' : ''}BETWEEN ${at(node.low, UNARY)} AND ${at(node.high, UNARY)}`;
    case 'In':
      return `${node.operand.name} ${node.negated ? 'NOT ' : ''}IN (${node.values.map(quoteString).join(', ')})`;
    case 'StringMatch':
      return `${at(node.operand, COMPARISON)} ${node.negated ? 'NOT ' : ''}${node.operator} ${quoteString(node.search)}`;
    case 'Not':
      return `NOT ${at(node.operand, UNARY)}`;
    case 'Negate': {
      // `--` would start a comment, so a nested minus gets a space.
      const operand = at(node.operand, UNARY);
      return operand.startsWith('-') ? `- ${operand}` : `-${operand}`;
    }
  }
}
