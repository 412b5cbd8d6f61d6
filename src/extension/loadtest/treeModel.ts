// What the Load Tests view shows: scenarios from the config with their last result, and under
// each its saved runs (newest first). Pure: the tree provider turns these into TreeItems.
import type { RunSummary } from '../../core/loadtest/types';

export type RunStatus = 'passed' | 'failed' | 'stopped' | 'none';

export interface ScenarioNode {
  kind: 'scenario';
  name: string;
  /** False for runs whose scenario is no longer in the config (a quick URL test, a renamed one). */
  inConfig: boolean;
  status: RunStatus;
  description: string;
  tooltip: string;
  runs: RunNode[];
}

export interface RunNode {
  kind: 'run';
  id: string;
  scenario: string;
  label: string;
  description: string;
  tooltip: string;
  status: RunStatus;
  baseline: boolean;
  /** For `when` clauses in menus: `run` or `run.baseline`. */
  contextValue: 'run' | 'run.baseline';
}

export function formatAgo(iso: string, now: Date): string {
  const sec = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (sec < 60) return 'just now';
  const min = Math.round(sec / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  return `${d} day${d === 1 ? '' : 's'} ago`;
}

function ms(v: number): string {
  return v >= 100 ? `${Math.round(v)} ms` : `${Number(v.toFixed(1))} ms`;
}

function rate(v: number): string {
  return `${Math.round(v).toLocaleString('en-US')} req/s`;
}

/** A run's verdict: stopped by the user (cancelled) before its end says so, never "passed". */
export function runStatus(r: Pick<RunSummary, 'passed' | 'ended'>): Exclude<RunStatus, 'none'> {
  if (r.ended === 'cancelled') return 'stopped';
  return r.passed && r.ended !== 'aborted' ? 'passed' : 'failed';
}

const STATUS_TEXT: Record<Exclude<RunStatus, 'none'>, string> = { passed: 'passed', failed: 'failed', stopped: 'stopped before its end' };

export function runNode(r: RunSummary, now: Date): RunNode {
  const status = runStatus(r);
  const when = formatAgo(r.startedAt, now);
  return {
    kind: 'run',
    id: r.id,
    scenario: r.scenario,
    label: `${r.baseline ? '★ ' : ''}${when}`,
    description: `p95 ${ms(r.p95Ms)} · ${rate(r.perSecond)}`,
    tooltip: [
      `${r.scenario} — ${STATUS_TEXT[status]}${r.baseline ? ' (baseline)' : ''}`,
      `${new Date(r.startedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC against ${r.target}`,
      `${r.requests.toLocaleString('en-US')} requests, ${rate(r.perSecond)}, p95 ${ms(r.p95Ms)}`,
      r.gitCommit ? `commit ${r.gitCommit.slice(0, 10)}` : '',
    ].filter(Boolean).join('\n'),
    status,
    baseline: r.baseline,
    contextValue: r.baseline ? 'run.baseline' : 'run',
  };
}

/** Scenarios in config order, then scenarios that only have runs, alphabetically. */
export function loadTestTree(scenarioNames: readonly string[], runs: readonly RunSummary[], now = new Date()): ScenarioNode[] {
  const byScenario = new Map<string, RunSummary[]>();
  for (const r of runs) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r]);
  const names = [...new Set(scenarioNames)];
  const orphans = [...byScenario.keys()].filter((n) => !names.includes(n)).sort();
  return [...names.map((n) => ({ n, inConfig: true })), ...orphans.map((n) => ({ n, inConfig: false }))].map(({ n, inConfig }) => {
    const list = [...(byScenario.get(n) ?? [])].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    const last = list[0];
    const status: RunStatus = last ? runStatus(last) : 'none';
    return {
      kind: 'scenario' as const,
      name: n,
      inConfig,
      status,
      description: last ? `${status === 'stopped' ? 'stopped' : status} · p95 ${ms(last.p95Ms)} · ${formatAgo(last.startedAt, now)}` : inConfig ? 'not run yet' : '',
      tooltip: last ? `${n}: last run ${STATUS_TEXT[runStatus(last)]}, ${list.length} run${list.length === 1 ? '' : 's'} saved` : `${n}: not run yet`,
      runs: list.map((r) => runNode(r, now)),
    };
  });
}

/** The quick-pick line for a scenario: its last result, or that it never ran. */
export function lastResultText(runs: readonly RunSummary[], scenario: string, now = new Date()): string {
  const last = runs.filter((r) => r.scenario === scenario).sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  if (!last) return 'not run yet';
  const status = runStatus(last);
  return `${status === 'passed' ? '$(pass) passed' : status === 'stopped' ? '$(debug-stop) stopped' : '$(error) failed'} · p95 ${ms(last.p95Ms)} · ${rate(last.perSecond)} · ${formatAgo(last.startedAt, now)}`;
}
