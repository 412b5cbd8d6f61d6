import type { LoadTestResult, RunComparison, RunSummary, TickEvent } from '../loadtest/types';
import { renderJUnit } from './junit';

/** `shipshape loadtest --format json`: SPEC's object (plus Shipshape's additions), and the comparison when a baseline was given. */
export function renderLoadTestJSON(result: LoadTestResult, comparison?: RunComparison): string {
  return `${JSON.stringify(comparison ? { ...result, comparison } : result, null, 2)}\n`;
}

function modelLine(r: LoadTestResult): string {
  const m = r.model;
  if (m.kind === 'closed') return `closed model, ${m.connections} connection${m.connections === 1 ? '' : 's'}, ${m.durationSec} s${m.rampUpSec ? ` (ramp-up ${m.rampUpSec} s)` : ''}`;
  return m.stages.length === 0 ? `open model, ${m.rate} req/s for ${m.durationSec} s (at most ${m.connections} in flight)` : `open model, ${m.rate} → ${m.stages.map((s) => s.target).join(' → ')} req/s over ${m.durationSec} s`;
}

const fmtMs = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

/** Human output: what ran, the latency table per request, status codes, errors, threshold verdicts, the baseline delta. */
export function renderLoadTestText(r: LoadTestResult, comparison?: RunComparison, opts: { color?: boolean } = {}): string {
  const c = opts.color ? { green: (s: string) => `\x1b[32m${s}\x1b[39m`, red: (s: string) => `\x1b[31m${s}\x1b[39m`, dim: (s: string) => `\x1b[2m${s}\x1b[22m`, bold: (s: string) => `\x1b[1m${s}\x1b[22m` } : { green: (s: string) => s, red: (s: string) => s, dim: (s: string) => s, bold: (s: string) => s };
  const s = r.summary;
  const out: string[] = [];
  out.push(`${c.bold(`Load test "${r.scenario}"`)} → ${r.target}  ${c.dim(`(${r.engine}, ${modelLine(r)})`)}`);
  if (r.ended !== 'completed') out.push(r.ended === 'cancelled' ? 'Cancelled before the planned end: the numbers cover the part that ran.' : `Aborted: threshold ${r.abortedBy} failed (abortOnFail).`);
  out.push(`${s.requests.total} requests in ${s.durationSec} s (${s.requests.perSecond} req/s), failed ${(s.failedRate * 100).toFixed(2)} %, errors ${s.errors}${s.timeouts ? ` (${s.timeouts} timeouts)` : ''}${s.dropped ? `, dropped starts ${s.dropped}` : ''}`);
  out.push('');
  const rows: string[][] = [['request', 'reqs', 'req/s', 'mean', 'p50', 'p90', 'p95', 'p99', 'max', 'failed']];
  const row = (name: string, n: number, rps: number, l: LoadTestResult['summary']['latencyMs'], failed: number): string[] => [name, String(n), String(rps), fmtMs(l.mean), fmtMs(l.p50), fmtMs(l.p90), fmtMs(l.p95), fmtMs(l.p99), fmtMs(l.max), `${(failed * 100).toFixed(1)} %`];
  if (r.byRequest.length > 1) for (const b of r.byRequest) rows.push(row(b.name, b.requests, b.perSecond, b.latencyMs, b.failedRate));
  rows.push(row(r.byRequest.length > 1 ? 'all' : (r.byRequest[0]?.name ?? 'all'), s.requests.total, s.requests.perSecond, s.latencyMs, s.failedRate));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((x) => x[i].length)));
  out.push(`${rows[0].map((h, i) => (i === 0 ? h.padEnd(widths[i]) : h.padStart(widths[i]))).join('  ')}   ${c.dim('(latency in ms)')}`);
  for (const x of rows.slice(1)) out.push(x.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  '));
  out.push('');
  const codes = Object.entries(s.statusCodes).map(([code, n]) => `${code} × ${n}`);
  out.push(`status codes: ${codes.length ? codes.join(', ') : 'none'}`);
  const kinds = Object.entries(s.errorsByKind).filter(([, n]) => n > 0).map(([k, n]) => `${k} × ${n}`);
  if (kinds.length) out.push(`errors: ${kinds.join(', ')}`);
  if (r.thresholds.length > 0) {
    out.push('');
    out.push('thresholds:');
    for (const t of r.thresholds) out.push(`  ${t.ok ? c.green('✓') : c.red('✗')} ${t.metric} ${t.expression}  ${c.dim(`actual ${t.actual === null ? 'no data' : t.actual}`)}`);
  }
  if (comparison) {
    out.push('');
    out.push(`baseline ${comparison.baselineId}: ${comparison.verdict === 'regression' ? c.red('regression') : comparison.verdict === 'improvement' ? c.green('improvement') : comparison.verdict}`);
    for (const reason of comparison.reasons.slice(0, 10)) out.push(`  ${reason}`);
    if (comparison.reasons.length > 10) out.push(`  … ${comparison.reasons.length - 10} more`);
    out.push(c.dim(`  (${comparison.method})`));
  }
  out.push('');
  const failed = r.thresholds.filter((t) => !t.ok).length;
  out.push(r.passed ? c.green(`passed${r.thresholds.length ? ` (${r.thresholds.length} threshold${r.thresholds.length === 1 ? '' : 's'})` : ''}`) : c.red(`failed: ${failed} of ${r.thresholds.length} threshold${r.thresholds.length === 1 ? '' : 's'}`));
  return `${out.join('\n')}\n`;
}

