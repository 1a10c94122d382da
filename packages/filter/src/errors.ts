/** RocketMQ's response code for a subscription expression the broker cannot compile. */
export const SUBSCRIPTION_PARSE_FAILED = 23;
/** RocketMQ's generic failure code (unknown expression type, SQL92 disabled on the broker). */
export const SYSTEM_ERROR = 1;

/** Where in the expression text something went wrong; line and column are 1-based. */
export interface FilterPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** The line and column (1-based, in UTF-16 units) of an offset; \n, \r\n and \r end lines. */
export function positionAt(text: string, offset: number): FilterPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** Base of every error this package throws; carries the RocketMQ response code to answer with. */
export class FilterError extends Error {
  override name = 'FilterError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

function describePosition(pos: FilterPosition, multiline: boolean): string {
  return multiline ? `line ${pos.line}, column ${pos.column}` : `column ${pos.column}`;
}

/**
 * The expression is not well formed. `message` is user-facing
 * (e.g. `Expected a value after '>' at column 7`); `expected` lists what would have been accepted there.
 */
export class FilterSyntaxError extends FilterError {
  override name = 'FilterSyntaxError';
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The problem without the position suffix, e.g. `Expected a value after '>'`. */
  readonly reason: string;
  constructor(
    reason: string,
    position: FilterPosition,
    readonly expected: readonly string[],
    readonly expression: string,
  ) {
    super(`${reason} at ${describePosition(position, /[\r\n]/.test(expression))}`, SUBSCRIPTION_PARSE_FAILED);
    this.reason = reason;
    this.line = position.line;
    this.column = position.column;
    this.offset = position.offset;
  }

  /**
   * The offending line of the expression with a caret under the column, for terminals:
   * `price >\n       ^`. Tabs before the column are kept so the caret lines up.
   */
  excerpt(): string {
    const text = this.expression.split(/\r\n|\r|\n/)[this.line - 1] ?? '';
    const pad = text.slice(0, this.column - 1).replace(/[^\t]/g, ' ');
    return `${text}\n${pad}^`;
  }
}

/**
 * The expression is well formed but RocketMQ refuses to compile it (`a = NULL`, `a > 'x'`,
 * `NOT a > 1`, BETWEEN bounds out of order...). A subclass of FilterSyntaxError so one
 * `instanceof FilterSyntaxError` covers every SUBSCRIPTION_PARSE_FAILED case.
 */
export class FilterSemanticError extends FilterSyntaxError {
  override name = 'FilterSemanticError';
  constructor(reason: string, position: FilterPosition, expression: string) {
    super(reason, position, [], expression);
  }
}

/** An expression type no filter is registered for (RocketMQ knows `TAG` and `SQL92`). */
export class FilterTypeError extends FilterError {
  override name = 'FilterTypeError';
  constructor(readonly expressionType: string) {
    super(`Unsupported subscription expression type '${expressionType}' (expected TAG or SQL92)`, SYSTEM_ERROR);
  }
}

/**
 * Raised while evaluating when a property cannot be converted to the type it is compared with
 * (Java's NumberFormatException / ClassCastException inside RocketMQ's evaluator). The whole
 * evaluation is aborted and the message does not match.
 */
export class FilterEvaluationError extends FilterError {
  override name = 'FilterEvaluationError';
  constructor(message: string) {
    super(message, SYSTEM_ERROR);
  }
}
