/**
 * REGISTER_BROKER bodies (protocol §5.4): the broker's topic table with its DataVersion, either as
 * fastjson JSON or, when the header says `compressed=true`, as RocketMQ's zlib binary form.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { encodeDataVersion, toDataVersion, toNumber, type DataVersion } from './data-version.js';
import { jsonString } from './route-data.js';
import { BodyDecodeError, parseBodyJson } from './body-json.js';
import type { TopicConfig } from '@rockit/common';

export type { TopicConfig, TopicFilterType } from '@rockit/common';

export interface TopicConfigSerializeWrapper {
  topicConfigTable: Map<string, TopicConfig>;
  dataVersion: DataVersion;
}

export interface RegisterBrokerBody {
  topicConfigSerializeWrapper: TopicConfigSerializeWrapper;
  filterServerList: string[];
}

const DEFAULT_QUEUE_NUMS = 16;
const DEFAULT_PERM = 6;

function topicConfigFrom(name: string, raw: unknown): TopicConfig {
  const v = (raw ?? {}) as Record<string, unknown>;
  const config: TopicConfig = {
    topicName: typeof v.topicName === 'string' ? v.topicName : name,
    readQueueNums: toNumber(v.readQueueNums, DEFAULT_QUEUE_NUMS),
    writeQueueNums: toNumber(v.writeQueueNums, DEFAULT_QUEUE_NUMS),
    perm: toNumber(v.perm, DEFAULT_PERM),
    topicFilterType: v.topicFilterType === 'MULTI_TAG' ? 'MULTI_TAG' : 'SINGLE_TAG',
    topicSysFlag: toNumber(v.topicSysFlag),
    order: v.order === true,
  };
  if (v.attributes && typeof v.attributes === 'object') config.attributes = stringRecord(v.attributes);
  return config;
}

function stringRecord(value: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) out[k] = String(v);
  return out;
}

function wrapperFrom(raw: unknown): TopicConfigSerializeWrapper {
  const v = (raw ?? {}) as Record<string, unknown>;
  const table = new Map<string, TopicConfig>();
  const rawTable = v.topicConfigTable;
  if (rawTable && typeof rawTable === 'object') {
    for (const [name, tc] of Object.entries(rawTable)) table.set(name, topicConfigFrom(name, tc));
  }
  return { topicConfigTable: table, dataVersion: toDataVersion(v.dataVersion) };
}

/** Body of REGISTER_BROKER from brokers older than V3_0_11: a bare TopicConfigSerializeWrapper. */
export function decodeTopicConfigSerializeWrapper(body: Buffer): TopicConfigSerializeWrapper {
  return wrapperFrom(parseBodyJson(body, 'TopicConfigSerializeWrapper'));
}

export function decodeRegisterBrokerBody(body: Buffer, compressed: boolean): RegisterBrokerBody {
  if (compressed) return decodeCompressed(body);
  const v = (parseBodyJson(body, 'RegisterBrokerBody') ?? {}) as Record<string, unknown>;
  return {
    topicConfigSerializeWrapper: wrapperFrom(v.topicConfigSerializeWrapper),
    filterServerList: Array.isArray(v.filterServerList) ? v.filterServerList.map(String) : [],
  };
}

/** Reads the length-prefixed sections of the inflated compressed form. */
class SectionReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  int(): number {
    if (this.pos + 4 > this.buf.length) throw new BodyDecodeError('compressed RegisterBrokerBody truncated');
    const n = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return n;
  }

  text(): string {
    const len = this.int();
    if (len < 0 || this.pos + len > this.buf.length) throw new BodyDecodeError('compressed RegisterBrokerBody truncated');
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
}

function decodeCompressed(body: Buffer): RegisterBrokerBody {
  let raw: Buffer;
  try {
    raw = inflateSync(body);
  } catch (err) {
    throw new BodyDecodeError(`compressed RegisterBrokerBody is not a zlib stream: ${(err as Error).message}`);
  }
  const reader = new SectionReader(raw);
  const dataVersion = toDataVersion(parseBodyJson(Buffer.from(reader.text()), 'DataVersion'));
  const topicCount = reader.int();
  const topicConfigTable = new Map<string, TopicConfig>();
  for (let i = 0; i < topicCount; i++) {
    const tc = decodeTopicConfigText(reader.text());
    topicConfigTable.set(tc.topicName, tc);
  }
  const filters = parseBodyJson(Buffer.from(reader.text()), 'filterServerList');
  // 5.x brokers append static-topic mapping sections here; the name server does not use them.
  return {
    topicConfigSerializeWrapper: { topicConfigTable, dataVersion },
    filterServerList: Array.isArray(filters) ? filters.map(String) : [],
  };
}

