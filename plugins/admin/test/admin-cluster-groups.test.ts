/**
 * `rockit admin` cluster, broker, name server and consumer-group commands (and `rockit group ...`,
 * `rockit cluster describe`) as child processes against one in-process cluster.
 */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeOffsetMessageId, tagsString2tagsCode } from '@rockit/common';
import { Message, Producer } from '@rockit/client';
import { repoRoot, rockitBin, cleanEnv } from '../../../test/helpers/rockit-cli.js';
import { adminSuite, collectingConsumer, normalise, quietLogger, until } from './helpers.js';

const TOPIC = 'GroupTopic';
const GROUP = 'CG_admin';

const s = adminSuite();

beforeAll(async () => {
  await s.admin.createOrUpdateTopic(s.cluster.brokerAddr, { topicName: TOPIC, readQueueNums: 2, writeQueueNums: 2, perm: 6 });
});

describe('rockit admin: cluster, brokers and name servers', () => {
  it('prints clusterList as mqadmin does; brokerStatus and getBrokerConfig read the broker; cluster describe sums it up', async () => {
    const list = await s.run(['admin', 'clusterList']);
    expect(list.code).toBe(0);
    const masked = normalise(list.stdout).replace(/(V4_9_8)(.*)$/gm, (_m, v: string, rest: string) => v + rest.replace(/\d/g, '9'));
    expect(masked).toMatchInlineSnapshot(`
      "#Cluster Name     #Broker Name            #BID  #Addr                   #Version                 #InTPS(LOAD)        #OutTPS(LOAD)  #PCWait(ms)  #Hour  #SPACE
      DefaultCluster    broker-a                0     127.0.0.1:PPPPP         V4_9_8                    9.99(9,9ms)          9.99(9,9ms)                9.99  9.9999
      "
    `);
    const listJson = await s.json<{ brokers: { cluster: string; brokerName: string; brokerId: number; addr: string; version: string }[] }>(['admin', 'clusterList']);
    expect(listJson.brokers).toEqual([expect.objectContaining({ cluster: 'DefaultCluster', brokerName: 'broker-a', brokerId: 0, addr: s.cluster.brokerAddr, version: 'V4_9_8' })]);
    const more = await s.run(['admin', 'clusterList', '-m']);
    expect(more.stdout.split('\n')[0]).toBe('#Cluster Name     #Broker Name                        #InTotalYest   #OutTotalYest   #InTotalToday  #OutTotalToday');
    expect(more.stdout).toMatch(/^DefaultCluster {4}broker-a {26}( +\d+){4}$/m);

    const status = await s.json<Record<string, Record<string, string>>>(['admin', 'brokerStatus', '-b', s.cluster.brokerAddr]);
    expect(status[s.cluster.brokerAddr]).toMatchObject({ brokerVersionDesc: 'V4_9_8' });
    const config = await s.json<Record<string, Record<string, string>>>(['admin', 'getBrokerConfig', '-c', 'DefaultCluster']);
    expect(config[s.cluster.brokerAddr]).toMatchObject({ brokerName: 'broker-a', brokerClusterName: 'DefaultCluster' });
    const text = await s.run(['admin', 'getBrokerConfig', '-b', s.cluster.brokerAddr]);
    expect(text.stdout).toMatch(new RegExp(`^============${s.cluster.brokerAddr}============$`, 'm'));
    expect(text.stdout).toMatch(/^brokerName {40}= {2}broker-a$/m);

    const described = await s.json<{ brokers: unknown[]; topics: Record<string, number> }>(['cluster', 'describe']);
    expect(described.brokers).toHaveLength(1);
    expect(described.topics.DefaultCluster).toBeGreaterThan(0);
  });

  it('updateBrokerConfig, updateNamesrvConfig, updateKvConfig/deleteKvConfig and wipeWritePerm/addWritePerm change the servers', async () => {
    await s.json(['admin', 'updateBrokerConfig', '-b', s.cluster.brokerAddr, '-k', 'maxMessageSize', '-v', '2097152']);
    expect((await s.admin.getBrokerConfig(s.cluster.brokerAddr)).get('maxMessageSize')).toBe('2097152');

    await s.json(['admin', 'updateNamesrvConfig', '-k', 'orderMessageEnable', '-v', 'true']);
    const namesrvConfig = await s.json<Record<string, Record<string, string>>>(['admin', 'getNamesrvConfig']);
    expect(namesrvConfig[s.cluster.namesrvAddr]).toMatchObject({ orderMessageEnable: 'true' });

    await s.json(['admin', 'updateKvConfig', '-s', 'ADMIN_NS', '-k', 'color', '-v', 'blue']);
    expect(await s.admin.getKVConfig('ADMIN_NS', 'color')).toBe('blue');
    await s.json(['admin', 'deleteKvConfig', '-s', 'ADMIN_NS', '-k', 'color']);
    expect(await s.admin.getKVConfig('ADMIN_NS', 'color')).toBeUndefined();

    const wiped = await s.json<{ namesrvs: Record<string, number> }>(['admin', 'wipeWritePerm', '-b', 'broker-a']);
    expect(wiped.namesrvs[s.cluster.namesrvAddr]).toBeGreaterThan(0);
    expect((await s.admin.getTopicRoute(TOPIC))?.queueDatas[0]?.perm).toBe(4);
    const added = await s.run(['admin', 'addWritePerm', '-b', 'broker-a']);
    expect(added.stdout).toMatch(new RegExp(`^add write perm of broker\\[broker-a\\] in name server\\[${s.cluster.namesrvAddr}\\] OK, \\d+$`, 'm'));
    expect((await s.admin.getTopicRoute(TOPIC))?.queueDatas[0]?.perm).toBe(6);
  });
});

