import type { Socket } from 'node:net';
import type { RemotingCommand } from './command.js';
import { RemotingProtocolError, RemotingSendRequestError, RemotingTimeoutError } from './errors.js';
import { FrameDecoder } from './frame.js';
import type { Logger } from './logger.js';
import { OutboundBuffer } from './outbound.js';

/** Receives what arrives on a channel that is not a response to one of its own calls. */
export interface ChannelHandler {
  onRequest(channel: RemotingChannel, request: RemotingCommand): void;
  onClose(channel: RemotingChannel, reason: string): void;
}

export interface ChannelOptions {
  maxFrameSize: number;
  logger: Logger;
  /** Close the connection after this long without reads or writes; 0 = never. */
  maxIdleMillis?: number;
}

/** How long a connection that sent bad bytes may take to answer what it sent before them. */
const BAD_INPUT_GRACE_MILLIS = 1000;

/** How a call's outcome is delivered: the response, or the error (timeout, closed connection). */
export type ResponseCallback = (err: Error | null, response?: RemotingCommand) => void;

interface PendingCall {
  /** Date.now() at which the call times out. */
  deadline: number;
  timeoutMillis: number;
  code: number;
  callback: ResponseCallback;
}

/** `ip:port`, with IPv6 addresses in brackets. */
export function formatAddress(host: string | undefined, port: number | undefined): string {
  if (host === undefined) return 'unknown';
  const h = host.startsWith('::ffff:') && host.includes('.') ? host.slice(7) : host;
  return h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`;
}

/**
 * One remoting connection, on either side: it decodes incoming frames, matches responses to its pending
 * calls by opaque, hands requests to its handler, and batches outgoing frames. Servers use it to call their
 * clients (CHECK_TRANSACTION_STATE, NOTIFY_CONSUMER_IDS_CHANGED, GET_CONSUMER_RUNNING_INFO...).
 */
export class RemotingChannel {
  readonly remoteAddress: string;
  readonly localAddress: string;
  /** Free slots for the owner: e.g. the broker records the client id, language and version of the peer. */
  readonly attributes = new Map<string, unknown>();
  private readonly pending = new Map<number, PendingCall>();
  /**
   * One timer for every pending call, armed for the earliest deadline, instead of a timer per call (a Timeout
   * object and two timer-list updates per request on the hot path). Calls answered in time cost nothing here.
   */
  private sweepTimer: NodeJS.Timeout | undefined = undefined;
  private sweepAt = Infinity;
  private readonly sweepNow = () => this.expireCalls();
  private readonly outbound: OutboundBuffer;
  private readonly decoder: FrameDecoder;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private closeReason: string | undefined = undefined;
  private rejectedInput = false;

  constructor(
    readonly socket: Socket,
    private readonly handler: ChannelHandler,
    private readonly options: ChannelOptions,
  ) {
    this.remoteAddress = formatAddress(socket.remoteAddress, socket.remotePort);
    this.localAddress = formatAddress(socket.localAddress, socket.localPort);
    this.outbound = new OutboundBuffer(socket);
    this.decoder = new FrameDecoder((cmd) => this.onFrame(cmd), { maxFrameSize: options.maxFrameSize });
    socket.setNoDelay(true);
    if (options.maxIdleMillis !== undefined && options.maxIdleMillis > 0) {
      socket.setTimeout(options.maxIdleMillis, () => {
        options.logger.info({ remoteAddress: this.remoteAddress, idleMillis: options.maxIdleMillis }, 'closing idle remoting connection');
        this.close(`idle for ${options.maxIdleMillis} ms`);
      });
    }
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      this.closeReason ??= err.message;
    });
    socket.on('close', () => this.onSocketClose());
  }

  get isOpen(): boolean {
    return this.closeReason === undefined && !this.socket.destroyed;
  }

  /** Number of incoming requests whose processing has not finished. */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Sends a request and resolves with its response; rejects on timeout or when the connection closes. */
  invoke(request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    return new Promise<RemotingCommand>((resolve, reject) => {
      this.invokeCallback(request, timeoutMillis, (err, response) => (err === null ? resolve(response!) : reject(err)));
    });
  }

  /**
   * Sends a request; `callback` gets the response, or the error on timeout or when the connection closes. Never
   * calls back before returning, and an error thrown by the callback is logged, not taken for bad input.
   */
  invokeCallback(request: RemotingCommand, timeoutMillis: number, callback: ResponseCallback): void {
    let failure: Error | undefined;
    const opaque = request.opaque;
    if (!this.isOpen) {
      failure = new RemotingSendRequestError(this.remoteAddress, `connection closed (${this.closeReason ?? 'destroyed'})`);
    } else if (this.pending.has(opaque)) {
      // The same command sent twice concurrently: its response could not be told apart.
      failure = new RemotingSendRequestError(this.remoteAddress, `a call with opaque ${opaque} is already waiting`);
    } else {
      const deadline = Date.now() + timeoutMillis;
      this.pending.set(opaque, { deadline, timeoutMillis, code: request.code, callback });
      try {
        this.outbound.write(request);
        if (deadline < this.sweepAt) this.armSweep(deadline);
        return;
      } catch (err) {
        this.pending.delete(opaque);
        failure = new RemotingSendRequestError(this.remoteAddress, (err as Error).message, { cause: err });
      }
    }
    const error = failure;
    process.nextTick(() => this.deliver(callback, error));
  }

  /** Sends a request marked oneway: the peer does not answer. */
  invokeOneway(request: RemotingCommand): void {
    this.send(request.markOneway());
  }

  /** Sends a command without waiting for an answer (oneway requests, responses). */
  send(cmd: RemotingCommand): void {
    if (!this.isOpen) {
      throw new RemotingSendRequestError(this.remoteAddress, `connection closed (${this.closeReason ?? 'destroyed'})`);
    }
    this.outbound.write(cmd);
  }

  /** Closes the connection at once; pending calls fail. */
  close(reason = 'closed locally'): void {
    this.closeReason ??= reason;
    this.socket.destroy();
  }

  /** Waits for in-flight requests (at most `timeoutMillis`), flushes what is queued, then closes. */
  async closeGracefully(timeoutMillis: number, reason = 'closed gracefully'): Promise<void> {
    if (this.socket.destroyed) return;
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMillis))),
      ]);
      clearTimeout(timer);
    }
    if (this.socket.destroyed) return;
    this.outbound.flush();
    this.closeReason ??= reason;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), Math.min(timeoutMillis, 1000)).unref();
    });
  }

  /** Bookkeeping for the request handler: call `beginRequest` when one starts and `endRequest` when done. */
  beginRequest(): void {
    this.inFlight++;
  }
  endRequest(): void {
    if (--this.inFlight === 0) this.wakeIdleWaiters();
  }

  private wakeIdleWaiters(): void {
    if (this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private onData(chunk: Buffer): void {
    if (this.rejectedInput) return;
    try {
      this.decoder.push(chunk);
    } catch (err) {
      const reason = err instanceof RemotingProtocolError ? err.message : `frame handling failed: ${String(err)}`;
      this.options.logger.warn({ remoteAddress: this.remoteAddress, reason }, 'closing remoting connection on bad input');
      // Read nothing more; answer the requests that came before the bad bytes, then close.
      this.rejectedInput = true;
      this.socket.pause();
      void this.closeGracefully(BAD_INPUT_GRACE_MILLIS, reason);
    }
  }

  private onFrame(cmd: RemotingCommand): void {
    if (cmd.isResponse) {
      const call = this.pending.get(cmd.opaque);
      if (call === undefined) {
        this.options.logger.debug({ remoteAddress: this.remoteAddress, opaque: cmd.opaque }, 'response without a pending call (timed out?)');
        return;
      }
      this.pending.delete(cmd.opaque);
      // Nothing left to time out: no timer keeps running (or the process alive) for calls already answered.
      if (this.pending.size === 0 && this.sweepTimer !== undefined) {
        clearTimeout(this.sweepTimer);
        this.sweepTimer = undefined;
        this.sweepAt = Infinity;
      }
      this.deliver(call.callback, null, cmd);
    } else {
      this.handler.onRequest(this, cmd);
    }
  }

  /** Runs a call's callback; what it throws is the caller's bug, logged here rather than breaking the connection. */
  private deliver(callback: ResponseCallback, err: Error | null, response?: RemotingCommand): void {
    try {
      callback(err, response);
    } catch (thrown) {
      this.options.logger.warn({ remoteAddress: this.remoteAddress, err: thrown }, 'a response callback threw');
    }
  }

  private armSweep(deadline: number): void {
    clearTimeout(this.sweepTimer);
    this.sweepAt = deadline;
    this.sweepTimer = setTimeout(this.sweepNow, Math.max(0, deadline - Date.now()));
  }

  /** Fails every call past its deadline, then arms the timer for the earliest deadline left. */
  private expireCalls(): void {
    this.sweepTimer = undefined;
    this.sweepAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [opaque, call] of this.pending) {
      if (call.deadline <= now) {
        this.pending.delete(opaque);
        this.deliver(call.callback, new RemotingTimeoutError(this.remoteAddress, call.timeoutMillis, call.code));
      } else if (call.deadline < next) {
        next = call.deadline;
      }
    }
    if (next < this.sweepAt) this.armSweep(next);
  }

  private onSocketClose(): void {
    const reason = (this.closeReason ??= 'closed by peer');
    // Nothing in flight can be answered any more.
    this.wakeIdleWaiters();
    clearTimeout(this.sweepTimer);
    this.sweepAt = Infinity;
    if (this.pending.size > 0) {
      const calls = [...this.pending.values()];
      this.pending.clear();
      for (const call of calls) this.deliver(call.callback, new RemotingSendRequestError(this.remoteAddress, `connection closed (${reason})`));
    }
    this.handler.onClose(this, reason);
  }
}