/** JUnit: one test case per threshold (and one for the baseline comparison), so CI shows each gate. */
export function renderLoadTestJUnit(r: LoadTestResult, comparison?: RunComparison): string {
  const cases = r.thresholds.map((t) => ({
    name: `${t.metric} ${t.expression}`,
    classname: `shipshape.loadtest.${r.scenario}`,
    failures: t.ok ? [] : [{ message: `${t.metric} ${t.expression} failed: actual ${t.actual === null ? 'no data' : t.actual}`, type: 'threshold', body: `scenario ${r.scenario}, target ${r.target}, ${r.summary.requests.total} requests` }],
  }));
  if (cases.length === 0) cases.push({ name: 'run completed', classname: `shipshape.loadtest.${r.scenario}`, failures: r.ended === 'completed' ? [] : [{ message: `run ${r.ended}`, type: 'run', body: r.abortedBy ?? '' }] });
  if (comparison) cases.push({ name: `no regression against ${comparison.baselineId}`, classname: `shipshape.loadtest.${r.scenario}`, failures: comparison.verdict === 'regression' ? [{ message: comparison.reasons[0] ?? 'regression', type: 'regression', body: comparison.reasons.join('\n') }] : [] });
  return renderJUnit([{ name: `loadtest ${r.scenario}`, timeSec: r.summary.durationSec, cases }]);
}

/** The live progress line (one line, rewritten in place on a TTY). */
export function progressLine(e: TickEvent): string {
  const w = e.window;
  return `${String(Math.round(e.elapsedSec)).padStart(4)} s  ${String(Math.round(w.perSecond)).padStart(6)} req/s  p95 ${fmtMs(w.latencyMs.p95).padStart(6)} ms  errors ${e.totals.errors}${e.totals.dropped ? `  dropped ${e.totals.dropped}` : ''}  ${Math.round(e.remainingSec)} s left`;
}

/** `shipshape loadtest --list`: saved runs, newest first, the pinned baseline starred. */
export function renderRunListText(runs: RunSummary[], problems: string[]): string {
  const out: string[] = [];
  if (runs.length === 0) out.push('no saved runs');
  else {
    const rows: string[][] = [['run', 'scenario', 'started', 'result', 'req/s', 'p95 ms', 'requests', 'commit', 'baseline']];
    for (const r of runs) rows.push([r.id, r.scenario, r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), r.passed ? 'passed' : 'failed', String(r.perSecond), fmtMs(r.p95Ms), String(r.requests), r.gitCommit?.slice(0, 7) ?? '', r.baseline ? '★' : '']);
    const numeric = new Set([4, 5, 6]);
    const widths = rows[0].map((_, i) => Math.max(...rows.map((x) => x[i].length)));
    for (const x of rows) out.push(x.map((v, i) => (numeric.has(i) ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd());
  }
  for (const p of problems) out.push(`note: ${p}`);
  return `${out.join('\n')}\n`;
}

/** `shipshape loadtest --list --format json`. */
export function renderRunListJSON(runs: RunSummary[], problems: string[]): string {
  return `${JSON.stringify({ version: 1, runs, problems }, null, 2)}\n`;
}
