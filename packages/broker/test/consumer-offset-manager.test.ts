import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConsumerOffsetManager, DelayOffsetTable } from '@rockit/broker';
import { copyFixtureConfig, FIXTURE_CONFIG_DIR, silentLogger, tempDir } from './helpers.js';

describe('ConsumerOffsetManager', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const manager = (configDir = join(dir, 'config'), flushInterval = 5000) =>
    new ConsumerOffsetManager({ configDir, flushInterval, logger: silentLogger });

  it('commits and queries offsets per topic@group and queue', () => {
    const m = manager();
    expect(m.queryOffset('cg', 'T', 0)).toBe(-1);
    m.commitOffset('10.0.0.1:1', 'cg', 'T', 0, 12);
    m.commitOffset('10.0.0.1:1', 'cg', 'T', 1, 34);
    m.commitOffset('10.0.0.1:1', 'cg', 'T', 0, 13);
    expect(m.queryOffset('cg', 'T', 0)).toBe(13);
    expect(m.queryOffsets('cg', 'T')).toEqual(new Map([[0, 13], [1, 34]]));
    expect(m.queryOffsets('other', 'T').size).toBe(0);
  });

  it('tells which topics a group consumes and which groups consume a topic', () => {
    const m = manager();
    m.commitOffset('c', 'g1', 'A', 0, 1);
    m.commitOffset('c', 'g1', 'B', 0, 1);
    m.commitOffset('c', 'g2', 'A', 0, 1);
    expect(m.whichTopicByConsumer('g1')).toEqual(new Set(['A', 'B']));
    expect(m.whichGroupByTopic('A')).toEqual(new Set(['g1', 'g2']));
  });

  it('finds the minimum offset over all groups, minus filtered groups and offsets below the queue min', () => {
    const m = manager();
    m.commitOffset('c', 'g1', 'A', 0, 10);
    m.commitOffset('c', 'g1', 'A', 1, 5);
    m.commitOffset('c', 'g2', 'A', 0, 7);
    m.commitOffset('c', 'g3', 'A', 0, 1);
    m.commitOffset('c', 'g2', 'B', 0, 0);
    expect(m.queryMinOffsetInAllGroup('A')).toEqual(new Map([[0, 1], [1, 5]]));
    expect(m.queryMinOffsetInAllGroup('A', 'g3')).toEqual(new Map([[0, 7], [1, 5]]));
    expect(m.queryMinOffsetInAllGroup('A', '', () => 6)).toEqual(new Map([[0, 7]]));
    // filtering must not delete anything
    expect(m.queryOffset('g3', 'A', 0)).toBe(1);
  });

  it('clones offsets from one group to another and removes by group or topic', () => {
    const m = manager();
    m.commitOffset('c', 'src', 'A', 0, 3);
    m.commitOffset('c', 'src', 'B', 0, 4);
    m.cloneOffset('src', 'dst', 'A');
    expect(m.queryOffset('dst', 'A', 0)).toBe(3);
    m.commitOffset('c', 'src', 'A', 0, 9);
    expect(m.queryOffset('dst', 'A', 0)).toBe(3);
    m.cloneOffset('nobody', 'dst2', 'A');
    expect(m.queryOffsets('dst2', 'A').size).toBe(0);
    expect(m.removeOffset('src').sort()).toEqual(['A', 'B']);
    expect(m.queryOffset('src', 'A', 0)).toBe(-1);
    expect(m.cleanOffsetByTopic('A')).toEqual(['dst']);
    expect(m.offsetTable.size).toBe(0);
  });

  it('drops offsets of unsubscribed groups only when they protect nothing in the store any more', () => {
    const m = manager();
    m.commitOffset('c', 'gone', 'A', 0, 5);
    m.commitOffset('c', 'gone', 'A', 1, 3);
    m.commitOffset('c', 'goneButAhead', 'A', 0, 9);
    m.commitOffset('c', 'online', 'A', 0, 1);
    const minOffset = (_topic: string, queueId: number) => (queueId === 0 ? 5 : 4);
    const removed = m.scanUnsubscribedTopic((group) => group === 'online', minOffset);
    expect(removed).toEqual(['A@gone']);
    expect([...m.whichGroupByTopic('A')].sort()).toEqual(['goneButAhead', 'online']);
  });

  it("loads the fixture's consumerOffset.json (unquoted int keys) and writes it back byte for byte", async () => {
    const configDir = copyFixtureConfig(dir);
    const m = manager(configDir);
    expect(m.load()).toBe('file');
    expect(m.queryOffsets('FxGroup', 'FxBasic')).toEqual(new Map([[0, 10], [1, 10], [2, 10], [3, 10]]));
    expect(m.queryOffset('FxGroup', '%RETRY%FxGroup', 0)).toBe(1);
    expect(m.queryOffset('CID_RMQ_SYS_TRANS', 'RMQ_SYS_TRANS_OP_HALF_TOPIC', 0)).toBe(2);
    expect(m.offsetTable.size).toBe(6);
    await m.persist();
    expect(readFileSync(join(configDir, 'consumerOffset.json'), 'utf8')).toBe(readFileSync(join(FIXTURE_CONFIG_DIR, 'consumerOffset.json'), 'utf8'));
  });

  it('writes the exact fastjson layout for int-keyed queue maps', () => {
    const m = manager();
    m.commitOffset('c', 'cg', 'TopicTest', 1, 34);
    m.commitOffset('c', 'cg', 'TopicTest', 0, 12);
    expect(m.encode(true)).toBe('{\n\t"offsetTable":{\n\t\t"TopicTest@cg":{0:12,1:34\n\t\t}\n\t}\n}');
    expect(m.encode()).toBe('{"offsetTable":{"TopicTest@cg":{0:12,1:34}}}');
  });

  it('persists periodically after start() when offsets changed, and at shutdown', async () => {
    const m = manager(join(dir, 'config'), 20);
    m.start();
    m.commitOffset('c', 'cg', 'T', 0, 5);
    await vi.waitFor(() => expect(readFileSync(m.path, 'utf8')).toContain('"T@cg":{0:5'), { timeout: 5000, interval: 10 });
    m.commitOffset('c', 'cg', 'T', 0, 6);
    await m.shutdown();
    expect(readFileSync(m.path, 'utf8')).toContain('"T@cg":{0:6');
    const reloaded = manager();
    reloaded.load();
    expect(reloaded.queryOffset('cg', 'T', 0)).toBe(6);
  });
});

describe('DelayOffsetTable', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it("reads the fixture's delayOffset.json and writes it back byte for byte", async () => {
    const configDir = copyFixtureConfig(dir);
    const t = new DelayOffsetTable({ configDir, logger: silentLogger });
    expect(t.load()).toBe('file');
    expect(t.offsetTable).toEqual(new Map([[1, 1], [2, 1], [3, 1]]));
    expect(t.get(4)).toBe(0);
    await t.persist();
    expect(readFileSync(join(configDir, 'delayOffset.json'), 'utf8')).toBe(readFileSync(join(FIXTURE_CONFIG_DIR, 'delayOffset.json'), 'utf8'));
  });

  it('writes levels in ascending order whatever the insertion order', () => {
    const t = new DelayOffsetTable({ configDir: dir, logger: silentLogger });
    t.set(18, 7);
    t.set(2, 5);
    t.set(1, 0);
    expect(t.encode(true)).toBe('{\n\t"offsetTable":{1:0,2:5,18:7\n\t}\n}');
  });
});
