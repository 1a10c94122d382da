/**
 * The cluster file `rockit cluster start` writes (`<data dir>/cluster.json`) and `stop`, `status` and `logs` read:
 * which processes make up the cluster, where they listen, and where their data, config and logs are.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

export type ClusterRole = 'namesrv' | 'broker';
export type FlushMode = 'sync' | 'async';

export interface ClusterNode {
  /** namesrv-0, namesrv-1, ... / broker-a, broker-b, ... (the brokerName). */
  name: string;
  role: ClusterRole;
  /** 127.0.0.1:<port> */
  addr: string;
  port: number;
  /** Set once the process is spawned. */
  pid?: number;
  /** The node's own directory: its config file, and for a broker its store. */
  dir: string;
  configFile: string;
  logFile: string;
}

export interface ClusterState {
  version: 1;
  clusterName: string;
  dataDir: string;
  createdAt: string;
  flush: FlushMode;
  memory: boolean;
  /** Every name server, `;`-separated, as clients take it. */
  namesrvAddr: string;
  nodes: ClusterNode[];
}

export const CLUSTER_NAME = 'DefaultCluster';
export const CLUSTER_FILE = 'cluster.json';
/** Broker i listens on basePort + BROKER_PORT_OFFSET + 10·i: base 9876 gives RocketMQ's 10911, 10921, ... */
export const BROKER_PORT_OFFSET = 1035;
export const BROKER_PORT_STEP = 10;

export function defaultClusterDir(): string {
  return join(homedir(), '.rockit', 'cluster');
}

export function clusterFile(dataDir: string): string {
  return join(dataDir, CLUSTER_FILE);
}

export function brokerName(i: number): string {
  return i < 26 ? `broker-${String.fromCharCode(97 + i)}` : `broker-${i + 1}`;
}

export interface ClusterPlanOptions {
  dataDir: string;
  brokers: number;
  namesrvs: number;
  basePort: number;
  flush: FlushMode;
  memory: boolean;
}

/** Names, ports and paths of every node, before anything starts. */
export function planCluster(o: ClusterPlanOptions): ClusterState {
  const node = (name: string, role: ClusterRole, port: number, configName: string): ClusterNode => ({
    name,
    role,
    addr: `127.0.0.1:${port}`,
    port,
    dir: join(o.dataDir, name),
    configFile: join(o.dataDir, name, configName),
    logFile: join(o.dataDir, 'logs', `${name}.log`),
  });
  const namesrvs = Array.from({ length: o.namesrvs }, (_, j) => node(`namesrv-${j}`, 'namesrv', o.basePort + j, 'namesrv.properties'));
  const brokers = Array.from({ length: o.brokers }, (_, i) =>
    node(brokerName(i), 'broker', o.basePort + BROKER_PORT_OFFSET + BROKER_PORT_STEP * i, 'broker.conf'),
  );
  const last = [...namesrvs, ...brokers].reduce((max, n) => Math.max(max, n.port), 0);
  if (last > 65534) throw new UsageError(`--base-port ${o.basePort} puts ports past 65534 (up to ${last}); choose a lower one`);
  if (o.namesrvs > BROKER_PORT_OFFSET) throw new UsageError(`at most ${BROKER_PORT_OFFSET} name servers`);
  return {
    version: 1,
    clusterName: CLUSTER_NAME,
    dataDir: o.dataDir,
    createdAt: new Date().toISOString(),
    flush: o.flush,
    memory: o.memory,
    namesrvAddr: namesrvs.map((n) => n.addr).join(';'),
    nodes: [...namesrvs, ...brokers],
  };
}

/** namesrv.properties for a name server node (RocketMQ key names). */
export function namesrvProperties(node: ClusterNode): string {
  return [
    `listenPort=${node.port}`,
    'bindAddress=127.0.0.1',
    `kvConfigPath=${join(node.dir, 'kvConfig.json')}`,
    `configStorePath=${join(node.dir, 'namesrv.properties')}`,
    '',
  ].join('\n');
}

/** broker.conf for a broker node: a master of the cluster, registered with every name server. */
export function brokerConf(state: ClusterState, node: ClusterNode): string {
  return [
    `brokerClusterName=${state.clusterName}`,
    `brokerName=${node.name}`,
    'brokerId=0',
    'brokerRole=ASYNC_MASTER',
    `flushDiskType=${state.flush === 'sync' ? 'SYNC_FLUSH' : 'ASYNC_FLUSH'}`,
    'brokerIP1=127.0.0.1',
    `listenPort=${node.port}`,
    `namesrvAddr=${state.namesrvAddr}`,
    `storePathRootDir=${join(node.dir, 'store')}`,
    '',
  ].join('\n');
}

export function writeClusterState(state: ClusterState): void {
  mkdirSync(state.dataDir, { recursive: true });
  const file = clusterFile(state.dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** The cluster file in `dataDir`, or undefined when there is none. */
export function readClusterState(dataDir: string): ClusterState | undefined {
  const file = clusterFile(dataDir);
  if (!existsSync(file)) return undefined;
  let state: ClusterState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (state.version !== 1 || !Array.isArray(state.nodes)) throw new Error(`${file} is not a rockit cluster file`);
  return state;
}

export function removeClusterState(dataDir: string): void {
  rmSync(clusterFile(dataDir), { force: true });
}

/** What identifies a node's process in its command line: its config file path. */
export function processMarker(node: ClusterNode): string {
  return node.configFile;
}
