import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, Message, Producer } from '@rockit/client';
import { quietLogger, startCluster, type Cluster } from '../../../test/helpers/cluster.js';
import { buildPlugins } from '../../../test/helpers/plugins.js';
import { RockitProcess, type RockitResult } from '../../../test/helpers/rockit-cli.js';

let cluster: Cluster;
let admin: AdminClient;
let producer: Producer;
let dir: string;
const running: RockitProcess[] = [];

const env = () => ({ NAMESRV_ADDR: cluster.namesrvAddr, ROCKETMQ_CLIENT_LOCAL_OFFSET_STORE_DIR: join(dir, 'offsets') });

/** A long-running `rockit consume ...` with its output collected. */
function consume(args: string[]): RockitProcess {
  const p = new RockitProcess(['consume', ...args], env());
  p.child.stdin.end();
  running.push(p);
  return p;
}

async function consumeToEnd(args: string[]): Promise<RockitResult> {
  const p = consume(args);
  const { code } = await p.exited;
  return { code: code ?? -1, stdout: p.stdout, stderr: p.stderr };
}

interface Received {
  topic: string;
  queueId: number;
  queueOffset: number;
  msgId: string;
  tags: string | null;
  keys: string[];
  properties: Record<string, string>;
  body: string;
  bodyEncoding?: string;
  reconsumeTimes: number;
}

const lines = (stdout: string): Received[] =>
  stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Received);

async function createTopic(topic: string, queues = 4): Promise<void> {
  await admin.createOrUpdateTopic(cluster.brokerAddr, { topicName: topic, readQueueNums: queues, writeQueueNums: queues, perm: 6 });
}

function message(topic: string, body: string | Buffer, init: { tags?: string; keys?: string[]; props?: Record<string, string> } = {}): Message {
  const m = new Message(topic, body);
  if (init.tags !== undefined) m.tags = init.tags;
  if (init.keys !== undefined) m.keys = init.keys;
  for (const [k, v] of Object.entries(init.props ?? {})) m.putUserProperty(k, v);
  return m;
}

beforeAll(async () => {
  buildPlugins('consume');
  cluster = await startCluster({ memory: true, brokerConfig: { enablePropertyFilter: true } });
  admin = new AdminClient({ namesrvAddr: cluster.namesrvAddr, logger: quietLogger });
  await admin.start();
  producer = new Producer({ namesrvAddr: cluster.namesrvAddr, producerGroup: 'consume_test_producer', logger: quietLogger });
  await producer.start();
  dir = mkdtempSync(join(tmpdir(), 'rockit-consume-'));
}, 180_000);

