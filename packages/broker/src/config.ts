/**
 * Broker configuration: RocketMQ's `BrokerConfig`, `NettyServerConfig` and `MessageStoreConfig` keys with
 * their 4.9.8 defaults (protocol §16), read from a RocketMQ-style `broker.conf`, overridable by flags,
 * printable for GET_BROKER_CONFIG and updatable by UPDATE_BROKER_CONFIG.
 *
 * Unlike RocketMQ (which silently ignores a value it cannot convert), a bad value is an error naming the key.
 * Unknown keys are kept in `unknownKeys` (RocketMQ ignores them) so callers can warn about typos.
 */
import { readFileSync } from 'node:fs';
import { cpus, homedir, hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { DataVersion } from './data-version.js';
import { ResponseCode } from '@rockit/remoting';
import type { MessageStoreConfig } from '@rockit/store';
import { ConfigFile } from './config-file.js';
import { BrokerConfigError } from './errors.js';
import { formatProperties, parseProperties } from './config/properties.js';

type KeyType = 'int' | 'long' | 'boolean' | 'string' | 'enum';
type Default<T> = T | (() => T);

interface KeySpec<T> {
  readonly type: KeyType;
  readonly default: Default<T>;
  readonly values?: readonly string[];
}

const int = (d: Default<number>): KeySpec<number> => ({ type: 'int', default: d });
const long = (d: Default<number>): KeySpec<number> => ({ type: 'long', default: d });
const bool = (d: boolean): KeySpec<boolean> => ({ type: 'boolean', default: d });
const str = (d: Default<string>): KeySpec<string> => ({ type: 'string', default: d });
/** A string key without a default (RocketMQ's `null`). */
const optStr = (d: Default<string | undefined> = undefined): KeySpec<string | undefined> => ({ type: 'string', default: d });
const oneOf = <V extends string>(d: V, values: readonly V[]): KeySpec<V> => ({ type: 'enum', default: d, values });

const cpuCount = (): number => Math.max(1, cpus().length);

/**
 * `RemotingUtil.getLocalAddress()` simplified: the first non-internal IPv4 address, else 127.0.0.1.
 */
export function localAddress(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export const BrokerRole = ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'] as const;
export const FlushDiskType = ['ASYNC_FLUSH', 'SYNC_FLUSH'] as const;
export type BrokerRoleName = (typeof BrokerRole)[number];
export type FlushDiskTypeName = (typeof FlushDiskType)[number];

/** Every key rockit knows, in the order GET_BROKER_CONFIG prints them. */
export const BROKER_CONFIG_KEYS = {
  // --- BrokerConfig: identity and addresses
  rocketmqHome: optStr(() => process.env.ROCKETMQ_HOME),
  namesrvAddr: optStr(() => process.env.NAMESRV_ADDR),
  brokerIP1: str(localAddress),
  /** HA address advertised to slaves; unset means brokerIP1. */
  brokerIP2: optStr(),
  brokerName: str(() => hostname()),
  brokerClusterName: str('DefaultCluster'),
  brokerId: long(0),
  brokerPermission: int(6),
  regionId: str('DefaultRegion'),
  brokerConfigPath: optStr(),
  configBlackList: str('configBlackList;brokerConfigPath'),
  // --- topics and groups
  defaultTopicQueueNums: int(8),
  autoCreateTopicEnable: bool(true),
  clusterTopicEnable: bool(true),
  brokerTopicEnable: bool(true),
  autoCreateSubscriptionGroup: bool(true),
  msgTraceTopicName: str('RMQ_SYS_TRACE_TOPIC'),
  traceTopicEnable: bool(false),
  traceOn: bool(true),
  storeReplyMessageEnable: bool(true),
  // --- request handling
  sendMessageThreadPoolNums: int(() => Math.min(cpuCount(), 4)),
  putMessageFutureThreadPoolNums: int(() => Math.min(cpuCount(), 4)),
  pullMessageThreadPoolNums: int(() => 16 + cpuCount() * 2),
  processReplyMessageThreadPoolNums: int(() => 16 + cpuCount() * 2),
  queryMessageThreadPoolNums: int(() => 8 + cpuCount()),
  adminBrokerThreadPoolNums: int(16),
  clientManageThreadPoolNums: int(32),
  consumerManageThreadPoolNums: int(32),
  heartbeatThreadPoolNums: int(() => Math.min(32, cpuCount())),
  endTransactionThreadPoolNums: int(() => 8 + cpuCount() * 2),
  sendThreadPoolQueueCapacity: int(10000),
  pullThreadPoolQueueCapacity: int(100000),
  replyThreadPoolQueueCapacity: int(10000),
  queryThreadPoolQueueCapacity: int(20000),
  clientManagerThreadPoolQueueCapacity: int(1000000),
  consumerManagerThreadPoolQueueCapacity: int(1000000),
  heartbeatThreadPoolQueueCapacity: int(50000),
  endTransactionPoolQueueCapacity: int(100000),
  brokerFastFailureEnable: bool(true),
  waitTimeMillsInSendQueue: long(200),
  waitTimeMillsInPullQueue: long(5000),
  waitTimeMillsInHeartbeatQueue: long(31000),
  waitTimeMillsInTransactionQueue: long(3000),
  startAcceptSendRequestTimeStamp: long(0),
  rejectTransactionMessage: bool(false),
  // --- consuming
  longPollingEnable: bool(true),
  shortPollingTimeMills: long(1000),
  notifyConsumerIdsChangedEnable: bool(true),
  transferMsgByHeap: bool(true),
  slaveReadEnable: bool(false),
  disableConsumeIfConsumerReadSlowly: bool(false),
  consumerFallbehindThreshold: long(16 * 1024 * 1024 * 1024),
  flushConsumerOffsetInterval: int(5000),
  flushConsumerOffsetHistoryInterval: int(60000),
  enablePropertyFilter: bool(false),
  filterSupportRetry: bool(false),
  enableCalcFilterBitMap: bool(false),
  expectConsumerNumUseFilter: int(32),
  maxErrorRateOfBloomFilter: int(20),
  filterDataCleanTimeSpan: long(24 * 3600 * 1000),
  filterServerNums: int(0),
  // --- name server registration
  fetchNamesrvAddrByAddressServer: bool(false),
  registerNameServerPeriod: int(30000),
  registerBrokerTimeoutMills: int(6000),
  forceRegister: bool(true),
  compressedRegister: bool(false),
  // --- transactions, ACL
  transactionTimeOut: long(6000),
  transactionCheckMax: int(15),
  transactionCheckInterval: long(60000),
  aclEnable: bool(false),
  autoDeleteUnusedStats: bool(false),
  // --- NettyServerConfig
  listenPort: int(10911),
  serverWorkerThreads: int(8),
  serverOnewaySemaphoreValue: int(256),
  serverAsyncSemaphoreValue: int(64),
  serverChannelMaxIdleTimeSeconds: int(120),
  serverSocketSndBufSize: int(0),
  serverSocketRcvBufSize: int(0),
  // --- MessageStoreConfig
  storePathRootDir: str(() => join(homedir(), 'store')),
  /** Unset means `<storePathRootDir>/commitlog`. */
  storePathCommitLog: optStr(),
  mappedFileSizeCommitLog: int(1024 * 1024 * 1024),
  mappedFileSizeConsumeQueue: int(300000 * 20),
  enableConsumeQueueExt: bool(false),
  mappedFileSizeConsumeQueueExt: int(48 * 1024 * 1024),
  bitMapLengthConsumeQueueExt: int(64),
  brokerRole: oneOf<BrokerRoleName>('ASYNC_MASTER', BrokerRole),
  flushDiskType: oneOf<FlushDiskTypeName>('ASYNC_FLUSH', FlushDiskType),
  syncFlushTimeout: long(5000),
  slaveTimeout: int(3000),
  flushIntervalCommitLog: int(500),
  commitIntervalCommitLog: int(200),
  flushCommitLogLeastPages: int(4),
  commitCommitLogLeastPages: int(4),
  flushCommitLogThoroughInterval: int(10000),
  commitCommitLogThoroughInterval: int(200),
  flushIntervalConsumeQueue: int(1000),
  flushConsumeQueueLeastPages: int(2),
  flushConsumeQueueThoroughInterval: int(60000),
  flushDelayOffsetInterval: long(10000),
  useReentrantLockWhenPutMessage: bool(true),
  osPageCacheBusyTimeOutMills: long(1000),
  maxMessageSize: int(1024 * 1024 * 4),
  checkCRCOnRecover: bool(true),
  messageDelayLevel: str('1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h'),
  deleteWhen: str('04'),
  fileReservedTime: int(72),
  diskMaxUsedSpaceRatio: int(75),
  cleanResourceInterval: int(10000),
  deleteCommitLogFilesInterval: int(100),
  deleteConsumeQueueFilesInterval: int(100),
  destroyMapedFileIntervalForcibly: int(1000 * 120),
  redeleteHangedFileInterval: int(1000 * 120),
  cleanFileForciblyEnable: bool(true),
  maxTransferBytesOnMessageInMemory: int(1024 * 256),
  maxTransferCountOnMessageInMemory: int(32),
  maxTransferBytesOnMessageInDisk: int(1024 * 64),
  maxTransferCountOnMessageInDisk: int(8),
  accessMessageInMemoryMaxRatio: int(40),
  messageIndexEnable: bool(true),
  messageIndexSafe: bool(false),
  maxHashSlotNum: int(5000000),
  maxIndexNum: int(5000000 * 4),
  maxMsgsNumBatch: int(64),
  defaultQueryMaxNum: int(32),
  putMsgIndexHightWater: int(600000),
  haListenPort: int(10912),
  haSendHeartbeatInterval: int(1000 * 5),
  haHousekeepingInterval: int(1000 * 20),
  haTransferBatchSize: int(1024 * 32),
  haMasterAddress: optStr(),
  haSlaveFallbehindMax: int(1024 * 1024 * 256),
  transientStorePoolEnable: bool(false),
  transientStorePoolSize: int(5),
  fastFailIfNoBufferInStorePool: bool(false),
  enableDLegerCommitLog: bool(false),
  enableLmq: bool(false),
  enableMultiDispatch: bool(false),
  maxLmqConsumeQueueNum: int(20000),
} as const satisfies Record<string, KeySpec<unknown>>;

type Specs = typeof BROKER_CONFIG_KEYS;
type ValueOf<S> = S extends KeySpec<infer T> ? T : never;
export type BrokerConfigKey = keyof Specs;
/** The typed configuration values, one property per RocketMQ key. */
export type BrokerConfigValues = { -readonly [K in BrokerConfigKey]: ValueOf<Specs[K]> };
/** Values accepted as flag overrides: typed values or strings in broker.conf syntax; undefined is skipped. */
export type BrokerConfigOverrides = Partial<Record<BrokerConfigKey, string | number | boolean | undefined>>;

const KEY_NAMES = Object.keys(BROKER_CONFIG_KEYS) as BrokerConfigKey[];

/** The keys BrokerConfig hands to the MessageStore unchanged (RocketMQ's MessageStoreConfig shares them). */
export const MESSAGE_STORE_CONFIG_KEYS = [
  'storePathRootDir',
  'storePathCommitLog',
  'mappedFileSizeCommitLog',
  'mappedFileSizeConsumeQueue',
  'flushDiskType',
  'flushIntervalCommitLog',
  'flushIntervalConsumeQueue',
  'syncFlushTimeout',
  'fileReservedTime',
  'deleteWhen',
  'diskMaxUsedSpaceRatio',
  'cleanResourceInterval',
  'deleteCommitLogFilesInterval',
  'deleteConsumeQueueFilesInterval',
  'destroyMapedFileIntervalForcibly',
  'maxMessageSize',
  'messageIndexEnable',
  'maxHashSlotNum',
  'maxIndexNum',
  'messageDelayLevel',
  'checkCRCOnRecover',
  'maxTransferCountOnMessageInMemory',
  'maxTransferBytesOnMessageInMemory',
  'maxTransferCountOnMessageInDisk',
  'maxTransferBytesOnMessageInDisk',
  'accessMessageInMemoryMaxRatio',
  'defaultQueryMaxNum',
] as const satisfies ReadonlyArray<BrokerConfigKey & keyof MessageStoreConfig>;

function isKnownKey(key: string): key is BrokerConfigKey {
  return Object.prototype.hasOwnProperty.call(BROKER_CONFIG_KEYS, key);
}

const JAVA_INT_MIN = -(2 ** 31);
const JAVA_INT_MAX = 2 ** 31 - 1;

/** Converts one raw value to the key's type; throws BrokerConfigError naming the key. */
export function coerceConfigValue(key: string, raw: string | number | boolean): unknown {
  if (!isKnownKey(key)) throw new BrokerConfigError(key, `unknown broker config key '${key}'`);
  const spec: KeySpec<unknown> = BROKER_CONFIG_KEYS[key];
  const fail = (expected: string): never => {
    throw new BrokerConfigError(key, `invalid value for ${key}: ${JSON.stringify(raw)} is not ${expected}`);
  };
  switch (spec.type) {
    case 'int':
    case 'long': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw.trim()) : NaN;
      if (!Number.isSafeInteger(n)) fail(spec.type === 'int' ? 'an integer' : 'an integer (long)');
      if (spec.type === 'int' && (n < JAVA_INT_MIN || n > JAVA_INT_MAX)) fail('a 32-bit integer');
      return n;
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).trim().toLowerCase();
      if (s === 'true') return true;
      if (s === 'false') return false;
      return fail('true or false');
    }
    case 'enum': {
      const s = String(raw).trim();
      if (!spec.values!.includes(s)) fail(`one of ${spec.values!.join(', ')}`);
      return s;
    }
    case 'string':
      return String(raw);
  }
}

