/**
 * The interactive producing session (@inquirer/prompts): choose a topic, compose messages, pick how to send them,
 * see each SendResult; repeat the last message; the session's history on demand. Ctrl-C at a prompt ends it.
 */
import type { Message, Producer, TransactionProducer, LocalTransactionState } from '@rockit/client';
import { color, formatErrorLine, kv, table, type ConnectionSettings } from '@rockit/cli';
import { clientOptions } from '@rockit/cli';
import { parseProperties, splitKeys, toMessage, type MessageSpec, type SendMode } from './message-spec.js';
import { failureOf, outcomeOf, sendInMode, type SendOutcome } from './sender.js';

export interface SessionOptions {
  connection: ConnectionSettings;
  group: string;
  topic?: string;
}

type ComposeMode = SendMode | 'ordered' | 'delayed' | 'transactional';
/** What the local transaction answers, and what the check-back answers when that was UNKNOW. */
type TxOutcome = 'commit' | 'rollback' | 'unknown-commit' | 'unknown-rollback';

interface Draft {
  topic: string;
  spec: MessageSpec;
  mode: ComposeMode;
  txOutcome?: TxOutcome;
}

interface HistoryEntry {
  at: Date;
  draft: Draft;
  outcome: SendOutcome;
}

const TX_STATES: Record<TxOutcome, { local: LocalTransactionState; check: LocalTransactionState }> = {
  commit: { local: 'COMMIT_MESSAGE', check: 'COMMIT_MESSAGE' },
  rollback: { local: 'ROLLBACK_MESSAGE', check: 'ROLLBACK_MESSAGE' },
  'unknown-commit': { local: 'UNKNOW', check: 'COMMIT_MESSAGE' },
  'unknown-rollback': { local: 'UNKNOW', check: 'ROLLBACK_MESSAGE' },
};

const DELAY_LEVELS = '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h'.split(' ');

/** Topics worth offering: no retry/DLQ/system topics. */
function userTopics(topics: readonly string[]): string[] {
  const system = /^(%RETRY%|%DLQ%|RMQ_SYS_|rmq_sys_|SCHEDULE_TOPIC_XXXX$|TBW102$|BenchmarkTest$|OFFSET_MOVED_EVENT$|SELF_TEST_TOPIC$|TRANS_CHECK_MAX_TIME_TOPIC$)/;
  return topics.filter((t) => !system.test(t)).sort();
}

