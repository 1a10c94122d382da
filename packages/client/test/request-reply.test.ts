/**
 * Request/reply end to end against a real broker: Producer.request, a consumer answering with createReplyMessage,
 * the broker's SEND_REPLY_MESSAGE_V2 processing and its PUSH_REPLY_MESSAGE_TO_CLIENT to the requester.
 */
import { Message, MessageConst, MixAll } from '@rockit/common';
import { RequestCode, type RemotingCommand } from '@rockit/remoting';
import { describe, expect, it } from 'vitest';
import { CREATE_REPLY_MESSAGE_CODE, MQBrokerError, MQClientError, Producer, PushConsumer, REQUEST_TIMEOUT_CODE, RequestTimeoutError, createReplyMessage } from '../src/index.js';
import { afterTest, createTopic, eventually, quietLogger, startTestCluster, type Cluster } from './helpers/cluster.js';

const REPLY_TOPIC = `DefaultCluster_${MixAll.REPLY_TOPIC_POSTFIX}`;

async function startProducer(c: Cluster, group: string, requests?: RemotingCommand[], retries?: number): Promise<Producer> {
  const p = new Producer({
    namesrvAddr: c.namesrvAddr,
    producerGroup: group,
    logger: quietLogger,
    ...(retries !== undefined ? { retryTimesWhenSendFailed: retries } : {}),
    ...(requests ? { rpcHook: { doBeforeRequest: (_addr: string, req: RemotingCommand) => void requests.push(req) } } : {}),
  });
  await p.start();
  afterTest(() => p.shutdown());
  return p;
}

