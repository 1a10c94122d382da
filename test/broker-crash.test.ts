/** A broker process killed with SIGKILL keeps every message it acknowledged under SYNC_FLUSH. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessages } from '@rockit/common';
import { BrokerController } from '@rockit/broker';
import { RemotingClient, RemotingCommand, RequestCode, SendMessageRequestHeaderV2, PullMessageRequestHeader, encodeHeader } from '@rockit/remoting';
import { quietLogger } from './helpers/cluster.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/broker-child.mjs', import.meta.url));

function startChild(dir: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir, '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ROCKIT_LOG_LEVEL: 'silent' } });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`broker child exited (${code}): ${err}`)));
  });
}

function sendRequest(i: number): RemotingCommand {
  const header = encodeHeader(
    { producerGroup: 'PG', topic: 'CrashT', defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: i % 4, sysFlag: 0, bornTimestamp: Date.now(), flag: 0, properties: `KEYS\u0001k${i}` },
    SendMessageRequestHeaderV2,
  );
  return RemotingCommand.createRequest(RequestCode.SEND_MESSAGE_V2, header, Buffer.from(`crash-${i}`));
}

describe('broker crash', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-b', join(REPO, 'packages/broker')], { cwd: REPO, stdio: 'pipe' });
  }, 120_000);

  const dir = mkdtempSync(join(tmpdir(), 'rockit-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged SYNC_FLUSH message after kill -9 of the broker process', async () => {
    const { child, port } = await startChild(dir);
    const client = new RemotingClient({ logger: quietLogger });
    const acked: number[] = [];
    const addr = `127.0.0.1:${port}`;
    // Producers keep sending while the process dies; only what was answered SUCCESS must survive.
    const senders = Array.from({ length: 8 }, async (_, w) => {
      for (let i = w; ; i += 8) {
        try {
          const r = await client.invokeSync(addr, sendRequest(i), 3000);
          if (r.code === 0) acked.push(i);
        } catch {
          return;
        }
      }
    });
    while (acked.length < 300) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await Promise.all(senders);
    await client.close();

    const broker = new BrokerController({
      overrides: { brokerName: 'broker-crash', brokerIP1: '127.0.0.1', listenPort: 0, storePathRootDir: dir, flushDiskType: 'SYNC_FLUSH' },
      logger: quietLogger,
    });
    await broker.start();
    try {
      const bodies = new Set<string>();
      const reader = new RemotingClient({ logger: quietLogger });
      for (let q = 0; q < 4; q++) {
        let offset = 0;
        for (;;) {
          const ext = encodeHeader(
            { consumerGroup: 'CG', topic: 'CrashT', queueId: q, queueOffset: offset, maxMsgNums: 32, sysFlag: 0x4, commitOffset: 0, suspendTimeoutMillis: 0, subscription: '*', subVersion: 0 },
            PullMessageRequestHeader,
          );
          const r = await reader.invokeSync(broker.brokerAddr, RemotingCommand.createRequest(RequestCode.PULL_MESSAGE, ext), 5000);
          if (r.code !== 0) break;
          for (const m of decodeMessages(r.body!)) bodies.add(m.body.toString());
          offset = Number(r.extFields!.nextBeginOffset);
        }
      }
      await reader.close();
      const lost = acked.filter((i) => !bodies.has(`crash-${i}`));
      expect(lost).toEqual([]);
      expect(bodies.size).toBeGreaterThanOrEqual(acked.length);
    } finally {
      await broker.shutdown();
    }
  });
});
