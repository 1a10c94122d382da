import { describe, expect, it } from 'vitest';
import { string2messageProperties } from '@rockit/common';
import { putProperty, removeProperty, storedSingleProperties } from '../src/processors/stored-properties.js';

const S = '\u0002';
const N = '\u0001';

describe('stored properties', () => {
  it.each([
    [`WAIT${N}true`, ''],
    [`A${N}1${S}WAIT${N}true`, `A${N}1`],
    [`WAIT${N}true${S}A${N}1`, `A${N}1`],
    [`A${N}1${S}WAIT${N}true${S}B${N}2`, `A${N}1${S}B${N}2`],
    [`WAIT${N}a${S}WAIT${N}b`, ''],
    [`A${N}xWAIT${N}y${S}B${N}2`, `A${N}xWAIT${N}y${S}B${N}2`],
  ])('removes WAIT from %j', (input, expected) => {
    expect(removeProperty(input, 'WAIT')).toBe(expected);
  });

  it('replaces an existing value and appends a new one', () => {
    expect(putProperty(`A${N}1${S}B${N}2`, 'A', '9')).toBe(`B${N}2${S}A${N}9`);
    expect(putProperty('', 'X', '1')).toBe(`X${N}1`);
  });

  it('stores a single message with CLUSTER and without WAIT, keeping every other property', () => {
    const stored = storedSingleProperties(`TAGS${N}a${S}WAIT${N}true${S}KEYS${N}k1 k2`, 'DefaultCluster');
    expect(string2messageProperties(stored)).toEqual(new Map([['TAGS', 'a'], ['KEYS', 'k1 k2'], ['CLUSTER', 'DefaultCluster']]));
  });
});
