/** plain_acl.yml parsing, address patterns, permissions, and PlainAccessValidator's checks in RocketMQ's order. */
import { RemotingCommand, RequestCode } from '@rockit/remoting';
import { describe, expect, it } from 'vitest';
import {
  AclClientRPCHook,
  AclError,
  Permission,
  PlainAccessValidator,
  PlainAclConfigError,
  checkPermission,
  parsePermission,
  parsePlainAclConfig,
  remoteAddressMatcher,
} from '../src/index.js';

const YAML = `
globalWhiteRemoteAddresses:
  - 10.10.103.*
accounts:
  - accessKey: RocketMQ
    secretKey: 12345678
    whiteRemoteAddress: 192.168.0.{1,2}
    admin: false
    defaultTopicPerm: DENY
    defaultGroupPerm: SUB
    topicPerms:
      - Orders=PUB|SUB
      - Reports=SUB
    groupPerms:
      - blocked_group=DENY
  - accessKey: rocketmq2
    secretKey: 87654321
    admin: true
`;

const validator = new PlainAccessValidator({ config: parsePlainAclConfig(YAML) });

function signed(code: number, ext: Record<string, string>, accessKey = 'RocketMQ', secretKey = '12345678', body?: Buffer): RemotingCommand {
  const request = RemotingCommand.createRequest(code, { ...ext }, body);
  new AclClientRPCHook({ accessKey, secretKey }).doBeforeRequest('broker', request);
  return request;
}

function refusal(remoteAddr: string, request: RemotingCommand): string | undefined {
  try {
    validator.validate(remoteAddr, request);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(AclError);
    return (err as Error).message;
  }
}

describe('permissions and address patterns', () => {
  it('parses permission strings and checks them as RocketMQ does', () => {
    expect([parsePermission('PUB'), parsePermission('SUB|PUB'), parsePermission('deny'), parsePermission('RW')]).toEqual([
      Permission.PUB,
      Permission.PUB | Permission.SUB,
      Permission.DENY,
      Permission.DENY,
    ]);
    expect(checkPermission(Permission.PUB, Permission.PUB | Permission.SUB)).toBe(true);
    expect(checkPermission(Permission.SUB, Permission.PUB)).toBe(false);
    expect(checkPermission(Permission.ANY, Permission.SUB)).toBe(true);
    expect(checkPermission(Permission.PUB, Permission.DENY | Permission.PUB)).toBe(false);
  });

  it('matches the address pattern forms of plain_acl.yml', () => {
    const cases: [string, string, boolean][] = [
      ['', '1.2.3.4', false],
      ['*', '1.2.3.4', true],
      ['*.*.*.*', '8.8.8.8', true],
      ['192.168.0.{1,2}', '192.168.0.2', true],
      ['192.168.0.{1,2}', '192.168.0.3', false],
      ['10.0.0.1,10.0.0.2', '10.0.0.2', true],
      ['192.168.*', '192.168.7.9', true],
      ['192.168.*', '192.169.7.9', false],
      ['192.168.1.1-100', '192.168.1.100', true],
      ['192.168.1.1-100', '192.168.1.101', false],
      ['127.0.0.1', '127.0.0.1', true],
    ];
    for (const [pattern, ip, expected] of cases) expect([pattern, ip, remoteAddressMatcher(pattern)(ip)]).toEqual([pattern, ip, expected]);
  });

  it('names the broken entry of a plain_acl.yml', () => {
    expect(() => parsePlainAclConfig('accounts:\n  - accessKey: short\n    secretKey: 12345678\n')).toThrow(new PlainAclConfigError('accounts[0] (short): accessKey must be longer than 6 characters'));
    expect(() => parsePlainAclConfig('accounts:\n  - accessKey: RocketMQ\n    secretKey: 12345678\n    topicPerms:\n      - OnlyAName\n')).toThrow(
      'accounts[0] (RocketMQ) topicPerms entry "OnlyAName" is not name=PERM',
    );
    expect(() => parsePlainAclConfig('accounts: [')).toThrow(/not valid YAML/);
  });
});

