import * as hdr from 'hdr-histogram-js';
import type { LatencyBucket, LatencySummary } from './types';

/**
 * Latency histograms: HDR (High Dynamic Range) histograms in microseconds, 1 µs to 1 hour, three
 * significant digits — every recorded value is kept within 0.1 %, whatever its magnitude. They
 * cross threads and land in run files as hdr-histogram-js's compressed base64 (the HdrHistogram
 * V2 encoding, readable by the Java/Go/Rust implementations too) and merge losslessly.
 */
export type LatencyHistogram = hdr.Histogram;

const HIGHEST_US = 3_600_000_000;

export function createHistogram(): LatencyHistogram {
  // The pure-JS build: the WebAssembly one needs an async init and gains nothing at our rates.
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, bitBucketSize: 32, useWebAssembly: false });
}

/** Records one latency given in microseconds (clamped to the histogram's range). */
export function recordMicros(h: LatencyHistogram, us: number): void {
  h.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(us))));
}

export function encodeHistogram(h: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): LatencyHistogram {
  const h = hdr.decodeFromCompressedBase64(encoded, 32, false);
  // Decoded histograms take the encoded range; make them addable to ours whatever was recorded.
  return h;
}

/** Adds `from` into `into` (both in µs). */
export function mergeInto(into: LatencyHistogram, from: LatencyHistogram): void {
  into.add(from);
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** Percentile p (0–100) in ms, or null when empty. */
export function percentileMs(h: LatencyHistogram, p: number): number | null {
  return h.totalCount === 0 ? null : round3(h.getValueAtPercentile(p) / 1000);
}

export function summarizeLatency(h: LatencyHistogram): LatencySummary {
  if (h.totalCount === 0) return { mean: 0, min: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
  const ms = (us: number): number => round3(us / 1000);
  return {
    mean: ms(h.mean),
    min: ms(h.minNonZeroValue),
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
  };
}

/**
 * A chart-sized view of the distribution: at most `count` buckets on a log scale between the
 * smallest and largest value (a latency distribution spans orders of magnitude).
 */
export function latencyBuckets(h: LatencyHistogram, count = 40): LatencyBucket[] {
  if (h.totalCount === 0) return [];
  const lo = Math.max(1, h.minNonZeroValue);
  const hi = Math.max(lo + 1, h.maxValue);
  const edges: number[] = [];
  for (let i = 1; i <= count; i++) edges.push(Math.ceil(lo * Math.pow(hi / lo, i / count)));
  const counts = new Array<number>(edges.length).fill(0);
  const it = (h as hdr.JsHistogram).recordedValuesIterator;
  it.reset();
  let b = 0;
  while (it.hasNext()) {
    const v = it.next();
    while (b < edges.length - 1 && v.valueIteratedTo > edges[b]) b++;
    counts[b] += v.countAtValueIteratedTo;
  }
  return edges.map((e, i) => ({ leMs: round3(e / 1000), count: counts[i] })).filter((x, i, all) => x.count > 0 || i === all.length - 1);
}
