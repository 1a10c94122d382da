import { connect } from 'node:net';
import { RemotingChannel, type ChannelHandler } from './channel.js';
import type { SerializeTypeValue } from './codes.js';
import type { RemotingCommand } from './command.js';
import { RemotingConnectError, RemotingSendRequestError, RemotingTimeoutError } from './errors.js';
import { DEFAULT_MAX_FRAME_SIZE } from './frame.js';
import { remotingLogger, type Logger } from './logger.js';
import { RemotingService } from './service.js';

export interface RemotingClientOptions {
  /** Default 3000 ms (RocketMQ's `connectTimeoutMillis`). */
  connectTimeoutMillis?: number;
  /** Timeout of calls that do not give one. Default 3000 ms. */
  defaultTimeoutMillis?: number;
  maxFrameSize?: number;
  logger?: Logger;
  /**
   * Header serialization of every request this client sends (peers answer in kind). Default: each command's own,
   * JSON unless `setDefaultSerializeType` changed it. ROCKETMQ's binary headers cost both sides less CPU.
   */
  serializeType?: SerializeTypeValue;
}

export type InvokeCallback = (err: Error | null, response?: RemotingCommand) => void;

/** Splits `host:port` (IPv6 as `[addr]:port` or bare `addr:port`, the port after the last colon). */
export function parseAddress(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  const port = Number(addr.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new RemotingConnectError(addr, { cause: new Error(`not a host:port address: "${addr}"`) });
  }
  let host = addr.slice(0, i);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port };
}

/**
 * RocketMQ remoting client: one connection per address, reused by every call and reopened on the next call
 * after it failed. Processors registered here serve the requests a broker sends on those connections
 * (CHECK_TRANSACTION_STATE, NOTIFY_CONSUMER_IDS_CHANGED, ...). RPC hooks run around every outgoing call.
 */
export class RemotingClient extends RemotingService implements ChannelHandler {
  private readonly channels = new Map<string, Promise<RemotingChannel>>();
  /** The connected ones among `channels`. */
  private readonly connected = new Map<string, RemotingChannel>();
  private readonly connectTimeoutMillis: number;
  private readonly defaultTimeoutMillis: number;
  private readonly maxFrameSize: number;
  private readonly serializeType: SerializeTypeValue | undefined;
  private closed = false;

  constructor(options: RemotingClientOptions = {}) {
    super(options.logger ?? remotingLogger);
    this.connectTimeoutMillis = options.connectTimeoutMillis ?? 3000;
    this.defaultTimeoutMillis = options.defaultTimeoutMillis ?? 3000;
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    this.serializeType = options.serializeType;
  }

  /** Sends `request` to `addr` and resolves with the response (whatever its code). */
  invokeSync(addr: string, request: RemotingCommand, timeoutMillis = this.defaultTimeoutMillis): Promise<RemotingCommand> {
    if (this.serializeType !== undefined) request.serializeType = this.serializeType;
    const open = this.connected.get(addr);
    // Hot path: an open connection needs no extra promise hop.
    if (open !== undefined && open.isOpen) return this.invokeOn(open, addr, request, timeoutMillis);
    return this.connectAndInvoke(addr, request, timeoutMillis);
  }

  private async connectAndInvoke(addr: string, request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    const deadline = Date.now() + timeoutMillis;
    const channel = await this.getChannel(addr, timeoutMillis);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new RemotingTimeoutError(addr, timeoutMillis, request.code);
    return this.invokeOn(channel, addr, request, remaining);
  }

  private invokeOn(channel: RemotingChannel, addr: string, request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    const hooks = this.table.hooks;
    if (hooks.length === 0) return channel.invoke(request, timeoutMillis);
    try {
      this.beforeRequest(addr, request);
    } catch (err) {
      return Promise.reject(err);
    }
    return channel.invoke(request, timeoutMillis).then((response) => {
      for (const hook of hooks) hook.doAfterResponse?.(addr, request, response);
      return response;
    });
  }

  /** Like invokeSync; with a callback the outcome goes there, without a promise on the way (see invokeCallback). */
  invokeAsync(addr: string, request: RemotingCommand, timeoutMillis?: number): Promise<RemotingCommand>;
  invokeAsync(addr: string, request: RemotingCommand, timeoutMillis: number | undefined, callback: InvokeCallback): void;
  invokeAsync(
    addr: string,
    request: RemotingCommand,
    timeoutMillis?: number,
    callback?: InvokeCallback,
  ): Promise<RemotingCommand> | void {
    if (callback === undefined) return this.invokeSync(addr, request, timeoutMillis);
    this.invokeCallback(addr, request, timeoutMillis ?? this.defaultTimeoutMillis, callback);
  }

