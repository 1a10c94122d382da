/**
 * PullRequestHoldService (rocketmq-protocol.md §8.3): a pull that found nothing new is parked per `topic@queueId`
 * instead of answered. It is re-run (without the right to be parked again) as soon as a matching message arrives
 * (the store's arrival listener calls `notifyMessageArriving`), when its suspend timeout passes, or at the periodic
 * sweep (5 s with long polling, `shortPollingTimeMills` without).
 */
import type { Logger } from '@rockit/common';
import type { RemotingChannel, RemotingCommand } from '@rockit/remoting';
import type { MessageStore } from '@rockit/store';
import type { SubscriptionFilter } from '../processors/filter-cache.js';

export interface PullRequest {
  readonly channel: RemotingChannel;
  readonly request: RemotingCommand;
  readonly pullFromThisOffset: number;
  readonly filter: SubscriptionFilter;
  readonly suspendTimestamp: number;
  readonly timeoutMillis: number;
}

interface HeldPull extends PullRequest {
  resolve(response: RemotingCommand | null): void;
  timer: NodeJS.Timeout | undefined;
}

export interface PullRequestHoldServiceOptions {
  store: MessageStore;
  /** Re-runs a parked pull; it may not be parked again. */
  executeRequestWhenWakeup: (channel: RemotingChannel, request: RemotingCommand) => Promise<RemotingCommand | null>;
  /** Sweep period: 5000 with long polling, `shortPollingTimeMills` without. */
  sweepIntervalMillis: number;
  logger: Logger;
  now?: () => number;
}

function keyOf(topic: string, queueId: number): string {
  return `${topic}@${queueId}`;
}

export class PullRequestHoldService {
  private readonly table = new Map<string, HeldPull[]>();
  private sweeper: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly options: PullRequestHoldServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Number of pulls parked now. */
  get size(): number {
    let n = 0;
    for (const list of this.table.values()) n += list.length;
    return n;
  }

  start(): void {
    this.stopped = false;
    this.sweeper ??= setInterval(() => this.checkHoldRequest(), this.options.sweepIntervalMillis);
    this.sweeper.unref();
  }

  /** Parks a pull; resolves with its response once it is re-run. */
  suspendPullRequest(topic: string, queueId: number, pull: PullRequest): Promise<RemotingCommand | null> {
    if (this.stopped) return this.options.executeRequestWhenWakeup(pull.channel, pull.request);
    return new Promise((resolve) => {
      const key = keyOf(topic, queueId);
      const held: HeldPull = { ...pull, resolve, timer: undefined };
      // Wake at the deadline itself rather than at the next sweep.
      held.timer = setTimeout(() => this.notifyMessageArriving(topic, queueId, this.options.store.getMaxOffsetInQueue(topic, queueId)), pull.timeoutMillis + 1);
      held.timer.unref();
      let list = this.table.get(key);
      if (list === undefined) {
        list = [];
        this.table.set(key, list);
      }
      list.push(held);
    });
  }

  /**
   * A message was dispatched to `topic@queueId` (or the sweep looks): re-runs the pulls that now have something
   * matching to read and those whose timeout passed. Without a tag code every parked pull behind `maxOffset` wakes.
   */
  notifyMessageArriving(topic: string, queueId: number, maxOffset: number, tagsCode?: number, propertiesString?: string): void {
    if (this.table.size === 0) return; // the common case on the put path: nobody is waiting
    const key = keyOf(topic, queueId);
    const list = this.table.get(key);
    if (list === undefined || list.length === 0) return;
    const keep: HeldPull[] = [];
    const wake: HeldPull[] = [];
    const now = this.now();
    for (const held of list) {
      let newestOffset = maxOffset;
      if (newestOffset <= held.pullFromThisOffset) newestOffset = this.options.store.getMaxOffsetInQueue(topic, queueId);
      const arrived =
        newestOffset > held.pullFromThisOffset && (tagsCode === undefined || held.filter.matchesArrival(tagsCode, propertiesString));
      if (arrived || now >= held.suspendTimestamp + held.timeoutMillis || !held.channel.isOpen) wake.push(held);
      else keep.push(held);
    }
    if (keep.length === 0) this.table.delete(key);
    else this.table.set(key, keep);
    for (const held of wake) this.wakeUp(held);
  }

  /** The periodic sweep: every parked queue is compared with its current max offset. */
  checkHoldRequest(): void {
    for (const key of [...this.table.keys()]) {
      const at = key.lastIndexOf('@');
      const topic = key.slice(0, at);
      const queueId = Number(key.slice(at + 1));
      try {
        this.notifyMessageArriving(topic, queueId, this.options.store.getMaxOffsetInQueue(topic, queueId));
      } catch (err) {
        this.options.logger.error({ err, key }, 'check hold pull request failed');
      }
    }
  }

  /** Forgets the pulls of a closed connection (their answers could not be delivered). */
  onChannelClose(channel: RemotingChannel): void {
    for (const [key, list] of this.table) {
      const keep = list.filter((held) => {
        if (held.channel !== channel) return true;
        clearTimeout(held.timer);
        held.resolve(null);
        return false;
      });
      if (keep.length === 0) this.table.delete(key);
      else if (keep.length !== list.length) this.table.set(key, keep);
    }
  }

  /** Stops the sweep and answers every parked pull with what is there now (shutdown). */
  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    const all = [...this.table.values()].flat();
    this.table.clear();
    await Promise.all(all.map((held) => this.wakeUp(held)));
  }

  private wakeUp(held: HeldPull): Promise<void> {
    clearTimeout(held.timer);
    // Runs after the store finished the append that notified us (the listener is called mid-put).
    return Promise.resolve()
      .then(() => this.options.executeRequestWhenWakeup(held.channel, held.request))
      .then(
        (response) => held.resolve(response),
        (err: unknown) => {
          this.options.logger.error({ err }, 'executing a woken pull request failed');
          held.resolve(null);
        },
      );
  }
}
