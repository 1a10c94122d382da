/**
 * A broker with plain ACL on (aclEnable=true, a plain_acl.yml), against clients we did and did not write: ali-ons
 * signing with its own code, @rockit/client, and the CLI. Refused requests get SYSTEM_ERROR with the reason; the
 * broker keeps serving everyone else.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedCluster, type EmbeddedCluster } from '@rockit/broker';
import { MQClientError, Message, Producer } from '@rockit/client';
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

  it('does not start without a readable plain_acl.yml, naming the file', async () => {
    await expect(
      startEmbeddedCluster({ memory: true, dataDir: join(dir, 'data2'), brokerConfig: { aclEnable: true }, aclConfigFile: join(dir, 'missing.yml'), logger: quietLogger }),
    ).rejects.toThrow(`aclEnable=true but ${join(dir, 'missing.yml')} cannot be read`);
  }, 30_000);
});
