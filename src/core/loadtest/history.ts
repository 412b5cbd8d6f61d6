import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LoadTestResult, RunEnvironment, RunRecord, RunSummary, Scenario } from './types';

const BASELINES = 'baselines.json';

/**
 * Saved runs under `<root>/.shipshape/runs/<id>.json`. Writes are atomic (temp file, then rename,
 * so a reader never sees half a run); a file that cannot be read or parsed is skipped and reported
 * in `problems`, never fatal. The pinned baseline of each scenario is kept in `baselines.json`.
 */
export class RunHistory {
  /** Messages about skipped files from the last list/load. */
  readonly problems: string[] = [];
  readonly dir: string;

  constructor(readonly root: string) {
    this.dir = path.join(root, '.shipshape', 'runs');
  }

  /** Saves a finished run with its environment (git commit, Node, cores); returns the record. */
  save(scenario: Scenario, result: LoadTestResult): RunRecord {
    const record: RunRecord = { version: 1, id: result.runId, savedAt: new Date().toISOString(), scenario, environment: runEnvironment(this.root), result };
    writeAtomic(path.join(this.dir, `${safeId(record.id)}.json`), JSON.stringify(record));
    return record;
  }

  /** All readable runs, newest first (optionally of one scenario). */
  list(scenarioName?: string): RunSummary[] {
    this.problems.length = 0;
    const pinned = this.readBaselines();
    const out: RunSummary[] = [];
    for (const file of this.files()) {
      const rec = this.readFile(file);
      if (!rec || (scenarioName !== undefined && rec.result.scenario !== scenarioName)) continue;
      const r = rec.result;
      out.push({
        id: rec.id,
        scenario: r.scenario,
        startedAt: r.startedAt,
        target: r.target,
        passed: r.passed,
        ended: r.ended ?? 'completed',
        requests: r.summary.requests.total,
        perSecond: r.summary.requests.perSecond,
        p95Ms: r.summary.latencyMs.p95,
        ...(rec.environment.gitCommit ? { gitCommit: rec.environment.gitCommit } : {}),
        baseline: pinned[r.scenario] === rec.id,
      });
    }
    return out.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  }

  /**
   * One run by id, `latest` (of the scenario when given) or `baseline` (the scenario's pinned run);
   * undefined when absent or unreadable (see problems).
   */
  load(id: string, scenarioName?: string): RunRecord | undefined {
    this.problems.length = 0;
    if (id === 'latest') {
      const latest = this.list(scenarioName)[0];
      return latest ? this.load(latest.id) : undefined;
    }
    if (id === 'baseline') {
      const pinned = scenarioName !== undefined ? this.baselineId(scenarioName) : undefined;
      return pinned ? this.load(pinned) : undefined;
    }
    const file = path.join(this.dir, `${safeId(id)}.json`);
    return fs.existsSync(file) ? this.readFile(file) : undefined;
  }

  /** Pins a run as the baseline of its scenario. */
  pinBaseline(id: string): RunRecord {
    const rec = this.load(id);
    if (!rec) throw new Error(`no saved run "${id}" in ${path.relative(this.root, this.dir) || this.dir}; list runs with their ids first.`);
    const pinned = this.readBaselines();
    pinned[rec.result.scenario] = rec.id;
    writeAtomic(path.join(this.dir, BASELINES), JSON.stringify(pinned, null, 2));
    return rec;
  }

  baselineId(scenarioName: string): string | undefined {
    return this.readBaselines()[scenarioName];
  }

  private files(): string[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    return names.filter((n) => n.endsWith('.json') && n !== BASELINES).map((n) => path.join(this.dir, n));
  }

  private readFile(file: string): RunRecord | undefined {
    const rel = path.relative(this.root, file);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      this.problems.push(`skipped ${rel}: ${err instanceof SyntaxError ? 'not valid JSON' : (err as NodeJS.ErrnoException).code ?? 'unreadable'}; delete it or restore it from version control.`);
      return undefined;
    }
    const why = invalidRecord(raw);
    if (why) {
      this.problems.push(`skipped ${rel}: ${why}; delete it or restore it from version control.`);
      return undefined;
    }
    return raw as RunRecord;
  }

  private readBaselines(): Record<string, string> {
    try {
      const v = JSON.parse(fs.readFileSync(path.join(this.dir, BASELINES), 'utf8')) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).filter(([, id]) => typeof id === 'string')) as Record<string, string>;
    } catch {
      // No baselines pinned yet (or an unreadable file): treat as none.
    }
    return {};
  }
}

function invalidRecord(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object') return 'not a Shipshape run record';
  const r = raw as Partial<RunRecord>;
  if (r.version !== 1) return `unsupported run record version ${JSON.stringify(r.version)} (expected 1)`;
  if (typeof r.id !== 'string' || !r.result || typeof r.result !== 'object') return 'not a Shipshape run record (no id or result)';
  const res = r.result as Partial<LoadTestResult>;
  if (!res.summary || typeof res.summary.requests?.total !== 'number' || !res.summary.latencyMs || !Array.isArray(res.timeline) || typeof res.scenario !== 'string') return 'a run record with a malformed result';
  if (!r.environment || typeof r.environment !== 'object') return 'a run record without its environment';
  return undefined;
}

function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Temp file in the same folder, then rename: atomic on POSIX and Windows (same volume). */
export function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export function runEnvironment(root: string): RunEnvironment {
  const git = (args: string[]): string | undefined => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', timeout: 3000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return undefined;
    }
  };
  const commit = git(['rev-parse', 'HEAD']);
  const status = commit ? git(['status', '--porcelain', '--untracked-files=no']) : undefined;
  const cpus = os.cpus();
  return {
    ...(commit ? { gitCommit: commit } : {}),
    ...(status !== undefined ? { gitDirty: status.length > 0 } : {}),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
  };
}
