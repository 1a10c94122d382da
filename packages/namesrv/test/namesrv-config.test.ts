import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configBlackList, defaultNamesrvConfig, loadNamesrvConfig, parseProperties } from '@rockit/namesrv';

describe('NamesrvConfig', () => {
  it("has RocketMQ's defaults", () => {
    const config = defaultNamesrvConfig({});
    expect(config.listenPort).toBe(9876);
    expect(config.orderMessageEnable).toBe(false);
    expect(config.kvConfigPath.endsWith(join('namesrv', 'kvConfig.json'))).toBe(true);
    expect(config.scanNotActiveBrokerInterval).toBe(10_000);
    expect(config.brokerChannelExpiredTime).toBe(120_000);
  });

  it('loads a properties file like MixAll.properties2Object: typed, unknown keys and bad numbers ignored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rockit-nsconf-'));
    try {
      const file = join(dir, 'namesrv.conf');
      writeFileSync(
        file,
        ['# comment', 'listenPort = 19876', 'orderMessageEnable=TRUE', 'kvConfigPath=/data/kv.json', 'scanNotActiveBrokerInterval=5000 ', 'noSuchKey=1', ''].join('\n'),
      );
      const config = loadNamesrvConfig(file, { brokerChannelExpiredTime: 3000 });
      expect(config.listenPort).toBe(19876);
      expect(config.orderMessageEnable).toBe(true);
      expect(config.kvConfigPath).toBe('/data/kv.json');
      expect(config.scanNotActiveBrokerInterval).toBe(10_000); // trailing space: Long.parseLong fails, key skipped
      expect(config.brokerChannelExpiredTime).toBe(3000);
      expect('noSuchKey' in config).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('blacklists the file paths and anything listed in configBlackList', () => {
    const config = { ...defaultNamesrvConfig({}), configBlackList: 'configBlackList;listenPort' };
    expect([...configBlackList(config)].sort()).toEqual(['configBlackList', 'configStorePath', 'kvConfigPath', 'listenPort', 'rocketmqHome']);
  });
});

describe('parseProperties', () => {
  it('handles separators, escapes, continuations and comments as java.util.Properties does', () => {
    const props = parseProperties('a=1\nb : two words \n! bang\n  c three\nd=line\\\n   continued\ne=tab\\tx\\u0041\nf\n');
    expect(Object.fromEntries(props)).toEqual({ a: '1', b: 'two words ', c: 'three', d: 'linecontinued', e: 'tab\txA', f: '' });
  });
});
