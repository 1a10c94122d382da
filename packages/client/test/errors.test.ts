import { Message } from '@rockit/common';
import { RemotingClient, RemotingCommand, RemotingServer, RequestCode, ResponseCode } from '@rockit/remoting';
import { describe, expect, it } from 'vitest';
import { MQBrokerError, MQClientAPI, MQClientError, MQClientTimeoutError, Producer, parseNamesrvAddr } from '../src/index.js';
import { afterTest, createTopic, quietLogger, startTestCluster } from './helpers/cluster.js';


async function standInBroker(): Promise<string> {
  const server = new RemotingServer({ logger: quietLogger });
  server.registerProcessor(RequestCode.SEND_MESSAGE_V2, () => new Promise<null>(() => {})); // never answers
  server.registerProcessor(RequestCode.PULL_MESSAGE, () => RemotingCommand.createResponse(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, 'subscription group [G] does not exist'));
  const port = await server.listen(0, '127.0.0.1');
  afterTest(() => server.close(100));
  return `127.0.0.1:${port}`;
}

describe('client errors', () => {
  it('names the peer and the request in timeouts and broker failures', async () => {
    const addr = await standInBroker();
    const remoting = new RemotingClient({ logger: quietLogger });
    afterTest(() => remoting.close());
    const api = new MQClientAPI(remoting, 3000);

    const timeout = await api.invoke(addr, RemotingCommand.createRequest(RequestCode.SEND_MESSAGE_V2, {}), 100).catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(MQClientTimeoutError);
    expect((timeout as MQClientTimeoutError).requestCode).toBe(RequestCode.SEND_MESSAGE_V2);
    expect((timeout as Error).message).toContain('SEND_MESSAGE_V2');
    expect((timeout as Error).message).toContain(addr);

    const failed = await api
      .pullMessage(addr, { consumerGroup: 'G', topic: 'T', queueId: 0, queueOffset: 0, maxMsgNums: 1, sysFlag: 0, commitOffset: 0, suspendTimeoutMillis: 0, subVersion: 0 }, 1000)
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(MQBrokerError);
    expect(failed).toMatchObject({ code: ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, brokerAddr: addr, requestCode: RequestCode.PULL_MESSAGE, remark: 'subscription group [G] does not exist' });
    expect((failed as Error).message).toContain(`PULL_MESSAGE to ${addr}`);
  });

  it('fails a send with the cause after the send timeout when the broker does not answer', async () => {
    // One stand-in serves as name server (a fastjson-native route to itself) and as a broker that never stores.
    const server = new RemotingServer({ logger: quietLogger });
    const port = await server.listen(0, '127.0.0.1');
    afterTest(() => server.close(100));
    const addr = `127.0.0.1:${port}`;
    const route = `{"brokerDatas":[{"brokerAddrs":{0:"${addr}"},"brokerName":"broker-x","cluster":"c"}],"filterServerTable":{},"queueDatas":[{"brokerName":"broker-x","perm":6,"readQueueNums":1,"topicSysFlag":0,"writeQueueNums":1}]}`;
    const ok = () => RemotingCommand.createResponse(ResponseCode.SUCCESS);
    server.registerProcessor(RequestCode.GET_ROUTEINFO_BY_TOPIC, () => Object.assign(ok(), { body: Buffer.from(route) }));
    server.registerProcessor(RequestCode.HEART_BEAT, ok);
    server.registerProcessor(RequestCode.UNREGISTER_CLIENT, ok);
    let held = 0;
    server.registerProcessor(RequestCode.SEND_MESSAGE_V2, () => {
      held++;
      return new Promise<null>(() => {});
    });

    const p = new Producer({ namesrvAddr: addr, producerGroup: 'PG_slow', logger: quietLogger, sendMsgTimeout: 300 });
    await p.start();
    afterTest(() => p.shutdown());
    const err = await p.send(new Message('SlowTopic', 'x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MQClientError);
    expect((err as Error).message).toMatch(/SlowTopic/);
    expect((err as Error).cause).toBeInstanceOf(MQClientTimeoutError);
    expect(((err as Error).cause as Error).message).toContain(addr);
    expect(held).toBe(1); // the 300 ms budget was spent on the first attempt
  });
});

describe('name server addressing', () => {
  it('takes a list, a ";" string, or NAMESRV_ADDR', () => {
    expect(parseNamesrvAddr('a:1; b:2;')).toEqual(['a:1', 'b:2']);
    expect(parseNamesrvAddr(['a:1', ' b:2 '])).toEqual(['a:1', 'b:2']);
    const old = process.env.NAMESRV_ADDR;
    process.env.NAMESRV_ADDR = 'env:9876';
    try {
      expect(parseNamesrvAddr(undefined)).toEqual(['env:9876']);
    } finally {
      if (old === undefined) delete process.env.NAMESRV_ADDR;
      else process.env.NAMESRV_ADDR = old;
    }
  });

  it('moves on to the next name server when one is down', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'FailoverTopic', 1, cluster.namesrvAddr);
    for (const list of [`127.0.0.1:1;${cluster.namesrvAddr}`, `${cluster.namesrvAddr};127.0.0.1:1`]) {
      const p = new Producer({ namesrvAddr: list, producerGroup: 'PG_failover', logger: quietLogger });
      await p.start();
      expect((await p.send(new Message('FailoverTopic', 'x'))).sendStatus).toBe('SEND_OK');
      await p.shutdown();
    }
  });

  it('refuses to start without any name server', async () => {
    const old = process.env.NAMESRV_ADDR;
    delete process.env.NAMESRV_ADDR;
    try {
      const p = new Producer({ logger: quietLogger });
      await expect(p.start()).rejects.toThrow(/NAMESRV_ADDR/);
    } finally {
      if (old !== undefined) process.env.NAMESRV_ADDR = old;
    }
  });
});
