import { afterEach, describe, expect, it } from 'vitest';
import { parseFastJson } from '@rockit/common';
import { RequestCode, ResponseCode } from '@rockit/remoting';
import { BrokerStatsManager, BrokerStatsName, STATS_SAMPLE_INTERVAL } from '../src/stats/broker-stats-manager.js';
import { createTopic, invoke, pull, send, startBroker, type RunningBroker } from './runtime-helpers.js';

/** A manager on a fake clock that starts at a fixed instant. */
function onClock(start = Date.UTC(2026, 0, 5, 12, 0, 0)) {
  const clock = { t: start };
  const stats = new BrokerStatsManager({ clusterName: 'C1', now: () => clock.t });
  /** Advance the clock by one sampling period and sample, `n` times. */
  const tick = (n = 1) => {
    for (let i = 0; i < n; i++) {
      clock.t += STATS_SAMPLE_INTERVAL;
      stats.sample();
    }
  };
  return { clock, stats, tick };
}

describe('BrokerStatsManager', () => {
  it('knows no item until something is counted under it', () => {
    const { stats } = onClock();
    expect(stats.getStatsItem(BrokerStatsName.TOPIC_PUT_NUMS, 'T')).toBeUndefined();
    expect(stats.getStatsItem('NO_SUCH_STATS', 'T')).toBeUndefined();
    stats.incPut('T', 1, 10);
    expect(stats.getStatsItem(BrokerStatsName.TOPIC_PUT_NUMS, 'T')).toBeDefined();
    expect(stats.getStatsItem(BrokerStatsName.TOPIC_PUT_SIZE, 'T')).toBeDefined();
    expect(stats.getStatsItem(BrokerStatsName.BROKER_PUT_NUMS, 'C1')).toBeDefined();
    expect(stats.getStatsItem(BrokerStatsName.TOPIC_PUT_NUMS, 'Other')).toBeUndefined();
  });

  it('reports nothing in a window before the first sample, then the growth since the item appeared', () => {
    const { stats, tick } = onClock();
    stats.incPut('T', 3, 300);
    expect(stats.getStatsItem(BrokerStatsName.TOPIC_PUT_NUMS, 'T')!.statsData().statsMinute).toEqual({ sum: 0, tps: 0, avgpt: 0 });
    stats.incPut('T', 2, 200);
    tick();
    const minute = stats.getStatsItem(BrokerStatsName.TOPIC_PUT_NUMS, 'T')!.statsData().statsMinute;
    expect(minute.sum).toBe(5);
    expect(minute.tps).toBeCloseTo(0.5, 10); // 5 messages over 10 s
    expect(minute.avgpt).toBeCloseTo(2.5, 10); // per call (2 calls)
    expect(stats.getStatsItem(BrokerStatsName.TOPIC_PUT_SIZE, 'T')!.statsData().statsMinute.sum).toBe(500);
  });

  it('keeps the minute window to the last 60 s: older traffic falls out after six more samples', () => {
    const { stats, tick } = onClock();
    stats.incPut('T', 60, 0);
    tick();
    for (let i = 0; i < 6; i++) {
      stats.incPut('T', 1, 0);
      tick();
    }
    const item = stats.getStatsItem(BrokerStatsName.TOPIC_PUT_NUMS, 'T')!;
    expect(item.statsData().statsMinute.sum).toBe(6);
    expect(item.statsData().statsMinute.tps).toBeCloseTo(0.1, 10);
    tick(6);
    expect(item.statsData().statsMinute).toEqual({ sum: 0, tps: 0, avgpt: 0 });
  });

  it('samples the hour window every 10 minutes and the day window every hour', () => {
    const { stats, tick } = onClock();
    stats.incPut('T', 7, 0);
    const item = stats.getStatsItem(BrokerStatsName.TOPIC_PUT_NUMS, 'T')!;
    tick(59);
    expect(item.statsData().statsHour.sum).toBe(0);
    tick();
    expect(item.statsData().statsHour).toMatchObject({ sum: 7 });
    expect(item.statsData().statsHour.tps).toBeCloseTo(7 / 600, 10);
    expect(item.statsData().statsDay.sum).toBe(0);
    tick(300);
    expect(item.statsData().statsDay.sum).toBe(7);
    expect(item.statsData().statsDay.tps).toBeCloseTo(7 / 3600, 10);
    // An hour later (6 hour-window samples) the hour window no longer sees it; the day still does.
    tick(360);
    expect(item.statsData().statsHour.sum).toBe(0);
    expect(item.statsData().statsDay.sum).toBe(7);
  });

  it('counts pulls per topic@group and feeds consumeTps; pulls without a group count for the broker only', () => {
    const { stats, tick } = onClock();
    stats.incGet('T', 20, 2000, 'G');
    stats.incGet('T', 5, 500);
    stats.incSendBackNums('G', 'T');
    tick();
    expect(stats.getStatsItem(BrokerStatsName.GROUP_GET_NUMS, 'T@G')!.statsData().statsMinute.sum).toBe(20);
    expect(stats.getStatsItem(BrokerStatsName.GROUP_GET_SIZE, 'T@G')!.statsData().statsMinute.sum).toBe(2000);
    expect(stats.getStatsItem(BrokerStatsName.SNDBCK_PUT_NUMS, 'T@G')!.statsData().statsMinute.sum).toBe(1);
    expect(stats.getStatsItem(BrokerStatsName.BROKER_GET_NUMS, 'C1')!.statsData().statsMinute.sum).toBe(25);
    expect(stats.tpsGroupGetNums('G', 'T')).toBeCloseTo(2, 10);
    expect(stats.tpsGroupGetNums('G', 'Other')).toBe(0);
    expect(stats.getTps()).toBeCloseTo(2.5, 10);
    expect(stats.msgGetTotal).toBe(25);
  });

  it('forgets a deleted topic\'s and a deleted group\'s items, and only theirs', () => {
    const { stats } = onClock();
    stats.incPut('T1', 1, 1);
    stats.incPut('T2', 1, 1);
    stats.incGet('T1', 1, 1, 'G1');
    stats.incGet('T1', 1, 1, 'G2');
    stats.incGet('T2', 1, 1, 'G1');
    stats.incSendBackNums('G1', 'T1');
    stats.onTopicDeleted('T1');
    const has = (name: string, key: string) => stats.getStatsItem(name, key) !== undefined;
    expect([has('TOPIC_PUT_NUMS', 'T1'), has('TOPIC_PUT_SIZE', 'T1'), has('GROUP_GET_NUMS', 'T1@G1'), has('GROUP_GET_SIZE', 'T1@G2'), has('SNDBCK_PUT_NUMS', 'T1@G1')]).toEqual([false, false, false, false, false]);
    expect([has('TOPIC_PUT_NUMS', 'T2'), has('GROUP_GET_NUMS', 'T2@G1')]).toEqual([true, true]);
    stats.onGroupDeleted('G1');
    expect(has('GROUP_GET_NUMS', 'T2@G1')).toBe(false);
    expect(has('TOPIC_PUT_NUMS', 'T2')).toBe(true);
    // Counting again after a delete starts a fresh item.
    stats.incGet('T2', 3, 1, 'G1');
    expect(stats.getStatsItem('GROUP_GET_NUMS', 'T2@G1')!.value).toBe(3);
  });

  it('gives getTransferedTps as the last 10 s, minute and 10 minutes', () => {
    const { stats, tick } = onClock();
    stats.incGet('T', 10, 0, 'G');
    tick(5);
    stats.incGet('T', 50, 0, 'G');
    tick();
    // last 10 s: 50/10; minute: 60/60; 10 min window has only its creation snapshot yet.
    expect(stats.getTransferedTps()).toBe('5.00 1.00 0.00');
  });

  it('rolls the today-morning totals over at local midnight', () => {
    const start = new Date(2026, 0, 5, 23, 59, 50).getTime();
    const { clock, stats } = onClock(start);
    stats.incPut('T', 4, 0);
    expect(stats.msgPutTotalTodayMorning).toBe(0);
    clock.t = new Date(2026, 0, 6, 0, 0, 5).getTime();
    stats.incPut('T', 1, 0);
    expect(stats.msgPutTotalTodayMorning).toBe(4);
    expect(stats.msgPutTotal).toBe(5);
  });
});

