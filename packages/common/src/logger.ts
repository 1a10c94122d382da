import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  /** pino level; defaults to env ROCKIT_LOG_LEVEL, then 'info'. Tests pass 'silent'. */
  level?: string;
  /** Where lines go; defaults to stdout (pino's default). */
  destination?: DestinationStream;
  /** Extra bindings added to every line (e.g. { brokerName }). */
  bindings?: Record<string, unknown>;
}

/** The level a logger gets when the caller does not choose one. */
export function defaultLogLevel(): string {
  const fromEnv = process.env.ROCKIT_LOG_LEVEL?.trim();
  return fromEnv ? fromEnv : 'info';
}

/**
 * One pino logger per component, named after it (`createLogger('CommitLog')`), so a line says
 * which part of the broker wrote it.
 */
export function createLogger(name: string, opts: CreateLoggerOptions = {}): Logger {
  const options: LoggerOptions = { name, level: opts.level ?? defaultLogLevel() };
  const logger = opts.destination ? pino(options, opts.destination) : pino(options);
  return opts.bindings ? logger.child(opts.bindings) : logger;
}
