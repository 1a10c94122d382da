#!/usr/bin/env node
// Store benchmark (`pnpm bench:store`): one run measures the raw disk (sequential write bandwidth,
// fdatasync rates) and the file store on the same disk (async appends, SYNC_FLUSH with 1/16/256
// writers, random reads, recovery), and prints a Markdown table. Results: docs/benchmarks.md ## Store.
// Env: BENCH_DIR (default os.tmpdir()), BENCH_MESSAGES (async appends, default 1,000,000).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toSocketAddress } from '../packages/common/dist/index.js';
import { FileMessageStore, nodeFs } from '../packages/store/dist/index.js';

const root = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'rockit-bench-store-'));
const MSG_SIZE = 1024;
const ASYNC_MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const QUEUES = 16;
const silent = { info() {}, warn() {}, error(o, m) { process.stderr.write(`${m} ${JSON.stringify(o)}\n`); } };
const rows = [];
const notes = [];
const mb = (bytes) => bytes / 1e6;
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const now = () => Number(process.hrtime.bigint()) / 1e6;
function row(name, msgs, bytes, ms, extra = '') {
  const r = { name, msgPerSec: msgs ? (msgs * 1000) / ms : undefined, mbPerSec: bytes ? (mb(bytes) * 1000) / ms : undefined, extra };
  rows.push(r);
  process.stdout.write(`${name}: ${r.msgPerSec ? fmt(r.msgPerSec) + ' msg/s' : ''} ${r.mbPerSec ? fmt(r.mbPerSec, 1) + ' MB/s' : ''} ${extra}\n`);
  return r;
}
const yieldLoop = () => new Promise((r) => setImmediate(r));

// ------------------------------------------------------------------ raw disk
function rawSequentialWrite() {
  const file = path.join(root, 'raw-seq');
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(4 * 1024 * 1024, 7);
  const total = 1024 * 1024 * 1024;
  const t0 = now();
  for (let p = 0; p < total; p += chunk.length) fs.writeSync(fd, chunk, 0, chunk.length, p);
  const tWrite = now() - t0;
  fs.fdatasyncSync(fd);
  const tAll = now() - t0;
  fs.closeSync(fd);
  fs.unlinkSync(file);
  row('raw sequential write, 4 MiB fs.writeSync (page cache)', 0, total, tWrite, '1 GiB');
  return row('raw sequential write incl. final fdatasync', 0, total, tAll, '1 GiB');
}

function rawSyncRates() {
  const file = path.join(root, 'raw-sync');
  const fd = fs.openSync(file, 'w');
  fs.ftruncateSync(fd, 256 * 1024 * 1024);
  const one = Buffer.alloc(4096, 1);
  let pos = 0;
  const n = 3000;
  let t0 = now();
  for (let i = 0; i < n; i++) {
    fs.writeSync(fd, one, 0, one.length, pos);
    pos += one.length;
    fs.fdatasyncSync(fd);
  }
  const single = row('raw 4 KiB write + fdatasync', n, n * 4096, now() - t0, 'syncs/s = msg/s');
  const batch = Buffer.alloc(64 * 1024, 2);
  t0 = now();
  for (let i = 0; i < n; i++) {
    fs.writeSync(fd, batch, 0, batch.length, pos);
    pos += batch.length;
    fs.fdatasyncSync(fd);
  }
  const group = row('raw group commit: 64 x 1 KiB per fdatasync', n * 64, n * batch.length, now() - t0);
  fs.closeSync(fd);
  fs.unlinkSync(file);
  return { single, group };
}

// ------------------------------------------------------------------ store
let uniqSeq = 0;
const body = Buffer.alloc(MSG_SIZE, 0x61);
// As the broker passes them: one parsed address per connection / per broker.
const bornHost = toSocketAddress('127.0.0.1', 50000);
const storeHost = toSocketAddress('127.0.0.1', 10911);
function msg(queueId) {
  const u = (++uniqSeq).toString(16).toUpperCase().padStart(32, '0');
  return {
    topic: 'BenchTopic',
    queueId,
    flag: 0,
    body,
    propertiesString: `UNIQ_KEY\u0001${u}\u0002WAIT\u0001true\u0002TAGS\u0001TagA`,
    sysFlag: 0,
    bornTimestamp: Date.now(),
    bornHost,
    storeHost,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    tagsCode: 2598919,
  };
}

