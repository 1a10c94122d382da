/** Scripted producing: messages from flags, a file or stdin JSON lines; results as a table or JSON lines. */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { ConnectionSettings } from '@rockit/cli';
import { clientOptions } from '@rockit/cli';
import { parseJsonLine, parseProperties, splitKeys, SpecError, toMessage, type MessageSpec, type SendMode } from './message-spec.js';
import { failureOf, failureSummary, outcomeTable, sendInMode, type SendOutcome } from './sender.js';

export interface ScriptedFlags {
  body?: string | undefined;
  file?: string | undefined;
  tag?: string | undefined;
  keys?: string | undefined;
  property?: string[] | undefined;
  'delay-level'?: number | undefined;
  'sharding-key'?: string | undefined;
  mode: SendMode;
  count: number;
  rate?: number | undefined;
  group: string;
}

export interface ScriptedOptions {
  connection: ConnectionSettings;
  topic: string;
  flags: ScriptedFlags;
  json: boolean;
}

/** Sends still unanswered at once in async mode. */
const ASYNC_WINDOW = 64;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Fields the flags set; a JSON line's own fields win over them. */
function defaultsFrom(flags: ScriptedFlags): Omit<MessageSpec, 'body'> {
  const d: Omit<MessageSpec, 'body'> = {};
  if (flags.tag !== undefined) d.tag = flags.tag;
  if (flags.keys !== undefined) d.keys = splitKeys(flags.keys);
  if (flags.property !== undefined && flags.property.length > 0) d.properties = parseProperties(flags.property);
  if (flags['delay-level'] !== undefined) d.delayLevel = flags['delay-level'];
  if (flags['sharding-key'] !== undefined) d.shardingKey = flags['sharding-key'];
  return d;
}

/** The messages to send, in order; a bad stdin line is yielded as its error so that it counts as a failure. */
async function* specs(flags: ScriptedFlags): AsyncGenerator<{ spec: MessageSpec | SpecError; where?: string }> {
  const defaults = defaultsFrom(flags);
  if (flags.body !== undefined) {
    yield { spec: { ...defaults, body: Buffer.from(flags.body, 'utf8') } };
    return;
  }
  if (flags.file !== undefined) {
    yield { spec: { ...defaults, body: await readFile(flags.file) }, where: flags.file };
    return;
  }
  let lineNo = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim() === '') continue;
    try {
      const spec = parseJsonLine(line, lineNo);
      yield { spec: { ...defaults, ...spec, properties: { ...defaults.properties, ...spec.properties } }, where: `line ${lineNo}` };
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
      yield { spec: err };
    }
  }
}

/** Returns the exit code: 0 when every send succeeded, 1 otherwise (the summary is on stderr). */
export async function runScripted(options: ScriptedOptions): Promise<number> {
  const { flags, topic } = options;
  const { Producer, Message } = await import('@rockit/client');
  const producer = new Producer({
    ...(await clientOptions(options.connection, 'rockit-produce')),
    producerGroup: flags.group,
    sendMsgTimeout: options.connection.timeoutMillis,
  });
  await producer.start();
  const outcomes: SendOutcome[] = [];
  const report = (o: SendOutcome) => {
    outcomes.push(o);
    if (options.json) process.stdout.write(`${JSON.stringify(o)}\n`);
  };
  const inflight = new Set<Promise<void>>();
  const started = Date.now();
  let index = 0;
  try {
    for await (const { spec, where } of specs(flags)) {
      for (let n = 0; n < flags.count; n++) {
        index++;
        if (flags.rate !== undefined) {
          const due = started + ((index - 1) * 1000) / flags.rate;
          if (due > Date.now()) await sleep(due - Date.now());
        }
        if (spec instanceof SpecError) {
          report(failureOf(index, spec));
          break;
        }
        let msg;
        try {
          msg = toMessage(Message, topic, spec);
        } catch (err) {
          report(failureOf(index, where === undefined ? err : new SpecError(where, (err as Error).message)));
          continue;
        }
        const sending = sendInMode(producer, msg, flags.mode, spec, index).then(report);
        if (flags.mode !== 'async') {
          await sending;
          continue;
        }
        inflight.add(sending);
        void sending.finally(() => inflight.delete(sending));
        if (inflight.size >= ASYNC_WINDOW) await Promise.race(inflight);
      }
    }
    await Promise.all(inflight);
  } finally {
    await producer.shutdown();
  }
  if (outcomes.length === 0) {
    process.stderr.write('error: nothing to send: stdin had no JSON lines\n');
    return 1;
  }
  if (!options.json) {
    outcomes.sort((a, b) => a.index - b.index);
    process.stdout.write(`${outcomeTable(outcomes)}\n`);
  }
  const summary = failureSummary(outcomes);
  if (summary !== undefined) {
    process.stderr.write(`error: ${summary}\n`);
    return 1;
  }
  return 0;
}
