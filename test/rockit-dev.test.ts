/**
 * `rockit dev` as a user runs it: a child process on free ports, used by a third-party client (ali-ons),
 * stopped with Ctrl-C (SIGINT) and started again on the same data dir.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from './helpers/admin.js';
import { aliConsumer, aliMessage, aliProducer, type AliMessage } from './helpers/ali-ons.js';
import { freePorts, holdPort, rockit, rockitSuite } from './helpers/rockit-cli.js';

const suite = rockitSuite('rockit-dev-test-');
const dev = (args: string[]) => suite.start(['dev', ...args]);

describe('rockit dev', () => {
  it('serves ali-ons, exits 0 on SIGINT, and keeps the messages for the next start on the same --data-dir', async () => {
    const [namesrvPort, brokerPort] = await freePorts(2);
    const dataDir = join(suite.dir, 'dev');
    const args = ['--data-dir', dataDir, '--namesrv-port', String(namesrvPort), '--broker-port', String(brokerPort), '-t', 'DevOrders'];
    const first = dev(args);
    await first.waitFor(/Ctrl-C stops it/);
    const namesrvAddr = `127.0.0.1:${namesrvPort}`;
    expect(first.stdout).toContain(`name server: ${namesrvAddr}`);
    expect(first.stdout).toMatch(new RegExp(`broker +: broker-a {2}127\\.0\\.0\\.1:${brokerPort}`));
    expect(first.stdout).toContain(`export NAMESRV_ADDR=${namesrvAddr}`);

    const producer = aliProducer(namesrvAddr, 'PID_dev');
    await producer.ready();
    const sent: string[] = [];
    for (let i = 0; i < 10; i++) {
      const result = await producer.send(aliMessage('DevOrders', i % 2 === 0 ? 'created' : 'paid', `order ${i}`, `order-${i}`));
      expect(result.sendStatus).toBe('SEND_OK');
      sent.push(`order ${i}`);
    }
    await producer.close();

    expect(await first.stop('SIGINT')).toEqual({ code: 0, signal: null });
    expect(first.stderr).toMatch(/SIGINT: shutting down[\s\S]*rockit dev stopped/);

    const second = dev(args);
    await second.waitFor(/Ctrl-C stops it/);
    const received = new Map<string, AliMessage>();
    const consumer = aliConsumer(namesrvAddr, 'CID_dev');
    consumer.subscribe('DevOrders', '*', async (msg) => {
      received.set(Buffer.from(msg.body).toString(), msg);
    });
    await consumer.ready();
    await eventually(() => received.size === sent.length, 'the 10 messages sent before the restart');
    expect([...received.keys()].sort()).toEqual([...sent].sort());
    expect(received.get('order 3')).toMatchObject({ tags: 'paid', keys: 'order-3' });
    await consumer.close();
    expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('prints its endpoints as JSON with --json, in memory with --memory', async () => {
    const [namesrvPort, brokerPort] = await freePorts(2);
    const p = dev(['--data-dir', join(suite.dir, 'json'), '--namesrv-port', String(namesrvPort), '--broker-port', String(brokerPort), '--memory', '--json']);
    await p.waitFor(/^}$/m);
    expect(JSON.parse(p.stdout)).toEqual({
      namesrvAddr: `127.0.0.1:${namesrvPort}`,
      brokers: [{ brokerName: 'broker-a', addr: `127.0.0.1:${brokerPort}`, clusterName: 'DefaultCluster' }],
      dataDir: join(suite.dir, 'json'),
      store: 'memory',
      pid: p.pid,
    });
    expect(await p.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('fails with one line naming the flag when a port is in use, and when the data dir is taken', async () => {
    const { port: taken, release } = await holdPort();
    try {
      const [free1, free2] = await freePorts(2);
      const namesrvBusy = await rockit(['dev', '--data-dir', join(suite.dir, 'busy'), '--namesrv-port', String(taken), '--broker-port', String(free1)]);
      expect(namesrvBusy.code).toBe(1);
      expect(namesrvBusy.stderr).toBe(`error: port ${taken} (name server) is already in use: stop what listens there or choose another port with --namesrv-port\n`);
      const brokerBusy = await rockit(['dev', '--data-dir', join(suite.dir, 'busy'), '--namesrv-port', String(free2), '--broker-port', String(taken)]);
      expect(brokerBusy.code).toBe(1);
      expect(brokerBusy.stderr).toBe(`error: port ${taken} (broker) is already in use: stop what listens there or choose another port with --broker-port\n`);
    } finally {
      await release();
    }

    const [n1, b1, n2, b2] = await freePorts(4);
    const owner = dev(['--data-dir', join(suite.dir, 'shared'), '--namesrv-port', String(n1), '--broker-port', String(b1), '--memory']);
    await owner.waitFor(/Ctrl-C stops it/);
    const second = await rockit(['dev', '--data-dir', join(suite.dir, 'shared'), '--namesrv-port', String(n2), '--broker-port', String(b2)]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^error: another rockit dev \\(pid ${owner.pid}\\) is using .*shared: stop it first or choose another --data-dir\\n$`));
    expect(await owner.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });
});
