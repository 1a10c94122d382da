import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { BROKER_PROCESSORS } from '@rockit/broker';
import { RemotingCommand, ResponseCode } from '@rockit/remoting';
import { createTopic, pull, send, startBroker, type RunningBroker } from './runtime-helpers.js';

let rb: RunningBroker | undefined;
afterEach(async () => {
  await rb?.stop();
  rb = undefined;
});

/** Deterministic pseudo-random source, so a failure replays. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const FIELD_NAMES = [
  'topic', 'consumerGroup', 'group', 'queueId', 'queueOffset', 'offset', 'maxMsgNums', 'sysFlag', 'commitOffset', 'suspendTimeoutMillis',
  'subscription', 'subVersion', 'expressionType', 'key', 'maxNum', 'beginTimestamp', 'endTimestamp', 'timestamp', 'clientID', 'clientId',
  'producerGroup', 'groupName', 'readQueueNums', 'writeQueueNums', 'perm', 'topicFilterType', 'order', 'isForce', 'delayLevel', 'msgId',
  'srcGroup', 'destGroup', 'compareGroup', 'isOrder', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'm',
];
const VALUES = ['', 'x', '-1', '0', '1', '7', '2147483648', '99999999999999999999', 'TBW102', 'SCHEDULE_TOPIC_XXXX', '%RETRY%g', 'bad topic', 'true', 'SQL92', 'a >', '*', 'TagA || ', '🚀'];
const BODIES = [undefined, Buffer.alloc(0), Buffer.from('{'), Buffer.from('null'), Buffer.from('[]'), Buffer.from('{"clientID":1}'), Buffer.from('{"mqSet":"x"}'), Buffer.from('a=b\nc')];

describe('broker under malformed requests', () => {
  it('answers every malformed request of every code with a response and keeps serving', async () => {
    rb = await startBroker();
    await createTopic(rb, 'Fuzz', 2);
    const next = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    let answered = 0;
    for (const code of BROKER_PROCESSORS.keys()) {
      for (let n = 0; n < 25; n++) {
        const ext: Record<string, string> = {};
        const fields = Math.floor(next() * 12);
        for (let f = 0; f < fields; f++) ext[pick(FIELD_NAMES)] = pick(VALUES);
        // Keep pulls from parking for long: a suspend of at most 50 ms.
        if (ext.suspendTimeoutMillis !== undefined) ext.suspendTimeoutMillis = '50';
        const body = next() < 0.2 ? randomBytes(Math.floor(next() * 200)) : pick(BODIES);
        const response = await rb.client.invokeSync(rb.addr, RemotingCommand.createRequest(code, ext, body), 10_000);
        expect(response.isResponse).toBe(true);
        expect(typeof response.code).toBe('number');
        answered++;
      }
    }
    expect(answered).toBe(BROKER_PROCESSORS.size * 25);
    expect((await send(rb, 'Fuzz', 'after the storm')).code).toBe(ResponseCode.SUCCESS);
    expect((await pull(rb, 'Fuzz')).code).toBe(ResponseCode.SUCCESS);
  });
});
