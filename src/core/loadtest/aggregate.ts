import { createHistogram, decodeHistogram, encodeHistogram, latencyBuckets, mergeInto, percentileMs, summarizeLatency, type LatencyHistogram } from './histogram';
import { emptyErrors, type OutcomeCounts, type WindowCounts, type WindowMessage } from './protocol';
import type { ErrorCounts, LoadTestResult, RequestBreakdown, RequestStats, ScenarioRequest, TickWindow } from './types';

/**
 * The reducer of a run: recorded windows in, measurements out. Pure over plain data (encoded
 * histograms and counters), so windows from several workers — or several machines — merge the
 * same way: `aggregate(windows)` equals feeding them one by one to a RunAccumulator.
 */

type Totals = OutcomeCounts<LatencyHistogram>;

function newTotals(): Totals {
  return { hist: createHistogram(), requests: 0, errors: 0, failed: 0, statusCodes: {}, errorsByKind: emptyErrors() };
}

function addCounts(t: Totals, c: Omit<WindowCounts, 'hist'>, hist: LatencyHistogram): void {
  mergeInto(t.hist, hist);
  t.requests += c.requests;
  t.errors += c.errors;
  t.failed += c.failed;
  for (const [code, n] of Object.entries(c.statusCodes)) t.statusCodes[code] = (t.statusCodes[code] ?? 0) + n;
  for (const k of Object.keys(t.errorsByKind) as Array<keyof ErrorCounts>) t.errorsByKind[k] += c.errorsByKind[k];
}

function statsOf(t: Totals): RequestStats {
  return {
    requests: t.requests,
    errors: t.errors,
    statusCodes: { ...t.statusCodes },
    errorsByKind: { ...t.errorsByKind },
    latencyMs: summarizeLatency(t.hist),
    failedRate: t.requests === 0 ? 0 : round6(t.failed / t.requests),
  };
}

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;
const round1 = (n: number): number => Math.round(n * 10) / 10;

/** Accumulates a run's windows; gives the live tick and the cumulative measurements at any time. */
export class RunAccumulator {
  private readonly all = newTotals();
  private readonly byName = new Map<string, Totals>();
  private dropped = 0;
  private durationMs = 0;
  readonly timeline: TickWindow[] = [];

  constructor(private readonly requests: Array<Pick<ScenarioRequest, 'name' | 'method' | 'path'>>) {
    for (const r of requests) this.byName.set(r.name, newTotals());
  }

  /**
   * Adds one second of load — one window, or the windows several engine threads recorded for the
   * same second — and returns it as a tick (per-window summaries). The threads' windows are
   * summed; the window lasted as long as the longest of them.
   */
  add(windowOrParts: WindowMessage | readonly WindowMessage[]): TickWindow {
    const parts = Array.isArray(windowOrParts) ? (windowOrParts as readonly WindowMessage[]) : [windowOrParts as WindowMessage];
    if (parts.length === 0) throw new Error('RunAccumulator.add: no window');
    const windowAll = newTotals();
    const windowByName = new Map<string, Totals>();
    let dropped = 0;
    let inFlight = 0;
    let target = 0;
    let durationMs = 0;
    for (const w of parts) {
      for (const [name, counts] of Object.entries(w.byRequest)) {
        const hist = decodeHistogram(counts.hist);
        let windowOne = windowByName.get(name);
        if (!windowOne) windowByName.set(name, (windowOne = newTotals()));
        addCounts(windowOne, counts, hist);
        addCounts(windowAll, counts, hist);
        let totals = this.byName.get(name);
        if (!totals) this.byName.set(name, (totals = newTotals()));
        addCounts(totals, counts, hist);
      }
      dropped += w.dropped;
      inFlight += w.inFlight;
      target += w.target;
      durationMs = Math.max(durationMs, w.durationMs);
    }
    const byRequest: Record<string, RequestStats> = {};
    for (const [name, t] of windowByName) byRequest[name] = statsOf(t);
    addCounts(this.all, { requests: windowAll.requests, errors: windowAll.errors, failed: windowAll.failed, statusCodes: windowAll.statusCodes, errorsByKind: windowAll.errorsByKind }, windowAll.hist);
    this.dropped += dropped;
    this.durationMs += durationMs;
    const tick: TickWindow = {
      second: parts[0].second,
      ...statsOf(windowAll),
      perSecond: durationMs > 0 ? round1((windowAll.requests * 1000) / durationMs) : 0,
      dropped,
      inFlight,
      target,
      byRequest,
    };
    this.timeline.push(tick);
    return tick;
  }

