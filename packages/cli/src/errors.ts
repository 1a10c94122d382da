import { color } from './render/color.js';

/** Wrong flags or arguments: exits 2, like oclif's own parse errors. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * What the CLI reads from an error that came back from a RocketMQ server: the numeric
 * response code, and its name when the thrower knows it (e.g. TOPIC_NOT_EXIST). Errors
 * from @rockit/remoting and @rockit/client should carry these fields.
 */
export interface ResponseCodeError {
  code: number;
  codeName?: string;
  remark?: string;
}

interface ErrorFields {
  message?: unknown;
  code?: unknown;
  codeName?: unknown;
  exitCode?: unknown;
  oclif?: { exit?: unknown };
  cause?: unknown;
  stack?: unknown;
  name?: unknown;
}

function fields(err: unknown): ErrorFields {
  return typeof err === 'object' && err !== null ? (err as ErrorFields) : {};
}

/** The RocketMQ response code on an error, if it carries one. */
export function responseCodeOf(err: unknown): { code: number; codeName?: string } | undefined {
  const { code, codeName } = fields(err);
  if (typeof code !== 'number') return undefined;
  return typeof codeName === 'string' ? { code, codeName } : { code };
}

/** 2 for usage errors (oclif's parse errors set oclif.exit = 2), else the error's own code, else 1. */
export function exitCodeOf(err: unknown): number {
  const f = fields(err);
  const candidates = [f.oclif?.exit, f.exitCode];
  for (const c of candidates) if (typeof c === 'number' && Number.isInteger(c) && c > 0) return c;
  return 1;
}

function messageOf(err: unknown): string {
  const message = fields(err).message;
  if (typeof message === 'string' && message.trim() !== '') return message;
  if (typeof err === 'string') return err;
  return err instanceof Error ? err.name : String(err);
}

/**
 * Multi-line messages joined into one line. oclif's flag errors come as
 * "The following errors occurred:\n  Missing required flag topic\nSee more help with --help";
 * the preamble says nothing on one line, so it goes.
 */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^The following errors? occurred:$/.test(line))
    .join('; ');
}

/**
 * The single line the CLI prints for a failure: `error: <message>`, the cause when it adds
 * something (e.g. ECONNREFUSED under a "cannot reach name server"), and the response code name.
 */
export function formatErrorLine(err: unknown, options: { color?: boolean } = {}): string {
  let message = oneLine(messageOf(err));
  const cause = fields(err).cause;
  if (cause !== undefined) {
    const causeMessage = oneLine(messageOf(cause));
    if (!message.includes(causeMessage)) message += `: ${causeMessage}`;
  }
  const rc = responseCodeOf(err);
  // @rockit/remoting's RemotingCommandError already says "TOPIC_NOT_EXIST (17): ..."; don't repeat it.
  const named = rc && (message.includes(`(${rc.code})`) || (rc.codeName !== undefined && message.includes(rc.codeName)));
  if (rc && !named) message += rc.codeName ? ` (${rc.codeName}, code ${rc.code})` : ` (code ${rc.code})`;
  return `${options.color ? color.error('error:') : 'error:'} ${message}`;
}

/** The `--json` form of a failure: `{ "error": { ... } }` on stdout, as oclif commands do. */
export function errorToJson(err: unknown, options: { stack?: boolean } = {}): { error: Record<string, unknown> } {
  const f = fields(err);
  const out: Record<string, unknown> = {
    name: typeof f.name === 'string' ? f.name : 'Error',
    message: oneLine(messageOf(err)),
    exitCode: exitCodeOf(err),
  };
  const rc = responseCodeOf(err);
  if (rc) Object.assign(out, rc);
  else if (typeof f.code === 'string') out.code = f.code;
  if (options.stack && typeof f.stack === 'string') out.stack = f.stack;
  return { error: out };
}
