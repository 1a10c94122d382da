import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseFastJson } from '@rockit/common';
import { RemotingClient, RemotingCommand, RequestCode, encodeHeader, CreateTopicRequestHeader } from '@rockit/remoting';
import { NamesrvProbe, startEmbeddedCluster, type EmbeddedCluster } from '@rockit/broker';
import { quiet, sendRequest } from './runtime-helpers.js';

const require = createRequire(import.meta.url);

let client: RemotingClient;
const open: EmbeddedCluster[] = [];
beforeAll(() => {
  client = new RemotingClient({ logger: quiet });
});
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});
afterAll(async () => {
  await client.close();
});

async function started(options: Parameters<typeof startEmbeddedCluster>[0]): Promise<EmbeddedCluster> {
  const cluster = await startEmbeddedCluster({ logger: quiet, ...options });
  open.push(cluster);
  return cluster;
}

/** GET_ROUTEINFO_BY_TOPIC over TCP: the broker names a client would see, or the response code. */
async function routeBrokers(namesrvAddr: string, topic: string): Promise<string[] | number> {
  const response = await client.invokeSync(namesrvAddr, RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), 3000);
  if (response.code !== 0) return response.code;
  const route = parseFastJson(response.body!.toString('utf8')) as { brokerDatas: { brokerName: string }[] };
  return route.brokerDatas.map((b) => b.brokerName).sort();
}