describe('VIEW_BROKER_STATS_DATA', () => {
  let rb: RunningBroker | undefined;
  afterEach(async () => {
    await rb?.stop();
    rb = undefined;
  });

  it('answers a BrokerStatsData of sent and pulled messages, and SYSTEM_ERROR for an unknown or deleted item', async () => {
    rb = await startBroker();
    await createTopic(rb, 'StatsT', 1);
    for (let i = 0; i < 4; i++) expect((await send(rb, 'StatsT', `m${i}`, { queueId: 0 })).code).toBe(ResponseCode.SUCCESS);
    const pulled = await pull(rb, 'StatsT', { group: 'CG_stats', queueId: 0, offset: 0 });
    expect(pulled.code).toBe(ResponseCode.SUCCESS);
    await new Promise((r) => setTimeout(r, 5)); // windows need elapsed time for a rate
    rb.broker.stats.sample(); // the 10 s sampler's work, now

    const put = await invoke(rb, RequestCode.VIEW_BROKER_STATS_DATA, { statsName: 'TOPIC_PUT_NUMS', statsKey: 'StatsT' });
    expect(put.code).toBe(ResponseCode.SUCCESS);
    const text = put.body!.toString();
    expect(text).toMatch(/^\{"statsDay":\{"avgpt":0\.0,"sum":0,"tps":0\.0\},"statsHour":\{"avgpt":0\.0,"sum":0,"tps":0\.0\},"statsMinute":\{"avgpt":1\.0,"sum":4,"tps":[0-9.E]+\}\}$/);
    const data = parseFastJson(text) as { statsMinute: { tps: number } };
    expect(data.statsMinute.tps).toBeGreaterThan(0);

    const got = parseFastJson((await invoke(rb, RequestCode.VIEW_BROKER_STATS_DATA, { statsName: 'GROUP_GET_NUMS', statsKey: 'StatsT@CG_stats' })).body!.toString()) as {
      statsMinute: { sum: number; avgpt: number };
    };
    expect(got.statsMinute).toMatchObject({ sum: 4, avgpt: 4 });

    const consume = await invoke(rb, RequestCode.GET_CONSUME_STATS, { consumerGroup: 'CG_stats', topic: 'StatsT' });
    expect((parseFastJson(consume.body!.toString()) as { consumeTps: number }).consumeTps).toBeGreaterThan(0);

    const unknown = await invoke(rb, RequestCode.VIEW_BROKER_STATS_DATA, { statsName: 'TOPIC_PUT_NUMS', statsKey: 'NeverSent' });
    expect(unknown.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(unknown.remark).toBe('The stats <TOPIC_PUT_NUMS> <NeverSent> not exist');

    expect((await invoke(rb, RequestCode.DELETE_TOPIC_IN_BROKER, { topic: 'StatsT' })).code).toBe(ResponseCode.SUCCESS);
    const deleted = await invoke(rb, RequestCode.VIEW_BROKER_STATS_DATA, { statsName: 'GROUP_GET_NUMS', statsKey: 'StatsT@CG_stats' });
    expect(deleted.code).toBe(ResponseCode.SYSTEM_ERROR);
  });
});
