import { describe, expect, it } from 'vitest';
import {
  CHANNEL_EXPIRED_TIMEOUT,
  ConsumerManager,
  ProducerManager,
  type ClientChannel,
  type ConsumerGroupEvent,
  type SubscriptionData,
} from '@rockit/broker';
import { manualClock, silentLogger } from './helpers.js';

const channels = new Map<number, ClientChannel>();
/** The channel object of connection n (tables are keyed by channel identity, as Netty channels are). */
function channel(n: number): ClientChannel {
  let c = channels.get(n);
  if (!c) channels.set(n, (c = { id: `ch-${n}`, remoteAddress: `10.0.0.${n}:5000${n}` }));
  return c;
}

function sub(topic: string, subVersion = 1, subString = '*'): SubscriptionData {
  return { topic, subString, tagsSet: [], codeSet: [], subVersion, expressionType: 'TAG', classFilterMode: false };
}

/** Events in a compact, comparable form. */
function describeEvent(e: ConsumerGroupEvent): string {
  switch (e.event) {
    case 'CHANGE':
      return `CHANGE ${e.group} [${e.channels.map((c) => c.id).join(',')}]`;
    case 'REGISTER':
      return `REGISTER ${e.group} [${e.subscriptions.map((s) => s.topic).join(',')}]`;
    case 'UNREGISTER':
      return `UNREGISTER ${e.group}`;
  }
}

function setup() {
  const clock = manualClock();
  const m = new ConsumerManager({ logger: silentLogger, now: clock.now });
  const events: string[] = [];
  m.onChange((e) => events.push(describeEvent(e)));
  const heartbeat = (n: number, group: string, subs: SubscriptionData[], notify = true) =>
    m.registerConsumer(group, m.newClientChannelInfo(channel(n), `client-${n}`, 'JAVA', 413), 'CONSUME_PASSIVELY', 'CLUSTERING', 'CONSUME_FROM_LAST_OFFSET', subs, notify);
  return { clock, m, events, heartbeat };
}

