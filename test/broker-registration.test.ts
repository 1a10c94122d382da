/** Brokers and name servers in one process over real TCP: registration, routes, unregistration. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFastJson } from '@rockit/common';
import { BrokerController } from '@rockit/broker';
import { NamesrvController } from '@rockit/namesrv';
import { RemotingClient, RemotingCommand, RequestCode, ResponseCode, SendMessageRequestHeaderV2, encodeHeader } from '@rockit/remoting';
import { createTopic } from './helpers/admin.js';
import { quietLogger, startCluster, type Cluster } from './helpers/cluster.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function route(client: RemotingClient, namesrvAddr: string, topic: string): Promise<RemotingCommand> {
  return client.invokeSync(namesrvAddr, RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), 3000);
}

function brokerNamesOf(r: RemotingCommand): string[] {
  const data = parseFastJson(r.body!.toString()) as { queueDatas: { brokerName: string }[] };
  return data.queueDatas.map((q) => q.brokerName).sort();
}

describe('broker registration', () => {
  it('makes a topic routable on every broker that has it and drops a broker from routes when it shuts down', async () => {
    const cluster: Cluster = await startCluster({ brokers: 2, memory: true });
    cleanups.push(() => cluster.stop());
    const client = new RemotingClient({ logger: quietLogger });
    cleanups.push(() => client.close());
    // Each broker registered its system topics at start: its own broker-name topic is routable.
    expect((await route(client, cluster.namesrvAddr, 'broker-b')).code).toBe(0);
    await createTopic(cluster.brokers[0]!.brokerAddr, 'Shared', 4);
    await createTopic(cluster.brokers[1]!.brokerAddr, 'Shared', 2, cluster.namesrvAddr);
    for (let i = 0; i < 100 && brokerNamesOf(await route(client, cluster.namesrvAddr, 'Shared')).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(brokerNamesOf(await route(client, cluster.namesrvAddr, 'Shared'))).toEqual(['broker-a', 'broker-b']);

    await cluster.brokers[1]!.shutdown();
    expect(brokerNamesOf(await route(client, cluster.namesrvAddr, 'Shared'))).toEqual(['broker-a']);
    expect((await route(client, cluster.namesrvAddr, 'broker-b')).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('registers with every name server of namesrvAddr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rockit-reg-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const servers = [0, 1].map((i) => new NamesrvController({ listenPort: 0, bindAddress: '127.0.0.1', kvConfigPath: join(dir, `ns${i}`, 'kv.json') }, { logger: quietLogger }));
    for (const ns of servers) {
      await ns.start();
      cleanups.push(() => ns.shutdown());
    }
    const broker = new BrokerController({
      overrides: { brokerName: 'broker-x', brokerIP1: '127.0.0.1', listenPort: 0, storePathRootDir: join(dir, 'broker'), namesrvAddr: servers.map((s) => s.address).join(';') },
      memory: true,
      logger: quietLogger,
    });
    await broker.start();
    cleanups.push(() => broker.shutdown());
    const client = new RemotingClient({ logger: quietLogger });
    cleanups.push(() => client.close());
    for (const ns of servers) {
      const info = await client.invokeSync(ns.address, RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), 3000);
      expect(info.body!.toString()).toContain(`{0:"${broker.brokerAddr}"}`);
    }
  });

  it('routes a topic auto-created by a send through TBW102 (the Java client path): TBW102 is routable, then the new topic', async () => {
    const cluster: Cluster = await startCluster({ memory: true });
    cleanups.push(() => cluster.stop());
    const client = new RemotingClient({ logger: quietLogger });
    cleanups.push(() => client.close());
    const tbw = parseFastJson((await route(client, cluster.namesrvAddr, 'TBW102')).body!.toString()) as { queueDatas: { perm: number }[] };
    expect(tbw.queueDatas[0]!.perm).toBe(7);
    const header = encodeHeader(
      { producerGroup: 'PG', topic: 'JavaStyle', defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: 0, sysFlag: 0, bornTimestamp: Date.now(), flag: 0 },
      SendMessageRequestHeaderV2,
    );
    const sent = await client.invokeSync(cluster.brokerAddr, RemotingCommand.createRequest(RequestCode.SEND_MESSAGE_V2, header, Buffer.from('hi')), 3000);
    expect(sent.code).toBe(0);
    for (let i = 0; i < 100 && (await route(client, cluster.namesrvAddr, 'JavaStyle')).code !== 0; i++) await new Promise((r) => setTimeout(r, 20));
    const r = parseFastJson((await route(client, cluster.namesrvAddr, 'JavaStyle')).body!.toString()) as { queueDatas: { writeQueueNums: number; perm: number }[] };
    expect(r.queueDatas).toEqual([expect.objectContaining({ writeQueueNums: 4, perm: 6 })]);
  });
});
