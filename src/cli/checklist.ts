import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChecklist } from '../core/checklist/run';
import { loadProject } from '../core/project/project';
import { renderChecklistJson, renderChecklistSarif, renderChecklistText } from '../core/report/checklist';
import { UsageError } from './errors';

export type ChecklistFormat = 'text' | 'json' | 'sarif';

export interface ChecklistOptions {
  format: ChecklistFormat;
  /** Exit 1 when the overall score is below this (0–100). */
  minScore?: number;
  color: boolean;
}

/** `shipshape checklist [path]`: the readiness checklist of one project root. */
export function runChecklistCommand(target: string | undefined, opts: ChecklistOptions, cwd = process.cwd()): { exitCode: 0 | 1; output: string; notices: string[] } {
  const root = path.resolve(cwd, target ?? '.');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new UsageError(`path not found: ${target}. Pass the folder of the project (where its package.json is).`);
  }
  if (!stat.isDirectory()) throw new UsageError(`${target} is a file; pass the folder of the project (where its package.json is).`);
  const project = loadProject(root);
  if (project.configProblems.length > 0) {
    throw new UsageError(project.configProblems.map((p) => `${path.relative(cwd, p.file) || p.file}: ${p.message.replace(/^[^:]*: /, '')}`).join('; '));
  }
  const result = runChecklist(project);
  const notices = result.problems.map((p) => `note: ${path.relative(cwd, p.file ?? root) || '.'}${p.line !== undefined ? `:${p.line + 1}` : ''}: ${p.note}`);
  const output = opts.format === 'json' ? renderChecklistJson(result) : opts.format === 'sarif' ? renderChecklistSarif(result) : renderChecklistText(result, { color: opts.color });
  const below = opts.minScore !== undefined && (result.score ?? 100) < opts.minScore;
  if (below) notices.push(`score ${result.score} is below --min-score ${opts.minScore}`);
  return { exitCode: below ? 1 : 0, output, notices };
}

export function parseMinScore(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || n < 0 || n > 100) throw new UsageError(`--min-score must be a number from 0 to 100, got "${value}".`);
  return n;
}