describe('ConsumerManager', () => {
  it('registers a consumer from its heartbeat and announces CHANGE then REGISTER', () => {
    const { m, events, heartbeat } = setup();
    expect(heartbeat(1, 'cg', [sub('T'), sub('%RETRY%cg')])).toBe(true);
    expect(events).toEqual(['CHANGE cg [ch-1]', 'REGISTER cg [T,%RETRY%cg]']);
    const info = m.getConsumerGroupInfo('cg')!;
    expect(info).toMatchObject({ groupName: 'cg', consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET' });
    expect(info.getAllClientId()).toEqual(['client-1']);
    expect(m.findChannel('cg', 'client-1')).toMatchObject({ clientId: 'client-1', language: 'JAVA', version: 413 });
    expect(m.findSubscriptionData('cg', 'T')?.subString).toBe('*');
    expect(m.findSubscriptionDataCount('cg')).toBe(2);
    expect(m.queryTopicConsumeByWho('T')).toEqual(new Set(['cg']));
  });

  it('treats a repeated heartbeat as no change (REGISTER only), also when only subVersion grew', () => {
    const { m, events, heartbeat } = setup();
    heartbeat(1, 'cg', [sub('T', 1)]);
    events.length = 0;
    expect(heartbeat(1, 'cg', [sub('T', 1)])).toBe(false);
    expect(heartbeat(1, 'cg', [sub('T', 2, 'TagA')])).toBe(false);
    expect(events).toEqual(['REGISTER cg [T]', 'REGISTER cg [T]']);
    expect(m.findSubscriptionData('cg', 'T')?.subString).toBe('TagA');
    // an older version does not replace the newer one
    heartbeat(1, 'cg', [sub('T', 1, 'Old')]);
    expect(m.findSubscriptionData('cg', 'T')?.subString).toBe('TagA');
  });

  it('announces CHANGE with all channels when a second consumer joins or a topic is added or dropped', () => {
    const { m, events, heartbeat } = setup();
    heartbeat(1, 'cg', [sub('T')]);
    events.length = 0;
    expect(heartbeat(2, 'cg', [sub('T')])).toBe(true);
    expect(heartbeat(2, 'cg', [sub('T'), sub('U')])).toBe(true);
    expect(heartbeat(2, 'cg', [sub('U')])).toBe(true);
    expect(events.filter((e) => e.startsWith('CHANGE'))).toEqual(['CHANGE cg [ch-1,ch-2]', 'CHANGE cg [ch-1,ch-2]', 'CHANGE cg [ch-1,ch-2]']);
    expect([...m.getConsumerGroupInfo('cg')!.subscriptionTable.keys()]).toEqual(['U']);
  });

  it('does not announce CHANGE when the group disabled notifyConsumerIdsChangedEnable', () => {
    const { events, heartbeat } = setup();
    heartbeat(1, 'quiet', [sub('T')], false);
    expect(events).toEqual(['REGISTER quiet [T]']);
  });

  it('unregisters a consumer: CHANGE for the rest, UNREGISTER when the group is empty', () => {
    const { m, events, heartbeat } = setup();
    heartbeat(1, 'cg', [sub('T')]);
    heartbeat(2, 'cg', [sub('T')]);
    events.length = 0;
    m.unregisterConsumer('cg', m.newClientChannelInfo(channel(1), 'client-1', 'JAVA', 413), true);
    expect(events).toEqual(['CHANGE cg [ch-2]']);
    m.unregisterConsumer('cg', m.newClientChannelInfo(channel(2), 'client-2', 'JAVA', 413), true);
    expect(events.slice(1)).toEqual(['UNREGISTER cg', 'CHANGE cg []']);
    expect(m.getConsumerGroupInfo('cg')).toBeUndefined();
    m.unregisterConsumer('nobody', m.newClientChannelInfo(channel(3), 'client-3', 'JAVA', 413), true);
    expect(events).toHaveLength(3);
  });

  it('removes a closed connection from every group it belonged to', () => {
    const { m, events, heartbeat } = setup();
    heartbeat(1, 'g1', [sub('T')]);
    heartbeat(1, 'g2', [sub('T')]);
    heartbeat(2, 'g2', [sub('T')]);
    events.length = 0;
    expect(m.doChannelCloseEvent('10.0.0.1:50001', channel(1)).sort()).toEqual(['g1', 'g2']);
    expect(events).toEqual(['UNREGISTER g1', 'CHANGE g1 []', 'CHANGE g2 [ch-2]']);
    expect(m.groups).toEqual(['g2']);
    expect(m.doChannelCloseEvent('x', channel(9))).toEqual([]);
  });

  it('expires channels silent for more than 120 s and keeps those that sent heartbeats', () => {
    const { clock, m, events, heartbeat } = setup();
    heartbeat(1, 'cg', [sub('T')]);
    heartbeat(2, 'cg', [sub('T')]);
    clock.advance(CHANNEL_EXPIRED_TIMEOUT - 1000);
    heartbeat(2, 'cg', [sub('T')]);
    clock.advance(1000);
    expect(m.scanNotActiveChannel()).toEqual([]);
    clock.advance(1);
    events.length = 0;
    const expired = m.scanNotActiveChannel();
    expect(expired.map((i) => i.clientId)).toEqual(['client-1']);
    expect(events).toEqual(['CHANGE cg [ch-2]']);
    clock.advance(CHANNEL_EXPIRED_TIMEOUT);
    expect(m.scanNotActiveChannel().map((i) => i.clientId)).toEqual(['client-2']);
    expect(events.slice(1)).toEqual(['UNREGISTER cg', 'CHANGE cg []']);
    expect(m.getConsumerGroupInfo('cg')).toBeUndefined();
  });

  it('keeps one entry per connection when the client id behind it changes', () => {
    const { m } = setup();
    m.registerConsumer('cg', m.newClientChannelInfo(channel(1), 'old-id', 'JAVA', 1), 'CONSUME_ACTIVELY', 'BROADCASTING', 'CONSUME_FROM_FIRST_OFFSET', [sub('T')], true);
    m.registerConsumer('cg', m.newClientChannelInfo(channel(1), 'new-id', 'JAVA', 1), 'CONSUME_ACTIVELY', 'BROADCASTING', 'CONSUME_FROM_FIRST_OFFSET', [sub('T')], true);
    expect(m.getConsumerGroupInfo('cg')!.getAllClientId()).toEqual(['new-id']);
    expect(m.getConsumerGroupInfo('cg')!.messageModel).toBe('BROADCASTING');
  });

  it('keeps delivering events to other listeners when one throws', () => {
    const { m, heartbeat } = setup();
    const seen: string[] = [];
    m.onChange(() => {
      throw new Error('boom');
    });
    const off = m.onChange((e) => seen.push(e.event));
    heartbeat(1, 'cg', [sub('T')]);
    off();
    heartbeat(2, 'cg', [sub('T')]);
    expect(seen).toEqual(['CHANGE', 'REGISTER']);
  });
});

describe('ProducerManager', () => {
  function setupProducers() {
    const clock = manualClock();
    const m = new ProducerManager({ logger: silentLogger, now: clock.now, random: (n) => n - 1 });
    const register = (n: number, group = 'pg') => m.registerProducer(group, m.newClientChannelInfo(channel(n), `client-${n}`, 'JAVA', 413));
    return { clock, m, register };
  }

  it('registers producers per group and finds channels by client id', () => {
    const { m, register } = setupProducers();
    register(1);
    register(2);
    register(1, 'other');
    expect(m.getGroupChannels('pg').map((i) => i.clientId)).toEqual(['client-1', 'client-2']);
    expect(m.findChannel('client-2')).toEqual(channel(2));
    expect(m.getAvailableChannel('pg')?.id).toBe('ch-2');
    expect(m.getAvailableChannel('none')).toBeUndefined();
    expect([...m.getGroupChannelTable().keys()]).toEqual(['pg', 'other']);
  });

  it('unregisters producers and forgets empty groups', () => {
    const { m, register } = setupProducers();
    register(1);
    m.unregisterProducer('pg', m.newClientChannelInfo(channel(1), 'client-1', 'JAVA', 413));
    expect(m.getGroupChannels('pg')).toEqual([]);
    expect(m.getGroupChannelTable().size).toBe(0);
    expect(m.findChannel('client-1')).toBeUndefined();
  });

  it('removes a closed connection from all groups', () => {
    const { m, register } = setupProducers();
    register(1);
    register(1, 'other');
    register(2);
    expect(m.doChannelCloseEvent('10.0.0.1:50001', channel(1))).toEqual(['pg', 'other']);
    expect(m.getGroupChannels('pg').map((i) => i.clientId)).toEqual(['client-2']);
    expect(m.getGroupChannelTable().has('other')).toBe(false);
    expect(m.findChannel('client-1')).toBeUndefined();
  });

  it('expires producers silent for more than 120 s; heartbeats refresh them', () => {
    const { clock, m, register } = setupProducers();
    register(1);
    register(2);
    clock.advance(CHANNEL_EXPIRED_TIMEOUT);
    register(2);
    clock.advance(1);
    expect(m.scanNotActiveChannel().map((i) => i.clientId)).toEqual(['client-1']);
    expect(m.getGroupChannels('pg').map((i) => i.clientId)).toEqual(['client-2']);
    expect(m.findChannel('client-1')).toBeUndefined();
  });
});
