import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchesTag, matchesTagCode, parseTagExpression, tagHashCode } from '@rockit/filter';

/** Java's String.hashCode computed the slow, obvious way: exact arithmetic, then reduced to int32. */
function javaHashOracle(s: string): number {
  let h = 0n;
  for (let i = 0; i < s.length; i++) h = (h * 31n + BigInt(s.charCodeAt(i))) % 2n ** 32n;
  return Number(BigInt.asIntN(32, h));
}

interface FixtureMessage {
  topic: string;
  tags: string | null;
  tagsCode: number;
}

const expected = JSON.parse(
  readFileSync(new URL('../../../../shared/fixtures/rocketmq-4.9.8-store/expected.json', import.meta.url), 'utf8'),
) as { messages: FixtureMessage[] };

describe('tagHashCode', () => {
  it.each(['TagA', 'TagB', '*', '', 'a', 'BatchTag', 'a much longer tag that overflows int32 many times', 'Grüße 你好 🙂'])(
    'matches Java String.hashCode for %j',
    (tag) => {
      expect(tagHashCode(tag)).toBe(javaHashOracle(tag));
    },
  );

  it('gives the documented values', () => {
    expect(tagHashCode('TagA')).toBe(2598919);
    expect(tagHashCode('*')).toBe(42);
  });

  it("equals the tagsCode RocketMQ 4.9.8 wrote into the fixture store's consume queues", () => {
    const pairs = new Map<string, number>();
    for (const m of expected.messages) {
      // In SCHEDULE_TOPIC_XXXX the tag code is the delivery time; untagged messages store 0.
      if (m.topic === 'SCHEDULE_TOPIC_XXXX' || m.tags === null) continue;
      pairs.set(m.tags, m.tagsCode);
    }
    expect(pairs.size).toBeGreaterThanOrEqual(7);
    for (const [tag, code] of pairs) expect(tagHashCode(tag), tag).toBe(code);
    // Literal values from the fixture, including a negative one.
    expect(tagHashCode('BatchTag')).toBe(-1629498848);
    expect(tagHashCode('Ordered')).toBe(457543757);
    expect(tagHashCode('TxTag')).toBe(81234518);
  });
});

describe('parseTagExpression', () => {
  it.each([null, undefined, '', '*'])('treats %j as every message', (expression) => {
    const sub = parseTagExpression(expression);
    expect(sub.all).toBe(true);
    expect(sub.subString).toBe('*');
    expect(sub.tags.size).toBe(0);
    expect(matchesTagCode(sub, 0)).toBe(true);
    expect(matchesTag(sub, null)).toBe(true);
  });

  it('splits on ||, trims, drops empties and duplicates (FilterAPI.buildSubscriptionData)', () => {
    const sub = parseTagExpression(' TagA ||TagB||  || TagA||\tTagC ');
    expect(sub.all).toBe(false);
    expect([...sub.tags]).toEqual(['TagA', 'TagB', 'TagC']);
    expect([...sub.codes]).toEqual(['TagA', 'TagB', 'TagC'].map(javaHashOracle));
  });

  it('keeps a * inside a list as the literal tag *', () => {
    const sub = parseTagExpression('TagA || *');
    expect(sub.all).toBe(false);
    expect(sub.codes.has(42)).toBe(true);
    expect(matchesTag(sub, 'TagZ')).toBe(false);
  });

  it('keeps single | and inner spaces as part of a tag', () => {
    expect([...parseTagExpression('a|b || c d').tags]).toEqual(['a|b', 'c d']);
  });
});

describe('matchesTagCode (ConsumeQueue stage)', () => {
  const sub = parseTagExpression('TagA || TagB');

  it('matches the tag codes of the subscribed tags only', () => {
    expect(matchesTagCode(sub, 2598919)).toBe(true);
    expect(matchesTagCode(sub, 2598920)).toBe(true);
    expect(matchesTagCode(sub, tagHashCode('TagC'))).toBe(false);
  });

  it('does not match untagged messages (tagsCode 0) with a tag list', () => {
    expect(matchesTagCode(sub, 0)).toBe(false);
  });

  it('matches when there is no tag code at all', () => {
    expect(matchesTagCode(sub, null)).toBe(true);
    expect(matchesTagCode(sub, undefined)).toBe(true);
  });

  it('compares the low 32 bits of the 8-byte code, like tagsCode.intValue()', () => {
    const negative = parseTagExpression('BatchTag');
    expect(matchesTagCode(negative, -1629498848)).toBe(true);
    expect(matchesTagCode(negative, BigInt(-1629498848))).toBe(true);
    expect(matchesTagCode(negative, (1n << 32n) + BigInt.asUintN(32, -1629498848n))).toBe(true);
    expect(matchesTagCode(sub, 2 ** 32 + 2598919)).toBe(true);
  });
});

describe('matchesTag (client re-check)', () => {
  it('compares exact tag strings, so hash collisions do not pass', () => {
    // "Aa" and "BB" share a Java hash code.
    expect(tagHashCode('Aa')).toBe(tagHashCode('BB'));
    const sub = parseTagExpression('Aa');
    expect(matchesTagCode(sub, tagHashCode('BB'))).toBe(true);
    expect(matchesTag(sub, 'BB')).toBe(false);
    expect(matchesTag(sub, 'Aa')).toBe(true);
    expect(matchesTag(sub, null)).toBe(false);
  });
});
