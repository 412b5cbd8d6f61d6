// What the results panel is sent, computed from the engine's events, results and comparisons.
// Pure (no `vscode` import): the unit tests check exactly these objects.
import { parseThreshold } from '../../core/loadtest/thresholds';
import type {
  LatencyBucket, LoadModel, LoadTestResult, RunComparison, RunRecord, StartEvent, ThresholdVerdict, TickEvent, TickWindow,
} from '../../core/loadtest/types';
import type {
  BaselineView, DeltaRowView, FindingLinkView, HistogramBinView, LiveSample, PanelState, RequestRowView, RunHeaderView, ThresholdView,
} from '../../webview/loadtest/protocol';

export function describeLoad(model: LoadModel): string {
  if (model.kind === 'closed') return `${model.connections} connection${model.connections === 1 ? '' : 's'}${model.rampUpSec ? `, ramp-up ${model.rampUpSec}s` : ''}`;
  if (model.stages.length) return `arrival rate ${model.rate} → ${model.stages.map((s) => s.target).join(' → ')} req/s`;
  return `${model.rate} req/s (arrival rate)`;
}

export function headerFromStart(e: StartEvent): RunHeaderView {
  return {
    runId: e.runId,
    scenario: e.scenario.name,
    target: e.target,
    engine: e.engine,
    startedAt: e.startedAt,
    plannedSec: e.plannedDurationSec,
    load: describeLoad(e.scenario.model),
  };
}

/** A new run: the header, nothing measured yet. */
export function runningState(e: StartEvent, findings: FindingLinkView[] = []): PanelState {
  return { phase: 'running', header: headerFromStart(e), samples: [], statusCodes: {}, errors: {}, thresholds: [], histogram: [], requests: [], findings };
}

/** Latency percentiles are only meaningful over windows that got responses. */
function windowSample(w: TickWindow): LiveSample {
  const responses = Object.values(w.statusCodes).reduce((a, b) => a + b, 0);
  const l = responses > 0 ? w.latencyMs : undefined;
  return {
    t: w.second,
    requestsPerSec: w.perSecond,
    p50: l ? round(l.p50) : null,
    p95: l ? round(l.p95) : null,
    p99: l ? round(l.p99) : null,
    errors: w.errors + Object.entries(w.statusCodes).filter(([c]) => Number(c) >= 400).reduce((a, [, n]) => a + n, 0),
  };
}

/** Running totals of status codes and errors across windows. */
export interface LiveTotals {
  statusCodes: Record<string, number>;
  errors: Record<string, number>;
}

export function emptyTotals(): LiveTotals {
  return { statusCodes: {}, errors: {} };
}

/** The tick message for the panel; `totals` is updated in place with this window. */
export function tickMessage(e: TickEvent, totals: LiveTotals): { type: 'tick'; sample: LiveSample; statusCodes: Record<string, number>; errors: Record<string, number> } {
  for (const [code, n] of Object.entries(e.window.statusCodes)) totals.statusCodes[code] = (totals.statusCodes[code] ?? 0) + n;
  for (const [kind, n] of Object.entries(e.window.errorsByKind)) if (n > 0) totals.errors[kind] = (totals.errors[kind] ?? 0) + n;
  return { type: 'tick', sample: windowSample(e.window), statusCodes: { ...totals.statusCodes }, errors: { ...totals.errors } };
}

