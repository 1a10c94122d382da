/**
 * `rockit namesrv start` and `rockit broker start` as two foreground processes, as an operator runs them:
 * pino lines on stdout, the broker routable through the name server, SIGTERM unregisters it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NamesrvProbe } from '@rockit/broker';
import { quietLogger } from './helpers/cluster.js';
import { freePorts, holdPort, rockit, rockitSuite } from './helpers/rockit-cli.js';

const suite = rockitSuite('rockit-servers-test-');
const start = (args: string[]) => suite.start(args);

function pinoLines(stdout: string): Array<{ level: number; name: string; msg: string; pid: number }> {
  return stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { level: number; name: string; msg: string; pid: number });
}

describe('rockit namesrv start + rockit broker start', () => {
  it('registers the broker (route visible), and SIGTERM unregisters it before the broker exits 0', async () => {
    const [namesrvPort, brokerPort] = await freePorts(2);
    const namesrvAddr = `127.0.0.1:${namesrvPort}`;
    const namesrv = start(['namesrv', 'start', '--port', String(namesrvPort), '--bind-address', '127.0.0.1', '--data-dir', join(suite.dir, 'namesrv')]);
    await namesrv.waitFor(/The Name Server boot success/);

    const conf = join(suite.dir, 'broker.conf');
    writeFileSync(conf, ['brokerClusterName=OpsCluster', 'brokerName=broker-ops', 'brokerIP1=127.0.0.1', 'flushDiskType=SYNC_FLUSH', ''].join('\n'));
    const broker = start(['broker', 'start', '-c', conf, '-n', namesrvAddr, '--port', String(brokerPort), '--data-dir', join(suite.dir, 'broker')]);
    await broker.waitFor(/The broker boot success/);

    const probe = new NamesrvProbe(3000, quietLogger);
    try {
      expect(await probe.brokers(namesrvAddr)).toEqual([
        { clusterName: 'OpsCluster', brokerName: 'broker-ops', brokerId: 0, addr: `127.0.0.1:${brokerPort}` },
      ]);
      expect(await probe.routeBrokerNames(namesrvAddr, 'TBW102')).toEqual(['broker-ops']);

      const [otherPort] = await freePorts(1);
      const twin = await rockit(['broker', 'start', '-n', namesrvAddr, '--port', String(otherPort), '--data-dir', join(suite.dir, 'broker'), '--log-level', 'silent']);
      expect(twin.code).toBe(1);
      expect(twin.stderr).toBe(`error: another broker (pid ${broker.pid}) is using ${join(suite.dir, 'broker')}: stop it first or choose another --data-dir\n`);

      expect(await broker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      // Unregistered by the broker itself: the name server has no route although it is still running.
      expect(await probe.brokers(namesrvAddr)).toEqual([]);
      expect(await probe.routeBrokerNames(namesrvAddr, 'TBW102')).toEqual([]);
      expect(namesrv.stdout).toMatch(/"brokerName":"broker-ops".*"msg":"unregisterBroker"/);
    } finally {
      await probe.close();
    }
    expect(await namesrv.stop('SIGINT')).toEqual({ code: 0, signal: null });

    const namesrvLog = pinoLines(namesrv.stdout);
    expect(namesrvLog.every((l) => l.name === 'NamesrvController' && l.pid === namesrv.pid && typeof l.level === 'number')).toBe(true);
    expect(namesrvLog.at(-1)!.msg).toBe('name server shut down');
    const brokerLog = pinoLines(broker.stdout);
    expect(brokerLog.map((l) => l.msg)).toEqual(expect.arrayContaining(['The broker boot success', 'shutting down the broker', 'The broker shut down']));
  });

  it('reports a port in use in one line and a bad broker.conf key by name, exit 1', async () => {
    const { port, release } = await holdPort();
    try {
      const namesrvBusy = await rockit(['namesrv', 'start', '--port', String(port), '--bind-address', '127.0.0.1', '--data-dir', join(suite.dir, 'ns2'), '--log-level', 'silent']);
      expect(namesrvBusy.code).toBe(1);
      expect(namesrvBusy.stderr).toBe(`error: port ${port} (name server) is already in use: stop what listens there or choose another port with --port\n`);
      const brokerBusy = await rockit(['broker', 'start', '--port', String(port), '--data-dir', join(suite.dir, 'b2'), '--log-level', 'silent']);
      expect(brokerBusy.code).toBe(1);
      expect(brokerBusy.stderr).toMatch(new RegExp(`^error: port ${port} \\(broker \\S+\\) is already in use: .* with --port\n$`));
    } finally {
      await release();
    }

    const conf = join(suite.dir, 'bad.conf');
    writeFileSync(conf, 'listenPort=twelve\n');
    const bad = await rockit(['broker', 'start', '-c', conf, '--log-level', 'silent']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: .*listenPort.*\n$/);

    // --acl with a file that is not there: no broker without its ACL, said in one line.
    const missing = join(suite.dir, 'no-such-acl.yml');
    const noAcl = await rockit(['broker', 'start', '--acl', missing, '--data-dir', join(suite.dir, 'b3'), '--log-level', 'silent']);
    expect(noAcl.code).toBe(1);
    expect(noAcl.stderr).toMatch(new RegExp(`^error: aclEnable=true but ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be read: .*\n$`));
  });

  it('checks plain ACL with --acl: the broker boots with the file\'s accounts', async () => {
    const [namesrvPort, brokerPort] = await freePorts(2);
    const namesrv = start(['namesrv', 'start', '--port', String(namesrvPort), '--bind-address', '127.0.0.1', '--data-dir', join(suite.dir, 'ns-acl')]);
    await namesrv.waitFor(/The Name Server boot success/);
    const acl = join(suite.dir, 'plain_acl.yml');
    writeFileSync(acl, 'accounts:\n  - accessKey: RocketMQ\n    secretKey: 12345678\n    admin: true\n');
    const broker = start(['broker', 'start', '--acl', acl, '-n', `127.0.0.1:${namesrvPort}`, '--port', String(brokerPort), '--data-dir', join(suite.dir, 'b-acl')]);
    await broker.waitFor(/The broker boot success/);
    expect(broker.stdout).toMatch(/"accounts":1,.*"msg":"plain ACL enabled"/);
    expect(await broker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await namesrv.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });
});
