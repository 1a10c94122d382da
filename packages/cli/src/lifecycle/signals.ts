/**
 * Foreground servers (`rockit dev`, `namesrv start`, `broker start`) stop on SIGINT / SIGTERM: the first signal
 * starts a graceful shutdown; a second one, for a shutdown that hangs, exits at once.
 */
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export function untilShutdownSignal(onSecondSignal: (signal: NodeJS.Signals) => void = () => process.exit(130)): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (signal: NodeJS.Signals): void => {
      if (received) {
        onSecondSignal(signal);
        return;
      }
      received = true;
      resolve(signal);
    };
    for (const signal of SIGNALS) process.on(signal, handler);
  });
}

/**
 * After a graceful shutdown the event loop should drain by itself; a handle someone forgot (a client socket, a
 * timer) must not keep a stopped server alive, so exit anyway shortly after.
 */
export function exitSoonAfterShutdown(code = 0, graceMillis = 2000): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), graceMillis).unref();
}
