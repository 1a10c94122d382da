import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileMessageStore, GetMessageStatus, PutMessageStatus, type MessageExtBrokerInner } from '../src/index.js';
import { decodeRecord, rmDir, silentLogger, tmpDir } from './helpers.js';
// @ts-expect-error plain ESM module shared with the child process
import { crashMessage as crashMessageJs } from './fixtures/crash-message.mjs';

const crashMessage = crashMessageJs as (seq: number) => MessageExtBrokerInner;
const PKG = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/crash-writer.mjs', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));

interface Ack {
  seq: number;
  queueId: number;
  queueOffset: number;
  phy: number;
}

const storeOptions = (dir: string, flushDiskType: 'SYNC_FLUSH' | 'ASYNC_FLUSH') => ({
  storePathRootDir: dir,
  flushDiskType,
  mappedFileSizeCommitLog: 256 * 1024,
  mappedFileSizeConsumeQueue: 200 * 20,
  maxHashSlotNum: 512,
  maxIndexNum: 2048,
  logger: silentLogger,
});

/** Runs the writer until `killAfterMs` after its first ack, then SIGKILLs it; returns acks. */
function runAndKill(dir: string, flush: string, startSeq: number, writers: number, killAfterMs: number): Promise<{ acks: Ack[]; ready: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir, flush, String(startSeq), String(writers)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let ready = '';
    let rest = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      rest += chunk;
      const lines = rest.split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const [kind, a, b, c, d] = line.split(' ');
        if (kind === 'ready') ready = line;
        else if (kind === 'ack') {
          acks.push({ seq: Number(a), queueId: Number(b), queueOffset: Number(c), phy: Number(d) });
          if (!timer) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        } else if (kind === 'fail') reject(new Error(`child put failed: ${line}`));
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited on its own: ${stderr}`));
      else resolve({ acks, ready });
    });
  });
}

/** Reads every consume-queue unit of the crash topic and checks it against the commit log. */
async function verify(store: FileMessageStore, acked: Map<number, Ack>): Promise<Map<number, number>> {
  const seqAt = new Map<number, number>(); // seq -> queue offset found
  for (let q = 0; q < 4; q++) {
    const max = store.getMaxOffsetInQueue('CrashTopic', q);
    if (max > 0) expect(store.getMinOffsetInQueue('CrashTopic', q)).toBe(0);
    let offset = 0;
    let lastPhy = -1;
    let lastSeq = -1;
    while (offset < max) {
      const r = await store.getMessage('g', 'CrashTopic', q, offset, 32);
      expect(r.status).toBe(GetMessageStatus.FOUND);
      for (let i = 0; i < r.msgCount; i++) {
        const d = decodeRecord(r.messageBufferList[i]!);
        expect(d.queueId).toBe(q);
        expect(d.queueOffset).toBe(offset + i);
        expect(d.physicalOffset).toBeGreaterThan(lastPhy); // no duplicate units
        lastPhy = d.physicalOffset;
        const seq = Number(/^crash-(\d+)-/.exec(d.body.toString())![1]);
        const m = crashMessage(seq);
        expect(d.body.equals(m.body)).toBe(true);
        expect(d.propertiesRaw).toBe(m.propertiesString);
        expect(d.bornTimestamp).toBe(m.bornTimestamp);
        expect(seqAt.has(seq)).toBe(false);
        // Within one queue, writers of one run append in seq order.
        if (lastSeq >= 0 && seq < lastSeq) expect(acked.has(seq) && acked.has(lastSeq)).toBe(false);
        lastSeq = seq;
        seqAt.set(seq, offset + i);
      }
      offset = r.nextBeginOffset;
    }
  }
  return seqAt;
}

describe('crash recovery with real processes killed by SIGKILL', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-b', PKG], { cwd: REPO, stdio: 'pipe' });
  }, 120_000);

  const dirs: string[] = [];
  afterAll(() => dirs.forEach(rmDir));

  it('keeps every SYNC_FLUSH-acknowledged message, byte-identical and in place, across 10 kills', async () => {
    const dir = tmpDir('crash-sync');
    dirs.push(dir);
    const acked = new Map<number, Ack>();
    let seq = 0;
    for (let round = 0; round < 10; round++) {
      const writers = [1, 16, 64][round % 3]!;
      const { acks, ready } = await runAndKill(dir, 'SYNC_FLUSH', seq, writers, 50 + Math.floor(Math.random() * 250));
      expect(ready).toMatch(round === 0 ? /^ready clean/ : round % 2 === 1 ? /^ready clean/ : /^ready crashed/);
      expect(acks.length).toBeGreaterThan(0);
      for (const a of acks) acked.set(a.seq, a);
      seq += 1_000_000; // next run's numbers never collide with unacknowledged ones of this run
      if (round % 2 === 0) {
        // Even rounds: the test process recovers the crashed store and checks it, then closes it cleanly.
        const store = new FileMessageStore(storeOptions(dir, 'SYNC_FLUSH'));
        await store.start();
        expect(store.recoveryReport!.lastExitOK).toBe(false);
        const found = await verify(store, acked);
        for (const a of acked.values()) {
          expect(found.get(a.seq), `acked seq ${a.seq}`).toBe(a.queueOffset);
          const rec = decodeRecord(store.lookMessageByOffset(a.phy)!);
          expect(rec.body.equals(crashMessage(a.seq).body)).toBe(true);
          expect(store.queryMessage('CrashTopic', `k${a.seq}`, 4, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toContain(a.phy);
        }
        const put = await store.putMessage(crashMessage(seq - 1));
        expect(put.status).toBe(PutMessageStatus.PUT_OK);
        acked.set(seq - 1, { seq: seq - 1, queueId: (seq - 1) % 4, queueOffset: put.appendResult!.queueOffset, phy: put.appendResult!.wroteOffset });
        await store.shutdown();
      }
      // Odd rounds: the next child recovers the crashed store itself.
    }
    const store = new FileMessageStore(storeOptions(dir, 'SYNC_FLUSH'));
    await store.start();
    const found = await verify(store, acked);
    for (const a of acked.values()) expect(found.get(a.seq)).toBe(a.queueOffset);
    expect(store.inspect().commitLogFiles.length).toBeGreaterThan(1); // rolled over segments on the way
    await store.shutdown();
  }, 120_000);

  it('never serves corrupt data under ASYNC_FLUSH and loses at most the unwritten tail', async () => {
    const dir = tmpDir('crash-async');
    dirs.push(dir);
    let seq = 0;
    let survivedTotal = 0;
    for (let round = 0; round < 4; round++) {
      const { acks } = await runAndKill(dir, 'ASYNC_FLUSH', seq, 16, 50 + Math.floor(Math.random() * 200));
      const acked = new Map(acks.map((a) => [a.seq, a]));
      seq += 1_000_000;
      const store = new FileMessageStore(storeOptions(dir, 'ASYNC_FLUSH'));
      await store.start();
      const found = await verify(store, acked);
      // Bounded loss: only a tail of the run is lost, no longer than the buffers not yet written:
      // the active append buffer plus at most 4 queued background writes (256 KiB each here).
      const lost = acks.filter((a) => !found.has(a.seq));
      if (lost.length > 0) {
        const firstLost = Math.min(...lost.map((a) => a.phy));
        const lastLost = Math.max(...lost.map((a) => a.phy));
        expect(acks.filter((a) => a.phy > firstLost).every((a) => !found.has(a.seq))).toBe(true);
        expect(lastLost - firstLost, JSON.stringify({ round, firstLost, lastLost, n: lost.length, acks: acks.length, max: store.getMaxPhyOffset(), rep: store.recoveryReport })).toBeLessThan(5 * 256 * 1024);
        expect(firstLost).toBeGreaterThanOrEqual(store.getMaxPhyOffset() - 1024);
      }
      survivedTotal += acks.filter((a) => found.has(a.seq)).length;
      await store.shutdown();
    }
    expect(survivedTotal).toBeGreaterThan(0);
  }, 120_000);
});