function freePortHolder(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('startEmbeddedCluster', () => {
  it('resolves with the broker already routable for TBW102, on free loopback ports', async () => {
    const cluster = await started({});
    expect(cluster.namesrvAddr).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(cluster.brokers.map((b) => b.brokerName)).toEqual(['broker-a']);
    expect(cluster.brokers[0]!.addr).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await routeBrokers(cluster.namesrvAddr, 'TBW102')).toEqual(['broker-a']);
  });

  it('is seen by a NamesrvProbe: registered brokers, and routes by topic', async () => {
    const cluster = await started({ brokers: 2, memory: true });
    const probe = new NamesrvProbe(2000, quiet);
    try {
      expect(await probe.brokers(cluster.namesrvAddr)).toEqual(
        cluster.brokers.map((b) => ({ clusterName: 'DefaultCluster', brokerName: b.brokerName, brokerId: 0, addr: b.addr })),
      );
      expect(await probe.routeBrokerNames(cluster.namesrvAddr, 'TBW102')).toEqual(['broker-a', 'broker-b']);
      expect(await probe.routeBrokerNames(cluster.namesrvAddr, 'NoSuchTopic')).toEqual([]);
      await cluster.brokers[1]!.controller.shutdown();
      expect((await probe.brokers(cluster.namesrvAddr)).map((b) => b.brokerName)).toEqual(['broker-a']);
    } finally {
      await probe.close();
    }
  });

  it('starts several brokers in one cluster, on consecutive ports when a first port is given', async () => {
    const holder = await freePortHolder();
    const port = (holder.address() as { port: number }).port;
    await new Promise((r) => holder.close(r));
    const cluster = await started({ brokers: 2, brokerPort: port, memory: true });
    expect(cluster.brokers.map((b) => b.addr)).toEqual([`127.0.0.1:${port}`, `127.0.0.1:${port + 10}`]);
    expect(await routeBrokers(cluster.namesrvAddr, 'TBW102')).toEqual(['broker-a', 'broker-b']);
  });

  it('keeps messages in a file store across a broker restart, and removes its temp dir at close', async () => {
    const cluster = await started({});
    const { dataDir } = cluster;
    const addr = cluster.brokers[0]!.addr;
    const header = encodeHeader(
      { topic: 'EmbeddedT', defaultTopic: 'TBW102', readQueueNums: 1, writeQueueNums: 1, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false },
      CreateTopicRequestHeader,
    );
    expect((await client.invokeSync(addr, RemotingCommand.createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, header), 5000)).code).toBe(0);
    expect((await client.invokeSync(addr, sendRequest('EmbeddedT', 'kept'), 5000)).code).toBe(0);
    const restarted = await cluster.restartBroker(0);
    expect(restarted.addr).toBe(addr);
    expect(cluster.brokers[0]).toBe(restarted);
    expect(restarted.controller.store.getMaxOffsetInQueue('EmbeddedT', 0)).toBe(1);
    expect(await routeBrokers(cluster.namesrvAddr, 'EmbeddedT')).toEqual(['broker-a']);
    await cluster.close();
    open.pop();
    expect(existsSync(dataDir)).toBe(false);
  });

  it('creates the topics it is given on every broker, routable before it resolves', async () => {
    const cluster = await started({ brokers: 2, memory: true, topics: ['Orders', 'Payments'], brokerConfig: { defaultTopicQueueNums: 3 } });
    for (const topic of ['Orders', 'Payments']) expect(await routeBrokers(cluster.namesrvAddr, topic)).toEqual(['broker-a', 'broker-b']);
    expect(cluster.brokers[1]!.controller.ctx.topicConfigManager.selectTopicConfig('Orders')).toMatchObject({ readQueueNums: 3, writeQueueNums: 3 });
    await expect(startEmbeddedCluster({ topics: ['bad topic!'], logger: quiet })).rejects.toThrow(/cannot create topic 'bad topic!'/);
  });

  it('uses and keeps a given data dir, with each broker store under <dataDir>/<brokerName>', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rockit-embedded-test-'));
    try {
      const cluster = await startEmbeddedCluster({ dataDir, logger: quiet });
      await cluster.close();
      expect(readdirSync(dataDir).sort()).toEqual(['broker-a']);
      expect(readdirSync(join(dataDir, 'broker-a')).sort()).toEqual(expect.arrayContaining(['commitlog', 'config']));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reads a broker.conf whose keys win over the defaults, and overrides that win over the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rockit-embedded-conf-'));
    try {
      const conf = join(dir, 'broker.conf');
      writeFileSync(conf, 'brokerName=orders\nbrokerClusterName=Shop\ndefaultTopicQueueNums=3\n');
      const cluster = await started({ brokerConfigFile: conf, brokerConfig: { defaultTopicQueueNums: 5 }, memory: true });
      const { controller } = cluster.brokers[0]!;
      expect(cluster.brokers[0]!.brokerName).toBe('orders');
      expect(controller.config.brokerClusterName).toBe('Shop');
      expect(controller.config.defaultTopicQueueNums).toBe(5);
      expect(controller.config.namesrvAddr).toBe(cluster.namesrvAddr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects when a port is taken and leaves nothing running or on disk', async () => {
    const holder = await freePortHolder();
    const port = (holder.address() as { port: number }).port;
    // A private TMPDIR, so data dirs of tests running in other workers cannot be mistaken for leftovers.
    const privateTmp = mkdtempSync(join(tmpdir(), 'rockit-embedded-test-'));
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      await expect(startEmbeddedCluster({ brokerPort: port, logger: quiet })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      await expect(startEmbeddedCluster({ namesrvPort: port, logger: quiet })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(readdirSync(privateTmp)).toEqual([]);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      rmSync(privateTmp, { recursive: true, force: true });
      await new Promise((r) => holder.close(r));
    }
  });

  it('serves a third-party client as the README shows (ali-ons produce + consume)', async () => {
    // The README example, nearly verbatim.
    const { Producer, Consumer, Message } = require('ali-ons');
    const silent = { info() {}, warn() {}, error() {}, debug() {} };
    const cluster = await started({ memory: true, topics: ['Orders'] });
    const producer = new Producer({ nameSrv: cluster.namesrvAddr, httpclient: true, producerGroup: 'PID_orders', logger: silent });
    producer.on('error', () => {}); // the shared ali-ons client reports the consumer's missing %RETRY% route here too
    await producer.ready();
    const result = await producer.send(new Message('Orders', 'created', 'order 42'));
    expect(result.sendStatus).toBe('SEND_OK');
    const consumer = new Consumer({ nameSrv: cluster.namesrvAddr, httpclient: true, consumerGroup: 'CID_orders', logger: silent, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    consumer.on('error', () => {}); // ali-ons reports the not-yet-created %RETRY% route as an error
    const got = new Promise<string>((resolve) => consumer.subscribe('Orders', '*', async (msg: { body: Buffer }) => resolve(msg.body.toString())));
    await consumer.ready();
    expect(await got).toBe('order 42');
    await consumer.close();
    await producer.close();
  });
});
