/**
 * A broker with plain ACL on (aclEnable=true, a plain_acl.yml), against clients we did and did not write: ali-ons
 * signing with its own code, @rockit/client, and the CLI. Refused requests get SYSTEM_ERROR with the reason; the
 * broker keeps serving everyone else.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedCluster, type EmbeddedCluster } from '@rockit/broker';
import { AdminClient, MQBrokerError, MQClientError, Message, Producer } from '@rockit/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers/admin.js';
import { quietLogger } from './helpers/cluster.js';
import { buildCli, rockit } from './helpers/rockit-cli.js';

const require = createRequire(import.meta.url);
interface AliMessage {
  body: Buffer;
}
const ons = require('ali-ons') as {
  Producer: new (options: Record<string, unknown>) => { ready(): Promise<void>; close(): Promise<void>; send(msg: AliMessage): Promise<{ sendStatus: string }> };
  Consumer: new (options: Record<string, unknown>) => {
    ready(): Promise<void>;
    close(): Promise<void>;
    subscribe(topic: string, expression: string, handler: (msg: AliMessage) => Promise<unknown>): void;
    on(event: 'error', listener: (err: Error) => void): void;
  };
  Message: new (topic: string, tags: string, body: Buffer | string) => AliMessage;
};
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

const PLAIN_ACL = `
globalWhiteRemoteAddresses: []
accounts:
  - accessKey: RocketMQ
    secretKey: 12345678
    admin: false
    defaultTopicPerm: DENY
    defaultGroupPerm: SUB
    topicPerms:
      - AclOrders=PUB|SUB
      - Forbidden=DENY
  - accessKey: rocketmq2
    secretKey: 87654321
    admin: true
`;

let dir: string;
let cluster: EmbeddedCluster;

beforeAll(async () => {
  buildCli();
  dir = mkdtempSync(join(tmpdir(), 'rockit-acl-'));
  writeFileSync(join(dir, 'plain_acl.yml'), PLAIN_ACL);
  cluster = await startEmbeddedCluster({
    memory: true,
    dataDir: join(dir, 'data'),
    topics: ['AclOrders', 'Forbidden'],
    brokerConfig: { aclEnable: true },
    aclConfigFile: join(dir, 'plain_acl.yml'),
    logger: quietLogger,
  });
}, 120_000);

afterAll(async () => {
  await cluster?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rockitProducer(credentials?: { accessKey: string; secretKey: string }): Promise<Producer> {
  const p = new Producer({
    namesrvAddr: cluster.namesrvAddr,
    producerGroup: 'PG_acl',
    instanceName: `acl-${Math.random()}`,
    retryTimesWhenSendFailed: 0,
    logger: quietLogger,
    ...(credentials ? { credentials } : {}),
  });
  await p.start();
  return p;
}

async function sendFailure(p: Producer, topic: string): Promise<string> {
  const err = await p.send(new Message(topic, 'x')).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MQClientError);
  return (err as Error).message;
}

describe('a broker with plain ACL', () => {
  it('serves ali-ons signing with its own code: a producer and a push consumer of an allowed topic', async () => {
    const options = { nameSrv: cluster.namesrvAddr, httpclient: true, logger: quiet, accessKey: 'RocketMQ', secretKey: '12345678' };
    const producer = new ons.Producer({ ...options, producerGroup: 'PG_ons_acl', instanceName: 'ons-acl-p' });
    const consumer = new ons.Consumer({ ...options, consumerGroup: 'CG_ons_acl', instanceName: 'ons-acl-c', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', rebalanceInterval: 1000 });
    consumer.on('error', () => {});
    try {
      await producer.ready();
      const r = await producer.send(new ons.Message('AclOrders', 'TagA', 'signed by ali-ons'));
      expect(r.sendStatus).toBe('SEND_OK');
      await consumer.ready();
      const got: string[] = [];
      consumer.subscribe('AclOrders', '*', async (msg) => {
        got.push(msg.body.toString());
      });
      await eventually(() => got.includes('signed by ali-ons'), 'ali-ons consumer receives the message');
    } finally {
      await consumer.close().catch(() => undefined);
      await producer.close().catch(() => undefined);
    }
  }, 60_000);

  it('refuses @rockit/client requests with SYSTEM_ERROR naming the reason, and still serves a correct one', async () => {
    const unsigned = await rockitProducer();
    expect(await sendFailure(unsigned, 'AclOrders')).toContain('the request has no AccessKey');
    await unsigned.shutdown();

    const wrongSecret = await rockitProducer({ accessKey: 'RocketMQ', secretKey: 'not-the-secret' });
    expect(await sendFailure(wrongSecret, 'AclOrders')).toContain('signature check failed for access key RocketMQ');
    await wrongSecret.shutdown();

    const allowed = await rockitProducer({ accessKey: 'RocketMQ', secretKey: '12345678' });
    expect(await sendFailure(allowed, 'Forbidden')).toContain('access key RocketMQ has no PUB permission on topic Forbidden');
    expect((await allowed.send(new Message('AclOrders', 'fine'))).sendStatus).toBe('SEND_OK');
    await allowed.shutdown();
  }, 60_000);

  it('lets only admin accounts change topics through the CLI', async () => {
    const asUser = await rockit(['admin', 'updateTopic', '-c', 'DefaultCluster', '-t', 'MadeByCli', '-n', cluster.namesrvAddr, '--access-key', 'RocketMQ', '--secret-key', '12345678']);
    expect(asUser.code).toBe(1);
    expect(asUser.stderr).toContain('request code 17 needs an admin account, and access key RocketMQ is not one');
    const asAdmin = await rockit(['admin', 'updateTopic', '-c', 'DefaultCluster', '-t', 'MadeByCli', '-n', cluster.namesrvAddr, '--access-key', 'rocketmq2', '--secret-key', '87654321']);
    expect(asAdmin.code).toBe(0);
    expect(cluster.brokers[0]!.controller.ctx.topicConfigManager.selectTopicConfig('MadeByCli')).toBeDefined();
  }, 60_000);

  it('changes its plain_acl.yml over the ACL admin codes, only for admin accounts, with effect at once', async () => {
    const admin = new AdminClient({ namesrvAddr: cluster.namesrvAddr, instanceName: 'acl-admin', credentials: { accessKey: 'rocketmq2', secretKey: '87654321' }, logger: quietLogger });
    const user = new AdminClient({ namesrvAddr: cluster.namesrvAddr, instanceName: 'acl-user', credentials: { accessKey: 'RocketMQ', secretKey: '12345678' }, logger: quietLogger });
    await admin.start();
    await user.start();
    const broker = cluster.brokers[0]!.addr;
    try {
      const before = await admin.examineBrokerClusterAclVersionInfo(broker);
      expect(before).toMatchObject({ brokerName: 'broker-a', clusterName: 'DefaultCluster', brokerAddr: broker });

      // A new account, usable at once by a producer.
      await admin.createAndUpdatePlainAccessConfig(broker, { accessKey: 'NewComer', secretKey: 'newsecret1', defaultTopicPerm: 'DENY', topicPerms: ['AclOrders=PUB'] });
      const newcomer = await rockitProducer({ accessKey: 'NewComer', secretKey: 'newsecret1' });
      expect((await newcomer.send(new Message('AclOrders', 'from a new account'))).sendStatus).toBe('SEND_OK');
      // Only PUB on AclOrders: a merge that changes its permissions takes effect for the next request.
      await admin.createAndUpdatePlainAccessConfig(broker, { accessKey: 'NewComer', topicPerms: ['AclOrders=SUB'] });
      expect(await sendFailure(newcomer, 'AclOrders')).toContain('access key NewComer has no PUB permission on topic AclOrders (it has SUB)');
      await admin.deletePlainAccessConfig(broker, 'NewComer');
      expect(await sendFailure(newcomer, 'AclOrders')).toContain('no ACL account for access key NewComer');
      await newcomer.shutdown();

      // The file itself holds the change and a higher data version.
      const after = await admin.examineBrokerClusterAclVersionInfo(broker);
      expect(after.version.counter).toBe(before.version.counter + 3);
      expect(Object.keys(after.allAclFileVersion)).toEqual([join(dir, 'plain_acl.yml')]);
      expect(readFileSync(join(dir, 'plain_acl.yml'), 'utf8')).not.toContain('NewComer');

      // A bad change is refused with its code and leaves the file as it was.
      const short = await admin.createAndUpdatePlainAccessConfig(broker, { accessKey: 'short', secretKey: '12345678' }).catch((e: unknown) => e);
      expect(short).toBeInstanceOf(MQBrokerError);
      expect((short as MQBrokerError).code).toBe(209);
      expect((short as Error).message).toContain('accessKey must be longer than 6 characters');
      expect((await admin.examineBrokerClusterAclVersionInfo(broker)).version.counter).toBe(after.version.counter);

      // A non-admin account may not change the ACL (4.9.8 would let it).
      const denied = await user.updateGlobalWhiteAddrConfig(broker, ['*']).catch((e: unknown) => e);
      expect((denied as Error).message).toContain('request code 53 needs an admin account, and access key RocketMQ is not one');
    } finally {
      await user.shutdown();
      await admin.shutdown();
    }
  }, 60_000);

  it('is managed with the mqadmin ACL commands: updateAclConfig, clusterAclConfigVersion, updateGlobalWhiteAddr, deleteAccessConfig', async () => {
    const asAdmin = (args: string[]) => rockit([...args, '-n', cluster.namesrvAddr, '--access-key', 'rocketmq2', '--secret-key', '87654321']);
    const created = await asAdmin(['admin', 'updateAclConfig', '-c', 'DefaultCluster', '-a', 'CliAccount', '-s', 'clisecret', '-i', 'PUB', '-t', 'Forbidden=DENY']);
    expect(created.code).toBe(0);
    expect(created.stdout).toBe(`create or update plain access config to ${cluster.brokers[0]!.addr} success.\n`);
    expect(readFileSync(join(dir, 'plain_acl.yml'), 'utf8')).toContain('CliAccount');

    const versions = await asAdmin(['admin', 'clusterAclConfigVersion', '-c', 'DefaultCluster']);
    expect(versions.code).toBe(0);
    const [header, row] = versions.stdout.trimEnd().split('\n');
    // mqadmin's "%-16s  %-22s  %-22s  %-20s  %-22s  %-22s".
    expect(header).toBe('#Cluster Name     #Broker Name            #Broker Addr            #AclFilePath          #AclConfigVersionNum    #AclLastUpdateTime');
    expect(row).toContain(`DefaultCluster    broker-a                ${cluster.brokers[0]!.addr.padEnd(22)}  ${join(dir, 'plain_acl.yml')}`);
    expect(row).toContain(join(dir, 'plain_acl.yml'));

    // The new account's permissions hold for the next CLI command it signs.
    const sent = await rockit(['produce', 'AclOrders', '--body', 'from the cli account', '-n', cluster.namesrvAddr, '--access-key', 'CliAccount', '--secret-key', 'clisecret']);
    expect(sent.code).toBe(0);
    const refused = await rockit(['produce', 'Forbidden', '--body', 'no', '-n', cluster.namesrvAddr, '--access-key', 'CliAccount', '--secret-key', 'clisecret']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('access key CliAccount has no PUB permission on topic Forbidden (it has DENY)');

    expect((await asAdmin(['admin', 'updateGlobalWhiteAddr', '-c', 'DefaultCluster', '-g', '10.9.8.*'])).code).toBe(0);
    expect(readFileSync(join(dir, 'plain_acl.yml'), 'utf8')).toContain('10.9.8.*');
    const deleted = await asAdmin(['admin', 'deleteAccessConfig', '-c', 'DefaultCluster', '-a', 'CliAccount', '--json']);
    expect(JSON.parse(deleted.stdout)).toEqual({ brokers: [cluster.brokers[0]!.addr], accessKey: 'CliAccount' });
    const again = await asAdmin(['admin', 'deleteAccessConfig', '-c', 'DefaultCluster', '-a', 'CliAccount']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no account with access key CliAccount');
  }, 60_000);

  it('takes a hand edit of plain_acl.yml into force while running, and keeps the accounts in force when an edit is broken', async () => {
    const file = join(dir, 'plain_acl.yml');
    const original = readFileSync(file, 'utf8');
    const p = await rockitProducer({ accessKey: 'HandMade1', secretKey: 'handsecret' });
    try {
      expect(await sendFailure(p, 'AclOrders')).toContain('no ACL account for access key HandMade1');
      writeFileSync(file, `${PLAIN_ACL.trimEnd()}\n  - accessKey: HandMade1\n    secretKey: handsecret\n    defaultTopicPerm: PUB\n`);
      const accepted = async () => {
        for (let i = 0; i < 100; i++) {
          const ok = await p.send(new Message('AclOrders', 'after the edit')).then(() => true, () => false);
          if (ok) return true;
          await new Promise((r) => setTimeout(r, 100));
        }
        return false;
      };
      expect(await accepted()).toBe(true);

      // A broken edit (a key too short) is refused by the broker, which keeps the accounts it had.
      writeFileSync(file, `${PLAIN_ACL.trimEnd()}\n  - accessKey: short\n    secretKey: handsecret\n`);
      await new Promise((r) => setTimeout(r, 2500));
      expect((await p.send(new Message('AclOrders', 'still allowed'))).sendStatus).toBe('SEND_OK');
    } finally {
      writeFileSync(file, original);
      await p.shutdown();
    }
  }, 60_000);

  it('does not start without a readable plain_acl.yml, naming the file', async () => {
    await expect(
      startEmbeddedCluster({ memory: true, dataDir: join(dir, 'data2'), brokerConfig: { aclEnable: true }, aclConfigFile: join(dir, 'missing.yml'), logger: quietLogger }),
    ).rejects.toThrow(`aclEnable=true but ${join(dir, 'missing.yml')} cannot be read`);
  }, 30_000);
});
