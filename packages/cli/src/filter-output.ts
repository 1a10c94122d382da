/**
 * How `rockit filter check|eval` report an expression that does not compile: the error line, then the offending
 * line with a caret under the column (stderr, exit 2), or `{"error": {...}}` with line and column under --json.
 * Only types come from @rockit/filter here: the commands import it inside run().
 */
import type { Command } from '@oclif/core';
import type { CompiledSql92, FilterSyntaxError } from '@rockit/filter';
import { formatErrorLine } from './errors.js';
import { colorLevel } from './render/color.js';
import { RockitCommand } from './rockit-command.js';

/** The exit code of a command whose expression does not compile (as for usage errors). */
export const SYNTAX_ERROR_EXIT = 2;

/** The error line and the excerpt with its caret, indented under it. */
export function syntaxErrorText(err: FilterSyntaxError, color: boolean): string {
  const excerpt = err
    .excerpt()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `${formatErrorLine(err, { color })}\n${excerpt}\n`;
}

/** The `--json` form: what errorToJson gives every error, plus where and what was expected. */
export function syntaxErrorJson(err: FilterSyntaxError): { error: Record<string, unknown> } {
  return {
    error: {
      name: err.name,
      message: err.message,
      reason: err.reason,
      line: err.line,
      column: err.column,
      expected: [...err.expected],
      code: err.code,
      codeName: 'SUBSCRIPTION_PARSE_FAILED',
      exitCode: SYNTAX_ERROR_EXIT,
    },
  };
}

/** Base of the `filter` commands: compiles an SQL92 expression, or reports why not and exits 2. */
export abstract class FilterCommand<T extends typeof Command> extends RockitCommand<T> {
  protected async compileOrExit(expression: string): Promise<CompiledSql92> {
    const { compileSql92, FilterSyntaxError } = await import('@rockit/filter');
    try {
      return compileSql92(expression, { cache: false });
    } catch (err) {
      if (!(err instanceof FilterSyntaxError)) throw err;
      if (this.jsonEnabled()) this.logJson(syntaxErrorJson(err));
      else process.stderr.write(syntaxErrorText(err, process.stderr.isTTY === true && colorLevel() > 0));
      return this.exit(SYNTAX_ERROR_EXIT);
    }
  }
}
