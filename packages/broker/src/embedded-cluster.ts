/**
 * A name server and broker(s) in this process, on loopback: what `rockit dev` runs, and what another project's
 * test suite starts to test its Node service against a real RocketMQ-protocol broker (no Java, no Docker).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '@rockit/common';
import { NamesrvController } from '@rockit/namesrv';
import { BrokerController, type MessageStoreFactory } from './broker-controller.js';
import type { BrokerConfigOverrides } from './config.js';
import { parseProperties } from './config/properties.js';
import { newTopicConfig } from './topic-config.js';

export interface EmbeddedClusterOptions {
  /** In-memory message stores (topic/group/offset JSON files still go to the data dir). Default false. */
  memory?: boolean;
  /** Keep everything here (and keep it after close); default: a fresh temp dir removed by close(). */
  dataDir?: string;
  /** Number of brokers, named broker-a, broker-b, ... in cluster `DefaultCluster`. Default 1. */
  brokers?: number;
  /** Name server port on 127.0.0.1; 0 (default) picks a free one. */
  namesrvPort?: number;
  /** First broker's port; broker i listens on brokerPort + 10·i (HA keeps port + 1 free). 0 (default): free ports. */
  brokerPort?: number;
  /** A broker.conf read for every broker; its keys win over the defaults above, `brokerConfig` wins over it. */
  brokerConfigFile?: string;
  /** broker.conf keys for every broker, applied last (`namesrvAddr` is always the embedded name server). */
  brokerConfig?: BrokerConfigOverrides;
  /**
   * Topics to create on every broker (UPDATE_AND_CREATE_TOPIC's effect, `defaultTopicQueueNums` queues) before it
   * resolves, routable: clients such as ali-ons do not auto-create topics. Existing topics are left as they are.
   */
  topics?: readonly string[];
  /** Wraps or replaces the message store (tests: slow or failing stores). */
  storeFactory?: MessageStoreFactory;
  /** plain_acl.yml of every broker; checked when `aclEnable` is set (in `brokerConfig` or the broker.conf). */
  aclConfigFile?: string;
  /** Where the servers log; default a pino logger at ROCKIT_LOG_LEVEL (or 'silent' when unset). */
  logger?: Logger;
}

export interface EmbeddedBroker {
  brokerName: string;
  /** `127.0.0.1:<port>` as registered with the name server. */
  addr: string;
  controller: BrokerController;
}

export interface EmbeddedCluster {
  /** `127.0.0.1:<port>`: what clients put in nameSrv / NAMESRV_ADDR. */
  namesrvAddr: string;
  namesrv: NamesrvController;
  /** Live list: restartBroker() replaces an entry's controller. */
  brokers: EmbeddedBroker[];
  dataDir: string;
  /** Stops broker `i` gracefully and starts it again on the same port and store directory. */
  restartBroker(i?: number): Promise<EmbeddedBroker>;
  /** Brokers first (unregister, persist, flush), then the name server; removes a temp data dir. Idempotent. */
  close(): Promise<void>;
}

export const EMBEDDED_CLUSTER_NAME = 'DefaultCluster';
const BROKER_PORT_STEP = 10;
const ROUTE_WAIT_MILLIS = 10_000;

/** broker-a ... broker-z, then broker-27, ... */
export function embeddedBrokerName(i: number): string {
  return i < 26 ? `broker-${String.fromCharCode(97 + i)}` : `broker-${i + 1}`;
}

/** The keys a broker.conf sets, so the file wins over the embedded defaults but not over explicit overrides. */
function keysOf(file: string | undefined): Set<string> {
  if (file === undefined) return new Set();
  return new Set(parseProperties(readFileSync(file, 'utf8')).keys());
}

