/** How a received message is shown: a readable block, or one JSON object per line. */
import { isUtf8 } from 'node:buffer';
import type { MessageExt } from '@rockit/client';
import { color, kv } from '@rockit/cli';

export interface MessageJson {
  topic: string;
  queueId: number;
  queueOffset: number;
  msgId: string;
  offsetMsgId: string;
  tags: string | null;
  keys: string[];
  properties: Record<string, string>;
  bornTimestamp: number;
  storeTimestamp: number;
  reconsumeTimes: number;
  /** UTF-8 text, or base64 when `bodyEncoding` says so. */
  body: string;
  bodyEncoding?: 'base64';
}

/** Text that is valid UTF-8 and has no control characters other than tab and line breaks. */
function isPrintableText(body: Buffer): boolean {
  if (!isUtf8(body)) return false;
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(body.toString('utf8'));
}

export function messageJson(m: MessageExt): MessageJson {
  const out: MessageJson = {
    topic: m.topic,
    queueId: m.queueId,
    queueOffset: m.queueOffset,
    msgId: m.msgId,
    offsetMsgId: m.offsetMsgId,
    tags: m.tags ?? null,
    keys: m.keys,
    properties: Object.fromEntries(m.userProperties()),
    bornTimestamp: m.bornTimestamp,
    storeTimestamp: m.storeTimestamp,
    reconsumeTimes: m.reconsumeTimes,
    body: '',
  };
  if (isUtf8(m.body)) out.body = m.body.toString('utf8');
  else {
    out.body = m.body.toString('base64');
    out.bodyEncoding = 'base64';
  }
  return out;
}

const PREVIEW_CHARS = 512;
const PREVIEW_BYTES = 48;

/** The body as it is safe to print: text (cut at 512 characters), or a hex preview of binary bytes. */
export function bodyPreview(body: Buffer): string {
  const size = `${body.length} B`;
  if (body.length === 0) return color.dim('(empty)');
  if (!isPrintableText(body)) {
    const hex = body.subarray(0, PREVIEW_BYTES).toString('hex').replace(/(..)(?!$)/g, '$1 ');
    return `${color.dim(`(binary, ${size})`)} ${hex}${body.length > PREVIEW_BYTES ? ' …' : ''}`;
  }
  const text = body.toString('utf8');
  const shown = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}${color.dim(` … (${text.length - PREVIEW_CHARS} more characters)`)}` : text;
  return shown.includes('\n') ? `${color.dim(`(${size})`)}\n  ${shown.split('\n').join('\n  ')}` : shown;
}

/** A readable block: where the message is, its ids, tags, keys, properties and a body preview. */
export function messageBlock(m: MessageExt, brokerName?: string): string {
  const where = `${brokerName !== undefined ? `${brokerName}:` : ''}${m.queueId}`;
  const header = color.bold(`${m.topic}  queue ${where}  offset ${m.queueOffset}`);
  const props = [...m.userProperties()].map(([k, v]) => `${k}=${v}`).join(', ');
  const rows: [string, unknown][] = [
    ['msgId', m.msgId],
    ['offsetMsgId', m.offsetMsgId],
    ['tags', m.tags ?? ''],
    ['keys', m.keys.join(' ')],
    ['properties', props],
    ['born', new Date(m.bornTimestamp).toISOString()],
    ['stored', new Date(m.storeTimestamp).toISOString()],
    ['reconsumeTimes', m.reconsumeTimes],
    ['body', bodyPreview(m.body)],
  ];
  return `${color.accent('──')} ${header}\n${kv(rows)}\n`;
}
