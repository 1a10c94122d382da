/**
 * The broker's send "thread pool" (RocketMQ's sendMessageExecutor + BrokerFastFailure): sends run with bounded
 * concurrency, the others wait in arrival order. A send that waited longer than `waitTimeMillsInSendQueue` is not
 * run at all: it is answered SYSTEM_BUSY "[TIMEOUT_CLEAN_QUEUE]..." so producers back off instead of piling up
 * behind a slow store.
 */
import { RemotingCommand, ResponseCode } from '@rockit/remoting';
import { failureResponse } from './responses.js';

interface QueuedSend {
  readonly arrivedAt: number;
  readonly run: () => Promise<RemotingCommand | null>;
  readonly resolve: (response: RemotingCommand | null) => void;
}

export interface SendQueueOptions {
  /** Sends inside the store at once (rockit: a send holds its slot until the store answered). */
  maxInFlight: number;
  /** `waitTimeMillsInSendQueue`; read on every check so UPDATE_BROKER_CONFIG applies at once. */
  waitTimeMills: () => number;
  /** `brokerFastFailureEnable`. */
  fastFailureEnable: () => boolean;
  now?: () => number;
}

const SWEEP_INTERVAL_MILLIS = 10;

export class SendQueue {
  private readonly queue: QueuedSend[] = [];
  private head = 0;
  private inFlight = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  /** Sends refused because they waited too long (runtime info). */
  rejectedTotal = 0;

  constructor(private readonly options: SendQueueOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Sends waiting for a slot (GET_BROKER_RUNTIME_INFO `sendThreadPoolQueueSize`). */
  get size(): number {
    return this.queue.length - this.head;
  }

  /** How long the oldest waiting send has waited (`sendThreadPoolQueueHeadWaitTimeMills`). */
  headWaitMillis(): number {
    const first = this.queue[this.head];
    return first === undefined ? 0 : this.now() - first.arrivedAt;
  }

  /** Runs `run` when a slot is free; `arrivedAt` is when the request arrived. */
  submit(arrivedAt: number, run: () => Promise<RemotingCommand | null>): Promise<RemotingCommand | null> {
    if (this.inFlight < this.options.maxInFlight && this.size === 0) return this.start(run);
    return new Promise((resolve) => {
      this.queue.push({ arrivedAt, run, resolve });
      this.sweeper ??= setInterval(() => this.cleanExpired(), SWEEP_INTERVAL_MILLIS);
    });
  }

  /** Answers every waiting send SYSTEM_BUSY (shutdown). */
  close(): void {
    while (this.size > 0) this.queue[this.head++]!.resolve(busy('broker is shutting down'));
    this.compact();
  }

  private start(run: () => Promise<RemotingCommand | null>): Promise<RemotingCommand | null> {
    this.inFlight++;
    let p: Promise<RemotingCommand | null>;
    try {
      p = run();
    } catch (err) {
      p = Promise.reject(err);
    }
    return p.finally(() => {
      this.inFlight--;
      this.next();
    });
  }

  private next(): void {
    while (this.inFlight < this.options.maxInFlight && this.size > 0) {
      const item = this.queue[this.head++]!;
      const waited = this.now() - item.arrivedAt;
      if (this.expired(waited)) {
        this.rejectedTotal++;
        item.resolve(busy(`[TIMEOUT_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: ${waited}ms, size of queue: ${this.size}`));
        continue;
      }
      this.start(item.run).then(item.resolve, (err: unknown) => item.resolve(failureResponse(err)));
    }
    this.compact();
  }

  private expired(waited: number): boolean {
    return this.options.fastFailureEnable() && waited >= this.options.waitTimeMills();
  }

  /** BrokerFastFailure.cleanExpiredRequest: answers the sends at the head that already waited too long. */
  private cleanExpired(): void {
    const now = this.now();
    while (this.size > 0) {
      const item = this.queue[this.head]!;
      const waited = now - item.arrivedAt;
      if (!this.expired(waited)) break;
      this.head++;
      this.rejectedTotal++;
      item.resolve(busy(`[TIMEOUT_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: ${waited}ms, size of queue: ${this.size}`));
    }
    this.compact();
  }

  private compact(): void {
    if (this.size === 0) {
      this.queue.length = 0;
      this.head = 0;
      if (this.sweeper) clearInterval(this.sweeper);
      this.sweeper = undefined;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}

function busy(remark: string): RemotingCommand {
  return RemotingCommand.createResponse(ResponseCode.SYSTEM_BUSY, remark);
}
