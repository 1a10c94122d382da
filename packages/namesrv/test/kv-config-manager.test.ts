import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KVConfigManager, NAMESPACE_ORDER_TOPIC_CONFIG } from '@rockit/namesrv';

describe('KVConfigManager', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rockit-kv-'));
    path = join(dir, 'namesrv', 'kvConfig.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("persists every change in RocketMQ's kvConfig.json format and loads it back", () => {
    const kv = new KVConfigManager(path);
    kv.load(); // no file yet: empty table
    kv.putKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, 'TopicA', 'broker-a:4;broker-b:4');
    kv.putKVConfig('ns2', 'k', 'v');
    expect(readFileSync(path, 'utf8')).toBe(
      '{"configTable":{"ORDER_TOPIC_CONFIG":{"TopicA":"broker-a:4;broker-b:4"},"ns2":{"k":"v"}}}',
    );

    const reloaded = new KVConfigManager(path);
    reloaded.load();
    expect(reloaded.getKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, 'TopicA')).toBe('broker-a:4;broker-b:4');
    expect(reloaded.getKVListByNamespace('ns2')?.toString()).toBe('{"table":{"k":"v"}}');
    expect(reloaded.getKVListByNamespace('missing')).toBeUndefined();
  });

  it('keeps the previous content in .bak and leaves no .tmp behind', () => {
    const kv = new KVConfigManager(path);
    kv.putKVConfig('ns', 'k', 'v1');
    kv.putKVConfig('ns', 'k', 'v2');
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('{"configTable":{"ns":{"k":"v1"}}}');
    expect(readFileSync(path, 'utf8')).toBe('{"configTable":{"ns":{"k":"v2"}}}');
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });

  it('falls back to .bak when the main file is missing', () => {
    const kv = new KVConfigManager(path);
    kv.putKVConfig('ns', 'k', 'v1');
    kv.putKVConfig('ns', 'k', 'v2');
    rmSync(path);
    const reloaded = new KVConfigManager(path);
    reloaded.load();
    expect(reloaded.getKVConfig('ns', 'k')).toBe('v1');
  });

  it('deletes a key and persists the deletion', () => {
    const kv = new KVConfigManager(path);
    kv.putKVConfig('ns', 'a', '1');
    kv.putKVConfig('ns', 'b', '2');
    kv.deleteKVConfig('ns', 'a');
    const reloaded = new KVConfigManager(path);
    reloaded.load();
    expect(reloaded.getKVConfig('ns', 'a')).toBeUndefined();
    expect(reloaded.getKVConfig('ns', 'b')).toBe('2');
  });

  it('reads a kvConfig.json written by a Java name server', () => {
    writeFileSync(join(dir, 'java.json'), '{"configTable":{"ORDER_TOPIC_CONFIG":{"TopicA":"broker-a:4;broker-b:4"}}}');
    const kv = new KVConfigManager(join(dir, 'java.json'));
    kv.load();
    expect(kv.getKVConfig('ORDER_TOPIC_CONFIG', 'TopicA')).toBe('broker-a:4;broker-b:4');
  });

  it('refuses to start from a corrupt file instead of silently losing config', () => {
    writeFileSync(join(dir, 'bad.json'), '{"configTable":');
    expect(() => new KVConfigManager(join(dir, 'bad.json')).load()).toThrow(/not valid JSON/);
  });
});
