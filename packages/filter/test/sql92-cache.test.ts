import { describe, expect, it } from 'vitest';
import { clearSql92Cache, compileSql92, FilterSyntaxError } from '@rockit/filter';

describe('compileSql92 cache (RocketMQ keeps a parse cache too)', () => {
  it('returns the same compiled selector for the same text', () => {
    clearSql92Cache();
    const first = compileSql92("a = 'cached'");
    expect(compileSql92("a = 'cached'")).toBe(first);
    expect(compileSql92("a = 'cached'", { cache: false })).not.toBe(first);
  });

  it('remembers failures as well', () => {
    const failure = (): unknown => {
      try {
        compileSql92('a >');
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const first = failure();
    expect(first).toBeInstanceOf(FilterSyntaxError);
    expect(failure()).toBe(first);
  });

  it('keeps only the most recently used 100 expressions', () => {
    clearSql92Cache();
    const kept = compileSql92('k = 0');
    for (let i = 1; i <= 99; i++) compileSql92(`k = ${i}`);
    expect(compileSql92('k = 0')).toBe(kept); // a hit makes it the most recent
    for (let i = 100; i < 199; i++) compileSql92(`k = ${i}`);
    expect(compileSql92('k = 0')).toBe(kept);
    const evicted = compileSql92('k = 1');
    for (let i = 200; i < 300; i++) compileSql92(`k = ${i}`);
    expect(compileSql92('k = 1')).not.toBe(evicted);
  });
});
