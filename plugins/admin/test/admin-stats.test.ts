/**
 * `rockit admin statsAll` as a child process against an in-process cluster, after real producing and consuming:
 * the broker's TOPIC_PUT_NUMS / GROUP_GET_NUMS items (VIEW_BROKER_STATS_DATA) and the group's lag per line.
 */
import { describe, expect, it } from 'vitest';
import { Message, Producer } from '@rockit/client';
import type { TopicGroupStats } from '../src/ops/stats.js';
import { adminSuite, collectingConsumer, quietLogger, until } from './helpers.js';

const s = adminSuite();
const TOPIC = 'StatsAllTopic';
const IDLE = 'StatsIdleTopic';
const QUIET = 'StatsQuietTopic';
const GROUP = 'CG_statsAll';

async function produce(topic: string, count: number): Promise<void> {
  const producer = new Producer({ namesrvAddr: s.cluster.namesrvAddr, producerGroup: 'PG_statsAll', logger: quietLogger });
  await producer.start();
  try {
    for (let i = 0; i < count; i++) await producer.send(new Message(topic, `m${i}`), { messageQueue: { topic, brokerName: 'broker-a', queueId: i % 2 } });
  } finally {
    await producer.shutdown();
  }
}

describe('rockit admin statsAll', () => {
  it('prints in/out rates, 24 h counts and accumulation per topic and group; -a drops quiet topics, -t selects one', async () => {
    for (const topic of [TOPIC, IDLE, QUIET]) await s.admin.createOrUpdateTopic(s.cluster.brokerAddr, { topicName: topic, readQueueNums: 2, writeQueueNums: 2, perm: 6 });
    await produce(TOPIC, 6);
    await produce(IDLE, 3);
    const { consumer, got } = collectingConsumer(s.cluster.namesrvAddr, GROUP, TOPIC);
    try {
      await consumer.start();
      await until(async () => got.length === 6, 'the consumer to get 6 messages');
      await until(async () => (await s.admin.examineConsumeStats(GROUP, TOPIC)).diffTotal === 0, 'offsets committed');
    } finally {
      await consumer.shutdown();
    }
    await produce(TOPIC, 2); // left unconsumed: the accumulation
    await new Promise((r) => setTimeout(r, 5)); // a rate needs elapsed time between the snapshots
    s.cluster.brokers[0]!.stats.sample(); // the broker's 10 s sampling round, now rather than in up to 10 s

    const got24h = await s.admin.viewBrokerStatsData(s.cluster.brokerAddr, 'GROUP_GET_NUMS', `${TOPIC}@${GROUP}`);
    expect(got24h.statsMinute.sum).toBe(6);
    expect(got24h.statsDay).toEqual({ sum: 0, tps: 0, avgpt: 0 }); // no hourly sample yet
    await expect(s.admin.viewBrokerStatsData(s.cluster.brokerAddr, 'TOPIC_PUT_NUMS', QUIET)).rejects.toThrow(`The stats <TOPIC_PUT_NUMS> <${QUIET}> not exist`);

    const all = await s.json<{ rows: TopicGroupStats[] }>(['admin', 'statsAll']);
    const byTopic = new Map(all.rows.map((r) => [r.topic, r]));
    expect(byTopic.get(TOPIC)).toMatchObject({ group: GROUP, accumulation: 2, inMsg24Hour: 8, outMsg24Hour: 6 });
    expect(byTopic.get(TOPIC)!.inTps).toBeGreaterThan(0);
    expect(byTopic.get(TOPIC)!.outTps).toBeGreaterThan(0);
    expect(byTopic.get(IDLE)).toEqual({ topic: IDLE, accumulation: 0, inTps: expect.any(Number), inMsg24Hour: 3 });
    expect(byTopic.get(QUIET)).toEqual({ topic: QUIET, accumulation: 0, inTps: 0, inMsg24Hour: 0 });
    expect(all.rows.some((r) => r.topic.startsWith('%RETRY%') || r.topic.startsWith('%DLQ%'))).toBe(false);

    const active = await s.json<{ rows: TopicGroupStats[] }>(['admin', 'statsAll', '-a']);
    expect(active.rows.map((r) => r.topic).sort()).toEqual([IDLE, TOPIC].sort());

    const text = await s.run(['admin', 'statsAll', '-t', TOPIC]);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('#Topic                            #Consumer Group                   #Accumulation       #InTPS      #OutTPS    #InMsg24Hour   #OutMsg24Hour');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${TOPIC} +${GROUP} +2 +\\d+\\.\\d\\d +\\d+\\.\\d\\d +8 +6$`));

    const idle = await s.run(['admin', 'statsAll', '-t', IDLE]);
    expect(idle.stdout.trimEnd().split('\n')[1]).toMatch(new RegExp(`^${IDLE} {18} {34} +0 +\\d+\\.\\d\\d {13} +3 +NO_CONSUMER$`));
  });
});