function storeConfig(dir, flushDiskType) {
  return { storePathRootDir: dir, flushDiskType, mappedFileSizeCommitLog: 256 * 1024 * 1024, logger: silent };
}

async function asyncAppends() {
  const dir = path.join(root, 'async');
  const store = new FileMessageStore(storeConfig(dir, 'ASYNC_FLUSH'));
  await store.start();
  const memory = [];
  if (global.gc) global.gc();
  const t0 = now();
  let bytes = 0;
  for (let i = 0; i < ASYNC_MESSAGES; i++) {
    const r = await store.putMessage(msg(i % QUEUES));
    bytes += r.appendResult.wroteBytes;
    if ((i + 1) % 4096 === 0) await yieldLoop(); // let the flusher and timers run, as network I/O would
    if ((i + 1) % (ASYNC_MESSAGES / 5) === 0) {
      if (global.gc) global.gc();
      memory.push(`${fmt((i + 1) / 1000)}k: heap ${fmt(process.memoryUsage().heapUsed / 1e6, 1)} MB, rss ${fmt(process.memoryUsage().rss / 1e6)} MB`);
    }
  }
  const ms = now() - t0;
  const r = row(`async appends, 1 KiB body, 1 writer (${fmt(ASYNC_MESSAGES)} msgs)`, ASYNC_MESSAGES, bytes, ms, `record ${bytes / ASYNC_MESSAGES} B incl. header/props; UNIQ_KEY indexed`);
  notes.push(`Memory while appending (after GC): ${memory.join('; ')}`);
  return { store, dir, bytes, row: r };
}

/** The append path's CPU cost alone: same store, file writes and syncs discarded. */
async function appendCpuOnly() {
  const dir = path.join(root, 'cpu-only');
  const nullFs = { ...nodeFs, writeSync: (_fd, _b, _o, len) => len, write: (_fd, _b, _o, len, _p, cb) => setImmediate(cb, null, len), fdatasync: (_fd, cb) => setImmediate(cb, null), fdatasyncSync() {} };
  const store = new FileMessageStore({ ...storeConfig(dir, 'ASYNC_FLUSH'), fs: nullFs, mappedFileSizeCommitLog: 1024 * 1024 * 1024 });
  await store.start();
  const n = 500_000;
  // Message construction alone, to subtract from the CPU time below.
  let c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) msg(i % QUEUES);
  let c = process.cpuUsage(c0);
  const buildUs = (c.user + c.system) / n;
  const t0 = now();
  c0 = process.cpuUsage();
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    bytes += (await store.putMessage(msg(i % QUEUES))).appendResult.wroteBytes;
    if ((i + 1) % 4096 === 0) await yieldLoop();
  }
  const ms = now() - t0;
  c = process.cpuUsage(c0);
  const storeUs = (c.user + c.system) / n - buildUs;
  row('append path, writes discarded: wall clock', n, bytes, ms, 'encode + CRC + consume queue + index + result');
  row('append path, writes discarded: per core of CPU time', Math.round(1e6 / storeUs), 0, 1000, `${storeUs.toFixed(2)} µs CPU per put (process.cpuUsage, all threads incl. GC; message construction subtracted) — independent of machine load`);
  await store.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
}

async function randomReads(store) {
  const maxOffset = store.getMaxOffsetInQueue('BenchTopic', 0);
  let n = 0;
  let bytes = 0;
  const t0 = now();
  while (now() - t0 < 3000) {
    for (let i = 0; i < 1000; i++) {
      const q = (Math.random() * QUEUES) | 0;
      const off = (Math.random() * maxOffset) | 0;
      const r = await store.getMessage('bench', 'BenchTopic', q, off, 1);
      n += r.msgCount;
      bytes += r.bufferTotalSize;
    }
  }
  row('random reads by (queue, offset), 1 msg per getMessage', n, bytes, now() - t0, 'page cache warm');
  n = 0;
  bytes = 0;
  const t1 = now();
  while (now() - t1 < 3000) {
    for (let i = 0; i < 100; i++) {
      const q = (Math.random() * QUEUES) | 0;
      const off = (Math.random() * (maxOffset - 32)) | 0;
      const r = await store.getMessage('bench', 'BenchTopic', q, off, 32);
      n += r.msgCount;
      bytes += r.bufferTotalSize;
    }
  }
  row('random reads, batches of 32 from a random (queue, offset)', n, bytes, now() - t1, 'page cache warm');
}

