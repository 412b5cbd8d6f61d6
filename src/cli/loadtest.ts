import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE, parseConfigFile } from '../core/configFile';
import { compareRuns } from '../core/loadtest/compare';
import { exportScenario } from '../core/loadtest/export';
import { RunHistory } from '../core/loadtest/history';
import { LoadTestError, startLoadTest } from '../core/loadtest/run';
import { maxDurationOf, resolveScenario } from '../core/loadtest/scenario';
import { MAX_THREADS } from '../core/loadtest/threads';
import type { ExportFormat, LoadTestConfig, LoadTestResult, RunComparison, RunRecord, Scenario, ScenarioConfig } from '../core/loadtest/types';
import { progressLine, renderLoadTestJSON, renderLoadTestJUnit, renderLoadTestText, renderRunListJSON, renderRunListText } from '../core/report/loadtest';
import { UsageError } from './errors';

export type LoadTestFormat = 'text' | 'json' | 'junit';

export interface LoadTestCliOptions {
  config?: string;
  url?: string;
  baseUrl?: string;
  method?: string;
  duration?: string;
  connections?: string;
  rate?: string;
  rampUp?: string;
  threshold: string[];
  format: LoadTestFormat;
  output?: string;
  allowRemote: boolean;
  baseline?: string;
  export?: ExportFormat;
  parallelism?: string;
  /** Engine threads for the closed model (default: one per core, at most 8). */
  threads?: string;
  engine?: 'embedded' | 'k6';
  save: boolean;
  /** Pin the run this invocation makes as its scenario's baseline. */
  pin?: boolean;
  /** Pin a saved run (id or "latest") as its scenario's baseline, without running anything. */
  pinRun?: string;
  /** List the saved runs (of the named scenario) instead of running. */
  list?: boolean;
  color: boolean;
}

export interface LoadTestIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  /** Called with a cancel function while the load runs (the CLI wires it to SIGINT). */
  onCancellable?: (cancel: (() => void) | undefined) => void;
}

export interface LoadTestOutcome {
  exitCode: 0 | 1 | 2;
  output: string;
  notices: string[];
}

/** `--threshold "p(95)<200"`, `--threshold "rate<0.01"`, `--threshold "http_req_duration{name:list} p(99)<500"`. */
function thresholdsFromFlags(flags: string[]): ScenarioConfig['thresholds'] {
  const out: NonNullable<ScenarioConfig['thresholds']> = {};
  for (const flag of flags) {
    const m = /^\s*((?:http_req_duration|http_req_failed)(?:\{[^}]*\})?)\s+(.+)$/.exec(flag);
    const metric = m ? m[1] : /^\s*rate/.test(flag) ? 'http_req_failed' : 'http_req_duration';
    (out[metric] ??= []).push((m ? m[2] : flag).trim());
  }
  return out;
}

function readLoadTestConfig(io: LoadTestIo, configFlag: string | undefined): { config: LoadTestConfig; root: string } {
  const file = path.resolve(io.cwd, configFlag ?? CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    if (configFlag) throw new UsageError(`cannot read ${configFlag}: check the --config path.`);
    return { config: {}, root: io.cwd };
  }
  // The schema checks the whole file; rule options are checked by the commands that run rules.
  const parsed = parseConfigFile(text, file);
  if (parsed.problems.length > 0) throw new UsageError(parsed.problems.map((p) => p.message).join('; '));
  return { config: (parsed.value?.loadtest ?? {}) as LoadTestConfig, root: path.dirname(file) };
}

