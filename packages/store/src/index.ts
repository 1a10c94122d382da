export * from './message-store.js';
export { FileMessageStore } from './file-store.js';
export { MemoryMessageStore } from './memory-store.js';
export {
  defaultMessageStoreConfig,
  resolveStoreConfig,
  storeConfigFromProperties,
  type MessageStoreConfig,
  type FlushDiskType,
} from './config.js';
export { mkdirpDurable, nodeFs, MemoryFs, type StoreFs } from './store-fs.js';
export type { StoreLogger } from './log.js';
export type { RecoveryReport } from './recovery.js';
export { SCHEDULE_TOPIC, computeTagsCode } from './commitlog/message-record.js';
export { offset2FileName } from './mapped-file-name.js';
export { indexKeyHash } from './index/index-file.js';
