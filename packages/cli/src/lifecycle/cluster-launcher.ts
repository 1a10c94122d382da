/**
 * Starting and stopping the processes of a local cluster (`rockit cluster start|stop`): each name server and
 * broker is `node bin/rockit namesrv|broker start -c <its config>`, detached, logging to `<data dir>/logs/`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname } from 'node:path';
import type { NamesrvProbe } from '@rockit/broker';
import { brokerConf, namesrvProperties, processMarker, type ClusterNode, type ClusterState } from './cluster-state.js';
import { PortInUseError } from './listen-error.js';
import { isProcessRunning, signalProcess, sleep, waitForExit } from './processes.js';

/** The address a node's server binds: name servers loopback only, brokers (as RocketMQ's) every interface. */
function bindHost(node: ClusterNode): string {
  return node.role === 'namesrv' ? '127.0.0.1' : '0.0.0.0';
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Fails with one line naming the first port of the plan that something else holds. */
export async function checkPortsFree(state: ClusterState): Promise<void> {
  for (const node of state.nodes) {
    if (!(await portFree(node.port, bindHost(node)))) {
      throw new PortInUseError({ port: node.port, what: node.name, flag: '--base-port' });
    }
  }
}

/** Writes each node's namesrv.properties / broker.conf. */
export function writeNodeConfigs(state: ClusterState): void {
  for (const node of state.nodes) {
    mkdirSync(node.dir, { recursive: true });
    writeFileSync(node.configFile, node.role === 'namesrv' ? namesrvProperties(node) : brokerConf(state, node));
  }
}

/** The last lines of a node's log, for an error message. */
export function logTail(node: ClusterNode, lines = 3): string {
  try {
    return readFileSync(node.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** The reason a node's process wrote before dying: the `error: ...` line, or pino's last msg. */
function deathReason(node: ClusterNode): string {
  const tail = logTail(node, 20).split('\n').reverse();
  const cliError = tail.find((line) => line.startsWith('error: '));
  if (cliError !== undefined) return cliError.slice('error: '.length);
  for (const line of tail) {
    try {
      const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
      if (entry.err?.message || entry.msg) return entry.err?.message ?? entry.msg!;
    } catch {
      // not a pino line
    }
  }
  return `see ${node.logFile}`;
}

/** Spawns `node <rockitBin> <role> start -c <config>` detached from this process, output appended to its log. */
export function spawnNode(rockitBin: string, state: ClusterState, node: ClusterNode): ChildProcess {
  mkdirSync(dirname(node.logFile), { recursive: true });
  const log = openSync(node.logFile, 'a');
  const args = [rockitBin, node.role, 'start', '-c', node.configFile, '--log-level', 'info'];
  if (node.role === 'broker' && state.memory) args.push('--memory');
  const env = { ...process.env };
  delete env.NAMESRV_ADDR; // the config file names the cluster's own name servers
  try {
    const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], env });
    node.pid = child.pid;
    return child;
  } finally {
    closeSync(log);
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves once the node accepts TCP connections; rejects (with the reason from its log) if it exits first. */
export async function waitUntilListening(child: ChildProcess, node: ClusterNode, timeoutMillis: number): Promise<void> {
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    if (exited !== undefined) throw new Error(`${node.name} exited (code ${exited}): ${deathReason(node)}`);
    if (await accepts(node.port)) return;
    if (Date.now() > deadline) throw new Error(`${node.name} did not listen on ${node.addr} within ${timeoutMillis} ms (log: ${node.logFile})`);
    await sleep(50);
  }
}

/** Name server -> broker names whose registered address matches the plan. */
export async function registrations(state: ClusterState, probe: NamesrvProbe): Promise<Map<string, Set<string> | Error>> {
  const brokers = state.nodes.filter((n) => n.role === 'broker');
  const out = new Map<string, Set<string> | Error>();
  await Promise.all(
    state.nodes
      .filter((n) => n.role === 'namesrv')
      .map(async (ns) => {
        try {
          const registered = await probe.brokers(ns.addr);
          const names = new Set(
            brokers.filter((b) => registered.some((r) => r.brokerName === b.name && r.addr === b.addr && r.clusterName === state.clusterName)).map((b) => b.name),
          );
          out.set(ns.name, names);
        } catch (err) {
          out.set(ns.name, err as Error);
        }
      }),
  );
  return out;
}

/**
 * Polls every name server until each has every broker registered and routes TBW102 to all of them (what
 * producers of new topics need). `report` gets "3/4 registrations".
 */
export async function waitForRegistrations(state: ClusterState, probe: NamesrvProbe, timeoutMillis: number, report: (status: string) => void): Promise<void> {
  const brokers = state.nodes.filter((n) => n.role === 'broker');
  const namesrvs = state.nodes.filter((n) => n.role === 'namesrv');
  const want = brokers.length * namesrvs.length;
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const seen = await registrations(state, probe);
    const done = [...seen.values()].reduce((sum, v) => sum + (v instanceof Error ? 0 : v.size), 0);
    report(`${done}/${want} registrations`);
    if (done === want) {
      const routes = await Promise.all(namesrvs.map((ns) => probe.routeBrokerNames(ns.addr, 'TBW102').catch((): string[] => [])));
      if (routes.every((names) => brokers.every((b) => names.includes(b.name)))) return;
    }
    for (const node of brokers) {
      if (node.pid !== undefined && !isProcessRunning(node.pid, processMarker(node))) throw new Error(`${node.name} exited: ${deathReason(node)}`);
    }
    if (Date.now() > deadline) throw new Error(`only ${done} of ${want} broker registrations after ${timeoutMillis} ms (logs in ${dirname(brokers[0]!.logFile)})`);
    await sleep(100);
  }
}

export type StopResult = 'stopped' | 'killed' | 'not running';

/**
 * Brokers first (so they unregister while the name servers still listen), then name servers: SIGTERM, and
 * SIGKILL for whatever still runs `graceMillis` later. Resolves when every process is gone.
 */
export async function stopNodes(state: ClusterState, graceMillis: number): Promise<Map<string, StopResult>> {
  const results = new Map<string, StopResult>();
  for (const role of ['broker', 'namesrv'] as const) {
    const nodes = state.nodes.filter((n) => n.role === role);
    const running = nodes.filter((n) => n.pid !== undefined && isProcessRunning(n.pid, processMarker(n)));
    for (const n of nodes) if (!running.includes(n)) results.set(n.name, 'not running');
    for (const n of running) signalProcess(n.pid!, 'SIGTERM');
    const stubborn = new Set(await Promise.all(running.map(async (n) => ((await waitForExit([n.pid!], graceMillis, processMarker(n))).length > 0 ? n : undefined))));
    for (const n of running) {
      if (!stubborn.has(n)) {
        results.set(n.name, 'stopped');
        continue;
      }
      signalProcess(n.pid!, 'SIGKILL');
      await waitForExit([n.pid!], 5000, processMarker(n));
      results.set(n.name, 'killed');
    }
  }
  return results;
}
