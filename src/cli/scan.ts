import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analyzer, describeAnalysisError, type AnalysisResult, type SkippedFile } from '../core/analyze';
import { atOrAbove, compareFindings, type Severity } from '../core/finding';
import { loadProject, type ProjectModel } from '../core/project/project';
import { schemaFor } from '../core/sql/ruleSupport';
import { displayPath, type ScanReport } from '../core/report/common';
import { quotePath } from '../core/report/quotePath';
import { renderJson } from '../core/report/json';
import { renderSarif } from '../core/report/sarif';
import { renderText } from '../core/report/text';
import { UsageError } from './errors';

export type ScanFormat = 'text' | 'json' | 'sarif';
export type FailOn = Severity | 'never';

export interface ScanOptions {
  format: ScanFormat;
  output?: string;
  failOn: FailOn;
  color: boolean;
  /** Let a scan that could not analyse everything (stats.errors > 0) pass `--fail-on`. */
  allowIncomplete?: boolean;
}

export interface ScanOutcome {
  exitCode: 0 | 1;
  /** Some files or rules could not be analysed: findings may be missing. */
  incomplete: boolean;
  output: string;
  /** Lines for stderr: skipped files, rule failures. */
  notices: string[];
}

/**
 * `shipshape scan [paths...]`: each directory is a project root; a file is analysed
 * within the project around it (the nearest folder with package.json or tsconfig.json).
 */
export function runScan(paths: string[], opts: ScanOptions, cwd = process.cwd()): ScanOutcome {
  const requested = (paths.length ? paths : ['.']).map((p) => path.resolve(cwd, p));
  const groups = new Map<string, string[] | 'all'>();
  for (const p of requested) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new UsageError(`path not found: ${path.relative(cwd, p) || p}. Pass a folder or file that exists.`);
    }
    if (stat.isDirectory()) groups.set(p, 'all');
    else {
      const root = projectRootOf(p);
      const prev = groups.get(root);
      if (prev !== 'all') groups.set(root, [...(prev ?? []), p]);
    }
  }

  const results: AnalysisResult[] = [];
  const notices: string[] = [];
  const displayRoot = requested.length === 1 && groups.has(requested[0]) ? requested[0] : cwd;
  for (const [root, targets] of groups) {
    const project = loadProject(root);
    if (project.configProblems.length > 0) {
      // The editor falls back to the defaults and shows the problem; CI refuses to scan with settings nobody wrote.
      const problems = project.configProblems.map((p) => `${quotePath(path.relative(cwd, p.file) || p.file)}: ${p.message.replace(/^[^:\s]*: /, '')}`).join('; ');
      throw new UsageError(`${problems} Nothing was scanned: fix the configuration and run again.`);
    }
    for (const problem of [...project.tsconfig.problems, ...project.warnings]) notices.push(`warning: ${problem}`);
    const result = new Analyzer(project).analyze(targets === 'all' ? undefined : targets);
    // Migration statements the schema could not use: the rest of the schema was still checked.
    result.skipped.push(...migrationStatementsSkipped(project, targets));
    const show = (file: string) => quotePath(displayPath(displayRoot, file));
    for (const s of result.skipped) notices.push(`skipped ${show(s.file)}${s.line !== undefined ? `:${s.line + 1}` : ''}: ${s.reason}`);
    for (const e of result.errors) notices.push(describeAnalysisError(e, show));
    results.push(result);
  }
  const merged: AnalysisResult = {
    findings: results.flatMap((r) => r.findings).sort(compareFindings),
    skipped: results.flatMap((r) => r.skipped),
    errors: results.flatMap((r) => r.errors),
    files: results.reduce((n, r) => n + r.files, 0),
    durationMs: results.reduce((n, r) => n + r.durationMs, 0),
  };
  const report: ScanReport = { root: displayRoot, result: merged };
  const output = opts.format === 'json' ? renderJson(report) : opts.format === 'sarif' ? renderSarif(report) : renderText(report, { color: opts.color && !opts.output });
  const failing = opts.failOn !== 'never' && merged.findings.some((f) => atOrAbove(f.severity, opts.failOn as Severity));
  const incomplete = merged.errors.length > 0;
  // CI must not go green on a scan that left files or rules out: that would read as "no problems".
  const failingIncomplete = incomplete && opts.failOn !== 'never' && !opts.allowIncomplete;
  if (failingIncomplete) {
    const n = merged.errors.length;
    notices.push(`the analysis is incomplete (${n} error${n === 1 ? '' : 's'} above), so findings may be missing: exiting 1. Pass --allow-incomplete to let an incomplete scan pass.`);
  }
  return { exitCode: failing || failingIncomplete ? 1 : 0, incomplete, output, notices };
}

function migrationStatementsSkipped(project: ProjectModel, targets: string[] | 'all'): SkippedFile[] {
  const found = schemaFor(project);
  const wanted = targets === 'all' ? undefined : new Set(targets);
  return (found?.schema.problems ?? []).filter((p) => !wanted || wanted.has(p.file)).map((p) => ({ file: p.file, line: p.range.start.line, reason: p.message }));
}

function projectRootOf(file: string): string {
  let dir = path.dirname(file);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) || fs.existsSync(path.join(dir, 'tsconfig.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.dirname(file);
    dir = parent;
  }
}
