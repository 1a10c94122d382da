/**
 * The ACL request signer, checked against signatures Apache RocketMQ 4.9.8's own clients computed: the wire capture
 * holds requests signed by the Java benchmark client (`-a true`) and by mqadmin, both with the distribution's
 * example key pair (access key rocketmq2, secret key 12345678).
 */
import { readFileSync } from 'node:fs';
import { RemotingCommand, RequestCode, decodeFrame } from '@rockit/remoting';
import { describe, expect, it } from 'vitest';
import { AclClientRPCHook, aclSignature } from '../src/index.js';

const fixture = new URL('../../../../shared/fixtures/wire/frames.jsonl', import.meta.url);
const SECRET = '12345678';

interface Frame {
  source: string;
  from: string;
  isResponse: boolean;
  serializeType: string;
  code: number;
  bodyLength: number;
  hex: string;
  header: { extFields?: Record<string, string> };
}

const frames = readFileSync(fixture, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Frame);
// Requests a client signed itself. The broker forwards some admin requests with a body of its own (the message of
// CONSUME_MESSAGE_DIRECTLY) under the admin's signature, which then covers no body: those are not a signer's output.
const signed = frames.filter((f) => !f.isResponse && f.from !== 'broker' && f.header.extFields?.Signature !== undefined);

function bodyOf(f: Frame): Buffer | undefined {
  if (f.bodyLength === 0) return undefined;
  const frame = Buffer.from(f.hex, 'hex');
  return frame.subarray(frame.length - f.bodyLength);
}

describe('aclSignature', () => {
  it('reproduces the Signature of every request 4.9.8 clients signed, JSON and ROCKETMQ, with and without a body', () => {
    expect(signed.length).toBeGreaterThanOrEqual(70);
    expect(new Set(signed.map((f) => f.source))).toEqual(new Set(['java-benchmark', 'mqadmin']));
    expect(new Set(signed.map((f) => f.serializeType))).toEqual(new Set(['JSON', 'ROCKETMQ']));
    expect(signed.some((f) => f.bodyLength > 0)).toBe(true);
    const mismatches = signed.filter((f) => aclSignature(f.header.extFields!, bodyOf(f), SECRET) !== f.header.extFields!.Signature);
    expect(mismatches.map((f) => `${f.source} ${f.code}`)).toEqual([]);
  });

  it('is the same whether the body is one buffer or the parts it goes out as', () => {
    const fields = { AccessKey: 'ak', topic: 'T' };
    const body = Buffer.from('hello, world');
    expect(aclSignature(fields, [body.subarray(0, 5), body.subarray(5)], 'sk')).toBe(aclSignature(fields, body, 'sk'));
    expect(aclSignature(fields, body, 'sk')).not.toBe(aclSignature(fields, body, 'other'));
  });
});

describe('AclClientRPCHook', () => {
  it('signs a request exactly as the Java client did: AccessKey added, then Signature over every field and the body', () => {
    // A request of the capture, rebuilt without its ACL fields, then signed by the hook.
    const original = signed.find((f) => f.bodyLength > 0 && f.serializeType === 'JSON')!;
    const cmd = decodeFrame(Buffer.from(original.hex, 'hex'), 0, original.hex.length / 2);
    const { AccessKey: _ak, Signature: _sig, ...rest } = cmd.extFields!;
    const request = RemotingCommand.createRequest(cmd.code, rest, cmd.body);
    new AclClientRPCHook({ accessKey: 'rocketmq2', secretKey: SECRET }).doBeforeRequest('127.0.0.1:10911', request);
    expect(request.extFields?.AccessKey).toBe('rocketmq2');
    expect(request.extFields?.Signature).toBe(original.header.extFields!.Signature);
  });

  it('signs the security token too, and signs a reused request afresh', () => {
    const hook = new AclClientRPCHook({ accessKey: 'ak', secretKey: 'sk', securityToken: 'tok' });
    const request = RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'T' });
    hook.doBeforeRequest('addr', request);
    expect(request.extFields).toMatchObject({ AccessKey: 'ak', SecurityToken: 'tok' });
    const first = request.extFields!.Signature;
    expect(first).toBe(aclSignature({ AccessKey: 'ak', SecurityToken: 'tok', topic: 'T' }, undefined, 'sk'));
    // A retry of the same request object: the old signature is not signed over.
    hook.doBeforeRequest('addr', request);
    expect(request.extFields!.Signature).toBe(first);
    request.extFields!.topic = 'U';
    hook.doBeforeRequest('addr', request);
    expect(request.extFields!.Signature).not.toBe(first);
  });

  it('refuses credentials without both keys', () => {
    expect(() => new AclClientRPCHook({ accessKey: 'ak', secretKey: '' })).toThrow('ACL signing needs both an access key and a secret key');
  });
});
