import { createLogger } from '@rockit/common';

/** The slice of a pino logger the store uses; `createLogger` from `@rockit/common` satisfies it. */
export interface StoreLogger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export function storeLogger(injected?: StoreLogger): StoreLogger {
  return injected ?? createLogger('MessageStore');
}
