import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BodyDecodeError, decodeRegisterBrokerBody, decodeTopicConfigText, encodeRegisterBrokerBody } from '@rockit/namesrv';
import { topicConfig } from './helpers.js';

/** The compressed form laid out by hand from protocol §5.4 (length-prefixed sections, zlib). */
function javaCompressed(sections: Array<string | number>): Buffer {
  const parts = sections.map((s) => {
    if (typeof s === 'number') {
      const n = Buffer.alloc(4);
      n.writeInt32BE(s);
      return n;
    }
    const text = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(4);
    len.writeInt32BE(text.length);
    return Buffer.concat([len, text]);
  });
  return deflateSync(Buffer.concat(parts), { level: 9 });
}

describe('RegisterBrokerBody', () => {
  it('decodes the compressed form: DataVersion, topic configs as text, filter servers', () => {
    const body = javaCompressed([
      '{"counter":3,"timestamp":1700000000000}',
      2,
      'TopicTest 4 4 6 SINGLE_TAG',
      'Tagged 8 2 4 MULTI_TAG',
      '["10.0.0.9:5000"]',
    ]);
    const decoded = decodeRegisterBrokerBody(body, true);
    expect(decoded.topicConfigSerializeWrapper.dataVersion).toEqual({ counter: 3, timestamp: 1_700_000_000_000 });
    expect([...decoded.topicConfigSerializeWrapper.topicConfigTable.values()]).toEqual([
      { topicName: 'TopicTest', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false },
      { topicName: 'Tagged', readQueueNums: 8, writeQueueNums: 2, perm: 4, topicFilterType: 'MULTI_TAG', topicSysFlag: 0, order: false },
    ]);
    expect(decoded.filterServerList).toEqual(['10.0.0.9:5000']);
  });

  it('reads 5.x topic attributes appended to the text form', () => {
    expect(decodeTopicConfigText('T 4 4 6 SINGLE_TAG {"+message.type":"NORMAL"}').attributes).toEqual({ '+message.type': 'NORMAL' });
  });

  it('round-trips through our compressed encoder, losing topicSysFlag and order as RocketMQ does', () => {
    const ordered = { ...topicConfig('Ordered'), topicSysFlag: 1, order: true };
    const body = { topicConfigSerializeWrapper: { dataVersion: { timestamp: 5, counter: 9 }, topicConfigTable: new Map([['Ordered', ordered]]) }, filterServerList: [] };
    const decoded = decodeRegisterBrokerBody(encodeRegisterBrokerBody(body, true), true);
    expect(decoded.topicConfigSerializeWrapper.topicConfigTable.get('Ordered')).toEqual({ ...ordered, topicSysFlag: 0, order: false });
    expect(decodeRegisterBrokerBody(encodeRegisterBrokerBody(body), false).topicConfigSerializeWrapper.topicConfigTable.get('Ordered')).toEqual(ordered);
  });

  it('rejects truncated or malformed compressed bodies with a BodyDecodeError', () => {
    expect(() => decodeRegisterBrokerBody(Buffer.from('not zlib'), true)).toThrow(BodyDecodeError);
    expect(() => decodeRegisterBrokerBody(javaCompressed(['{"counter":1,"timestamp":1}', 3, 'T 4 4 6 SINGLE_TAG']), true)).toThrow(/truncated/);
    expect(() => decodeRegisterBrokerBody(javaCompressed(['{"counter":1,"timestamp":1}', 1, 'T four 4 6 SINGLE_TAG', '[]']), true)).toThrow(/bad topic config/);
  });

  it('reads fastjson bodies with bare integer keys (5.x static-topic mappings) without failing', () => {
    const body = Buffer.from(
      '{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{"counter":1,"timestamp":2},' +
        '"topicConfigTable":{"T":{"order":false,"perm":6,"readQueueNums":1,"topicFilterType":"SINGLE_TAG","topicName":"T","topicSysFlag":0,"writeQueueNums":1}},' +
        '"topicQueueMappingDetailMap":{"T":{"hostedQueues":{0:[{"gen":0}]}}}}}',
    );
    expect(decodeRegisterBrokerBody(body, false).topicConfigSerializeWrapper.topicConfigTable.get('T')?.writeQueueNums).toBe(1);
  });
});