  /**
   * Sends `request` to `addr`; `callback` gets the response (whatever its code) or the error, always after this
   * returns. On an open connection without RPC hooks no promise is made: the hot path of asynchronous sends.
   */
  invokeCallback(addr: string, request: RemotingCommand, timeoutMillis: number, callback: InvokeCallback): void {
    if (this.serializeType !== undefined) request.serializeType = this.serializeType;
    const open = this.connected.get(addr);
    if (open !== undefined && open.isOpen) {
      const hooks = this.table.hooks;
      if (hooks.length === 0) {
        open.invokeCallback(request, timeoutMillis, callback);
        return;
      }
      // With hooks (ACL signing) still no promise: they run here and around the callback.
      try {
        this.beforeRequest(addr, request);
      } catch (err) {
        process.nextTick(() => this.deliver(callback, err as Error));
        return;
      }
      open.invokeCallback(request, timeoutMillis, (err, response) => {
        if (err === null && response !== undefined) {
          try {
            for (const hook of hooks) hook.doAfterResponse?.(addr, request, response);
          } catch (hookErr) {
            // As on the promise path: a failing hook fails the call.
            callback(hookErr as Error);
            return;
          }
        }
        callback(err, response);
      });
      return;
    }
    const delivered = open !== undefined && open.isOpen ? this.invokeOn(open, addr, request, timeoutMillis) : this.connectAndInvoke(addr, request, timeoutMillis);
    delivered.then(
      (response) => this.deliver(callback, null, response),
      (err: Error) => this.deliver(callback, err),
    );
  }

  /** As on a channel: what a callback throws is logged, never turned into a rejection nobody handles. */
  private deliver(callback: InvokeCallback, err: Error | null, response?: RemotingCommand): void {
    try {
      callback(err, response);
    } catch (thrown) {
      this.logger.warn({ err: thrown }, 'a response callback threw');
    }
  }

  /** Sends a request marked oneway; resolves once it is queued on the connection. */
  async invokeOneway(addr: string, request: RemotingCommand, timeoutMillis = this.defaultTimeoutMillis): Promise<void> {
    if (this.serializeType !== undefined) request.serializeType = this.serializeType;
    const channel = await this.getChannel(addr, timeoutMillis);
    request.markOneway();
    this.beforeRequest(addr, request);
    channel.send(request);
  }

  /** The open connection to `addr`, connecting if there is none. */
  getChannel(addr: string, timeoutMillis = this.connectTimeoutMillis): Promise<RemotingChannel> {
    if (this.closed) return Promise.reject(new RemotingSendRequestError(addr, 'client closed'));
    const open = this.connected.get(addr);
    if (open !== undefined && !open.isOpen) this.forget(addr, open);
    const existing = this.channels.get(addr);
    if (existing !== undefined) return existing;
    const created = this.connect(addr, Math.min(timeoutMillis, this.connectTimeoutMillis));
    this.channels.set(addr, created);
    created.then(
      (ch) => {
        if (this.channels.get(addr) === created) this.connected.set(addr, ch);
      },
      () => {
        if (this.channels.get(addr) === created) this.channels.delete(addr);
      },
    );
    return created;
  }

  /** Closes the connection to `addr` (the next call reconnects). */
  async closeChannel(addr: string): Promise<void> {
    const ch = this.channels.get(addr);
    this.channels.delete(addr);
    this.connected.delete(addr);
    if (ch !== undefined) (await ch.catch(() => undefined))?.close('closed by client');
  }

  /** Closes every connection; pending calls fail with RemotingSendRequestError. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.channels.values()];
    this.channels.clear();
    this.connected.clear();
    for (const ch of await Promise.allSettled(all)) if (ch.status === 'fulfilled') ch.value.close('client closed');
  }

  onRequest(channel: RemotingChannel, request: RemotingCommand): void {
    this.table.process(channel, request, false);
  }

  onClose(channel: RemotingChannel, reason: string): void {
    this.logger.debug({ remoteAddress: channel.remoteAddress, reason }, 'remoting connection closed');
    for (const [addr, ch] of this.connected) if (ch === channel) this.forget(addr, ch);
    this.emit('channelClose', channel, reason);
  }

  private forget(addr: string, channel: RemotingChannel): void {
    if (this.connected.get(addr) !== channel) return;
    this.connected.delete(addr);
    this.channels.delete(addr);
  }

  private beforeRequest(addr: string, request: RemotingCommand): void {
    for (const hook of this.table.hooks) hook.doBeforeRequest?.(addr, request);
  }

  private connect(addr: string, timeoutMillis: number): Promise<RemotingChannel> {
    return new Promise((resolve, reject) => {
      let target: { host: string; port: number };
      try {
        target = parseAddress(addr);
      } catch (err) {
        reject(err);
        return;
      }
      const socket = connect(target);
      const fail = (cause: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new RemotingConnectError(addr, { cause }));
      };
      const timer = setTimeout(() => fail(new Error(`connect timeout ${timeoutMillis}ms`)), timeoutMillis);
      socket.once('error', fail);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        const channel = new RemotingChannel(socket, this, { maxFrameSize: this.maxFrameSize, logger: this.logger });
        this.emit('channelConnect', channel);
        resolve(channel);
      });
    });
  }
}