/** The scenario to run: named, ad hoc from --url, or the config's only one; CLI flags override. */
export function selectScenario(name: string | undefined, opts: LoadTestCliOptions, config: LoadTestConfig): Scenario {
  const overrides: Partial<ScenarioConfig> = {};
  if (opts.duration !== undefined) overrides.duration = opts.duration;
  if (opts.rampUp !== undefined) overrides.rampUp = opts.rampUp;
  for (const [key, flag] of [['connections', opts.connections], ['rate', opts.rate]] as const) {
    if (flag === undefined) continue;
    const n = Number(flag);
    if (!Number.isFinite(n)) throw new UsageError(`--${key} must be a number, got "${flag}".`);
    overrides[key] = n;
  }
  if (opts.engine) overrides.engine = opts.engine;
  if (opts.baseUrl !== undefined) overrides.baseUrl = opts.baseUrl;
  const flagThresholds = thresholdsFromFlags(opts.threshold);
  const scenarios = Array.isArray(config.scenarios) ? config.scenarios : [];
  let raw: ScenarioConfig;
  let prefix: string;
  if (opts.url !== undefined) {
    if (name !== undefined) throw new UsageError(`give either a scenario name ("${name}") or --url, not both.`);
    raw = { name: 'url', url: opts.url, ...overrides };
    prefix = 'options';
  } else {
    if (scenarios.length === 0) throw new UsageError(`no scenario to run: pass --url http://127.0.0.1:3000/… or add scenarios under "loadtest.scenarios" in ${CONFIG_FILE}.`);
    const index = name === undefined ? (scenarios.length === 1 ? 0 : -1) : scenarios.findIndex((s) => s && s.name === name);
    if (index < 0) throw new UsageError(name === undefined ? `${scenarios.length} scenarios in ${CONFIG_FILE}: name one (${scenarios.map((s) => s.name).join(', ')}).` : `no scenario "${name}" in ${CONFIG_FILE}; expected one of: ${scenarios.map((s) => s.name).join(', ')}.`);
    raw = { ...scenarios[index], ...overrides };
    prefix = `loadtest.scenarios[${index}]`;
    // A rate on the command line turns a closed scenario into an open one, and the reverse is not possible.
    if (overrides.rate !== undefined) delete raw.rampUp;
  }
  if (Object.keys(flagThresholds ?? {}).length > 0) {
    const merged = { ...(raw.thresholds ?? {}) };
    for (const [k, v] of Object.entries(flagThresholds ?? {})) merged[k] = [...(merged[k] ?? []), ...v];
    raw.thresholds = merged;
  }
  const { scenario, problems } = resolveScenario(raw, { config, keyPrefix: prefix });
  if (!scenario) throw new UsageError(problems.map((p) => p.message).join(' '));
  if (opts.method !== undefined && opts.url !== undefined) {
    const method = opts.method.toUpperCase();
    if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(method)) throw new UsageError(`--method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, got "${opts.method}".`);
    scenario.requests = scenario.requests.map((r) => ({ ...r, method: method as Scenario['requests'][number]['method'] }));
  }
  return scenario;
}

function loadBaseline(ref: string, history: RunHistory, scenario: Scenario, cwd: string): RunRecord {
  const asFile = path.resolve(cwd, ref);
  if (/[\\/]|\.json$/.test(ref) && fs.existsSync(asFile)) {
    try {
      const rec = JSON.parse(fs.readFileSync(asFile, 'utf8')) as RunRecord;
      if (rec && rec.version === 1 && rec.result?.summary) return rec;
    } catch {
      // reported below
    }
    throw new UsageError(`${ref} is not a Shipshape run file; pass a run id from .shipshape/runs/, "latest" or "baseline".`);
  }
  const rec = history.load(ref, scenario.name);
  if (!rec) {
    const why = history.problems.length ? ` (${history.problems.join('; ')})` : '';
    throw new UsageError(`no baseline run "${ref}" for scenario "${scenario.name}"${why}; pass a run id from ${path.relative(cwd, history.dir) || history.dir}, "latest" or "baseline" (a pinned run).`);
  }
  return rec;
}

