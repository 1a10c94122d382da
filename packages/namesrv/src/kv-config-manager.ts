/**
 * Name server key/value config (RocketMQ `KVConfigManager`): namespace -> key -> value, e.g.
 * namespace ORDER_TOPIC_CONFIG holding `topic -> "brokerName:queueNum;..."`. Every change is
 * persisted to kvConfigPath as `{"configTable":{...}}` (protocol §15.7).
 */
import type { Logger } from '@rockit/common';
import { file2String, string2File } from './config-file.js';
import { encodeKVTable, jsonString } from './route-data.js';

export const NAMESPACE_ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG';

export class KVConfigManager {
  private readonly configTable = new Map<string, Map<string, string>>();

  constructor(
    private readonly kvConfigPath: string,
    private readonly log?: Logger,
  ) {}

  /** Reads kvConfigPath (or its .bak); a missing file means an empty table. */
  load(): void {
    const content = file2String(this.kvConfigPath);
    if (content === undefined) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (err) {
      throw new Error(`kvConfigPath ${this.kvConfigPath} is not valid JSON: ${(err as Error).message}`);
    }
    const table = (parsed as { configTable?: Record<string, Record<string, unknown>> }).configTable ?? {};
    this.configTable.clear();
    for (const [namespace, entries] of Object.entries(table)) {
      const kv = new Map<string, string>();
      for (const [key, value] of Object.entries(entries ?? {})) kv.set(key, String(value));
      this.configTable.set(namespace, kv);
    }
    this.log?.info({ kvConfigPath: this.kvConfigPath, namespaces: this.configTable.size }, 'load KV config table OK');
  }

  putKVConfig(namespace: string, key: string, value: string): void {
    let kv = this.configTable.get(namespace);
    if (!kv) this.configTable.set(namespace, (kv = new Map()));
    const prev = kv.get(key);
    kv.set(key, value);
    this.log?.info({ namespace, key, value, prev }, prev === undefined ? 'putKVConfig create new config item' : 'putKVConfig update config item');
    this.persist();
  }

  deleteKVConfig(namespace: string, key: string): void {
    const kv = this.configTable.get(namespace);
    if (!kv || !kv.delete(key)) return;
    this.log?.info({ namespace, key }, 'deleteKVConfig delete a config item');
    this.persist();
  }

  getKVConfig(namespace: string, key: string): string | undefined {
    return this.configTable.get(namespace)?.get(key);
  }

  /** KVTable body of one namespace, or undefined when the namespace was never written. */
  getKVListByNamespace(namespace: string): Buffer | undefined {
    const kv = this.configTable.get(namespace);
    return kv ? encodeKVTable(kv) : undefined;
  }

  /** A snapshot of the whole table. */
  entries(): Map<string, Map<string, string>> {
    return new Map([...this.configTable].map(([ns, kv]) => [ns, new Map(kv)]));
  }

  encode(): string {
    const namespaces = [...this.configTable].map(([ns, kv]) => {
      const entries = [...kv].map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`);
      return `${jsonString(ns)}:{${entries.join(',')}}`;
    });
    return `{"configTable":{${namespaces.join(',')}}}`;
  }

  persist(): void {
    try {
      string2File(this.encode(), this.kvConfigPath);
    } catch (err) {
      // Java logs and keeps serving from memory; the change is still visible until restart.
      this.log?.error({ err, kvConfigPath: this.kvConfigPath }, 'persist kvconfig Exception');
    }
  }
}
