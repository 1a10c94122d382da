/** A port a server of ours wanted, what it was for, and the flag that moves it. */
export interface PortUse {
  port: number;
  what: string;
  flag: string;
}

/** One line for the user instead of Node's `listen EADDRINUSE ...` with a stack. */
export class PortInUseError extends Error {
  readonly exitCode = 1;
  constructor(readonly use: PortUse) {
    super(`port ${use.port} (${use.what}) is already in use: stop what listens there or choose another port with ${use.flag}`);
    this.name = 'PortInUseError';
  }
}

/** `err` as a PortInUseError when it is EADDRINUSE (naming the flag of the port among `uses`), else `err`. */
export function explainListenError(err: unknown, uses: readonly PortUse[]): unknown {
  const e = err as { code?: unknown; port?: unknown } | null;
  if (e === null || typeof e !== 'object' || e.code !== 'EADDRINUSE') return err;
  const port = typeof e.port === 'number' ? e.port : undefined;
  const use = uses.find((u) => u.port === port) ?? (uses.length === 1 ? uses[0] : undefined);
  if (use !== undefined) return new PortInUseError(port === undefined ? use : { ...use, port });
  return port === undefined ? err : new PortInUseError({ port, what: 'from the config file', flag: 'its flag or the config file' });
}