function defaults(): BrokerConfigValues {
  const out: Record<string, unknown> = {};
  for (const key of KEY_NAMES) {
    const d: Default<unknown> = BROKER_CONFIG_KEYS[key].default;
    out[key] = typeof d === 'function' ? (d as () => unknown)() : d;
  }
  return out as BrokerConfigValues;
}

export interface LoadBrokerConfigOptions {
  /** Path of a broker.conf (Java properties) file. */
  file?: string;
  /** broker.conf text (instead of, or after, `file`). */
  text?: string;
  /** Flag values applied last (CLI `-n`, `--broker-port`, ...). */
  overrides?: BrokerConfigOverrides;
}

export interface BrokerConfigUpdate {
  /** Keys whose value changed. */
  changed: BrokerConfigKey[];
}

// Class + interface merge: a BrokerConfig has one typed property per key (config.listenPort, ...).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface BrokerConfig extends BrokerConfigValues {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class BrokerConfig {
  /** Keys found in the file but not known to rockit (RocketMQ ignores them too). */
  readonly unknownKeys: string[] = [];
  /** Bumped by every successful `update()` (GET_BROKER_CONFIG header `version`). */
  readonly dataVersion = new DataVersion();

  constructor(values: Partial<BrokerConfigValues> = {}) {
    Object.assign(this, defaults(), values);
    this.normalize();
  }

  /** Defaults, then `file`, then `text`, then `overrides`; validated as BrokerStartup does. */
  static load(options: LoadBrokerConfigOptions = {}): BrokerConfig {
    const config = new BrokerConfig();
    const entries: Array<[string, string | number | boolean]> = [];
    if (options.file !== undefined) {
      entries.push(...parseProperties(readFileSync(options.file, 'utf8')));
      config.brokerConfigPath = options.file;
    }
    if (options.text !== undefined) entries.push(...parseProperties(options.text));
    for (const [key] of entries) {
      if (isKnownKey(key)) continue;
      if (!config.unknownKeys.includes(key)) config.unknownKeys.push(key);
    }
    const known = entries.filter(([key]) => isKnownKey(key));
    for (const [key, value] of Object.entries(options.overrides ?? {})) {
      if (value === undefined) continue;
      if (!isKnownKey(key)) throw new BrokerConfigError(key, `unknown broker config key '${key}'`);
      known.push([key, value]);
    }
    config.apply(known);
    return config;
  }

  get<K extends BrokerConfigKey>(key: K): BrokerConfigValues[K] {
    return (this as BrokerConfigValues)[key];
  }

  /** brokerIP2, or brokerIP1 when unset. */
  get haServerIP(): string {
    return this.brokerIP2 ?? this.brokerIP1;
  }

  /** `storePathCommitLog`, or `<storePathRootDir>/commitlog` when unset. */
  get commitLogPath(): string {
    return this.storePathCommitLog ?? join(this.storePathRootDir, 'commitlog');
  }

  /** `<storePathRootDir>/config`: topics.json, subscriptionGroup.json, consumerOffset.json, delayOffset.json. */
  get configDir(): string {
    return join(this.storePathRootDir, 'config');
  }

  /** `ip:port` the broker registers and stamps into message ids. */
  get brokerAddr(): string {
    return `${this.brokerIP1}:${this.listenPort}`;
  }

  /** name servers from `namesrvAddr` (`;`-separated). */
  get namesrvAddrList(): string[] {
    return (this.namesrvAddr ?? '').split(';').map((s) => s.trim()).filter((s) => s.length > 0);
  }

  /** The store's share of the configuration, plus `storeHost` = brokerIP1:listenPort (for `resolveStoreConfig`). */
  toMessageStoreConfig(): Partial<MessageStoreConfig> & { storePathRootDir: string } {
    const out: Record<string, unknown> = {};
    for (const key of MESSAGE_STORE_CONFIG_KEYS) if (this[key] !== undefined) out[key] = this[key];
    out.storeHost = { address: this.brokerIP1, port: this.listenPort };
    return out as Partial<MessageStoreConfig> & { storePathRootDir: string };
  }

  /**
   * Where UPDATE_BROKER_CONFIG changes are saved, as RocketMQ does: the `-c` file when one was loaded,
   * else `<storePathRootDir>/config/broker.properties`.
   */
  get persistPath(): string {
    return this.brokerConfigPath ?? join(this.configDir, 'broker.properties');
  }

  /** Writes every key (toProperties) to `persistPath` with the .tmp/.bak scheme, as RocketMQ's Configuration.persist. */
  async persist(): Promise<void> {
    await new ConfigFile(this.persistPath).persist(this.toProperties());
  }

  isMaster(): boolean {
    return this.brokerRole !== 'SLAVE';
  }

  /** Every key with a value, as properties text (GET_BROKER_CONFIG body). */
  toProperties(): string {
    const entries: Array<[string, string]> = [];
    for (const key of KEY_NAMES) {
      const value = this.get(key);
      if (value !== undefined) entries.push([key, String(value)]);
    }
    return formatProperties(entries);
  }

  /**
   * UPDATE_BROKER_CONFIG: applies properties text atomically (nothing changes if any key is bad).
   * Keys in `configBlackList` are refused with NO_PERMISSION; unknown keys and bad values with SYSTEM_ERROR.
   */
  update(propertiesText: string): BrokerConfigUpdate {
    const props = parseProperties(propertiesText);
    const blackList = new Set(this.configBlackList.split(';').map((s) => s.trim()).filter(Boolean));
    for (const key of props.keys()) {
      if (blackList.has(key)) {
        throw new BrokerConfigError(key, `Can not update config in black list: ${key}`, ResponseCode.NO_PERMISSION);
      }
      if (!isKnownKey(key)) throw new BrokerConfigError(key, `unknown broker config key '${key}'`);
    }
    const before = { ...(this as BrokerConfigValues) };
    this.apply([...props]);
    const changed = KEY_NAMES.filter((k) => before[k] !== this.get(k));
    if (changed.length > 0) this.dataVersion.next();
    return { changed };
  }

  private apply(entries: Iterable<readonly [string, string | number | boolean]>): void {
    const next: Record<string, unknown> = { ...(this as BrokerConfigValues) };
    for (const [key, raw] of entries) next[key] = coerceConfigValue(key, raw);
    const candidate = next as BrokerConfigValues;
    validate(candidate);
    Object.assign(this, candidate);
    this.normalize();
  }

  /** What BrokerStartup forces after loading. */
  private normalize(): void {
    if (this.brokerRole !== 'SLAVE') this.brokerId = 0;
    // 4.9.x BrokerStartup always puts HA on listenPort + 1.
    this.haListenPort = this.listenPort + 1;
    // MessageStoreConfig rounds the consume-queue file size up to whole 20-byte units.
    this.mappedFileSizeConsumeQueue = Math.ceil(this.mappedFileSizeConsumeQueue / 20) * 20;
  }
}

