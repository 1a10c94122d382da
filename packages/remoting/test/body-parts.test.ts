import { afterEach, describe, expect, it } from 'vitest';
import { FrameEncoder, RemotingClient, RemotingCommand, SerializeType, decodeFrame, encodeFrame } from '@rockit/remoting';
import { startEchoServer } from './helpers.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Parts of assorted sizes, some of them views into one larger Buffer (as stored records in a read window are). */
function parts(sizes: number[]): Buffer[] {
  const backing = Buffer.alloc(sizes.reduce((a, b) => a + b, 0) + 64);
  for (let i = 0; i < backing.length; i++) backing[i] = (i * 31 + 7) & 0xff;
  const out: Buffer[] = [];
  let pos = 3;
  for (const n of sizes) {
    out.push(backing.subarray(pos, pos + n));
    pos += n + 1;
  }
  return out;
}

describe('RemotingCommand body parts', () => {
  it('encodes a body given as parts to the same bytes as the joined body, in both serializations', () => {
    const list = parts([1, 1200, 0, 37, 5000]);
    const joined = Buffer.concat(list);
    for (const type of [SerializeType.JSON, SerializeType.ROCKETMQ] as const) {
      const whole = RemotingCommand.createResponse(0, 'FOUND', { nextBeginOffset: '32' });
      whole.serializeType = type;
      whole.body = joined;
      const split = RemotingCommand.createResponse(0, 'FOUND', { nextBeginOffset: '32' });
      split.serializeType = type;
      split.setBodyParts(list);
      expect(split.bodyLength).toBe(joined.length);
      const expected = encodeFrame(whole);
      expect(encodeFrame(split)).toEqual(expected);
      const encoder = new FrameEncoder();
      const n = encoder.encode(split);
      expect(encoder.buffer.subarray(0, n)).toEqual(expected);
      expect(decodeFrame(expected, 0, expected.length).body).toEqual(joined);
    }
  });

  it('joins the parts once when the body is read, and forgets them when a body is set', () => {
    const cmd = RemotingCommand.createResponse(0);
    expect(cmd.body).toBeUndefined();
    expect(cmd.bodyParts).toBeUndefined();
    expect(cmd.bodyLength).toBe(0);
    const list = parts([10, 20]);
    cmd.setBodyParts(list, 30);
    expect(cmd.bodyParts).toBe(list);
    const joined = cmd.body!;
    expect(joined).toEqual(Buffer.concat(list));
    expect(cmd.body).toBe(joined);
    cmd.body = Buffer.from('abc');
    expect(cmd.bodyParts).toBeUndefined();
    expect(cmd.bodyLength).toBe(3);
    cmd.body = undefined;
    expect(cmd.bodyLength).toBe(0);
  });

  it('goes over TCP as one frame the peer reads back byte for byte, small bodies and large ones alike', async () => {
    const { server, addr } = await startEchoServer();
    const client = new RemotingClient();
    cleanups.push(() => server.close(1000), () => client.close());
    const bodies = [parts([100, 200]), parts(Array.from({ length: 32 }, (_, i) => 1100 + i)), parts([70_000, 3, 90_000])];
    server.registerProcessor(1100, (_ch, req) => RemotingCommand.createResponse(0).setBodyParts(bodies[Number(req.extFields!.i)]!));
    // Several in one event-loop turn, so the frames share the connection's write batch.
    const replies = await Promise.all(bodies.map((_, i) => client.invokeSync(addr, RemotingCommand.createRequest(1100, { i: String(i) }), 5000)));
    replies.forEach((res, i) => expect(res.body).toEqual(Buffer.concat(bodies[i]!)));
  });
});
