import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { RemotingChannel, type ChannelHandler } from './channel.js';
import type { RemotingCommand } from './command.js';
import { DEFAULT_MAX_FRAME_SIZE } from './frame.js';
import { remotingLogger, type Logger } from './logger.js';
import { RemotingService } from './service.js';

export interface RemotingServerOptions {
  /** Largest frame a peer may send (length prefix value); a bigger one closes that connection. Default 16 MiB. */
  maxFrameSize?: number;
  /** Close a connection idle (no reads or writes) this long; 0 = never. Default 120 s (`serverChannelMaxIdleTimeSeconds`). */
  channelMaxIdleMillis?: number;
  logger?: Logger;
}

/**
 * RocketMQ remoting server over TCP: processors per request code, a default processor, RPC hooks around every
 * request, one RemotingChannel per connection (through which the server can also call the client).
 */
export class RemotingServer extends RemotingService implements ChannelHandler {
  private readonly server: Server;
  private readonly maxFrameSize: number;
  private readonly maxIdleMillis: number;
  readonly channels = new Set<RemotingChannel>();
  private closing: Promise<void> | undefined = undefined;

  constructor(options: RemotingServerOptions = {}) {
    super(options.logger ?? remotingLogger);
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    this.maxIdleMillis = options.channelMaxIdleMillis ?? 120_000;
    this.server = createServer((socket) => this.accept(socket));
    this.server.on('error', (err) => this.logger.error({ err }, 'remoting server error'));
  }

  /** Starts listening; resolves with the bound port (pass 0 for a free one). */
  listen(port = 0, host = '0.0.0.0'): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve(this.port);
      });
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Calls a connected client (broker -> client callbacks). */
  invoke(channel: RemotingChannel, request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    return channel.invoke(request, timeoutMillis);
  }

  /**
   * Stops accepting connections, lets in-flight requests finish (up to `timeoutMillis`), sends their
   * responses, then closes every connection.
   */
  close(timeoutMillis = 5000): Promise<void> {
    this.closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
      await Promise.all([...this.channels].map((ch) => ch.closeGracefully(timeoutMillis)));
      await stopped;
    })();
    return this.closing;
  }

  onRequest(channel: RemotingChannel, request: RemotingCommand): void {
    this.table.process(channel, request, true);
  }

  onClose(channel: RemotingChannel, reason: string): void {
    this.channels.delete(channel);
    this.logger.debug({ remoteAddress: channel.remoteAddress, reason }, 'remoting connection closed');
    this.emit('channelClose', channel, reason);
  }

  private accept(socket: Socket): void {
    if (this.closing !== undefined) {
      socket.destroy();
      return;
    }
    const channel = new RemotingChannel(socket, this, {
      maxFrameSize: this.maxFrameSize,
      maxIdleMillis: this.maxIdleMillis,
      logger: this.logger,
    });
    this.channels.add(channel);
    this.emit('channelConnect', channel);
  }
}
