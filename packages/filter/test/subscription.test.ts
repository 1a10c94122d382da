import { describe, expect, it } from 'vitest';
import {
  compileSubscription,
  ExpressionType,
  filterTypes,
  FilterSemanticError,
  FilterSyntaxError,
  FilterTypeError,
  isTagType,
  registerFilterType,
  SYSTEM_ERROR,
  tagHashCode,
  type MessageFilter,
  type Sql92MessageFilter,
  type TagMessageFilter,
} from '@rockit/filter';

describe('compileSubscription', () => {
  it('treats a missing or empty expression type as TAG (ExpressionType.isTagType)', () => {
    expect(isTagType(null)).toBe(true);
    expect(isTagType('')).toBe(true);
    expect(isTagType('TAG')).toBe(true);
    expect(isTagType('SQL92')).toBe(false);
    for (const type of [null, undefined, '', 'TAG']) {
      expect(compileSubscription(type, 'TagA').expressionType).toBe('TAG');
    }
  });

  it('filters TAG subscriptions on the ConsumeQueue tag code and lets every commit-log entry through', () => {
    const filter = compileSubscription(ExpressionType.TAG, 'TagA || TagB') as TagMessageFilter;
    expect(filter.subscription.tags.has('TagB')).toBe(true);
    expect(filter.isMatchedByConsumeQueue(tagHashCode('TagA'))).toBe(true);
    expect(filter.isMatchedByConsumeQueue(tagHashCode('TagC'))).toBe(false);
    expect(filter.isMatchedByConsumeQueue(0)).toBe(false);
    expect(filter.needsCommitLogCheck).toBe(false);
    expect(filter.isMatchedByCommitLog(new Map([['TAGS', 'TagC']]))).toBe(true);
  });

  it('selects everything for a * subscription', () => {
    const filter = compileSubscription('TAG', '*');
    expect(filter.expression).toBe('*');
    expect(filter.isMatchedByConsumeQueue(0)).toBe(true);
    expect(filter.isMatchedByConsumeQueue(12345)).toBe(true);
  });

  it('filters SQL92 subscriptions on the commit-log properties, TAGS included', () => {
    const filter = compileSubscription('SQL92', "TAGS = 'TagA' AND a > 5") as Sql92MessageFilter;
    expect(filter.compiled.normalized).toBe("TAGS = 'TagA' AND a > 5");
    expect(filter.needsCommitLogCheck).toBe(true);
    expect(filter.isMatchedByConsumeQueue(tagHashCode('TagB'))).toBe(true);
    expect(filter.isMatchedByCommitLog(new Map([['TAGS', 'TagA'], ['a', '6']]))).toBe(true);
    expect(filter.isMatchedByCommitLog(new Map([['TAGS', 'TagB'], ['a', '6']]))).toBe(false);
    expect(filter.isMatchedByCommitLog((name) => ({ TAGS: 'TagA', a: '7' })[name])).toBe(true);
    expect(filter.isMatchedByCommitLog(new Map([['TAGS', 'TagA'], ['a', 'six']]))).toBe(false);
    expect(filter.isMatchedByCommitLog(null)).toBe(false);
  });

  it('evaluates a message without properties as one where every property is missing', () => {
    expect(compileSubscription('SQL92', 'a IS NULL').isMatchedByCommitLog(undefined)).toBe(true);
  });

  it('fails a bad SQL92 expression with the parse message', () => {
    expect(() => compileSubscription('SQL92', 'a >')).toThrow(FilterSyntaxError);
    expect(() => compileSubscription('SQL92', 'a >')).toThrow("Expected a value after '>' at column 4");
    expect(() => compileSubscription('SQL92', "a > 'x'")).toThrow(FilterSemanticError);
  });

  it('refuses an unknown expression type', () => {
    try {
      compileSubscription('XPATH', '/a');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FilterTypeError);
      expect((e as FilterTypeError).code).toBe(SYSTEM_ERROR);
      expect((e as Error).message).toBe("Unsupported subscription expression type 'XPATH' (expected TAG or SQL92)");
    }
  });

  it('accepts filters registered for other expression types', () => {
    const everything: MessageFilter = {
      expressionType: 'ALL_OF_THEM',
      expression: '',
      needsCommitLogCheck: false,
      isMatchedByConsumeQueue: () => true,
      isMatchedByCommitLog: () => true,
    };
    registerFilterType('ALL_OF_THEM', () => everything);
    expect(filterTypes()).toEqual(expect.arrayContaining(['TAG', 'SQL92', 'ALL_OF_THEM']));
    expect(compileSubscription('ALL_OF_THEM', 'whatever')).toBe(everything);
  });
});
