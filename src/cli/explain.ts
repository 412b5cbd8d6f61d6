import * as fs from 'node:fs';
import * as path from 'node:path';
import { PostgresUnavailableError, isAbortError } from '../core/explain/cluster';
import { runExplain, type ExplainProgress } from '../core/explain/run';
import { explainSettings } from '../core/explain/settings';
import type { ExplainSourceReader } from '../core/explain/sources';
import { loadProject } from '../core/project/project';
import { renderExplainJson, renderExplainText, slowQueries } from '../core/report/explain';
import { UsageError } from './errors';

export type ExplainFormat = 'text' | 'json';

export interface ExplainCliOptions {
  rows?: number;
  maxMs?: number;
  format: ExplainFormat;
  /** JSON lines on stderr for the editor (`{"kind":"query",…}`). */
  progress?: boolean;
  /** Embedded cluster folder (default: the user's cache; the extension passes its storage). */
  clusterDir?: string;
  /** Only the query at `file:line` (path relative to the project or absolute, 1-based line): the editor's CodeLens. */
  only?: string;
}

export interface ExplainCliOutcome {
  exitCode: 0 | 1;
  output: string;
  notices: string[];
}

/**
 * `shipshape explain [path]`: every extracted query, at scale, on the embedded PostgreSQL (or
 * plain EXPLAIN on `explain.databaseUrl`). Exit 1 when a query is slower than `--max-ms`.
 * SIGINT/SIGTERM cancel it: the server is stopped before the process ends.
 */
export async function runExplainCommand(target: string | undefined, opts: ExplainCliOptions, cwd: string, readSources: ExplainSourceReader, stderr: NodeJS.WritableStream): Promise<ExplainCliOutcome> {
  const root = path.resolve(cwd, target ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`not a folder: ${target ?? '.'}. Pass the project folder to explain.`);
  const project = loadProject(root);
  if (project.configProblems.length > 0) throw new UsageError(project.configProblems.map((p) => p.message).join('; '));
  const settings = explainSettings(project.config, process.env, { rows: opts.rows });
  const notices: string[] = [];
  if (settings.databaseUrl && opts.maxMs !== undefined) notices.push('--max-ms is not applied on your own database: plain EXPLAIN gives estimates, not times.');

  const sources = await readSources(project);
  const statements = sources.statements;
  const queries = opts.only ? sources.queries.filter((q) => matchesLocation(q, opts.only!, root)) : sources.queries;
  if (opts.only && queries.length === 0) throw new UsageError(`no extracted query at ${opts.only}. Save the file and try again.`);
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  process.on('SIGINT', cancel);
  process.on('SIGTERM', cancel);
  const progress = opts.progress ? (e: ExplainProgress | { kind: 'cluster-started'; pid: number }) => stderr.write(`${JSON.stringify(e)}\n`) : undefined;
  try {
    const outcome = await runExplain({
      statements,
      queries,
      rows: settings.rows,
      databaseUrl: settings.databaseUrl,
      clusterRoot: opts.clusterDir,
      signal: controller.signal,
      onProgress: progress,
      log: process.env.SHIPSHAPE_DEBUG ? (l) => stderr.write(`postgres: ${l}\n`) : undefined,
    });
    const output = opts.format === 'json' ? renderExplainJson(outcome, root) : renderExplainText(outcome, root, opts.maxMs);
    const slow = opts.maxMs !== undefined && outcome.analyzed ? slowQueries(outcome, opts.maxMs) : [];
    return { exitCode: slow.length ? 1 : 0, output, notices };
  } catch (err) {
    if (controller.signal.aborted || isAbortError(err)) throw new UsageError('explain cancelled; the embedded PostgreSQL was stopped.');
    if (err instanceof PostgresUnavailableError) throw new UsageError(err.message);
    if (settings.databaseUrl) throw new UsageError(`cannot explain on ${hostLabel(settings.databaseUrl)}: ${(err as Error).message}. Check explain.databaseUrl / SHIPSHAPE_DATABASE_URL.`);
    throw err;
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}

function matchesLocation(q: { file: string; range: { start: { line: number }; end: { line: number } } }, only: string, root: string): boolean {
  const m = /^(.*):(\d+)$/.exec(only);
  if (!m) return false;
  const line = Number(m[2]) - 1;
  return path.resolve(root, m[1]) === q.file && line >= q.range.start.line && line <= q.range.end.line;
}

function hostLabel(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured database';
  }
}
