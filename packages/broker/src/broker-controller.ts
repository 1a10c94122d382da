/**
 * BrokerController: wiring of one broker (RocketMQ `BrokerController`) — config -> store -> managers -> request
 * processors -> RemotingServer, name-server registration, long polling, client housekeeping; and the orderly
 * shutdown (stop accepting, answer parked pulls, finish in-flight requests, persist, flush, unregister).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AclError, PlainAccessValidator, PlainAclFile } from '@rockit/acl';
import { createLogger, toSocketAddress, type Logger } from '@rockit/common';
import { RemotingCommand, RemotingCommandError, RemotingServer, ResponseCode, type RemotingChannel, type RPCHook } from '@rockit/remoting';
import { FileMessageStore, MemoryMessageStore, type MessageStore, type MessageStoreConfig } from '@rockit/store';
import { clientChannelOf, remotingChannelOf } from './client/broker-client-channel.js';
import { ConsumerManager } from './managers/consumer-manager.js';
import { ProducerManager } from './managers/producer-manager.js';
import { ClientNotifier } from './client-notifier.js';
import { BrokerConfig, type BrokerConfigOverrides } from './config.js';
import { BrokerConfigError } from './errors.js';
import { PullRequestHoldService } from './long-polling/pull-request-hold-service.js';
import { ConsumerOffsetManager } from './managers/consumer-offset-manager.js';
import { DelayOffsetTable } from './managers/delay-offset-table.js';
import { SubscriptionGroupManager } from './managers/subscription-group-manager.js';
import { TopicConfigManager } from './managers/topic-config-manager.js';
import { BrokerStatsManager } from './stats/broker-stats-manager.js';
import type { BrokerContext, BrokerRequestHandler } from './processors/context.js';
import { FilterCache } from './processors/filter-cache.js';
import { BROKER_PROCESSORS } from './processors/processor-table.js';
import { executeRequestWhenWakeup } from './processors/pull.js';
import { RebalanceLockManager } from './processors/rebalance-lock-manager.js';
import { failureResponse } from './processors/responses.js';
import { SendQueue } from './processors/send-queue.js';
import { BrokerRegistration } from './registration.js';
import { ScheduleMessageService } from './schedule/schedule-message-service.js';
import { TransactionalMessageService } from './transaction/transactional-message-service.js';

/** Builds the store from its config; tests wrap the real one (e.g. an artificially slow store). */
export type MessageStoreFactory = (config: Partial<MessageStoreConfig> & { storePathRootDir: string }, memory: boolean) => MessageStore;

export interface BrokerControllerOptions {
  /** A ready config, or the pieces to load one (broker.conf path, text, flag overrides). */
  config?: BrokerConfig;
  configFile?: string;
  configText?: string;
  overrides?: BrokerConfigOverrides;
  /** Run the message store in memory (configs are still written under storePathRootDir/config). */
  memory?: boolean;
  storeFactory?: MessageStoreFactory;
  /** Sends inside the store at once before others queue (rockit's send "thread pool" size). Default 64. */
  sendQueueMaxInFlight?: number;
  /**
   * The plain_acl.yml checked when `aclEnable=true`. Default: `$ROCKETMQ_HOME/conf/plain_acl.yml`, where a RocketMQ
   * broker reads it.
   */
  aclConfigFile?: string;
  logger?: Logger;
}

/** How often idle client connections are looked for (RocketMQ ClientHousekeepingService: 10 s). */
const CLIENT_HOUSEKEEPING_INTERVAL = 10_000;
/** How often the ACL file is checked for edits (RocketMQ's file watch service checks every 500 ms). */
const ACL_FILE_CHECK_INTERVAL = 1_000;
/** Long-polling sweep period when long polling is on. */
const LONG_POLLING_SWEEP_INTERVAL = 5_000;

/** The store's config from the broker's; an in-memory store keeps its own (smaller) file sizes. */
function storeConfigOf(config: BrokerConfig, memory: boolean): Partial<MessageStoreConfig> & { storePathRootDir: string } {
  const out = config.toMessageStoreConfig();
  if (memory) {
    delete out.mappedFileSizeCommitLog;
    delete out.mappedFileSizeConsumeQueue;
  }
  return out;
}

const defaultStoreFactory: MessageStoreFactory = (config, memory) => (memory ? new MemoryMessageStore(config) : new FileMessageStore(config));

