/**
 * A real rockit cluster for end-to-end tests: @rockit/broker's embedded cluster (one name server and N brokers in
 * this process, on free ports of 127.0.0.1, storing in a fresh temp dir), seen as the controllers tests poke at.
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
  const cluster: Cluster = {
    namesrvAddr: embedded.namesrvAddr,
    brokerAddr: embedded.brokers[0]!.addr,
    namesrv: embedded.namesrv,
    brokers: embedded.brokers.map((b) => b.controller),
    dir: embedded.dataDir,
    async restartBroker(i = 0) {
      const restarted = await embedded.restartBroker(i);
      cluster.brokers[i] = restarted.controller;
      return restarted.controller;
    },
    stop: () => embedded.close(),
  };
  return cluster;
}