/**
 * `TopicConfig.encode()` text: "topicName readQueueNums writeQueueNums perm topicFilterType"
 * (5.x appends " " + attributes JSON). topicSysFlag and order are not carried.
 */
export function decodeTopicConfigText(text: string): TopicConfig {
  const parts = text.split(' ');
  const [topicName, read, write, perm, filterType] = parts;
  const nums = [read, write, perm].map((s) => (s !== undefined && /^-?\d+$/.test(s) ? Number(s) : NaN));
  if (!topicName || nums.some(Number.isNaN) || (filterType !== 'SINGLE_TAG' && filterType !== 'MULTI_TAG')) {
    throw new BodyDecodeError(`bad topic config in compressed RegisterBrokerBody: ${JSON.stringify(text)}`);
  }
  const config: TopicConfig = {
    topicName,
    readQueueNums: nums[0] as number,
    writeQueueNums: nums[1] as number,
    perm: nums[2] as number,
    topicFilterType: filterType,
    topicSysFlag: 0,
    order: false,
  };
  if (parts.length > 5) {
    const attrs = parseBodyJson(Buffer.from(parts.slice(5).join(' ')), 'topic attributes');
    if (attrs && typeof attrs === 'object') config.attributes = stringRecord(attrs);
  }
  return config;
}

export function encodeTopicConfigText(tc: TopicConfig): string {
  const base = `${tc.topicName} ${tc.readQueueNums} ${tc.writeQueueNums} ${tc.perm} ${tc.topicFilterType}`;
  return tc.attributes ? `${base} ${encodeAttributes(tc.attributes)}` : base;
}

function encodeAttributes(attrs: Record<string, string>): string {
  return `{${Object.entries(attrs).map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`).join(',')}}`;
}

/** fastjson's form of a TopicConfig (sorted keys). */
export function encodeTopicConfig(tc: TopicConfig): string {
  const attrs = tc.attributes ? `"attributes":${encodeAttributes(tc.attributes)},` : '';
  return (
    `{${attrs}"order":${tc.order},"perm":${tc.perm},"readQueueNums":${tc.readQueueNums},` +
    `"topicFilterType":"${tc.topicFilterType}","topicName":${jsonString(tc.topicName)},` +
    `"topicSysFlag":${tc.topicSysFlag},"writeQueueNums":${tc.writeQueueNums}}`
  );
}

export function encodeTopicConfigSerializeWrapper(w: TopicConfigSerializeWrapper): string {
  const topics = [...w.topicConfigTable].map(([name, tc]) => `${jsonString(name)}:${encodeTopicConfig(tc)}`);
  return `{"dataVersion":${encodeDataVersion(w.dataVersion)},"topicConfigTable":{${topics.join(',')}}}`;
}

/** What a broker sends: JSON, or the zlib form (BEST_COMPRESSION) when `compressedRegister` is on. */
export function encodeRegisterBrokerBody(body: RegisterBrokerBody, compressed = false): Buffer {
  const filters = `[${body.filterServerList.map((s) => jsonString(s)).join(',')}]`;
  if (!compressed) {
    const wrapper = encodeTopicConfigSerializeWrapper(body.topicConfigSerializeWrapper);
    return Buffer.from(`{"filterServerList":${filters},"topicConfigSerializeWrapper":${wrapper}}`, 'utf8');
  }
  const sections: Buffer[] = [];
  const pushText = (s: string): void => {
    const bytes = Buffer.from(s, 'utf8');
    sections.push(int32(bytes.length), bytes);
  };
  const { dataVersion, topicConfigTable } = body.topicConfigSerializeWrapper;
  pushText(encodeDataVersion(dataVersion));
  sections.push(int32(topicConfigTable.size));
  for (const tc of topicConfigTable.values()) pushText(encodeTopicConfigText(tc));
  pushText(filters);
  return deflateSync(Buffer.concat(sections), { level: 9 });
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
