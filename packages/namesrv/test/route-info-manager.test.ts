import { describe, expect, it } from 'vitest';
import { RouteInfoManager, type TopicConfig, type TopicConfigSerializeWrapper } from '@rockit/namesrv';

function topic(topicName: string, queues = 4, perm = 6, topicSysFlag = 0): TopicConfig {
  return { topicName, readQueueNums: queues, writeQueueNums: queues, perm, topicFilterType: 'SINGLE_TAG', topicSysFlag, order: false };
}

function wrapper(counter: number, ...topics: TopicConfig[]): TopicConfigSerializeWrapper {
  return { dataVersion: { timestamp: 1_700_000_000_000, counter }, topicConfigTable: new Map(topics.map((t) => [t.topicName, t])) };
}

class FakeClock {
  now = 1_000_000;
  read = (): number => this.now;
}

function register(
  rim: RouteInfoManager,
  brokerName: string,
  brokerId: number,
  brokerAddr: string,
  w?: TopicConfigSerializeWrapper,
  extra: { channel?: object; clusterName?: string; heartbeatTimeoutMillis?: number } = {},
) {
  return rim.registerBroker({
    clusterName: extra.clusterName ?? 'DefaultCluster',
    brokerName,
    brokerId,
    brokerAddr,
    haServerAddr: brokerAddr.replace(/:\d+$/, ':10912'),
    ...(w ? { topicConfigWrapper: w } : {}),
    ...(extra.channel ? { channel: extra.channel } : {}),
    ...(extra.heartbeatTimeoutMillis ? { heartbeatTimeoutMillis: extra.heartbeatTimeoutMillis } : {}),
  });
}

