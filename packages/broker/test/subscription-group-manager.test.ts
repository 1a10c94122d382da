import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSubscriptionGroupConfig, SubscriptionGroupManager, SYSTEM_SUBSCRIPTION_GROUPS } from '@rockit/broker';
import { copyFixtureConfig, FIXTURE_CONFIG_DIR, manualClock, silentLogger, tempDir } from './helpers.js';

describe('SubscriptionGroupManager', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  function manager(autoCreateSubscriptionGroup = true, configDir = join(dir, 'config'), clock = manualClock()) {
    return new SubscriptionGroupManager({ config: { autoCreateSubscriptionGroup }, configDir, logger: silentLogger, now: clock.now });
  }

  it('pre-creates the system groups RocketMQ 4.9.8 has', () => {
    const m = manager();
    expect([...m.subscriptionGroupTable.keys()].sort()).toEqual([...SYSTEM_SUBSCRIPTION_GROUPS].sort());
    expect(m.selectSubscriptionGroupConfig('TOOLS_CONSUMER')).toEqual(newSubscriptionGroupConfig('TOOLS_CONSUMER'));
    expect(m.dataVersion.counter).toBe(0);
  });

  it('auto-creates an unknown group with defaults and bumps the data version', async () => {
    const clock = manualClock(1_000);
    const m = manager(true, join(dir, 'config'), clock);
    clock.advance(1);
    const g = m.findSubscriptionGroupConfig('cg');
    expect(g).toEqual({
      groupName: 'cg', consumeEnable: true, consumeFromMinEnable: true, consumeBroadcastEnable: true,
      retryQueueNums: 1, retryMaxTimes: 16, brokerId: 0, whichBrokerWhenConsumeSlowly: 1, notifyConsumerIdsChangedEnable: true,
    });
    expect(m.dataVersion.toJSON()).toEqual({ counter: 1, timestamp: 1_001 });
    expect(m.findSubscriptionGroupConfig('cg')).toBe(g);
    expect(m.dataVersion.counter).toBe(1);
    await m.flush();
    expect(readFileSync(m.path, 'utf8')).toContain('"cg":{\n\t\t\t"brokerId":0,');
  });

  it('does not auto-create when disabled, except CID_RMQ_SYS_ groups', () => {
    const m = manager(false);
    expect(m.findSubscriptionGroupConfig('cg')).toBeUndefined();
    expect(m.findSubscriptionGroupConfig('CID_RMQ_SYS_TRANS')?.groupName).toBe('CID_RMQ_SYS_TRANS');
  });

  it('never auto-creates a group with an illegal name', () => {
    const m = manager();
    expect(m.findSubscriptionGroupConfig('bad group')).toBeUndefined();
    expect(m.findSubscriptionGroupConfig('g'.repeat(256))).toBeUndefined();
  });

  it('updates, disables and deletes groups', () => {
    const m = manager();
    m.updateSubscriptionGroupConfig(newSubscriptionGroupConfig('cg', { retryMaxTimes: 3, retryQueueNums: 2 }));
    expect(m.selectSubscriptionGroupConfig('cg')).toMatchObject({ retryMaxTimes: 3, retryQueueNums: 2 });
    m.disableConsume('cg');
    expect(m.selectSubscriptionGroupConfig('cg')?.consumeEnable).toBe(false);
    expect(m.deleteSubscriptionGroupConfig('cg')?.groupName).toBe('cg');
    expect(m.containsSubscriptionGroup('cg')).toBe(false);
    expect(m.deleteSubscriptionGroupConfig('cg')).toBeUndefined();
    expect(m.dataVersion.counter).toBe(3);
  });

  it.each([
    [{ groupName: '' }, 'the specified group is blank'],
    [{ groupName: 'a b' }, 'the specified group[a b] contains illegal characters'],
    [{ retryQueueNums: -1 }, 'retryQueueNums -1 is invalid'],
    [{ retryMaxTimes: -2 }, 'retryMaxTimes -2 is invalid'],
    [{ brokerId: 1.5 }, 'brokerId 1.5 is invalid'],
  ])('refuses an invalid config %j with SYSTEM_ERROR', (fields, message) => {
    const m = manager();
    expect(() => m.updateSubscriptionGroupConfig({ ...newSubscriptionGroupConfig('cg'), ...fields })).toThrow(message);
  });

  it("loads the fixture's subscriptionGroup.json and writes it back byte for byte", async () => {
    const configDir = copyFixtureConfig(dir);
    const m = manager(true, configDir);
    expect(m.load()).toBe('file');
    expect(m.size).toBe(9);
    expect(m.dataVersion.toJSON()).toEqual({ counter: 2, timestamp: 1795386402920 });
    expect(m.selectSubscriptionGroupConfig('FxSqlGroup')).toEqual(newSubscriptionGroupConfig('FxSqlGroup'));
    const original = readFileSync(join(FIXTURE_CONFIG_DIR, 'subscriptionGroup.json'), 'utf8');
    await m.persist();
    expect(readFileSync(join(configDir, 'subscriptionGroup.json'), 'utf8')).toBe(original);
  });

  it('falls back to the .bak when the file is garbage', () => {
    const configDir = copyFixtureConfig(dir);
    writeFileSync(join(configDir, 'subscriptionGroup.json'), '{"dataVersion":');
    const m = manager(true, configDir);
    expect(m.load()).toBe('bak');
    expect(m.dataVersion.counter).toBe(1);
    expect(m.containsSubscriptionGroup('FxGroup')).toBe(true);
    expect(m.containsSubscriptionGroup('FxSqlGroup')).toBe(false);
  });

  it('reads a 5.x file, ignoring properties 4.9 does not know', () => {
    const configDir = join(dir, 'config');
    mkdirSync(configDir);
    writeFileSync(
      join(configDir, 'subscriptionGroup.json'),
      '{"dataVersion":{"counter":1,"stateVersion":0,"timestamp":5},"forbiddenTable":{},"subscriptionGroupTable":{"g5":{"attributes":{},"brokerId":0,"consumeBroadcastEnable":true,"consumeEnable":true,"consumeFromMinEnable":true,"consumeMessageOrderly":false,"consumeTimeoutMinute":15,"groupName":"g5","groupRetryPolicy":{"type":"CUSTOMIZED"},"groupSysFlag":0,"notifyConsumerIdsChangedEnable":true,"retryMaxTimes":4,"retryQueueNums":1,"whichBrokerWhenConsumeSlowly":1}}}',
    );
    const m = manager(true, configDir);
    expect(m.load()).toBe('file');
    expect(m.selectSubscriptionGroupConfig('g5')?.retryMaxTimes).toBe(4);
    expect(m.size).toBe(8);
  });
});