/** Answers a request plain ACL refuses with SYSTEM_ERROR and the reason, as a RocketMQ broker does. */
function plainAclHook(validator: PlainAccessValidator): RPCHook {
  return {
    doBeforeRequest(remoteAddr, request) {
      try {
        validator.validate(remoteAddr, request);
      } catch (err) {
        if (err instanceof AclError) return RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, err.message);
        throw err;
      }
      return undefined;
    },
  };
}

export class BrokerController {
  readonly config: BrokerConfig;
  readonly logger: Logger;
  readonly server: RemotingServer;
  readonly consumerManager: ConsumerManager;
  readonly producerManager: ProducerManager;
  readonly stats: BrokerStatsManager;
  readonly filterCache = new FilterCache();
  readonly rebalanceLockManager = new RebalanceLockManager();
  readonly clientNotifier: ClientNotifier;
  readonly sendQueue: SendQueue;
  private readonly memory: boolean;
  private readonly storeFactory: MessageStoreFactory;
  private context: BrokerContext | undefined;
  private registration: BrokerRegistration | undefined;
  private readonly aclConfigFile: string | undefined;
  private housekeeping: NodeJS.Timeout | undefined;
  private aclWatch: NodeJS.Timeout | undefined;
  private shuttingDown: Promise<void> | undefined;

  constructor(options: BrokerControllerOptions = {}) {
    this.config =
      options.config ??
      BrokerConfig.load({
        ...(options.configFile !== undefined ? { file: options.configFile } : {}),
        ...(options.configText !== undefined ? { text: options.configText } : {}),
        ...(options.overrides !== undefined ? { overrides: options.overrides } : {}),
      });
    this.logger = options.logger ?? createLogger('BrokerController');
    this.memory = options.memory ?? false;
    this.storeFactory = options.storeFactory ?? defaultStoreFactory;
    this.aclConfigFile = options.aclConfigFile;
    this.server = new RemotingServer({ logger: this.logger });
    this.consumerManager = new ConsumerManager({ logger: this.logger });
    this.producerManager = new ProducerManager({ logger: this.logger });
    this.stats = new BrokerStatsManager({ clusterName: this.config.brokerClusterName });
    this.clientNotifier = new ClientNotifier(this.logger);
    this.sendQueue = new SendQueue({
      maxInFlight: options.sendQueueMaxInFlight ?? 64,
      waitTimeMills: () => this.config.waitTimeMillsInSendQueue,
      fastFailureEnable: () => this.config.brokerFastFailureEnable,
    });
  }

  /** Everything processors use (after start). */
  get ctx(): BrokerContext {
    if (this.context === undefined) throw new Error('broker not started');
    return this.context;
  }

  get store(): MessageStore {
    return this.ctx.store;
  }

  /** `brokerIP1:listenPort`, the address the broker registers. */
  get brokerAddr(): string {
    return this.config.brokerAddr;
  }

  /** The plain ACL of `aclConfigFile` (or $ROCKETMQ_HOME/conf/plain_acl.yml); a broker without one must not start. */
  private loadAcl(): { file: PlainAclFile; validator: PlainAccessValidator } {
    const home = process.env.ROCKETMQ_HOME;
    const file = this.aclConfigFile ?? (home ? join(home, 'conf', 'plain_acl.yml') : undefined);
    if (file === undefined) throw new BrokerConfigError('aclEnable', 'aclEnable=true needs a plain_acl.yml: give its path, or set ROCKETMQ_HOME to a directory with conf/plain_acl.yml');
    try {
      readFileSync(file, 'utf8');
    } catch (err) {
      throw new BrokerConfigError('aclEnable', `aclEnable=true but ${file} cannot be read: ${(err as Error).message}`);
    }
    try {
      const aclFile = new PlainAclFile(file);
      this.logger.info({ file, accounts: aclFile.config.accounts.size }, 'plain ACL enabled');
      return { file: aclFile, validator: new PlainAccessValidator(aclFile) };
    } catch (err) {
      throw new BrokerConfigError('aclEnable', `${file}: ${(err as Error).message}`);
    }
  }

  /** Takes a hand edit of the ACL file into force; a broken edit is logged and the accounts in force stay. */
  private reloadAcl(file: PlainAclFile): void {
    try {
      if (!file.reloadIfChanged()) return;
      this.logger.info({ file: file.path, accounts: file.config.accounts.size }, 'ACL file reloaded after an edit');
    } catch (err) {
      this.logger.error({ err, file: file.path }, 'the edited ACL file is not valid: the accounts in force stay as they were');
    }
  }

