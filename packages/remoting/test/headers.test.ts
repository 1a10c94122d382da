import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  HeaderTable,
  PullMessageRequestHeader,
  RemotingCommand,
  RemotingCommandError,
  RequestCode,
  ResponseCode,
  SendMessageRequestHeaderV2,
  SendMessageResponseHeader,
  decodeFrame,
  decodeHeader,
  encodeHeader,
  requestCodeName,
  requestHeaderOf,
  responseHeaderOf,
  type SendMessageRequestHeader,
} from '@rockit/remoting';

const fixture = new URL('../../../../shared/fixtures/wire/frames.jsonl', import.meta.url);
const frames = readFileSync(fixture, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { hex: string; requestCode: number; isResponse: boolean; code: number; source: string });

/** Ext keys that ride along with headers without being header fields (§2.5, wire README §5). */
const EXTRA_KEYS = new Set(['AccessKey', 'Signature', '_UNIQUE_KEY_QUERY', 'MSG_REGION', 'TRACE_ON', 'ReqT']);

describe('typed headers', () => {
  it('decode every captured header of a code in the table and encode back to the same ext fields', () => {
    let checked = 0;
    const codes = new Set<string>();
    for (const f of frames) {
      const bytes = Buffer.from(f.hex, 'hex');
      const cmd = decodeFrame(bytes, 0, bytes.length);
      const descriptor = f.isResponse ? responseHeaderOf(f.requestCode) : requestHeaderOf(f.code);
      if (descriptor === undefined || (f.isResponse && f.code !== ResponseCode.SUCCESS)) continue;
      const header = decodeHeader(cmd, descriptor);
      const ext = cmd.extFields ?? {};
      const wireKeys = new Set(Object.values(descriptor.fields).map((spec, idx) => spec.key ?? Object.keys(descriptor.fields)[idx]));
      for (const key of Object.keys(ext)) {
        if (!wireKeys.has(key)) expect(EXTRA_KEYS, `${descriptor.name} lacks field ${key}`).toContain(key);
      }
      const reencoded = encodeHeader(header, descriptor);
      const expected = Object.fromEntries(Object.entries(ext).filter(([k]) => wireKeys.has(k)));
      expect(reencoded).toEqual(expected);
      checked++;
      codes.add(`${requestCodeName(f.requestCode)}${f.isResponse ? ' response' : ''}`);
    }
    expect(checked).toBeGreaterThan(200);
    expect(codes.size).toBeGreaterThan(40);
  });

  it('maps SEND_MESSAGE_V2 one-letter keys to the V1 field names and back', () => {
    const header: SendMessageRequestHeader = {
      producerGroup: 'pg',
      topic: 'T',
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
      queueId: 1,
      sysFlag: 0,
      bornTimestamp: 1795386296034,
      flag: 0,
      properties: 'TAGS\u0001a',
      reconsumeTimes: 0,
      unitMode: false,
      batch: false,
      bname: 'broker-a',
    };
    const ext = encodeHeader(header, SendMessageRequestHeaderV2);
    expect(Object.keys(ext).join('')).toBe('abcdefghijkmn');
    expect(ext).toMatchObject({ a: 'pg', g: '1795386296034', k: 'false', m: 'false', n: 'broker-a' });
    expect(decodeHeader(ext, SendMessageRequestHeaderV2)).toEqual(header);
  });

  it('fails a missing required field with SYSTEM_ERROR "the custom field <x> is null", as Java does', () => {
    const cmd = RemotingCommand.createRequest(RequestCode.PULL_MESSAGE, { topic: 'T' });
    const err = (() => {
      try {
        decodeHeader(cmd, PullMessageRequestHeader);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RemotingCommandError);
    expect((err as RemotingCommandError).code).toBe(ResponseCode.SYSTEM_ERROR);
    expect((err as RemotingCommandError).remark).toBe('the custom field <consumerGroup> is null');
  });

  it('rejects malformed numbers and reads booleans like Boolean.parseBoolean', () => {
    expect(() => decodeHeader({ msgId: 'x', queueId: '1.5', queueOffset: '0' }, SendMessageResponseHeader)).toThrow(
      /illegal value "1.5"/,
    );
    expect(() => decodeHeader({ msgId: 'x', queueId: '2147483648', queueOffset: '0' }, SendMessageResponseHeader)).toThrow(
      RemotingCommandError,
    );
    const v2 = { a: 'g', b: 't', c: 'd', d: '4', e: '0', f: '0', g: '1', h: '0' };
    expect(decodeHeader({ ...v2, k: 'TRUE' }, SendMessageRequestHeaderV2).unitMode).toBe(true);
    expect(decodeHeader({ ...v2, k: 'yes' }, SendMessageRequestHeaderV2).unitMode).toBe(false);
    expect(decodeHeader({ msgId: 'x', queueId: '-1', queueOffset: '9007199254740991' }, SendMessageResponseHeader)).toEqual({
      msgId: 'x',
      queueId: -1,
      queueOffset: 9007199254740991,
    });
  });

  it('refuses to encode a header without a required field', () => {
    expect(() => encodeHeader({ msgId: 'x' }, SendMessageResponseHeader)).toThrow(/queueId/);
    expect(encodeHeader({ a: 1, b: undefined, c: true })).toEqual({ a: '1', c: 'true' });
  });

  it('covers the headers the broker, name server, client and admin tools need', () => {
    const needed = [
      'SEND_MESSAGE', 'SEND_MESSAGE_V2', 'PULL_MESSAGE', 'QUERY_MESSAGE', 'VIEW_MESSAGE_BY_ID',
      'QUERY_CONSUMER_OFFSET', 'UPDATE_CONSUMER_OFFSET', 'GET_MAX_OFFSET', 'GET_MIN_OFFSET',
      'SEARCH_OFFSET_BY_TIMESTAMP', 'GET_EARLIEST_MSG_STORETIME', 'UNREGISTER_CLIENT', 'GET_CONSUMER_LIST_BY_GROUP',
      'CONSUMER_SEND_MSG_BACK', 'END_TRANSACTION', 'CHECK_TRANSACTION_STATE', 'NOTIFY_CONSUMER_IDS_CHANGED',
      'REGISTER_BROKER', 'UNREGISTER_BROKER', 'GET_ROUTEINFO_BY_TOPIC', 'PUT_KV_CONFIG', 'GET_KV_CONFIG',
      'DELETE_KV_CONFIG', 'DELETE_TOPIC_IN_NAMESRV', 'GET_TOPICS_BY_CLUSTER', 'UPDATE_AND_CREATE_TOPIC',
      'DELETE_TOPIC_IN_BROKER', 'GET_BROKER_CONFIG', 'DELETE_SUBSCRIPTIONGROUP', 'GET_CONSUME_STATS',
      'GET_TOPIC_STATS_INFO', 'QUERY_CONSUME_QUEUE', 'RESET_CONSUMER_CLIENT_OFFSET', 'INVOKE_BROKER_TO_RESET_OFFSET',
      'GET_CONSUMER_CONNECTION_LIST', 'GET_PRODUCER_CONNECTION_LIST', 'QUERY_TOPIC_CONSUME_BY_WHO',
      'CONSUME_MESSAGE_DIRECTLY', 'GET_CONSUMER_RUNNING_INFO',
    ] as const;
    for (const name of needed) expect(HeaderTable.has(RequestCode[name]), name).toBe(true);
  });
});
