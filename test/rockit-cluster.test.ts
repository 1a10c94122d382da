/**
 * `rockit cluster start|status|logs|stop`: name servers and brokers as detached processes of bin/rockit; a topic on
 * both brokers, one broker killed, producers fail over, status shows the dead node, stop leaves no process behind.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopic } from './helpers/admin.js';
import { aliMessage, aliProducer } from './helpers/ali-ons.js';
import { RockitProcess, buildCli, processAlive, rockit } from './helpers/rockit-cli.js';

interface Node {
  name: string;
  role: 'namesrv' | 'broker';
  addr: string;
  port: number;
  pid: number;
  logFile: string;
}
interface State {
  clusterName: string;
  namesrvAddr: string;
  nodes: Node[];
}
interface Status {
  healthy: boolean;
  nodes: Array<{ name: string; state: string; registered: string; diskBytes: number; pid: number }>;
}

let dir: string;
let started: State | undefined;
const everStarted: State[] = [];
beforeAll(() => {
  buildCli();
  dir = mkdtempSync(join(tmpdir(), 'rockit-cluster-test-'));
}, 180_000);
afterAll(async () => {
  // Whatever the test left running must not outlive it.
  const leftovers = readdirSync(dir)
    .map((name) => join(dir, name, 'cluster.json'))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as State);
  for (const node of [...everStarted, ...leftovers].flatMap((s) => s.nodes)) {
    if (node.pid !== undefined && processAlive(node.pid)) process.kill(node.pid, 'SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A base port whose whole block (name servers at base.., brokers at base+1035, +1045) is probably free. */
function randomBasePort(): number {
  return 20_000 + Math.floor(Math.random() * 20_000);
}

