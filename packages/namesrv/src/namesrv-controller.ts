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
  /** The transport; register RPC hooks (ACL, metrics) on it before start(). */
  readonly remotingServer: RemotingServer;
  private scanTimer: NodeJS.Timeout | undefined;
  private startedPort: number | undefined;
  private state: 'created' | 'started' | 'shutdown' = 'created';

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
    this.remotingServer = new RemotingServer({ logger: this.log });
    for (const code of NAMESRV_PROCESSORS.keys()) {
      this.remotingServer.registerProcessor(code, (channel, request) => this.processRequest(this.contextOf(channel), request));
    }
    this.remotingServer.on('channelClose', (channel) => {
      this.routeInfoManager.onChannelDestroy(channel.remoteAddress, channel);
    });
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
    if (this.state === 'started') return this.port;
    if (this.state === 'shutdown') throw new Error('a name server cannot be restarted: create a new NamesrvController');
    this.state = 'started';
    this.kvConfigManager.load();
    try {
      this.startedPort = await this.remotingServer.listen(this.config.listenPort, this.config.bindAddress);
    } catch (err) {
      this.state = 'created';
      throw err;
    }
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
    if (this.state !== 'started') {
      this.state = 'shutdown';
      return;
    }
    this.state = 'shutdown';
    if (this.scanTimer) clearInterval(this.scanTimer);
    this.scanTimer = undefined;
    this.startedPort = undefined;
    await this.remotingServer.close();
    this.log.info('name server shut down');
  }

  private contextOf(channel: RemotingChannel): NamesrvRequestContext {
    return { channel, remoteAddr: channel.remoteAddress };
  }
}
