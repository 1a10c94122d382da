/**
 * SQL92 filtering end to end: a rockit broker with enablePropertyFilter=true, @rockit/client's Producer and
 * PushConsumer over real TCP. The broker filters before anything crosses the wire; the consumer gets exactly the
 * matching messages of a mixed stream, and a bad expression fails the subscription with the parser's message.
 */
import { Message, MessageConst, type MessageExt } from '@rockit/common';
import { MQClientError, Producer, PushConsumer } from '@rockit/client';
import { PullMessageRequestHeader, RemotingClient, RemotingCommand, RequestCode, ResponseCode, encodeHeader } from '@rockit/remoting';
import { afterEach, describe, expect, it } from 'vitest';
import { createTopic, eventually } from './helpers/admin.js';
import { quietLogger, startCluster, type Cluster } from './helpers/cluster.js';

let cluster: Cluster | undefined;
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!().catch(() => undefined);
  await cluster?.stop();
  cluster = undefined;
});

const TOTAL = 10_000;
const REGIONS = ['eu', 'us', 'ap', 'sa'];
const SELECTOR = "(region = 'eu' AND price >= 50) OR TAGS = 'vip' OR (region IN ('sa') AND qty BETWEEN 3 AND 4)";

interface Props {
  region: string;
  tags: string;
  price?: string;
  qty?: string;
}

/** A mixed stream: every property combination, some missing, some that fail to convert to a number. */
function propsOf(i: number): Props {
  const p: Props = { region: REGIONS[i % 4]!, tags: i % 97 === 0 ? 'vip' : `t${i % 5}` };
  if (i % 7 !== 0) p.price = i % 11 === 0 ? 'n/a' : String(i % 100);
  if (i % 3 !== 0) p.qty = String(i % 7);
  return p;
}

/**
 * The selector above, written out by hand with RocketMQ's rules: a missing property is UNKNOWN (never selected on
 * its own), and a value that does not convert aborts the whole evaluation unless an earlier OR branch already
 * held. `price >= 50` meets an int constant, so the value is read as an Integer.
 */
function expectedMatch(p: Props): boolean {
  if (p.region === 'eu' && p.price !== undefined) {
    if (!/^-?\d+$/.test(p.price)) return false; // conversion failure: aborted, not selected
    if (Number(p.price) >= 50) return true;
  }
  if (p.tags === 'vip') return true;
  return p.region === 'sa' && p.qty !== undefined && Number(p.qty) >= 3 && Number(p.qty) <= 4;
}

async function producer(c: Cluster): Promise<Producer> {
  const p = new Producer({ namesrvAddr: c.namesrvAddr, producerGroup: 'PG_sql', logger: quietLogger });
  await p.start();
  closers.push(() => p.shutdown());
  return p;
}

