/**
 * A real rockit cluster for end-to-end tests: one name server and N brokers in this process, on free ports of
 * 127.0.0.1, storing in a fresh temp dir that `stop()` removes. A thin adapter over `startEmbeddedCluster`
 * (@rockit/broker), the same library other projects use for their tests.
 */
import { createLogger } from '@rockit/common';
import { startEmbeddedCluster, type BrokerConfigOverrides, type BrokerController, type MessageStoreFactory } from '@rockit/broker';
import type { NamesrvController } from '@rockit/namesrv';

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
  /** Live: restartBroker() replaces entries. */
  brokers: BrokerController[];
  dir: string;
  /** Stops broker `i` (graceful) and starts it again on the same port and store. */
  restartBroker(i?: number): Promise<BrokerController>;
  stop(): Promise<void>;
}

export const quietLogger = createLogger('e2e', { level: process.env.ROCKIT_LOG_LEVEL ?? 'silent' });

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const embedded = await startEmbeddedCluster({
    brokers: options.brokers ?? 1,
    memory: options.memory ?? false,
    ...(options.brokerConfig ? { brokerConfig: options.brokerConfig } : {}),
    ...(options.storeFactory ? { storeFactory: options.storeFactory } : {}),
    logger: quietLogger,
  });
  return {
    namesrvAddr: embedded.namesrvAddr,
    brokerAddr: embedded.brokers[0]!.addr,
    namesrv: embedded.namesrv,
    get brokers() {
      return embedded.brokers.map((b) => b.controller);
    },
    dir: embedded.dataDir,
    async restartBroker(i = 0) {
      return (await embedded.restartBroker(i)).controller;
    },
    stop: () => embedded.close(),
  };
}
