/** The broker -> client calls admin tools trigger (reset offsets, consumer status, running info, consume directly). */
import { Message, mapEntries, parseFastJson, type MessageExt } from '@rockit/common';
import {
  ConsumeMessageDirectlyResultRequestHeader,
  GetConsumerRunningInfoRequestHeader,
  GetConsumerStatusRequestHeader,
  RemotingClient,
  RequestCode,
  ResetOffsetRequestHeader,
} from '@rockit/remoting';
import { describe, expect, it } from 'vitest';
import { MQClientAPI, Producer, PushConsumer } from '../src/index.js';
import { afterTest, createTopic, eventually, quietLogger, startTestCluster } from './helpers/cluster.js';


describe('broker -> client admin callbacks', () => {
  it('resets offsets, reports status and running info, and consumes a message directly', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'AdminCb', 2, cluster.namesrvAddr);
    const p = new Producer({ namesrvAddr: cluster.namesrvAddr, producerGroup: 'PG_cb', logger: quietLogger });
    await p.start();
    afterTest(() => p.shutdown());
    const sent = [];
    for (let i = 0; i < 10; i++) sent.push(await p.send(new Message('AdminCb', `m${i}`)));

    const got: MessageExt[] = [];
    const c = new PushConsumer({ namesrvAddr: cluster.namesrvAddr, consumerGroup: 'CG_cb', logger: quietLogger, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    afterTest(() => c.shutdown());
    c.subscribe('AdminCb');
    c.registerMessageListener((msgs) => {
      got.push(...msgs);
      return 'CONSUME_SUCCESS';
    });
    await c.start();
    await eventually(() => got.length === 10, '10 messages');
    await c.persistConsumerOffset();
    await eventually(() => cluster.brokers[0]!.ctx.consumerOffsetManager.queryOffset('CG_cb', 'AdminCb', 0) === 5, 'offsets committed');

    const remoting = new RemotingClient({ logger: quietLogger });
    afterTest(() => remoting.close());
    const api = new MQClientAPI(remoting, 5000);
    const broker = cluster.brokerAddr;

    const status = await api.invokeOk(
      broker,
      MQClientAPI.request(RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, { topic: 'AdminCb', group: 'CG_cb' }, GetConsumerStatusRequestHeader),
    );
    const table = new Map(mapEntries((parseFastJson(status.body!.toString()) as { consumerTable: unknown }).consumerTable));
    const mine = mapEntries(table.get(c.clientInstance.clientId)).map(([, offset]) => Number(offset));
    expect(mine.sort()).toEqual([5, 5]);

    const running = await api.invokeOk(
      broker,
      MQClientAPI.request(RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'CG_cb', clientId: c.clientInstance.clientId }, GetConsumerRunningInfoRequestHeader),
    );
    const info = parseFastJson(running.body!.toString()) as { properties: Record<string, string>; subscriptionSet: { topic: string }[] };
    expect(info.properties.PROP_CONSUME_TYPE).toBe('CONSUME_PASSIVELY');
    expect(info.subscriptionSet.map((s) => s.topic)).toContain('AdminCb');

    const direct = await api.invokeOk(
      broker,
      MQClientAPI.request(
        RequestCode.CONSUME_MESSAGE_DIRECTLY,
        { consumerGroup: 'CG_cb', clientId: c.clientInstance.clientId, msgId: sent[3]!.offsetMsgId },
        ConsumeMessageDirectlyResultRequestHeader,
      ),
    );
    expect(parseFastJson(direct.body!.toString())).toMatchObject({ consumeResult: 'CR_SUCCESS', order: false });
    expect(got.at(-1)!.body.toString()).toBe('m3');

    // Reset to the beginning: everything is delivered again.
    await api.invokeOk(
      broker,
      MQClientAPI.request(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic: 'AdminCb', group: 'CG_cb', timestamp: 0, isForce: true }, ResetOffsetRequestHeader),
    );
    await eventually(() => got.length === 21, 'the 10 messages again');
    expect(new Set(got.slice(11).map((m) => m.body.toString())).size).toBe(10);
  });
});
