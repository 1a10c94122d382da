import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessages } from '@rockit/common';
import { RemotingClient, ResponseCode } from '@rockit/remoting';
import { PullSysFlag } from '@rockit/broker';
import { createTopic, pull, pullRequest, quiet, send, startBroker, type RunningBroker } from './runtime-helpers.js';

const SUSPEND = PullSysFlag.FLAG_SUSPEND | PullSysFlag.FLAG_SUBSCRIPTION;

let rb: RunningBroker | undefined;
afterEach(async () => {
  await rb?.stop();
  rb = undefined;
});

describe('PullMessageProcessor', () => {
  it('returns the stored records of a queue with next/min/max offsets', async () => {
    rb = await startBroker();
    await createTopic(rb, 'PullT', 1);
    for (let i = 0; i < 3; i++) expect((await send(rb, 'PullT', `m${i}`, { tags: 'TagA' })).code).toBe(0);
    const r = await pull(rb, 'PullT', { offset: 1 });
    expect(r.code).toBe(ResponseCode.SUCCESS);
    expect(r.extFields).toMatchObject({ nextBeginOffset: '3', minOffset: '0', maxOffset: '3', suggestWhichBrokerId: '0' });
    const msgs = decodeMessages(r.body!);
    expect(msgs.map((m) => m.body.toString())).toEqual(['m1', 'm2']);
    expect(msgs[0]!.queueOffset).toBe(1);
  });

  it('holds a pull on an empty queue until a message arrives, then answers at once with it', async () => {
    rb = await startBroker();
    await createTopic(rb, 'LongPoll', 1);
    const events: string[] = [];
    const pending = pull(rb, 'LongPoll', { sysFlag: SUSPEND, suspendTimeoutMillis: 15_000 }).then((r) => {
      events.push('pulled');
      return r;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(rb.broker.ctx.pullRequestHoldService.size).toBe(1);
    events.push('sending');
    expect((await send(rb, 'LongPoll', 'wake up')).code).toBe(0);
    const r = await pending;
    expect(events).toEqual(['sending', 'pulled']);
    expect(r.code).toBe(ResponseCode.SUCCESS);
    expect(decodeMessages(r.body!).map((m) => m.body.toString())).toEqual(['wake up']);
    expect(rb.broker.ctx.pullRequestHoldService.size).toBe(0);
  });

  it('answers a held pull PULL_NOT_FOUND when its suspend timeout passes without a message', async () => {
    rb = await startBroker();
    await createTopic(rb, 'IdlePoll', 1);
    const pending = pull(rb, 'IdlePoll', { sysFlag: SUSPEND, suspendTimeoutMillis: 300 });
    await new Promise((r) => setTimeout(r, 50));
    expect(rb.broker.ctx.pullRequestHoldService.size).toBe(1);
    const r = await pending;
    expect(r.code).toBe(ResponseCode.PULL_NOT_FOUND);
    expect(rb.broker.ctx.pullRequestHoldService.size).toBe(0);
    expect(r.extFields?.nextBeginOffset).toBe('0');
  });

  it('holds for shortPollingTimeMills instead of the client\'s suspend time when longPollingEnable=false', async () => {
    rb = await startBroker({ overrides: { longPollingEnable: false, shortPollingTimeMills: 200 } });
    await createTopic(rb, 'ShortPoll', 1);
    const pending = pull(rb, 'ShortPoll', { sysFlag: SUSPEND, suspendTimeoutMillis: 60_000 }, 5000);
    await new Promise((r) => setTimeout(r, 50));
    expect(rb.broker.ctx.pullRequestHoldService.size).toBe(1);
    expect((await pending).code).toBe(ResponseCode.PULL_NOT_FOUND);
  });

  it('does not wake a held pull for a message its tag filter rejects', async () => {
    rb = await startBroker();
    await createTopic(rb, 'TagPoll', 1);
    const pending = pull(rb, 'TagPoll', { sysFlag: SUSPEND, suspendTimeoutMillis: 15_000, subscription: 'TagB' });
    await new Promise((r) => setTimeout(r, 100));
    await send(rb, 'TagPoll', 'a', { tags: 'TagA' });
    await new Promise((r) => setTimeout(r, 100));
    expect(rb.broker.ctx.pullRequestHoldService.size).toBe(1);
    await send(rb, 'TagPoll', 'b', { tags: 'TagB' });
    const r = await pending;
    expect(r.code).toBe(ResponseCode.SUCCESS);
    expect(decodeMessages(r.body!).map((m) => m.body.toString())).toEqual(['b']);
  });

  it('filters by tag hash code on the broker and skips past what does not match', async () => {
    rb = await startBroker();
    await createTopic(rb, 'TagFilter', 1);
    const tags = ['TagA', 'TagB', 'TagC', 'TagA'];
    for (const [i, t] of tags.entries()) await send(rb, 'TagFilter', `${t}-${i}`, { tags: t });
    const r = await pull(rb, 'TagFilter', { subscription: 'TagA || TagC' });
    expect(r.code).toBe(ResponseCode.SUCCESS);
    expect(decodeMessages(r.body!).map((m) => m.body.toString())).toEqual(['TagA-0', 'TagC-2', 'TagA-3']);
    const none = await pull(rb, 'TagFilter', { subscription: 'TagZ' });
    expect(none.code).toBe(ResponseCode.PULL_RETRY_IMMEDIATELY);
    expect(none.remark).toBe('NO_MATCHED_MESSAGE');
    expect(none.extFields?.nextBeginOffset).toBe('4');
  });

  it('filters by SQL92 when enablePropertyFilter=true and refuses SQL92 otherwise', async () => {
    rb = await startBroker({ overrides: { enablePropertyFilter: true } });
    await createTopic(rb, 'SqlT', 1);
    for (let i = 0; i < 4; i++) await send(rb, 'SqlT', `n${i}`, { properties: { n: String(i) } });
    const r = await pull(rb, 'SqlT', { subscription: 'n >= 2', expressionType: 'SQL92' });
    expect(r.code).toBe(ResponseCode.SUCCESS);
    expect(decodeMessages(r.body!).map((m) => m.body.toString())).toEqual(['n2', 'n3']);
    const bad = await pull(rb, 'SqlT', { subscription: 'n >>> 2', expressionType: 'SQL92' });
    expect(bad.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    await rb.stop();

    rb = await startBroker();
    await createTopic(rb, 'SqlT', 1);
    const refused = await pull(rb, 'SqlT', { subscription: 'n >= 2', expressionType: 'SQL92' });
    expect(refused.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(refused.remark).toContain('SQL92');
  });

  it('answers offset problems with the codes and nextBeginOffset of the status table', async () => {
    rb = await startBroker();
    await createTopic(rb, 'Offsets', 2);
    for (let i = 0; i < 3; i++) await send(rb, 'Offsets', `m${i}`);
    const tooBig = await pull(rb, 'Offsets', { offset: 10 });
    expect(tooBig.code).toBe(ResponseCode.PULL_OFFSET_MOVED);
    expect(tooBig.remark).toBe('OFFSET_OVERFLOW_BADLY');
    expect(tooBig.extFields?.nextBeginOffset).toBe('0');
    const atEnd = await pull(rb, 'Offsets', { offset: 3 });
    expect(atEnd.code).toBe(ResponseCode.PULL_NOT_FOUND);
    expect(atEnd.extFields?.nextBeginOffset).toBe('3');
    const emptyQueue = await pull(rb, 'Offsets', { queueId: 1, offset: 5 });
    expect(emptyQueue.code).toBe(ResponseCode.PULL_OFFSET_MOVED);
    expect(emptyQueue.extFields?.nextBeginOffset).toBe('0');
    const emptyFromZero = await pull(rb, 'Offsets', { queueId: 1, offset: 0 });
    expect(emptyFromZero.code).toBe(ResponseCode.PULL_NOT_FOUND);
    // Each PULL_OFFSET_MOVED left an OffsetMovedEvent in OFFSET_MOVED_EVENT. (An offset beyond the end of a queue
    // that still starts at 0 is corrected to 0, as DefaultMessageStore.getMessage does.)
    const events = await rb.broker.store.getMessage('g', 'OFFSET_MOVED_EVENT', 0, 0, 32);
    expect(events.msgCount).toBe(2);
    const first = JSON.parse(decodeMessages(Buffer.concat(events.messageBufferList))[0]!.body.toString());
    expect(first).toEqual({ consumerGroup: 'CG', messageQueue: { brokerName: 'broker-a', queueId: 0, topic: 'Offsets' }, offsetNew: 0, offsetRequest: 10 });
  });

  it('refuses unknown topics, bad queue ids and a group that may not consume', async () => {
    rb = await startBroker({ overrides: { autoCreateSubscriptionGroup: false } });
    await createTopic(rb, 'Checks', 2);
    expect((await pull(rb, 'Checks', { group: 'NoSuchGroup' })).code).toBe(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
    expect((await pull(rb, 'Checks', { group: 'TOOLS_CONSUMER', queueId: 2 })).code).toBe(ResponseCode.SYSTEM_ERROR);
    expect((await pull(rb, 'Nope', { group: 'TOOLS_CONSUMER' })).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('uses the heartbeat subscription when the pull carries none', async () => {
    rb = await startBroker();
    await createTopic(rb, 'HbSub', 1);
    await send(rb, 'HbSub', 'x', { tags: 'TagX' });
    await send(rb, 'HbSub', 'y', { tags: 'TagY' });
    const noSub = await pull(rb, 'HbSub', { sysFlag: 0 });
    expect(noSub.code).toBe(ResponseCode.SUBSCRIPTION_NOT_EXIST);
    const heartbeat = {
      clientID: '127.0.0.1@hb',
      producerDataSet: [],
      consumerDataSet: [{ groupName: 'CG', consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', unitMode: false,
        subscriptionDataSet: [{ topic: 'HbSub', subString: 'TagY', tagsSet: ['TagY'], codeSet: [], subVersion: 5, expressionType: 'TAG', classFilterMode: false }] }],
    };
    const { RemotingCommand, RequestCode } = await import('@rockit/remoting');
    expect((await rb.client.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, Buffer.from(JSON.stringify(heartbeat))))).code).toBe(0);
    const r = await pull(rb, 'HbSub', { sysFlag: 0 });
    expect(decodeMessages(r.body!).map((m) => m.body.toString())).toEqual(['y']);
  });

  it('commits the consumer offset carried by a pull (FLAG_COMMIT_OFFSET)', async () => {
    rb = await startBroker();
    await createTopic(rb, 'Commit', 1);
    await send(rb, 'Commit', 'x');
    await pull(rb, 'Commit', { sysFlag: PullSysFlag.FLAG_SUBSCRIPTION | PullSysFlag.FLAG_COMMIT_OFFSET, commitOffset: 1 });
    expect(rb.broker.ctx.consumerOffsetManager.queryOffset('CG', 'Commit', 0)).toBe(1);
  });

  it('forgets a held pull whose client disconnected and keeps serving other clients', async () => {
    rb = await startBroker();
    await createTopic(rb, 'Gone', 1);
    const other = new RemotingClient({ logger: quiet });
    const held = other.invokeSync(rb.addr, pullRequest('Gone', { sysFlag: SUSPEND, suspendTimeoutMillis: 15_000 }), 20_000).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 100));
    expect(rb.broker.ctx.pullRequestHoldService.size).toBe(1);
    await other.close();
    expect(await held).toBeInstanceOf(Error);
    await new Promise((r) => setTimeout(r, 50));
    expect(rb.broker.ctx.pullRequestHoldService.size).toBe(0);
    expect((await send(rb, 'Gone', 'still here')).code).toBe(0);
    expect((await pull(rb, 'Gone')).code).toBe(ResponseCode.SUCCESS);
  });
});
