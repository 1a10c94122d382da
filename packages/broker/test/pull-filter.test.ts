import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessages, hostSysFlags, string2messageProperties, readStoredMessageHeader, storedMessageLength, writeStoredMessage, type MessageExtBrokerInner } from '@rockit/common';
import { compileSql92, compileSql92Filter, registerFilterType, FilterSyntaxError } from '@rockit/filter';
import { RemotingCommand, RequestCode, ResponseCode } from '@rockit/remoting';
import { PullSysFlag } from '@rockit/broker';
import { FilterCache, readProperty, storedPropertiesString } from '../src/processors/filter-cache.js';
import { createTopic, invoke, pull, quiet, send, startBroker, type RunningBroker } from './runtime-helpers.js';

const SUSPEND = PullSysFlag.FLAG_SUSPEND | PullSysFlag.FLAG_SUBSCRIPTION;

let rb: RunningBroker | undefined;
afterEach(async () => {
  await rb?.stop();
  rb = undefined;
});

function parseMessageOf(expression: string): string {
  try {
    compileSql92(expression);
  } catch (err) {
    if (err instanceof FilterSyntaxError) return err.message;
  }
  throw new Error(`${expression} compiles`);
}

function heartbeat(group: string, topic: string, subString: string, subVersion: number, expressionType = 'SQL92'): Buffer {
  return Buffer.from(
    JSON.stringify({
      clientID: '10.0.0.9@filter',
      producerDataSet: [],
      consumerDataSet: [
        {
          groupName: group,
          consumeType: 'CONSUME_PASSIVELY',
          messageModel: 'CLUSTERING',
          consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
          unitMode: false,
          subscriptionDataSet: [{ topic, subString, tagsSet: [], codeSet: [], subVersion, expressionType, classFilterMode: false }],
        },
      ],
    }),
  );
}

function checkClientConfig(rb: RunningBroker, expressionType: string, subString: string): Promise<RemotingCommand> {
  const body = JSON.stringify({ clientId: 'c', group: 'CG', subscriptionData: { topic: 'T', subString, expressionType, subVersion: 1, tagsSet: [], codeSet: [] } });
  return invoke(rb, RequestCode.CHECK_CLIENT_CONFIG, undefined, body);
}

/** A filter type that counts its compilations (registered once for the whole file). */
let compilations = 0;
registerFilterType('COUNTED_SQL92', (expression) => {
  compilations++;
  return compileSql92Filter(expression);
});

