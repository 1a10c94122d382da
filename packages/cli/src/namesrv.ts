import { UsageError } from './errors.js';

export const DEFAULT_NAMESRV_ADDR = '127.0.0.1:9876';

export type NamesrvSource = 'flag' | 'profile' | 'env' | 'default';

const HOST_PORT = /^(\S+):(\d{1,5})$/;

/**
 * Parses a name server list as RocketMQ accepts it: `host:port` entries separated by `;`
 * (blanks and a trailing `;` tolerated, duplicates dropped, order kept).
 */
export function parseNamesrvList(value: string): string[] {
  const addrs: string[] = [];
  for (const raw of value.split(';')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const match = HOST_PORT.exec(entry);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65535) {
      throw new UsageError(`invalid name server address "${entry}": expected host:port (several separated by ";")`);
    }
    if (!addrs.includes(entry)) addrs.push(entry);
  }
  if (addrs.length === 0) throw new UsageError(`no name server address in "${value}"`);
  return addrs;
}

/** -n/--namesrv wins, then the --profile's name servers, then NAMESRV_ADDR (when not blank), then 127.0.0.1:9876. */
export function resolveNamesrv(
  flagValue: string | undefined,
  envValue: string | undefined,
  profileValue?: string,
): { addrs: string[]; source: NamesrvSource } {
  if (flagValue !== undefined) return { addrs: parseNamesrvList(flagValue), source: 'flag' };
  if (profileValue !== undefined) return { addrs: parseNamesrvList(profileValue), source: 'profile' };
  if (envValue !== undefined && envValue.trim() !== '') return { addrs: parseNamesrvList(envValue), source: 'env' };
  return { addrs: [DEFAULT_NAMESRV_ADDR], source: 'default' };
}
