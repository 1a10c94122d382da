import type { Histogram } from 'hdr-histogram-js';

/** Latencies are recorded in microseconds, up to one hour, with 3 significant digits. */
export const HISTOGRAM_OPTIONS = { lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 } as const;

export interface LatencySummary {
  /** Milliseconds. */
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

type HdrModule = typeof import('hdr-histogram-js');
let hdr: HdrModule | undefined;

/** hdr-histogram-js is loaded on first use so that `rockit --help` does not pay for it. */
export async function loadHdr(): Promise<HdrModule> {
  if (hdr === undefined) {
    const mod = (await import('hdr-histogram-js')) as HdrModule & { default?: HdrModule };
    hdr = mod.default ?? mod;
  }
  return hdr;
}

function hdrSync(): HdrModule {
  if (hdr === undefined) throw new Error('loadHdr() must be awaited before building histograms');
  return hdr;
}

/** An HDR histogram of latencies in µs; mergeable across worker threads through its compressed encoding. */
export class LatencyHistogram {
  readonly hdr: Histogram;

  constructor() {
    this.hdr = hdrSync().build(HISTOGRAM_OPTIONS);
  }

  record(micros: number): void {
    const v = Math.round(micros);
    this.hdr.recordValue(v < 1 ? 1 : v > HISTOGRAM_OPTIONS.highestTrackableValue ? HISTOGRAM_OPTIONS.highestTrackableValue : v);
  }

  get count(): number {
    return this.hdr.totalCount;
  }

  reset(): void {
    this.hdr.reset();
  }

  encode(): string {
    return hdrSync().encodeIntoCompressedBase64(this.hdr);
  }

  merge(encoded: string): void {
    const other = hdrSync().decodeFromCompressedBase64(encoded);
    this.hdr.add(other);
    other.destroy();
  }

  summary(): LatencySummary {
    const h = this.hdr;
    const ms = (us: number): number => Math.round(us) / 1000;
    // HDR reports a percentile as the highest value of its bucket, which can lie above the largest value recorded.
    const at = (percentile: number): number => ms(Math.min(h.getValueAtPercentile(percentile), h.maxValue));
    if (h.totalCount === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    return {
      count: h.totalCount,
      min: ms(h.minNonZeroValue),
      mean: ms(h.mean),
      p50: at(50),
      p90: at(90),
      p99: at(99),
      p999: at(99.9),
      max: ms(h.maxValue),
    };
  }
}
