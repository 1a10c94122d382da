/** A real BrokerController on a free port (memory store, temp config dir) and a RemotingClient talking to it. */
import {
  MessageConst,
  NAME_VALUE_SEPARATOR,
  PROPERTY_SEPARATOR,
  createLogger,
} from '@rockit/common';
import {
  PullMessageRequestHeader,
  RemotingClient,
  RemotingCommand,
  RequestCode,
  SendMessageRequestHeaderV2,
  encodeHeader,
  type ExtFields,
} from '@rockit/remoting';
import { BrokerController, type BrokerConfigOverrides, type MessageStoreFactory } from '@rockit/broker';
import { tempDir } from './helpers.js';

export const quiet = createLogger('broker-runtime-test', { level: process.env.ROCKIT_LOG_LEVEL ?? 'silent' });

export interface RunningBroker {
  broker: BrokerController;
  client: RemotingClient;
  addr: string;
  dir: string;
  /** Shuts the broker down and starts a new one on the same directory (and port). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartBrokerOptions {
  overrides?: BrokerConfigOverrides;
  memory?: boolean;
  storeFactory?: MessageStoreFactory;
  sendQueueMaxInFlight?: number;
}

export async function startBroker(options: StartBrokerOptions = {}): Promise<RunningBroker> {
  const { dir, cleanup } = tempDir('rockit-broker-rt-');
  const make = (port: number) =>
    new BrokerController({
      overrides: { brokerName: 'broker-a', brokerIP1: '127.0.0.1', listenPort: port, storePathRootDir: dir, ...options.overrides },
      memory: options.memory ?? true,
      ...(options.storeFactory ? { storeFactory: options.storeFactory } : {}),
      ...(options.sendQueueMaxInFlight ? { sendQueueMaxInFlight: options.sendQueueMaxInFlight } : {}),
      logger: quiet,
    });
  const running: RunningBroker = {
    broker: make(0),
    client: new RemotingClient({ logger: quiet }),
    addr: '',
    dir,
    async restart() {
      const port = running.broker.config.listenPort;
      await running.broker.shutdown();
      await running.client.close();
      running.client = new RemotingClient({ logger: quiet });
      running.broker = make(port);
      await running.broker.start();
    },
    async stop() {
      await running.client.close();
      await running.broker.shutdown();
      cleanup();
    },
  };
  await running.broker.start();
  running.addr = running.broker.brokerAddr;
  return running;
}

export function props(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([k, v]) => k + NAME_VALUE_SEPARATOR + v)
    .join(PROPERTY_SEPARATOR);
}

export interface SendOptions {
  tags?: string;
  keys?: string;
  queueId?: number;
  properties?: Record<string, string>;
  producerGroup?: string;
  reconsumeTimes?: number;
  maxReconsumeTimes?: number;
}

export function sendRequest(topic: string, body: Buffer | string, o: SendOptions = {}): RemotingCommand {
  const p: Record<string, string> = { WAIT: 'true', ...o.properties };
  if (o.tags) p[MessageConst.PROPERTY_TAGS] = o.tags;
  if (o.keys) p[MessageConst.PROPERTY_KEYS] = o.keys;
  const header = encodeHeader(
    {
      producerGroup: o.producerGroup ?? 'PG',
      topic,
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
      queueId: o.queueId ?? 0,
      sysFlag: 0,
      bornTimestamp: Date.now(),
      flag: 0,
      properties: props(p),
      reconsumeTimes: o.reconsumeTimes ?? 0,
      unitMode: false,
      batch: false,
      ...(o.maxReconsumeTimes !== undefined ? { maxReconsumeTimes: o.maxReconsumeTimes } : {}),
    },
    SendMessageRequestHeaderV2,
  );
  return RemotingCommand.createRequest(RequestCode.SEND_MESSAGE_V2, header, Buffer.from(body));
}

export async function send(rb: RunningBroker, topic: string, body: Buffer | string, o: SendOptions = {}): Promise<RemotingCommand> {
  return rb.client.invokeSync(rb.addr, sendRequest(topic, body, o), 5000);
}

export interface PullOptions {
  group?: string;
  queueId?: number;
  offset?: number;
  maxMsgNums?: number;
  sysFlag?: number;
  suspendTimeoutMillis?: number;
  subscription?: string;
  expressionType?: string;
  commitOffset?: number;
}

/** PULL_MESSAGE with the subscription in the header (FLAG_SUBSCRIPTION) unless told otherwise. */
export function pullRequest(topic: string, o: PullOptions = {}): RemotingCommand {
  const ext: ExtFields = encodeHeader(
    {
      consumerGroup: o.group ?? 'CG',
      topic,
      queueId: o.queueId ?? 0,
      queueOffset: o.offset ?? 0,
      maxMsgNums: o.maxMsgNums ?? 32,
      sysFlag: o.sysFlag ?? 0x4,
      commitOffset: o.commitOffset ?? 0,
      suspendTimeoutMillis: o.suspendTimeoutMillis ?? 15000,
      subscription: o.subscription ?? '*',
      subVersion: 0,
      ...(o.expressionType ? { expressionType: o.expressionType } : {}),
    },
    PullMessageRequestHeader,
  );
  return RemotingCommand.createRequest(RequestCode.PULL_MESSAGE, ext);
}

export async function pull(rb: RunningBroker, topic: string, o: PullOptions = {}, timeoutMillis = 20_000): Promise<RemotingCommand> {
  return rb.client.invokeSync(rb.addr, pullRequest(topic, o), timeoutMillis);
}

export async function createTopic(rb: RunningBroker, topic: string, queueNums = 4, extra: Record<string, string | number | boolean> = {}): Promise<RemotingCommand> {
  const header = encodeHeader({
    topic,
    defaultTopic: 'TBW102',
    readQueueNums: queueNums,
    writeQueueNums: queueNums,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
    ...extra,
  });
  return rb.client.invokeSync(rb.addr, RemotingCommand.createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, header), 5000);
}

export function invoke(rb: RunningBroker, code: number, ext?: Record<string, string | number | boolean>, body?: Buffer | string): Promise<RemotingCommand> {
  const request = RemotingCommand.createRequest(code, ext ? encodeHeader(ext) : undefined, body === undefined ? undefined : Buffer.from(body));
  return rb.client.invokeSync(rb.addr, request, 10_000);
}
