/**
 * `shipshape explain` output: SPEC § Explain (`--format json`), and the text table sorted by time.
 */
import type { ExplainOutcome, ExplainedQuery } from '../explain/run';
import { formatMs } from '../explain/explain';
import { displayPath, oneBased } from './common';

export function toExplainJson(outcome: ExplainOutcome, root: string) {
  return {
    version: 1 as const,
    database: outcome.database,
    rows: { default: outcome.rows.default, tables: outcome.rows.tables },
    queries: sortByTime(outcome.queries).map((q) => ({
      file: displayPath(root, q.file),
      range: oneBased(q.range),
      sql: q.sql,
      tables: q.tables,
      ...(q.before
        ? {
            before: {
              ms: round(q.before.ms),
              plan: q.before.plan,
              rowsRead: Math.round(q.before.rowsRead),
              rowsReturned: Math.round(q.before.rowsReturned),
              nodeTypes: q.before.nodeTypes,
              buffers: q.before.buffers,
              ...(outcome.analyzed ? {} : { cost: round(q.before.cost) }),
            },
          }
        : {}),
      ...(q.withIndex
        ? {
            withIndex: {
              index: q.withIndex.index,
              ms: round(q.withIndex.ms),
              plan: q.withIndex.plan,
              rowsRead: Math.round(q.withIndex.rowsRead),
              rowsReturned: Math.round(q.withIndex.rowsReturned),
              nodeTypes: q.withIndex.nodeTypes,
              buffers: q.withIndex.buffers,
            },
          }
        : {}),
      verdict: q.verdict,
      ...(q.error ? { error: q.error } : {}),
    })),
    skipped: [
      ...outcome.skippedStatements.map((s) => ({ file: displayPath(root, s.file), line: s.line + 1, reason: s.reason })),
      ...outcome.tables.filter((t) => t.skipped).map((t) => ({ table: t.table, reason: t.skipped! })),
    ],
    tables: outcome.tables.map((t) => ({ table: t.table, rows: t.rows })),
    stats: {
      durationMs: Math.round(outcome.totalMs),
      ...(outcome.firstExplainMs !== undefined ? { firstExplainMs: Math.round(outcome.firstExplainMs) } : {}),
      ...(outcome.dataset ? { datasetCached: outcome.dataset.cached, datasetBuildMs: Math.round(outcome.dataset.buildMs) } : {}),
    },
  };
}

export function renderExplainJson(outcome: ExplainOutcome, root: string): string {
  return JSON.stringify(toExplainJson(outcome, root), null, 2) + '\n';
}

export function renderExplainText(outcome: ExplainOutcome, root: string, maxMs?: number): string {
  const lines: string[] = [];
  const volume = [`${outcome.rows.default.toLocaleString('en-US')} rows per table`, ...Object.entries(outcome.rows.tables).map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)].join(', ');
  const cache = outcome.dataset ? (outcome.dataset.cached ? 'dataset from the cache' : `dataset built in ${(outcome.dataset.buildMs / 1000).toFixed(1)} s, cached for the next run`) : undefined;
  lines.push(`Explain on ${outcome.database}${outcome.analyzed ? ` at ${volume}` : ''}${cache ? ` (${cache})` : ''}`);
  lines.push('');
  const queries = sortByTime(outcome.queries);
  if (queries.length === 0) lines.push('No queries to explain: Shipshape found no SQL queries in this project.');
  else {
    const rows = queries.map((q) => [
      `${displayPath(root, q.file)}:${q.range.start.line + 1}`,
      q.error ? 'error' : q.before?.plan ?? '',
      q.error ? '' : outcome.analyzed ? formatMs(q.before?.ms ?? 0) : `cost ${Math.round(q.before?.cost ?? 0)}`,
      q.withIndex ? `${formatMs(q.withIndex.ms)} (${q.withIndex.plan})` : '',
    ]);
    const header = ['query', 'plan', outcome.analyzed ? 'time' : 'estimate', 'with the suggested index'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]): string => r.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
    lines.push(fmt(header));
    lines.push(fmt(widths.map((w) => '-'.repeat(w))));
    for (const r of rows) lines.push(fmt(r));
    lines.push('');
    for (const q of queries) lines.push(`${displayPath(root, q.file)}:${q.range.start.line + 1}: ${q.verdict}`);
  }
  if (outcome.skippedStatements.length) {
    lines.push('');
    lines.push('Migration statements PostgreSQL rejected (skipped; the rest was applied):');
    for (const s of outcome.skippedStatements) lines.push(`  ${displayPath(root, s.file)}:${s.line + 1}: ${s.reason}`);
  }
  const emptyTables = outcome.tables.filter((t) => t.skipped);
  if (emptyTables.length) {
    lines.push('');
    lines.push('Tables left without generated rows:');
    for (const t of emptyTables) lines.push(`  ${t.table}: ${t.skipped}`);
  }
  if (maxMs !== undefined && outcome.analyzed) {
    const slow = slowQueries(outcome, maxMs);
    lines.push('');
    lines.push(slow.length ? `${slow.length} quer${slow.length === 1 ? 'y' : 'ies'} slower than --max-ms ${maxMs}.` : `Every query under --max-ms ${maxMs}.`);
  }
  return lines.join('\n') + '\n';
}

export function slowQueries(outcome: ExplainOutcome, maxMs: number): ExplainedQuery[] {
  return outcome.queries.filter((q) => (q.before?.ms ?? 0) > maxMs);
}

function sortByTime(queries: ExplainedQuery[]): ExplainedQuery[] {
  return [...queries].sort((a, b) => (b.before?.ms ?? b.before?.cost ?? 0) - (a.before?.ms ?? a.before?.cost ?? 0) || a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