afterAll(async () => {
  for (const p of running) await p.stop('SIGKILL');
  await producer?.shutdown();
  await admin?.shutdown();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('rockit consume <topic> -g <group> --json', () => {
  it('prints one object per message with exactly the documented fields; binary bodies in base64, compressed ones inflated', async () => {
    await createTopic('ConsumeJson', 1);
    const big = 'x'.repeat(5000);
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]);
    await producer.send(message('ConsumeJson', 'hello', { tags: 'TagA', keys: ['k1', 'k2'], props: { a: '1' } }));
    await producer.send(message('ConsumeJson', binary));
    await producer.send(message('ConsumeJson', big));
    const r = await consumeToEnd(['ConsumeJson', '-g', 'g_json', '--from', 'first', '--max', '3', '--json']);
    expect(r.code).toBe(0);
    const [text, bin, compressed] = lines(r.stdout);
    expect(Object.keys(text!).sort()).toEqual(
      ['topic', 'queueId', 'queueOffset', 'msgId', 'offsetMsgId', 'tags', 'keys', 'properties', 'bornTimestamp', 'storeTimestamp', 'reconsumeTimes', 'body'].sort(),
    );
    expect(text).toMatchObject({ topic: 'ConsumeJson', queueId: 0, queueOffset: 0, tags: 'TagA', keys: ['k1', 'k2'], properties: { a: '1' }, body: 'hello', reconsumeTimes: 0 });
    expect(bin!.bodyEncoding).toBe('base64');
    expect(Buffer.from(bin!.body, 'base64')).toEqual(binary);
    expect(compressed!.body).toBe(big);
    expect(compressed!.bodyEncoding).toBeUndefined();
    expect(r.stderr).toMatch(/3 message\(s\) received; stopped: 3 message\(s\) received; offsets committed for group g_json/);
  });

  it('commits what it consumed: a second run of the group continues where --max stopped, nothing lost or repeated', async () => {
    await createTopic('ConsumeResume');
    for (let i = 0; i < 10; i++) await producer.send(message('ConsumeResume', `m${i}`));
    const first = await consumeToEnd(['ConsumeResume', '-g', 'g_resume', '--from', 'first', '--max', '4', '--json']);
    const second = await consumeToEnd(['ConsumeResume', '-g', 'g_resume', '--idle-timeout', '3', '--json']);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(lines(first.stdout)).toHaveLength(4);
    const all = [...lines(first.stdout), ...lines(second.stdout)].map((m) => m.body).sort();
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`).sort());
    expect(second.stderr).toMatch(/stopped: idle for 3 s/);
  });

  it('filters by tag expression and by SQL92 on properties', async () => {
    await createTopic('ConsumeFilter');
    for (const [i, tag] of ['TagA', 'TagB', 'TagC', 'TagA'].entries()) {
      await producer.send(message('ConsumeFilter', `${tag}-${i}`, { tags: tag, props: { n: String(i) } }));
    }
    const byTag = await consumeToEnd(['ConsumeFilter', '-g', 'g_tag', '--tag', 'TagA || TagC', '--from', 'first', '--idle-timeout', '3', '--json']);
    expect(lines(byTag.stdout).map((m) => m.body).sort()).toEqual(['TagA-0', 'TagA-3', 'TagC-2']);
    const bySql = await consumeToEnd(['ConsumeFilter', '-g', 'g_sql', '--sql', 'n >= 2', '--from', 'first', '--idle-timeout', '3', '--json']);
    expect(lines(bySql.stdout).map((m) => m.body).sort()).toEqual(['TagA-3', 'TagC-2']);
  });

  it('starts a new group at an ISO time with --from (the queue offset stored nearest to it, as RocketMQ searches)', async () => {
    await createTopic('ConsumeFromTime', 1);
    for (let i = 0; i < 3; i++) await producer.send(message('ConsumeFromTime', `before-${i}`));
    await new Promise((r) => setTimeout(r, 2500));
    const from = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 3; i++) await producer.send(message('ConsumeFromTime', `after-${i}`));
    const r = await consumeToEnd(['ConsumeFromTime', '-g', 'g_from_time', '--from', from, '--idle-timeout', '3', '--json']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).map((m) => m.body)).toEqual(['after-0', 'after-1', 'after-2']);
  });

  it('starts a new group at the end by default (--from last), even on a topic young enough to be all in memory', async () => {
    await createTopic('ConsumeFromLast', 2);
    for (let i = 0; i < 3; i++) await producer.send(message('ConsumeFromLast', `old-${i}`));
    const p = consume(['ConsumeFromLast', '-g', 'g_from_last', '--json']);
    await expect.poll(async () => (await admin.examineConsumerConnectionInfo('g_from_last')).connectionSet.length, { timeout: 10_000 }).toBe(1);
    await producer.send(message('ConsumeFromLast', 'new'));
    await p.waitFor(/"body":"new"/);
    expect((await p.stop('SIGINT')).code).toBe(0);
    expect(lines(p.stdout).map((m) => m.body)).toEqual(['new']);
  });

  it('consumes orderly: one queue in queue order', async () => {
    await createTopic('ConsumeOrderly');
    for (let i = 0; i < 6; i++) await producer.send(message('ConsumeOrderly', `step-${i}`), { shardingKey: 'order-1' });
    const r = await consumeToEnd(['ConsumeOrderly', '-g', 'g_orderly', '--orderly', '--from', 'first', '--max', '6', '--json']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).map((m) => m.body)).toEqual(['step-0', 'step-1', 'step-2', 'step-3', 'step-4', 'step-5']);
  });

  it('broadcasts: every consumer of the group gets every message', async () => {
    await createTopic('ConsumeBroadcast', 2);
    for (let i = 0; i < 4; i++) await producer.send(message('ConsumeBroadcast', `b${i}`));
    const args = ['ConsumeBroadcast', '-g', 'g_broadcast', '--broadcast', '--from', 'first', '--max', '4', '--json'];
    const [one, two] = await Promise.all([consumeToEnd(args), consumeToEnd(args)]);
    expect(lines(one.stdout).map((m) => m.body).sort()).toEqual(['b0', 'b1', 'b2', 'b3']);
    expect(lines(two.stdout).map((m) => m.body).sort()).toEqual(['b0', 'b1', 'b2', 'b3']);
  });

  it('commits offsets and leaves the group on Ctrl-C (SIGINT), exiting 0', async () => {
    await createTopic('ConsumeSigint', 1);
    for (let i = 0; i < 3; i++) await producer.send(message('ConsumeSigint', `s${i}`));
    const p = consume(['ConsumeSigint', '-g', 'g_sigint', '--from', 'first']);
    await p.waitFor(/body\s*: s2/);
    await expect.poll(async () => (await admin.examineConsumerConnectionInfo('g_sigint')).connectionSet.length, { timeout: 10_000 }).toBe(1);
    const { code } = await p.stop('SIGINT');
    expect(code).toBe(0);
    expect(p.stderr).toMatch(/3 message\(s\) received; stopped: interrupted/);
    const stats = await admin.examineConsumeStats('g_sigint', 'ConsumeSigint');
    expect([...stats.offsetTable.values()].map((o) => o.consumerOffset)).toEqual([3]);
    // Unregistered at shutdown: the broker knows no consumer of the group any more.
    await expect(admin.examineConsumerConnectionInfo('g_sigint')).rejects.toThrow();
  });

  it('prints readable blocks, binary bodies as a hex preview', async () => {
    await createTopic('ConsumeBlocks', 1);
    await producer.send(message('ConsumeBlocks', Buffer.from([0x00, 0x01, 0xfe]), { tags: 'Bin', keys: ['kb'], props: { p: 'v' } }));
    const r = await consumeToEnd(['ConsumeBlocks', '-g', 'g_blocks', '--from', 'first', '--max', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/── ConsumeBlocks {2}queue broker-a:0 {2}offset 0\n/);
    expect(r.stdout).toMatch(/tags\s*: Bin\n/);
    expect(r.stdout).toMatch(/keys\s*: kb\n/);
    expect(r.stdout).toMatch(/properties\s*: p=v\n/);
    expect(r.stdout).toMatch(/body\s*: \(binary, 3 B\) 00 01 fe\n/);
  });
});

describe('rockit consume <topic> --queue Q --offset O --count N', () => {
  it('reads by position without a group, stops at the end of the queue, refuses an offset outside it', async () => {
    await createTopic('ConsumePosition', 2);
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await producer.send(message('ConsumePosition', `p${i}`), { shardingKey: 'same' }));
    const queueId = sent[0]!.messageQueue.queueId;
    const r = await consumeToEnd(['ConsumePosition', '--queue', String(queueId), '--offset', '1', '--count', '3', '--json']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).map((m) => [m.queueOffset, m.body])).toEqual([[1, 'p1'], [2, 'p2'], [3, 'p3']]);
    const past = await consumeToEnd(['ConsumePosition', '--queue', String(queueId), '--offset', '3', '--count', '10', '--json']);
    expect(lines(past.stdout).map((m) => m.body)).toEqual(['p3', 'p4']);
    expect(past.stderr).toMatch(/end of queue broker-a:\d at offset 5 \(2 of 10 read\)/);
    const outside = await consumeToEnd(['ConsumePosition', '--queue', String(queueId), '--offset', '50']);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/^error: offset 50 is outside queue broker-a:\d of ConsumePosition \(messages from 0 to 4\)/);
  });
});

describe('rockit consume usage errors', () => {
  it('asks for a group, and for a valid --from, with exit 2', async () => {
    const noGroup = await consumeToEnd(['SomeTopic']);
    expect(noGroup.code).toBe(2);
    expect(noGroup.stderr).toMatch(/^error: missing consumer group/);
    const badFrom = await consumeToEnd(['SomeTopic', '-g', 'g', '--from', 'yesterday']);
    expect(badFrom.code).toBe(2);
    expect(badFrom.stderr).toMatch(/--from must be last, first or an ISO time/);
  });

  it('fails in one line, instead of waiting, when the topic does not exist', async () => {
    const r = await consumeToEnd(['NoSuchTopic', '-g', 'g_none', '--idle-timeout', '30']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: no route info of topic NoSuchTopic: does it exist? (code 17)\n');
  });
});
