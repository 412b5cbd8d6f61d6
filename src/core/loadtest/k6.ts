import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LoadTestError } from './errors';
import { k6Script } from './export';
import { emptyErrors } from './protocol';
import { evaluateThresholds } from './thresholds';
import type { LatencySummary, LoadTestResult, RequestBreakdown, Scenario } from './types';

/** The trend statistics Shipshape asks k6 to export (k6's default set lacks p(50) and p(99)). */
export const K6_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(50)', 'p(90)', 'p(95)', 'p(99)'];

/** The absolute path of `k6` on PATH, or undefined. */
export function findK6(envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    for (const name of process.platform === 'win32' ? ['k6.exe', 'k6.cmd'] : ['k6']) {
      const file = path.join(dir, name);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

type Trend = Partial<Record<'avg' | 'min' | 'med' | 'max' | 'p(50)' | 'p(90)' | 'p(95)' | 'p(99)', number>>;

/**
 * A metric from either of k6's two JSON summaries: `--summary-export` (values at the top level of
 * the metric, threshold booleans that are `true` when the threshold FAILED — grafana/k6#1498) or
 * the `handleSummary()` data (values under `values`, thresholds as `{ ok }`).
 */
interface K6Metric {
  values?: Record<string, number>;
  thresholds?: Record<string, boolean | { ok: boolean }>;
  [stat: string]: unknown;
}

export interface K6Summary {
  metrics: Record<string, K6Metric>;
  state?: { testRunDurationMs?: number };
}

function valuesOf(m: K6Metric | undefined): Record<string, number> {
  if (!m) return {};
  if (m.values && typeof m.values === 'object') return m.values;
  return Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
}

function latencyOf(v: Trend): LatencySummary {
  const r = (n: number | undefined): number => Math.round((n ?? 0) * 1000) / 1000;
  return { mean: r(v.avg), min: r(v.min), p50: r(v['p(50)'] ?? v.med), p90: r(v['p(90)']), p95: r(v['p(95)']), p99: r(v['p(99)']), max: r(v.max) };
}

/**
 * k6's JSON summary → a Shipshape result (pure). k6 reports no per-status or per-error-kind counts
 * in its summary: statusCodes holds what can be derived (failed vs not), errors by kind stay 0.
 */
export function importK6Summary(summary: K6Summary, scenario: Scenario, meta: { runId: string; startedAt: string; finishedAt: string }): LoadTestResult {
  if (!summary || typeof summary !== 'object' || !summary.metrics || typeof summary.metrics !== 'object') throw new LoadTestError('k6-failed', 'the k6 summary has no `metrics` object; was it written by `k6 run --summary-export` or handleSummary()?');
  const metrics = summary.metrics;
  const reqs = valuesOf(metrics.http_reqs);
  const failed = valuesOf(metrics.http_req_failed);
  const total = reqs.count ?? 0;
  const durationSec = summary.state?.testRunDurationMs !== undefined ? summary.state.testRunDurationMs / 1000 : reqs.rate ? total / reqs.rate : scenario.model.durationSec;
  const failedRate = failed.rate ?? failed.value ?? 0;
  const failedCount = Math.round(failedRate * total);
  const byRequest: RequestBreakdown[] = scenario.requests.map((r) => {
    const d = valuesOf(metrics[`http_req_duration{name:${r.name}}`]);
    const f = valuesOf(metrics[`http_req_failed{name:${r.name}}`]);
    const count = valuesOf(metrics[`http_reqs{name:${r.name}}`]).count ?? d.count ?? 0;
    return { name: r.name, method: r.method, path: r.path, requests: count, errors: 0, statusCodes: {}, errorsByKind: emptyErrors(), latencyMs: latencyOf(d), failedRate: f.rate ?? f.value ?? 0, perSecond: durationSec > 0 ? Math.round((count / durationSec) * 10) / 10 : 0 };
  });
  const summaryOut: LoadTestResult['summary'] = {
    durationSec: Math.round(durationSec * 1000) / 1000,
    requests: { total, perSecond: Math.round((reqs.rate ?? 0) * 10) / 10 },
    latencyMs: latencyOf(valuesOf(metrics.http_req_duration)),
    statusCodes: failedCount > 0 ? { ok: total - failedCount, failed: failedCount } : { ok: total },
    errors: 0,
    timeouts: 0,
    errorsByKind: emptyErrors(),
    failedRate: Math.round(failedRate * 1e6) / 1e6,
    dropped: valuesOf(metrics.dropped_iterations).count ?? 0,
  };
  const thresholds = evaluateThresholds(scenario.thresholds, { summary: summaryOut, byRequest }).map((v) => {
    // k6's own verdict wins where it gave one (it saw every sample, Shipshape sees its summary).
    const t = metrics[v.metric]?.thresholds?.[v.expression];
    if (t === undefined) return v;
    return { ...v, ok: typeof t === 'boolean' ? !t : t.ok };
  });
  return {
    version: 1,
    target: new URL(scenario.baseUrl).href,
    engine: 'k6',
    summary: summaryOut,
    thresholds,
    passed: thresholds.every((t) => t.ok),
    runId: meta.runId,
    scenario: scenario.name,
    model: scenario.model,
    startedAt: meta.startedAt,
    finishedAt: meta.finishedAt,
    ended: 'completed',
    byRequest,
    timeline: [],
    latencyBuckets: [],
    histograms: { all: '', byRequest: {} },
  };
}

/** k6's exit codes that still mean "a summary was written" (errext/exitcodes in k6's sources). */
const K6_THRESHOLDS_FAILED = 99;
const K6_EXTERNAL_ABORT = 105;

/**
 * Runs the scenario with k6 from PATH (the generated script, `--summary-export`), then imports its
 * summary. k6 exits 99 when a threshold fails: that is a result, not an error. Cancel sends SIGINT,
 * on which k6 stops its VUs and still writes the summary of what ran (exit 105): the result then
 * says `ended: 'cancelled'`, like the embedded engine's. A k6 that has not exited 900 ms after the
 * SIGINT is killed, so cancel stays within a second.
 */
export async function runK6(scenario: Scenario, runId: string, opts: { k6?: string; signal?: AbortSignal } = {}): Promise<LoadTestResult> {
  const k6 = opts.k6 ?? findK6();
  if (!k6) throw new LoadTestError('k6-not-found', 'k6 is not on PATH: install it (https://grafana.com/docs/k6/latest/set-up/install-k6/) or use the embedded engine ("engine": "embedded").');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-k6-'));
  try {
    const script = path.join(dir, 'script.js');
    const out = path.join(dir, 'summary.json');
    fs.writeFileSync(script, k6Script(scenario));
    const startedAt = new Date().toISOString();
    let cancelled = false;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(k6, ['run', '--quiet', '--no-color', `--summary-trend-stats=${K6_TREND_STATS.join(',')}`, `--summary-export=${out}`, script], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      const onAbort = (): void => {
        cancelled = true;
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 900).unref();
      };
      if (opts.signal?.aborted) onAbort();
      else opts.signal?.addEventListener('abort', onAbort, { once: true });
      child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
      child.on('error', (err) => reject(new LoadTestError('k6-failed', `k6 could not be started (${err.message}); check that ${k6} is an executable k6 binary.`)));
      child.on('close', (c) => {
        opts.signal?.removeEventListener('abort', onAbort);
        if (c === 0 || c === K6_THRESHOLDS_FAILED || (c === K6_EXTERNAL_ABORT && fs.existsSync(out))) resolve();
        else if (cancelled) reject(new LoadTestError('k6-failed', 'k6 was stopped before it wrote a summary: nothing to report.'));
        else reject(new LoadTestError('k6-failed', `k6 exited with code ${c}: ${stderr.trim().split('\n').pop() ?? ''}`));
      });
    });
    const summary = JSON.parse(fs.readFileSync(out, 'utf8')) as K6Summary;
    const result = importK6Summary(summary, scenario, { runId, startedAt, finishedAt: new Date().toISOString() });
    return cancelled ? { ...result, ended: 'cancelled' } : result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
