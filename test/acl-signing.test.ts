/**
 * `--access-key/--secret-key` sign every request the CLI sends, as a Java client with AclClientRPCHook does: the
 * name server and the broker of an in-process cluster check each request's Signature against the secret key the
 * way an ACL broker does (recomputed from the ext fields they decoded and the body), through server RPC hooks.
 */
import { aclSignature } from '@rockit/acl';
import type { RemotingCommand } from '@rockit/remoting';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './helpers/cluster.js';
import { buildCli, rockit } from './helpers/rockit-cli.js';

const ACCESS_KEY = 'rocketmq2';
const SECRET_KEY = '12345678';

interface Seen {
  signed: number;
  unsigned: string[];
  wrong: string[];
}

let cluster: Cluster;
const seen: Seen = { signed: 0, unsigned: [], wrong: [] };

beforeAll(async () => {
  buildCli();
  cluster = await startCluster();
  const check = {
    doBeforeRequest(remoteAddr: string, request: RemotingCommand): void {
      const ext = request.extFields ?? {};
      // The broker's and name server's own calls to each other are not the CLI's.
      if (ext.Signature === undefined) {
        seen.unsigned.push(`${request.code} from ${remoteAddr}`);
        return;
      }
      const body = request.body;
      if (ext.AccessKey !== ACCESS_KEY || aclSignature(ext, body, SECRET_KEY) !== ext.Signature) seen.wrong.push(`${request.code} from ${remoteAddr}`);
      else seen.signed++;
    },
  };
  cluster.namesrv.remotingServer.registerRPCHook(check);
  cluster.brokers[0]!.server.registerRPCHook(check);
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

const signedRun = (args: string[]) => rockit([...args, '-n', cluster.namesrvAddr, '--access-key', ACCESS_KEY, '--secret-key', SECRET_KEY]);

describe('ACL request signing from the CLI', () => {
  it('signs every request of admin, produce, consume and bench commands with the key pair given', async () => {
    const before = { ...seen, unsigned: [...seen.unsigned] };
    expect((await signedRun(['admin', 'updateTopic', '-c', 'DefaultCluster', '-t', 'AclTopic', '-r', '2', '-w', '2'])).code).toBe(0);
    expect((await signedRun(['admin', 'topicList'])).stdout).toContain('AclTopic');
    const produced = await signedRun(['produce', 'AclTopic', '--body', 'signed hello', '--json']);
    expect(produced.code).toBe(0);
    const consumed = await signedRun(['consume', 'AclTopic', '-g', 'acl_group', '--from', 'first', '--max', '1', '--idle-timeout', '3', '--json']);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toContain('signed hello');
    const bench = await signedRun(['bench', 'produce', '-t', 'AclTopic', '--count', '200', '--mode', 'async', '--workers', '1', '--json']);
    expect(bench.code).toBe(0);

    // Every request the commands sent arrived signed with the right key and a signature the servers recompute.
    expect(seen.wrong).toEqual([]);
    expect(seen.signed - before.signed).toBeGreaterThan(200);
    // What arrived unsigned meanwhile came from the cluster itself (broker registration), not from a CLI client.
    const fromCli = seen.unsigned.slice(before.unsigned.length).filter((u) => !u.startsWith('103 ') && !u.startsWith('104 '));
    expect(fromCli).toEqual([]);
  }, 120_000);

  it('sends nothing signed without credentials, and refuses half a key pair in one line', async () => {
    const signedBefore = seen.signed;
    expect((await rockit(['admin', 'topicList', '-n', cluster.namesrvAddr])).code).toBe(0);
    expect(seen.signed).toBe(signedBefore);
    const half = await rockit(['admin', 'topicList', '-n', cluster.namesrvAddr, '--access-key', ACCESS_KEY]);
    expect(half.code).not.toBe(0);
    expect(half.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
