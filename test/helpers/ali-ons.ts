/** ali-ons 3.12.0 (CommonJS, untyped): the few typings and constructors the end-to-end tests use. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface AliMessage {
  topic: string;
  tags: string;
  keys: string;
  body: Buffer;
  msgId: string;
  properties: Record<string, string>;
}
export interface AliSendResult {
  sendStatus: string;
  msgId: string;
  messageQueue: { brokerName: string; queueId: number };
}
export interface AliProducer {
  ready(): Promise<void>;
  close(): Promise<void>;
  send(msg: AliMessage): Promise<AliSendResult>;
  on(event: 'error', listener: (err: Error) => void): void;
}
export interface AliConsumer {
  ready(): Promise<void>;
  close(): Promise<void>;
  subscribe(topic: string, expression: string, handler: (msg: AliMessage) => Promise<unknown>): void;
  on(event: 'error', listener: (err: Error) => void): void;
}

const ons = require('ali-ons') as {
  Producer: (new (options: Record<string, unknown>) => AliProducer) & { defaultProducer?: AliProducer };
  Consumer: new (options: Record<string, unknown>) => AliConsumer;
  Message: new (topic: string, tags: string, body: Buffer | string) => AliMessage;
};

const silent = { info() {}, warn() {}, error() {}, debug() {} };

const silenced = new WeakSet<AliProducer>();

export function aliProducer(nameSrv: string, group: string, options: Record<string, unknown> = {}): AliProducer {
  const p = new ons.Producer({ nameSrv, httpclient: true, producerGroup: group, logger: silent, instanceName: `p-${group}`, ...options });
  p.on('error', () => {});
  // ali-ons also starts a hidden process-wide inner producer on the shared client; without a listener of its own
  // it prints every connection error (e.g. to a broker a test killed on purpose) to the console.
  const ready = p.ready.bind(p) as (...args: unknown[]) => Promise<void>;
  const silenceInner = (): void => {
    const inner = ons.Producer.defaultProducer;
    if (inner !== undefined && !silenced.has(inner)) {
      inner.on('error', () => {});
      silenced.add(inner);
    }
  };
  // sdk-base's ready(flag) also marks readiness internally: only the awaited form is wrapped.
  p.ready = ((...args: unknown[]) => (args.length > 0 ? ready(...args) : ready().then(silenceInner))) as AliProducer['ready'];
  return p;
}

export function aliConsumer(nameSrv: string, group: string, options: Record<string, unknown> = {}): AliConsumer {
  const c = new ons.Consumer({
    nameSrv,
    httpclient: true,
    consumerGroup: group,
    logger: silent,
    instanceName: `c-${group}`,
    rebalanceInterval: 1000,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    ...options,
  });
  c.on('error', () => {});
  return c;
}

export function aliMessage(topic: string, tags: string, body: string, keys?: string): AliMessage {
  const msg = new ons.Message(topic, tags, body);
  if (keys !== undefined) msg.keys = [keys] as unknown as string;
  return msg;
}
