import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HeartbeatDataError, parseHeartbeatData } from '@rockit/broker';

interface CapturedFrame {
  source: string;
  code: number;
  isResponse: boolean;
  hex: string;
}

/** HEART_BEAT (code 34) request bodies captured from RocketMQ 4.9.8's Java client, benchmark and ali-ons. */
function capturedHeartbeats(): Array<{ source: string; body: Buffer }> {
  const file = fileURLToPath(new URL('../../../../shared/fixtures/wire/frames.jsonl', import.meta.url));
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CapturedFrame)
    .filter((f) => f.code === 34 && !f.isResponse)
    .map((f) => {
      const frame = Buffer.from(f.hex, 'hex');
      const headerLength = frame.readUInt32BE(4) & 0xffffff;
      return { source: f.source, body: frame.subarray(8 + headerLength) };
    });
}

describe('parseHeartbeatData', () => {
  it('reads every captured heartbeat of the Java client, the benchmark tool and ali-ons', () => {
    const frames = capturedHeartbeats();
    expect(new Set(frames.map((f) => f.source))).toEqual(new Set(['java-client', 'java-benchmark', 'ali-ons']));
    for (const { body } of frames) {
      const hb = parseHeartbeatData(body);
      expect(hb.clientID).toMatch(/@/);
      expect(hb.producerDataSet.map((p) => p.groupName)).toContain('CLIENT_INNER_PRODUCER');
    }
  });

  it('maps a consumer with tag subscriptions, defaulting what ali-ons leaves out (expressionType)', () => {
    const aliOns = capturedHeartbeats().filter((f) => f.source === 'ali-ons');
    const hb = parseHeartbeatData(aliOns[aliOns.length - 1]!.body);
    expect(hb.consumerDataSet).toEqual([
      {
        groupName: 'wire_alions_cg',
        consumeType: 'CONSUME_PASSIVELY',
        messageModel: 'CLUSTERING',
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        unitMode: false,
        subscriptionDataSet: [
          { topic: 'WireAliOns', subString: 'TagA || TagB', tagsSet: ['TagA', 'TagB'], codeSet: [2598919, 2598920], subVersion: 1795386459860, expressionType: 'TAG', classFilterMode: false },
          { topic: '%RETRY%wire_alions_cg', subString: '*', tagsSet: [], codeSet: [], subVersion: 1795386459876, expressionType: 'TAG', classFilterMode: false },
        ],
      },
    ]);
  });

  it.each([
    ['not json', /heartbeat body is not JSON/],
    ['[]', /heartbeat is not an object/],
    ['{}', /heartbeat.clientID is missing or not a string/],
    ['{"clientID":"c","consumerDataSet":{}}', /heartbeat.consumerDataSet is not an array/],
    ['{"clientID":"c","producerDataSet":[{}]}', /heartbeat.producerDataSet\[0\].groupName is missing/],
    [
      '{"clientID":"c","consumerDataSet":[{"groupName":"g","consumeType":"PUSH","messageModel":"CLUSTERING","consumeFromWhere":"CONSUME_FROM_LAST_OFFSET"}]}',
      /heartbeat.consumerDataSet\[0\].consumeType 'PUSH' is not one of CONSUME_ACTIVELY, CONSUME_PASSIVELY/,
    ],
    [
      '{"clientID":"c","consumerDataSet":[{"groupName":"g","consumeType":"CONSUME_ACTIVELY","messageModel":"CLUSTERING","consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","subscriptionDataSet":[{"topic":"T","codeSet":["x"]}]}]}',
      /heartbeat.consumerDataSet\[0\].subscriptionDataSet\[0\].codeSet\[0\] is not an integer/,
    ],
  ])('rejects %j naming the bad field', (body, message) => {
    expect(() => parseHeartbeatData(body)).toThrow(HeartbeatDataError);
    expect(() => parseHeartbeatData(body)).toThrow(message);
  });
});
