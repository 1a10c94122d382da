/** @rockit/client options from the command's resolved connection: name servers, timeout, a quiet logger on stderr. */
import type { ClientConfig } from '@rockit/client';
import type { ConnectionSettings } from './rockit-command.js';

export async function clientOptions(connection: ConnectionSettings, name: string): Promise<ClientConfig> {
  if (connection.credentials !== undefined) {
    // @rockit/client has no request signer yet (packages/client/README.md); sending unsigned would fail later.
    throw new Error('ACL credentials were given, but @rockit/client cannot sign requests yet; use a cluster without ACL');
  }
  const { createLogger } = await import('@rockit/client');
  const level = process.env.ROCKIT_LOG_LEVEL?.trim() || 'error';
  return {
    namesrvAddr: connection.namesrvAddrs,
    mqClientApiTimeout: connection.timeoutMillis,
    logger: createLogger(name, { level, destination: process.stderr }),
  };
}
