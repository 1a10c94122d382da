/**
 * Where a consumer keeps its progress (RocketMQ `OffsetStore`): on the broker for clustering (QUERY/UPDATE
 * _CONSUMER_OFFSET), in a local file for broadcasting (each consumer has its own progress).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { JsonObjectKeyMap, parseFastJson, toFastJson, toObjectKeyMap } from '@rockit/common';
import type { MQClientInstance } from '../instance.js';
import { MessageQueueMap, type MessageQueue } from '../message-queue.js';

/** MEMORY_FIRST_THEN_STORE reads the cached value when there is one; READ_FROM_STORE always asks the store. */
export type ReadOffsetType = 'READ_FROM_MEMORY' | 'MEMORY_FIRST_THEN_STORE' | 'READ_FROM_STORE';

/** readOffset's answer when the store has no offset for the queue. */
export const OFFSET_NOT_FOUND = -1;
/** readOffset's answer when the store could not be asked (try again later). */
export const OFFSET_READ_FAILED = -2;

export interface OffsetStore {
  load(): Promise<void>;
  /** Records `offset` in memory; with `increaseOnly` a smaller value is ignored. */
  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void;
  readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number>;
  /** Writes the offsets of `mqs` to the store. */
  persistAll(mqs: readonly MessageQueue[]): Promise<void>;
  persist(mq: MessageQueue): Promise<void>;
  removeOffset(mq: MessageQueue): void;
  /** The offsets held in memory. */
  cloneOffsetTable(topic?: string): MessageQueueMap<number>;
}

abstract class MemoryOffsetTable {
  protected readonly table = new MessageQueueMap<number>();

  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    const old = this.table.get(mq);
    if (old === undefined || !increaseOnly || offset > old) this.table.set(mq, offset);
  }

  removeOffset(mq: MessageQueue): void {
    this.table.delete(mq);
  }

  cloneOffsetTable(topic?: string): MessageQueueMap<number> {
    const out = new MessageQueueMap<number>();
    for (const [mq, o] of this.table.entries()) if (topic === undefined || mq.topic === topic) out.set(mq, o);
    return out;
  }
}

export class RemoteBrokerOffsetStore extends MemoryOffsetTable implements OffsetStore {
  constructor(
    private readonly instance: MQClientInstance,
    private readonly group: string,
  ) {
    super();
  }

  async load(): Promise<void> {}

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type !== 'READ_FROM_STORE') {
      const v = this.table.get(mq);
      if (v !== undefined || type === 'READ_FROM_MEMORY') return v ?? OFFSET_NOT_FOUND;
    }
    try {
      const offset = await this.instance.api.queryConsumerOffset(await this.brokerAddr(mq), this.group, mq);
      if (offset >= 0) this.updateOffset(mq, offset, false);
      return offset;
    } catch (err) {
      this.instance.logger.warn({ err, mq }, 'query consumer offset failed');
      return OFFSET_READ_FAILED;
    }
  }

  async persistAll(mqs: readonly MessageQueue[]): Promise<void> {
    await Promise.allSettled(mqs.map((mq) => this.persist(mq)));
  }

  async persist(mq: MessageQueue): Promise<void> {
    const offset = this.table.get(mq);
    if (offset === undefined) return;
    try {
      await this.instance.api.updateConsumerOffset(await this.brokerAddr(mq), this.group, mq, offset);
    } catch (err) {
      this.instance.logger.warn({ err, mq, offset }, 'update consumer offset failed');
    }
  }

  private async brokerAddr(mq: MessageQueue): Promise<string> {
    let addr = this.instance.findBrokerAddressInSubscribe(mq.brokerName);
    if (addr === undefined) {
      await this.instance.updateTopicRoute(mq.topic);
      addr = this.instance.findBrokerAddressInSubscribe(mq.brokerName);
    }
    if (addr === undefined) throw new Error(`the broker[${mq.brokerName}] does not exist`);
    return addr;
  }
}

/** `~/.rocketmq_offsets`, RocketMQ's default for `rocketmq.client.localOffsetStoreDir`. */
export function defaultLocalOffsetStoreDir(): string {
  return process.env.ROCKETMQ_CLIENT_LOCAL_OFFSET_STORE_DIR ?? join(homedir(), '.rocketmq_offsets');
}

/** `<dir>/<clientId>/<group>/offsets.json` holding `{"offsetTable":{{MessageQueue}:offset}}` like the Java client. */
export class LocalFileOffsetStore extends MemoryOffsetTable implements OffsetStore {
  readonly path: string;

  constructor(dir: string, clientId: string, group: string) {
    super();
    this.path = join(dir, clientId.replaceAll(':', '_'), group, 'offsets.json');
  }

  async load(): Promise<void> {
    for (const [mq, offset] of (await this.readFileTable()).entries()) this.table.set(mq, offset);
  }

  private async readFileTable(): Promise<MessageQueueMap<number>> {
    const out = new MessageQueueMap<number>();
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return out;
    }
    const root = parseFastJson(text) as { offsetTable?: unknown } | null;
    if (root?.offsetTable == null) return out;
    for (const [mq, offset] of toObjectKeyMap<MessageQueue, number>(root.offsetTable)) {
      out.set({ topic: mq.topic, brokerName: mq.brokerName, queueId: Number(mq.queueId) }, Number(offset));
    }
    return out;
  }

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type === 'READ_FROM_STORE') {
      const v = (await this.readFileTable()).get(mq);
      if (v !== undefined) this.updateOffset(mq, v, false);
      return v ?? OFFSET_NOT_FOUND;
    }
    return this.table.get(mq) ?? OFFSET_NOT_FOUND;
  }

  async persistAll(): Promise<void> {
    const offsetTable = new JsonObjectKeyMap<MessageQueue, number>(this.table.entries());
    await mkdir(join(this.path, '..'), { recursive: true });
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, toFastJson({ offsetTable }, { pretty: true }));
    await rename(tmp, this.path);
  }

  persist(): Promise<void> {
    return this.persistAll();
  }
}
