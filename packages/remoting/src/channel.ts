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

interface PendingCall {
  resolve(response: RemotingCommand): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
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
      if (!this.isOpen) {
        reject(new RemotingSendRequestError(this.remoteAddress, `connection closed (${this.closeReason ?? 'destroyed'})`));
        return;
      }
      const opaque = request.opaque;
      if (this.pending.has(opaque)) {
        // The same command sent twice concurrently: its response could not be told apart.
        reject(new RemotingSendRequestError(this.remoteAddress, `a call with opaque ${opaque} is already waiting`));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(opaque);
        reject(new RemotingTimeoutError(this.remoteAddress, timeoutMillis, request.code));
      }, timeoutMillis);
      this.pending.set(opaque, { resolve, reject, timer });
      try {
        this.outbound.write(request);
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(opaque);
        reject(new RemotingSendRequestError(this.remoteAddress, (err as Error).message, { cause: err }));
      }
    });
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
      clearTimeout(call.timer);
      call.resolve(cmd);
    } else {
      this.handler.onRequest(this, cmd);
    }
  }

  private onSocketClose(): void {
    const reason = (this.closeReason ??= 'closed by peer');
    // Nothing in flight can be answered any more.
    this.wakeIdleWaiters();
    if (this.pending.size > 0) {
      const calls = [...this.pending.values()];
      this.pending.clear();
      for (const call of calls) {
        clearTimeout(call.timer);
        call.reject(new RemotingSendRequestError(this.remoteAddress, `connection closed (${reason})`));
      }
    }
    this.handler.onClose(this, reason);
  }
}
