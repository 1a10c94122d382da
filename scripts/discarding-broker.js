// rockit bench's own test server in its cheapest discard mode: a broker front that answers every single-message
// send (SEND_MESSAGE, SEND_MESSAGE_V2) itself, as stored, without decoding the request header, and keeps nothing.
// Everything else a client sends (heartbeats, batch sends, offsets, admin) is relayed frame by frame to a real
// broker on the discarding store behind it, and the front registers itself in a name server of its own, so clients
// use it like any broker.
//
// Why it exists: on a 2-core machine the generator and the server share the CPU, so a server that still runs the
// broker's send path (scripts/discarding-store.js) takes CPU the generator needs to show its own ceiling. This front
// spends 4-6 us of CPU per send, most of it in socket reads and writes, where the broker spends 10-14 us
// (docs/benchmarks.md, run 6). The response is the broker's own (same ext fields, built by @rockit/remoting)
// so the client does the same work per send as against rockit's broker. Not a product feature: no flag of rockit
// reaches it.
import { createServer, connect } from 'node:net';
import { BrokerConfig, BrokerRegistration, startEmbeddedCluster } from '../packages/broker/dist/index.js';
import { NamesrvController } from '../packages/namesrv/dist/index.js';
import { DEFAULT_MAX_FRAME_SIZE, FrameEncoder, RemotingCommand, RequestCode, SerializeType } from '../packages/remoting/dist/index.js';
import { discardingStoreFactory } from './discarding-store.js';

const RESPONSE_FLAG = 1;
const ONEWAY_FLAG = 2;
const JSON_CODE_PREFIX = Buffer.from('{"code":');
const JSON_OPAQUE = Buffer.from('"opaque":');
const JSON_FLAG = Buffer.from('"flag":');
// SEND_MESSAGE_V2 abbreviates queueId as "e"; SEND_MESSAGE spells it out (rocketmq-protocol.md, send headers).
const JSON_QUEUE_ID_V2 = Buffer.from('"e":"');
const JSON_QUEUE_ID_V1 = Buffer.from('"queueId":"');
const BINARY_QUEUE_ID_V2 = Buffer.from('e');
const BINARY_QUEUE_ID_V1 = Buffer.from('queueId');

/**
 * Starts the discarding front, the broker behind it and the name server clients should use.
 * `counter.puts` counts every message acknowledged (by the front, or by the discarding store behind it),
 * `counter.answered` those the front answered itself and `counter.relayed` the frames it relayed to the broker.
 */
export async function startDiscardingBroker({ topics = [], counter = { puts: 0, answered: 0, relayed: 0 } } = {}) {
  counter.answered ??= 0;
  counter.relayed ??= 0;
  const back = await startEmbeddedCluster({ memory: true, topics, storeFactory: discardingStoreFactory(counter) });
  const backBroker = back.brokers[0].controller;
  const [backHost, backPort] = [backBroker.config.brokerIP1, backBroker.config.listenPort];
  const namesrv = new NamesrvController({ listenPort: 0, bindAddress: '127.0.0.1' }, { logger: backBroker.logger });
  const sockets = new Set();
  // Queue offsets (by queue id; the topic is not read) and commit-log positions, shared by all connections.
  const log = { queueOffsets: [], physical: 0 };
  const server = createServer((client) => serve(client, connect(backPort, backHost), counter, log, sockets));
  let registration;
  try {
    await namesrv.start();
    await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const c = backBroker.config;
    const config = new BrokerConfig({
      brokerClusterName: c.brokerClusterName,
      brokerName: c.brokerName,
      brokerIP1: '127.0.0.1',
      listenPort: server.address().port,
      namesrvAddr: namesrv.address,
    });
    registration = new BrokerRegistration({
      config,
      topicConfigWrapper: () => backBroker.ctx.topicConfigManager.buildTopicConfigSerializeWrapper(),
      logger: backBroker.logger,
    });
    const [result] = await registration.start();
    if (!result?.ok) throw new Error(`the discarding front did not register: ${result?.error ?? 'no name server'}`);
  } catch (err) {
    server.close();
    await namesrv.shutdown().catch(() => undefined);
    await back.close();
    throw err;
  }
  return {
    namesrvAddr: namesrv.address,
    brokerAddr: `127.0.0.1:${server.address().port}`,
    counter,
    async close() {
      await registration.shutdown();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(() => resolve()));
      await namesrv.shutdown();
      await back.close();
    },
  };
}