/** `shipshape loadtest`: runs (or exports) a scenario; exit 1 when a threshold fails or the baseline comparison finds a regression. */
export async function runLoadTestCommand(name: string | undefined, opts: LoadTestCliOptions, io: LoadTestIo): Promise<LoadTestOutcome> {
  const { config, root } = readLoadTestConfig(io, opts.config);
  const history = new RunHistory(root);
  if (opts.list || opts.pinRun !== undefined) return manageHistory(name, opts, history, io);
  const scenario = selectScenario(name, opts, config);
  const notices: string[] = [];
  if (opts.pin && !opts.save) throw new UsageError('--pin pins the run this command saves: drop --no-save (or pin a saved run with --pin-run <id>).');

  if (opts.export) {
    const parallelism = opts.parallelism === undefined ? undefined : Number(opts.parallelism);
    if (parallelism !== undefined && !(Number.isInteger(parallelism) && parallelism >= 1)) throw new UsageError(`--parallelism must be a whole number ≥ 1, got "${opts.parallelism}".`);
    return { exitCode: 0, output: exportScenario(scenario, opts.export, { parallelism }), notices };
  }

  const max = maxDurationOf(config);
  if (max.problem) throw new UsageError(max.problem.message);
  // Read the baseline before this run is saved, so `latest` means the previous run.
  const baseline = opts.baseline !== undefined ? loadBaseline(opts.baseline, history, scenario, io.cwd) : undefined;

  const threads = opts.threads === undefined ? undefined : Number(opts.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)) throw new UsageError(`--threads must be a whole number from 1 to ${MAX_THREADS}, got "${opts.threads}".`);

  const run = startLoadTest(scenario, { allowRemote: opts.allowRemote, maxDurationSec: max.seconds, ...(threads !== undefined ? { threads } : {}) });
  const live = Boolean(io.stderr.isTTY) && opts.format === 'text';
  run.on((e) => {
    if (e.type === 'tick' && live) io.stderr.write(`\r\x1b[2K${progressLine(e)}`);
  });
  io.onCancellable?.(() => run.cancel());
  let result: LoadTestResult;
  try {
    result = await run.result;
  } catch (err) {
    if (err instanceof LoadTestError) throw new UsageError(err.message);
    throw err;
  } finally {
    io.onCancellable?.(undefined);
    if (live) io.stderr.write('\r\x1b[2K');
  }

  if (opts.save) {
    try {
      const rec = history.save(scenario, result);
      notices.push(`saved run ${rec.id} to ${path.relative(io.cwd, path.join(history.dir, `${rec.id}.json`))}`);
      if (opts.pin) {
        history.pinBaseline(rec.id);
        notices.push(`pinned run ${rec.id} as the baseline of scenario "${scenario.name}"${result.passed ? '' : ' (note: its thresholds failed)'}`);
      }
    } catch (err) {
      notices.push(`could not save the run to ${path.relative(io.cwd, history.dir)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  let comparison: RunComparison | undefined;
  if (baseline) comparison = compareRuns(baseline.result, result);

  const output = opts.format === 'json' ? renderLoadTestJSON(result, comparison) : opts.format === 'junit' ? renderLoadTestJUnit(result, comparison) : renderLoadTestText(result, comparison, { color: opts.color && !opts.output && Boolean(io.stdout.isTTY) });
  if (result.ended === 'cancelled') notices.push('cancelled: the numbers cover the part that ran.');
  const failed = !result.passed || comparison?.verdict === 'regression';
  return { exitCode: result.ended === 'cancelled' ? 2 : failed ? 1 : 0, output, notices };
}

/**
 * `--list` and `--pin-run`: the run history without sending any load. The history lives next to
 * the config (`.shipshape/runs/`), so the same `--config` finds it from anywhere.
 */
function manageHistory(name: string | undefined, opts: LoadTestCliOptions, history: RunHistory, io: LoadTestIo): LoadTestOutcome {
  if (opts.list && opts.pinRun !== undefined) throw new UsageError('give either --list or --pin-run, not both.');
  if (opts.format === 'junit') throw new UsageError(`--${opts.list ? 'list' : 'pin-run'} prints text or json, not junit.`);
  const where = path.relative(io.cwd, history.dir) || history.dir;
  if (opts.list) {
    const runs = history.list(name);
    const notices = runs.length === 0 ? [`no saved runs${name !== undefined ? ` of scenario "${name}"` : ''} in ${where}; run \`shipshape loadtest\` first.`] : [];
    return { exitCode: 0, output: opts.format === 'json' ? renderRunListJSON(runs, [...history.problems]) : renderRunListText(runs, [...history.problems]), notices };
  }
  const ref = opts.pinRun as string;
  const rec = history.load(ref, name);
  if (!rec) {
    const why = history.problems.length ? ` (${history.problems.join('; ')})` : '';
    throw new UsageError(`no saved run "${ref}"${name !== undefined ? ` of scenario "${name}"` : ''} in ${where}${why}; list the runs with \`shipshape loadtest --list\`.`);
  }
  if (name !== undefined && rec.result.scenario !== name) throw new UsageError(`run ${rec.id} belongs to scenario "${rec.result.scenario}", not "${name}".`);
  history.pinBaseline(rec.id);
  const summary = history.list(rec.result.scenario).find((r) => r.id === rec.id);
  const line = `pinned run ${rec.id} as the baseline of scenario "${rec.result.scenario}" (p95 ${rec.result.summary.latencyMs.p95} ms, ${rec.result.summary.requests.perSecond} req/s, ${rec.result.passed ? 'passed' : 'failed its thresholds'})`;
  return { exitCode: 0, output: opts.format === 'json' ? `${JSON.stringify({ version: 1, pinned: summary }, null, 2)}\n` : `${line}\n`, notices: [] };
}
