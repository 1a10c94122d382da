import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyCrc32 } from '@rockit/common';
import { RemotingCommand, RequestCode, ResponseCode, SerializeType, encodeFrame } from '@rockit/remoting';
import {
  NamesrvController,
  decodeRegisterBrokerBody,
  encodeRegisterBrokerBody,
  type NamesrvRequestContext,
} from '@rockit/namesrv';
import { decodeRecorded, namesrvFrames, responseTo, silentLogger, tempNamesrvDir, topicConfig, type RecordedFrame } from './helpers.js';

const frames = namesrvFrames();
const requests = (code: number): RecordedFrame[] => frames.filter((f) => !f.isResponse && f.to === 'namesrv' && f.code === code);
const recordedResponses = (requestCode: number, code: number): RecordedFrame[] =>
  frames.filter((f) => f.isResponse && f.from === 'namesrv' && f.requestCode === requestCode && f.code === code);

/** Our full response frame to a request, as the server would put it on the wire. */
function answer(controller: NamesrvController, ctx: NamesrvRequestContext, request: RemotingCommand): Buffer {
  const response = controller.processRequest(ctx, request);
  response.opaque = request.opaque;
  response.markResponse();
  response.serializeType = request.serializeType;
  return encodeFrame(response);
}

describe('name server vs. frames captured from RocketMQ 4.9.8', () => {
  const tmp = tempNamesrvDir();
  const controller = new NamesrvController(tmp.config, { logger: silentLogger });
  const brokerConnection: NamesrvRequestContext = { channel: {}, remoteAddr: '127.0.0.1:40000' };
  const clientConnection: NamesrvRequestContext = { channel: {}, remoteAddr: '127.0.0.1:40001' };
  const registrations = requests(RequestCode.REGISTER_BROKER);

  beforeAll(() => controller.kvConfigManager.load());
  afterAll(() => tmp.cleanup());

  it('decodes every recorded REGISTER_BROKER body, and its bodyCrc32 matches', () => {
    expect(registrations.length).toBe(3);
    for (const frame of registrations) {
      const request = decodeRecorded(frame);
      expect(bodyCrc32(request.body!)).toBe(Number(frame.header.extFields?.bodyCrc32));
      const body = decodeRegisterBrokerBody(request.body!, false);
      const tcs = body.topicConfigSerializeWrapper;
      expect(tcs.topicConfigTable.size).toBeGreaterThan(0);
      expect(tcs.dataVersion.counter).toBeGreaterThan(0);
      // Our encoder writes the same JSON bytes fastjson wrote (keys sorted, same map order).
      expect(encodeRegisterBrokerBody(body).equals(request.body!)).toBe(true);
    }
    const full = decodeRegisterBrokerBody(decodeRecorded(registrations[2]!).body!, false);
    expect(full.topicConfigSerializeWrapper.topicConfigTable.get('SCHEDULE_TOPIC_XXXX')).toEqual({
      topicName: 'SCHEDULE_TOPIC_XXXX', readQueueNums: 18, writeQueueNums: 18, perm: 6,
      topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false,
    });
  });

  it('answers the recorded registrations byte for byte (oneway ones get no answer on the wire)', () => {
    for (const frame of registrations) {
      const ours = answer(controller, brokerConnection, decodeRecorded(frame));
      const recorded = responseTo(frames, frame);
      if (frame.oneway) expect(recorded).toBeUndefined();
      else if (recorded) expect(ours.toString('hex')).toBe(recorded.hex);
    }
    // The two early registrations' topics are among the 43 of the full one.
    expect(controller.routeInfoManager.topicQueueTable.size).toBe(43);
  });

  it('answers GET_BROKER_CLUSTER_INFO with the recorded bytes (fastjson-native keys), in both header encodings', () => {
    const cases = requests(RequestCode.GET_BROKER_CLUSTER_INFO).filter((f) => responseTo(frames, f));
    expect(cases.map((f) => f.serializeType)).toEqual(expect.arrayContaining(['JSON', 'ROCKETMQ']));
    for (const frame of cases) {
      expect(answer(controller, clientConnection, decodeRecorded(frame)).toString('hex')).toBe(responseTo(frames, frame)!.hex);
    }
  });

  it('answers GET_ROUTEINFO_BY_TOPIC with the recorded bytes: standard JSON for Java 4.9.8, native for ali-ons', () => {
    const known = requests(RequestCode.GET_ROUTEINFO_BY_TOPIC).filter(
      (f) => responseTo(frames, f) && controller.routeInfoManager.topicQueueTable.has(f.header.extFields!.topic!),
    );
    expect(new Set(known.map((f) => f.source))).toEqual(new Set(['java-client', 'java-benchmark', 'mqadmin', 'ali-ons']));
    for (const frame of known) {
      expect(answer(controller, clientConnection, decodeRecorded(frame)).toString('hex')).toBe(responseTo(frames, frame)!.hex);
    }
  });

  it('answers TOPIC_NOT_EXIST exactly as recorded, remark included', () => {
    const notFound = recordedResponses(RequestCode.GET_ROUTEINFO_BY_TOPIC, ResponseCode.TOPIC_NOT_EXIST);
    expect(notFound.length).toBeGreaterThan(0);
    for (const recorded of notFound) {
      const topic = /for the topic: (\S+)/.exec(recorded.header.remark!)![1]!;
      const request = RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic });
      request.opaque = recorded.opaque;
      request.serializeType = recorded.serializeType === 'JSON' ? SerializeType.JSON : SerializeType.ROCKETMQ;
      expect(answer(controller, clientConnection, request).toString('hex')).toBe(recorded.hex);
    }
  });

  it('answers DELETE_TOPIC_IN_NAMESRV as recorded and the topic is gone', () => {
    for (const frame of requests(RequestCode.DELETE_TOPIC_IN_NAMESRV)) {
      const recorded = responseTo(frames, frame)!;
      expect(answer(controller, clientConnection, decodeRecorded(frame)).toString('hex')).toBe(recorded.hex);
      expect(controller.routeInfoManager.pickupTopicRouteData(frame.header.extFields!.topic!)).toBeUndefined();
    }
  });

  it('lists all topics in the order a Java name server writes them (HashSet iteration order)', () => {
    const cases = requests(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER).filter((f) => responseTo(frames, f));
    expect(cases.length).toBe(3);
    const listFor = (topics: string[], request: RemotingCommand): { frame: Buffer; topicList: string[] } => {
      const fresh = new NamesrvController(tmp.config, { logger: silentLogger });
      fresh.routeInfoManager.registerBroker({
        clusterName: 'DefaultCluster', brokerName: 'broker-a', brokerId: 0, brokerAddr: '127.0.0.1:10911', haServerAddr: '127.0.0.1:10912',
        topicConfigWrapper: {
          dataVersion: { timestamp: 1, counter: 1 },
          topicConfigTable: new Map(topics.map((t) => [t, topicConfig(t)])),
        },
      });
      const frame = answer(fresh, clientConnection, request);
      return { frame, topicList: (JSON.parse(fresh.processRequest(clientConnection, request).body!.toString()) as { topicList: string[] }).topicList };
    };
    for (const frame of cases) {
      const recorded = responseTo(frames, frame)!;
      const { topicList } = JSON.parse(decodeRecorded(recorded).body!.toString()) as { topicList: string[] };
      // Registered in the order Java listed them, the bytes are identical.
      expect(listFor(topicList, decodeRecorded(frame)).frame.toString('hex')).toBe(recorded.hex);
      // Registered alphabetically, only topics sharing a hash bucket (which keep registration order) may swap places.
      const ours = listFor([...topicList].sort(), decodeRecorded(frame)).topicList;
      const misplaced = ours.map((t, i) => (t === topicList[i] ? -1 : i)).filter((i) => i >= 0);
      expect(misplaced.length).toBeLessThanOrEqual(4);
      for (const i of misplaced) expect([topicList[i - 1], topicList[i + 1]]).toContain(ours[i]);
    }
  });
});