  /** Loads the store and the config files, listens, registers with the name servers. Resolves with the port. */
  async start(): Promise<number> {
    const config = this.config;
    // Before listening: a broker told to check ACL must not serve a single request unchecked, nor start without it.
    const acl = config.aclEnable ? this.loadAcl() : undefined;
    if (acl !== undefined) this.server.registerRPCHook(plainAclHook(acl.validator));
    const port = await this.server.listen(config.listenPort, '0.0.0.0');
    if (config.listenPort !== port) {
      config.listenPort = port;
      config.haListenPort = port + 1;
    }
    const storeHost = toSocketAddress(config.brokerIP1, port);
    const store = this.storeFactory({ ...storeConfigOf(config, this.memory), logger: this.logger }, this.memory);
    const configDir = config.configDir;
    const topicConfigManager = new TopicConfigManager({ config, configDir, logger: this.logger });
    const subscriptionGroupManager = new SubscriptionGroupManager({ config, configDir, logger: this.logger });
    const consumerOffsetManager = new ConsumerOffsetManager({ configDir, flushInterval: config.flushConsumerOffsetInterval, logger: this.logger });
    const delayOffsetTable = new DelayOffsetTable({ configDir, logger: this.logger });
    try {
      await store.start();
      topicConfigManager.load();
      subscriptionGroupManager.load();
      consumerOffsetManager.load();
      delayOffsetTable.load();
    } catch (err) {
      // A broker that cannot load its store or config files must not keep the port (or the store) open.
      await store.shutdown().catch(() => undefined);
      await this.server.close(0);
      throw err;
    }
    consumerOffsetManager.start();

    const registration = new BrokerRegistration({
      config,
      topicConfigWrapper: () => topicConfigManager.buildTopicConfigSerializeWrapper(),
      logger: this.logger,
    });
    this.registration = registration;
    topicConfigManager.onChange((change) => {
      if (change.kind === 'deleted') void registration.registerBrokerAll();
      else registration.registerTopics([change.topicConfig]);
    });

    let ctxRef: BrokerContext | undefined;
    const pullRequestHoldService = new PullRequestHoldService({
      store,
      executeRequestWhenWakeup: (channel, request) => executeRequestWhenWakeup(ctxRef!, channel, request),
      sweepIntervalMillis: config.longPollingEnable ? LONG_POLLING_SWEEP_INTERVAL : config.shortPollingTimeMills,
      logger: this.logger,
    });
    const scheduleMessageService = new ScheduleMessageService({
      store,
      delayOffsetTable,
      messageDelayLevel: config.messageDelayLevel,
      storeHost,
      flushDelayOffsetInterval: config.flushDelayOffsetInterval,
      onDelivered: (topic, bytes) => this.stats.incPut(topic, 1, bytes),
      logger: this.logger,
    });
    const transactionalMessageService = new TransactionalMessageService({
      config,
      store,
      topicConfigManager,
      consumerOffsetManager,
      producerManager: this.producerManager,
      storeHost,
      logger: this.logger,
    });
    const ctx: BrokerContext = {
      config,
      store,
      topicConfigManager,
      subscriptionGroupManager,
      consumerOffsetManager,
      delayOffsetTable,
      consumerManager: this.consumerManager,
      producerManager: this.producerManager,
      clientNotifier: this.clientNotifier,
      pullRequestHoldService,
      rebalanceLockManager: this.rebalanceLockManager,
      sendQueue: this.sendQueue,
      filterCache: this.filterCache,
      stats: this.stats,
      scheduleMessageService,
      transactionalMessageService,
      storeHost,
      logger: this.logger,
      bootTimestamp: Date.now(),
      aclFile: acl?.file,
      registerBrokerAll: () => void registration.registerBrokerAll(),
    };
    ctxRef = ctx;
    this.context = ctx;

    if (config.longPollingEnable) {
      store.addMessageArrivingListener((topic, queueId, logicOffset, tagsCode, _storeTimestamp, _bitmap, propertiesString) =>
        pullRequestHoldService.notifyMessageArriving(topic, queueId, logicOffset, tagsCode, propertiesString),
      );
    }
    pullRequestHoldService.start();
    // Master only, as RocketMQ: a slave neither delivers delayed messages nor checks transactions.
    if (config.isMaster()) {
      scheduleMessageService.start();
      transactionalMessageService.start();
    }
    this.consumerManager.onChange((event) => {
      // A consumer that left its group gives up its ordered-queue locks at once (RocketMQ waits for expiry).
      if (event.event !== 'REGISTER') this.releaseLocksOfGone(event.group);
      if (event.event !== 'CHANGE') return;
      const channels = event.channels.map(remotingChannelOf).filter((c): c is RemotingChannel => c !== undefined);
      this.clientNotifier.notifyConsumerIdsChanged(event.group, channels);
    });
    this.server.on('channelClose', (channel) => this.onChannelClose(channel));
    for (const [code, handler] of BROKER_PROCESSORS) this.server.registerProcessor(code, this.bind(handler));

    this.housekeeping = setInterval(() => this.scanNotActiveChannel(), CLIENT_HOUSEKEEPING_INTERVAL);
    this.housekeeping.unref();
    if (acl !== undefined) {
      this.aclWatch = setInterval(() => this.reloadAcl(acl.file), ACL_FILE_CHECK_INTERVAL);
      this.aclWatch.unref();
    }
    this.stats.start();
    const results = await registration.start();
    this.logger.info(
      { brokerName: config.brokerName, brokerAddr: this.brokerAddr, namesrv: results, store: this.memory ? 'memory' : config.storePathRootDir },
      'The broker boot success',
    );
    return port;
  }