async function recovery(store, dir, bytes) {
  await store.shutdown();
  let t0 = now();
  let s = new FileMessageStore(storeConfig(dir, 'ASYNC_FLUSH'));
  await s.start();
  const clean = now() - t0;
  await s.shutdown();
  // Worst case: crashed, consume queues and index gone, no checkpoint: rebuild everything from the commit log.
  fs.rmSync(path.join(dir, 'consumequeue'), { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'index'), { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'checkpoint'), { force: true });
  fs.writeFileSync(path.join(dir, 'abort'), '');
  t0 = now();
  s = new FileMessageStore(storeConfig(dir, 'ASYNC_FLUSH'));
  await s.start();
  const rebuild = now() - t0;
  const gib = bytes / 2 ** 30;
  row(`recovery after clean shutdown (${fmt(gib, 2)} GiB commitlog)`, 0, bytes, clean, `${fmt(clean)} ms total, validates the last 3 segments`);
  row(`crash recovery, full rebuild of consume queues + index`, s.recoveryReport.redispatched, bytes, rebuild, `${fmt(rebuild)} ms for ${fmt(gib, 2)} GiB = ${fmt(rebuild / gib)} ms/GiB (CRC-checked, page cache warm)`);
  await s.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
}

async function syncFlush(writers, seconds) {
  const dir = path.join(root, `sync-${writers}`);
  const store = new FileMessageStore(storeConfig(dir, 'SYNC_FLUSH'));
  await store.start();
  let n = 0;
  let bytes = 0;
  let timeouts = 0;
  const t0 = now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (now() < deadline) {
        const r = await store.putMessage(msg(w % QUEUES));
        if (r.status !== 'PUT_OK') timeouts++;
        n++;
        bytes += r.appendResult?.wroteBytes ?? 0;
      }
    }),
  );
  const r = row(`SYNC_FLUSH, ${writers} concurrent writer${writers > 1 ? 's' : ''}`, n, bytes, now() - t0, timeouts ? `${timeouts} not PUT_OK` : '');
  await store.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
  return r;
}

// ------------------------------------------------------------------ run
process.stdout.write(`store benchmark in ${root} (node ${process.version}, ${os.cpus().length} CPUs)\n`);
try {
  const seq = rawSequentialWrite();
  const raw = rawSyncRates();
  await appendCpuOnly();
  const a = await asyncAppends();
  await randomReads(a.store);
  await recovery(a.store, a.dir, a.bytes);
  const s1 = await syncFlush(1, 3);
  const s16 = await syncFlush(16, 3);
  const s256 = await syncFlush(256, 4);
  process.stdout.write('\n| Measurement | msg/s | MB/s | Notes |\n|---|---:|---:|---|\n');
  for (const r of rows) {
    process.stdout.write(`| ${r.name} | ${r.msgPerSec ? fmt(r.msgPerSec) : ''} | ${r.mbPerSec ? fmt(r.mbPerSec, 1) : ''} | ${r.extra} |\n`);
  }
  process.stdout.write(`\nasync appends = ${fmt((a.row.mbPerSec / seq.mbPerSec) * 100)}% of raw sequential write bandwidth (incl. fdatasync)\n`);
  process.stdout.write(`SYNC_FLUSH 256 writers = ${fmt((s256.msgPerSec / raw.group.msgPerSec) * 100)}% of the raw 64-per-fdatasync group-commit rate\n`);
  process.stdout.write(`SYNC_FLUSH 1 writer = ${fmt((s1.msgPerSec / raw.single.msgPerSec) * 100)}% of raw single write+fdatasync; 16 writers ${fmt(s16.msgPerSec)} msg/s\n`);
  for (const n of notes) process.stdout.write(`${n}\n`);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
