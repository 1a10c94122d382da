import { DEFAULT_MESSAGE_DELAY_LEVEL } from '@rockit/common';
import type { StoreFs } from './store-fs.js';
import type { StoreLogger } from './log.js';

export type FlushDiskType = 'ASYNC_FLUSH' | 'SYNC_FLUSH';

/**
 * Store configuration. Keys keep RocketMQ's `MessageStoreConfig` names and 4.9.8 defaults so a
 * broker.conf applies unchanged; the rockit-only knobs at the end have no RocketMQ counterpart.
 */
export interface MessageStoreConfig {
  storePathRootDir: string;
  /** Defaults to `<storePathRootDir>/commitlog`. */
  storePathCommitLog?: string;
  mappedFileSizeCommitLog: number;
  mappedFileSizeConsumeQueue: number;
  flushDiskType: FlushDiskType;
  flushIntervalCommitLog: number;
  flushIntervalConsumeQueue: number;
  syncFlushTimeout: number;
  fileReservedTime: number;
  deleteWhen: string;
  diskMaxUsedSpaceRatio: number;
  /** Forced cleaning above this disk usage (RocketMQ `-Drocketmq.broker.diskSpaceCleanForciblyRatio`). */
  diskSpaceCleanForciblyRatio: number;
  /** Writes refused above this disk usage (RocketMQ `-Drocketmq.broker.diskSpaceWarningLevelRatio`). */
  diskSpaceWarningLevelRatio: number;
  cleanResourceInterval: number;
  deleteCommitLogFilesInterval: number;
  deleteConsumeQueueFilesInterval: number;
  destroyMapedFileIntervalForcibly: number;
  maxMessageSize: number;
  messageIndexEnable: boolean;
  maxHashSlotNum: number;
  maxIndexNum: number;
  messageDelayLevel: string;
  checkCRCOnRecover: boolean;
  maxTransferCountOnMessageInMemory: number;
  maxTransferBytesOnMessageInMemory: number;
  maxTransferCountOnMessageInDisk: number;
  maxTransferBytesOnMessageInDisk: number;
  accessMessageInMemoryMaxRatio: number;
  defaultQueryMaxNum: number;
  /** brokerIP1:listenPort — written as STOREHOST into every record and used in offset message ids. */
  storeHost: { address: string; port: number };

  // rockit-only knobs
  /** Size of the commit-log append (write-behind) buffer. */
  appendBufferSize: number;
  /** How often a read-only store retries its pending writes to see whether the disk is back (ms). */
  writeProbeInterval: number;
  /** File-system layer; tests inject faults through it, the memory store passes an in-memory one. */
  fs?: StoreFs;
  logger?: StoreLogger;
  /** Clock, injectable for retention tests. */
  now?: () => number;
}

export const defaultMessageStoreConfig: Omit<MessageStoreConfig, 'storePathRootDir'> = {
  mappedFileSizeCommitLog: 1024 * 1024 * 1024,
  mappedFileSizeConsumeQueue: 300_000 * 20,
  flushDiskType: 'ASYNC_FLUSH',
  flushIntervalCommitLog: 500,
  flushIntervalConsumeQueue: 1000,
  syncFlushTimeout: 5000,
  fileReservedTime: 72,
  deleteWhen: '04',
  diskMaxUsedSpaceRatio: 75,
  diskSpaceCleanForciblyRatio: 85,
  diskSpaceWarningLevelRatio: 90,
  cleanResourceInterval: 10_000,
  deleteCommitLogFilesInterval: 100,
  deleteConsumeQueueFilesInterval: 100,
  destroyMapedFileIntervalForcibly: 120_000,
  maxMessageSize: 4 * 1024 * 1024,
  messageIndexEnable: true,
  maxHashSlotNum: 5_000_000,
  maxIndexNum: 20_000_000,
  messageDelayLevel: DEFAULT_MESSAGE_DELAY_LEVEL,
  checkCRCOnRecover: true,
  maxTransferCountOnMessageInMemory: 32,
  maxTransferBytesOnMessageInMemory: 256 * 1024,
  maxTransferCountOnMessageInDisk: 8,
  maxTransferBytesOnMessageInDisk: 64 * 1024,
  accessMessageInMemoryMaxRatio: 40,
  defaultQueryMaxNum: 32,
  storeHost: { address: '127.0.0.1', port: 10911 },
  appendBufferSize: 4 * 1024 * 1024,
  writeProbeInterval: 1000,
};

export function resolveStoreConfig(partial: Partial<MessageStoreConfig> & { storePathRootDir: string }): MessageStoreConfig {
  const cfg: MessageStoreConfig = { ...defaultMessageStoreConfig, ...stripUndefined(partial), storePathRootDir: partial.storePathRootDir };
  if (cfg.mappedFileSizeConsumeQueue % 20 !== 0) {
    // RocketMQ rounds the consume-queue file size to whole 20-byte units.
    cfg.mappedFileSizeConsumeQueue = Math.ceil(cfg.mappedFileSizeConsumeQueue / 20) * 20;
  }
  return cfg;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Config keys broker.conf may set that are numbers / booleans (for `storeConfigFromProperties`). */
const NUMERIC_KEYS = new Set<string>([
  'mappedFileSizeCommitLog', 'mappedFileSizeConsumeQueue', 'flushIntervalCommitLog', 'flushIntervalConsumeQueue',
  'syncFlushTimeout', 'fileReservedTime', 'diskMaxUsedSpaceRatio', 'cleanResourceInterval',
  'deleteCommitLogFilesInterval', 'deleteConsumeQueueFilesInterval', 'destroyMapedFileIntervalForcibly',
  'maxMessageSize', 'maxHashSlotNum', 'maxIndexNum', 'maxTransferCountOnMessageInMemory',
  'maxTransferBytesOnMessageInMemory', 'maxTransferCountOnMessageInDisk', 'maxTransferBytesOnMessageInDisk',
  'accessMessageInMemoryMaxRatio', 'defaultQueryMaxNum',
]);
const BOOLEAN_KEYS = new Set<string>(['messageIndexEnable', 'checkCRCOnRecover']);
const STRING_KEYS = new Set<string>(['storePathRootDir', 'storePathCommitLog', 'flushDiskType', 'deleteWhen', 'messageDelayLevel']);

/**
 * Picks the store keys out of broker.conf-style properties, converting like `MixAll.properties2Object`:
 * unknown keys and unparsable values are ignored. `brokerIP1` + `listenPort` become `storeHost`.
 */
export function storeConfigFromProperties(props: Record<string, string>): Partial<MessageStoreConfig> {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(props)) {
    const v = raw.replace(/^\s+/, '');
    if (NUMERIC_KEYS.has(k)) {
      if (/^-?\d+$/.test(v)) out[k] = Number(v);
    } else if (BOOLEAN_KEYS.has(k)) {
      out[k] = v === 'true';
    } else if (STRING_KEYS.has(k)) {
      out[k] = v;
    }
  }
  if (props.brokerIP1 !== undefined || props.listenPort !== undefined) {
    const port = Number(props.listenPort ?? 10911);
    out.storeHost = { address: (props.brokerIP1 ?? '127.0.0.1').trim(), port: Number.isFinite(port) ? port : 10911 };
  }
  return out as Partial<MessageStoreConfig>;
}
