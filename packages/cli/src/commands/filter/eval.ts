import { Args, Flags } from '@oclif/core';
import { UsageError } from '../../errors.js';
import { FilterCommand } from '../../filter-output.js';

/** What `rockit filter eval --json` prints: whether the message is selected, and the three-valued result. */
export interface FilterEvalResult {
  match: boolean;
  /** null: UNKNOWN (a property is missing), or the evaluation was aborted by a failed conversion. */
  value: boolean | null;
}

/** `--props` as RocketMQ sees properties: names to string values. */
function parseProps(text: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--props is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError('--props must be a JSON object of property names to string values, e.g. \'{"a":"10","TAGS":"x"}\'');
  }
  const props = new Map<string, string>();
  for (const [name, value] of Object.entries(parsed)) {
    // Message properties are strings; the filter converts them to the type of what they meet, so "10" and 10.0 differ.
    if (typeof value !== 'string') {
      throw new UsageError(`--props values must be strings (property values are strings in RocketMQ): ${name} is ${JSON.stringify(value)}`);
    }
    props.set(name, value);
  }
  return props;
}

export default class FilterEval extends FilterCommand<typeof FilterEval> {
  static override summary = 'Evaluate an SQL92 message selector against a set of message properties.';
  static override description =
    'Prints true when a message with these properties would be delivered to a consumer subscribed with the ' +
    'expression, false otherwise: a missing property makes comparisons UNKNOWN (not selected), and a value that ' +
    'does not convert to the type it is compared with aborts the evaluation (not selected). --json prints ' +
    '{"match": boolean, "value": true|false|null}. Exits 0 when it evaluated, 2 when the expression does not compile.';
  static override examples = [
    `<%= config.bin %> <%= command.id %> "a > 5 AND TAGS = 'x'" --props '{"a":"10","TAGS":"x"}'`,
    `<%= config.bin %> <%= command.id %> "a > 5" --props '{}' --json`,
  ];
  static override args = {
    expression: Args.string({ description: 'SQL92 selector', required: true }),
  };
  static override flags = {
    props: Flags.string({ summary: 'Message properties as a JSON object of strings, e.g. \'{"a":"10","TAGS":"x"}\'.', default: '{}' }),
  };

  async run(): Promise<FilterEvalResult> {
    const props = parseProps(this.flags.props);
    const compiled = await this.compileOrExit(this.args.expression);
    const { FilterEvaluationError } = await import('@rockit/filter');
    let value: boolean | null;
    try {
      value = compiled.evaluateValue(props);
    } catch (err) {
      if (!(err instanceof FilterEvaluationError)) throw err;
      // RocketMQ aborts the whole evaluation: the message is not selected.
      if (!this.jsonEnabled()) process.stderr.write(`note: ${err.message}\n`);
      value = null;
    }
    const result: FilterEvalResult = { match: value === true, value };
    this.log(String(result.match));
    return result;
  }
}