function isExitPrompt(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

function describeMode(d: Draft): string {
  switch (d.mode) {
    case 'ordered':
      return `ordered by key ${d.spec.shardingKey ?? ''}`;
    case 'delayed':
      return `delay level ${d.spec.delayLevel ?? 0} (${DELAY_LEVELS[(d.spec.delayLevel ?? 1) - 1] ?? '?'})`;
    case 'transactional':
      return `transactional, ${d.txOutcome}`;
    default:
      return d.mode;
  }
}

export async function runSession(options: SessionOptions): Promise<void> {
  const prompts = await import('@inquirer/prompts');
  const { Producer, TransactionProducer, Message, AdminClient } = await import('@rockit/client');
  const base = await clientOptions(options.connection, 'rockit-produce');
  const producer = new Producer({ ...base, producerGroup: options.group, sendMsgTimeout: options.connection.timeoutMillis });
  await producer.start();
  /** Check-back answers by transaction id (the broker may ask later in the session). */
  const checkAnswers = new Map<string, LocalTransactionState>();
  let pendingTx: TxOutcome = 'commit';
  let txProducer: TransactionProducer | undefined;
  const history: HistoryEntry[] = [];
  const out = (text: string) => process.stdout.write(`${text}\n`);

  const chooseTopic = async (): Promise<string> => {
    let topics: string[] = [];
    const admin = new AdminClient(base);
    try {
      await admin.start();
      topics = userTopics(await admin.getTopicList());
    } catch (err) {
      out(color.warn(`could not list topics (${formatErrorLine(err).replace(/^error: /, '')}); type one`));
    } finally {
      await admin.shutdown();
    }
    const TYPE = '\u0000type';
    const picked =
      topics.length === 0
        ? TYPE
        : await prompts.select<string>({
            message: 'Topic',
            choices: [{ name: 'Type a topic name…', value: TYPE }, ...topics.map((t) => ({ name: t, value: t }))],
            pageSize: 15,
          });
    if (picked !== TYPE) return picked;
    return prompts.input({ message: 'Topic name', validate: (v) => /^[%|a-zA-Z0-9_-]{1,127}$/.test(v.trim()) || 'letters, digits, %, |, _ and - only' });
  };

  const compose = async (topic: string): Promise<Draft> => {
    const source = await prompts.select<'inline' | 'editor'>({
      message: 'Body',
      choices: [
        { name: 'type it here', value: 'inline' },
        { name: 'edit in $EDITOR', value: 'editor', description: process.env.VISUAL ?? process.env.EDITOR ?? 'vi' },
      ],
    });
    const body = source === 'inline' ? await prompts.input({ message: 'Body text' }) : await prompts.editor({ message: 'Body', waitForUserInput: true });
    const spec: MessageSpec = { body: Buffer.from(source === 'editor' ? body.replace(/\n$/, '') : body, 'utf8') };
    const tag = (await prompts.input({ message: 'Tag (empty for none)' })).trim();
    if (tag !== '') spec.tag = tag;
    const keys = splitKeys(await prompts.input({ message: 'Keys (space separated, empty for none)' }));
    if (keys.length > 0) spec.keys = keys;
    const propsText = await prompts.input({
      message: 'Properties (k=v, comma separated, empty for none)',
      validate: (v) => {
        try {
          parsePropsText(v);
          return true;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    const props = parsePropsText(propsText);
    if (Object.keys(props).length > 0) spec.properties = props;
    const mode = await prompts.select<ComposeMode>({
      message: 'Send mode',
      choices: [
        { name: 'sync', value: 'sync', description: 'wait for the broker to store it' },
        { name: 'async', value: 'async', description: 'send, then show the result when it arrives' },
        { name: 'oneway', value: 'oneway', description: 'no answer awaited' },
        { name: 'ordered by key', value: 'ordered', description: 'the same sharding key always goes to the same queue' },
        { name: 'delayed', value: 'delayed', description: 'delivered after a delay level' },
        { name: 'transactional', value: 'transactional', description: 'half message, then commit or rollback' },
      ],
    });
    const draft: Draft = { topic, spec, mode };
    if (mode === 'ordered') {
      spec.shardingKey = (await prompts.input({ message: 'Sharding key', validate: (v) => v.trim() !== '' || 'a key is required' })).trim();
    } else if (mode === 'delayed') {
      const level = await prompts.input({
        message: `Delay level (1..18: ${DELAY_LEVELS.map((d, i) => `${i + 1}=${d}`).join(' ')})`,
        validate: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 18) || 'a number from 1 to 18',
      });
      spec.delayLevel = Number(level);
    } else if (mode === 'transactional') {
      draft.txOutcome = await prompts.select<TxOutcome>({
        message: 'Local transaction outcome',
        choices: [
          { name: 'commit', value: 'commit' },
          { name: 'rollback', value: 'rollback' },
          { name: 'unknown, commit when the broker checks back', value: 'unknown-commit' },
          { name: 'unknown, roll back when the broker checks back', value: 'unknown-rollback' },
        ],
      });
    }
    return draft;
  };

  const transactionProducer = async (): Promise<TransactionProducer> => {
    if (txProducer !== undefined) return txProducer;
    txProducer = new TransactionProducer(
      { ...base, producerGroup: `${options.group}_tx`, sendMsgTimeout: options.connection.timeoutMillis },
      {
        executeLocalTransaction: () => TX_STATES[pendingTx].local,
        checkLocalTransaction: (msg) => {
          const answer = checkAnswers.get(msg.transactionId ?? '') ?? checkAnswers.get(msg.uniqKey ?? '') ?? 'UNKNOW';
          process.stdout.write(`${color.accent('check-back')} for ${msg.uniqKey ?? msg.transactionId}: answered ${answer}\n`);
          return answer;
        },
      },
    );
    await txProducer.start();
    return txProducer;
  };

  const send = async (draft: Draft): Promise<SendOutcome> => {
    const index = history.length + 1;
    let msg: Message;
    try {
      msg = toMessage(Message, draft.topic, draft.spec);
    } catch (err) {
      return failureOf(index, err);
    }
    if (draft.mode !== 'transactional') {
      const mode: SendMode = draft.mode === 'ordered' || draft.mode === 'delayed' ? 'sync' : draft.mode;
      return sendInMode(producer as Producer, msg, mode, draft.spec, index);
    }
    try {
      const tx = await transactionProducer();
      pendingTx = draft.txOutcome ?? 'commit';
      const result = await tx.sendMessageInTransaction(msg);
      if (result.transactionId !== undefined) checkAnswers.set(result.transactionId, TX_STATES[pendingTx].check);
      if (msg.uniqKey !== undefined) checkAnswers.set(msg.uniqKey, TX_STATES[pendingTx].check);
      return outcomeOf(index, result);
    } catch (err) {
      return failureOf(index, err);
    }
  };

  const show = (o: SendOutcome, elapsedMillis: number) => {
    const head = o.status === 'FAILED' ? color.error(o.status) : color.ok(o.status);
    const rows: [string, unknown][] = [['status', head]];
    for (const key of ['msgId', 'offsetMsgId', 'topic', 'brokerName', 'queueId', 'queueOffset', 'transactionId', 'localTransactionState', 'error'] as const) {
      if (o[key] !== undefined) rows.push([key, o[key]]);
    }
    rows.push(['time', `${elapsedMillis} ms`]);
    out(kv(rows));
  };

  const sendAndShow = async (draft: Draft) => {
    const t0 = Date.now();
    const outcome = await send(draft);
    show(outcome, Date.now() - t0);
    history.push({ at: new Date(), draft, outcome });
  };

  const showHistory = () => {
    if (history.length === 0) return out('no messages sent yet');
    out(
      table(history, [
        { header: '#', get: (h) => h.outcome.index, align: 'right' },
        { header: 'Time', get: (h) => h.at.toISOString().slice(11, 23) },
        { header: 'Topic', get: (h) => h.draft.topic },
        { header: 'Mode', get: (h) => describeMode(h.draft) },
        { header: 'Tag', get: (h) => h.draft.spec.tag },
        { header: 'Keys', get: (h) => h.draft.spec.keys?.join(' ') },
        { header: 'Status', get: (h) => h.outcome.status },
        { header: 'MsgId', get: (h) => h.outcome.msgId },
        { header: 'Queue', get: (h) => (h.outcome.queueId === undefined ? undefined : `${h.outcome.brokerName}:${h.outcome.queueId}@${h.outcome.queueOffset}`) },
      ]),
    );
  };

  try {
    let topic = options.topic ?? (await chooseTopic());
    await sendAndShow(await compose(topic));
    for (;;) {
      const last = history[history.length - 1]!;
      const next = await prompts.select<'new' | 'repeat' | 'history' | 'topic' | 'quit'>({
        message: 'Next',
        choices: [
          { name: 'new message', value: 'new' },
          { name: 'repeat the last message', value: 'repeat', description: `${describeMode(last.draft)} to ${last.draft.topic}` },
          { name: 'history of this session', value: 'history' },
          { name: 'change topic', value: 'topic' },
          { name: 'quit', value: 'quit' },
        ],
      });
      if (next === 'quit') break;
      if (next === 'history') showHistory();
      else if (next === 'repeat') await sendAndShow(last.draft);
      else if (next === 'topic') topic = await chooseTopic();
      else await sendAndShow(await compose(topic));
    }
  } catch (err) {
    if (!isExitPrompt(err)) throw err;
  } finally {
    await producer.shutdown();
    await txProducer?.shutdown();
  }
  const failed = history.filter((h) => h.outcome.status === 'FAILED').length;
  out(`${history.length} sent in this session${failed > 0 ? `, ${failed} failed` : ''}`);
}

/** `a=1, b=2` as properties. */
function parsePropsText(text: string): Record<string, string> {
  const pairs = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return parseProperties(pairs, 'properties');
}

