/**
 * Delivery semantics across broker process restarts and crashes (a real broker child process, file store,
 * SYNC_FLUSH): delayed messages are delivered once, on time, after a kill -9; a transaction prepared before the
 * broker died is checked back after it restarts and committed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Message, decodeMessages } from '@rockit/common';
import { NamesrvController } from '@rockit/namesrv';
import { PushConsumer, TransactionProducer } from '@rockit/client';
import { PullMessageRequestHeader, PullMessageResponseHeader, RemotingClient, RemotingCommand, RequestCode, ResponseCode, SendMessageRequestHeaderV2, decodeHeader, encodeHeader } from '@rockit/remoting';
import { createTopic, eventually } from './helpers/admin.js';
import { quietLogger } from './helpers/cluster.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/semantics-broker-child.mjs', import.meta.url));

interface Child {
  process: ChildProcess;
  port: number;
}

function startChild(dir: string, port: number, namesrvAddr: string, overrides: Record<string, string | number>): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir, String(port), namesrvAddr, JSON.stringify(overrides)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ROCKIT_LOG_LEVEL: 'silent' },
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve({ process: child, port: Number(m[1]) });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`broker child exited (${code}): ${err}`)));
  });
}

function kill9(child: Child): Promise<void> {
  return new Promise((resolve) => {
    child.process.once('exit', () => resolve());
    child.process.kill('SIGKILL');
  });
}

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await Promise.resolve(cleanups.pop()!()).catch(() => undefined);
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rockit-sem-restart-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function delayedSend(topic: string, body: string, level: number): RemotingCommand {
  const header = encodeHeader(
    { producerGroup: 'PG_delay', topic, defaultTopic: 'TBW102', defaultTopicQueueNums: 1, queueId: 0, sysFlag: 0, bornTimestamp: Date.now(), flag: 0, properties: `WAIT\u0001true\u0002DELAY\u0001${level}\u0002KEYS\u0001${body}` },
    SendMessageRequestHeaderV2,
  );
  return RemotingCommand.createRequest(RequestCode.SEND_MESSAGE_V2, header, Buffer.from(body));
}

/** Every message now in `topic` queue 0 (short pulls). */
async function readAll(client: RemotingClient, addr: string, topic: string): Promise<string[]> {
  const out: string[] = [];
  let offset = 0;
  for (;;) {
    const header = encodeHeader(
      { consumerGroup: 'CG_read', topic, queueId: 0, queueOffset: offset, maxMsgNums: 32, sysFlag: 0x4, commitOffset: 0, suspendTimeoutMillis: 0, subscription: '*', subVersion: 0 },
      PullMessageRequestHeader,
    );
    const r = await client.invokeSync(addr, RemotingCommand.createRequest(RequestCode.PULL_MESSAGE, header), 5000);
    if (r.code !== ResponseCode.SUCCESS) return out;
    out.push(...decodeMessages(r.body!).map((m) => m.body.toString()));
    offset = decodeHeader(r, PullMessageResponseHeader).nextBeginOffset;
  }
}

describe('delivery semantics across broker processes', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-b', join(REPO, 'packages/broker')], { cwd: REPO, stdio: 'pipe' });
  }, 120_000);

  it('delivers delayed messages exactly once after a kill -9 and restart, the pending ones when due', async () => {
    const dir = tempDir();
    const overrides = { messageDelayLevel: '1s 4s' };
    let child = await startChild(dir, 0, '-', overrides);
    cleanups.push(() => void child.process.kill('SIGKILL'));
    const addr = `127.0.0.1:${child.port}`;
    let client = new RemotingClient({ logger: quietLogger });
    for (let i = 0; i < 3; i++) expect((await client.invokeSync(addr, delayedSend('DelayCrash', `fast-${i}`, 1), 5000)).code).toBe(0);
    const sentSlow = Date.now();
    for (let i = 0; i < 3; i++) expect((await client.invokeSync(addr, delayedSend('DelayCrash', `slow-${i}`, 2), 5000)).code).toBe(0);
    let got: string[] = [];
    for (let i = 0; i < 150 && got.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
      got = await readAll(client, addr, 'DelayCrash');
    }
    expect(got).toEqual(['fast-0', 'fast-1', 'fast-2']);
    await new Promise((r) => setTimeout(r, 300)); // delayOffset.json is written right after each delivery round
    await kill9(child);
    await client.close();
    child = await startChild(dir, child.port, '-', overrides);
    client = new RemotingClient({ logger: quietLogger });
    cleanups.push(() => client.close());
    // The slow ones were still parked: delivered once due (4 s after they were sent), not before.
    expect(await readAll(client, addr, 'DelayCrash')).toEqual(got);
    for (let i = 0; i < 200 && got.length < 6; i++) {
      await new Promise((r) => setTimeout(r, 50));
      got = await readAll(client, addr, 'DelayCrash');
    }
    expect(Date.now() - sentSlow).toBeGreaterThanOrEqual(3900);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await readAll(client, addr, 'DelayCrash')).sort()).toEqual(['fast-0', 'fast-1', 'fast-2', 'slow-0', 'slow-1', 'slow-2']);
  }, 60_000);

  it('checks back a transaction prepared before the broker was killed, once it restarts, and commits it', async () => {
    const dir = tempDir();
    const namesrv = new NamesrvController({ listenPort: 0, bindAddress: '127.0.0.1', kvConfigPath: join(dir, 'kv.json') }, { logger: quietLogger });
    await namesrv.start();
    cleanups.push(() => namesrv.shutdown());
    const overrides = { transactionCheckInterval: 500, transactionTimeOut: 500 };
    let child = await startChild(join(dir, 'broker'), 0, namesrv.address, overrides);
    cleanups.push(() => void child.process.kill('SIGKILL'));
    const brokerAddr = `127.0.0.1:${child.port}`;
    await createTopic(brokerAddr, 'TxCrash', 1, namesrv.address);

    const checks: string[] = [];
    const producer = new TransactionProducer(
      { namesrvAddr: namesrv.address, producerGroup: 'PG_tx_crash', logger: quietLogger, instanceName: 'tx-crash', heartbeatBrokerInterval: 300 },
      {
        // The broker dies between prepare and commit: the COMMIT never reaches it.
        executeLocalTransaction: async () => {
          await kill9(child);
          return 'COMMIT_MESSAGE';
        },
        checkLocalTransaction: (msg) => {
          checks.push(msg.body.toString());
          return 'COMMIT_MESSAGE';
        },
      },
    );
    await producer.start();
    cleanups.push(() => producer.shutdown());
    const sent = await producer.sendMessageInTransaction(new Message('TxCrash', 'prepared before the crash'));
    expect(sent.sendStatus).toBe('SEND_OK');
    child = await startChild(join(dir, 'broker'), child.port, namesrv.address, overrides);

    const got: string[] = [];
    const consumer = new PushConsumer({ namesrvAddr: namesrv.address, consumerGroup: 'CG_tx_crash', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', logger: quietLogger, instanceName: 'c-tx-crash' });
    consumer.subscribe('TxCrash', '*');
    consumer.registerMessageListener(async (msgs) => {
      for (const m of msgs) got.push(m.body.toString());
      return 'CONSUME_SUCCESS';
    });
    await consumer.start();
    cleanups.push(() => consumer.shutdown());
    await eventually(() => got.length === 1, 'the transaction committed through the check-back', 30_000);
    expect(got).toEqual(['prepared before the crash']);
    expect(checks).toEqual(['prepared before the crash']);
  }, 60_000);
});
