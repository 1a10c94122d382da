import { copyFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BrokerConfig, BrokerConfigError, parseProperties, formatProperties, PropertiesSyntaxError } from '@rockit/broker';
import { FIXTURE_BROKER_CONF, tempDir } from './helpers.js';

function configError(fn: () => unknown): BrokerConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BrokerConfigError) return e;
    throw e;
  }
  throw new Error('expected a BrokerConfigError');
}

describe('parseProperties (java.util.Properties syntax)', () => {
  it('reads key=value, key: value and key value; skips # and ! comments and blank lines', () => {
    const p = parseProperties('# comment\n  ! also a comment\n\na=1\nb : 2\nc   3\n\td=\n');
    expect([...p]).toEqual([['a', '1'], ['b', '2'], ['c', '3'], ['d', '']]);
  });

  it('keeps trailing whitespace of values, drops leading whitespace, keeps separators after the first', () => {
    const p = parseProperties('k =  v = w: x  \n');
    expect(p.get('k')).toBe('v = w: x  ');
  });

  it('joins continuation lines, dropping the continuation indent', () => {
    const p = parseProperties('namesrvAddr=127.0.0.1:9876;\\\n    127.0.0.1:9877\nnext=1');
    expect(p.get('namesrvAddr')).toBe('127.0.0.1:9876;127.0.0.1:9877');
    expect(p.get('next')).toBe('1');
  });

  it('treats an even number of trailing backslashes as an escaped backslash, not a continuation', () => {
    expect([...parseProperties('a=x\\\\\nb=y')]).toEqual([['a', 'x\\'], ['b', 'y']]);
  });

  it('decodes escapes in keys and values, and \\r\\n or \\r line ends', () => {
    const p = parseProperties('my\\ key\\=x=\\u0041\\tB\\n\\q\r\nz=1\rw=2');
    expect(p.get('my key=x')).toBe('A\tB\nq');
    expect(p.get('z')).toBe('1');
    expect(p.get('w')).toBe('2');
  });

  it('lets a later duplicate win', () => {
    expect(parseProperties('a=1\na=2').get('a')).toBe('2');
  });

  it('rejects a malformed \\u escape with its line number', () => {
    expect(() => parseProperties('ok=1\nbad=\\u12G4')).toThrow(PropertiesSyntaxError);
    expect(() => parseProperties('ok=1\nbad=\\u12G4')).toThrow('line 2: malformed \\uxxxx encoding');
  });

  it('formats text that parses back to the same entries', () => {
    const entries: Array<[string, string]> = [['a', 'x y'], ['path', 'C:\\store'], ['multi', 'l1\nl2'], ['odd key', 'v=w']];
    expect([...parseProperties(formatProperties(entries))]).toEqual(entries);
  });
});

