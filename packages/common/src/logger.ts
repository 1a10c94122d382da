import { createRequire } from 'node:module';
import type { Logger, LoggerOptions, DestinationStream, ChildLoggerOptions } from 'pino';

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

type PinoFactory = typeof import('pino').pino;

// pino and its ~30 CommonJS modules cost ~30 ms to load, and modules create their loggers at import time: a short
// CLI command that logs nothing (`rockit admin topicList`) should not pay for it. pino is CommonJS, so it can be
// required synchronously the first time a line is actually written.
const requirePino = createRequire(import.meta.url);
let pinoFactory: PinoFactory | undefined;
function loadPino(): PinoFactory {
  return (pinoFactory ??= (requirePino('pino') as { pino: PinoFactory }).pino);
}

/** pino's standard levels; a logger with any other level is built eagerly so pino judges it. */
const LEVEL_VALUES: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
const LOG_METHODS = new Set<PropertyKey>(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const noop = (): void => undefined;

/**
 * A stand-in for a pino logger that answers `level`, `levelVal`, `isLevelEnabled`, `child` and calls below its
 * level without pino, and builds the real logger (then forwards everything to it) on anything else: a line at an
 * enabled level, a level change, bindings, flush.
 */
function lazyLogger(level: string, materialize: () => Logger): Logger {
  let real: Logger | undefined;
  const bound = new Map<PropertyKey, { fn: unknown; bound: unknown }>();
  const load = (): Logger => (real ??= materialize());
  const threshold = LEVEL_VALUES[level] as number;
  const lazy: Partial<Record<PropertyKey, unknown>> = {
    levelVal: threshold,
    isLevelEnabled: (l: string) => LEVEL_VALUES[l] !== undefined && LEVEL_VALUES[l] >= threshold,
    child: (bindings: Record<string, unknown>, options?: ChildLoggerOptions) => {
      const childLevel = options?.level ?? level;
      if (LEVEL_VALUES[childLevel] === undefined) return load().child(bindings, options);
      return lazyLogger(childLevel, () => load().child(bindings, { ...options, level: childLevel }));
    },
  };
  return new Proxy({} as Logger, {
    get(_target, prop) {
      if (real === undefined) {
        if (prop === 'level') return level;
        if (Object.hasOwn(lazy, prop)) return lazy[prop];
        if (LOG_METHODS.has(prop) && LEVEL_VALUES[prop as string]! < threshold) return noop;
        if (prop === 'silent') return noop;
        if (prop === 'then') return undefined; // not a thenable; `await logger` must not build it
      }
      const target = load();
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      // Bound once per method (pino swaps a level's method for a no-op when the level changes, hence the check).
      const cached = bound.get(prop);
      if (cached !== undefined && cached.fn === value) return cached.bound;
      const fn = (value as (...args: unknown[]) => unknown).bind(target);
      bound.set(prop, { fn: value, bound: fn });
      return fn;
    },
    set(_target, prop, value) {
      return Reflect.set(load(), prop, value);
    },
    has(_target, prop) {
      return Reflect.has(load(), prop);
    },
    getPrototypeOf() {
      return Reflect.getPrototypeOf(load());
    },
  });
}

function buildLogger(name: string, level: string, opts: CreateLoggerOptions): Logger {
  const pino = loadPino();
  const options: LoggerOptions = { name, level };
  const logger = opts.destination ? pino(options, opts.destination) : pino(options);
  return opts.bindings ? logger.child(opts.bindings) : logger;
}

/**
 * One pino logger per component, named after it (`createLogger('CommitLog')`), so a line says
 * which part of the broker wrote it. pino itself is loaded on the first line written (see lazyLogger);
 * once it is loaded, loggers are plain pino loggers.
 */
export function createLogger(name: string, opts: CreateLoggerOptions = {}): Logger {
  const level = opts.level ?? defaultLogLevel();
  if (pinoFactory !== undefined || LEVEL_VALUES[level] === undefined) return buildLogger(name, level, opts);
  return lazyLogger(level, () => buildLogger(name, level, opts));
}