/** One client connection: sends answered here, every other frame relayed to `backend` and its frames relayed back. */
function serve(client, backend, counter, log, sockets) {
  sockets.add(client);
  sockets.add(backend);
  client.setNoDelay(true);
  backend.setNoDelay(true);
  // The broker's SEND_MESSAGE response ext fields (processors/send.ts), refilled per send.
  const response = RemotingCommand.createResponse(0, undefined, { msgId: '', queueId: '', queueOffset: '', MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' });
  const encoder = new FrameEncoder();
  let out = Buffer.allocUnsafe(64 * 1024);
  let outLength = 0;

  const answerSend = (buf, headerStart, headerEnd, type) => {
    const fields = type === SerializeType.JSON ? jsonSendFields(buf, headerStart, headerEnd) : binarySendFields(buf, headerStart, headerEnd);
    if (fields === undefined) return false;
    counter.puts++;
    counter.answered++;
    if ((fields.flag & ONEWAY_FLAG) !== 0) return true;
    const queueId = fields.queueId;
    const queueOffset = log.queueOffsets[queueId] ?? 0;
    log.queueOffsets[queueId] = queueOffset + 1;
    const physical = (log.physical += 1200);
    response.serializeType = type;
    response.opaque = fields.opaque;
    response.extFields.msgId = `7F00000100002A9F${physical.toString(16).toUpperCase().padStart(16, '0')}`;
    response.extFields.queueId = String(queueId);
    response.extFields.queueOffset = String(queueOffset);
    const n = encoder.encode(response);
    if (outLength + n > out.length) {
      flush();
      if (n > out.length) out = Buffer.allocUnsafe(n * 2);
    }
    encoder.buffer.copy(out, outLength, 0, n);
    outLength += n;
    return true;
  };
  const flush = () => {
    if (outLength === 0) return;
    client.write(Buffer.from(out.subarray(0, outLength)));
    outLength = 0;
  };

  const fromClient = new FrameSplitter((buf, start, end) => {
    const type = buf[start + 4];
    const headerStart = start + 8;
    const headerEnd = headerStart + ((buf[start + 5] << 16) | (buf[start + 6] << 8) | buf[start + 7]);
    if (headerEnd <= end && answerSend(buf, headerStart, headerEnd, type)) return;
    counter.relayed++;
    backend.write(Buffer.from(buf.subarray(start, end)));
  });
  const fromBackend = new FrameSplitter((buf, start, end) => client.write(Buffer.from(buf.subarray(start, end))));
  const closeBoth = () => {
    sockets.delete(client);
    sockets.delete(backend);
    client.destroy();
    backend.destroy();
  };
  // A peer that breaks framing loses its connection, as with a broker.
  client.on('data', (chunk) => {
    try {
      fromClient.push(chunk);
      flush();
    } catch {
      closeBoth();
    }
  });
  backend.on('data', (chunk) => {
    try {
      fromBackend.push(chunk);
    } catch {
      closeBoth();
    }
  });
  for (const s of [client, backend]) {
    s.on('error', closeBoth);
    s.on('close', closeBoth);
  }
}

/** The code, opaque, flag and queue id of a JSON send request header, or undefined when it is not one. */
function jsonSendFields(buf, start, end) {
  if (buf.compare(JSON_CODE_PREFIX, 0, JSON_CODE_PREFIX.length, start, start + JSON_CODE_PREFIX.length) !== 0) return undefined;
  const code = readJsonInt(buf, start + JSON_CODE_PREFIX.length, end);
  let queueKey;
  if (code === RequestCode.SEND_MESSAGE_V2) queueKey = JSON_QUEUE_ID_V2;
  else if (code === RequestCode.SEND_MESSAGE) queueKey = JSON_QUEUE_ID_V1;
  else return undefined;
  // A quote inside a JSON string is escaped, so these keys match only as keys; opaque and flag are top-level keys
  // after extFields, hence the search from the end.
  const opaqueAt = buf.lastIndexOf(JSON_OPAQUE, end - 1);
  const flagAt = buf.lastIndexOf(JSON_FLAG, end - 1);
  const queueAt = buf.indexOf(queueKey, start);
  if (opaqueAt < start || queueAt < start || queueAt >= end) return undefined;
  const flag = flagAt < start ? 0 : readJsonInt(buf, flagAt + JSON_FLAG.length, end);
  if ((flag & RESPONSE_FLAG) !== 0) return undefined;
  return { opaque: readJsonInt(buf, opaqueAt + JSON_OPAQUE.length, end), flag, queueId: readJsonInt(buf, queueAt + queueKey.length, end) };
}

function readJsonInt(buf, pos, end) {
  let negative = false;
  if (buf[pos] === 0x2d) {
    negative = true;
    pos++;
  }
  let n = 0;
  while (pos < end && buf[pos] >= 0x30 && buf[pos] <= 0x39) n = n * 10 + (buf[pos++] - 0x30);
  return negative ? -n : n;
}

/** The same from a ROCKETMQ (binary) header: code i16, language u8, version i16, opaque i32, flag i32, remark, ext map. */
function binarySendFields(buf, start, end) {
  if (end - start < 21) return undefined;
  const code = buf.readInt16BE(start);
  const key = code === RequestCode.SEND_MESSAGE_V2 ? BINARY_QUEUE_ID_V2 : code === RequestCode.SEND_MESSAGE ? BINARY_QUEUE_ID_V1 : undefined;
  if (key === undefined) return undefined;
  const opaque = buf.readInt32BE(start + 5);
  const flag = buf.readInt32BE(start + 9);
  if ((flag & RESPONSE_FLAG) !== 0) return undefined;
  let pos = start + 17 + Math.max(0, buf.readInt32BE(start + 13));
  const extEnd = pos + 4 + buf.readInt32BE(pos);
  pos += 4;
  while (pos + 6 <= extEnd) {
    const keyLength = buf.readInt16BE(pos);
    const keyAt = pos + 2;
    const valueLength = buf.readInt32BE(keyAt + keyLength);
    const valueAt = keyAt + keyLength + 4;
    if (keyLength === key.length && buf.compare(key, 0, keyLength, keyAt, keyAt + keyLength) === 0) {
      return { opaque, flag, queueId: readJsonInt(buf, valueAt, valueAt + valueLength) };
    }
    pos = valueAt + valueLength;
  }
  return undefined;
}

/** Splits a byte stream into whole frames (length prefix included) without decoding them. */
class FrameSplitter {
  constructor(onFrame) {
    this.onFrame = onFrame;
    // The start of an incomplete frame, kept as pieces until the frame is whole (then joined with one copy).
    this.parts = [];
    this.have = 0;
    this.need = 0;
  }

  push(chunk) {
    let buf = chunk;
    if (this.parts.length > 0) {
      this.parts.push(chunk);
      this.have += chunk.length;
      if (this.have < this.need) return;
      buf = Buffer.concat(this.parts, this.have);
      this.parts = [];
    }
    let pos = 0;
    while (buf.length - pos >= 4) {
      const length = buf.readInt32BE(pos);
      if (length < 4 || length > DEFAULT_MAX_FRAME_SIZE) throw new Error(`illegal frame length ${length}`);
      const end = pos + 4 + length;
      if (end > buf.length) break;
      this.onFrame(buf, pos, end);
      pos = end;
    }
    if (pos < buf.length) {
      const rest = buf.subarray(pos);
      this.parts = [rest];
      this.have = rest.length;
      this.need = rest.length >= 4 ? 4 + rest.readInt32BE(0) : 4;
    }
  }
}
