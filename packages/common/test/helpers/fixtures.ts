import { readFileSync } from 'node:fs';

/** Read-only fixtures beside the repository (`<repo>/../shared/fixtures`). */
export const FIXTURES = new URL('../../../../../shared/fixtures/', import.meta.url);

export interface Frame {
  source: string;
  from: string;
  to: string;
  serializeType: 'JSON' | 'ROCKETMQ';
  code: number;
  isResponse: boolean;
  oneway: boolean;
  opaque: number;
  requestCode: number;
  bodyLength: number;
  connection: number;
  hex: string;
}

let frames: Frame[] | undefined;

export function loadFrames(): Frame[] {
  frames ??= readFileSync(new URL('wire/frames.jsonl', FIXTURES), 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Frame);
  return frames;
}

/** The body of a captured frame: everything after the 4-byte length, the header-length word and the header. */
export function frameBody(frame: Frame): Buffer {
  const buf = Buffer.from(frame.hex, 'hex');
  const headerLength = buf.readInt32BE(4) & 0xffffff;
  return buf.subarray(8 + headerLength);
}

export function storeFixture(path: string): URL {
  return new URL(`rocketmq-4.9.8-store/${path}`, FIXTURES);
}

export interface ExpectedMessage {
  kind: string;
  topic: string;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  storeSize: number;
  tagsCode: number;
  commitLogFile: string;
  filePosition: number;
  msgId: string;
  uniqKey: string | null;
  tags: string | null;
  keys: string | null;
  properties: Record<string, string>;
  propertiesRaw: string;
  magicCode: number;
  sysFlag: number;
  flag: number;
  bodyCRC: number;
  bornTimestamp: number;
  bornHost: string;
  storeTimestamp: number;
  storeHost: string;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  bodyLength: number;
  bodyCompressed: boolean;
  bodyEncoding: 'utf8' | 'base64';
  body: string;
  compressionType?: string;
  uncompressedBodyEncoding?: 'utf8' | 'base64';
  uncompressedBody?: string;
}

export interface ExpectedStore {
  commitLog: {
    files: { file: string; fileSize: number; startOffset: number; records: number; dataEnd: number; blankMarkerAt: number | null; blankMarkerSize: number | null }[];
    magicCode: number;
    blankMagicCode: number;
  };
  messages: ExpectedMessage[];
}

export function loadExpectedStore(): ExpectedStore {
  return JSON.parse(readFileSync(storeFixture('expected.json'), 'utf8')) as ExpectedStore;
}
