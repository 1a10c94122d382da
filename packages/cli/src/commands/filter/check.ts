import { Args } from '@oclif/core';
import { FilterCommand } from '../../filter-output.js';

/** What `rockit filter check --json` prints. */
export interface FilterCheckResult {
  expression: string;
  normalized: string;
}

export default class FilterCheck extends FilterCommand<typeof FilterCheck> {
  static override summary = 'Check an SQL92 message selector and print it normalized.';
  static override description =
    'Parses and checks the expression the way a broker does when a consumer subscribes with SQL92 ' +
    '(RocketMQ semantics: types, NULL comparisons, BETWEEN bounds). Prints the normalized expression (keywords ' +
    'upper-case, minimal parentheses) and exits 0, or prints the error with a caret under its column and exits 2.';
  static override examples = [
    `<%= config.bin %> <%= command.id %> "a > 5 and b in ('x', 'y')"`,
    '<%= config.bin %> <%= command.id %> "price >" --json',
  ];
  static override args = {
    expression: Args.string({ description: 'SQL92 selector, e.g. "TAGS = \'TagA\' AND price > 10"', required: true }),
  };

  async run(): Promise<FilterCheckResult> {
    const { expression } = this.args;
    const compiled = await this.compileOrExit(expression);
    this.log(compiled.normalized);
    return { expression, normalized: compiled.normalized };
  }
}
