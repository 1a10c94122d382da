import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  LANGUAGE_NAMES,
  LanguageCode,
  RequestCode,
  ResponseCode,
  ResponseCodeTable,
  languageCodeOf,
  requestCodeName,
  responseCodeDescription,
  responseCodeName,
} from '@rockit/remoting';

const fixture = new URL('../../../../shared/fixtures/wire/frames.jsonl', import.meta.url);
const frames = readFileSync(fixture, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { code: number; requestCode: number; isResponse: boolean });

describe('code tables', () => {
  it('name every request code and response code seen in the 4.9.8 capture', () => {
    for (const f of frames) {
      expect(requestCodeName(f.requestCode)).not.toMatch(/^UNKNOWN/);
      if (f.isResponse) expect(responseCodeName(f.code)).not.toMatch(/^UNKNOWN/);
    }
  });

  it('give every request code its own value', () => {
    const values = Object.values(RequestCode);
    expect(new Set(values).size).toBe(values.length);
    expect(requestCodeName(RequestCode.SEND_MESSAGE_V2)).toBe('SEND_MESSAGE_V2');
    expect(requestCodeName(77777)).toBe('UNKNOWN(77777)');
  });

  it('give every response code a name and a user-facing description', () => {
    const codes = Object.values(ResponseCodeTable).map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const { code, description } of Object.values(ResponseCodeTable)) {
      expect(description.length).toBeGreaterThan(3);
      expect(responseCodeDescription(code)).toBe(description);
    }
    expect(ResponseCode.TOPIC_NOT_EXIST).toBe(17);
    expect(responseCodeName(209)).toBe('UPDATE_AND_CREATE_ACL_CONFIG_FAILED');
  });

  it('map language names and bytes both ways (§2.6)', () => {
    expect(LANGUAGE_NAMES[LanguageCode.GO]).toBe('GO');
    expect(LANGUAGE_NAMES.length).toBe(14);
    LANGUAGE_NAMES.forEach((name, byte) => expect(languageCodeOf(name)).toBe(byte));
    expect(languageCodeOf('COBOL')).toBeUndefined();
  });
});
