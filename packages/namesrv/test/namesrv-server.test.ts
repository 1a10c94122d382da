import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFastJson, type FastJsonValue } from '@rockit/common';
import { MQVersion, RemotingClient, RemotingCommand, RequestCode, ResponseCode, SerializeType } from '@rockit/remoting';
import { registerRequest, silentLogger, startNamesrv } from './helpers.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(config: Parameters<typeof startNamesrv>[0] = {}) {
  const ns = await startNamesrv(config);
  const client = new RemotingClient({ logger: silentLogger });
  cleanups.push(() => ns.close(), () => client.close());
  return { ...ns, client };
}

function routeRequest(topic: string, version: number = MQVersion.V4_9_8): RemotingCommand {
  const request = RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic });
  request.version = version;
  return request;
}

function bodyJson(response: RemotingCommand): Record<string, FastJsonValue> {
  return parseFastJson(response.body!.toString('utf8')) as Record<string, FastJsonValue>;
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMillis = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('NamesrvController over loopback TCP', () => {
  it('registers a broker and serves its routes, in standard JSON for 4.9.4+ and fastjson-native for older clients', async () => {
    const { client, addr } = await setup();
    const reg = await client.invokeSync(addr, registerRequest(['TopicTest', 'TBW102']));
    expect(reg.code).toBe(ResponseCode.SUCCESS);

    const modern = await client.invokeSync(addr, routeRequest('TopicTest'));
    expect(modern.code).toBe(ResponseCode.SUCCESS);
    expect(modern.body!.toString()).toBe(
      '{"brokerDatas":[{"brokerAddrs":{"0":"127.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],' +
        '"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}',
    );
    const old = await client.invokeSync(addr, routeRequest('TopicTest', MQVersion.V3_4_9));
    expect(old.body!.toString()).toContain('"brokerAddrs":{0:"127.0.0.1:10911"}');

    const asked = routeRequest('TopicTest', MQVersion.V3_4_9);
    asked.addExtField('acceptStandardJsonOnly', 'true');
    expect((await client.invokeSync(addr, asked)).body!.toString()).toContain('"brokerAddrs":{"0":"127.0.0.1:10911"}');
  });

  it('answers TOPIC_NOT_EXIST for an unknown topic, in the serialize type of the request', async () => {
    const { client, addr } = await setup();
    const request = routeRequest('NoSuchTopic');
    request.serializeType = SerializeType.ROCKETMQ;
    const response = await client.invokeSync(addr, request);
    expect(response.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(response.remark).toMatch(/^No topic route info in name server for the topic: NoSuchTopic/);
    expect(response.serializeType).toBe(SerializeType.ROCKETMQ);
  });

  it('returns cluster info with a master and its slave, and tells the slave where its master is', async () => {
    const { client, addr } = await setup();
    await client.invokeSync(addr, registerRequest(['T'], { brokerAddr: '127.0.0.1:10911' }));
    const slave = await client.invokeSync(addr, registerRequest(['T'], { brokerId: 1, brokerAddr: '127.0.0.1:20911' }));
    expect(slave.extFields).toMatchObject({ masterAddr: '127.0.0.1:10911', haServerAddr: '127.0.0.1:10912' });

    const info = await client.invokeSync(addr, RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO));
    expect(info.body!.toString()).toBe(
      '{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.1:20911"},"brokerName":"broker-a","cluster":"DefaultCluster"}},' +
        '"clusterAddrTable":{"DefaultCluster":["broker-a"]}}',
    );
  });

  it('accepts the compressed registration form and a oneway registration', async () => {
    const { client, addr } = await setup();
    await client.invokeSync(addr, registerRequest(['Zipped'], { compressed: true }));
    expect((await client.invokeSync(addr, routeRequest('Zipped'))).code).toBe(ResponseCode.SUCCESS);

    await client.invokeOneway(addr, registerRequest(['%RETRY%cg'], { counter: 2 }));
    await eventually(async () => (await client.invokeSync(addr, routeRequest('%RETRY%cg'))).code === ResponseCode.SUCCESS, 'the oneway registration is applied');
    expect((await client.invokeSync(addr, routeRequest('Zipped'))).code).toBe(ResponseCode.SUCCESS);
  });

  it('rejects a body whose crc32 does not match, and a registration missing a header field', async () => {
    const { client, addr } = await setup();
    const tampered = registerRequest(['T']);
    tampered.body = Buffer.from(tampered.body!.toString().replace('"T"', '"X"'));
    const bad = await client.invokeSync(addr, tampered);
    expect([bad.code, bad.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'crc32 not match']);

    const missing = registerRequest(['T']);
    delete missing.extFields!.brokerName;
    const res = await client.invokeSync(addr, missing);
    expect(res.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(res.remark).toContain('brokerName');

    const garbage = registerRequest(['T']);
    garbage.body = Buffer.from('{not json');
    garbage.extFields!.bodyCrc32 = '0';
    const g = await client.invokeSync(addr, garbage);
    expect(g.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(g.remark).toContain('RegisterBrokerBody');

    // Still serving.
    expect((await client.invokeSync(addr, registerRequest(['T']))).code).toBe(ResponseCode.SUCCESS);
  });

  it('answers REQUEST_CODE_NOT_SUPPORTED for a code it does not serve', async () => {
    const { client, addr } = await setup();
    const response = await client.invokeSync(addr, RemotingCommand.createRequest(RequestCode.SEND_MESSAGE));
    expect(response.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
  });

  it('removes a broker at once when its connection closes', async () => {
    const { client, addr } = await setup();
    const other = new RemotingClient({ logger: silentLogger });
    cleanups.push(() => other.close());
    await client.invokeSync(addr, registerRequest(['Leaving'], { brokerName: 'broker-a', brokerAddr: '127.0.0.1:10911' }));
    await other.invokeSync(addr, registerRequest(['Staying'], { brokerName: 'broker-b', brokerAddr: '127.0.0.1:10921' }));

    await client.closeChannel(addr);
    await eventually(async () => (await other.invokeSync(addr, routeRequest('Leaving'))).code === ResponseCode.TOPIC_NOT_EXIST, 'the route disappears');
    expect((await other.invokeSync(addr, routeRequest('Staying'))).code).toBe(ResponseCode.SUCCESS);
  });

  it('expires a silent broker and closes its connection', async () => {
    const { client, addr, controller } = await setup({ brokerChannelExpiredTime: 300, scanNotActiveBrokerInterval: 50 });
    const closed = new Promise<void>((resolve) => client.once('channelClose', () => resolve()));
    await client.invokeSync(addr, registerRequest(['Quiet']));
    await closed;
    expect(controller.routeInfoManager.pickupTopicRouteData('Quiet')).toBeUndefined();
    expect(controller.routeInfoManager.brokerLiveTable.size).toBe(0);
  });

  it('unregisters a broker on UNREGISTER_BROKER', async () => {
    const { client, addr } = await setup();
    await client.invokeSync(addr, registerRequest(['T']));
    const res = await client.invokeSync(
      addr,
      RemotingCommand.createRequest(RequestCode.UNREGISTER_BROKER, {
        brokerName: 'broker-a', brokerAddr: '127.0.0.1:10911', clusterName: 'DefaultCluster', brokerId: '0',
      }),
    );
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect((await client.invokeSync(addr, routeRequest('T'))).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('runs two name servers independently', async () => {
    const a = await setup();
    const b = await setup();
    const broker = new RemotingClient({ logger: silentLogger });
    cleanups.push(() => broker.close());
    // A broker registers with every name server.
    for (const addr of [a.addr, b.addr]) await broker.invokeSync(addr, registerRequest(['Everywhere']));
    await broker.invokeSync(a.addr, registerRequest(['OnlyA'], { counter: 2 }));

    expect((await a.client.invokeSync(a.addr, routeRequest('OnlyA'))).code).toBe(ResponseCode.SUCCESS);
    expect((await b.client.invokeSync(b.addr, routeRequest('OnlyA'))).code).toBe(ResponseCode.TOPIC_NOT_EXIST);

    await a.controller.shutdown();
    expect((await b.client.invokeSync(b.addr, routeRequest('Everywhere'))).code).toBe(ResponseCode.SUCCESS);
  });

  it('lists topics: all, by cluster, system topics', async () => {
    const { client, addr } = await setup();
    await client.invokeSync(addr, registerRequest(['A', 'B'], { clusterName: 'c1' }));
    await client.invokeSync(addr, registerRequest(['C'], { clusterName: 'c2', brokerName: 'broker-b', brokerAddr: '127.0.0.1:10921' }));
    const all = bodyJson(await client.invokeSync(addr, RemotingCommand.createRequest(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER)));
    expect((all.topicList as string[]).sort()).toEqual(['A', 'B', 'C']);
    const c1 = bodyJson(await client.invokeSync(addr, RemotingCommand.createRequest(RequestCode.GET_TOPICS_BY_CLUSTER, { cluster: 'c1' })));
    expect((c1.topicList as string[]).sort()).toEqual(['A', 'B']);
    const sys = bodyJson(await client.invokeSync(addr, RemotingCommand.createRequest(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS)));
    expect((sys.topicList as string[]).sort()).toEqual(['broker-a', 'broker-b', 'c1', 'c2']);
    expect(['127.0.0.1:10911', '127.0.0.1:10921']).toContain(sys.brokerAddr);

    const del = await client.invokeSync(addr, RemotingCommand.createRequest(RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic: 'A' }));
    expect(del.code).toBe(ResponseCode.SUCCESS);
    expect((await client.invokeSync(addr, routeRequest('A'))).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('wipes and adds write permission of a broker', async () => {
    const { client, addr } = await setup();
    await client.invokeSync(addr, registerRequest(['A', 'B']));
    const wipe = await client.invokeSync(addr, RemotingCommand.createRequest(RequestCode.WIPE_WRITE_PERM_OF_BROKER, { brokerName: 'broker-a' }));
    expect(wipe.extFields).toEqual({ wipeTopicCount: '2' });
    expect(bodyJson(await client.invokeSync(addr, routeRequest('A'))).queueDatas).toMatchObject([{ perm: 4 }]);
    const add = await client.invokeSync(addr, RemotingCommand.createRequest(RequestCode.ADD_WRITE_PERM_OF_BROKER, { brokerName: 'broker-a' }));
    expect(add.extFields).toEqual({ addTopicCount: '2' });
    expect(bodyJson(await client.invokeSync(addr, routeRequest('A'))).queueDatas).toMatchObject([{ perm: 6 }]);
  });

  it('answers QUERY_DATA_VERSION and counts an unchanged version as a heartbeat', async () => {
    const { client, addr } = await setup();
    await client.invokeSync(addr, registerRequest(['T'], { counter: 7 }));
    const query = (counter: number) =>
      client.invokeSync(
        addr,
        RemotingCommand.createRequest(
          RequestCode.QUERY_DATA_VERSION,
          { brokerName: 'broker-a', brokerAddr: '127.0.0.1:10911', clusterName: 'DefaultCluster', brokerId: '0' },
          Buffer.from(`{"counter":${counter},"timestamp":1700000000000}`),
        ),
      );
    const same = await query(7);
    expect(same.extFields).toEqual({ changed: 'false' });
    expect(same.body!.toString()).toBe('{"counter":7,"timestamp":1700000000000}');
    expect((await query(8)).extFields).toEqual({ changed: 'true' });
  });

  it('stores KV config, hands ORDER_TOPIC_CONFIG to brokers and to routes when orderMessageEnable is on', async () => {
    const { client, addr, controller } = await setup({ orderMessageEnable: true });
    const kv = (code: number, fields: Record<string, string>) => client.invokeSync(addr, RemotingCommand.createRequest(code, fields));
    expect((await kv(RequestCode.PUT_KV_CONFIG, { namespace: 'ORDER_TOPIC_CONFIG', key: 'Ordered', value: 'broker-a:4' })).code).toBe(ResponseCode.SUCCESS);
    expect((await kv(RequestCode.GET_KV_CONFIG, { namespace: 'ORDER_TOPIC_CONFIG', key: 'Ordered' })).extFields).toEqual({ value: 'broker-a:4' });
    expect((await kv(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace: 'ORDER_TOPIC_CONFIG' })).body!.toString()).toBe('{"table":{"Ordered":"broker-a:4"}}');
    expect(readFileSync(controller.config.kvConfigPath, 'utf8')).toBe('{"configTable":{"ORDER_TOPIC_CONFIG":{"Ordered":"broker-a:4"}}}');

    const reg = await client.invokeSync(addr, registerRequest(['Ordered']));
    expect(reg.body!.toString()).toBe('{"table":{"Ordered":"broker-a:4"}}');
    expect(bodyJson(await client.invokeSync(addr, routeRequest('Ordered'))).orderTopicConf).toBe('broker-a:4');

    expect((await kv(RequestCode.DELETE_KV_CONFIG, { namespace: 'ORDER_TOPIC_CONFIG', key: 'Ordered' })).code).toBe(ResponseCode.SUCCESS);
    const gone = await kv(RequestCode.GET_KV_CONFIG, { namespace: 'ORDER_TOPIC_CONFIG', key: 'Ordered' });
    expect([gone.code, gone.remark]).toEqual([ResponseCode.QUERY_NOT_FOUND, 'No config item, Namespace: ORDER_TOPIC_CONFIG Key: Ordered']);
    expect((await kv(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace: 'nothing' })).code).toBe(ResponseCode.QUERY_NOT_FOUND);
  });

  it('keeps KV config across a restart', async () => {
    const first = await startNamesrv();
    const client = new RemotingClient({ logger: silentLogger });
    cleanups.push(() => client.close());
    await client.invokeSync(first.addr, RemotingCommand.createRequest(RequestCode.PUT_KV_CONFIG, { namespace: 'ns', key: 'k', value: 'v' }));
    const kvConfigPath = first.controller.config.kvConfigPath;
    await first.controller.shutdown();

    const second = await startNamesrv({ kvConfigPath });
    cleanups.push(() => second.close(), () => first.close());
    const res = await client.invokeSync(second.addr, RemotingCommand.createRequest(RequestCode.GET_KV_CONFIG, { namespace: 'ns', key: 'k' }));
    expect(res.extFields).toEqual({ value: 'v' });
  });

  it('updates its config over the wire, refusing blacklisted keys, and persists it', async () => {
    const { client, addr, controller, dir } = await setup();
    const update = (text: string) =>
      client.invokeSync(addr, RemotingCommand.createRequest(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, Buffer.from(text)));
    const refused = await update('kvConfigPath=/etc/passwd\norderMessageEnable=true\n');
    expect([refused.code, refused.remark]).toEqual([ResponseCode.NO_PERMISSION, 'Can not update config in black list.']);
    expect(controller.config.orderMessageEnable).toBe(false);

    expect((await update('orderMessageEnable=true\n')).code).toBe(ResponseCode.SUCCESS);
    expect(controller.config.orderMessageEnable).toBe(true);
    expect(readFileSync(join(dir, 'namesrv.properties'), 'utf8')).toContain('orderMessageEnable=true\n');

    const got = await client.invokeSync(addr, RemotingCommand.createRequest(RequestCode.GET_NAMESRV_CONFIG));
    expect(got.body!.toString()).toContain('orderMessageEnable=true\n');
    expect(got.body!.toString()).toContain(`listenPort=0\n`);
  });
});

describe('NamesrvController lifecycle', () => {
  it('fails to start on a port already in use, and a shut-down controller cannot be restarted', async () => {
    const first = await startNamesrv();
    cleanups.push(() => first.close());
    await expect(startNamesrv({ listenPort: first.controller.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await first.controller.shutdown();
    await expect(first.controller.start()).rejects.toThrow(/cannot be restarted/);
  });
});
