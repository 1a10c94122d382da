import path from 'node:path';
import type { StoreFs } from './store-fs.js';
import { readInt64 as readLong, writeInt64 as writeLong } from '@rockit/common';

const CHECKPOINT_FILE_SIZE = 4096;

/**
 * `checkpoint` (protocol §15.5): a 4096-byte file with three big-endian longs —
 * physicMsgTimestamp (last flushed commit-log record), logicsMsgTimestamp (last flushed
 * consume-queue dispatch) and indexMsgTimestamp (last flushed index entry). Rest zero.
 */
export class StoreCheckpoint {
  physicMsgTimestamp = 0;
  logicsMsgTimestamp = 0;
  indexMsgTimestamp = 0;
  private fd: number;
  private readonly buf = Buffer.alloc(CHECKPOINT_FILE_SIZE);

  constructor(readonly file: string, private readonly fs: StoreFs) {
    if (fs.existsSync(file)) {
      this.fd = fs.openSync(file, 'r+');
      fs.readSync(this.fd, this.buf, 0, 24, 0);
      this.physicMsgTimestamp = readLong(this.buf, 0);
      this.logicsMsgTimestamp = readLong(this.buf, 8);
      this.indexMsgTimestamp = readLong(this.buf, 16);
    } else {
      this.fd = fs.openSync(file, 'w+');
      fs.writeSync(this.fd, this.buf, 0, CHECKPOINT_FILE_SIZE, 0);
      fs.fsyncDirSync(path.dirname(file));
    }
  }

  /** The earliest of the timestamps recovery may trust (RocketMQ `getMinTimestamp`, minus 3 s slack). */
  getMinTimestamp(): number {
    const min = Math.min(this.physicMsgTimestamp, this.logicsMsgTimestamp);
    return Math.max(0, min - 3000);
  }

  flush(): void {
    this.write();
    this.fs.fdatasyncSync(this.fd);
  }

  /** Writes the timestamps without syncing; returns the fd for a background fdatasync. */
  write(): number {
    writeLong(this.buf, 0, this.physicMsgTimestamp);
    writeLong(this.buf, 8, this.logicsMsgTimestamp);
    writeLong(this.buf, 16, this.indexMsgTimestamp);
    this.fs.writeSync(this.fd, this.buf, 0, 24, 0);
    return this.fd;
  }

  shutdown(): void {
    this.flush();
    this.fs.closeSync(this.fd);
  }
}
