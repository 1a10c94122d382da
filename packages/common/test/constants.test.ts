import { describe, it, expect } from 'vitest';
import {
  MessageConst,
  SYSTEM_PROPERTY_KEYS,
  MessageSysFlag,
  getTransactionValue,
  resetTransactionValue,
  getCompressionType,
  setCompressionType,
  PermName,
  isReadable,
  isWriteable,
  isInherited,
  perm2String,
  isValidPerm,
  SystemTopic,
  validateTopic,
  validateUserTopic,
  validateSendTopic,
  validateGroup,
  isSystemTopic,
  addSystemTopic,
  isNotAllowedSendTopic,
  getRetryTopic,
  getDLQTopic,
  isRetryTopic,
  isDLQTopic,
  groupOfRetryOrDLQTopic,
  getReplyTopic,
  MixAll,
  DEFAULT_MESSAGE_DELAY_LEVEL,
  parseDelayLevels,
  MAX_DELAY_LEVEL,
} from '@rockit/common';

describe('MessageConst', () => {
  it('holds the exact property names RocketMQ stores', () => {
    expect(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX).toBe('UNIQ_KEY');
    expect(MessageConst.PROPERTY_REAL_QUEUE_ID).toBe('REAL_QID');
    expect(MessageConst.PROPERTY_TRANSACTION_PREPARED).toBe('TRAN_MSG');
    expect(MessageConst.PROPERTY_SHARDING_KEY).toBe('__SHARDINGKEY');
    expect(MessageConst.PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS).toBe('CHECK_IMMUNITY_TIME_IN_SECONDS');
    expect(MessageConst.KEY_SEPARATOR).toBe(' ');
  });

  it('reserves the system property names but not user-facing ones like the sharding key', () => {
    for (const k of ['TAGS', 'KEYS', 'WAIT', 'DELAY', 'UNIQ_KEY', 'CLUSTER', 'TRACE_ON', 'MSG_REGION', 'INSTANCE_ID']) {
      expect(SYSTEM_PROPERTY_KEYS.has(k), k).toBe(true);
    }
    expect(SYSTEM_PROPERTY_KEYS.has('__SHARDINGKEY')).toBe(false);
    expect(SYSTEM_PROPERTY_KEYS.has('a')).toBe(false);
  });
});

describe('MessageSysFlag', () => {
  it('reads and resets the transaction type bits', () => {
    expect(getTransactionValue(0x301 | MessageSysFlag.TRANSACTION_COMMIT_TYPE)).toBe(0x8);
    expect(resetTransactionValue(0x30d, MessageSysFlag.TRANSACTION_NOT_TYPE)).toBe(0x301);
    expect(resetTransactionValue(0x1, MessageSysFlag.TRANSACTION_PREPARED_TYPE)).toBe(0x5);
  });

  it('names compression types, with type bits 0 meaning zlib', () => {
    expect(getCompressionType(0x1)).toBe('ZLIB');
    expect(getCompressionType(0x301)).toBe('ZLIB');
    expect(getCompressionType(0x101)).toBe('LZ4');
    expect(getCompressionType(0x201)).toBe('ZSTD');
    expect(() => getCompressionType(0x401)).toThrow(/compression type/);
    expect(setCompressionType(0x8, 'ZLIB')).toBe(0x309);
  });
});

describe('PermName', () => {
  it('tests and prints permission bits', () => {
    expect(isReadable(6) && isWriteable(6) && !isInherited(6)).toBe(true);
    expect(perm2String(7)).toBe('RWX');
    expect(perm2String(PermName.PERM_WRITE)).toBe('-W-');
    expect(perm2String(PermName.PERM_INHERIT)).toBe('--X');
    expect(isValidPerm(6)).toBe(true);
    expect(isValidPerm(16)).toBe(false);
  });
});

