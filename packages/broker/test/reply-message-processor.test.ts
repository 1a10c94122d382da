/**
 * SEND_REPLY_MESSAGE / SEND_REPLY_MESSAGE_V2 on the wire, with raw remoting clients in the roles a Java requester
 * and replier play: the broker pushes the reply (PUSH_REPLY_MESSAGE_TO_CLIENT) to the producer the REPLY_TO_CLIENT
 * property names, answers the replier, and stores the reply unless storeReplyMessageEnable is off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MessageConst, messageProperties2String, string2messageProperties } from '@rockit/common';
import { RemotingClient, RemotingCommand, RequestCode, ResponseCode, type RemotingChannel } from '@rockit/remoting';
import { invoke, quiet, startBroker, type RunningBroker } from './runtime-helpers.js';

let rb: RunningBroker | undefined;
const clients: RemotingClient[] = [];
afterEach(async () => {
  while (clients.length > 0) await clients.pop()!.close();
  await rb?.stop();
  rb = undefined;
});

const REPLY_TOPIC = 'DefaultCluster_REPLY_TOPIC';

/** A requester: a producer connection registered by heartbeat under `clientID`, recording the replies pushed to it. */
async function requester(broker: RunningBroker, clientID: string, pushed: RemotingCommand[], answer = ResponseCode.SUCCESS): Promise<RemotingClient> {
  const client = new RemotingClient({ logger: quiet });
  clients.push(client);
  client.registerProcessor(RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT, (_ch: RemotingChannel, req: RemotingCommand) => {
    pushed.push(req);
    return RemotingCommand.createResponse(answer, answer === ResponseCode.SUCCESS ? undefined : 'not mine');
  });
  const hb = Buffer.from(JSON.stringify({ clientID, producerDataSet: [{ groupName: 'PG_requester' }], consumerDataSet: [] }));
  expect((await client.invokeSync(broker.addr, RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, hb), 3000)).code).toBe(ResponseCode.SUCCESS);
  return client;
}

function replyProperties(replyTo: string): string {
  return messageProperties2String(
    new Map([
      [MessageConst.PROPERTY_MESSAGE_TYPE, 'reply'],
      [MessageConst.PROPERTY_CORRELATION_ID, 'corr-1'],
      [MessageConst.PROPERTY_MESSAGE_REPLY_TO_CLIENT, replyTo],
      [MessageConst.PROPERTY_MESSAGE_TTL, '3000'],
    ]),
  );
}

/** SEND_REPLY_MESSAGE (V1 field names) from the replier's connection; `replyTo` undefined sends no properties. */
function sendReply(broker: RunningBroker, replyTo: string | undefined, body: string): Promise<RemotingCommand> {
  return invoke(
    broker,
    RequestCode.SEND_REPLY_MESSAGE,
    {
      producerGroup: 'PG_replier',
      topic: REPLY_TOPIC,
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
      queueId: 0,
      sysFlag: 0,
      bornTimestamp: 1_700_000_000_000,
      flag: 0,
      properties: replyTo === undefined ? '' : replyProperties(replyTo),
      reconsumeTimes: 0,
      unitMode: false,
    },
    body,
  );
}

describe('ReplyMessageProcessor', () => {
  it('pushes the reply to the requesting producer, answers SUCCESS with where it stored it, and stores it', async () => {
    rb = await startBroker();
    const pushed: RemotingCommand[] = [];
    await requester(rb, '10.0.0.7@requester', pushed);

    const response = await sendReply(rb, '10.0.0.7@requester', 'the answer');
    expect(response.code).toBe(ResponseCode.SUCCESS);
    // Stored (the default): the header says where, not the "0" of a push-only reply.
    expect(response.extFields?.msgId).not.toBe('0');
    expect(response.extFields?.queueOffset).toBe('0');
    expect(response.extFields?.MSG_REGION).toBe('DefaultRegion');

    expect(pushed).toHaveLength(1);
    const push = pushed[0]!;
    expect(push.body?.toString()).toBe('the answer');
    const h = push.extFields!;
    expect(h).toMatchObject({ producerGroup: 'PG_replier', topic: REPLY_TOPIC, queueId: '0', sysFlag: '0', bornTimestamp: '1700000000000', flag: '0', reconsumeTimes: '0', unitMode: 'false' });
    expect(h.storeHost).toBe(rb.addr);
    expect(h.bornHost).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(Number(h.storeTimestamp)).toBeGreaterThan(0);
    const props = string2messageProperties(h.properties);
    expect(props.get(MessageConst.PROPERTY_CORRELATION_ID)).toBe('corr-1');
    expect(Number(props.get(MessageConst.PROPERTY_PUSH_REPLY_TIME))).toBeGreaterThan(0);

    // The stored copy is the reply as the replier sent it.
    const pulled = await invoke(rb, RequestCode.GET_MAX_OFFSET, { topic: REPLY_TOPIC, queueId: 0 });
    expect(pulled.extFields?.offset).toBe('1');
  });

  it('answers SYSTEM_ERROR naming the reason when the requester is unknown, did not accept it, or is not named', async () => {
    rb = await startBroker();
    const unknown = await sendReply(rb, '10.0.0.8@gone', 'x');
    expect(unknown.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(unknown.remark).toBe('no producer with client id <10.0.0.8@gone> is connected to this broker: cannot push the reply');

    const pushed: RemotingCommand[] = [];
    await requester(rb, '10.0.0.9@refuses', pushed, ResponseCode.SYSTEM_ERROR);
    const refused = await sendReply(rb, '10.0.0.9@refuses', 'y');
    expect(refused.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(refused.remark).toBe('the requester <10.0.0.9@refuses> refused the reply: not mine');
    expect(pushed).toHaveLength(1);

    const unnamed = await sendReply(rb, undefined, 'z');
    expect(unnamed.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(unnamed.remark).toBe('the reply has no REPLY_TO_CLIENT property: nobody to push it to');
    // All three were stored all the same, as RocketMQ stores replies whatever became of the push.
    expect((await invoke(rb, RequestCode.GET_MAX_OFFSET, { topic: REPLY_TOPIC, queueId: 0 })).extFields?.offset).toBe('3');
  });

  it('with storeReplyMessageEnable=false only pushes: SUCCESS with msgId "0" and nothing stored', async () => {
    rb = await startBroker({ overrides: { storeReplyMessageEnable: false } });
    const pushed: RemotingCommand[] = [];
    await requester(rb, '10.0.0.7@requester', pushed);
    const response = await sendReply(rb, '10.0.0.7@requester', 'only pushed');
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.extFields).toMatchObject({ msgId: '0', queueId: '0', queueOffset: '0' });
    expect(pushed).toHaveLength(1);
    expect((await invoke(rb, RequestCode.GET_MAX_OFFSET, { topic: REPLY_TOPIC, queueId: 0 })).extFields?.offset).toBe('0');
  });
});