/** A consumer of `topic` that answers every message with "pong:<body>" through `replier`. */
async function startReplier(c: Cluster, topic: string, replier: Producer): Promise<void> {
  const consumer = new PushConsumer({ namesrvAddr: c.namesrvAddr, consumerGroup: 'CG_replier', logger: quietLogger, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener(async (msgs) => {
    for (const m of msgs) await replier.send(createReplyMessage(m, `pong:${m.body.toString()}`));
    return 'CONSUME_SUCCESS';
  });
  await consumer.start();
  afterTest(() => consumer.shutdown());
}

function storedReplies(c: Cluster): number {
  const store = c.brokers[0]!.ctx.store;
  let n = 0;
  for (let q = 0; q < 8; q++) n += Math.max(0, store.getMaxOffsetInQueue(REPLY_TOPIC, q));
  return n;
}

describe('request/reply', () => {
  it('resolves a request with the reply its consumer sends back, pushed by the broker, which also keeps a copy', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'RequestTopic', 4, cluster.namesrvAddr);
    const replierRequests: RemotingCommand[] = [];
    const replier = await startProducer(cluster, 'PG_replier', replierRequests);
    await startReplier(cluster, 'RequestTopic', replier);
    const requester = await startProducer(cluster, 'PG_requester');

    const request = new Message('RequestTopic', 'ping');
    const reply = await requester.request(request, 15_000);
    expect(reply.body.toString()).toBe('pong:ping');
    expect(reply.topic).toBe(REPLY_TOPIC);
    expect(reply.getProperty(MessageConst.PROPERTY_CORRELATION_ID)).toBe(request.getProperty(MessageConst.PROPERTY_CORRELATION_ID));
    expect(reply.getProperty(MessageConst.PROPERTY_MESSAGE_TYPE)).toBe('reply');
    // The request named this client and its timeout; the broker stamped the push, the client the arrival.
    expect(request.getProperty(MessageConst.PROPERTY_MESSAGE_REPLY_TO_CLIENT)).toBe(requester.clientId);
    expect(request.getProperty(MessageConst.PROPERTY_MESSAGE_TTL)).toBe('15000');
    expect(Number(reply.getProperty(MessageConst.PROPERTY_PUSH_REPLY_TIME))).toBeGreaterThan(0);
    expect(Number(reply.getProperty(MessageConst.PROPERTY_REPLY_MESSAGE_ARRIVE_TIME))).toBeGreaterThan(0);

    // Concurrent requests each get their own reply.
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => requester.request(new Message('RequestTopic', `n${i}`), 15_000)));
    expect(replies.map((r) => r.body.toString())).toEqual(Array.from({ length: 10 }, (_, i) => `pong:n${i}`));

    // Replies went out as SEND_REPLY_MESSAGE_V2, and the broker stored every one (storeReplyMessageEnable).
    const replyCodes = replierRequests.filter((r) => r.extFields?.b === REPLY_TOPIC).map((r) => r.code);
    expect(replyCodes).toEqual(Array(11).fill(RequestCode.SEND_REPLY_MESSAGE_V2));
    await eventually(() => storedReplies(cluster) === 11, 'the 11 replies in the reply topic');
  }, 60_000);

  it('rejects with RequestTimeoutError when no reply comes, and a reply that comes too late is acknowledged and dropped', async () => {
    const cluster = await startTestCluster();
    await createTopic(cluster.brokerAddr, 'Unanswered', 1, cluster.namesrvAddr);
    const requester = await startProducer(cluster, 'PG_requester');
    const request = new Message('Unanswered', 'anyone?');
    const failure = await requester.request(request, 300).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RequestTimeoutError);
    expect((failure as RequestTimeoutError).code).toBe(REQUEST_TIMEOUT_CODE);
    expect((failure as Error).message).toBe('the request to topic Unanswered was sent, but no reply arrived within 300 ms');

    // A deadline shorter than the send itself: the request fails once (a send timeout or the reply's), and the
    // reply's deadline passing while the send is still out leaves no unhandled rejection behind.
    const quick = await requester.request(new Message('Unanswered', 'fast'), 1).catch((e: unknown) => e);
    expect(quick).toBeInstanceOf(MQClientError);
    await new Promise((r) => setTimeout(r, 50));

    // The request is stored like any message; answering it now reaches a client that no longer waits: the push
    // still succeeds (the client acknowledges it), so the replier sees SUCCESS.
    const stored = await requester.send(new Message('Unanswered', 'marker'));
    expect(stored.sendStatus).toBe('SEND_OK');
    const replier = await startProducer(cluster, 'PG_replier');
    request.putProperty(MessageConst.PROPERTY_CLUSTER, 'DefaultCluster');
    const late = await replier.send(createReplyMessage(request, 'too late'));
    expect(late.sendStatus).toBe('SEND_OK');
  }, 30_000);

  it('answers SYSTEM_ERROR naming the requester when it is not connected, and still stores the reply', async () => {
    const cluster = await startTestCluster();
    const replier = await startProducer(cluster, 'PG_replier', undefined, 0);
    const request = new Message('AnyTopic', 'x');
    request.putProperty(MessageConst.PROPERTY_CLUSTER, 'DefaultCluster');
    request.putProperty(MessageConst.PROPERTY_CORRELATION_ID, 'c-1');
    request.putProperty(MessageConst.PROPERTY_MESSAGE_REPLY_TO_CLIENT, '10.0.0.1@gone');
    const failure = await replier.send(createReplyMessage(request, 'for nobody')).catch((e: unknown) => e);
    // The producer's send failure carries the broker's answer: SYSTEM_ERROR and why.
    expect(failure).toBeInstanceOf(MQClientError);
    expect((failure as MQClientError).code).toBe(1);
    expect((failure as Error).cause).toBeInstanceOf(MQBrokerError);
    expect((failure as Error).message).toContain('no producer with client id <10.0.0.1@gone> is connected to this broker');
    await eventually(() => storedReplies(cluster) === 1, 'the reply in the reply topic');
  }, 30_000);

  it('createReplyMessage refuses a message no broker delivered (it has no CLUSTER property)', () => {
    const failure = (() => {
      try {
        return createReplyMessage(new Message('T', 'x'), 'y');
      } catch (e) {
        return e;
      }
    })();
    expect(failure).toBeInstanceOf(MQClientError);
    expect((failure as MQClientError).code).toBe(CREATE_REPLY_MESSAGE_CODE);
  });
});
