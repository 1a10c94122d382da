/**
 * Broker registration with the name servers (rocketmq-protocol.md §12): REGISTER_BROKER sent in parallel to every
 * name server at start, every `registerNameServerPeriod` (clamped to 10–60 s), and after topic changes — those as
 * oneway calls carrying only the changed topics, as a 4.9.8 broker does. UNREGISTER_BROKER at shutdown.
 */
import { bodyCrc32, toFastJson, type Logger } from '@rockit/common';
import {
  RegisterBrokerRequestHeader,
  RemotingClient,
  RemotingCommand,
  RequestCode,
  UnregisterBrokerRequestHeader,
  encodeHeader,
} from '@rockit/remoting';
import type { BrokerConfig } from './config.js';
import type { DataVersion } from './data-version.js';
import type { TopicConfig } from './topic-config.js';

export interface BrokerRegistrationOptions {
  config: BrokerConfig;
  /** The topics and data version to announce. */
  topicConfigWrapper: () => { dataVersion: DataVersion; topicConfigTable: Map<string, TopicConfig> };
  logger: Logger;
}

export interface RegisterResult {
  namesrvAddr: string;
  ok: boolean;
  error?: string;
}

export class BrokerRegistration {
  private readonly client: RemotingClient;
  private timer: NodeJS.Timeout | undefined;
  private firstTimer: NodeJS.Timeout | undefined;
  /** Successful REGISTER_BROKER calls (runtime info, tests). */
  registeredTotal = 0;

  constructor(private readonly options: BrokerRegistrationOptions) {
    this.client = new RemotingClient({ logger: options.logger });
  }

  private get config(): BrokerConfig {
    return this.options.config;
  }

  /** Registers now, then every `registerNameServerPeriod` (first periodic run after 10 s, as RocketMQ). */
  async start(): Promise<RegisterResult[]> {
    const results = await this.registerBrokerAll();
    const period = Math.max(10_000, Math.min(60_000, this.config.registerNameServerPeriod));
    this.firstTimer = setTimeout(() => {
      void this.registerBrokerAll();
      this.timer = setInterval(() => void this.registerBrokerAll(), period);
      this.timer.unref();
    }, Math.min(10_000, period));
    this.firstTimer.unref();
    return results;
  }

  /** The RegisterBrokerBody; a broker that is not RW announces every topic with its own permission. */
  private body(only?: TopicConfig[]): Buffer {
    const wrapper = this.options.topicConfigWrapper();
    let table = wrapper.topicConfigTable;
    if (only !== undefined) table = new Map(only.map((tc) => [tc.topicName, tc]));
    const brokerPerm = this.config.brokerPermission;
    if ((brokerPerm & 6) !== 6) {
      table = new Map([...table].map(([name, tc]) => [name, { ...tc, perm: brokerPerm }]));
    }
    return Buffer.from(
      toFastJson({ filterServerList: [], topicConfigSerializeWrapper: { dataVersion: wrapper.dataVersion.toJSON(), topicConfigTable: table } }),
      'utf8',
    );
  }

  private request(body: Buffer): RemotingCommand {
    const c = this.config;
    const header = encodeHeader(
      {
        brokerName: c.brokerName,
        brokerAddr: c.brokerAddr,
        clusterName: c.brokerClusterName,
        haServerAddr: `${c.haServerIP}:${c.haListenPort}`,
        brokerId: c.brokerId,
        compressed: false,
        bodyCrc32: bodyCrc32(body),
      },
      RegisterBrokerRequestHeader,
    );
    return RemotingCommand.createRequest(RequestCode.REGISTER_BROKER, header, body);
  }

  /** REGISTER_BROKER with every topic to every name server, in parallel; never throws. */
  async registerBrokerAll(): Promise<RegisterResult[]> {
    const body = this.body();
    return Promise.all(
      this.config.namesrvAddrList.map(async (addr): Promise<RegisterResult> => {
        try {
          const response = await this.client.invokeSync(addr, this.request(body), this.config.registerBrokerTimeoutMills);
          if (response.code !== 0) throw new Error(`code ${response.code}: ${response.remark ?? ''}`);
          this.registeredTotal++;
          return { namesrvAddr: addr, ok: true };
        } catch (err) {
          this.options.logger.warn({ err, namesrvAddr: addr }, 'register broker to name server failed');
          return { namesrvAddr: addr, ok: false, error: (err as Error).message };
        }
      }),
    );
  }

  /** After a topic change: oneway REGISTER_BROKER carrying only `topics`. */
  registerTopics(topics: TopicConfig[]): void {
    const body = this.body(topics);
    for (const addr of this.config.namesrvAddrList) {
      this.client.invokeOneway(addr, this.request(body).markOneway(), this.config.registerBrokerTimeoutMills).catch((err: unknown) => {
        this.options.logger.warn({ err, namesrvAddr: addr }, 'oneway register broker failed');
      });
    }
  }

  /** Stops the periodic registration and sends UNREGISTER_BROKER to every name server. */
  async shutdown(): Promise<void> {
    clearTimeout(this.firstTimer);
    clearInterval(this.timer);
    const c = this.config;
    const header = { brokerName: c.brokerName, brokerAddr: c.brokerAddr, clusterName: c.brokerClusterName, brokerId: c.brokerId };
    await Promise.all(
      c.namesrvAddrList.map(async (addr) => {
        try {
          await this.client.invokeSync(
            addr,
            RemotingCommand.createRequest(RequestCode.UNREGISTER_BROKER, encodeHeader(header, UnregisterBrokerRequestHeader)),
            Math.min(3000, c.registerBrokerTimeoutMills),
          );
        } catch (err) {
          this.options.logger.warn({ err, namesrvAddr: addr }, 'unregister broker from name server failed');
        }
      }),
    );
    await this.client.close();
  }
}