describe('rockit admin: groups and consumers', () => {
  it('updateSubGroup creates the group; deleteSubGroup removes it; rockit group create|list|delete do the same', async () => {
    const created = await s.json<{ config: Record<string, unknown> }>(['admin', 'updateSubGroup', '-c', 'DefaultCluster', '-g', 'CG_sub', '-r', '3', '-d', 'false']);
    expect(created.config).toMatchObject({ groupName: 'CG_sub', retryMaxTimes: 3, consumeBroadcastEnable: false });
    expect((await s.admin.getAllSubscriptionGroup(s.cluster.brokerAddr)).get('CG_sub')).toMatchObject({ retryMaxTimes: 3, consumeBroadcastEnable: false });
    await s.json(['admin', 'deleteSubGroup', '-b', s.cluster.brokerAddr, '-g', 'CG_sub']);
    expect((await s.admin.getAllSubscriptionGroup(s.cluster.brokerAddr)).has('CG_sub')).toBe(false);

    await s.json(['group', 'create', 'CG_friendly', '--retry-max-times', '5']);
    const list = await s.json<{ groups: { group: string; retryMaxTimes: number }[] }>(['group', 'list']);
    expect(list.groups).toEqual([expect.objectContaining({ group: 'CG_friendly', retryMaxTimes: 5 })]);
    await s.json(['group', 'delete', 'CG_friendly']);
    expect((await s.admin.getAllSubscriptionGroup(s.cluster.brokerAddr)).has('CG_friendly')).toBe(false);
  });

  it('shows progress, connections and status of an online group; producerConnection sees the producer', async () => {
    const producer = new Producer({ namesrvAddr: s.cluster.namesrvAddr, producerGroup: 'PG_admin', logger: quietLogger });
    await producer.start();
    const { consumer, got } = collectingConsumer(s.cluster.namesrvAddr, GROUP, TOPIC);
    try {
      for (let i = 0; i < 6; i++) await producer.send(new Message(TOPIC, `m${i}`), { messageQueue: { topic: TOPIC, brokerName: 'broker-a', queueId: i % 2 } });
      await consumer.start();
      await until(async () => got.length === 6, 'the consumer to get 6 messages');
      await until(async () => (await s.admin.examineConsumeStats(GROUP, TOPIC)).diffTotal === 0, 'offsets committed');

      const connection = await s.json<{ connectionSet: { clientId: string }[]; subscriptionTable: Record<string, unknown>; messageModel: string }>(['admin', 'consumerConnection', '-g', GROUP]);
      expect(connection.connectionSet).toHaveLength(1);
      expect(Object.keys(connection.subscriptionTable)).toContain(TOPIC);
      expect(connection.messageModel).toBe('CLUSTERING');
      const connText = await s.run(['admin', 'consumerConnection', '-g', GROUP]);
      expect(connText.stdout).toMatch(new RegExp(`^001  Topic: ${TOPIC} +SubExpression: \\*$`, 'm'));

      const status = await s.json<{ clients: { clientId: string; error?: string; runningInfo?: { mqTable?: Record<string, unknown> } }[] }>(['admin', 'consumerStatus', '-g', GROUP]);
      expect(status.clients.map((c) => c.clientId)).toEqual(connection.connectionSet.map((c) => c.clientId));
      expect(status.clients[0]?.error).toBeUndefined();
      expect(Object.keys(status.clients[0]?.runningInfo?.mqTable ?? {}).filter((k) => k.startsWith(`${TOPIC}@`)).sort()).toEqual([`${TOPIC}@broker-a@0`, `${TOPIC}@broker-a@1`]);

      const producers = await s.json<{ connections: { clientId: string }[] }>(['admin', 'producerConnection', '-g', 'PG_admin', '-t', TOPIC]);
      expect(producers.connections).toHaveLength(1);

      const summaries = await s.json<{ groups: { group: string; count: number; type: string; model: string; diffTotal: number }[] }>(['admin', 'consumerProgress']);
      expect(summaries.groups).toContainEqual(expect.objectContaining({ group: GROUP, count: 1, type: 'PUSH', model: 'CLUSTERING', diffTotal: 0 }));

      const described = await s.json<{ queues: { topic: string; diff: number; clientIP: string }[]; diffTotal: number; connections: unknown[] }>(['group', 'describe', GROUP]);
      expect(described).toMatchObject({ diffTotal: 0 });
      expect(described.queues.filter((q) => q.topic === TOPIC).map((q) => q.clientIP)).toEqual(['127.0.0.1', '127.0.0.1']);
      expect(described.connections).toHaveLength(1);
      expect(described.queues.filter((q) => q.diff === 0).length).toBeGreaterThanOrEqual(2);
    } finally {
      await consumer.shutdown();
      await producer.shutdown();
    }
  });

  it('prints consumerProgress as mqadmin does, with the totals', async () => {
    const progress = await s.run(['admin', 'consumerProgress', '-g', GROUP, '-t', TOPIC]);
    expect(progress.code).toBe(0);
    // The rate is the broker's last-minute pull rate, non-zero when a 10 s stats sample fell after the pulls.
    expect(normalise(progress.stdout).replace(/^Consume TPS: \d+\.\d$/m, 'Consume TPS: 9.9')).toMatchInlineSnapshot(`
      "#Topic                            #Broker Name                      #QID  #Broker Offset        #Consumer Offset      #Client IP            #Diff                 #LastTime
      GroupTopic                        broker-a                          0     3                     3                     NA                    0                     9999-99-99 99:99:99
      GroupTopic                        broker-a                          1     3                     3                     NA                    0                     9999-99-99 99:99:99

      Consume TPS: 9.9
      Diff Total: 0
      "
    `);
  });

  it('resetOffsetByTime, skipAccumulatedMessage and cloneGroupOffset move the offsets; brokerConsumeStats and group describe show the lag', async () => {
    const reset = await s.json<{ offsets: { queueId: number; offset: number }[] }>(['admin', 'resetOffsetByTime', '-g', GROUP, '-t', TOPIC, '-s', '0']);
    expect(reset.offsets.map((o) => [o.queueId, o.offset])).toEqual([[0, 0], [1, 0]]);
    expect((await s.admin.examineConsumeStats(GROUP, TOPIC)).diffTotal).toBe(6);

    const lag = await s.json<{ rows: { group: string; diff: number }[]; totalDiff: number }>(['admin', 'brokerConsumeStats', '-b', s.cluster.brokerAddr]);
    expect(lag.rows.filter((r) => r.group === GROUP).reduce((s, r) => s + r.diff, 0)).toBe(6);
    const describedText = await s.run(['group', 'describe', GROUP, '-t', TOPIC]);
    expect(describedText.stdout).toMatch(/^TOTAL +6 +0 +6$/m);
    expect(describedText.stdout).toContain('Consumers: none online');

    await s.json(['admin', 'cloneGroupOffset', '-s', GROUP, '-d', 'CG_clone', '-t', TOPIC, '-o']);
    expect((await s.admin.examineConsumeStats('CG_clone', TOPIC)).diffTotal).toBe(6);

    const skipped = await s.json<{ offsets: { queueId: number; offset: number }[] }>(['admin', 'skipAccumulatedMessage', '-g', GROUP, '-t', TOPIC]);
    expect(skipped.offsets.map((o) => [o.queueId, o.offset])).toEqual([[0, 3], [1, 3]]);
    expect((await s.admin.examineConsumeStats(GROUP, TOPIC)).diffTotal).toBe(0);
  });

  it('group describe --watch refreshes every second until interrupted', async () => {
    const child = spawn(process.execPath, [rockitBin, 'group', 'describe', GROUP, '-t', TOPIC, '--watch', '-n', s.cluster.namesrvAddr], { cwd: repoRoot, env: cleanEnv() });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until(async () => (stdout.match(/^Group CG_admin /gm) ?? []).length >= 2, 'two refreshes');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('names an unknown group in one line, exit 1', async () => {
    const r = await s.run(['admin', 'consumerProgress', '-g', 'NoSuchGroup']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: consumer group NoSuchGroup has no consume progress (it never consumed, or does not exist) (code 17)\n' });
    const c = await s.run(['admin', 'consumerConnection', '-g', 'NoSuchGroup']);
    expect(c).toMatchObject({ code: 1, stderr: 'error: consumer group NoSuchGroup is unknown to the brokers (no %RETRY%NoSuchGroup route) (code 17)\n' });
  });
});

describe('rockit admin: broker maintenance', () => {
  it('cleanUnusedTopic drops the queues of a topic whose config is gone; cleanExpiredCQ and deleteExpiredCommitLog run on every master', async () => {
    await s.admin.createOrUpdateTopic(s.cluster.brokerAddr, { topicName: 'Scrap', readQueueNums: 1, writeQueueNums: 1, perm: 6 });
    const producer = new Producer({ namesrvAddr: s.cluster.namesrvAddr, producerGroup: 'PG_scrap', logger: quietLogger });
    await producer.start();
    await producer.send(new Message('Scrap', 'left behind'));
    await producer.send(new Message(TOPIC, 'kept'));
    await producer.shutdown();
    const broker = s.cluster.brokers[0]!.ctx;
    // The config goes, the consume queue stays: what a topic deleted on another path leaves.
    broker.topicConfigManager.deleteTopicConfig('Scrap');
    expect(broker.store.getConsumeQueueTable().has('Scrap')).toBe(true);

    const unused = await s.run(['admin', 'cleanUnusedTopic', '-c', 'DefaultCluster']);
    expect(unused.code).toBe(0);
    expect(unused.stdout.trim()).toBe('success');
    expect(broker.store.getConsumeQueueTable().has('Scrap')).toBe(false);
    // A topic that still has its config keeps its queues.
    expect(broker.store.getConsumeQueueTable().has(TOPIC)).toBe(true);

    // With neither -b nor -c, every master the name server knows (as mqadmin).
    expect(await s.json(['admin', 'cleanExpiredCQ'])).toEqual({ brokers: [s.cluster.brokerAddr] });
    expect(await s.json(['admin', 'deleteExpiredCommitLog', '-b', s.cluster.brokerAddr])).toEqual({ brokers: [s.cluster.brokerAddr] });
    const unknown = await s.run(['admin', 'cleanExpiredCQ', '-c', 'NoSuchCluster']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no cluster named NoSuchCluster');
  });

  it('queryCq prints the consume-queue units of a queue as mqadmin does, and --json gives them typed', async () => {
    await s.admin.createOrUpdateTopic(s.cluster.brokerAddr, { topicName: 'CqTopic', readQueueNums: 1, writeQueueNums: 1, perm: 6 });
    const producer = new Producer({ namesrvAddr: s.cluster.namesrvAddr, producerGroup: 'PG_cq', logger: quietLogger });
    await producer.start();
    const sent = [await producer.send(new Message('CqTopic', 'one', { tags: 'TagA' })), await producer.send(new Message('CqTopic', 'two', { tags: 'TagB' }))];
    await producer.shutdown();

    const text = await s.run(['admin', 'queryCq', '-t', 'CqTopic', '-q', '0', '-i', '1', '-c', '5']);
    expect(text.code).toBe(0);
    const rule = '======================================';
    expect(text.stdout).toBe(
      `Queue data: \nmax: 2, min: 0\n${rule}\nidx: 1\n` +
        `ConsumeQueueData{physicOffset=${decodeOffsetMessageId(sent[1]!.offsetMsgId).commitLogOffset}, physicSize=${text.stdout.match(/physicSize=(\d+)/)![1]}, tagsCode=${tagsString2tagsCode('TagB')}, extendDataJson='null', bitMap='null', eval=false, msg='null'}\n${rule}\n`,
    );

    const json = await s.json<{ brokerAddr: string; maxQueueIndex: number; queueData: { physicOffset: number; tagsCode: number }[]; filterData?: string }>(['admin', 'queryCq', '-t', 'CqTopic', '-q', '0', '-i', '0', '-g', 'CG_nobody']);
    expect(json.brokerAddr).toBe(s.cluster.brokerAddr);
    expect(json.queueData.map((u) => u.physicOffset)).toEqual(sent.map((r) => decodeOffsetMessageId(r.offsetMsgId).commitLogOffset));
    expect(json.filterData).toBe('CG_nobody@CqTopic is not online!');
  });

  it('producer lists the broker\'s producer instances by group as mqadmin does', async () => {
    const producer = new Producer({ namesrvAddr: s.cluster.namesrvAddr, producerGroup: 'PG_listed', logger: quietLogger });
    await producer.start();
    try {
      // A producer heartbeats to the brokers of the routes it knows: one send makes the broker know it.
      await producer.send(new Message(TOPIC, 'hello'));
      const text = await s.run(['admin', 'producer', '-b', s.cluster.brokerAddr]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^producer group \(PG_listed\) instance : clientId=[^,]+@[^,]+,remoteIP=\/127\.0\.0\.1:\d+, language=\w+, version=\d+, lastUpdateTimestamp=\d+$/m);
      const json = await s.json<Record<string, { clientId: string }[]>>(['admin', 'producer', '-b', s.cluster.brokerAddr]);
      expect(json.PG_listed?.map((p) => p.clientId)).toEqual([producer.clientId]);
    } finally {
      await producer.shutdown();
    }
  });
});
