import { createLogger } from '@rockit/common';
import { RemotingCommand, RemotingServer, type RemotingServerOptions } from '@rockit/remoting';

/** Tests provoke failures on purpose; their warnings would only clutter the output. */
const quiet = createLogger('remoting-test', { level: 'silent' });
import { once } from 'node:events';

/** A server on a free loopback port that echoes ext field `n` back (code 1000) and sleeps on code 1001. */
export async function startEchoServer(options: RemotingServerOptions = {}, port = 0) {
  const server = new RemotingServer({ logger: quiet, ...options });
  server.registerProcessor(1000, (_ch, req) => {
    const res = RemotingCommand.createResponse(0, undefined, { n: req.extFields?.n ?? '' });
    res.body = req.body;
    return res;
  });
  server.registerProcessor(1001, async (_ch, req) => {
    await new Promise((r) => setTimeout(r, Number(req.extFields?.ms ?? 100)));
    return RemotingCommand.createResponse(0, 'slept');
  });
  const bound = await server.listen(port, '127.0.0.1');
  return { server, addr: `127.0.0.1:${bound}`, port: bound };
}

export const echo = (n: number | string, type: 0 | 1 = 0) => {
  const req = RemotingCommand.createRequest(1000, { n: String(n) });
  req.serializeType = type;
  return req;
};

export { once };