const ADDR = /^[^\s:;]+:\d{1,5}$/;

function validate(c: BrokerConfigValues): void {
  if (c.brokerRole === 'SLAVE' && c.brokerId <= 0) {
    throw new BrokerConfigError('brokerId', `invalid value for brokerId: a SLAVE's brokerId must be > 0 (got ${c.brokerId})`);
  }
  for (const addr of (c.namesrvAddr ?? '').split(';').filter((s) => s.trim().length > 0)) {
    if (!ADDR.test(addr.trim())) {
      throw new BrokerConfigError('namesrvAddr', `invalid value for namesrvAddr: '${addr}' is not host:port (list separated by ';')`);
    }
  }
  if (c.listenPort < 0 || c.listenPort > 65534) throw new BrokerConfigError('listenPort', `invalid value for listenPort: ${c.listenPort} is not a port`);
  if ((c.brokerPermission & ~0x7) !== 0) {
    throw new BrokerConfigError('brokerPermission', `invalid value for brokerPermission: ${c.brokerPermission} (expected bits of R=4 W=2 X=1)`);
  }
  for (const key of ['brokerName', 'brokerClusterName'] as const) {
    if (c[key].trim().length === 0) throw new BrokerConfigError(key, `invalid value for ${key}: must not be blank`);
  }
  for (const key of ['defaultTopicQueueNums', 'maxMessageSize', 'mappedFileSizeCommitLog', 'mappedFileSizeConsumeQueue'] as const) {
    if (c[key] <= 0) throw new BrokerConfigError(key, `invalid value for ${key}: must be > 0 (got ${c[key]})`);
  }
}
