/**
 * A RocketMQ client we did not write (ali-ons 3.12.0, pure JS) fetching routes from our name server.
 * ali-ons needs a broker for producing or consuming; here its MQClientAPI's name server calls are enough.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { MQVersion, RemotingClient, RequestCode } from '@rockit/remoting';
import { registerRequest, silentLogger, startNamesrv } from './helpers.js';

const require = createRequire(import.meta.url);

interface AliOnsRoute {
  queueDatas: Array<{ brokerName: string; readQueueNums: number; writeQueueNums: number; perm: number }>;
  brokerDatas: Array<{ brokerName: string; cluster: string; brokerAddrs: Record<string, string> }>;
}
interface AliOnsClientApi {
  ready(): Promise<void>;
  close(): Promise<void>;
  getTopicRouteInfoFromNameServer(topic: string, timeoutMillis: number): Promise<AliOnsRoute>;
}
type AliOnsClientApiClass = new (options: Record<string, unknown>) => AliOnsClientApi;

const MQClientAPI = require('ali-ons/lib/mq_client_api') as AliOnsClientApiClass;
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function registerBroker(addr: string, brokerName: string, brokerAddr: string, queues: Record<string, number>): Promise<RemotingClient> {
  const broker = new RemotingClient({ logger: silentLogger });
  const response = await broker.invokeSync(addr, registerRequest(Object.keys(queues), { brokerName, brokerAddr, queues }));
  expect(response.code).toBe(0);
  return broker;
}

describe('ali-ons against the name server', () => {
  it('fetches a two-broker route (ali-ons sends version 121, so gets fastjson-native JSON and parses it)', async () => {
    const ns = await startNamesrv();
    cleanups.push(() => ns.close());
    const a = await registerBroker(ns.addr, 'broker-a', '127.0.0.1:10911', { AliOnsTopic: 4 });
    const b = await registerBroker(ns.addr, 'broker-b', '127.0.0.1:10921', { AliOnsTopic: 2 });
    cleanups.push(() => a.close(), () => b.close());

    const seen: Array<{ version: number; body: string }> = [];
    ns.controller.remotingServer.registerRPCHook({
      doAfterResponse: (_addr, request, response) => {
        if (request.code === RequestCode.GET_ROUTEINFO_BY_TOPIC) seen.push({ version: request.version, body: response?.body?.toString() ?? '' });
      },
    });

    const api = new MQClientAPI({ nameSrv: ns.addr, httpclient: {}, logger: quiet });
    cleanups.push(() => api.close());
    await api.ready();
    const route = await api.getTopicRouteInfoFromNameServer('AliOnsTopic', 3000);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.version).toBe(MQVersion.V3_4_9);
    expect(seen[0]!.body).toContain('"brokerAddrs":{0:"127.0.0.1:10911"}');
    expect(route.queueDatas.map((q) => [q.brokerName, q.writeQueueNums, q.perm])).toEqual([['broker-a', 4, 6], ['broker-b', 2, 6]]);
    expect(route.brokerDatas.map((d) => [d.brokerName, d.brokerAddrs['0']])).toEqual([
      ['broker-a', '127.0.0.1:10911'],
      ['broker-b', '127.0.0.1:10921'],
    ]);
  });

  it('sees TOPIC_NOT_EXIST as an MQClientException with code 17', async () => {
    const ns = await startNamesrv();
    cleanups.push(() => ns.close());
    const api = new MQClientAPI({ nameSrv: ns.addr, httpclient: {}, logger: quiet });
    cleanups.push(() => api.close());
    await api.ready();
    await expect(api.getTopicRouteInfoFromNameServer('Missing', 3000)).rejects.toMatchObject({
      name: 'MQClientException',
      code: 17,
      message: expect.stringContaining('No topic route info in name server for the topic: Missing'),
    });
  });
});
