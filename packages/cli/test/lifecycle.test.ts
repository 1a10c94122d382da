import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokerConf, namesrvProperties, planCluster, readClusterState, writeClusterState } from '../src/lifecycle/cluster-state.js';
import { explainListenError, PortInUseError } from '../src/lifecycle/listen-error.js';
import { HeldBackStream } from '../src/lifecycle/held-back-stream.js';
import { acquirePidLock } from '../src/lifecycle/pid-lock.js';
import { devBanner } from '../src/lifecycle/dev-banner.js';
import { isProcessRunning, waitForExit } from '../src/lifecycle/processes.js';
import { diskUsage } from '../src/lifecycle/disk-usage.js';
import { UsageError } from '../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'rockit-cli-lifecycle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('planCluster', () => {
  const plan = planCluster({ dataDir: '/data/c', brokers: 2, namesrvs: 2, basePort: 9876, flush: 'sync', memory: false });

  it('puts name servers on the base port and up, brokers on RocketMQ ports 10911, 10921 for base 9876', () => {
    expect(plan.nodes.map((n) => [n.name, n.role, n.addr])).toEqual([
      ['namesrv-0', 'namesrv', '127.0.0.1:9876'],
      ['namesrv-1', 'namesrv', '127.0.0.1:9877'],
      ['broker-a', 'broker', '127.0.0.1:10911'],
      ['broker-b', 'broker', '127.0.0.1:10921'],
    ]);
    expect(plan.namesrvAddr).toBe('127.0.0.1:9876;127.0.0.1:9877');
    expect(plan.nodes[2]).toMatchObject({ dir: '/data/c/broker-a', configFile: '/data/c/broker-a/broker.conf', logFile: '/data/c/logs/broker-a.log' });
  });

  it('writes a broker.conf registering with every name server, and a loopback namesrv.properties', () => {
    const conf = brokerConf(plan, plan.nodes[3]!);
    expect(conf).toContain('brokerName=broker-b\n');
    expect(conf).toContain('brokerClusterName=DefaultCluster\n');
    expect(conf).toContain('namesrvAddr=127.0.0.1:9876;127.0.0.1:9877\n');
    expect(conf).toContain('flushDiskType=SYNC_FLUSH\n');
    expect(conf).toContain('listenPort=10921\n');
    expect(conf).toContain('storePathRootDir=/data/c/broker-b/store\n');
    expect(namesrvProperties(plan.nodes[1]!)).toBe(
      'listenPort=9877\nbindAddress=127.0.0.1\nkvConfigPath=/data/c/namesrv-1/kvConfig.json\nconfigStorePath=/data/c/namesrv-1/namesrv.properties\n',
    );
  });

  it('refuses a base port whose block runs past 65534', () => {
    expect(() => planCluster({ dataDir: '/d', brokers: 3, namesrvs: 1, basePort: 64_480, flush: 'async', memory: false })).toThrow(UsageError);
  });

  it('round-trips through cluster.json', () => {
    const state = { ...planCluster({ dataDir: join(dir, 'state'), brokers: 1, namesrvs: 1, basePort: 20000, flush: 'async', memory: true }) };
    state.nodes[0]!.pid = 1234;
    writeClusterState(state);
    expect(readClusterState(join(dir, 'state'))).toEqual(state);
    expect(readClusterState(join(dir, 'nothing-here'))).toBeUndefined();
    writeFileSync(join(dir, 'state', 'cluster.json'), '{"version":7}');
    expect(() => readClusterState(join(dir, 'state'))).toThrow(/is not a rockit cluster file/);
  });
});

describe('explainListenError', () => {
  const uses = [
    { port: 9876, what: 'name server', flag: '--namesrv-port' },
    { port: 10911, what: 'broker', flag: '--broker-port' },
  ];
  const inUse = (port: number) => Object.assign(new Error(`listen EADDRINUSE: address already in use 127.0.0.1:${port}`), { code: 'EADDRINUSE', port });

  it('names the flag that moves the busy port', () => {
    const err = explainListenError(inUse(10911), uses);
    expect(err).toBeInstanceOf(PortInUseError);
    expect((err as Error).message).toBe('port 10911 (broker) is already in use: stop what listens there or choose another port with --broker-port');
  });

  it('still gives one line for a port set elsewhere, and leaves other errors alone', () => {
    expect((explainListenError(inUse(12345), uses) as Error).message).toMatch(/^port 12345 \(from the config file\) is already in use/);
    const other = Object.assign(new Error('listen EACCES'), { code: 'EACCES', port: 80 });
    expect(explainListenError(other, uses)).toBe(other);
  });
});