export async function startEmbeddedCluster(options: EmbeddedClusterOptions = {}): Promise<EmbeddedCluster> {
  const count = options.brokers ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`brokers must be a positive integer (got ${count})`);
  const logger = options.logger ?? createLogger('rockit-embedded', { level: process.env.ROCKIT_LOG_LEVEL ?? 'silent' });
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rockit-embedded-'));
  const fileKeys = keysOf(options.brokerConfigFile);
  const brokers: EmbeddedBroker[] = [];
  let namesrv: NamesrvController | undefined;

  const newBroker = (i: number, port: number): BrokerController => {
    const defaults: BrokerConfigOverrides = {
      brokerClusterName: EMBEDDED_CLUSTER_NAME,
      brokerName: embeddedBrokerName(i),
      brokerIP1: '127.0.0.1',
      listenPort: port,
      storePathRootDir: join(dataDir, embeddedBrokerName(i)),
    };
    for (const key of fileKeys) delete defaults[key as keyof BrokerConfigOverrides];
    return new BrokerController({
      ...(options.brokerConfigFile !== undefined ? { configFile: options.brokerConfigFile } : {}),
      overrides: { ...defaults, ...options.brokerConfig, namesrvAddr: namesrv!.address },
      memory: options.memory ?? false,
      ...(options.storeFactory ? { storeFactory: options.storeFactory } : {}),
      ...(options.aclConfigFile !== undefined ? { aclConfigFile: options.aclConfigFile } : {}),
      logger,
    });
  };

  const startBroker = async (i: number, port: number): Promise<EmbeddedBroker> => {
    const controller = newBroker(i, port);
    try {
      await controller.start();
    } catch (err) {
      await controller.shutdown().catch(() => undefined);
      throw err;
    }
    const broker = { brokerName: controller.config.brokerName, addr: controller.brokerAddr, controller };
    // start() registered already; a refusal there is only logged, but this cluster promises a routable broker.
    const route = namesrv!.routeInfoManager.getAllClusterInfo().brokerAddrTable.get(broker.brokerName);
    if (route === undefined) {
      await controller.shutdown().catch(() => undefined);
      throw new Error(`${broker.brokerName} (${broker.addr}) did not register with the name server ${namesrv!.address}`);
    }
    return broker;
  };

  /** Creates the missing `topics` on every broker and waits until the name server routes them to all brokers. */
  const createTopics = async (): Promise<void> => {
    const topics = options.topics ?? [];
    for (const { controller } of brokers) {
      const manager = controller.ctx.topicConfigManager;
      for (const topic of topics) {
        if (manager.selectTopicConfig(topic) !== undefined) continue;
        const queueNums = controller.config.defaultTopicQueueNums;
        try {
          manager.updateTopicConfig(newTopicConfig(topic, { readQueueNums: queueNums, writeQueueNums: queueNums }));
        } catch (err) {
          throw new Error(`cannot create topic '${topic}': ${(err as Error).message}`, { cause: err });
        }
      }
    }
    const deadline = Date.now() + ROUTE_WAIT_MILLIS;
    for (const topic of topics) {
      for (;;) {
        const routed = new Set(namesrv!.routeInfoManager.pickupTopicRouteData(topic)?.brokerDatas.map((b) => b.brokerName));
        if (brokers.every((b) => routed.has(b.brokerName))) break;
        if (Date.now() > deadline) throw new Error(`topic ${topic} is not routed to every broker after ${ROUTE_WAIT_MILLIS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await Promise.allSettled(brokers.map((b) => b.controller.shutdown()));
      await namesrv?.shutdown();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    })());

  try {
    namesrv = new NamesrvController(
      {
        listenPort: options.namesrvPort ?? 0,
        bindAddress: '127.0.0.1',
        kvConfigPath: join(dataDir, 'namesrv', 'kvConfig.json'),
        configStorePath: join(dataDir, 'namesrv', 'namesrv.properties'),
      },
      { logger },
    );
    await namesrv.start();
    const base = options.brokerPort ?? 0;
    for (let i = 0; i < count; i++) brokers.push(await startBroker(i, base === 0 ? 0 : base + BROKER_PORT_STEP * i));
    await createTopics();
  } catch (err) {
    await close();
    throw err;
  }

  return {
    namesrvAddr: namesrv.address,
    namesrv,
    brokers,
    dataDir,
    async restartBroker(i = 0) {
      const old = brokers[i];
      if (old === undefined) throw new RangeError(`no broker ${i} (there are ${brokers.length})`);
      await old.controller.shutdown();
      const broker = await startBroker(i, old.controller.config.listenPort);
      brokers[i] = broker;
      return broker;
    },
    close,
  };
}