export function thresholdView(v: ThresholdVerdict): ThresholdView {
  const unit = v.metric.startsWith('http_req_failed') ? 'rate' : 'ms';
  const parsed = parseThreshold(v.expression, v.metric.replace(/\{.*$/, ''));
  const label = v.requestName ? `${v.expression} on ${v.requestName}` : v.expression;
  return { expression: label, metric: v.metric, actual: v.actual === null ? null : round(v.actual), limit: typeof parsed === 'string' ? null : parsed.value, unit, ok: v.ok };
}

/**
 * The engine's buckets are cumulative-bounded (count of requests ≤ leMs above the previous bound).
 * Empty buckets at either end are trimmed so the bars fill the chart; empty ones in between stay.
 */
export function histogramBins(buckets: readonly LatencyBucket[]): HistogramBinView[] {
  const bins = buckets.map((b, i) => ({ fromMs: i === 0 ? 0 : buckets[i - 1].leMs, toMs: b.leMs, count: b.count }));
  let start = 0;
  let end = bins.length;
  while (start < end && bins[start].count === 0) start++;
  while (end > start && bins[end - 1].count === 0) end--;
  return bins.slice(start, end);
}

/**
 * Findings whose route matches a request's path (method + path with the query string dropped and
 * `:param` segments matching anything).
 */
export interface RouteFinding extends FindingLinkView {
  method: string;
  route: string;
}

export function routeMatches(route: string, path: string): boolean {
  const clean = (p: string) => p.split('?')[0].replace(/\/+$/, '') || '/';
  const r = clean(route).split('/');
  const p = clean(path).split('/');
  if (r.length !== p.length) return false;
  return r.every((seg, i) => seg === p[i] || /^[:{*]/.test(seg));
}

function findingsFor(method: string, path: string, findings: readonly RouteFinding[]): FindingLinkView[] {
  return findings
    .filter((f) => (f.method === method || f.method === 'ALL') && routeMatches(f.route, path))
    .map(({ ruleId, message, file, line }) => ({ ruleId, message, file, line }));
}

function requestRows(result: LoadTestResult, findings: readonly RouteFinding[]): RequestRowView[] {
  return result.byRequest.map((r) => {
    const responses = Object.values(r.statusCodes).reduce((a, b) => a + b, 0);
    return {
      name: r.name,
      method: r.method,
      path: r.path,
      requests: r.requests,
      requestsPerSec: round(r.perSecond),
      p50: responses ? round(r.latencyMs.p50) : null,
      p95: responses ? round(r.latencyMs.p95) : null,
      p99: responses ? round(r.latencyMs.p99) : null,
      errors: r.errors + Object.entries(r.statusCodes).filter(([c]) => Number(c) >= 400).reduce((a, [, n]) => a + n, 0),
      findings: findingsFor(r.method, r.path, findings),
    };
  });
}

const DELTA_LABELS: Record<string, { label: string; unit: DeltaRowView['unit'] }> = {
  perSecond: { label: 'requests/s', unit: 'req/s' },
  mean: { label: 'mean latency', unit: 'ms' },
  p50: { label: 'p50 latency', unit: 'ms' },
  p95: { label: 'p95 latency', unit: 'ms' },
  p99: { label: 'p99 latency', unit: 'ms' },
  failedRate: { label: 'failed requests', unit: 'rate' },
};

const VERDICT_WORDS: Record<RunComparison['verdict'], string> = {
  regression: 'Regression',
  improvement: 'Improvement',
  'no-change': 'No significant change',
  inconclusive: 'Inconclusive',
};

/** The comparison's whole-run metrics, in a fixed order; per-request deltas stay in the run file. */
export function baselineView(comparison: RunComparison, baselineStartedAt: string): BaselineView {
  const order = Object.keys(DELTA_LABELS);
  const deltas = comparison.metrics
    .filter((m) => m.requestName === undefined && m.metric in DELTA_LABELS)
    .sort((a, b) => order.indexOf(a.metric) - order.indexOf(b.metric))
    .map((m): DeltaRowView => ({
      ...DELTA_LABELS[m.metric],
      baseline: round(m.baseline),
      current: round(m.current),
      change: m.deltaPct,
      // Only a change larger than the noise is called better or worse.
      verdict: m.significant ? m.direction : 'same',
    }));
  return { runId: comparison.baselineId, startedAt: baselineStartedAt, verdict: VERDICT_WORDS[comparison.verdict], reasons: comparison.reasons.slice(0, 5), method: comparison.method, deltas };
}

export interface FinishedOptions {
  findings?: readonly RouteFinding[];
  baseline?: { comparison: RunComparison; startedAt: string };
  /** The plan shown in the header when no `start` event was seen (a saved run opened later). */
  plannedSec?: number;
}

/** A finished (or cancelled/aborted) run as the panel shows it. */
export function finishedState(result: LoadTestResult, opts: FinishedOptions = {}): PanelState {
  const s = result.summary;
  const errors: Record<string, number> = {};
  for (const [kind, n] of Object.entries(s.errorsByKind)) if (n > 0) errors[kind] = n;
  const findings = opts.findings ?? [];
  const requests = requestRows(result, findings);
  const inRows = new Set(requests.flatMap((r) => r.findings.map((f) => `${f.file}:${f.line}:${f.ruleId}`)));
  const message =
    result.ended === 'cancelled' ? `Stopped after ${round(s.durationSec)} s; the numbers cover that time.`
      : result.ended === 'aborted' ? `Aborted: the threshold ${result.abortedBy ?? ''} failed (abortOnFail).`.replace('  ', ' ')
        : undefined;
  return {
    phase: result.ended === 'cancelled' ? 'cancelled' : 'done',
    header: {
      runId: result.runId,
      scenario: result.scenario,
      target: result.target,
      engine: result.engine,
      startedAt: result.startedAt,
      plannedSec: opts.plannedSec ?? plannedSeconds(result.model),
      load: describeLoad(result.model),
    },
    samples: result.timeline.map(windowSample),
    statusCodes: { ...s.statusCodes },
    errors,
    summary: {
      durationSec: round(s.durationSec),
      requests: s.requests.total,
      requestsPerSec: round(s.requests.perSecond),
      latency: s.statusCodes && Object.keys(s.statusCodes).length
        ? { mean: round(s.latencyMs.mean), p50: round(s.latencyMs.p50), p90: round(s.latencyMs.p90), p95: round(s.latencyMs.p95), p99: round(s.latencyMs.p99), max: round(s.latencyMs.max) }
        : { mean: null, p50: null, p90: null, p95: null, p99: null, max: null },
      statusCodes: { ...s.statusCodes },
      errors,
      failedRate: s.failedRate,
      dropped: s.dropped || undefined,
    },
    thresholds: result.thresholds.map(thresholdView),
    passed: result.thresholds.length ? result.passed : undefined,
    histogram: histogramBins(result.latencyBuckets),
    requests,
    baseline: opts.baseline ? baselineView(opts.baseline.comparison, opts.baseline.startedAt) : undefined,
    findings: findings.filter((f) => !inRows.has(`${f.file}:${f.line}:${f.ruleId}`) && requests.some((r) => routeMatches(f.route, r.path))).map(({ ruleId, message: m, file, line }) => ({ ruleId, message: m, file, line })),
    message,
  };
}

export function failedState(message: string, header?: RunHeaderView): PanelState {
  return { phase: 'failed', header, samples: [], statusCodes: {}, errors: {}, thresholds: [], histogram: [], requests: [], findings: [], message };
}

export function plannedSeconds(model: LoadModel): number {
  return model.kind === 'open' && model.stages.length ? model.stages.reduce((a, s) => a + s.durationSec, 0) : model.durationSec;
}

/** A saved run, opened from the tree or the quick pick. */
export function recordState(record: RunRecord, opts: FinishedOptions = {}): PanelState {
  return finishedState(record.result, { plannedSec: plannedSeconds(record.scenario.model), ...opts });
}

/** Three significant digits are what a chart or a table can show; the rest is noise. */
function round(v: number): number {
  if (!Number.isFinite(v)) return v;
  const a = Math.abs(v);
  const digits = a >= 100 ? 1 : a >= 1 ? 2 : 3;
  return Number(v.toFixed(digits));
}