describe('PlainAccessValidator', () => {
  it('lets a correctly signed request through when the account may use every resource it touches', () => {
    expect(refusal('127.0.0.1:50000', signed(RequestCode.SEND_MESSAGE_V2, { a: 'pg', b: 'Orders', e: '0' }, undefined, undefined, Buffer.from('body')))).toBeUndefined();
    expect(refusal('127.0.0.1:50000', signed(RequestCode.PULL_MESSAGE, { topic: 'Reports', consumerGroup: 'cg', queueId: '0' }))).toBeUndefined();
  });

  it('refuses, in RocketMQ\'s order: no access key, unknown account, bad signature, admin-only code, missing permission', () => {
    const unsigned = RemotingCommand.createRequest(RequestCode.SEND_MESSAGE_V2, { a: 'pg', b: 'Orders' });
    expect(refusal('127.0.0.1:1', unsigned)).toBe('the request has no AccessKey: this broker checks ACL, sign requests with an access key and secret key');
    expect(refusal('127.0.0.1:1', signed(RequestCode.SEND_MESSAGE_V2, { b: 'Orders' }, 'Stranger1', '12345678'))).toBe('no ACL account for access key Stranger1');
    expect(refusal('127.0.0.1:1', signed(RequestCode.SEND_MESSAGE_V2, { b: 'Orders' }, 'RocketMQ', 'wrong-secret'))).toBe(
      'signature check failed for access key RocketMQ: wrong secret key, or the request was changed after signing',
    );
    const tampered = signed(RequestCode.SEND_MESSAGE_V2, { b: 'Orders' });
    tampered.extFields!.b = 'Reports';
    expect(refusal('127.0.0.1:1', tampered)).toMatch(/^signature check failed/);
    expect(refusal('127.0.0.1:1', signed(RequestCode.UPDATE_AND_CREATE_TOPIC, { topic: 'New' }))).toBe('request code 17 needs an admin account, and access key RocketMQ is not one');
    expect(refusal('127.0.0.1:1', signed(RequestCode.SEND_MESSAGE_V2, { a: 'pg', b: 'Reports' }))).toBe('access key RocketMQ has no PUB permission on topic Reports (it has SUB)');
    expect(refusal('127.0.0.1:1', signed(RequestCode.SEND_MESSAGE_V2, { a: 'pg', b: 'Unlisted' }))).toBe('access key RocketMQ has no PUB permission on topic Unlisted (it has DENY)');
    expect(refusal('127.0.0.1:1', signed(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: 'blocked_group', topic: 'Orders' }))).toBe(
      'access key RocketMQ has no SUB permission on group blocked_group (it has DENY)',
    );
  });

  it('reads the groups and topics a heartbeat subscribes from its body', () => {
    const body = (group: string, topic: string) =>
      Buffer.from(JSON.stringify({ clientID: 'c', producerDataSet: [], consumerDataSet: [{ groupName: group, subscriptionDataSet: [{ topic }] }] }));
    expect(refusal('127.0.0.1:1', signed(RequestCode.HEART_BEAT, {}, undefined, undefined, body('any_group', 'Orders')))).toBeUndefined();
    expect(refusal('127.0.0.1:1', signed(RequestCode.HEART_BEAT, {}, undefined, undefined, body('any_group', 'Unlisted')))).toBe(
      'access key RocketMQ has no SUB permission on topic Unlisted (it has DENY)',
    );
  });

  it('skips every check for a global white address, and the signature too for the account\'s own white address', () => {
    expect(refusal('10.10.103.7:1', RemotingCommand.createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, { topic: 'X' }))).toBeUndefined();
    expect(refusal('192.168.0.1:1', signed(RequestCode.SEND_MESSAGE_V2, { b: 'Unlisted' }, 'RocketMQ', 'not-the-secret'))).toBeUndefined();
    expect(refusal('192.168.0.9:1', signed(RequestCode.SEND_MESSAGE_V2, { b: 'Unlisted' }, 'RocketMQ', 'not-the-secret'))).toMatch(/^signature check failed/);
  });

  it('lets an admin account without resource entries do anything, and accepts a query signed with or without _UNIQUE_KEY_QUERY', () => {
    expect(refusal('127.0.0.1:1', signed(RequestCode.UPDATE_AND_CREATE_TOPIC, { topic: 'New' }, 'rocketmq2', '87654321'))).toBeUndefined();
    expect(refusal('127.0.0.1:1', signed(RequestCode.SEND_MESSAGE_V2, { b: 'Anything' }, 'rocketmq2', '87654321'))).toBeUndefined();
    // 4.9.x clients sign the key, 4.9.x brokers check without it: both forms pass.
    const withKey = signed(RequestCode.QUERY_MESSAGE, { topic: 'Orders', key: 'k', _UNIQUE_KEY_QUERY: 'true' });
    expect(refusal('127.0.0.1:1', withKey)).toBeUndefined();
    const addedAfter = signed(RequestCode.QUERY_MESSAGE, { topic: 'Orders', key: 'k' });
    addedAfter.extFields!._UNIQUE_KEY_QUERY = 'true';
    expect(refusal('127.0.0.1:1', addedAfter)).toBeUndefined();
  });
});