describe('TopicValidator', () => {
  it('accepts names from [%|a-zA-Z0-9_-] up to 127 characters', () => {
    expect(validateTopic('TopicTest')).toBeUndefined();
    expect(validateTopic('%RETRY%cg|x-y_z')).toBeUndefined();
    expect(validateTopic('t'.repeat(127))).toBeUndefined();
  });

  it('gives the broker reasons for blank, illegal and too-long names', () => {
    expect(validateTopic('')).toBe('The specified topic is blank.');
    expect(validateTopic('  ')).toBe('The specified topic is blank.');
    expect(validateTopic(undefined)).toBe('The specified topic is blank.');
    expect(validateTopic('a b')).toBe('The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$');
    expect(validateTopic('Grüße')).toMatch(/illegal characters/);
    expect(validateTopic('t'.repeat(128))).toBe('The specified topic is longer than topic max length.');
  });

  it('refuses the default topic and system topics for users', () => {
    expect(validateUserTopic('TBW102')).toMatch(/AUTO_CREATE_TOPIC_KEY_TOPIC/);
    expect(validateUserTopic('SCHEDULE_TOPIC_XXXX')).toBe('The topic[SCHEDULE_TOPIC_XXXX] is conflict with system topic.');
    expect(validateUserTopic('rmq_sys_anything')).toMatch(/system topic/);
    expect(validateUserTopic('a b')).toMatch(/illegal/);
    expect(validateUserTopic('Orders')).toBeUndefined();
  });

  it('knows the system topics and those no producer may send to', () => {
    for (const t of Object.values(SystemTopic)) expect(isSystemTopic(t), t).toBe(true);
    expect(isNotAllowedSendTopic('RMQ_SYS_TRANS_HALF_TOPIC')).toBe(true);
    expect(isNotAllowedSendTopic('RMQ_SYS_TRACE_TOPIC')).toBe(false);
    expect(isNotAllowedSendTopic('BenchmarkTest')).toBe(false);
    expect(validateSendTopic('OFFSET_MOVED_EVENT')).toBe('Sending message to topic[OFFSET_MOVED_EVENT] is forbidden.');
    expect(isSystemTopic('DefaultClusterX')).toBe(false);
    addSystemTopic('DefaultClusterX');
    expect(isSystemTopic('DefaultClusterX')).toBe(true);
  });

  it('validates group names with the same character set', () => {
    expect(validateGroup('CID_ONS-HTTP-PROXY')).toBeUndefined();
    expect(validateGroup('')).toMatch(/blank/);
    expect(validateGroup('a/b')).toMatch(/illegal characters/);
    expect(validateGroup('g'.repeat(256))).toMatch(/longer/);
  });
});

describe('MixAll names', () => {
  it('builds and recognises retry, DLQ and reply topics', () => {
    expect(getRetryTopic('cg')).toBe('%RETRY%cg');
    expect(getDLQTopic('cg')).toBe('%DLQ%cg');
    expect(isRetryTopic('%RETRY%cg') && isDLQTopic('%DLQ%cg')).toBe(true);
    expect(isRetryTopic('cg')).toBe(false);
    expect(groupOfRetryOrDLQTopic('%DLQ%ns%cg')).toBe('ns%cg');
    expect(groupOfRetryOrDLQTopic('T')).toBeUndefined();
    expect(getReplyTopic('DefaultCluster')).toBe('DefaultCluster_REPLY_TOPIC');
    expect(MixAll.DEFAULT_TOPIC_QUEUE_NUMS).toBe(8);
  });
});

describe('delay levels', () => {
  it('parses the default messageDelayLevel into 18 delays in ms', () => {
    const levels = parseDelayLevels(DEFAULT_MESSAGE_DELAY_LEVEL);
    expect(levels).toHaveLength(MAX_DELAY_LEVEL);
    expect(levels.slice(0, 4)).toEqual([1000, 5000, 10_000, 30_000]);
    expect(levels[4]).toBe(60_000);
    expect(levels.at(-1)).toBe(7_200_000);
  });

  it('accepts days and extra spaces and rejects unknown units', () => {
    expect(parseDelayLevels(' 1d  2s ')).toEqual([86_400_000, 2000]);
    expect(() => parseDelayLevels('1s 5x')).toThrow(/5x/);
    expect(() => parseDelayLevels('s')).toThrow();
  });
});
