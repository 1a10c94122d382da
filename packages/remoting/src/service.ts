import { EventEmitter } from 'node:events';
import type { RemotingChannel } from './channel.js';
import type { RPCHook } from './hooks.js';
import type { Logger } from './logger.js';
import { ProcessorTable, type RemotingProcessor } from './processor.js';

export interface RemotingServiceEvents {
  /** A connection opened. */
  channelConnect: [channel: RemotingChannel];
  /** A connection closed (the broker drops a client's producers/consumers, the name server its broker). */
  channelClose: [channel: RemotingChannel, reason: string];
}

/** What RemotingServer and RemotingClient share: processors by request code, RPC hooks, connection events. */
export abstract class RemotingService extends EventEmitter<RemotingServiceEvents> {
  protected readonly table: ProcessorTable;

  constructor(protected readonly logger: Logger) {
    super();
    this.table = new ProcessorTable(logger);
  }

  registerProcessor(code: number, processor: RemotingProcessor): this {
    this.table.register(code, processor);
    return this;
  }
  /** Handles every code without its own processor (RocketMQ's AdminBrokerProcessor / DefaultRequestProcessor). */
  setDefaultProcessor(processor: RemotingProcessor | undefined): this {
    this.table.setDefault(processor);
    return this;
  }
  registerRPCHook(hook: RPCHook): this {
    this.table.hooks.push(hook);
    return this;
  }
}