describe('SQL92 subscriptions end to end', () => {
  it('delivers exactly the matching messages of a mixed stream of 10,000 to a push consumer', async () => {
    cluster = await startCluster({ brokerConfig: { enablePropertyFilter: true } });
    await createTopic(cluster.brokerAddr, 'SqlStream', 4, cluster.namesrvAddr);
    const p = await producer(cluster);
    const expected = new Set<number>();
    const batch: Message[] = [];
    for (let i = 0; i < TOTAL; i++) {
      const props = propsOf(i);
      const m = new Message('SqlStream', `m${i}`, { tags: props.tags });
      m.putUserProperty('region', props.region);
      if (props.price !== undefined) m.putUserProperty('price', props.price);
      if (props.qty !== undefined) m.putUserProperty('qty', props.qty);
      m.putUserProperty('i', String(i));
      if (expectedMatch(props)) expected.add(i);
      batch.push(m);
      if (batch.length === 100) {
        for (const r of await p.sendBatch(batch.splice(0))) expect(r.sendStatus).toBe('SEND_OK');
      }
    }
    // The stream really is mixed: every branch of the selector, missing properties and failed conversions.
    expect(expected.size).toBeGreaterThan(1000);
    expect(expected.size).toBeLessThan(TOTAL / 4);

    const got: MessageExt[] = [];
    const c = new PushConsumer({
      namesrvAddr: cluster.namesrvAddr,
      consumerGroup: 'CG_sql',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      consumeMessageBatchMaxSize: 32,
      logger: quietLogger,
    });
    closers.push(() => c.shutdown());
    c.subscribe('SqlStream', { type: 'SQL92', expression: SELECTOR });
    c.registerMessageListener(async (msgs) => {
      got.push(...msgs);
      return 'CONSUME_SUCCESS';
    });
    await c.start();
    await eventually(() => got.length >= expected.size, `${expected.size} matching messages`, 60_000);
    // Anything the broker let through by mistake would sit between matching messages of the same queue, so it
    // has arrived by now; give stragglers a moment anyway.
    await new Promise((r) => setTimeout(r, 300));
    const indexes = got.map((m) => Number(m.getUserProperty('i')));
    expect(new Set(indexes).size).toBe(indexes.length); // no duplicates
    expect(indexes.sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    for (const m of got) expect(m.body.toString()).toBe(`m${m.getUserProperty('i')}`);
    expect(got.find((m) => m.getProperty(MessageConst.PROPERTY_TAGS) === 'vip')).toBeDefined();
  }, 120_000);

  it('fails a subscription with a bad expression with the parse message, in the client and on the broker', async () => {
    cluster = await startCluster({ brokerConfig: { enablePropertyFilter: true } });
    await createTopic(cluster.brokerAddr, 'SqlBad', 1, cluster.namesrvAddr);
    const parseMessage = "Expected a value after '>' at column 8";

    // @rockit/client checks the expression when subscribing, before anything reaches a broker.
    const c = new PushConsumer({ namesrvAddr: cluster.namesrvAddr, consumerGroup: 'CG_bad', logger: quietLogger });
    closers.push(() => c.shutdown());
    let thrown: unknown;
    try {
      c.subscribe('SqlBad', { type: 'SQL92', expression: 'price >' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(MQClientError);
    expect((thrown as Error).message).toBe(`bad SQL92 subscription for SqlBad: ${parseMessage}`);

    // A client that sends it anyway (a Java consumer's start() checks with CHECK_CLIENT_CONFIG; every pull carries
    // the subscription) is answered SUBSCRIPTION_PARSE_FAILED with the same text, which it surfaces as is.
    const rc = new RemotingClient({ logger: quietLogger });
    closers.push(() => rc.close());
    const check = await rc.invokeSync(
      cluster.brokerAddr,
      RemotingCommand.createRequest(
        RequestCode.CHECK_CLIENT_CONFIG,
        undefined,
        Buffer.from(JSON.stringify({ clientId: 'x@1', group: 'CG_bad', subscriptionData: { topic: 'SqlBad', subString: 'price >', expressionType: 'SQL92' } })),
      ),
      5000,
    );
    expect({ code: check.code, remark: check.remark }).toEqual({ code: ResponseCode.SUBSCRIPTION_PARSE_FAILED, remark: parseMessage });
    const header = encodeHeader(
      {
        consumerGroup: 'CG_bad',
        topic: 'SqlBad',
        queueId: 0,
        queueOffset: 0,
        maxMsgNums: 32,
        sysFlag: 0x4,
        commitOffset: 0,
        suspendTimeoutMillis: 1000,
        subscription: 'price >',
        subVersion: 1,
        expressionType: 'SQL92',
      },
      PullMessageRequestHeader,
    );
    const pulled = await rc.invokeSync(cluster.brokerAddr, RemotingCommand.createRequest(RequestCode.PULL_MESSAGE, header), 5000);
    expect({ code: pulled.code, remark: pulled.remark }).toEqual({ code: ResponseCode.SUBSCRIPTION_PARSE_FAILED, remark: parseMessage });
  });
});