describe('HeldBackStream', () => {
  it('holds lines until released, then passes them on in order', () => {
    const out: string[] = [];
    const stream = new HeldBackStream({ write: (chunk: string) => out.push(chunk) });
    stream.write('a\n');
    stream.write('b\n');
    expect(out).toEqual([]);
    stream.release();
    stream.write('c\n');
    expect(out).toEqual(['a\n', 'b\n', 'c\n']);
  });
});

describe('acquirePidLock', () => {
  it('refuses a data dir locked by a live process and takes over a stale lock', async () => {
    const file = join(dir, 'dev.pid');
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', 'rockit']);
    try {
      writeFileSync(file, `${sleeper.pid}\n`);
      expect(() => acquirePidLock(file, 'rockit dev', 'rockit')).toThrow(`another rockit dev (pid ${sleeper.pid}) is using ${dir}`);
      // The pid file names a live process that is not a rockit: a recycled pid, the lock is stale.
      acquirePidLock(file, 'rockit dev', 'no-such-marker').release();
    } finally {
      sleeper.kill('SIGKILL');
      await new Promise((r) => sleeper.once('exit', r));
    }
    const lock = acquirePidLock(file, 'rockit dev');
    expect(readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
    lock.release();
    expect(existsSync(file)).toBe(false);
  });
});

describe('processes', () => {
  it('tells live from exited processes, and a pid running something else from ours', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', 'rockit-marker-x']);
    const pid = child.pid!;
    expect(isProcessRunning(pid)).toBe(true);
    expect(isProcessRunning(pid, 'rockit-marker-x')).toBe(true);
    expect(isProcessRunning(pid, 'some-other-config.conf')).toBe(false);
    child.kill('SIGTERM');
    expect(await waitForExit([pid], 5000)).toEqual([]);
    expect(isProcessRunning(pid)).toBe(false);
  });
});

describe('diskUsage', () => {
  it('sums the allocated blocks of a tree, and is 0 for a missing path', () => {
    const tree = mkdtempSync(join(dir, 'tree-'));
    const sub = mkdtempSync(join(tree, 'sub-'));
    writeFileSync(join(tree, 'a'), Buffer.alloc(10_000, 1));
    writeFileSync(join(sub, 'b'), Buffer.alloc(20_000, 1));
    expect(diskUsage(tree)).toBeGreaterThanOrEqual(30_000);
    expect(diskUsage(join(sub, 'b'))).toBeGreaterThanOrEqual(20_000);
    expect(diskUsage(tree)).toBeGreaterThan(diskUsage(sub));
    expect(diskUsage(join(dir, 'missing'))).toBe(0);
  });
});

describe('devBanner', () => {
  const endpoints = {
    namesrvAddr: '127.0.0.1:9876',
    brokers: [{ brokerName: 'broker-a', addr: '127.0.0.1:10911', clusterName: 'DefaultCluster' }],
    dataDir: '/home/u/.rockit/dev',
    store: 'file' as const,
    pid: 1,
  };

  it('shows the endpoints and copy-paste lines for Java and ali-ons clients', () => {
    const text = devBanner(endpoints, { topics: [], commands: ['dev', 'config'] });
    expect(text).toContain('name server: 127.0.0.1:9876');
    expect(text).toMatch(/broker +: broker-a {2}127\.0\.0\.1:10911 {2}cluster DefaultCluster/);
    expect(text).toContain('export NAMESRV_ADDR=127.0.0.1:9876');
    expect(text).toContain('sh bin/tools.sh org.apache.rocketmq.example.quickstart.Producer');
    expect(text).toContain("new Producer({ nameSrv: '127.0.0.1:9876', httpclient: true, producerGroup: 'PID_demo' })");
    expect(text).toContain('it needs the topic to exist: rockit dev -t TopicTest');
    expect(text).not.toContain('rockit produce');
  });

  it('gives rockit produce / consume lines when the plugins provide those commands', () => {
    const text = devBanner(endpoints, { topics: ['Orders'], commands: ['produce', 'consume', 'dev'] });
    expect(text).toContain('rockit produce Orders -n 127.0.0.1:9876 --body "hello" --tag TagA');
    expect(text).toContain('rockit consume Orders -n 127.0.0.1:9876 -g demo_group --from first');
  });

  it('points at the help of other produce / consume command shapes', () => {
    const text = devBanner(endpoints, { topics: ['Orders'], commands: ['produce:message', 'consume:stream', 'dev'] });
    expect(text).toContain('rockit produce message -n 127.0.0.1:9876 --help');
    expect(text).toContain('rockit consume stream -n 127.0.0.1:9876 --help');
    expect(text).toContain("subscribe('Orders', '*', handler)");
  });
});