describe('rockit cluster', () => {
  it('starts 2 brokers, shows their status, survives a killed broker, and stops every process', async () => {
    const dataDir = join(dir, 'c2');
    let start = await rockit(['cluster', 'start', '--brokers', '2', '--data-dir', dataDir, '--base-port', String(randomBasePort()), '--json']);
    if (start.code !== 0 && /already in use/.test(start.stderr)) {
      start = await rockit(['cluster', 'start', '--brokers', '2', '--data-dir', dataDir, '--base-port', String(randomBasePort()), '--json']);
    }
    expect(start.stderr).toMatch(/✔ Wait until every broker is registered and routable/);
    expect(start.code).toBe(0);
    started = JSON.parse(start.stdout) as State;
    everStarted.push(started);
    expect(started.nodes.map((n) => [n.name, n.role])).toEqual([['namesrv-0', 'namesrv'], ['broker-a', 'broker'], ['broker-b', 'broker']]);
    expect(JSON.parse(readFileSync(join(dataDir, 'cluster.json'), 'utf8'))).toMatchObject({ nodes: started.nodes });
    for (const node of started.nodes) expect(processAlive(node.pid)).toBe(true);
    const [, brokerA, brokerB] = started.nodes as [Node, Node, Node];

    const status = await rockit(['cluster', 'status', '--data-dir', dataDir, '--json']);
    expect(status.code).toBe(0);
    const healthy = JSON.parse(status.stdout) as Status;
    expect(healthy.healthy).toBe(true);
    expect(healthy.nodes.map((n) => [n.name, n.state, n.registered])).toEqual([
      ['namesrv-0', 'running', '2 broker(s)'],
      ['broker-a', 'running', '1/1'],
      ['broker-b', 'running', '1/1'],
    ]);
    expect(healthy.nodes.find((n) => n.name === 'broker-a')!.diskBytes).toBeGreaterThan(0);

    // A topic on both brokers; ali-ons spreads sends over them.
    for (const broker of [brokerA, brokerB]) await createTopic(broker.addr, 'Spread', 2);
    await createTopic(brokerA.addr, 'Spread', 2, started.namesrvAddr);
    const producer = aliProducer(started.namesrvAddr, 'PID_cluster');
    try {
      await producer.ready();
      const before = new Set<string>();
      for (let i = 0; i < 8; i++) before.add((await producer.send(aliMessage('Spread', 'x', `before ${i}`))).messageQueue.brokerName);
      expect([...before].sort()).toEqual(['broker-a', 'broker-b']);

      process.kill(brokerB.pid, 'SIGKILL');
      const after: string[] = [];
      for (let i = 0; i < 8; i++) {
        const result = await producer.send(aliMessage('Spread', 'x', `after ${i}`));
        expect(result.sendStatus).toBe('SEND_OK');
        after.push(result.messageQueue.brokerName);
      }
      expect(new Set(after)).toEqual(new Set(['broker-a']));
    } finally {
      // ali-ons unregisters from every broker it knew at close, and rejects for the dead one.
      await producer.close().catch((err: Error) => expect(err.message).toMatch(/ECONNREFUSED/));
    }

    const degraded = JSON.parse((await rockit(['cluster', 'status', '--data-dir', dataDir, '--json'])).stdout) as Status;
    expect(degraded.healthy).toBe(false);
    expect(degraded.nodes.map((n) => [n.name, n.state, n.registered])).toEqual([
      ['namesrv-0', 'running', '1 broker(s)'],
      ['broker-a', 'running', '1/1'],
      ['broker-b', 'dead', '0/1'],
    ]);
    const table = await rockit(['cluster', 'status', '--data-dir', dataDir]);
    expect(table.stdout).toMatch(/^broker-b +broker +127\.0\.0\.1:\d+ +\d+ +dead +0\/1/m);
    expect(table.stdout).toMatch(/DefaultCluster: degraded/);

    const logs = await rockit(['cluster', 'logs', 'broker-a', '--data-dir', dataDir, '--lines', '0']);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/"msg":"The broker boot success"/);

    const stop = await rockit(['cluster', 'stop', '--data-dir', dataDir, '--json']);
    expect(stop.code).toBe(0);
    expect(JSON.parse(stop.stdout).nodes.map((n: { name: string; result: string }) => [n.name, n.result])).toEqual([
      ['namesrv-0', 'stopped'],
      ['broker-a', 'stopped'],
      ['broker-b', 'not running'],
    ]);
    for (const node of started.nodes) expect(processAlive(node.pid), `${node.name} pid ${node.pid}`).toBe(false);
    // broker-a shut down gracefully: its log ends with the orderly shutdown.
    expect(readFileSync(brokerA.logFile, 'utf8')).toMatch(/"msg":"The broker shut down"/);

    // Logs outlive the cluster; --follow prints what is appended until Ctrl-C.
    const follow = new RockitProcess(['cluster', 'logs', 'namesrv-0', '--data-dir', dataDir, '--lines', '1', '--follow']);
    try {
      await follow.waitFor(/"msg":"name server shut down"/);
      appendFileSync(started.nodes[0]!.logFile, '{"msg":"appended by the test"}\n');
      await follow.waitFor(/appended by the test/);
      expect(follow.stdout.trimEnd().split('\n')).toHaveLength(2);
    } finally {
      expect(await follow.stop('SIGINT')).toEqual({ code: 0, signal: null });
    }

    const again = await rockit(['cluster', 'status', '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: no cluster in .*c2 \(no cluster\.json\)/);
  }, 90_000);

  it('refuses to start over a running cluster and names the busy port of its plan', async () => {
    const dataDir = join(dir, 'c1');
    const base = randomBasePort();
    const first = await rockit(['cluster', 'start', '--data-dir', dataDir, '--base-port', String(base), '--memory', '--flush', 'sync', '--json']);
    expect(first.code, first.stderr).toBe(0);
    started = JSON.parse(first.stdout) as State;
    everStarted.push(started);
    try {
      expect(readFileSync(join(dataDir, 'broker-a', 'broker.conf'), 'utf8')).toMatch(/^flushDiskType=SYNC_FLUSH$/m);
      const twice = await rockit(['cluster', 'start', '--data-dir', dataDir, '--base-port', String(base)]);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toMatch(/^error: a cluster is already running in .*c1 \(namesrv-0 pid \d+, broker-a pid \d+\): rockit cluster stop/m);
      const elsewhere = await rockit(['cluster', 'start', '--data-dir', join(dir, 'c1b'), '--base-port', String(base)]);
      expect(elsewhere.code).toBe(1);
      expect(elsewhere.stderr).toMatch(new RegExp(`error: port ${base} \\(namesrv-0\\) is already in use: .* --base-port\\n$`));
    } finally {
      const stop = await rockit(['cluster', 'stop', '--data-dir', dataDir]);
      expect(stop.code).toBe(0);
    }
    for (const node of started.nodes) expect(processAlive(node.pid)).toBe(false);
  }, 60_000);
});