describe('RouteInfoManager', () => {
  it('builds a topic route from a master registration', () => {
    const rim = new RouteInfoManager();
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(1, topic('TopicTest')));
    const route = rim.pickupTopicRouteData('TopicTest');
    expect(route?.queueDatas).toEqual([{ brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }]);
    expect(route?.brokerDatas).toEqual([{ cluster: 'DefaultCluster', brokerName: 'broker-a', brokerAddrs: new Map([[0, '10.0.0.1:10911']]) }]);
    expect(rim.pickupTopicRouteData('Nope')).toBeUndefined();
  });

  it('takes queue data only from masters: a slave adds its address but not its topics', () => {
    const rim = new RouteInfoManager();
    register(rim, 'broker-a', 1, '10.0.0.2:10911', wrapper(1, topic('SlaveOnly')));
    expect(rim.pickupTopicRouteData('SlaveOnly')).toBeUndefined();
    expect(rim.brokerAddrTable.get('broker-a')?.brokerAddrs).toEqual(new Map([[1, '10.0.0.2:10911']]));

    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(1, topic('FromMaster', 8)));
    const route = rim.pickupTopicRouteData('FromMaster');
    expect(route?.queueDatas.map((q) => q.readQueueNums)).toEqual([8]);
    expect(route?.brokerDatas[0]?.brokerAddrs).toEqual(new Map([[0, '10.0.0.1:10911'], [1, '10.0.0.2:10911']]));
  });

  it('ignores a changed topic table while the data version stays the same', () => {
    const rim = new RouteInfoManager();
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(5, topic('T', 4)));
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(5, topic('T', 16), topic('Other')));
    expect(rim.pickupTopicRouteData('T')?.queueDatas[0]?.writeQueueNums).toBe(4);
    expect(rim.pickupTopicRouteData('Other')).toBeUndefined();

    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(6, topic('T', 16), topic('Other')));
    expect(rim.pickupTopicRouteData('T')?.queueDatas[0]?.writeQueueNums).toBe(16);
    expect(rim.pickupTopicRouteData('Other')).toBeDefined();
  });

  it('keeps topics a partial (incremental) registration does not mention', () => {
    const rim = new RouteInfoManager();
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(1, topic('A'), topic('B')));
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(2, topic('%RETRY%cg', 1)));
    expect([...rim.topicQueueTable.keys()].sort()).toEqual(['%RETRY%cg', 'A', 'B']);
  });

  it('answers a slave with its master address and HA address, and a master with nothing', () => {
    const rim = new RouteInfoManager();
    expect(register(rim, 'broker-a', 1, '10.0.0.2:10911')).toEqual({});
    expect(register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(1))).toEqual({});
    expect(register(rim, 'broker-a', 1, '10.0.0.2:10911')).toEqual({ masterAddr: '10.0.0.1:10911', haServerAddr: '10.0.0.1:10912' });
  });

  it('moves an address re-registered under another broker id (slave promoted to master)', () => {
    const rim = new RouteInfoManager();
    register(rim, 'broker-a', 1, '10.0.0.2:10911');
    register(rim, 'broker-a', 0, '10.0.0.2:10911', wrapper(1, topic('T')));
    expect(rim.brokerAddrTable.get('broker-a')?.brokerAddrs).toEqual(new Map([[0, '10.0.0.2:10911']]));
  });

  it('merges queue data of two broker names and lists both brokers in the route', () => {
    const rim = new RouteInfoManager();
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(1, topic('T', 4)));
    register(rim, 'broker-b', 0, '10.0.0.3:10911', wrapper(1, topic('T', 2)));
    const route = rim.pickupTopicRouteData('T');
    const byName = (a: { brokerName: string }, b: { brokerName: string }) => a.brokerName.localeCompare(b.brokerName);
    expect(route?.queueDatas.sort(byName).map((q) => [q.brokerName, q.writeQueueNums])).toEqual([['broker-a', 4], ['broker-b', 2]]);
    expect(route?.brokerDatas.sort(byName).map((b) => b.brokerName)).toEqual(['broker-a', 'broker-b']);
    expect([...rim.clusterAddrTable.get('DefaultCluster')!].sort()).toEqual(['broker-a', 'broker-b']);
  });

  it('removes topics when the last address of their broker name unregisters', () => {
    const rim = new RouteInfoManager();
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(1, topic('OnlyA'), topic('Shared')));
    register(rim, 'broker-a', 1, '10.0.0.2:10911');
    register(rim, 'broker-b', 0, '10.0.0.3:10911', wrapper(1, topic('Shared')));

    rim.unregisterBroker('DefaultCluster', '10.0.0.2:10911', 'broker-a', 1);
    expect(rim.pickupTopicRouteData('OnlyA')).toBeDefined();

    rim.unregisterBroker('DefaultCluster', '10.0.0.1:10911', 'broker-a', 0);
    expect(rim.pickupTopicRouteData('OnlyA')).toBeUndefined();
    expect(rim.pickupTopicRouteData('Shared')?.queueDatas.map((q) => q.brokerName)).toEqual(['broker-b']);
    expect(rim.brokerAddrTable.has('broker-a')).toBe(false);
    expect([...rim.clusterAddrTable.get('DefaultCluster')!]).toEqual(['broker-b']);
    expect(rim.brokerLiveTable.has('10.0.0.1:10911')).toBe(false);

    rim.unregisterBroker('DefaultCluster', '10.0.0.3:10911', 'broker-b', 0);
    expect(rim.clusterAddrTable.size).toBe(0);
    expect(rim.topicQueueTable.size).toBe(0);
  });

  it('expires a broker silent for longer than the timeout, using the injected clock', () => {
    const clock = new FakeClock();
    const closed: object[] = [];
    const rim = new RouteInfoManager({ clock: clock.read, brokerChannelExpiredTime: 120_000, closeChannel: (c) => closed.push(c) });
    const channelA = {};
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(1, topic('T')), { channel: channelA });
    register(rim, 'broker-b', 0, '10.0.0.3:10911', wrapper(1, topic('T')), { channel: {} });

    clock.now += 100_000;
    register(rim, 'broker-b', 0, '10.0.0.3:10911', wrapper(1, topic('T')), { channel: {} }); // b keeps heartbeating
    clock.now += 20_000;
    expect(rim.scanNotActiveBroker()).toEqual([]); // exactly 120 s silent is still alive

    clock.now += 1;
    expect(rim.scanNotActiveBroker()).toEqual(['10.0.0.1:10911']);
    expect(closed).toEqual([channelA]);
    expect(rim.pickupTopicRouteData('T')?.brokerDatas.map((b) => b.brokerName)).toEqual(['broker-b']);
  });

  it('honours a per-broker heartbeat timeout from the register header', () => {
    const clock = new FakeClock();
    const rim = new RouteInfoManager({ clock: clock.read });
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(1, topic('T')), { heartbeatTimeoutMillis: 10_000 });
    clock.now += 10_001;
    expect(rim.scanNotActiveBroker()).toEqual(['10.0.0.1:10911']);
  });

  it('treats an unchanged QUERY_DATA_VERSION as a heartbeat', () => {
    const clock = new FakeClock();
    const rim = new RouteInfoManager({ clock: clock.read, brokerChannelExpiredTime: 1000 });
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(3, topic('T')));
    expect(rim.isBrokerTopicConfigChanged('10.0.0.1:10911', { timestamp: 1_700_000_000_000, counter: 3 })).toBe(false);
    expect(rim.isBrokerTopicConfigChanged('10.0.0.1:10911', { timestamp: 1_700_000_000_000, counter: 4 })).toBe(true);
    clock.now += 900;
    rim.updateBrokerInfoUpdateTimestamp('10.0.0.1:10911');
    clock.now += 900;
    expect(rim.scanNotActiveBroker()).toEqual([]);
  });

  it('removes every broker registered over a connection when it closes', () => {
    const rim = new RouteInfoManager();
    const conn = {};
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(1, topic('T')), { channel: conn });
    register(rim, 'broker-a', 1, '10.0.0.2:10911', undefined, { channel: conn });
    register(rim, 'broker-b', 0, '10.0.0.3:10911', wrapper(1, topic('T')), { channel: {} });

    expect(rim.onChannelDestroy('127.0.0.1:50000', conn).sort()).toEqual(['10.0.0.1:10911', '10.0.0.2:10911']);
    expect(rim.brokerAddrTable.has('broker-a')).toBe(false);
    expect(rim.pickupTopicRouteData('T')?.queueDatas.map((q) => q.brokerName)).toEqual(['broker-b']);
    expect(rim.onChannelDestroy('127.0.0.1:50001', {})).toEqual([]);
  });

  it('deletes a topic everywhere, or only from one cluster', () => {
    const rim = new RouteInfoManager();
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(1, topic('T')), { clusterName: 'c1' });
    register(rim, 'broker-b', 0, '10.0.0.3:10911', wrapper(1, topic('T'), topic('U')), { clusterName: 'c2' });
    rim.deleteTopic('T', 'c1');
    expect(rim.pickupTopicRouteData('T')?.queueDatas.map((q) => q.brokerName)).toEqual(['broker-b']);
    rim.deleteTopic('T');
    expect(rim.pickupTopicRouteData('T')).toBeUndefined();
    expect([...rim.getTopicsByCluster('c2').topicList]).toEqual(['U']);
    expect([...rim.getTopicsByCluster('c1').topicList]).toEqual([]);
    expect([...rim.getTopicsByCluster('missing').topicList]).toEqual([]);
  });

  it('lists cluster and broker names as system topics with one broker address to ask', () => {
    const rim = new RouteInfoManager();
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(1, topic('T')));
    const list = rim.getSystemTopicList();
    expect([...list.topicList].sort()).toEqual(['DefaultCluster', 'broker-a']);
    expect(list.brokerAddr).toBe('10.0.0.1:10911');
  });

  it('wipes and restores write permission of one broker', () => {
    const rim = new RouteInfoManager();
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(1, topic('T'), topic('U', 4, 7)));
    register(rim, 'broker-b', 0, '10.0.0.3:10911', wrapper(1, topic('T')));
    expect(rim.wipeWritePermOfBroker('broker-a')).toBe(2);
    const permsOf = (t: string) => rim.pickupTopicRouteData(t)?.queueDatas.map((q) => [q.brokerName, q.perm]).sort();
    expect(permsOf('T')).toEqual([['broker-a', 4], ['broker-b', 6]]);
    expect(permsOf('U')).toEqual([['broker-a', 5]]);
    expect(rim.addWritePermOfBroker('broker-a')).toBe(2);
    expect(permsOf('U')).toEqual([['broker-a', 6]]);
    expect(rim.wipeWritePermOfBroker('nobody')).toBe(0);
  });

  it('selects unit topics by topicSysFlag', () => {
    const rim = new RouteInfoManager();
    register(rim, 'broker-a', 0, '10.0.0.1:10911', wrapper(1, topic('Plain'), topic('Unit', 4, 6, 1), topic('UnitSub', 4, 6, 2), topic('Both', 4, 6, 3)));
    expect([...rim.getUnitTopics().topicList].sort()).toEqual(['Both', 'Unit']);
    expect([...rim.getHasUnitSubTopicList().topicList].sort()).toEqual(['Both', 'UnitSub']);
    expect(rim.getHasUnitSubUnUnitTopicList().topicList).toEqual(['UnitSub']);
  });
});
