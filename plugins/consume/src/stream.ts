/**
 * Streaming consumption with a PushConsumer: one message at a time (so the output is in delivery order and -i can
 * ask about each), until --max, --idle-timeout or Ctrl-C; then the consumer shuts down, which commits offsets and
 * unregisters from every broker. Messages delivered after the stop was decided are held, not acked: their offsets
 * are not committed, so the group gets them again next time.
 */
import type { MessageExt, MessageSelector } from '@rockit/client';
import type { ConnectionSettings } from '@rockit/cli';
import { clientOptions } from '@rockit/cli';
import { messageBlock, messageJson } from './message-view.js';
import { prepareStart, type StartFrom } from './start-position.js';

export interface StreamOptions {
  connection: ConnectionSettings;
  topic: string;
  group: string;
  selector: string | MessageSelector;
  broadcast: boolean;
  from: StartFrom;
  orderly: boolean;
  interactive: boolean;
  json: boolean;
  max?: number;
  idleTimeoutMillis?: number;
}

type Decision = 'ack' | 'retry' | 'skip';

function isExitPrompt(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

export async function runStream(options: StreamOptions): Promise<void> {
  const { PushConsumer } = await import('@rockit/client');
  const prompts = options.interactive ? await import('@inquirer/prompts') : undefined;
  const config = await clientOptions(options.connection, 'rockit-consume');
  await prepareStart(config, options.topic, options.group, options.from, !options.broadcast);
  const consumer = new PushConsumer({
    ...config,
    consumerGroup: options.group,
    messageModel: options.broadcast ? 'BROADCASTING' : 'CLUSTERING',
    consumeFromWhere: options.from === 'first' ? 'CONSUME_FROM_FIRST_OFFSET' : options.from === 'last' ? 'CONSUME_FROM_LAST_OFFSET' : 'CONSUME_FROM_TIMESTAMP',
    ...(typeof options.from === 'number' ? { consumeTimestamp: options.from } : {}),
    // One listener call at a time: output in delivery order, one question at a time.
    consumeThreadMax: 1,
    consumeMessageBatchMaxSize: 1,
    awaitTerminationMillisWhenShutdown: 500,
  });
  consumer.subscribe(options.topic, options.selector);

  const counts: Record<Decision, number> = { ack: 0, retry: 0, skip: 0 };
  let received = 0;
  let stopping = false;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let idleTimer: NodeJS.Timeout | undefined;
  let stopReason = '';
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    stopReason = reason;
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    resolveStopped();
  };
  const armIdle = () => {
    if (options.idleTimeoutMillis === undefined) return;
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop(`idle for ${options.idleTimeoutMillis! / 1000} s`), options.idleTimeoutMillis);
  };
  /** Parks a listener call until the consumer is shut down: the message is neither acked nor sent back. */
  let resolveShutdown!: () => void;
  const shutdownDone = new Promise<void>((r) => (resolveShutdown = r));

  const decide = async (m: MessageExt): Promise<Decision | undefined> => {
    if (prompts === undefined) return 'ack';
    const choices: { name: string; value: Decision; description: string }[] = [
      { name: 'ack', value: 'ack', description: 'consumed: the offset moves past it' },
      ...(options.broadcast
        ? []
        : [{ name: 'retry later', value: 'retry' as const, description: options.orderly ? 'suspend the queue a moment and get it again' : 'RECONSUME_LATER: the broker redelivers it after a delay' }]),
      { name: 'skip', value: 'skip', description: 'move on without handling it (the offset moves past it, like ack)' },
    ];
    try {
      return await prompts.select<Decision>({ message: `Message ${m.msgId} (reconsumed ${m.reconsumeTimes} times)`, choices });
    } catch (err) {
      if (!isExitPrompt(err)) throw err;
      stop('interrupted');
      return undefined;
    }
  };

  /** What to tell the consumer about `m`; undefined = hold it until shutdown. */
  const handle = async (m: MessageExt, brokerName: string): Promise<Decision | undefined> => {
    // Past --max (a call already queued when the last one was taken): hold it, unacked, for the next run.
    if (stopping || (options.max !== undefined && received >= options.max)) return undefined;
    received++;
    armIdle();
    process.stdout.write(options.json ? `${JSON.stringify(messageJson(m))}\n` : `${messageBlock(m, brokerName)}\n`);
    const decision = await decide(m);
    if (decision === undefined) return undefined;
    counts[decision]++;
    if (options.max !== undefined && received >= options.max) stop(`${options.max} message(s) received`);
    return decision;
  };

  /** The batch's fate: consumed, to be retried, or held until shutdown (never acked in this run). */
  const consume = async (msgs: MessageExt[], brokerName: string): Promise<'ok' | 'retry'> => {
    for (const m of msgs) {
      const d = await handle(m, brokerName);
      if (d === undefined) {
        await shutdownDone;
        return 'retry'; // ignored: the queue is dropped by then
      }
      if (d === 'retry') return 'retry';
    }
    return 'ok';
  };
  if (options.orderly) {
    consumer.registerMessageListenerOrderly(async (msgs, context) =>
      (await consume(msgs, context.messageQueue.brokerName)) === 'ok' ? 'SUCCESS' : 'SUSPEND_CURRENT_QUEUE_A_MOMENT',
    );
  } else {
    consumer.registerMessageListener(async (msgs, context) =>
      (await consume(msgs, context.messageQueue.brokerName)) === 'ok' ? 'CONSUME_SUCCESS' : 'RECONSUME_LATER',
    );
  }

  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals > 1) process.exit(130);
    stop('interrupted');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await consumer.start();
    armIdle();
    await stopped;
  } finally {
    await consumer.shutdown();
    resolveShutdown();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const decided = options.interactive ? ` (${counts.ack} acked, ${counts.retry} to retry, ${counts.skip} skipped)` : '';
  process.stderr.write(`${received} message(s) received${decided}; stopped: ${stopReason}; offsets committed for group ${options.group}\n`);
}
