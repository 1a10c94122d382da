/**
 * plain_acl.yml (rocketmq-protocol.md §13.1): global white addresses and accounts with their secret key, own white
 * address, admin flag, default and per-resource permissions. Parsed strictly enough to name a broken entry.
 */
import { parse } from 'yaml';
import { getRetryTopic } from '@rockit/common';
import { parsePermission, Permission } from './permission.js';
import { remoteAddressMatcher, type RemoteAddressMatcher } from './remote-address.js';

export interface PlainAccount {
  accessKey: string;
  secretKey: string;
  whiteRemoteAddress: RemoteAddressMatcher;
  admin: boolean;
  defaultTopicPerm: number;
  defaultGroupPerm: number;
  /** Topic -> permission; groups are kept under their retry topic (`%RETRY%<group>`), as RocketMQ keys them. */
  resourcePerms: Map<string, number>;
}

export interface PlainAclConfig {
  globalWhiteRemoteAddresses: RemoteAddressMatcher[];
  accounts: Map<string, PlainAccount>;
}

export class PlainAclConfigError extends Error {
  override name = 'PlainAclConfigError';
}

/** Keys and secrets must be longer than 6 characters (PlainPermissionManager's check). */
const MIN_KEY_LENGTH = 7;

function stringList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new PlainAclConfigError(`${what} must be a list`);
  return value.map((v) => String(v));
}

/** `name=PERM` entries of topicPerms / groupPerms. */
function resourceEntries(value: unknown, what: string): [string, number][] {
  return stringList(value, what).map((entry) => {
    const at = entry.indexOf('=');
    if (at <= 0) throw new PlainAclConfigError(`${what} entry "${entry}" is not name=PERM`);
    return [entry.slice(0, at).trim(), parsePermission(entry.slice(at + 1).trim())];
  });
}

function account(raw: unknown, index: number): PlainAccount {
  if (raw === null || typeof raw !== 'object') throw new PlainAclConfigError(`accounts[${index}] is not a mapping`);
  const o = raw as Record<string, unknown>;
  const accessKey = o.accessKey === undefined || o.accessKey === null ? '' : String(o.accessKey);
  const secretKey = o.secretKey === undefined || o.secretKey === null ? '' : String(o.secretKey);
  const where = `accounts[${index}]${accessKey ? ` (${accessKey})` : ''}`;
  if (accessKey.length < MIN_KEY_LENGTH) throw new PlainAclConfigError(`${where}: accessKey must be longer than 6 characters`);
  if (secretKey.length < MIN_KEY_LENGTH) throw new PlainAclConfigError(`${where}: secretKey must be longer than 6 characters`);
  const resourcePerms = new Map<string, number>();
  for (const [topic, perm] of resourceEntries(o.topicPerms, `${where} topicPerms`)) resourcePerms.set(topic, perm);
  for (const [group, perm] of resourceEntries(o.groupPerms, `${where} groupPerms`)) resourcePerms.set(getRetryTopic(group), perm);
  const perm = (v: unknown) => (v === undefined || v === null ? Permission.DENY : parsePermission(String(v)));
  return {
    accessKey,
    secretKey,
    whiteRemoteAddress: remoteAddressMatcher(o.whiteRemoteAddress === undefined || o.whiteRemoteAddress === null ? '' : String(o.whiteRemoteAddress)),
    admin: o.admin === true || o.admin === 'true',
    defaultTopicPerm: perm(o.defaultTopicPerm),
    defaultGroupPerm: perm(o.defaultGroupPerm),
    resourcePerms,
  };
}

/** Parses the text of a plain_acl.yml; throws PlainAclConfigError naming the first broken entry. */
export function parsePlainAclConfig(text: string): PlainAclConfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new PlainAclConfigError(`plain_acl.yml is not valid YAML: ${(err as Error).message}`);
  }
  const root = (doc ?? {}) as Record<string, unknown>;
  if (typeof root !== 'object' || Array.isArray(root)) throw new PlainAclConfigError('plain_acl.yml must be a mapping');
  const accounts = new Map<string, PlainAccount>();
  const rawAccounts = root.accounts ?? [];
  if (!Array.isArray(rawAccounts)) throw new PlainAclConfigError('accounts must be a list');
  rawAccounts.forEach((raw, i) => {
    const a = account(raw, i);
    if (accounts.has(a.accessKey)) throw new PlainAclConfigError(`accounts[${i}]: accessKey ${a.accessKey} is defined twice`);
    accounts.set(a.accessKey, a);
  });
  return {
    globalWhiteRemoteAddresses: stringList(root.globalWhiteRemoteAddresses, 'globalWhiteRemoteAddresses').map(remoteAddressMatcher),
    accounts,
  };
}
