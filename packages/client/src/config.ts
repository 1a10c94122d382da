/** Options every client (producer, consumers, admin) shares: RocketMQ's `ClientConfig`. */
import type { SessionCredentials } from '@rockit/acl';
import { networkInterfaces } from 'node:os';
import { MixAll, type Logger } from '@rockit/common';
import type { RPCHook } from '@rockit/remoting';
import { MQClientError } from './errors.js';

export interface ClientConfig {
  /** Name servers: a list or a `;`-separated string. Default: env NAMESRV_ADDR. */
  namesrvAddr?: string | readonly string[];
  /** Part of the client id; clients with the same id share one MQClientInstance. Default: `<pid>#<n>` (one per client). */
  instanceName?: string;
  /** IP put in the client id. Default: the first non-internal IPv4 address. */
  clientIP?: string;
  /** Route refresh period. Default 30000 ms. */
  pollNameServerInterval?: number;
  /** Heartbeat period. Default 30000 ms. */
  heartbeatBrokerInterval?: number;
  /** Consumer offsets persist period. Default 5000 ms. */
  persistConsumerOffsetInterval?: number;
  /** Retry delay after a failed pull. Default 1000 ms. */
  pullTimeDelayMillsWhenException?: number;
  /** Timeout of control calls (routes, heartbeats, offsets). Default 3000 ms. */
  mqClientApiTimeout?: number;
  /** Hooks run around every request (ACL signing, tracing). */
  rpcHook?: RPCHook;
  /**
   * ACL credentials (plain_acl.yml accessKey / secretKey): every request is signed with them (AclClientRPCHook,
   * after `rpcHook`). Clients of one process that share a client id share the first one's credentials, as in Java.
   */
  credentials?: SessionCredentials;
  logger?: Logger;
  /**
   * Header serialization of the client's requests: JSON (RocketMQ's default) or ROCKETMQ (binary; less CPU on
   * both sides; every RocketMQ 4.x broker and rockit accept it). Default: env ROCKETMQ_SERIALIZE_TYPE, as Java
   * clients read it, else JSON.
   */
  serializeType?: SerializeTypeName;
}

export type SerializeTypeName = 'JSON' | 'ROCKETMQ';
/** Java's `RemotingCommand.SERIALIZE_TYPE_ENV`. */
export const SERIALIZE_TYPE_ENV = 'ROCKETMQ_SERIALIZE_TYPE';

export interface ResolvedClientConfig {
  namesrvAddrs: string[];
  instanceName: string;
  clientIP: string;
  pollNameServerInterval: number;
  heartbeatBrokerInterval: number;
  persistConsumerOffsetInterval: number;
  pullTimeDelayMillsWhenException: number;
  mqClientApiTimeout: number;
  serializeType: SerializeTypeName;
}

let instanceCounter = 0;

/** `a;b` or ['a', 'b'] -> ['a', 'b'], falling back to NAMESRV_ADDR. */
export function parseNamesrvAddr(addr: string | readonly string[] | undefined): string[] {
  const raw = addr ?? process.env[MixAll.NAMESRV_ADDR_ENV] ?? '';
  const list = (typeof raw === 'string' ? raw.split(';') : [...raw]).map((a) => a.trim()).filter((a) => a.length > 0);
  return list;
}

/** The first non-internal IPv4 address, else 127.0.0.1 (Java's `RemotingUtil.getLocalAddress`). */
export function localAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) if (i.family === 'IPv4' && !i.internal) return i.address;
  }
  return '127.0.0.1';
}

export function resolveClientConfig(c: ClientConfig): ResolvedClientConfig {
  return {
    namesrvAddrs: parseNamesrvAddr(c.namesrvAddr),
    // 4.9.8 turns DEFAULT into `<pid>#<nanoTime>`: each client object gets its own id and connections.
    instanceName: c.instanceName ?? `${process.pid}#${++instanceCounter}${process.hrtime.bigint() % 1000000n}`,
    clientIP: c.clientIP ?? localAddress(),
    pollNameServerInterval: c.pollNameServerInterval ?? 30_000,
    heartbeatBrokerInterval: c.heartbeatBrokerInterval ?? 30_000,
    persistConsumerOffsetInterval: c.persistConsumerOffsetInterval ?? 5_000,
    pullTimeDelayMillsWhenException: c.pullTimeDelayMillsWhenException ?? 1_000,
    mqClientApiTimeout: c.mqClientApiTimeout ?? 3_000,
    serializeType: resolveSerializeType(c.serializeType),
  };
}

/** The serialization a client uses: the one given, else ROCKETMQ_SERIALIZE_TYPE (as Java clients read it), else JSON. */
export function resolveSerializeType(given: string | undefined): SerializeTypeName {
  if (given !== undefined) return parseSerializeType(given, 'serializeType');
  return parseSerializeType(process.env[SERIALIZE_TYPE_ENV] ?? 'JSON', SERIALIZE_TYPE_ENV);
}

/** 'JSON' or 'ROCKETMQ' (any case); anything else is refused, naming where it came from. */
export function parseSerializeType(value: string, source = 'serializeType'): SerializeTypeName {
  const name = value.trim().toUpperCase();
  if (name === 'JSON' || name === 'ROCKETMQ') return name;
  throw new MQClientError(`${source} must be JSON or ROCKETMQ, not "${value}"`);
}

/** `clientIP@instanceName`, the id brokers know this client by. */
export function buildClientId(c: ResolvedClientConfig): string {
  return `${c.clientIP}@${c.instanceName}`;
}
