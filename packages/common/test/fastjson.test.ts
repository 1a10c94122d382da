import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  parseFastJson,
  toFastJson,
  JsonObjectKeyMap,
  JavaDouble,
  javaDoubleToString,
  toObjectKeyMap,
  mapEntries,
  FastJsonSyntaxError,
} from '@rockit/common';
import { loadFrames, frameBody, storeFixture } from './helpers/fixtures.js';

const exact = { mapObjects: true, exactDoubles: true } as const;

describe('fastjson dialect: reading', () => {
  it('reads unquoted integer map keys into a Map with number keys', () => {
    const v = parseFastJson('{"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.1:10921"}}') as { brokerAddrs: Map<number, string> };
    expect(v.brokerAddrs).toBeInstanceOf(Map);
    expect([...v.brokerAddrs]).toEqual([
      [0, '127.0.0.1:10911'],
      [1, '127.0.0.1:10921'],
    ]);
  });

  it('reads MessageQueue object keys into a JsonObjectKeyMap that looks keys up by value', () => {
    const text =
      '{"consumeTps":0.0,"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:{"brokerOffset":10,"consumerOffset":5,"lastTimestamp":1700000000000},' +
      '{"brokerName":"broker-a","queueId":1,"topic":"T"}:{"brokerOffset":3,"consumerOffset":3,"lastTimestamp":0}}}';
    const v = parseFastJson(text) as { consumeTps: number; offsetTable: JsonObjectKeyMap };
    expect(v.consumeTps).toBe(0);
    expect(v.offsetTable).toBeInstanceOf(JsonObjectKeyMap);
    expect(v.offsetTable.size).toBe(2);
    // member order of the lookup key does not matter
    expect(v.offsetTable.get({ topic: 'T', queueId: 1, brokerName: 'broker-a' })).toEqual({ brokerOffset: 3, consumerOffset: 3, lastTimestamp: 0 });
    expect(v.offsetTable.has({ topic: 'T', queueId: 2, brokerName: 'broker-a' })).toBe(false);
  });

  it('keeps longs beyond 2^53 exact as bigint and safe integers as number', () => {
    const v = parseFastJson('{"correctionOffsets":{0:100,1:9223372036854775807},"n":-9007199254740993,"s":9007199254740991}') as {
      correctionOffsets: Map<number, number | bigint>;
      n: bigint;
      s: number;
    };
    expect(v.correctionOffsets.get(1)).toBe(9223372036854775807n);
    expect(v.correctionOffsets.get(0)).toBe(100);
    expect(v.n).toBe(-9007199254740993n);
    expect(v.s).toBe(9007199254740991);
    expect(toFastJson(v)).toBe('{"correctionOffsets":{0:100,1:9223372036854775807},"n":-9007199254740993,"s":9007199254740991}');
  });

  it('accepts the lenient forms fastjson accepts: bare keys, single quotes, trailing commas, literal suffixes', () => {
    expect(parseFastJson("{topic:'T', 'queueId':3, offset:12L, rate:1.5D, list:[1,2,],}")).toEqual({
      topic: 'T',
      queueId: 3,
      offset: 12,
      rate: 1.5,
      list: [1, 2],
    });
  });

  it('decodes escapes including \\u, \\x and escaped quotes', () => {
    expect(parseFastJson('"a\\"b\\\\c\\/d\\u00e9\\x41\\n"')).toBe('a"b\\c/d\u00e9A\n');
  });

  it('turns the BrowserCompatible object-key form back into object keys', () => {
    const v = parseFastJson('{"offsetTable":{"{\\"brokerName\\":\\"broker-a\\",\\"queueId\\":1,\\"topic\\":\\"T\\"}":42}}') as { offsetTable: object };
    const m = toObjectKeyMap<object, number>(v.offsetTable);
    expect(m.get({ brokerName: 'broker-a', queueId: 1, topic: 'T' })).toBe(42);
  });

  it('reports the position of a syntax error', () => {
    expect(() => parseFastJson('{"a":1 "b":2}')).toThrow(FastJsonSyntaxError);
    expect(() => parseFastJson('{"a":')).toThrow(/position 5/);
    expect(() => parseFastJson('[1,2] x')).toThrow(/trailing/);
  });

  it('lists the entries of any map form', () => {
    expect(mapEntries({ a: 1 })).toEqual([['a', 1]]);
    expect(mapEntries(new Map([[0, 'x']]))).toEqual([[0, 'x']]);
    expect(mapEntries(new JsonObjectKeyMap([[{ q: 1 }, 2]]))).toEqual([[{ q: 1 }, 2]]);
  });
});

