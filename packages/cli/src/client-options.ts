/**
 * @rockit/client options from the command's resolved connection: name servers, timeout, ACL credentials (every
 * request signed with them), a quiet logger on stderr.
 */
import type { ClientConfig } from '@rockit/client';
import type { ConnectionSettings } from './rockit-command.js';

export async function clientOptions(connection: ConnectionSettings, name: string): Promise<ClientConfig> {
  const { createLogger } = await import('@rockit/client');
  const level = process.env.ROCKIT_LOG_LEVEL?.trim() || 'error';
  return {
    namesrvAddr: connection.namesrvAddrs,
    mqClientApiTimeout: connection.timeoutMillis,
    ...(connection.credentials !== undefined ? { credentials: connection.credentials } : {}),
    logger: createLogger(name, { level, destination: process.stderr }),
  };
}
