/** Sending one MessageSpec in a chosen mode, and what the user sees of the outcome. */
import type { Message, Producer, SendResult, TransactionSendResult } from '@rockit/client';
import { formatErrorLine, responseCodeOf, table, type Column } from '@rockit/cli';
import type { MessageSpec, SendMode } from './message-spec.js';

export interface SendOutcome {
  /** 1-based position in the run. */
  index: number;
  /** SEND_OK (or another SendStatus), ONEWAY (sent, no answer awaited) or FAILED. */
  status: string;
  msgId?: string;
  offsetMsgId?: string;
  topic?: string;
  brokerName?: string;
  queueId?: number;
  queueOffset?: number;
  transactionId?: string;
  localTransactionState?: string;
  /** FAILED: why, as one line, and the RocketMQ response code when there is one. */
  error?: string;
  code?: number;
}

export function outcomeOf(index: number, result: SendResult | TransactionSendResult): SendOutcome {
  const out: SendOutcome = {
    index,
    status: result.sendStatus,
    msgId: result.msgId,
    offsetMsgId: result.offsetMsgId,
    topic: result.messageQueue.topic,
    brokerName: result.messageQueue.brokerName,
    queueId: result.messageQueue.queueId,
    queueOffset: result.queueOffset,
  };
  if (result.transactionId !== undefined) out.transactionId = result.transactionId;
  if ('localTransactionState' in result) out.localTransactionState = result.localTransactionState;
  return out;
}

export function failureOf(index: number, err: unknown): SendOutcome {
  const out: SendOutcome = { index, status: 'FAILED', error: formatErrorLine(err).replace(/^error: /, '') };
  const rc = responseCodeOf(err);
  if (rc !== undefined) out.code = rc.code;
  return out;
}

/** Sends `msg` as `mode`; a sharding key routes it to the key's queue (ordered by key) in every mode. */
export async function sendInMode(producer: Producer, msg: Message, mode: SendMode, spec: MessageSpec, index: number): Promise<SendOutcome> {
  const options = spec.shardingKey !== undefined && spec.shardingKey !== '' ? { shardingKey: spec.shardingKey } : {};
  try {
    switch (mode) {
      case 'oneway':
        await producer.sendOneway(msg, options);
        return { index, status: 'ONEWAY', topic: msg.topic, ...(msg.uniqKey !== undefined ? { msgId: msg.uniqKey } : {}) };
      case 'async':
        return outcomeOf(index, await (producer.sendAsync(msg, undefined, options) as Promise<SendResult>));
      default:
        return outcomeOf(index, await producer.send(msg, options));
    }
  } catch (err) {
    return failureOf(index, err);
  }
}

export const OUTCOME_COLUMNS: readonly Column<SendOutcome>[] = [
  { header: '#', key: 'index', align: 'right' },
  { header: 'Status', key: 'status' },
  { header: 'MsgId', key: 'msgId' },
  { header: 'Broker', key: 'brokerName' },
  { header: 'Queue', key: 'queueId', align: 'right' },
  { header: 'Offset', key: 'queueOffset', align: 'right' },
  { header: 'Error', key: 'error' },
];

export function outcomeTable(outcomes: readonly SendOutcome[]): string {
  const anyFailed = outcomes.some((o) => o.status === 'FAILED');
  return table(outcomes, anyFailed ? OUTCOME_COLUMNS : OUTCOME_COLUMNS.slice(0, -1));
}

/** `3 of 10 sends failed: 2 × <reason>; 1 × <reason>` — undefined when none failed. */
export function failureSummary(outcomes: readonly SendOutcome[]): string | undefined {
  const failed = outcomes.filter((o) => o.status === 'FAILED');
  if (failed.length === 0) return undefined;
  const byReason = new Map<string, number>();
  for (const f of failed) byReason.set(f.error ?? 'unknown', (byReason.get(f.error ?? 'unknown') ?? 0) + 1);
  const reasons = [...byReason].map(([reason, n]) => `${n} × ${reason}`).join('; ');
  return `${failed.length} of ${outcomes.length} sends failed: ${reasons}`;
}
