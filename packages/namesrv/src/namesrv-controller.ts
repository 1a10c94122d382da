/**
 * One name server (RocketMQ `NamesrvController`): loads the KV config, serves the request table
 * over a RemotingServer, drops brokers whose connection closes at once and those silent for longer
 * than brokerChannelExpiredTime on a periodic scan. Several controllers run independently; brokers
 * register with each of them.
 */
import { createLogger, type Logger } from '@rockit/common';
import { RemotingServer, type RemotingChannel, type RemotingCommand } from '@rockit/remoting';
import { string2File } from './config-file.js';
import {
  NAMESRV_PROCESSORS,
  processNamesrvRequest,
  type NamesrvRequestContext,
  type NamesrvRuntime,
} from './default-request-processor.js';
import { KVConfigManager } from './kv-config-manager.js';
import { applyProperties, defaultNamesrvConfig, namesrvConfigEntries, type NamesrvConfig } from './namesrv-config.js';
import { formatProperties } from './properties.js';
import { RouteInfoManager } from './route-info-manager.js';

export interface NamesrvControllerOptions {
  logger?: Logger;
  /** Milliseconds since the epoch, for liveness; tests may inject one. */
  clock?: () => number;
}

export class NamesrvController implements NamesrvRuntime {
  readonly config: NamesrvConfig;
  readonly routeInfoManager: RouteInfoManager;
  readonly kvConfigManager: KVConfigManager;
  readonly log: Logger;
  private server: RemotingServer | undefined;
  private scanTimer: NodeJS.Timeout | undefined;
  private startedPort: number | undefined;

  constructor(config: Partial<NamesrvConfig> = {}, options: NamesrvControllerOptions = {}) {
    this.config = { ...defaultNamesrvConfig(), ...config };
    this.log = options.logger ?? createLogger('NamesrvController');
    this.routeInfoManager = new RouteInfoManager({
      brokerChannelExpiredTime: this.config.brokerChannelExpiredTime,
      closeChannel: (channel) => (channel as RemotingChannel).close('broker channel expired'),
      logger: this.log,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    this.kvConfigManager = new KVConfigManager(this.config.kvConfigPath, this.log);
  }

  /** The port the server listens on (after start()). */
  get port(): number {
    if (this.startedPort === undefined) throw new Error('name server not started');
    return this.startedPort;
  }

  /** `127.0.0.1:<port>`, what a local client or broker puts in namesrvAddr. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Loads KV config, starts listening and the liveness scan; resolves with the bound port. */
  async start(): Promise<number> {
    if (this.startedPort !== undefined) return this.startedPort;
    this.kvConfigManager.load();
    const server = new RemotingServer({ logger: this.log });
    for (const code of NAMESRV_PROCESSORS.keys()) {
      server.registerProcessor(code, (channel, request) => this.processRequest(this.contextOf(channel), request));
    }
    server.on('channelClose', (channel) => {
      this.routeInfoManager.onChannelDestroy(channel.remoteAddress, channel);
    });
    this.server = server;
    this.startedPort = await server.listen(this.config.listenPort, this.config.bindAddress);
    this.scanTimer = setInterval(() => this.routeInfoManager.scanNotActiveBroker(), this.config.scanNotActiveBrokerInterval);
    this.scanTimer.unref();
    this.log.info({ port: this.startedPort, bindAddress: this.config.bindAddress }, 'The Name Server boot success');
    return this.startedPort;
  }

  /** Handles one request in-process, as the server does for requests arriving over TCP. */
  processRequest(ctx: NamesrvRequestContext, request: RemotingCommand): RemotingCommand {
    return processNamesrvRequest(this, ctx, request);
  }

  updateConfig(props: Map<string, string>): void {
    const applied = applyProperties(this.config, props);
    this.log.info({ applied }, 'name server config updated');
    try {
      string2File(formatProperties(namesrvConfigEntries(this.config)), this.config.configStorePath);
    } catch (err) {
      this.log.error({ err, configStorePath: this.config.configStorePath }, 'persist namesrv config failed');
    }
  }

  /** Stops the scan, answers in-flight requests, closes every connection. */
  async shutdown(): Promise<void> {
    if (this.scanTimer) clearInterval(this.scanTimer);
    this.scanTimer = undefined;
    const server = this.server;
    this.server = undefined;
    this.startedPort = undefined;
    if (server) await server.close();
    this.log.info('name server shut down');
  }

  private contextOf(channel: RemotingChannel): NamesrvRequestContext {
    return { channel, remoteAddr: channel.remoteAddress };
  }
}