  get totals(): { requests: number; errors: number; dropped: number; p95Ms: number; durationSec: number } {
    return { requests: this.all.requests, errors: this.all.errors, dropped: this.dropped, p95Ms: percentileMs(this.all.hist, 95) ?? 0, durationSec: this.durationMs / 1000 };
  }

  /** Percentile (ms) over the whole run so far, for one request or all. */
  percentile(p: number, requestName?: string): number | null {
    const t = requestName === undefined ? this.all : this.byName.get(requestName);
    return t ? percentileMs(t.hist, p) : null;
  }

  /** Summary and per-request breakdown so far (cheap: no histogram encoding), e.g. for thresholds every second. */
  current(): Pick<LoadTestResult, 'summary' | 'byRequest'> {
    const durationSec = this.durationMs / 1000;
    const all = statsOf(this.all);
    const perSecond = (n: number): number => (durationSec > 0 ? round1(n / durationSec) : 0);
    const known = new Set(this.requests.map((r) => r.name));
    const byRequest: RequestBreakdown[] = [
      ...this.requests.map((r) => ({ name: r.name, method: r.method, path: r.path, ...statsOf(this.byName.get(r.name) ?? newTotals()), perSecond: perSecond(this.byName.get(r.name)?.requests ?? 0) })),
      ...[...this.byName.entries()].filter(([n]) => !known.has(n)).map(([name, t]) => ({ name, method: 'GET' as const, path: '', ...statsOf(t), perSecond: perSecond(t.requests) })),
    ];
    return {
      summary: {
        durationSec: Math.round(durationSec * 1000) / 1000,
        requests: { total: all.requests, perSecond: perSecond(all.requests) },
        latencyMs: all.latencyMs,
        statusCodes: all.statusCodes,
        errors: all.errors,
        timeouts: all.errorsByKind.timeout,
        errorsByKind: all.errorsByKind,
        failedRate: all.failedRate,
        dropped: this.dropped,
      },
      byRequest,
    };
  }

  /** The measurement part of a result (everything but identity, thresholds and verdict). */
  measurements(): Pick<LoadTestResult, 'summary' | 'byRequest' | 'timeline' | 'latencyBuckets' | 'histograms'> {
    const histByRequest: Record<string, string> = {};
    for (const [name, t] of this.byName) histByRequest[name] = encodeHistogram(t.hist);
    return {
      ...this.current(),
      timeline: [...this.timeline],
      latencyBuckets: latencyBuckets(this.all.hist),
      histograms: { all: encodeHistogram(this.all.hist), byRequest: histByRequest },
    };
  }
}

/** Pure: recorded windows (from any number of engine threads; those of the same second are one tick) → measurements. */
export function aggregate(requests: Array<Pick<ScenarioRequest, 'name' | 'method' | 'path'>>, windows: WindowMessage[]): ReturnType<RunAccumulator['measurements']> {
  const acc = new RunAccumulator(requests);
  const bySecond = new Map<number, WindowMessage[]>();
  for (const w of windows) {
    const parts = bySecond.get(w.second);
    if (parts) parts.push(w);
    else bySecond.set(w.second, [w]);
  }
  for (const second of [...bySecond.keys()].sort((a, b) => a - b)) acc.add(bySecond.get(second)!);
  return acc.measurements();
}
