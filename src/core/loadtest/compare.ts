import type { ComparedMetric, LoadTestResult, MetricDelta, RequestStats, RunComparison, TickWindow } from './types';

/**
 * How a change is told from noise. Two conditions, both required:
 *  1. it is large enough to matter: at least 5 % and, for latencies, at least 1 ms (for the failed
 *     rate, at least 0.5 percentage points);
 *  2. it is larger than the run-to-run scatter: the per-second windows of the two runs (each
 *     second's p95, mean, throughput…) differ by a two-sided Mann–Whitney U test at p < 0.01 —
 *     rank-based, so one slow second (a GC pause, a noisy neighbour) cannot carry the verdict.
 * With fewer than 5 windows in either run there is no scatter to measure: only a change of 25 %
 * or more counts, and the verdict is `inconclusive` when nothing reaches that.
 */
export const COMPARISON_METHOD =
  'a change counts when it is ≥ 5 % (latency: and ≥ 1 ms; failed rate: ≥ 0.5 points) and the per-second windows of the two runs differ by a two-sided Mann–Whitney U test at p < 0.01; with fewer than 5 one-second windows per run, only changes ≥ 25 % count';

const MIN_WINDOWS = 5;
const ALPHA = 0.01;
const MIN_REL = 0.05;
const SHORT_RUN_REL = 0.25;

const LATENCY: ComparedMetric[] = ['p50', 'p95', 'p99', 'mean'];

function metricOf(stats: Pick<RequestStats, 'latencyMs' | 'failedRate'> & { perSecond?: number }, m: ComparedMetric): number {
  if (m === 'perSecond') return stats.perSecond ?? 0;
  if (m === 'failedRate') return stats.failedRate;
  return stats.latencyMs[m];
}

function windowSeries(timeline: TickWindow[], m: ComparedMetric, requestName?: string): number[] {
  const out: number[] = [];
  // The last window is usually partial: its rate would read low.
  const full = timeline.length > 1 ? timeline.slice(0, -1) : timeline;
  for (const w of full) {
    if (requestName === undefined) {
      if (LATENCY.includes(m) && w.requests - w.errors === 0) continue;
      out.push(metricOf(w, m));
    } else {
      const r = w.byRequest[requestName];
      if (!r || (LATENCY.includes(m) && r.requests - r.errors === 0)) continue;
      out.push(m === 'perSecond' ? r.requests : metricOf(r, m));
    }
  }
  return out;
}

/** Two-sided p-value of the Mann–Whitney U test (normal approximation with tie correction). */
export function mannWhitneyP(a: number[], b: number[]): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return 1;
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = rank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  let r1 = 0;
  all.forEach((x, i) => {
    if (x.g === 0) r1 += ranks[i];
  });
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const mu = (n1 * n2) / 2;
  const n = n1 + n2;
  const sigma2 = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (sigma2 <= 0) return 1;
  const z = (Math.abs(u1 - mu) - 0.5) / Math.sqrt(sigma2);
  return Math.min(1, 2 * (1 - normalCdf(Math.max(0, z))));
}

function normalCdf(z: number): number {
  // Abramowitz & Stegun 26.2.17 (error < 7.5e-8).
  const t = 1 / (1 + 0.2316419 * z);
  const d = 0.3989422804014327 * Math.exp((-z * z) / 2);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return 1 - p;
}

function deltaOf(metric: ComparedMetric, base: number, cur: number, baseSeries: number[], curSeries: number[], requestName?: string): MetricDelta {
  const delta = cur - base;
  const deltaPct = base === 0 ? null : delta / base;
  const higherIsWorse = metric !== 'perSecond';
  const rel = deltaPct === null ? (delta === 0 ? 0 : Infinity) : Math.abs(deltaPct);
  const absOk = LATENCY.includes(metric) ? Math.abs(delta) >= 1 : metric === 'failedRate' ? Math.abs(delta) >= 0.005 : true;
  const enough = baseSeries.length >= MIN_WINDOWS && curSeries.length >= MIN_WINDOWS;
  const pValue = enough ? mannWhitneyP(baseSeries, curSeries) : undefined;
  const significant = absOk && (enough ? rel >= MIN_REL && (pValue as number) < ALPHA : rel >= SHORT_RUN_REL);
  const direction: MetricDelta['direction'] = delta === 0 || !significant ? 'same' : (delta > 0) === higherIsWorse ? 'worse' : 'better';
  const r = (n: number): number => Math.round(n * 1000) / 1000;
  return { metric, ...(requestName !== undefined ? { requestName } : {}), baseline: r(base), current: r(cur), delta: r(delta), deltaPct: deltaPct === null ? null : Math.round(deltaPct * 10000) / 10000, direction, significant, ...(pValue !== undefined ? { pValue: Math.round(pValue * 1e6) / 1e6 } : {}) };
}

const METRICS: ComparedMetric[] = ['p50', 'p95', 'p99', 'mean', 'perSecond', 'failedRate'];

/** Compares a run with a baseline: per-metric deltas and a noise-aware verdict (pure). */
export function compareRuns(baseline: LoadTestResult, current: LoadTestResult): RunComparison {
  const metrics: MetricDelta[] = [];
  const overall = (r: LoadTestResult): Pick<RequestStats, 'latencyMs' | 'failedRate'> & { perSecond: number } => ({ latencyMs: r.summary.latencyMs, failedRate: r.summary.failedRate, perSecond: r.summary.requests.perSecond });
  for (const m of METRICS) metrics.push(deltaOf(m, metricOf(overall(baseline), m), metricOf(overall(current), m), windowSeries(baseline.timeline, m), windowSeries(current.timeline, m)));
  for (const cur of current.byRequest) {
    const base = baseline.byRequest.find((b) => b.name === cur.name);
    if (!base) continue;
    for (const m of METRICS) metrics.push(deltaOf(m, metricOf(base, m), metricOf(cur, m), windowSeries(baseline.timeline, m, cur.name), windowSeries(current.timeline, m, cur.name), cur.name));
  }
  const fmt = (d: MetricDelta): string => {
    const what = `${d.requestName !== undefined ? `${d.requestName} ` : ''}${d.metric}`;
    const unit = LATENCY.includes(d.metric) ? ' ms' : d.metric === 'perSecond' ? ' req/s' : '';
    const pct = d.deltaPct === null ? '' : ` (${d.deltaPct > 0 ? '+' : ''}${(d.deltaPct * 100).toFixed(1)} %)`;
    return `${what} ${d.direction}: ${d.baseline}${unit} → ${d.current}${unit}${pct}${d.pValue !== undefined ? `, p=${d.pValue.toPrecision(2)}` : ''}`;
  };
  const worse = metrics.filter((d) => d.direction === 'worse').sort((a, b) => Math.abs(b.deltaPct ?? 1) - Math.abs(a.deltaPct ?? 1));
  const better = metrics.filter((d) => d.direction === 'better').sort((a, b) => Math.abs(b.deltaPct ?? 1) - Math.abs(a.deltaPct ?? 1));
  const short = baseline.timeline.length - 1 < MIN_WINDOWS || current.timeline.length - 1 < MIN_WINDOWS;
  const verdict: RunComparison['verdict'] = worse.length > 0 ? 'regression' : better.length > 0 ? 'improvement' : short ? 'inconclusive' : 'no-change';
  return { baselineId: baseline.runId, currentId: current.runId, verdict, reasons: [...worse, ...better].map(fmt), metrics, method: COMPARISON_METHOD };
}
