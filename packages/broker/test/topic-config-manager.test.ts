import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerConfig, ConfigFileCorruptError, TopicConfigManager, type TopicConfigChange } from '@rockit/broker';
import { RemotingCommandError } from '@rockit/remoting';
import { copyFixtureConfig, FIXTURE_CONFIG_DIR, manualClock, silentLogger, tempDir } from './helpers.js';

function fixtureSettings(overrides: Partial<BrokerConfig> = {}): BrokerConfig {
  return new BrokerConfig({ brokerClusterName: 'FixtureCluster', brokerName: 'broker-fx', ...overrides });
}

describe('TopicConfigManager', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  function manager(overrides: Partial<BrokerConfig> = {}, configDir = join(dir, 'config'), clock = manualClock()) {
    return new TopicConfigManager({ config: fixtureSettings(overrides), configDir, logger: silentLogger, now: clock.now });
  }

  describe('system topics at start', () => {
    it('creates the topics RocketMQ 4.9.8 creates, with their queue counts and perms', () => {
      const m = manager();
      const t = (name: string) => m.selectTopicConfig(name);
      expect(t('SELF_TEST_TOPIC')).toMatchObject({ readQueueNums: 1, writeQueueNums: 1, perm: 6 });
      expect(t('TBW102')).toMatchObject({ readQueueNums: 8, writeQueueNums: 8, perm: 7 });
      expect(t('BenchmarkTest')).toMatchObject({ readQueueNums: 1024, writeQueueNums: 1024, perm: 6 });
      expect(t('FixtureCluster')).toMatchObject({ readQueueNums: 16, writeQueueNums: 16, perm: 7 });
      expect(t('broker-fx')).toMatchObject({ readQueueNums: 1, writeQueueNums: 1, perm: 7 });
      expect(t('OFFSET_MOVED_EVENT')).toMatchObject({ readQueueNums: 1, perm: 6 });
      expect(t('SCHEDULE_TOPIC_XXXX')).toMatchObject({ readQueueNums: 18, writeQueueNums: 18, perm: 6 });
      expect(t('FixtureCluster_REPLY_TOPIC')).toMatchObject({ readQueueNums: 1, perm: 6 });
      // created on first use only
      expect(t('RMQ_SYS_TRANS_HALF_TOPIC')).toBeUndefined();
      expect(t('RMQ_SYS_TRACE_TOPIC')).toBeUndefined();
      expect(m.size).toBe(8);
    });

    it('leaves TBW102 out when autoCreateTopicEnable=false and adds the trace topic when traceTopicEnable=true', () => {
      const m = manager({ autoCreateTopicEnable: false, traceTopicEnable: true });
      expect(m.selectTopicConfig('TBW102')).toBeUndefined();
      expect(m.selectTopicConfig('RMQ_SYS_TRACE_TOPIC')).toMatchObject({ readQueueNums: 1, perm: 6 });
    });

    it('gives the cluster and broker topics only INHERIT when clusterTopicEnable/brokerTopicEnable are off', () => {
      const m = manager({ clusterTopicEnable: false, brokerTopicEnable: false });
      expect(m.selectTopicConfig('FixtureCluster')?.perm).toBe(1);
      expect(m.selectTopicConfig('broker-fx')?.perm).toBe(1);
    });
  });

  describe('auto-creation through TBW102 (createTopicInSendMessageMethod)', () => {
    it('creates an unknown topic with min(client queue nums, TBW102 write queues) and perm without INHERIT', () => {
      const m = manager();
      const tc = m.createTopicInSendMessageMethod('NewTopic', 'TBW102', '10.0.0.1:5555', 4, 0);
      expect(tc).toEqual({ topicName: 'NewTopic', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false });
      expect(m.createTopicInSendMessageMethod('Wide', 'TBW102', 'x', 100, 0)?.writeQueueNums).toBe(8);
      expect(m.createTopicInSendMessageMethod('Neg', 'TBW102', 'x', -3, 0)?.writeQueueNums).toBe(0);
    });

    it('returns an existing topic unchanged and does not bump the data version', () => {
      const m = manager();
      const before = m.dataVersion.counter;
      const tc = m.createTopicInSendMessageMethod('SCHEDULE_TOPIC_XXXX', 'TBW102', 'x', 4, 0);
      expect(tc?.writeQueueNums).toBe(18);
      expect(m.dataVersion.counter).toBe(before);
    });

    it('refuses when the template topic is missing or lacks PERM_INHERIT', () => {
      const m = manager();
      expect(m.createTopicInSendMessageMethod('A', 'NoSuchTemplate', 'x', 4, 0)).toBeUndefined();
      // SELF_TEST_TOPIC exists but is not inheritable
      expect(m.createTopicInSendMessageMethod('A', 'SELF_TEST_TOPIC', 'x', 4, 0)).toBeUndefined();
      expect(m.selectTopicConfig('A')).toBeUndefined();
    });

    it('can use the cluster topic as template (it carries INHERIT)', () => {
      const m = manager();
      expect(m.createTopicInSendMessageMethod('ViaCluster', 'FixtureCluster', 'x', 4, 0)).toMatchObject({ writeQueueNums: 4, perm: 6 });
    });

    it('strips INHERIT from a TBW102 loaded from file when autoCreateTopicEnable=false', () => {
      const configDir = copyFixtureConfig(dir);
      const m = manager({ autoCreateTopicEnable: false }, configDir);
      m.load();
      expect(m.selectTopicConfig('TBW102')?.perm).toBe(7);
      expect(m.createTopicInSendMessageMethod('X', 'TBW102', 'x', 4, 0)).toBeUndefined();
      expect(m.selectTopicConfig('TBW102')?.perm).toBe(6);
    });

    it('bumps the data version, notifies listeners and persists topics.json', async () => {
      const clock = manualClock(1_800_000_000_000);
      const m = manager({}, join(dir, 'config'), clock);
      const changes: TopicConfigChange[] = [];
      m.onChange((c) => changes.push(c));
      clock.advance(5);
      m.createTopicInSendMessageMethod('T1', 'TBW102', 'x', 4, 0);
      expect(m.dataVersion.toJSON()).toEqual({ counter: 1, timestamp: 1_800_000_000_005 });
      expect(changes).toEqual([{ kind: 'created', topicConfig: m.selectTopicConfig('T1') }]);
      await m.flush();
      const text = readFileSync(join(dir, 'config', 'topics.json'), 'utf8');
      expect(text).toContain('\t\t"T1":{\n\t\t\t"order":false,\n\t\t\t"perm":6,\n\t\t\t"readQueueNums":4,');
      expect(text.startsWith('{\n\t"dataVersion":{\n\t\t"counter":1,\n\t\t"timestamp":1800000000005\n\t},')).toBe(true);
    });
  });

  describe('retry, DLQ and transaction topics', () => {
    it('creates %RETRY% topics with the given queue count and perm once', () => {
      const m = manager();
      const tc = m.createTopicInSendMessageBackMethod('%RETRY%cg', 1, 6, 0);
      expect(tc).toMatchObject({ topicName: '%RETRY%cg', readQueueNums: 1, writeQueueNums: 1, perm: 6 });
      const v = m.dataVersion.counter;
      expect(m.createTopicInSendMessageBackMethod('%RETRY%cg', 4, 2, 0)).toBe(tc);
      expect(m.dataVersion.counter).toBe(v);
    });

    it('creates TRANS_CHECK_MAX_TIME_TOPIC on demand', () => {
      const m = manager();
      expect(m.createTopicOfTranCheckMaxTime(1, 6)).toMatchObject({ topicName: 'TRANS_CHECK_MAX_TIME_TOPIC', readQueueNums: 1 });
    });
  });

  describe('UPDATE_AND_CREATE_TOPIC / DELETE_TOPIC_IN_BROKER', () => {
    const base = { readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG' as const, topicSysFlag: 0, order: false };

    it('creates and updates a topic, reporting created then updated', () => {
      const m = manager();
      const changes: string[] = [];
      m.onChange((c) => changes.push(`${c.kind}:${c.topicConfig.topicName}:${c.topicConfig.writeQueueNums}`));
      m.updateTopicConfig({ topicName: 'Orders', ...base });
      m.updateTopicConfig({ topicName: 'Orders', ...base, writeQueueNums: 8, readQueueNums: 8 });
      expect(changes).toEqual(['created:Orders:4', 'updated:Orders:8']);
      expect(m.dataVersion.counter).toBe(2);
    });

    it.each([
      ['', 'The specified topic is blank.'],
      ['bad topic', 'The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$'],
      ['x'.repeat(128), 'The specified topic is longer than topic max length.'],
      ['TBW102', 'The topic[TBW102] is conflict with system topic.'],
      ['FixtureCluster', 'The topic[FixtureCluster] is conflict with system topic.'],
      ['broker-fx', 'The topic[broker-fx] is conflict with system topic.'],
      ['rmq_sys_anything', 'The topic[rmq_sys_anything] is conflict with system topic.'],
    ])('refuses topic name %j with SYSTEM_ERROR: %s', (topicName, remark) => {
      const m = manager();
      let error: unknown;
      try {
        m.updateTopicConfig({ topicName, ...base });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RemotingCommandError);
      expect(error).toMatchObject({ code: 1, remark });
    });

    it.each([
      [{ writeQueueNums: -1 }, 'writeQueueNums -1 is invalid'],
      [{ readQueueNums: 1.5 }, 'readQueueNums 1.5 is invalid'],
      [{ readQueueNums: 0, writeQueueNums: 0 }, 'must have at least one read or write queue'],
      [{ perm: 16 }, 'perm 16 is invalid'],
      [{ topicFilterType: 'TAGS' }, "topicFilterType 'TAGS' is invalid"],
    ])('refuses invalid fields %j', (fields, message) => {
      const m = manager();
      expect(() => m.updateTopicConfig({ topicName: 'T', ...base, ...(fields as object) })).toThrow(message);
      expect(m.selectTopicConfig('T')).toBeUndefined();
    });

    it('deletes a user topic and refuses system topics', () => {
      const m = manager();
      m.updateTopicConfig({ topicName: 'Gone', ...base });
      expect(m.deleteTopicConfig('Gone')?.topicName).toBe('Gone');
      expect(m.selectTopicConfig('Gone')).toBeUndefined();
      expect(m.deleteTopicConfig('NeverExisted')).toBeUndefined();
      expect(() => m.deleteTopicConfig('SCHEDULE_TOPIC_XXXX')).toThrow('The topic[SCHEDULE_TOPIC_XXXX] is conflict with system topic.');
      expect(m.selectTopicConfig('SCHEDULE_TOPIC_XXXX')).toBeDefined();
    });

    it('tells which topics producers may not send to', () => {
      const m = manager();
      expect(m.isTopicCanSendMessage('SCHEDULE_TOPIC_XXXX')).toBe(false);
      expect(m.isTopicCanSendMessage('RMQ_SYS_TRANS_HALF_TOPIC')).toBe(false);
      expect(m.isTopicCanSendMessage('TBW102')).toBe(true);
      expect(m.isTopicCanSendMessage('Orders')).toBe(true);
    });

    it('sets order flags from the name server ORDER_TOPIC_CONFIG', () => {
      const m = manager();
      m.updateTopicConfig({ topicName: 'Ordered', ...base });
      const v = m.dataVersion.counter;
      m.updateOrderTopicConfig(new Set(['Ordered']));
      expect(m.selectTopicConfig('Ordered')?.order).toBe(true);
      expect(m.dataVersion.counter).toBe(v + 1);
      m.updateOrderTopicConfig(new Set(['Ordered']));
      expect(m.dataVersion.counter).toBe(v + 1);
    });
  });

  describe('topics.json', () => {
    it("loads the fixture's topics.json over the built-in topics", () => {
      const configDir = copyFixtureConfig(dir);
      const m = manager({}, configDir);
      expect(m.load()).toBe('file');
      expect(m.size).toBe(19);
      expect(m.dataVersion.toJSON()).toEqual({ counter: 11, timestamp: 1795386423467 });
      expect(m.selectTopicConfig('FxOrdered')).toEqual({
        topicName: 'FxOrdered', readQueueNums: 2, writeQueueNums: 2, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false,
      });
      expect(m.selectTopicConfig('RMQ_SYS_TRANS_OP_HALF_TOPIC')).toBeUndefined();
    });

    it('writes the fixture back byte for byte', async () => {
      const configDir = copyFixtureConfig(dir);
      const m = manager({}, configDir);
      m.load();
      const original = readFileSync(join(FIXTURE_CONFIG_DIR, 'topics.json'), 'utf8');
      expect(m.encode(true)).toBe(original);
      await m.persist();
      expect(readFileSync(join(configDir, 'topics.json'), 'utf8')).toBe(original);
      // the previous file became the .bak
      expect(readFileSync(join(configDir, 'topics.json.bak'), 'utf8')).toBe(original);
    });

    it('writes the same bytes as the Java broker from a fresh start (ConcurrentHashMap order)', () => {
      // Rebuild the fixture's table from scratch in a different insertion order: output order must not depend on it.
      const fixture = manager({}, copyFixtureConfig(dir));
      fixture.load();
      const fresh = manager();
      for (const tc of [...fixture.topicConfigTable.values()].reverse()) fresh.putTopicConfig(tc);
      fresh.dataVersion.assign(fixture.dataVersion);
      expect(fresh.encode(true)).toBe(fixture.encode(true));
    });

    it('GET_ALL_TOPIC_CONFIG body is the compact form', () => {
      const m = manager({}, copyFixtureConfig(dir));
      m.load();
      const compact = m.encode();
      expect(compact).not.toContain('\n');
      expect(compact).toContain('"TBW102":{"order":false,"perm":7,"readQueueNums":8,"topicFilterType":"SINGLE_TAG","topicName":"TBW102","topicSysFlag":0,"writeQueueNums":8}');
      expect(JSON.parse(compact).dataVersion).toEqual({ counter: 11, timestamp: 1795386423467 });
    });

    it('falls back to topics.json.bak when topics.json is truncated', () => {
      const configDir = copyFixtureConfig(dir);
      const file = join(configDir, 'topics.json');
      writeFileSync(file, readFileSync(file, 'utf8').slice(0, 500));
      const m = manager({}, configDir);
      expect(m.load()).toBe('bak');
      // the fixture's .bak is the version before FxTx was created (counter 10)
      expect(m.dataVersion.counter).toBe(10);
      expect(m.selectTopicConfig('FxTx')).toBeDefined();
      expect(m.selectTopicConfig('RMQ_SYS_TRANS_HALF_TOPIC')).toBeUndefined();
    });

    it('reloads what it persisted after a restart', async () => {
      const first = manager();
      first.createTopicInSendMessageMethod('Created', 'TBW102', 'x', 2, 0);
      first.createTopicInSendMessageBackMethod('%RETRY%cg', 1, 6, 0);
      await first.flush();
      const second = manager();
      expect(second.load()).toBe('file');
      expect(second.selectTopicConfig('Created')).toEqual(first.selectTopicConfig('Created'));
      expect(second.selectTopicConfig('%RETRY%cg')).toEqual(first.selectTopicConfig('%RETRY%cg'));
      expect(second.dataVersion.equals(first.dataVersion)).toBe(true);
      expect(second.encode(true)).toBe(first.encode(true));
    });

    it('refuses to start when neither topics.json nor its .bak can be read', () => {
      const configDir = copyFixtureConfig(dir);
      writeFileSync(join(configDir, 'topics.json'), '{"topicConfigTable":{"T":{"perm":"rw"}}}');
      writeFileSync(join(configDir, 'topics.json.bak'), '{');
      const m = manager({}, configDir);
      expect(() => m.load()).toThrow(ConfigFileCorruptError);
      expect(() => m.load()).toThrow(/topicConfigTable\.T\.perm is not an integer/);
    });

    it('starts empty-handed (built-in topics only) on a fresh store', () => {
      const m = manager();
      expect(m.load()).toBeUndefined();
      expect(existsSync(join(dir, 'config', 'topics.json'))).toBe(false);
      expect(m.size).toBe(8);
    });
  });
});
