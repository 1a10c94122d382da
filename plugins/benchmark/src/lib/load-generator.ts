import type { LoadStats, StatsDelta } from './load-stats.js';
import { splitEvenly, startProduceLoad, type ProduceLoadConfig, type ProduceLoadHandle } from './produce-load.js';

export type WorkerMessage =
  | { type: 'started' }
  | { type: 'delta'; delta: StatsDelta }
  | { type: 'done'; delta: StatsDelta; histogram: string }
  | { type: 'error'; message: string };

/** Splits one run's load over `workers` threads: lanes, producers, rate and count each get their share. */
export function workerShares(config: ProduceLoadConfig, workers: number): ProduceLoadConfig[] {
  const concurrency = splitEvenly(config.concurrency, workers);
  const producers = splitEvenly(config.producers, workers);
  const counts = config.count !== undefined ? splitEvenly(config.count, workers) : undefined;
  return Array.from({ length: workers }, (_, i) => ({
    ...config,
    instancePrefix: `${config.instancePrefix}-w${i}`,
    concurrency: Math.max(1, concurrency[i]!),
    producers: Math.max(1, producers[i]!),
    rate: config.rate > 0 ? config.rate / workers : 0,
    ...(counts !== undefined ? { count: counts[i]! } : {}),
  }));
}

/**
 * Runs the produce load in this thread (`workers` 0) or in worker threads whose counts flow into `stats`
 * as they come, so the live line and the report see one generator either way.
 */
export async function startLoadGenerator(config: ProduceLoadConfig, workers: number, stats: LoadStats): Promise<ProduceLoadHandle> {
  if (workers <= 0) return startProduceLoad(config, stats);
  const { Worker } = await import('node:worker_threads');
  const url = new URL('./produce-worker.js', import.meta.url);
  const threads = workerShares(config, workers).map((share) => new Worker(url, { workerData: share }));
  const started: Promise<void>[] = [];
  const finished = threads.map(
    (w) =>
      new Promise<void>((resolve, reject) => {
        started.push(
          new Promise<void>((up, failed) => {
            w.once('message', (m: WorkerMessage) => (m.type === 'error' ? failed(new Error(`benchmark worker failed: ${m.message}`)) : up()));
            w.once('error', failed);
          }),
        );
        w.on('message', (m: WorkerMessage) => {
          if (m.type === 'delta') stats.absorb(m.delta);
          else if (m.type === 'done') {
            stats.absorb(m.delta);
            stats.histogram.merge(m.histogram);
            resolve();
          } else if (m.type === 'error') reject(new Error(`benchmark worker failed: ${m.message}`));
        });
        w.on('error', reject);
        w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`benchmark worker exited with code ${code}`))));
      }),
  );
  // Loading the client and starting producers costs each thread a second or more of CPU: not part of the run.
  await Promise.all(started);
  return {
    done: Promise.all(finished).then(() => undefined),
    stop: () => {
      for (const w of threads) w.postMessage({ type: 'stop' });
    },
  };
}
