import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FrameDecoder,
  LANGUAGE_NAMES,
  RemotingCommand,
  SerializeType,
  decodeFrame,
  encodeFrame,
} from '@rockit/remoting';

interface GoldenFrame {
  source: string;
  serializeType: 'JSON' | 'ROCKETMQ';
  code: number;
  isResponse: boolean;
  oneway: boolean;
  opaque: number;
  header: Record<string, unknown> & {
    extFields?: Record<string, unknown>;
    extFieldsEntries?: [string, string | null][];
    languageCode?: number;
  };
  bodyLength: number;
  hex: string;
}

const fixture = new URL('../../../../shared/fixtures/wire/frames.jsonl', import.meta.url);
const frames: GoldenFrame[] = readFileSync(fixture, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as GoldenFrame);
const bytesOf = (f: GoldenFrame) => Buffer.from(f.hex, 'hex');

/** Java writes the header keys sorted; ali-ons writes them in its own insertion order. */
const JAVA_KEY_ORDER = ['code', 'extFields', 'flag', 'language', 'opaque', 'remark', 'serializeTypeCurrentRPC', 'version'];
function hasJavaLayout(f: GoldenFrame): boolean {
  if (f.serializeType === 'ROCKETMQ') {
    const keys = (f.header.extFieldsEntries ?? []).map(([k]) => k);
    return new Set(keys).size === keys.length;
  }
  const keys = Object.keys(f.header);
  const sorted = JAVA_KEY_ORDER.filter((k) => keys.includes(k));
  const stringValues = Object.values(f.header.extFields ?? {}).every((v) => typeof v === 'string');
  return keys.join() === sorted.join() && stringValues;
}

/** What Java reads from the header's ext fields: strings, nulls dropped, last duplicate wins. */
function expectedExtFields(f: GoldenFrame): Record<string, string> | undefined {
  if (f.header.extFields === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f.header.extFields)) if (v !== null) out[k] = String(v);
  return out;
}

function expectMatchesRecord(cmd: RemotingCommand, f: GoldenFrame): void {
  expect(cmd.code).toBe(f.code);
  expect(cmd.opaque).toBe(f.opaque);
  expect(cmd.isResponse).toBe(f.isResponse);
  expect(cmd.isOneway).toBe(f.oneway);
  expect(cmd.serializeType).toBe(SerializeType[f.serializeType]);
  expect(cmd.version).toBe(f.header.version);
  expect(cmd.flag).toBe(f.header.flag);
  expect(LANGUAGE_NAMES[cmd.language]).toBe(f.header.language);
  if (f.header.languageCode !== undefined) expect(cmd.language).toBe(f.header.languageCode);
  expect(cmd.remark).toBe(f.header.remark);
  expect(cmd.extFields).toEqual(expectedExtFields(f));
  expect(cmd.body?.length ?? 0).toBe(f.bodyLength);
}

describe('golden frames captured from Apache RocketMQ 4.9.8', () => {
  it('holds 398 frames in both serializations', () => {
    expect(frames).toHaveLength(398);
    expect(frames.filter((f) => f.serializeType === 'JSON').length).toBeGreaterThan(0);
    expect(frames.filter((f) => f.serializeType === 'ROCKETMQ').length).toBeGreaterThan(0);
  });

  it('decodes every frame to the recorded header and body length', () => {
    for (const f of frames) {
      const bytes = bytesOf(f);
      const cmd = decodeFrame(bytes, 0, bytes.length);
      expectMatchesRecord(cmd, f);
      if (f.bodyLength > 0) expect(cmd.body!.equals(bytes.subarray(bytes.length - f.bodyLength))).toBe(true);
    }
  });

  it('re-encodes every frame with a Java header layout byte for byte', () => {
    const javaLayout = frames.filter(hasJavaLayout);
    // Not re-encodable by design: ali-ons JSON requests (own key order, numeric ext values) and the
    // ROCKETMQ frames with duplicate ext keys (the command keeps one value per key, as Java's HashMap does).
    expect(javaLayout.length).toBeGreaterThanOrEqual(370);
    for (const f of javaLayout) {
      const bytes = bytesOf(f);
      expect(encodeFrame(decodeFrame(bytes, 0, bytes.length)).toString('hex')).toBe(f.hex);
    }
  });

  it('re-encodes the other frames to bytes that decode to the same command', () => {
    const others = frames.filter((f) => !hasJavaLayout(f));
    expect(others.some((f) => f.source === 'ali-ons')).toBe(true);
    expect(others.some((f) => f.serializeType === 'ROCKETMQ')).toBe(true);
    for (const f of others) {
      const bytes = bytesOf(f);
      const again = encodeFrame(decodeFrame(bytes, 0, bytes.length));
      expectMatchesRecord(decodeFrame(again, 0, again.length), f);
    }
  });

  it('keeps the last value of a duplicated ext key in signed requests', () => {
    const dup = frames.filter((f) => f.serializeType === 'ROCKETMQ' && !hasJavaLayout(f));
    expect(dup.length).toBeGreaterThan(0);
    for (const f of dup) {
      const bytes = bytesOf(f);
      const cmd = decodeFrame(bytes, 0, bytes.length);
      for (const [k, v] of f.header.extFieldsEntries!) if (v !== null) expect(cmd.extFields![k]).toBeDefined();
      expect(cmd.extFields!.Signature).toBe(f.header.extFields!.Signature);
    }
  });

  it('decodes the whole capture streamed in random chunk sizes, bodies as views where possible', () => {
    const stream = Buffer.concat(frames.map(bytesOf));
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (const maxChunk of [1, 3, 17, 1024, 65536]) {
      const decoded: RemotingCommand[] = [];
      const decoder = new FrameDecoder((cmd) => decoded.push(cmd));
      for (let pos = 0; pos < stream.length; ) {
        const n = 1 + Math.floor(random() * maxChunk);
        decoder.push(stream.subarray(pos, pos + n));
        pos += n;
      }
      expect(decoded).toHaveLength(frames.length);
      decoded.forEach((cmd, i) => expectMatchesRecord(cmd, frames[i]));
      expect(decoder.buffered).toBe(0);
    }
  });
});
