import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createLogger, decodeMessage, formatSocketAddress, readStoredMessageHeader, tagsString2tagsCode } from '@rockit/common';
import type { MessageExtBrokerInner } from '../src/index.js';

/** A stored record's fields, decoded by `@rockit/common` (body as stored, properties string verbatim). */
export function decodeRecord(buf: Buffer) {
  const h = readStoredMessageHeader(buf, 0);
  const m = decodeMessage(buf, 0, { decompress: false });
  return {
    ...h,
    bornHost: formatSocketAddress(m.bornHost),
    storeHost: formatSocketAddress(m.storeHost),
    body: Buffer.from(m.body),
    propertiesRaw: h.propertiesString,
  };
}

export function crc(body: Buffer): number {
  return zlib.crc32(body) & 0x7fffffff;
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `rockit-store-${prefix}-`));
}

export function rmDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function props(map: Record<string, string>): string {
  return Object.entries(map)
    .map(([k, v]) => `${k}\u0001${v}`)
    .join('\u0002');
}

let uniq = 0;
export function message(topic: string, queueId: number, body: string | Buffer, extra: Record<string, string> = {}, over: Partial<MessageExtBrokerInner> = {}): MessageExtBrokerInner {
  const p: Record<string, string> = { UNIQ_KEY: `UNIQ${process.pid}-${++uniq}`, ...extra };
  return {
    topic,
    queueId,
    flag: 0,
    body: typeof body === 'string' ? Buffer.from(body) : body,
    propertiesString: props(p),
    sysFlag: 0,
    bornTimestamp: Date.now(),
    bornHost: { address: '127.0.0.1', port: 40000 },
    storeHost: { address: '127.0.0.1', port: 10911 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    tagsCode: tagsString2tagsCode(p.TAGS),
    ...over,
  };
}

/** Parses a broker.conf (java.util.Properties subset: key=value, # comments). */
export function readProperties(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const t = line.trimStart();
    if (!t || t.startsWith('#') || t.startsWith('!')) continue;
    const i = t.search(/[=:]/);
    if (i < 0) continue;
    out[t.slice(0, i).trim()] = t.slice(i + 1).trimStart();
  }
  return out;
}

/** Copies a directory tree and makes the copy writable (fixtures are read-only). */
export function copyWritable(src: string, dst: string): void {
  fs.cpSync(src, dst, { recursive: true });
  const walk = (d: string): void => {
    fs.chmodSync(d, 0o755);
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else fs.chmodSync(p, 0o644);
    }
  };
  walk(dst);
}

export const silentLogger = createLogger('store-test', { level: 'silent' });
