import { Message } from '@rockit/common';
import { describe, expect, it } from 'vitest';
import { AdminClient, MQBrokerError, Producer, PushConsumer } from '../src/index.js';
import { afterTest, type Cluster, eventually, quietLogger, startTestCluster } from './helpers/cluster.js';


async function admin(c: Cluster): Promise<AdminClient> {
  const a = new AdminClient({ namesrvAddr: c.namesrvAddr, logger: quietLogger });
  await a.start();
  afterTest(() => a.shutdown());
  return a;
}

describe('AdminClient', () => {
  it('manages topics across a cluster: create, route, stats, config, delete', async () => {
    const cluster = await startTestCluster({ brokers: 2 });
    const a = await admin(cluster);
    const info = await a.getClusterInfo();
    expect(info.clusterAddrTable.get('DefaultCluster')?.sort()).toEqual(['broker-a', 'broker-b']);
    expect(info.brokerAddrTable.get('broker-b')?.brokerAddrs.get(0)).toBe(cluster.brokers[1]!.brokerAddr);

    const masters = await a.createOrUpdateTopicInCluster('DefaultCluster', { topicName: 'AdminTopic', readQueueNums: 3, writeQueueNums: 3, perm: 6 });
    expect(masters).toHaveLength(2);
    let route = await a.getTopicRoute('AdminTopic');
    const deadline = Date.now() + 5000;
    while ((route?.queueDatas.length ?? 0) < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      route = await a.getTopicRoute('AdminTopic');
    }
    expect(route!.queueDatas.map((q) => q.writeQueueNums)).toEqual([3, 3]);
    expect(await a.getTopicList()).toContain('AdminTopic');
    expect((await a.getTopicConfig(cluster.brokerAddr, 'AdminTopic')).readQueueNums).toBe(3);
    expect((await a.getAllTopicConfig(cluster.brokerAddr)).has('AdminTopic')).toBe(true);

    const p = new Producer({ namesrvAddr: cluster.namesrvAddr, producerGroup: 'PG_admin', logger: quietLogger });
    await p.start();
    afterTest(() => p.shutdown());
    const sent = [];
    for (let i = 0; i < 6; i++) sent.push(await p.send(new Message('AdminTopic', `m${i}`, { keys: `key-${i}` })));
    const stats = await a.examineTopicStats('AdminTopic');
    expect(stats.size).toBe(6);
    expect(stats.values().reduce((n, o) => n + o.maxOffset, 0)).toBe(6);

    const viewed = await a.viewMessage(sent[2]!.offsetMsgId);
    expect(viewed.body.toString()).toBe('m2');
    expect((await a.queryMessageByKey('AdminTopic', 'key-4')).map((m) => m.body.toString())).toEqual(['m4']);
    expect((await a.queryMessageByUniqKey('AdminTopic', sent[5]!.msgId)).map((m) => m.body.toString())).toEqual(['m5']);
    // The producer heartbeats to brokers as soon as it learns them from a route.
    let producers: string[] = [];
    for (let i = 0; i < 100 && producers.length === 0; i++) {
      producers = (await a.examineProducerConnectionInfo('PG_admin', 'AdminTopic')).map((c) => c.clientId);
      if (producers.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(producers).toEqual([p.clientInstance.clientId]);

    await a.deleteTopic('AdminTopic', 'DefaultCluster');
    expect(await a.getTopicRoute('AdminTopic')).toBeUndefined();
    await expect(a.getTopicConfig(cluster.brokerAddr, 'AdminTopic')).rejects.toBeInstanceOf(MQBrokerError);
  });

  it('reports consumers, their lag, and resets their offsets', async () => {
    const cluster = await startTestCluster();
    const a = await admin(cluster);
    await a.createOrUpdateTopic(cluster.brokerAddr, { topicName: 'LagTopic', readQueueNums: 2, writeQueueNums: 2, perm: 6 });
    await a.createOrUpdateSubscriptionGroup(cluster.brokerAddr, { groupName: 'CG_admin', consumeBroadcastEnable: true, retryMaxTimes: 5 });
    expect((await a.getAllSubscriptionGroup(cluster.brokerAddr)).get('CG_admin')?.retryMaxTimes).toBe(5);
    const p = new Producer({ namesrvAddr: cluster.namesrvAddr, producerGroup: 'PG_lag', logger: quietLogger });
    await p.start();
    afterTest(() => p.shutdown());
    for (let i = 0; i < 8; i++) await p.send(new Message('LagTopic', `m${i}`));

    let consumed = 0;
    const c = new PushConsumer({ namesrvAddr: cluster.namesrvAddr, consumerGroup: 'CG_admin', logger: quietLogger, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    afterTest(() => c.shutdown());
    c.subscribe('LagTopic');
    c.registerMessageListener((msgs) => {
      consumed += msgs.length;
      return 'CONSUME_SUCCESS';
    });
    await c.start();
    await eventually(() => consumed === 8, '8 messages');
    await c.persistConsumerOffset();

    const stats = await a.examineConsumeStats('CG_admin', 'LagTopic');
    expect(stats.diffTotal).toBe(0);
    expect(stats.offsetTable.values().reduce((n, w) => n + w.consumerOffset, 0)).toBe(8);
    const conn = await a.examineConsumerConnectionInfo('CG_admin');
    expect(conn.connectionSet.map((x) => x.clientId)).toEqual([c.clientInstance.clientId]);
    expect(conn.messageModel).toBe('CLUSTERING');
    expect(await a.queryTopicConsumeByWho('LagTopic')).toContain('CG_admin');
    const status = await a.getConsumeStatus('LagTopic', 'CG_admin');
    expect(status.get(c.clientInstance.clientId)?.values().reduce((n, o) => n + o, 0)).toBe(8);
    expect((await a.getConsumerRunningInfo('CG_admin', c.clientInstance.clientId)).properties).toMatchObject({ PROP_CONSUME_TYPE: 'CONSUME_PASSIVELY' });

    const reset = await a.resetOffsetByTimestamp('LagTopic', 'CG_admin', 0);
    expect(reset.values()).toEqual([0, 0]);
    await eventually(() => consumed === 16, 'the 8 messages again after the reset');
  });

  it('reads and updates broker and name server configuration, KV config and runtime info', async () => {
    const cluster = await startTestCluster();
    const a = await admin(cluster);
    const config = await a.getBrokerConfig(cluster.brokerAddr);
    expect(config.get('brokerName')).toBe('broker-a');
    await a.updateBrokerConfig(cluster.brokerAddr, { maxMessageSize: '1048576' });
    expect((await a.getBrokerConfig(cluster.brokerAddr)).get('maxMessageSize')).toBe('1048576');
    expect((await a.getBrokerRuntimeInfo(cluster.brokerAddr)).get('brokerVersionDesc')).toBe('V4_9_8');

    await a.putKVConfig('ORDER_TOPIC_CONFIG', 'OrderT', 'broker-a:4');
    expect(await a.getKVConfig('ORDER_TOPIC_CONFIG', 'OrderT')).toBe('broker-a:4');
    expect((await a.getKVListByNamespace('ORDER_TOPIC_CONFIG')).get('OrderT')).toBe('broker-a:4');
    await a.deleteKVConfig('ORDER_TOPIC_CONFIG', 'OrderT');
    expect(await a.getKVConfig('ORDER_TOPIC_CONFIG', 'OrderT')).toBeUndefined();
    expect([...(await a.getNamesrvConfig()).values()][0]!.size).toBeGreaterThan(0);
  });
});
