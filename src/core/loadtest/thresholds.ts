import type { LoadTestResult, RequestStats, ThresholdMetric, ThresholdSpec, ThresholdVerdict } from './types';

export interface ParsedThreshold {
  aggregation: 'avg' | 'med' | 'min' | 'max' | 'rate' | { percentile: number };
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  value: number;
}

const METRICS: ThresholdMetric[] = ['http_req_duration', 'http_req_failed'];

/** `http_req_duration{name:list}` → metric and request name; a string says what is expected. */
export function splitMetric(key: string): { metric: ThresholdMetric; requestName?: string } | string {
  const m = /^([a-z_]+)(?:\{([^}]*)\})?$/.exec(key.trim());
  if (!m || !METRICS.includes(m[1] as ThresholdMetric)) return `unknown metric "${key}"; expected http_req_duration or http_req_failed, optionally tagged like http_req_duration{name:list}.`;
  if (m[2] === undefined) return { metric: m[1] as ThresholdMetric };
  const tag = /^\s*name\s*:\s*(.+?)\s*$/.exec(m[2]);
  if (!tag) return `unsupported tag "{${m[2]}}"; Shipshape tags requests by name only: http_req_duration{name:<request name>}.`;
  return { metric: m[1] as ThresholdMetric, requestName: tag[1] };
}

/** Parses a k6 threshold expression (`p(95)<200`, `avg<=100`, `rate<0.01`); a string error says what is expected. */
export function parseThreshold(expression: string, metric: string): ParsedThreshold | string {
  const text = expression.replace(/\s+/g, '');
  const m = /^(p\((\d+(?:\.\d+)?)\)|avg|med|min|max|rate)(<=|>=|==|!=|<|>)(-?\d+(?:\.\d+)?(?:e-?\d+)?)$/.exec(text);
  const expected = metric === 'http_req_failed' ? 'rate<0.01' : 'p(95)<200, avg<100, med<50, min<5 or max<1000 (milliseconds)';
  if (!m) return `"${expression}" is not a threshold expression; expected something like ${expected}.`;
  const op = m[3] as ParsedThreshold['op'];
  const value = Number(m[4]);
  if (metric === 'http_req_failed') {
    if (m[1] !== 'rate') return `"${expression}": http_req_failed takes a rate (share of failed requests, 0 to 1), e.g. rate<0.01.`;
    return { aggregation: 'rate', op, value };
  }
  if (m[1] === 'rate') return `"${expression}": http_req_duration takes p(N), avg, med, min or max in milliseconds, e.g. p(95)<200; rate belongs to http_req_failed.`;
  if (m[2] !== undefined) {
    const percentile = Number(m[2]);
    if (!(percentile > 0 && percentile <= 100)) return `"${expression}": the percentile must be between 0 and 100, e.g. p(95).`;
    return { aggregation: { percentile }, op, value };
  }
  return { aggregation: m[1] as 'avg' | 'med' | 'min' | 'max', op, value };
}

/**
 * The value a threshold reads. Percentiles other than the summary's come from `percentile`, a
 * lookup into the full histogram (supplied by the caller so this stays pure over plain data).
 */
export function thresholdActual(parsed: ParsedThreshold, stats: RequestStats, percentile: (p: number) => number | null): number | null {
  if (parsed.aggregation === 'rate') return stats.requests === 0 ? null : stats.failedRate;
  // No response at all (k6's summary may carry latency without per-request counts: trust latency then).
  if (stats.requests - stats.errors === 0 && stats.latencyMs.max === 0) return null;
  const l = stats.latencyMs;
  if (typeof parsed.aggregation === 'object') {
    const p = parsed.aggregation.percentile;
    const known: Record<number, number> = { 50: l.p50, 90: l.p90, 95: l.p95, 99: l.p99, 100: l.max };
    return known[p] ?? percentile(p);
  }
  return { avg: l.mean, med: l.p50, min: l.min, max: l.max }[parsed.aggregation];
}

export function compare(actual: number, op: ParsedThreshold['op'], value: number): boolean {
  switch (op) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '==':
      return actual === value;
    case '!=':
      return actual !== value;
  }
}

export function metricLabel(spec: ThresholdSpec): string {
  return spec.requestName === undefined ? spec.metric : `${spec.metric}{name:${spec.requestName}}`;
}

/**
 * Evaluates thresholds over a result's measurements (pure). A threshold with no data (no request
 * of that name completed) fails: a gate that cannot be checked must not pass silently.
 */
export function evaluateThresholds(
  specs: ThresholdSpec[],
  result: Pick<LoadTestResult, 'summary' | 'byRequest'>,
  percentile: (p: number, requestName?: string) => number | null = () => null,
): ThresholdVerdict[] {
  return specs.map((spec) => {
    const parsed = parseThreshold(spec.expression, spec.metric);
    const base = { expression: spec.expression, metric: metricLabel(spec), ...(spec.requestName !== undefined ? { requestName: spec.requestName } : {}), abortOnFail: spec.abortOnFail };
    if (typeof parsed === 'string') return { ...base, actual: null, ok: false };
    const stats: RequestStats | undefined =
      spec.requestName === undefined
        ? { requests: result.summary.requests.total, errors: result.summary.errors, statusCodes: result.summary.statusCodes, errorsByKind: result.summary.errorsByKind, latencyMs: result.summary.latencyMs, failedRate: result.summary.failedRate }
        : result.byRequest.find((r) => r.name === spec.requestName);
    const actual = stats ? thresholdActual(parsed, stats, (p) => percentile(p, spec.requestName)) : null;
    return { ...base, actual: actual === null ? null : round(actual), ok: actual !== null && compare(actual, parsed.op, parsed.value) };
  });
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
