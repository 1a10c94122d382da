/**
 * `rockit admin` topic and message commands (and `rockit topic|message ...`) as child processes against one
 * in-process cluster: each command's effect checked through the client or another command, its --json parsed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Message, Producer, type SendResult } from '@rockit/client';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, repoRoot, rockit } from '../../../test/helpers/rockit-cli.js';
import { adminSuite, cli, normalise, quietLogger } from './helpers.js';

const execFileAsync = promisify(execFile);
const mqadminBin = fileURLToPath(new URL('../../../bin/mqadmin', import.meta.url));

const s = adminSuite();

describe('rockit admin: topics', () => {
  it('updateTopic creates on a cluster, topicList/topicRoute/topicClusterList/topicStatus see it, updateTopicPerm and deleteTopic change it', async () => {
    const created = await s.json<{ brokers: string[]; topicConfig: { topicName: string; readQueueNums: number } }>(['admin', 'updateTopic', '-c', 'DefaultCluster', '-t', 'AdminTopic', '-r', '4', '-w', '4']);
    expect(created.brokers).toEqual([s.cluster.brokerAddr]);
    const route = await s.admin.getTopicRoute('AdminTopic');
    expect(route?.queueDatas).toEqual([expect.objectContaining({ brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6 })]);

    const list = await s.json<{ topics: string[] }>(['admin', 'topicList']);
    expect(list.topics).toContain('AdminTopic');
    const byCluster = await s.json<{ rows: { cluster: string; topic: string }[] }>(['admin', 'topicList', '-c']);
    expect(byCluster.rows).toContainEqual({ cluster: 'DefaultCluster', topic: 'AdminTopic', consumerGroup: '' });

    const routeJson = await s.json<{ brokerDatas: { brokerName: string; brokerAddrs: Record<string, string> }[]; queueDatas: unknown[] }>(['admin', 'topicRoute', '-t', 'AdminTopic']);
    expect(routeJson.brokerDatas).toEqual([expect.objectContaining({ brokerName: 'broker-a', brokerAddrs: { '0': s.cluster.brokerAddr } })]);
    expect(await s.json(['admin', 'topicClusterList', '-t', 'AdminTopic'])).toEqual({ clusters: ['DefaultCluster'] });
    const routeTable = await s.run(['admin', 'topicRoute', '-t', 'AdminTopic', '-l']);
    expect(routeTable.stdout).toMatch(new RegExp(`^DefaultCluster {4}broker-a {18}${s.cluster.brokerAddr.replace(/\./g, '\\.')} +4 +4 +6$`, 'm'));

    const perm = await s.json<{ brokers: { oldPerm: number; perm: number }[] }>(['admin', 'updateTopicPerm', '-b', s.cluster.brokerAddr, '-t', 'AdminTopic', '-p', '4']);
    expect(perm.brokers).toEqual([{ addr: s.cluster.brokerAddr, oldPerm: 6, perm: 4 }]);
    expect(Number((await s.admin.getTopicConfig(s.cluster.brokerAddr, 'AdminTopic')).perm)).toBe(4);

    expect(await s.json(['admin', 'deleteTopic', '-t', 'AdminTopic', '-c', 'DefaultCluster'])).toEqual({ topic: 'AdminTopic', cluster: 'DefaultCluster' });
    expect(await s.admin.getTopicList()).not.toContain('AdminTopic');
  });

  it('prints topicList and topicStatus as mqadmin does', async () => {
    const producer = new Producer({ namesrvAddr: s.cluster.namesrvAddr, producerGroup: 'PG_status', logger: quietLogger });
    await s.admin.createOrUpdateTopic(s.cluster.brokerAddr, { topicName: 'StatusTopic', readQueueNums: 3, writeQueueNums: 3, perm: 6 });
    await producer.start();
    try {
      for (let i = 0; i < 5; i++) await producer.send(new Message('StatusTopic', `m${i}`), { messageQueue: { topic: 'StatusTopic', brokerName: 'broker-a', queueId: i % 2 } });
    } finally {
      await producer.shutdown();
    }
    const status = await s.run(['admin', 'topicStatus', '-t', 'StatusTopic']);
    expect(status.code).toBe(0);
    expect(normalise(status.stdout)).toMatchInlineSnapshot(`
      "#Broker Name                      #QID  #Min Offset           #Max Offset           #Last Updated
      broker-a                          0     0                     3                     9999-99-99 99:99:99,999
      broker-a                          1     0                     2                     9999-99-99 99:99:99,999
      broker-a                          2     0                     0
      "
    `);
    const statusJson = await s.json<{ queues: { queueId: number; maxOffset: number }[] }>(['admin', 'topicStatus', '-t', 'StatusTopic']);
    expect(statusJson.queues.map((q) => [q.queueId, q.maxOffset])).toEqual([[0, 3], [1, 2], [2, 0]]);

    const list = await s.run(['admin', 'topicList']);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n').filter((l) => l !== '').sort()).toMatchInlineSnapshot(`
      [
        "BenchmarkTest",
        "DefaultCluster",
        "DefaultCluster_REPLY_TOPIC",
        "OFFSET_MOVED_EVENT",
        "SCHEDULE_TOPIC_XXXX",
        "SELF_TEST_TOPIC",
        "StatusTopic",
        "TBW102",
        "broker-a",
      ]
    `);
    const clusterModel = await s.run(['admin', 'topicList', '-c']);
    expect(clusterModel.stdout.split('\n')[0]).toMatchInlineSnapshot(`"#Cluster Name         #Topic                                            #Consumer Group"`);
    expect(clusterModel.stdout).toMatch(/^DefaultCluster {8}StatusTopic$/m);
  });

  it('updateOrderConf puts, gets and deletes the ORDER_TOPIC_CONFIG entry; allocateMQ spreads queues averagely', async () => {
    await s.json(['admin', 'updateOrderConf', '-t', 'OrderTopic', '-m', 'put', '-v', 'broker-a:4']);
    expect(await s.admin.getKVConfig('ORDER_TOPIC_CONFIG', 'OrderTopic')).toBe('broker-a:4');
    expect(await s.json(['admin', 'updateOrderConf', '-t', 'OrderTopic', '-m', 'get'])).toEqual({ topic: 'OrderTopic', orderConf: 'broker-a:4' });
    await s.json(['admin', 'updateOrderConf', '-t', 'OrderTopic', '-m', 'delete']);
    expect(await s.admin.getKVConfig('ORDER_TOPIC_CONFIG', 'OrderTopic')).toBeUndefined();

    await s.admin.createOrUpdateTopic(s.cluster.brokerAddr, { topicName: 'AllocTopic', readQueueNums: 5, writeQueueNums: 5, perm: 6 });
    const allocation = await s.json<{ result: Record<string, { queueId: number }[]> }>(['admin', 'allocateMQ', '-t', 'AllocTopic', '-i', '10.0.0.2,10.0.0.1']);
    expect(Object.fromEntries(Object.entries(allocation.result).map(([ip, qs]) => [ip, qs.map((q) => q.queueId)]))).toEqual({ '10.0.0.1': [0, 1, 2], '10.0.0.2': [3, 4] });
  });

  it('rockit topic create|list|describe|delete share the same code', async () => {
    const created = await s.json<{ brokers: string[] }>(['topic', 'create', 'FriendlyTopic', '-q', '2']);
    expect(created.brokers).toEqual([s.cluster.brokerAddr]);
    const list = await s.run(['topic', 'list']);
    expect(list.stdout).toMatch(/^FriendlyTopic +1 +2 +2 +6$/m);
    expect(list.stdout).not.toMatch(/TBW102|%RETRY%/);
    const described = await s.json<{ clusters: string[]; queues: unknown[]; messages: number; groups: string[] }>(['topic', 'describe', 'FriendlyTopic']);
    expect(described).toMatchObject({ clusters: ['DefaultCluster'], messages: 0, groups: [] });
    expect(described.queues).toHaveLength(2);
    const text = await s.run(['topic', 'describe', 'FriendlyTopic']);
    expect(text.stdout).toMatch(/^TOTAL +0$/m);
    await s.json(['topic', 'delete', 'FriendlyTopic']);
    expect(await s.admin.getTopicList()).not.toContain('FriendlyTopic');
  });
});

describe('rockit admin: messages', () => {
  let sent: SendResult;

  beforeAll(async () => {
    await s.admin.createOrUpdateTopic(s.cluster.brokerAddr, { topicName: 'MsgTopic', readQueueNums: 2, writeQueueNums: 2, perm: 6 });
  });

  it('sendMessage sends one message that queryMsgById, queryMsgByUniqueKey, queryMsgByKey and queryMsgByOffset find', async () => {
    sent = await s.json<SendResult>(['admin', 'sendMessage', '-t', 'MsgTopic', '-p', 'hello admin', '-k', 'order-42', '-c', 'TagA', '-b', 'broker-a', '-i', '1']);
    expect(sent).toMatchObject({ brokerName: 'broker-a', queueId: 1, sendStatus: 'SEND_OK', queueOffset: 0 });
    const viewed = await s.admin.viewMessage(sent.offsetMsgId);
    expect(viewed.body.toString()).toBe('hello admin');

    const byId = await s.run(['admin', 'queryMsgById', '-i', sent.offsetMsgId]);
    expect(byId.code).toBe(0);
    expect(normalise(byId.stdout)).toMatchInlineSnapshot(`
      "OffsetID:            XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX
      Topic:               MsgTopic
      Tags:                [TagA]
      Keys:                [order-42]
      Queue ID:            1
      Queue Offset:        0
      CommitLog Offset:    840
      Reconsume Times:     0
      Born Timestamp:      9999-99-99 99:99:99,999
      Store Timestamp:     9999-99-99 99:99:99,999
      Born Host:           127.0.0.1:PPPPP
      Store Host:          127.0.0.1:PPPPP
      System Flag:         0
      Properties:          {TAGS=TagA, KEYS=order-42, UNIQ_KEY=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX, CLUSTER=DefaultCluster}
      Message Body:        hello admin
      "
    `);
    const byIdJson = await s.json<{ messages: { body: string; keys: string[]; tags: string }[] }>(['admin', 'queryMsgById', '-i', sent.offsetMsgId]);
    expect(byIdJson.messages).toEqual([expect.objectContaining({ body: 'hello admin', keys: ['order-42'], tags: 'TagA', queueId: 1, msgId: sent.msgId })]);

    const byUniq = await s.json<{ messages: { offsetMsgId: string }[] }>(['admin', 'queryMsgByUniqueKey', '-i', sent.msgId, '-t', 'MsgTopic']);
    expect(byUniq.messages.map((m) => m.offsetMsgId)).toEqual([sent.offsetMsgId]);
    const byKey = await s.json<{ messages: { msgId: string }[] }>(['admin', 'queryMsgByKey', '-t', 'MsgTopic', '-k', 'order-42']);
    expect(byKey.messages.map((m) => m.msgId)).toEqual([sent.msgId]);
    const byOffset = await s.json<{ msgId: string; queueOffset: number }>(['admin', 'queryMsgByOffset', '-t', 'MsgTopic', '-b', 'broker-a', '-i', '1', '-o', '0']);
    expect(byOffset).toMatchObject({ msgId: sent.msgId, queueOffset: 0 });
  });

  it('printMsg, printMsgByQueue and consumeMessage read what checkMsgSendRT sent', async () => {
    const rt = await s.json<{ sends: { sendStatus: string }[]; avgRT: number }>(['admin', 'checkMsgSendRT', '-t', 'MsgTopic', '-a', '4', '-s', '16']);
    expect(rt.sends.map((s) => s.sendStatus)).toEqual(['SEND_OK', 'SEND_OK', 'SEND_OK', 'SEND_OK']);
    expect(rt.avgRT).toBeGreaterThan(0);

    const all = await s.json<{ messages: { body: string }[] }>(['admin', 'printMsg', '-t', 'MsgTopic']);
    expect(all.messages.map((m) => m.body).sort()).toEqual(['a'.repeat(16), 'a'.repeat(16), 'a'.repeat(16), 'a'.repeat(16), 'hello admin']);
    const text = await s.run(['admin', 'printMsg', '-t', 'MsgTopic', '-d', 'false']);
    expect(text.stdout.split('\n').filter((l) => l.startsWith('MSGID: '))).toHaveLength(5);
    expect(text.stdout).toContain('BODY: NOT PRINT BODY');

    const queue1 = await s.json<{ messages: unknown[]; tags: Record<string, number> }>(['admin', 'printMsgByQueue', '-t', 'MsgTopic', '-a', 'broker-a', '-i', '1', '-f', 'true']);
    expect(queue1.tags).toMatchObject({ TagA: 1 });
    expect(queue1.messages).toHaveLength(3);
    const consumed = await s.json<{ messages: { queueOffset: number }[] }>(['admin', 'consumeMessage', '-t', 'MsgTopic', '-b', 'broker-a', '-i', '1', '-o', '1', '-c', '1']);
    expect(consumed.messages.map((m) => m.queueOffset)).toEqual([1]);
  });

  it('rockit message get|query find the same messages', async () => {
    const got = await s.json<{ body: string }>(['message', 'get', sent.msgId, '-t', 'MsgTopic']);
    expect(got.body).toBe('hello admin');
    const byKey = await s.json<{ messages: { msgId: string }[] }>(['message', 'query', '-t', 'MsgTopic', '-k', 'order-42']);
    expect(byKey.messages.map((m) => m.msgId)).toEqual([sent.msgId]);
    const text = await s.run(['message', 'query', '-t', 'MsgTopic', '-b', 'broker-a', '-q', '1', '--body']);
    expect(text.stdout).toMatch(/hello admin/);
    expect(text.stdout).toMatch(/^3 message\(s\)$/m);
  });
});

describe('rockit admin: bad input', () => {
  it('names the unknown topic, the unreachable broker and the name server that is down in one line, exit 1', async () => {
    const topic = await s.run(['admin', 'topicStatus', '-t', 'NoSuchTopic']);
    expect(topic).toEqual({ code: 1, stdout: '', stderr: 'error: no route info of topic NoSuchTopic (code 17)\n' });

    const broker = await s.run(['admin', 'brokerStatus', '-b', '127.0.0.1:1']);
    expect(broker.code).toBe(1);
    expect(broker.stderr).toMatch(/^error: connect to <127\.0\.0\.1:1> failed[^\n]*\n$/);

    const down = await cli('127.0.0.1:2')(['admin', 'topicList']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error: no name server of \[127\.0\.0\.1:2\] answered GET_ALL_TOPIC_LIST_FROM_NAMESERVER[^\n]*\n$/);
    expect(down.stderr).not.toMatch(/\n\s+at /);

    const usage = await s.run(['admin', 'updateTopic', '-t', 'X']);
    expect(usage).toMatchObject({ code: 2, stderr: 'error: one of -b (broker address) or -c (cluster name) is required\n' });
  });
});

describe('rockit admin: listing and help', () => {
  it('lists every command with one line of help, shows mqadmin flags with -h, and answers as bin/mqadmin too', async () => {
    const listing = await s.run(['admin']);
    expect(listing.code).toBe(0);
    const names = [...listing.stdout.matchAll(/^ {2}admin (\w+) /gm)].map((m) => m[1]);
    // Issue #8's list.
    const issueList = `clusterList brokerStatus getBrokerConfig updateBrokerConfig brokerConsumeStats wipeWritePerm addWritePerm
      getNamesrvConfig updateNamesrvConfig updateKvConfig deleteKvConfig topicList topicRoute topicStatus topicClusterList
      updateTopic deleteTopic updateTopicPerm updateOrderConf allocateMQ updateSubGroup deleteSubGroup consumerProgress
      consumerStatus consumerConnection producerConnection resetOffsetByTime cloneGroupOffset skipAccumulatedMessage
      queryMsgById queryMsgByKey queryMsgByUniqueKey queryMsgByOffset printMsg printMsgByQueue sendMessage consumeMessage
      checkMsgSendRT statsAll`.split(/\s+/);
    // And the broker maintenance and ACL commands added since.
    const maintenance = ['cleanExpiredCQ', 'cleanUnusedTopic', 'deleteExpiredCommitLog', 'queryCq', 'producer', 'updateAclConfig', 'deleteAccessConfig', 'updateGlobalWhiteAddr', 'clusterAclConfigVersion'];
    expect([...names].sort()).toEqual([...issueList, ...maintenance].sort());

    // Every command's manifest entry (what --help and parsing use) has the global flags and --json.
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'plugins', 'admin', 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, { flags: Record<string, unknown> }> };
    const missing = Object.entries(manifest.commands).filter(([, c]) => !('namesrv' in c.flags && 'json' in c.flags && 'access-key' in c.flags)).map(([id]) => id);
    expect(missing).toEqual([]);

    const help = await s.run(['admin', 'updateTopic', '-h']);
    expect(help.stdout).toMatch(/^ {2}-t, --topic=<value> +\(required\) Topic name\.$/m);
    expect(help.stdout).toMatch(/^ {2}-r, --readQueueNums=<value> +\[default: 8\]/m);

    const alias = await execFileAsync(process.execPath, [mqadminBin, 'topicClusterList', '-t', 'TBW102', '-n', s.cluster.namesrvAddr], { env: cleanEnv() });
    expect(alias.stdout).toBe('DefaultCluster\n');
  });

  it('reaches the cluster through a saved profile (--profile, config list-profiles)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rockit-admin-profile-'));
    try {
      const env = { ROCKIT_HOME: home };
      expect((await rockit(['config', 'set-profile', 'local', '-n', s.cluster.namesrvAddr], env)).code).toBe(0);
      expect((await rockit(['config', 'list-profiles'], env)).stdout).toMatch(new RegExp(`^local +${s.cluster.namesrvAddr}`, 'm'));
      const r = await rockit(['admin', 'topicClusterList', '-t', 'TBW102', '--profile', 'local'], env);
      expect(r).toEqual({ code: 0, stdout: 'DefaultCluster\n', stderr: '' });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