describe('fastjson dialect: writing', () => {
  it('writes beans with sorted keys, omits nulls and writes enums/strings quoted', () => {
    expect(toFastJson({ topicName: 'T', perm: 6, order: false, attributes: null, topicFilterType: 'SINGLE_TAG' })).toBe(
      '{"order":false,"perm":6,"topicFilterType":"SINGLE_TAG","topicName":"T"}',
    );
  });

  it('writes integer-keyed maps with bare keys and object-keyed maps with object keys', () => {
    const offsetTable = new JsonObjectKeyMap([[{ topic: 'T', queueId: 1, brokerName: 'broker-a' }, 42]]);
    expect(toFastJson({ offsetTable })).toBe('{"offsetTable":{{"brokerName":"broker-a","queueId":1,"topic":"T"}:42}}');
    expect(toFastJson({ brokerAddrs: new Map([[0, '127.0.0.1:10911']]) })).toBe('{"brokerAddrs":{0:"127.0.0.1:10911"}}');
  });

  it('writes the BrowserCompatible form on request', () => {
    const v = {
      brokerAddrs: new Map([[0, 'a']]),
      offsetTable: new JsonObjectKeyMap([[{ topic: 'T', queueId: 1 }, 9007199254740993n]]),
      name: 'Grüße',
    };
    expect(toFastJson(v, { browserCompatible: true })).toBe(
      '{"brokerAddrs":{"0":"a"},"name":"Gr\\u00FC\\u00DFe","offsetTable":{"{\\"queueId\\":1,\\"topic\\":\\"T\\"}":"9007199254740993"}}',
    );
  });

  it('writes doubles like Java Double.toString', () => {
    expect([0, 1.5, 1e-4, 12345678.9, 1e21, 100].map((d) => javaDoubleToString(d))).toEqual(['0.0', '1.5', '1.0E-4', '1.23456789E7', '1.0E21', '100.0']);
    expect(toFastJson({ consumeTps: new JavaDouble(0), pullRT: 0.25 })).toBe('{"consumeTps":0.0,"pullRT":0.25}');
  });

  it('escapes control characters and quotes in strings', () => {
    expect(toFastJson('a"b\\c\n\u0001')).toBe('"a\\"b\\\\c\\n\\u0001"');
  });

  it('writes PrettyFormat with tabs, keeping integer-keyed maps on one line as the broker does', () => {
    const v = {
      offsetTable: new Map<string, unknown>([
        ['T@g', new Map([[0, 12], [1, 34]])],
        ['%RETRY%g@g', new Map([[0, 0]])],
      ]),
    };
    expect(toFastJson(v, { pretty: true })).toBe('{\n\t"offsetTable":{\n\t\t"T@g":{0:12,1:34\n\t\t},\n\t\t"%RETRY%g@g":{0:0\n\t\t}\n\t}\n}');
  });
});

describe('fastjson corpus: real bodies and files from RocketMQ 4.9.8', () => {
  const jsonFrames = loadFrames().filter((f) => {
    const b = frameBody(f);
    return b.length > 0 && (b[0] === 0x7b || b[0] === 0x5b);
  });

  it('includes route data, cluster info, consume stats, topic stats, running info and broker registrations', () => {
    const codes = new Set(jsonFrames.map((f) => f.requestCode));
    for (const c of [105, 106, 208, 202, 307, 103, 222, 34]) expect(codes.has(c), `code ${c}`).toBe(true);
  });

  it('re-serialises every captured JSON body identically (Map objects + exact doubles)', () => {
    for (const f of jsonFrames) {
      const text = frameBody(f).toString('utf8');
      expect(toFastJson(parseFastJson(text, exact)), `${f.requestCode} ${f.isResponse ? 'response' : 'request'}`).toBe(text);
    }
  });

  it('re-serialises every captured JSON body equivalently with plain objects (sorted keys, numbers)', () => {
    for (const f of jsonFrames) {
      const v = parseFastJson(frameBody(f).toString('utf8'));
      expect(parseFastJson(toFastJson(v))).toEqual(v);
    }
  });

  it('reads ConsumeStats from a captured GET_CONSUME_STATS response with MessageQueue keys', () => {
    const f = jsonFrames.find((x) => x.requestCode === 208 && x.isResponse)!;
    const v = parseFastJson(frameBody(f).toString('utf8')) as { offsetTable: JsonObjectKeyMap<{ topic: string; queueId: number; brokerName: string }, { brokerOffset: number }> };
    expect(v.offsetTable).toBeInstanceOf(JsonObjectKeyMap);
    expect(v.offsetTable.size).toBeGreaterThan(0);
    for (const [mq, wrapper] of v.offsetTable) {
      expect(typeof mq.topic).toBe('string');
      expect(v.offsetTable.get({ ...mq })).toBe(wrapper);
    }
  });

  it('reads ClusterInfo with unquoted integer brokerAddrs keys', () => {
    const f = jsonFrames.find((x) => x.requestCode === 106 && x.isResponse)!;
    const text = frameBody(f).toString('utf8');
    expect(text).toMatch(/"brokerAddrs":\{0:/);
    const v = parseFastJson(text) as { brokerAddrTable: Record<string, { brokerAddrs: Map<number, string> }> };
    const first = Object.values(v.brokerAddrTable)[0]!;
    expect(first.brokerAddrs.get(0)).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it.each(['topics.json', 'subscriptionGroup.json', 'consumerOffset.json', 'delayOffset.json', 'consumerFilter.json'])(
    'reads and rewrites the broker config file %s byte for byte (pretty format)',
    (name) => {
      const text = readFileSync(storeFixture(`store/config/${name}`), 'utf8');
      expect(toFastJson(parseFastJson(text, exact), { pretty: true })).toBe(text);
    },
  );

  it('reads consumerOffset.json offsets as integer-keyed maps', () => {
    const v = parseFastJson(readFileSync(storeFixture('store/config/consumerOffset.json'), 'utf8')) as {
      offsetTable: Record<string, Map<number, number>>;
    };
    expect([...v.offsetTable['FxBasic@FxGroup']!]).toEqual([
      [0, 10],
      [1, 10],
      [2, 10],
      [3, 10],
    ]);
  });

  it('either parses or throws FastJsonSyntaxError on thousands of mutated captured bodies', () => {
    const texts = jsonFrames.map((f) => frameBody(f).toString('utf8'));
    let seed = 12345;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const alphabet = '{}[]:,"\'0123456789-.eEL abc\u0001';
    for (let c = 0; c < 3000; c++) {
      const t = texts[c % texts.length]!.split('');
      for (let i = 0; i < 3; i++) t[next(t.length)] = alphabet[next(alphabet.length)]!;
      const mutated = t.join('').slice(0, t.length - next(4));
      try {
        parseFastJson(mutated);
      } catch (e) {
        expect(e, `case ${c}`).toBeInstanceOf(FastJsonSyntaxError);
      }
    }
  });
});
