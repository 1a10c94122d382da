import type { Logger } from '@rockit/client';

let logger: Logger | undefined;

/**
 * The benchmark's clients log warnings and worse to stderr (ROCKIT_LOG_LEVEL overrides): stdout is the summary or
 * the JSON report, and info lines such as rebalances would break both.
 */
export async function clientLogger(): Promise<Logger> {
  if (logger === undefined) {
    const { createLogger } = await import('@rockit/client');
    logger = createLogger('rockit-bench', { level: process.env.ROCKIT_LOG_LEVEL ?? 'warn', destination: process.stderr });
  }
  return logger;
}
