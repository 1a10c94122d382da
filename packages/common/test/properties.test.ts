import { describe, expect, it } from 'vitest';
import { PropertiesSyntaxError, parseProperties } from '@rockit/common';

describe('parseProperties (java.util.Properties.load)', () => {
  it('drops a continuation backslash on the last line, as Java does at end of input', () => {
    expect([...parseProperties('a=1\nb=two\\')]).toEqual([
      ['a', '1'],
      ['b', 'two'],
    ]);
  });

  it('joins continued lines and drops the continuation line\'s leading blanks', () => {
    expect(parseProperties('list=a;\\\n   b;\\\n\tc').get('list')).toBe('a;b;c');
  });

  it('rejects a malformed \\uxxxx escape with its line number, as Java throws', () => {
    expect(() => parseProperties('a=1\n\nb=\\u00zz')).toThrow(PropertiesSyntaxError);
    expect(() => parseProperties('a=1\n\nb=\\u00zz')).toThrow('line 3');
  });
});
