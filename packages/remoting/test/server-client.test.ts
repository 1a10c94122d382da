import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FrameDecoder,
  RemotingChannel,
  RemotingClient,
  RemotingCommand,
  RemotingCommandError,
  RemotingConnectError,
  RemotingSendRequestError,
  RemotingServer,
  RemotingTimeoutError,
  RequestCode,
  ResponseCode,
  SerializeType,
  MQBrokerError,
  checkResponse,
  encodeFrame,
  formatAddress,
  parseAddress,
} from '@rockit/remoting';
import { echo, once, startEchoServer } from './helpers.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});
async function setup(options?: Parameters<typeof startEchoServer>[0]) {
  const s = await startEchoServer(options);
  const client = new RemotingClient();
  cleanups.push(() => s.server.close(1000), () => client.close());
  return { ...s, client };
}

describe('RemotingServer and RemotingClient over loopback TCP', () => {
  it('answers with the request\'s opaque in the serialization the request used', async () => {
    const { client, addr } = await setup();
    for (const type of [SerializeType.JSON, SerializeType.ROCKETMQ] as const) {
      const req = echo('x', type);
      const res = await client.invokeSync(addr, req, 3000);
      expect(res.isResponse).toBe(true);
      expect(res.opaque).toBe(req.opaque);
      expect(res.serializeType).toBe(type);
      expect(res.extFields).toEqual({ n: 'x' });
    }
  });

  it('sends every request in the serialization given as its option, whatever the command was made with', async () => {
    const { addr } = await setup();
    const client = new RemotingClient({ serializeType: SerializeType.ROCKETMQ });
    cleanups.push(() => client.close());
    const req = echo('binary', SerializeType.JSON);
    const res = await client.invokeSync(addr, req, 3000);
    expect(req.serializeType).toBe(SerializeType.ROCKETMQ);
    expect(res.serializeType).toBe(SerializeType.ROCKETMQ);
    expect(res.extFields).toEqual({ n: 'binary' });
    const oneway = echo('oneway', SerializeType.JSON);
    await client.invokeOneway(addr, oneway, 3000);
    expect(oneway.serializeType).toBe(SerializeType.ROCKETMQ);
  });

  it('reuses one connection per address for 10,000 concurrent calls and matches every response', async () => {
    const { client, addr, server } = await setup();
    const body = Buffer.alloc(100, 1);
    const calls = Array.from({ length: 10_000 }, (_, i) => {
      const req = echo(i, (i % 2) as 0 | 1);
      if (i % 10 === 0) req.body = body;
      return client.invokeSync(addr, req, 20_000);
    });
    const responses = await Promise.all(calls);
    responses.forEach((res, i) => {
      expect(res.extFields!.n).toBe(String(i));
      expect(res.body?.length ?? 0).toBe(i % 10 === 0 ? 100 : 0);
    });
    expect(server.channels.size).toBe(1);
  });

  it('carries bodies larger than the coalescing limit and split across many TCP chunks', async () => {
    const { client, addr } = await setup();
    const big = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = i & 0xff;
    const req = echo('big', 1);
    req.body = big;
    const res = await client.invokeSync(addr, req, 10_000);
    expect(res.body!.equals(big)).toBe(true);
  });

  it('carries headers larger than the 64 KiB write chunk, in both serializations', async () => {
    const { client, addr } = await setup();
    const long = 'v'.repeat(100_000) + 'ü';
    for (const type of [0, 1] as const) {
      const calls = [echo(long, type), echo('small', type), echo(long + '2', type)].map((req) => client.invokeSync(addr, req, 10_000));
      const [a, b, c] = await Promise.all(calls);
      expect([a.extFields!.n, b.extFields!.n, c.extFields!.n]).toEqual([long, 'small', long + '2']);
    }
  });

  it('answers REQUEST_CODE_NOT_SUPPORTED, naming the code, when no processor is registered', async () => {
    const { client, addr } = await setup();
    const res = await client.invokeSync(addr, RemotingCommand.createRequest(4242), 3000);
    expect(res.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    expect(res.remark).toBe(' request type 4242 not supported');
  });

  it('routes codes without a processor to the default processor', async () => {
    const { client, addr, server } = await setup();
    server.setDefaultProcessor((_ch, req) => RemotingCommand.createResponse(0, `default got ${req.code}`));
    expect((await client.invokeSync(addr, RemotingCommand.createRequest(4243))).remark).toBe('default got 4243');
  });

  it('answers SYSTEM_ERROR with the message when a processor throws, and the typed code for RemotingCommandError', async () => {
    const { client, addr, server } = await setup();
    server.registerProcessor(2000, () => {
      throw new Error('boom');
    });
    server.registerProcessor(2001, async () => {
      throw new RemotingCommandError(ResponseCode.TOPIC_NOT_EXIST, 'topic X not exist');
    });
    const a = await client.invokeSync(addr, RemotingCommand.createRequest(2000));
    expect(a.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(a.remark).toContain('boom');
    const b = await client.invokeSync(addr, RemotingCommand.createRequest(2001));
    expect(b.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(b.remark).toBe('topic X not exist');
    const err = (() => {
      try {
        checkResponse(b, addr);
      } catch (e) {
        return e as MQBrokerError;
      }
    })();
    expect(err).toBeInstanceOf(MQBrokerError);
    expect([err!.code, err!.remark, err!.brokerAddr, err!.name]).toEqual([17, 'topic X not exist', addr, 'MQBrokerError']);
    expect(err!.message).toBe('TOPIC_NOT_EXIST (17): topic X not exist');
    expect(checkResponse(a, addr, [ResponseCode.SYSTEM_ERROR])).toBe(a);
  });

  it('never answers a oneway request, even an unsupported one', async () => {
    const { addr, server, port } = await setup();
    let onewaySeen = 0;
    server.registerProcessor(3000, () => {
      onewaySeen++;
      return RemotingCommand.createResponse(0);
    });
    // A raw socket sees exactly what the server writes.
    const socket = connect(port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    await once(socket, 'connect');
    const received: RemotingCommand[] = [];
    const decoder = new FrameDecoder((c) => received.push(c));
    socket.on('data', (d: Buffer) => decoder.push(d));
    const oneway1 = RemotingCommand.createRequest(3000).markOneway();
    const oneway2 = RemotingCommand.createRequest(9999).markOneway();
    const normal = echo('after');
    socket.write(Buffer.concat([encodeFrame(oneway1), encodeFrame(oneway2), encodeFrame(normal)]));
    while (received.length === 0) await once(socket, 'data');
    await new Promise((r) => setTimeout(r, 50));
    expect(received.map((c) => c.opaque)).toEqual([normal.opaque]);
    expect(onewaySeen).toBe(1);
    expect(addr).toContain('127.0.0.1');
  });

  it('sends oneway requests from the client without waiting', async () => {
    const { client, addr, server } = await setup();
    const got = new Promise<RemotingCommand>((resolve) =>
      server.registerProcessor(RequestCode.UPDATE_CONSUMER_OFFSET, (_ch, req) => {
        resolve(req);
        return null;
      }),
    );
    await client.invokeOneway(addr, RemotingCommand.createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, { commitOffset: '5' }));
    const req = await got;
    expect(req.isOneway).toBe(true);
    expect(req.extFields).toEqual({ commitOffset: '5' });
  });

  it('fails a call with RemotingTimeoutError after its timeout and ignores the late response', async () => {
    const { client, addr } = await setup();
    const slow = RemotingCommand.createRequest(1001, { ms: '300' });
    await expect(client.invokeSync(addr, slow, 50)).rejects.toBeInstanceOf(RemotingTimeoutError);
    await new Promise((r) => setTimeout(r, 350));
    expect((await client.invokeSync(addr, echo('still fine'))).extFields!.n).toBe('still fine');
  });

  it('refuses a second concurrent call with the same opaque and allows it again once the first is answered', async () => {
    const { client, addr } = await setup();
    const req = RemotingCommand.createRequest(1001, { ms: '50' });
    const first = client.invokeSync(addr, req, 3000);
    await expect(client.invokeSync(addr, req, 3000)).rejects.toThrow(/already waiting/);
    expect((await first).remark).toBe('slept');
    expect((await client.invokeSync(addr, req, 3000)).remark).toBe('slept');
  });

  it('delivers results through invokeAsync callbacks, errors included', async () => {
    const { client, addr } = await setup();
    const ok = await new Promise<RemotingCommand | undefined>((resolve, reject) =>
      client.invokeAsync(addr, echo('cb'), 3000, (err, res) => (err ? reject(err) : resolve(res))),
    );
    expect(ok!.extFields!.n).toBe('cb');
    const err = await new Promise<Error | null>((resolve) =>
      client.invokeAsync(addr, RemotingCommand.createRequest(1001, { ms: '200' }), 20, (e) => resolve(e)),
    );
    expect(err).toBeInstanceOf(RemotingTimeoutError);
    expect((await client.invokeAsync(addr, echo('p'))).extFields!.n).toBe('p');
  });

  it('times every call out at its own deadline: a short call behind long ones fails first, the long ones succeed', async () => {
    const { client, addr } = await setup();
    const settled: string[] = [];
    const long = [0, 1, 2].map((i) =>
      client.invokeSync(addr, RemotingCommand.createRequest(1001, { ms: '400' }), 10_000).then(() => void settled.push(`long ${i}`)),
    );
    const short = client.invokeSync(addr, RemotingCommand.createRequest(1001, { ms: '400' }), 30).catch((e: Error) => {
      settled.push(`short ${e.constructor.name}`);
    });
    await Promise.all([...long, short]);
    expect(settled).toEqual(['short RemotingTimeoutError', 'long 0', 'long 1', 'long 2']);
    // The late answer to the timed-out call is dropped; the connection goes on.
    expect((await client.invokeSync(addr, echo('after'), 3000)).extFields!.n).toBe('after');
  });

  it('keeps no timer running once every call of a connection is answered', async () => {
    const { client, addr } = await setup();
    await client.invokeSync(addr, echo('open'), 3000);
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const pending = client.invokeSync(addr, RemotingCommand.createRequest(1001, { ms: '50' }), 60_000);
    expect(timers()).toBe(before + 1);
    await pending;
    expect(timers()).toBe(before);
  });

  it('keeps serving a connection whose response callback throws', async () => {
    const { client, addr } = await setup();
    await new Promise<void>((resolve) =>
      client.invokeCallback(addr, echo('first'), 3000, () => {
        setImmediate(resolve);
        throw new Error('a bug in the caller');
      }),
    );
    const calls = [1, 2, 3].map((i) => client.invokeSync(addr, echo(i), 3000));
    expect((await Promise.all(calls)).map((r) => r.extFields!.n)).toEqual(['1', '2', '3']);
  });

  it('calls back after invokeCallback returned, even when the call fails at once', async () => {
    const { client, addr } = await setup();
    await client.invokeSync(addr, echo('open'), 3000);
    const req = RemotingCommand.createRequest(1001, { ms: '50' });
    const first = client.invokeSync(addr, req, 3000);
    let returned = false;
    const err = await new Promise<Error | null>((resolve) => {
      client.invokeCallback(addr, req, 3000, (e) => resolve(returned ? e : new Error('called back before returning')));
      returned = true;
    });
    expect(err?.message).toMatch(/already waiting/);
    await first;
  });

  it('lets a processor call the client back on the same connection (broker -> client callbacks)', async () => {
    const { client, addr, server } = await setup();
    client.registerProcessor(RequestCode.GET_CONSUMER_RUNNING_INFO, (_ch, req) => {
      const res = RemotingCommand.createResponse(0);
      res.body = Buffer.from(`running info of ${req.extFields!.consumerGroup}`);
      return res;
    });
    server.registerProcessor(RequestCode.GET_CONSUMER_RUNNING_INFO, async (channel: RemotingChannel, req) => {
      const forwarded = RemotingCommand.createRequest(RequestCode.GET_CONSUMER_RUNNING_INFO, req.extFields);
      const answer = await channel.invoke(forwarded, 3000);
      const res = RemotingCommand.createResponse(answer.code);
      res.body = answer.body;
      return res;
    });
    const res = await client.invokeSync(
      addr,
      RemotingCommand.createRequest(RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'g1', clientId: 'c' }),
    );
    expect(res.body!.toString()).toBe('running info of g1');
  });

  it('delivers oneway callbacks from the server to client processors', async () => {
    const { client, addr, server } = await setup();
    const notified = new Promise<string>((resolve) =>
      client.registerProcessor(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, (_ch, req) => {
        resolve(req.extFields!.consumerGroup);
        return null;
      }),
    );
    await client.invokeSync(addr, echo('connect'));
    const [channel] = server.channels;
    channel.invokeOneway(RemotingCommand.createRequest(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, { consumerGroup: 'cg' }));
    expect(await notified).toBe('cg');
  });

  it('reconnects on the next call after the server restarts', async () => {
    const first = await startEchoServer();
    const client = new RemotingClient({ connectTimeoutMillis: 1000 });
    cleanups.push(() => client.close());
    expect((await client.invokeSync(first.addr, echo(1))).extFields!.n).toBe('1');
    await first.server.close(1000);
    await expect(client.invokeSync(first.addr, echo(2), 500)).rejects.toSatisfy(
      (e) => e instanceof RemotingSendRequestError || e instanceof RemotingConnectError,
    );
    const second = await startEchoServer({}, first.port);
    cleanups.push(() => second.server.close(1000));
    expect((await client.invokeSync(first.addr, echo(3))).extFields!.n).toBe('3');
  });

  it('fails pending calls fast when their connection closes', async () => {
    const { client, addr, server } = await setup();
    server.registerProcessor(3100, (channel) => {
      setTimeout(() => channel.close('test drops the connection'), 10);
      return new Promise<null>(() => {});
    });
    // A connection error, not the 20 s timeout: the call failed when the connection went away.
    const err = await client.invokeSync(addr, RemotingCommand.createRequest(3100), 20_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemotingSendRequestError);
    expect((err as Error).message).toContain('connection closed');
  });

  it('reports RemotingConnectError when nothing listens', async () => {
    const { server, port } = await startEchoServer();
    await server.close();
    const client = new RemotingClient({ connectTimeoutMillis: 1000 });
    cleanups.push(() => client.close());
    const err = await client.invokeSync(`127.0.0.1:${port}`, echo(1), 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemotingConnectError);
    expect((err as RemotingConnectError).addr).toBe(`127.0.0.1:${port}`);
  });

  it('runs RPC hooks: the client signs, the server validates and may reject with a response', async () => {
    const { client, addr, server } = await setup();
    const after: number[] = [];
    server.registerRPCHook({
      doBeforeRequest: (_remote, req) =>
        req.extFields?.AccessKey === 'rocketmq2'
          ? undefined
          : RemotingCommand.createResponse(ResponseCode.NO_PERMISSION, 'No accessKey is configured'),
      doAfterResponse: (_remote, _req, res) => void after.push(res?.code ?? -1),
    });
    const denied = await client.invokeSync(addr, echo('no key'));
    expect(denied.code).toBe(ResponseCode.NO_PERMISSION);
    const clientSeen: string[] = [];
    client.registerRPCHook({
      doBeforeRequest: (_remote, req) => void req.addExtField('AccessKey', 'rocketmq2'),
      doAfterResponse: (remote, _req, res) => void clientSeen.push(`${remote} ${res?.code}`),
    });
    const allowed = await client.invokeSync(addr, echo('with key'));
    expect(allowed.code).toBe(ResponseCode.SUCCESS);
    expect(after).toEqual([ResponseCode.NO_PERMISSION, ResponseCode.SUCCESS]);
    expect(clientSeen).toEqual([`${addr} 0`]);
  });

  it('runs the client\'s hooks on the callback path too, around the call, and fails the call when one throws', async () => {
    const { client, addr, server } = await setup();
    const seenByServer: (string | undefined)[] = [];
    server.registerRPCHook({ doBeforeRequest: (_remote, req) => void seenByServer.push(req.extFields?.AccessKey) });
    await client.invokeSync(addr, echo('open'), 3000);
    let failBefore = false;
    let failAfter = false;
    const after: number[] = [];
    client.registerRPCHook({
      doBeforeRequest: (_remote, req) => {
        if (failBefore) throw new Error('signing failed');
        req.addExtField('AccessKey', 'rocketmq2');
      },
      doAfterResponse: (_remote, _req, res) => {
        if (failAfter) throw new Error('after-hook failed');
        after.push(res?.code ?? -1);
      },
    });
    const call = () =>
      new Promise<{ err: Error | null; code?: number; returned: boolean }>((resolve) => {
        let returned = false;
        client.invokeCallback(addr, echo('cb'), 3000, (err, res) => resolve({ err, ...(res ? { code: res.code } : {}), returned }));
        returned = true;
      });
    expect(await call()).toEqual({ err: null, code: ResponseCode.SUCCESS, returned: true });
    expect(seenByServer.at(-1)).toBe('rocketmq2');
    expect(after).toEqual([ResponseCode.SUCCESS]);
    failBefore = true;
    const before = await call();
    expect([before.err?.message, before.returned]).toEqual(['signing failed', true]);
    failBefore = false;
    failAfter = true;
    expect((await call()).err?.message).toBe('after-hook failed');
  });

  it('treats a hook that throws RemotingCommandError as a rejection with that code', async () => {
    const { client, addr, server } = await setup();
    server.registerRPCHook({
      doBeforeRequest: () => {
        throw new RemotingCommandError(ResponseCode.NO_PERMISSION, 'signature mismatch');
      },
    });
    const res = await client.invokeSync(addr, echo(1));
    expect([res.code, res.remark]).toEqual([ResponseCode.NO_PERMISSION, 'signature mismatch']);
  });

  it('emits connect and close events per connection', async () => {
    const { client, addr, server } = await setup();
    const connected = once(server, 'channelConnect');
    await client.invokeSync(addr, echo(1));
    const [channel] = (await connected) as [RemotingChannel];
    expect(channel.remoteAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    const closed = once(server, 'channelClose');
    await client.closeChannel(addr);
    const [closedChannel] = (await closed) as [RemotingChannel];
    expect(closedChannel).toBe(channel);
    expect(server.channels.size).toBe(0);
  });

  it('closes gracefully: in-flight requests get their answer, new connections are refused', async () => {
    const { server, addr } = await startEchoServer();
    const client = new RemotingClient({ connectTimeoutMillis: 1000 });
    cleanups.push(() => client.close());
    const inFlight = client.invokeSync(addr, RemotingCommand.createRequest(1001, { ms: '200' }), 5000);
    await new Promise((r) => setTimeout(r, 50));
    const closing = server.close(5000);
    const res = await inFlight;
    expect(res.remark).toBe('slept');
    await closing;
    const other = new RemotingClient({ connectTimeoutMillis: 500 });
    cleanups.push(() => other.close());
    await expect(other.invokeSync(addr, echo(1), 500)).rejects.toBeInstanceOf(RemotingConnectError);
  });

  it('closes only the connection that sends a frame above the limit and keeps serving the others', async () => {
    const { client, addr } = await setup({ maxFrameSize: 64 * 1024 });
    const other = new RemotingClient();
    cleanups.push(() => other.close());
    const big = echo('big');
    big.body = Buffer.alloc(100 * 1024);
    await expect(other.invokeSync(addr, big, 3000)).rejects.toBeInstanceOf(RemotingSendRequestError);
    expect((await client.invokeSync(addr, echo('ok'))).extFields!.n).toBe('ok');
    expect((await other.invokeSync(addr, echo('again'))).extFields!.n).toBe('again');
  });

  it('closes a connection that stays idle longer than channelMaxIdleMillis; the client reconnects', async () => {
    const { client, addr, server } = await setup({ channelMaxIdleMillis: 150 });
    await client.invokeSync(addr, echo(1));
    const [, reason] = (await once(server, 'channelClose')) as [RemotingChannel, string];
    expect(reason).toBe('idle for 150 ms');
    expect((await client.invokeSync(addr, echo(2))).extFields!.n).toBe('2');
  });

  it('parses host:port addresses, IPv6 included, and rejects malformed ones', () => {
    expect(parseAddress('127.0.0.1:9876')).toEqual({ host: '127.0.0.1', port: 9876 });
    expect(parseAddress('[::1]:10911')).toEqual({ host: '::1', port: 10911 });
    expect(parseAddress('fe80::1:10911')).toEqual({ host: 'fe80::1', port: 10911 });
    for (const bad of ['127.0.0.1', ':9876', 'host:0', 'host:99999', 'host:x']) {
      expect(() => parseAddress(bad)).toThrow(RemotingConnectError);
    }
    expect(formatAddress('::ffff:127.0.0.1', 5)).toBe('127.0.0.1:5');
    expect(formatAddress('::1', 5)).toBe('[::1]:5');
  });

  it('listens on a free port when given port 0 and exposes it', async () => {
    const server = new RemotingServer();
    const port = await server.listen(0, '127.0.0.1');
    cleanups.push(() => server.close());
    expect(port).toBeGreaterThan(0);
    expect(server.port).toBe(port);
  });
});
