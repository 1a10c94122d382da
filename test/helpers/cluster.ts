/**
 * A real rockit cluster for end-to-end tests: one name server and N brokers in this process, on free ports of
 * 127.0.0.1, storing in a fresh temp dir that `stop()` removes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@rockit/common';
import { BrokerController, type BrokerConfigOverrides, type MessageStoreFactory } from '@rockit/broker';
import { NamesrvController } from '@rockit/namesrv';

export interface ClusterOptions {
  /** Number of brokers (broker-a, broker-b, ...). Default 1. */
  brokers?: number;
  /** In-memory message stores (config JSON files still go to the temp dir). Default false: file stores. */
  memory?: boolean;
  /** broker.conf keys for every broker. */
  brokerConfig?: BrokerConfigOverrides;
  storeFactory?: MessageStoreFactory;
}

export interface Cluster {
  namesrvAddr: string;
  /** Address of the first broker. */
  brokerAddr: string;
  namesrv: NamesrvController;
  brokers: BrokerController[];
  dir: string;
  /** Stops broker `i` (graceful) and starts it again on the same port and store. */
  restartBroker(i?: number): Promise<BrokerController>;
  stop(): Promise<void>;
}

export const quietLogger = createLogger('e2e', { level: process.env.ROCKIT_LOG_LEVEL ?? 'silent' });

const BROKER_NAMES = 'abcdefghij';

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'rockit-cluster-'));
  const namesrv = new NamesrvController(
    { listenPort: 0, bindAddress: '127.0.0.1', kvConfigPath: join(dir, 'namesrv', 'kvConfig.json'), configStorePath: join(dir, 'namesrv', 'namesrv.properties') },
    { logger: quietLogger },
  );
  await namesrv.start();
  const namesrvAddr = namesrv.address;
  const brokers: BrokerController[] = [];

  const newBroker = (i: number, listenPort: number): BrokerController =>
    new BrokerController({
      overrides: {
        brokerClusterName: 'DefaultCluster',
        brokerName: `broker-${BROKER_NAMES[i]}`,
        brokerIP1: '127.0.0.1',
        listenPort,
        namesrvAddr,
        storePathRootDir: join(dir, `broker-${BROKER_NAMES[i]}`),
        ...options.brokerConfig,
      },
      memory: options.memory ?? false,
      ...(options.storeFactory ? { storeFactory: options.storeFactory } : {}),
      logger: quietLogger,
    });

  try {
    for (let i = 0; i < (options.brokers ?? 1); i++) {
      const broker = newBroker(i, 0);
      await broker.start();
      brokers.push(broker);
    }
  } catch (err) {
    await Promise.allSettled(brokers.map((b) => b.shutdown()));
    await namesrv.shutdown();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    namesrvAddr,
    brokerAddr: brokers[0]!.brokerAddr,
    namesrv,
    brokers,
    dir,
    async restartBroker(i = 0) {
      const old = brokers[i]!;
      await old.shutdown();
      const broker = newBroker(i, old.config.listenPort);
      await broker.start();
      brokers[i] = broker;
      return broker;
    },
    async stop() {
      await Promise.allSettled(brokers.map((b) => b.shutdown()));
      await namesrv.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
