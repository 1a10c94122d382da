import { describe, it, expect } from 'vitest';
import {
  Message,
  MessageExt,
  messageProperties2String,
  string2messageProperties,
  findProperty,
  encodeBatchMessages,
  decodeBatchMessages,
  mergeBatchProperties,
} from '@rockit/common';

describe('Message', () => {
  it('sets TAGS, KEYS, then WAIT=true like the Java constructor, keeping that order', () => {
    const m = new Message('TopicTest', 'body', { tags: 'TagA', keys: ['k1', 'k2'] });
    expect(m.body.toString()).toBe('body');
    expect(m.propertiesString()).toBe('TAGS\u0001TagA\u0002KEYS\u0001k1 k2\u0002WAIT\u0001true');
    expect(m.keys).toEqual(['k1', 'k2']);
    m.keys = 'a  b';
    expect(m.keys).toEqual(['a', 'b']);
    m.keys = [];
    expect(m.getProperty('KEYS')).toBeUndefined();
  });

  it('reads and writes delay level, wait flag and buyer id', () => {
    const m = new Message('T');
    expect(m.delayTimeLevel).toBe(0);
    m.delayTimeLevel = 3;
    expect(m.getProperty('DELAY')).toBe('3');
    m.delayTimeLevel = 0;
    expect(m.getProperty('DELAY')).toBeUndefined();
    m.clearProperty('WAIT');
    expect(m.waitStoreMsgOK).toBe(true); // missing means true
    m.waitStoreMsgOK = false;
    expect(m.getProperty('WAIT')).toBe('false');
    m.buyerId = 'b1';
    expect(m.buyerId).toBe('b1');
  });

  it('refuses user properties with reserved or blank names', () => {
    const m = new Message('T');
    m.putUserProperty('color', 'red');
    expect(m.getUserProperty('color')).toBe('red');
    expect(() => m.putUserProperty('TAGS', 'x')).toThrow(/used by system/);
    expect(() => m.putUserProperty(' ', 'x')).toThrow(/blank/);
    expect(() => m.putUserProperty('a', '')).toThrow(/blank/);
    m.tags = 'T1';
    expect([...m.userProperties()]).toEqual([['color', 'red']]);
  });

  it('MessageExt reports UNIQ_KEY as msgId when present, else the offset id', () => {
    const m = new MessageExt('T');
    m.offsetMsgId = 'C0A8000100002A9F0000000000001234';
    expect(m.properties.size).toBe(0);
    expect(m.msgId).toBe(m.offsetMsgId);
    m.putProperty('UNIQ_KEY', 'ABC');
    expect(m.msgId).toBe('ABC');
  });
});

describe('properties string', () => {
  it('joins name\\u0001value pairs with \\u0002 and no trailing separator', () => {
    expect(messageProperties2String(new Map([['a', '1'], ['b', '2']]))).toBe('a\u00011\u0002b\u00012');
    expect(messageProperties2String(new Map())).toBe('');
    expect(messageProperties2String(new Map([['a', null], ['b', '2'], ['c', undefined], ['d', '4']]))).toBe('b\u00012\u0002d\u00014');
    expect(messageProperties2String(new Map<string, string | null>([['a', null], ['b', 'x']]))).toBe('b\u0001x');
  });

  it('drops empty names and values, keeps the last duplicate and tolerates a trailing separator', () => {
    const parsed = string2messageProperties('a\u00011\u0002\u0001x\u0002e\u0001\u0002ab\u0002b\u0001v\u0001w\u0002a\u00012\u0002');
    expect([...parsed]).toEqual([
      ['a', '2'],
      ['b', 'v\u0001w'],
    ]);
    expect(string2messageProperties('')).toEqual(new Map());
    expect(string2messageProperties(undefined)).toEqual(new Map());
  });

  it('keeps non-ASCII values intact', () => {
    const text = messageProperties2String(new Map([['greeting', 'Grüße 你好']]));
    expect(string2messageProperties(text).get('greeting')).toBe('Grüße 你好');
  });

  it('finds one property without building the map, with the same rules', () => {
    const text = 'KEYS\u0001k1 k2\u0002TAGS\u0001TagA\u0002XTAGS\u0001no\u0002TAGS\u0001TagB';
    expect(findProperty(text, 'TAGS')).toBe('TagB');
    expect(findProperty(text, 'KEYS')).toBe('k1 k2');
    expect(findProperty(text, 'TAG')).toBeUndefined();
    expect(findProperty('TAGS\u0001', 'TAGS')).toBeUndefined();
    expect(findProperty('', 'TAGS')).toBeUndefined();
  });
});

describe('batch body', () => {
  it('encodes members with TOTALSIZE = 22 + body + properties, zero magic and CRC, and decodes them back', () => {
    const a = new Message('T', 'first', { tags: 'A', flag: 3 });
    const b = new Message('T', Buffer.alloc(0));
    b.properties.clear();
    const buf = encodeBatchMessages([a, b]);
    const sizeA = 22 + 5 + Buffer.byteLength(a.propertiesString());
    expect(buf.readInt32BE(0)).toBe(sizeA);
    expect(buf.readInt32BE(4)).toBe(0);
    expect(buf.readInt32BE(8)).toBe(0);
    expect(buf.length).toBe(sizeA + 22);
    const [ea, eb] = decodeBatchMessages(buf);
    expect(ea).toMatchObject({ flag: 3, propertiesString: a.propertiesString(), position: 0, totalSize: sizeA });
    expect(ea!.body.toString()).toBe('first');
    expect(eb).toMatchObject({ flag: 0, propertiesString: '', position: sizeA });
  });

  it('merges member and batch properties the way the broker stores them', () => {
    expect(mergeBatchProperties('a\u00011', 'WAIT\u0001true')).toBe('a\u00011\u0002WAIT\u0001true');
    expect(mergeBatchProperties('a\u00011\u0002', 'WAIT\u0001true')).toBe('a\u00011\u0002WAIT\u0001true');
    expect(mergeBatchProperties('', 'WAIT\u0001true')).toBe('WAIT\u0001true');
    expect(mergeBatchProperties('a\u00011', '')).toBe('a\u00011');
  });

  it('throws on a truncated batch', () => {
    const buf = encodeBatchMessages([new Message('T', 'abc')]);
    expect(() => decodeBatchMessages(buf.subarray(0, buf.length - 1))).toThrow(/batch/);
  });
});