describe('PullMessageProcessor with SQL92 subscriptions', () => {
  it('returns only matching records and moves nextBeginOffset past every examined unit', async () => {
    rb = await startBroker({ overrides: { enablePropertyFilter: true } });
    await createTopic(rb, 'SqlMix', 1);
    for (let i = 0; i < 40; i++) await send(rb, 'SqlMix', `m${i}`, { tags: i % 2 ? 'odd' : 'even', properties: { n: String(i) } });
    const r = await pull(rb, 'SqlMix', { subscription: "n >= 30 AND TAGS = 'odd'", expressionType: 'SQL92', maxMsgNums: 3 });
    expect(r.code).toBe(ResponseCode.SUCCESS);
    const msgs = decodeMessages(r.body!);
    expect(msgs.map((m) => m.body.toString())).toEqual(['m31', 'm33', 'm35']);
    // The next pull starts right after the last returned record, not after the whole range.
    expect(r.extFields?.nextBeginOffset).toBe('36');
    const rest = await pull(rb, 'SqlMix', { offset: 36, subscription: "n >= 30 AND TAGS = 'odd'", expressionType: 'SQL92' });
    expect(decodeMessages(rest.body!).map((m) => m.queueOffset)).toEqual([37, 39]);
    expect(rest.extFields?.nextBeginOffset).toBe('40');
  });

  it('answers a range without a match PULL_RETRY_IMMEDIATELY with the offset past it, then parks at the end', async () => {
    rb = await startBroker({ overrides: { enablePropertyFilter: true } });
    await createTopic(rb, 'SqlNone', 1);
    for (let i = 0; i < 25; i++) await send(rb, 'SqlNone', `m${i}`, { properties: { n: String(i) } });
    const none = await pull(rb, 'SqlNone', { subscription: 'n > 1000', expressionType: 'SQL92', maxMsgNums: 4 });
    expect(none.code).toBe(ResponseCode.PULL_RETRY_IMMEDIATELY);
    expect(none.remark).toBe('NO_MATCHED_MESSAGE');
    expect(none.body).toBeUndefined();
    expect(none.extFields?.nextBeginOffset).toBe('25');
    // From there the consumer long-polls instead of spinning; a non-matching arrival does not wake it.
    const held = pull(rb, 'SqlNone', { offset: 25, sysFlag: SUSPEND, subscription: 'n > 1000', expressionType: 'SQL92', suspendTimeoutMillis: 15_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(rb.broker.ctx.pullRequestHoldService.size).toBe(1);
    await send(rb, 'SqlNone', 'small', { properties: { n: '5' } });
    await new Promise((r) => setTimeout(r, 100));
    expect(rb.broker.ctx.pullRequestHoldService.size).toBe(1);
    await send(rb, 'SqlNone', 'big', { properties: { n: '5000' } });
    const woken = await held;
    expect(woken.code).toBe(ResponseCode.SUCCESS);
    expect(decodeMessages(woken.body!).map((m) => [m.body.toString(), m.queueOffset])).toEqual([['big', 26]]);
    expect(woken.extFields?.nextBeginOffset).toBe('27');
  });

  it('refuses an expression that does not parse with SUBSCRIPTION_PARSE_FAILED and the parser message', async () => {
    rb = await startBroker({ overrides: { enablePropertyFilter: true } });
    await createTopic(rb, 'SqlBad', 1);
    await send(rb, 'SqlBad', 'm', { properties: { price: '3' } });
    for (const expression of ['price >', "a = 1 ADN b = 'x'", 'a = NULL']) {
      const r = await pull(rb, 'SqlBad', { subscription: expression, expressionType: 'SQL92' });
      expect(r.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
      expect(r.remark).toBe(parseMessageOf(expression));
    }
    expect(parseMessageOf('price >')).toBe("Expected a value after '>' at column 8");
    const check = await checkClientConfig(rb, 'SQL92', 'price >');
    expect(check.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    expect(check.remark).toBe("Expected a value after '>' at column 8");
    expect((await checkClientConfig(rb, 'SQL92', 'price > 1')).code).toBe(ResponseCode.SUCCESS);
    const unknownType = await pull(rb, 'SqlBad', { subscription: 'x', expressionType: 'JSONPATH' });
    expect(unknownType.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(unknownType.remark).toContain('JSONPATH');
  });

  it('refuses SQL92 on pulls and CHECK_CLIENT_CONFIG when enablePropertyFilter=false, with RocketMQ\'s remark', async () => {
    rb = await startBroker();
    await createTopic(rb, 'SqlOff', 1);
    const refused = await pull(rb, 'SqlOff', { subscription: 'a > 1', expressionType: 'SQL92' });
    expect(refused.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(refused.remark).toBe('The broker does not support consumer to filter message by SQL92');
    const check = await checkClientConfig(rb, 'SQL92', 'a > 1');
    expect(check.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(check.remark).toBe('The broker does not support consumer to filter message by SQL92');
    expect((await checkClientConfig(rb, 'TAG', 'TagA || TagB')).code).toBe(ResponseCode.SUCCESS);
    // A heartbeat is accepted (as RocketMQ does); the pulls by its subscription are refused.
    expect((await invoke(rb, RequestCode.HEART_BEAT, undefined, heartbeat('CG_off', 'SqlOff', 'a > 1', Date.now()))).code).toBe(0);
    expect(rb.broker.ctx.filterCache.size).toBe(0);
    const byHeartbeat = await pull(rb, 'SqlOff', { group: 'CG_off', sysFlag: 0 });
    expect({ code: byHeartbeat.code, remark: byHeartbeat.remark }).toEqual({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'The broker does not support consumer to filter message by SQL92',
    });
  });

  it('compiles a heartbeat subscription once and filters pulls without a subscription in the header by it', async () => {
    rb = await startBroker({ overrides: { enablePropertyFilter: true } });
    await createTopic(rb, 'SqlHb', 1);
    for (let i = 0; i < 20; i++) await send(rb, 'SqlHb', `m${i}`, { properties: { n: String(i) } });
    const before = compilations;
    const version = Date.now();
    const hb = () => invoke(rb!, RequestCode.HEART_BEAT, undefined, heartbeat('CG_sql', 'SqlHb', 'n < 3 OR n = 19', version, 'COUNTED_SQL92'));
    expect((await hb()).code).toBe(0);
    expect(compilations - before).toBe(1);
    expect(rb.broker.ctx.filterCache.versionOf('CG_sql', 'SqlHb', 'COUNTED_SQL92', 'n < 3 OR n = 19')).toBe(version);
    for (let i = 0; i < 3; i++) {
      expect((await hb()).code).toBe(0);
      const r = await pull(rb, 'SqlHb', { group: 'CG_sql', sysFlag: 0, maxMsgNums: 32 });
      expect(r.code).toBe(ResponseCode.SUCCESS);
      expect(decodeMessages(r.body!).map((m) => m.body.toString())).toEqual(['m0', 'm1', 'm2', 'm19']);
    }
    // Pulls carrying the same subscription in the header reuse the same compilation too.
    for (let i = 0; i < 3; i++) {
      const r = await pull(rb, 'SqlHb', { group: 'CG_sql', subscription: 'n < 3 OR n = 19', expressionType: 'COUNTED_SQL92' });
      expect(decodeMessages(r.body!)).toHaveLength(4);
    }
    expect(compilations - before).toBe(1);
  });

  it('answers a heartbeat with a bad SQL92 subscription SUCCESS and the pulls SUBSCRIPTION_PARSE_FAILED', async () => {
    rb = await startBroker({ overrides: { enablePropertyFilter: true } });
    await createTopic(rb, 'SqlHbBad', 1);
    await send(rb, 'SqlHbBad', 'm', { properties: { n: '1' } });
    expect((await invoke(rb, RequestCode.HEART_BEAT, undefined, heartbeat('CG_bad', 'SqlHbBad', 'n >', Date.now()))).code).toBe(0);
    const r = await pull(rb, 'SqlHbBad', { group: 'CG_bad', sysFlag: 0 });
    expect(r.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    expect(r.remark).toBe(parseMessageOf('n >'));
  });
});

describe('FilterCache', () => {
  it('keeps one compilation per (group, topic, expression) and follows the newest subscription version', () => {
    const cache = new FilterCache();
    const a = cache.get('g', 't', 'SQL92', 'a > 1', 1, true);
    expect(cache.get('g', 't', 'SQL92', 'a > 1', 5, true)).toBe(a);
    expect(cache.get('g', 't', 'SQL92', 'a > 1', 3, true)).toBe(a);
    expect(cache.versionOf('g', 't', 'SQL92', 'a > 1')).toBe(5);
    expect(cache.get('g2', 't', 'SQL92', 'a > 1', 1, true)).not.toBe(a);
    const b = cache.get('g', 't', 'SQL92', 'a > 2', 6, true);
    expect(b).not.toBe(a);
    expect(cache.get('g', 't', 'SQL92', 'a > 1', 5, true)).toBe(a);
    expect(cache.size).toBe(2);
    const tag = cache.get('g', 't2', '', 'TagA', 1, false);
    expect(tag.expressionType).toBe('TAG');
    cache.register('g3', [{ topic: 't', expressionType: 'SQL92', subString: 'broken >', subVersion: 1 }], true, quiet);
    expect(cache.versionOf('g3', 't', 'SQL92', 'broken >')).toBeUndefined();
  });

  it('evaluates SQL92 against the properties of a stored record and of an arriving message', () => {
    const filter = new FilterCache().get('g', 't', 'SQL92', "region = 'eu' AND price > 10", 1, true);
    const stored = (properties: string, topic = 't', bornHost = '127.0.0.1') => {
      const msg: MessageExtBrokerInner = {
        topic,
        queueId: 0,
        flag: 0,
        body: Buffer.from('body'),
        propertiesString: properties,
        sysFlag: 0,
        bornTimestamp: 1,
        bornHost: { address: bornHost, port: 1 },
        storeHost: { address: '127.0.0.1', port: 2 },
        reconsumeTimes: 0,
        preparedTransactionOffset: 0,
        tagsCode: 0,
      };
      msg.sysFlag = hostSysFlags(msg.bornHost, msg.storeHost);
      const buf = Buffer.alloc(storedMessageLength(Buffer.byteLength(topic), 4, Buffer.byteLength(properties), msg.sysFlag));
      writeStoredMessage(buf, 0, msg, 0, 0, 2);
      return buf;
    };
    const yes = 'region\u0001eu\u0002price\u000111';
    const no = 'region\u0001eu\u0002price\u00019';
    expect(filter.isMatchedByCommitLog(stored(yes))).toBe(true);
    expect(filter.isMatchedByCommitLog(stored(no))).toBe(false);
    expect(filter.isMatchedByCommitLog(stored(''))).toBe(false);
    expect(filter.isMatchedByCommitLog(Buffer.alloc(12))).toBe(false);
    expect(filter.matchesArrival(0, yes)).toBe(true);
    expect(filter.matchesArrival(0, no)).toBe(false);
    for (const record of [stored(yes), stored(yes, 'T'.repeat(200)), stored(yes, 't', '::1'), stored('ü\u0001ö')]) {
      expect(storedPropertiesString(record)).toBe(readStoredMessageHeader(record, 0).propertiesString);
    }
    expect(filter.isMatchedByCommitLog(stored(yes, 'T'.repeat(200), '::1'))).toBe(true);
  });

  it('reads a property from a properties string exactly as string2messageProperties does', () => {
    // Random strings over a tiny alphabet: names that prefix each other, duplicates, empty names and values.
    const alphabet = ['a', 'b', 'ab', 'ba', '\u0001', '\u0002', 'x'];
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return (seed >>> 16) % n;
    };
    const fixed = ['a\u0001b\u0002a\u0001', 'a\u0001b\u0002a\u0001\u0002x\u0001y', 'ab\u0001x\u0002b\u0001y', 'x\u0001a\u0001b\u0002a\u00011'];
    for (let round = 0; round < 5000; round++) {
      let text = fixed[round] ?? '';
      for (let i = random(16); i > 0; i--) text += alphabet[random(alphabet.length)];
      const map = string2messageProperties(text);
      for (const name of ['a', 'b', 'ab', 'ba', 'x', 'abx']) expect(readProperty(text, name), JSON.stringify([text, name])).toBe(map.get(name));
    }
  });
});
