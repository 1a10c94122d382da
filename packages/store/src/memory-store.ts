import { FileMessageStore } from './file-store.js';
import { MemoryFs } from './store-fs.js';
import type { MessageStoreConfig } from './config.js';

/**
 * The in-memory MessageStore (tests, `rockit dev --memory`): the file store's engine running on a
 * sparse in-memory file system, so both implementations share one set of semantics. Data is gone
 * when the process exits; flushes are no-ops, so SYNC_FLUSH costs nothing.
 */
export class MemoryMessageStore extends FileMessageStore {
  constructor(config: Partial<MessageStoreConfig> = {}) {
    super({
      mappedFileSizeCommitLog: 64 * 1024 * 1024,
      mappedFileSizeConsumeQueue: 30_000 * 20,
      maxHashSlotNum: 100_000,
      maxIndexNum: 400_000,
      appendBufferSize: 1024 * 1024,
      ...config,
      storePathRootDir: config.storePathRootDir ?? `/memory-store-${process.pid}-${++seq}`,
      fs: config.fs ?? new MemoryFs(),
    });
  }
}
let seq = 0;