describe('BrokerConfig', () => {
  it('has RocketMQ 4.9.8 defaults', () => {
    const c = new BrokerConfig();
    expect(c).toMatchObject({
      brokerClusterName: 'DefaultCluster',
      brokerId: 0,
      listenPort: 10911,
      haListenPort: 10912,
      storePathRootDir: join(homedir(), 'store'),
      flushDiskType: 'ASYNC_FLUSH',
      brokerRole: 'ASYNC_MASTER',
      autoCreateTopicEnable: true,
      autoCreateSubscriptionGroup: true,
      defaultTopicQueueNums: 8,
      maxMessageSize: 4194304,
      brokerPermission: 6,
      waitTimeMillsInSendQueue: 200,
      longPollingEnable: true,
      shortPollingTimeMills: 1000,
      messageDelayLevel: '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h',
      fileReservedTime: 72,
      deleteWhen: '04',
      flushConsumerOffsetInterval: 5000,
      mappedFileSizeCommitLog: 1073741824,
      mappedFileSizeConsumeQueue: 6000000,
      traceOn: true,
      regionId: 'DefaultRegion',
    });
    expect(c.brokerIP1).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(c.haServerIP).toBe(c.brokerIP1);
    expect(c.commitLogPath).toBe(join(homedir(), 'store', 'commitlog'));
    expect(c.sendMessageThreadPoolNums).toBeGreaterThanOrEqual(1);
    expect(c.sendMessageThreadPoolNums).toBeLessThanOrEqual(4);
  });

  it("loads the fixture's broker.conf", () => {
    const c = BrokerConfig.load({ file: FIXTURE_BROKER_CONF });
    expect(c).toMatchObject({
      brokerClusterName: 'FixtureCluster',
      brokerName: 'broker-fx',
      brokerId: 0,
      brokerRole: 'ASYNC_MASTER',
      flushDiskType: 'SYNC_FLUSH',
      namesrvAddr: '127.0.0.1:9886',
      brokerIP1: '127.0.0.1',
      brokerIP2: '127.0.0.1',
      listenPort: 10931,
      haListenPort: 10932,
      storePathRootDir: './store',
      mappedFileSizeCommitLog: 1048576,
      mappedFileSizeConsumeQueue: 6000,
      maxHashSlotNum: 1000,
      maxIndexNum: 500,
      enablePropertyFilter: true,
      deleteWhen: '04',
      fileReservedTime: 48,
      brokerConfigPath: FIXTURE_BROKER_CONF,
    });
    expect(c.unknownKeys).toEqual([]);
    expect(c.commitLogPath).toBe(join('./store', 'commitlog'));
    expect(c.configDir).toBe(join('./store', 'config'));
    expect(c.brokerAddr).toBe('127.0.0.1:10931');
    expect(c.namesrvAddrList).toEqual(['127.0.0.1:9886']);
  });

  it('applies flag overrides after the file', () => {
    const c = BrokerConfig.load({ file: FIXTURE_BROKER_CONF, overrides: { namesrvAddr: '127.0.0.1:1;127.0.0.1:2', listenPort: 0, autoCreateTopicEnable: 'false', brokerName: undefined } });
    expect(c.namesrvAddrList).toEqual(['127.0.0.1:1', '127.0.0.1:2']);
    expect(c.listenPort).toBe(0);
    expect(c.autoCreateTopicEnable).toBe(false);
    expect(c.brokerName).toBe('broker-fx');
  });

  it('collects unknown keys instead of failing (RocketMQ ignores them)', () => {
    const c = BrokerConfig.load({ text: 'brokerName=b\nmapedFileSizeCommitLog=1024\nnoSuchKey=1' });
    expect(c.unknownKeys).toEqual(['mapedFileSizeCommitLog', 'noSuchKey']);
    expect(c.mappedFileSizeCommitLog).toBe(1073741824);
  });

  it('accepts surrounding whitespace in numbers and booleans, and any case of true/false', () => {
    const c = BrokerConfig.load({ text: 'brokerId=0 \nautoCreateTopicEnable = FALSE \nlistenPort=\t10000' });
    expect(c.autoCreateTopicEnable).toBe(false);
    expect(c.listenPort).toBe(10000);
  });

  it.each([
    ['listenPort=abc', 'listenPort', 'invalid value for listenPort: "abc" is not an integer'],
    ['listenPort=12.5', 'listenPort', 'is not an integer'],
    ['listenPort=99999999999', 'listenPort', 'is not a 32-bit integer'],
    ['listenPort=70000', 'listenPort', '70000 is not a port'],
    ['autoCreateTopicEnable=yes', 'autoCreateTopicEnable', 'invalid value for autoCreateTopicEnable: "yes" is not true or false'],
    ['flushDiskType=FAST_FLUSH', 'flushDiskType', 'is not one of ASYNC_FLUSH, SYNC_FLUSH'],
    ['brokerRole=slave', 'brokerRole', 'is not one of ASYNC_MASTER, SYNC_MASTER, SLAVE'],
    ['brokerRole=SLAVE', 'brokerId', "a SLAVE's brokerId must be > 0"],
    ['namesrvAddr=localhost', 'namesrvAddr', "'localhost' is not host:port"],
    ['brokerPermission=9', 'brokerPermission', 'invalid value for brokerPermission: 9'],
    ['defaultTopicQueueNums=0', 'defaultTopicQueueNums', 'must be > 0'],
    ['brokerName=   ', 'brokerName', 'must not be blank'],
  ])('rejects %j with an error naming %s', (text, key, message) => {
    const e = configError(() => BrokerConfig.load({ text }));
    expect(e.key).toBe(key);
    expect(e.message).toContain(message);
  });

  it('rejects an unknown override key', () => {
    expect(configError(() => BrokerConfig.load({ overrides: { nope: 1 } as never })).key).toBe('nope');
  });

  it('forces brokerId 0 on masters and keeps it on slaves; puts HA on listenPort + 1', () => {
    expect(BrokerConfig.load({ text: 'brokerId=3' }).brokerId).toBe(0);
    const slave = BrokerConfig.load({ text: 'brokerRole=SLAVE\nbrokerId=2\nlistenPort=20911\nhaListenPort=1' });
    expect(slave.brokerId).toBe(2);
    expect(slave.haListenPort).toBe(20912);
    expect(slave.isMaster()).toBe(false);
  });

  it('rounds mappedFileSizeConsumeQueue up to whole 20-byte units', () => {
    expect(BrokerConfig.load({ text: 'mappedFileSizeConsumeQueue=6001' }).mappedFileSizeConsumeQueue).toBe(6020);
  });

  it('prints every set key as properties (GET_BROKER_CONFIG) that load back to the same config', () => {
    const c = BrokerConfig.load({ file: FIXTURE_BROKER_CONF });
    const text = c.toProperties();
    expect(text).toContain('brokerClusterName=FixtureCluster\n');
    expect(text).toContain('listenPort=10931\n');
    expect(text).toContain('autoCreateTopicEnable=true\n');
    expect(text).not.toContain('haMasterAddress');
    const again = BrokerConfig.load({ text });
    for (const [key, value] of parseProperties(text)) expect(String(again.get(key as never))).toBe(value);
  });

  it("hands the store its keys and storeHost (brokerIP1:listenPort)", () => {
    const store = BrokerConfig.load({ file: FIXTURE_BROKER_CONF }).toMessageStoreConfig();
    expect(store).toMatchObject({
      storePathRootDir: './store',
      mappedFileSizeCommitLog: 1048576,
      mappedFileSizeConsumeQueue: 6000,
      flushDiskType: 'SYNC_FLUSH',
      maxHashSlotNum: 1000,
      maxIndexNum: 500,
      fileReservedTime: 48,
      storeHost: { address: '127.0.0.1', port: 10931 },
    });
    expect(store).not.toHaveProperty('brokerName');
    expect(store).not.toHaveProperty('storePathCommitLog');
  });

  it('persists an updated config over the file it was loaded from, keeping the original as .bak', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'broker.conf');
      copyFileSync(FIXTURE_BROKER_CONF, file);
      const c = BrokerConfig.load({ file });
      expect(c.persistPath).toBe(file);
      c.update('brokerPermission=4');
      await c.persist();
      expect(BrokerConfig.load({ file }).brokerPermission).toBe(4);
      expect(readFileSync(`${file}.bak`, 'utf8')).toBe(readFileSync(FIXTURE_BROKER_CONF, 'utf8'));
      expect(new BrokerConfig({ storePathRootDir: dir }).persistPath).toBe(join(dir, 'config', 'broker.properties'));
    } finally {
      cleanup();
    }
  });

  describe('update (UPDATE_BROKER_CONFIG)', () => {
    it('applies known keys, reports what changed and bumps the data version', () => {
      const c = new BrokerConfig({ brokerName: 'b' });
      const v = c.dataVersion.counter;
      const result = c.update('brokerPermission=4\nfileReservedTime=72\ndeleteWhen=01;05\n');
      expect(result.changed).toEqual(['brokerPermission', 'deleteWhen']);
      expect(c.brokerPermission).toBe(4);
      expect(c.deleteWhen).toBe('01;05');
      expect(c.dataVersion.counter).toBe(v + 1);
      expect(c.update('fileReservedTime=72').changed).toEqual([]);
      expect(c.dataVersion.counter).toBe(v + 1);
    });

    it('refuses black-listed keys with NO_PERMISSION', () => {
      const c = new BrokerConfig();
      const e = configError(() => c.update('brokerConfigPath=/etc/passwd'));
      expect(e).toMatchObject({ key: 'brokerConfigPath', code: 16 });
      expect(configError(() => c.update('configBlackList=')).code).toBe(16);
    });

    it('changes nothing when one value is bad', () => {
      const c = new BrokerConfig();
      const e = configError(() => c.update('brokerPermission=2\nmaxMessageSize=huge'));
      expect(e).toMatchObject({ key: 'maxMessageSize', code: 1 });
      expect(c.brokerPermission).toBe(6);
      expect(configError(() => c.update('typoKey=1')).key).toBe('typoKey');
    });
  });
});
