import { connect } from 'node:net';
import { createLogger } from '@rockit/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameDecoder, RemotingClient, RemotingCommand, SerializeType, encodeFrame } from '@rockit/remoting';
import { echo, once, startEchoServer } from './helpers.js';

/** Deterministic PRNG so a failing case can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = prng(20261122);
const int = (n: number) => Math.floor(rnd() * n);
const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));

function validFrame(): Buffer {
  const req = echo(int(1000), int(2) as 0 | 1);
  if (rnd() < 0.5) req.body = randomBytes(int(64));
  return encodeFrame(req);
}
function withLength(len: number, rest: Buffer): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(len | 0, 0);
  return Buffer.concat([b, rest]);
}
function frameWithHeader(type: number, header: Buffer, declaredHeaderLength = header.length): Buffer {
  const word = Buffer.alloc(4);
  word.writeUInt32BE(((type << 24) | (declaredHeaderLength & 0xffffff)) >>> 0, 0);
  return withLength(4 + header.length, Buffer.concat([word, header]));
}

/** Bad inputs by kind; each returns the bytes one connection sends before it half-closes. */
const kinds: Record<string, () => Buffer> = {
  'random bytes': () => randomBytes(1 + int(300)),
  'truncated frame': () => {
    const f = validFrame();
    return f.subarray(0, int(f.length));
  },
  'negative length': () => withLength(-1 - int(0x7fffffff), randomBytes(int(16))),
  'huge length': () => withLength(64 * 1024 + 1 + int(0x7fff0000), randomBytes(int(16))),
  'length below 4': () => withLength(int(4), randomBytes(int(8))),
  'header length larger than frame': () => {
    const header = randomBytes(int(40));
    return frameWithHeader(int(2), header, header.length + 1 + int(1000));
  },
  'invalid JSON header': () => frameWithHeader(SerializeType.JSON, Buffer.from(['{', '{"code":', '[1,2]', 'null', '{"code":"x"}', '{"code":1,"extFields":[1]}'][int(6)] + randomBytes(int(4)).toString('latin1'))),
  'malformed ROCKETMQ header': () => frameWithHeader(SerializeType.ROCKETMQ, randomBytes(int(60))),
  'unknown serialize type': () => frameWithHeader(2 + int(254), randomBytes(int(30))),
  'bit flips in a valid frame': () => {
    const f = Buffer.from(validFrame());
    for (let k = 1 + int(4); k > 0; k--) f[int(f.length)] ^= 1 << int(8);
    return f;
  },
  'valid frames then garbage': () => Buffer.concat([validFrame(), validFrame(), randomBytes(1 + int(50))]),
};

interface Outcome {
  responses: RemotingCommand[];
  undecodable: boolean;
}

/** Sends `bytes` on a fresh connection, half-closes, and collects what the server sends until it closes. */
async function sendRaw(port: number, bytes: Buffer): Promise<Outcome> {
  const socket = connect(port, '127.0.0.1');
  const responses: RemotingCommand[] = [];
  let undecodable = false;
  const decoder = new FrameDecoder((c) => responses.push(c));
  socket.on('data', (d: Buffer) => {
    try {
      decoder.push(d);
    } catch {
      undecodable = true;
    }
  });
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.end(bytes);
  await once(socket, 'close');
  return { responses, undecodable };
}

describe('RemotingServer under bad input', () => {
  const logLines: string[] = [];
  const logger = createLogger('fuzz', { level: 'warn', destination: { write: (line: string) => void logLines.push(line) } });
  let server: Awaited<ReturnType<typeof startEchoServer>>;
  const good = new RemotingClient();
  let goodCalls = 0;
  const goodFailures: unknown[] = [];
  let stopGood = false;
  let goodLoop: Promise<void>;

  beforeAll(async () => {
    server = await startEchoServer({ maxFrameSize: 64 * 1024, logger });
    // A well-behaved client keeps calling on its own connection for the whole run.
    goodLoop = (async () => {
      while (!stopGood) {
        const n = goodCalls++;
        try {
          const res = await good.invokeSync(server.addr, echo(n, (n % 2) as 0 | 1), 5000);
          if (res.extFields?.n !== String(n)) goodFailures.push(`wrong answer for ${n}`);
        } catch (err) {
          goodFailures.push(err);
        }
      }
    })();
  });
  afterAll(async () => {
    stopGood = true;
    await goodLoop;
    await good.close();
    await server.server.close(1000);
  });

  it('closes or answers only the offending connection across thousands of cases, and keeps serving', async () => {
    const names = Object.keys(kinds);
    const cases = 3000;
    const seen = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < cases) {
        const kind = names[next++ % names.length];
        const outcome = await sendRaw(server.port, kinds[kind]());
        // Whatever the server sent before closing must be well-formed responses.
        expect(outcome.undecodable, kind).toBe(false);
        for (const r of outcome.responses) expect(r.isResponse, kind).toBe(true);
        seen.set(kind, (seen.get(kind) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(cases);
    const before = goodCalls;
    await new Promise((r) => setTimeout(r, 50));
    expect(goodCalls).toBeGreaterThan(before);
    expect(goodFailures).toEqual([]);
    expect(goodCalls).toBeGreaterThan(100);
    // Only the good client's connection is left.
    await new Promise((r) => setTimeout(r, 100));
    expect(server.server.channels.size).toBe(1);
  });

  it('logs why it closed a connection', () => {
    const reasons = logLines.map((l) => (JSON.parse(l) as { reason?: string }).reason ?? '');
    expect(reasons.some((r) => r.includes('exceeds the maximum of 65536'))).toBe(true);
    expect(reasons.some((r) => r.includes('illegal frame length'))).toBe(true);
    expect(reasons.some((r) => r.includes('malformed JSON header'))).toBe(true);
    expect(reasons.some((r) => r.includes('malformed ROCKETMQ header'))).toBe(true);
    expect(reasons.some((r) => r.includes('unknown serialize type'))).toBe(true);
  });

  it('answers valid frames that precede garbage before closing', async () => {
    const a = echo('first');
    const b = echo('second', 1);
    const outcome = await sendRaw(server.port, Buffer.concat([encodeFrame(a), encodeFrame(b), Buffer.from('ffffffff', 'hex')]));
    expect(outcome.responses.map((r) => r.extFields?.n).sort()).toEqual(['first', 'second']);
  });
});
