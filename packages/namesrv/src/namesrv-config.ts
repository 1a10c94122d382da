/**
 * Name server settings under RocketMQ's key names (`NamesrvConfig` + the `NettyServerConfig` keys
 * a name server uses), read from a properties file the way `MixAll.properties2Object` does: known
 * keys are converted by the type of their default, unknown keys and bad numbers are ignored.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseProperties } from './properties.js';

export interface NamesrvConfig {
  rocketmqHome: string;
  /** KV config table file (`~/namesrv/kvConfig.json`). */
  kvConfigPath: string;
  /** Where UPDATE_NAMESRV_CONFIG persists the config (`~/namesrv/namesrv.properties`). */
  configStorePath: string;
  productEnvName: string;
  clusterTest: boolean;
  /** Fill `orderTopicConf` of routes from KV namespace ORDER_TOPIC_CONFIG. */
  orderMessageEnable: boolean;
  /** Answer REGISTER_BROKER with the ORDER_TOPIC_CONFIG KV table (5.x key; 4.9.x always does). */
  returnOrderTopicConfigToBroker: boolean;
  /** Extra keys UPDATE_NAMESRV_CONFIG may not change, `;`-separated. */
  configBlackList: string;
  /** 9876 (port 0 picks a free port). */
  listenPort: number;
  bindAddress: string;
  /** How often silent brokers are looked for (4.9.x: every 10 s). */
  scanNotActiveBrokerInterval: number;
  /** Silence after which a broker is dropped (RocketMQ BROKER_CHANNEL_EXPIRED_TIME, 120 s). */
  brokerChannelExpiredTime: number;
}

export function defaultNamesrvConfig(env: NodeJS.ProcessEnv = process.env): NamesrvConfig {
  const home = homedir();
  return {
    rocketmqHome: env.ROCKETMQ_HOME ?? '',
    kvConfigPath: join(home, 'namesrv', 'kvConfig.json'),
    configStorePath: join(home, 'namesrv', 'namesrv.properties'),
    productEnvName: 'center',
    clusterTest: false,
    orderMessageEnable: false,
    returnOrderTopicConfigToBroker: true,
    configBlackList: 'configBlackList;configStorePath;kvConfigPath',
    listenPort: 9876,
    bindAddress: '0.0.0.0',
    scanNotActiveBrokerInterval: 10_000,
    brokerChannelExpiredTime: 120_000,
  };
}

/** Keys UPDATE_NAMESRV_CONFIG always refuses, whatever configBlackList says. */
export const FIXED_CONFIG_BLACKLIST = ['configBlackList', 'configStorePath', 'kvConfigPath', 'rocketmqHome'];

export function configBlackList(config: NamesrvConfig): Set<string> {
  const keys = config.configBlackList.split(';').map((k) => k.trim()).filter((k) => k.length > 0);
  return new Set([...FIXED_CONFIG_BLACKLIST, ...keys]);
}

/** Java's Long.parseLong: optional sign, decimal digits, nothing else (no trimming). */
const JAVA_LONG = /^[+-]?\d+$/;

/**
 * Applies properties onto a config in place; returns the keys that were applied. Like RocketMQ,
 * a value that does not convert (e.g. `listenPort=98 76`) is skipped rather than fatal.
 */
export function applyProperties(config: NamesrvConfig, props: Map<string, string>): string[] {
  const applied: string[] = [];
  const target = config as unknown as Record<string, unknown>;
  for (const [key, raw] of props) {
    if (!Object.hasOwn(target, key)) continue;
    const current = target[key];
    if (typeof current === 'number') {
      if (!JAVA_LONG.test(raw)) continue;
      target[key] = Number(raw);
    } else if (typeof current === 'boolean') {
      target[key] = raw.toLowerCase() === 'true';
    } else {
      target[key] = raw;
    }
    applied.push(key);
  }
  return applied;
}

/** Defaults, then the properties file (ISO-8859-1, as Java reads it), then explicit overrides. */
export function loadNamesrvConfig(file?: string, overrides: Partial<NamesrvConfig> = {}): NamesrvConfig {
  const config = defaultNamesrvConfig();
  if (file) applyProperties(config, parseProperties(readFileSync(file, 'latin1')));
  return { ...config, ...overrides };
}

/** The config as properties (GET_NAMESRV_CONFIG, namesrv.properties). */
export function namesrvConfigEntries(config: NamesrvConfig): Array<[string, string]> {
  return Object.entries(config).map(([k, v]) => [k, String(v)]);
}