  /** Registers (or replaces) the handler of a request code, e.g. from a plugin. */
  registerProcessor(code: number, handler: BrokerRequestHandler): void {
    this.server.registerProcessor(code, this.bind(handler));
  }

  private bind(handler: BrokerRequestHandler) {
    return (channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand | null> | RemotingCommand | null => {
      try {
        const result = handler(this.ctx, channel, request);
        return result instanceof Promise ? result.catch((err: unknown) => this.failed(err, request)) : result;
      } catch (err) {
        return this.failed(err, request);
      }
    };
  }

  private failed(err: unknown, request: RemotingCommand): RemotingCommand {
    // Refusals carry their code and remark; anything else is a bug worth an error line.
    if (err instanceof RemotingCommandError || err instanceof BrokerConfigError) {
      this.logger.debug({ code: request.code, err: (err as Error).message }, 'request refused');
    } else {
      this.logger.error({ err, code: request.code }, 'request processing failed');
    }
    return failureResponse(err);
  }

  /** ClientHousekeepingService: connections silent for 120 s leave their groups and are closed. */
  private scanNotActiveChannel(): void {
    for (const info of [...this.consumerManager.scanNotActiveChannel(), ...this.producerManager.scanNotActiveChannel()]) {
      remotingChannelOf(info.channel)?.close('client channel expired');
    }
  }

  /** Ordered-queue locks of `group` held by clients no longer in it are released (RebalanceLockManager). */
  private releaseLocksOfGone(group: string): void {
    const alive = new Set(this.consumerManager.getConsumerGroupInfo(group)?.getAllClientId() ?? []);
    const released = this.rebalanceLockManager.releaseClientsNotIn(group, alive);
    if (released > 0) this.logger.info({ group, released }, 'released the queue locks of consumers that left');
  }

  private onChannelClose(channel: RemotingChannel): void {
    const clientChannel = clientChannelOf(channel);
    this.consumerManager.doChannelCloseEvent(channel.remoteAddress, clientChannel);
    this.producerManager.doChannelCloseEvent(channel.remoteAddress, clientChannel);
    this.context?.pullRequestHoldService.onChannelClose(channel);
  }

  /**
   * Graceful shutdown: unregister from the name servers, answer parked pulls and queued sends, finish in-flight
   * requests, persist offsets and configs, flush and close the store.
   */
  shutdown(): Promise<void> {
    this.shuttingDown ??= this.doShutdown();
    return this.shuttingDown;
  }

  private async doShutdown(): Promise<void> {
    clearInterval(this.housekeeping);
    clearInterval(this.aclWatch);
    this.stats.shutdown();
    const ctx = this.context;
    await this.registration?.shutdown();
    if (ctx === undefined) {
      await this.server.close(1000);
      return;
    }
    await ctx.pullRequestHoldService.shutdown();
    await Promise.all([ctx.scheduleMessageService.shutdown(), ctx.transactionalMessageService.shutdown()]);
    this.sendQueue.close();
    await this.server.close(5000);
    await Promise.all([
      ctx.consumerOffsetManager.shutdown(),
      ctx.topicConfigManager.persist(),
      ctx.subscriptionGroupManager.persist(),
      ctx.delayOffsetTable.persist(),
    ]);
    await ctx.store.shutdown();
    this.logger.info({ brokerName: this.config.brokerName }, 'The broker shut down');
  }
}
