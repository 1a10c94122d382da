// Entry of one `--workers` thread: its own producers and lanes; counts go to the main thread every
// FLUSH_MILLIS and the latency histogram once, encoded, at the end.
import { parentPort, workerData } from 'node:worker_threads';
import { loadHdr } from './histogram.js';
import { LoadStats } from './load-stats.js';
import { startProduceLoad, type ProduceLoadConfig } from './produce-load.js';
import type { WorkerMessage } from './load-generator.js';

const FLUSH_MILLIS = 200;

async function main(): Promise<void> {
  const port = parentPort!;
  await loadHdr();
  const stats = new LoadStats();
  const post = (m: WorkerMessage): void => port.postMessage(m);
  const handle = await startProduceLoad(workerData as ProduceLoadConfig, stats);
  port.on('message', (m: { type: string }) => {
    if (m.type === 'stop') handle.stop();
  });
  post({ type: 'started' });
  const flush = setInterval(() => post({ type: 'delta', delta: stats.take() }), FLUSH_MILLIS);
  try {
    await handle.done;
  } finally {
    clearInterval(flush);
  }
  post({ type: 'done', delta: stats.take(), histogram: stats.histogram.encode() });
  port.close();
}

main().catch((err: unknown) => {
  parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies WorkerMessage);
});
