/**
 * EXPLAIN of one query on the dataset: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` inside a
 * transaction that is always rolled back (a query that writes never changes the dataset), run
 * twice so the figure is the warm-cache one production sees; then the what-if: the suggested
 * index created inside the same transaction, the query explained again, everything rolled back.
 * Against a team's own database (`analyze: false`) only plain `EXPLAIN`: nothing executes, in a
 * READ ONLY transaction.
 */
import type { Client } from 'pg';
import { oneLine } from './migrate';
import { drawParameters, loadQueryParser, queryShape } from './parameters';
import { summarisePlan, type PlanNode, type PlanSummary } from './plan';

export interface QueryToExplain {
  sql: string;
  /** `CREATE INDEX …` that the unindexed-filter analysis suggests for this query. */
  suggestedIndex?: string;
}

export interface QueryExplanation {
  sql: string;
  tables: string[];
  parameters: unknown[];
  before?: PlanSummary;
  withIndex?: PlanSummary & { index: string };
  /** One sentence: what PostgreSQL does and whether the index changes it. */
  verdict: string;
  /** Why the query could not be explained (PostgreSQL's message). */
  error?: string;
}

export interface ExplainOptions {
  /** EXPLAIN ANALYZE (runs the query, rolled back). False: plain EXPLAIN, read-only. */
  analyze: boolean;
  /** Per statement. Default 30 s. */
  statementTimeoutMs?: number;
}

export async function explainQuery(client: Client, query: QueryToExplain, options: ExplainOptions): Promise<QueryExplanation> {
  await loadQueryParser();
  const sql = query.sql.trim().replace(/;\s*$/, '');
  let tables: string[] = [];
  let parameters: unknown[] = [];
  await client.query(options.analyze ? 'BEGIN' : 'BEGIN READ ONLY');
  try {
    await client.query(`SET LOCAL statement_timeout = ${Math.floor(options.statementTimeoutMs ?? 30_000)}`);
    const shape = queryShape(sql);
    tables = shape.tables;
    parameters = await drawParameters(client, sql, shape, { sampleOnly: !options.analyze });
    const explain = `EXPLAIN (${options.analyze ? 'ANALYZE, BUFFERS, ' : ''}FORMAT JSON) ${sql}`;

    const run = async (): Promise<PlanSummary> => {
      await client.query('SAVEPOINT shipshape_run');
      // The first run warms the cache; the second is the figure (as a warm production server).
      if (options.analyze) {
        await client.query(explain, parameters);
        await client.query('ROLLBACK TO SAVEPOINT shipshape_run');
      }
      const res = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time'?: number; 'Planning Time'?: number }] }>(explain, parameters);
      await client.query('ROLLBACK TO SAVEPOINT shipshape_run');
      return summarisePlan(res.rows[0]['QUERY PLAN'][0]);
    };

    const before = await run();
    let withIndex: QueryExplanation['withIndex'];
    if (query.suggestedIndex && options.analyze) {
      // CONCURRENTLY cannot run inside a transaction; the plan is the same without it.
      const ddl = query.suggestedIndex.replace(/\bCONCURRENTLY\b\s*/i, '');
      await client.query(ddl);
      withIndex = { index: query.suggestedIndex, ...(await run()) };
    }
    return { sql, tables, parameters, before, withIndex, verdict: verdictOf(before, withIndex, options.analyze) };
  } catch (err) {
    return { sql, tables, parameters, verdict: `PostgreSQL could not explain this query: ${oneLine((err as Error).message)}`, error: oneLine((err as Error).message) };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}

export function verdictOf(before: PlanSummary, withIndex: (PlanSummary & { index: string }) | undefined, analyzed: boolean): string {
  const ms = (s: PlanSummary): string => (analyzed ? `${formatMs(s.ms)}` : `cost ${Math.round(s.cost)}`);
  const reads = `${before.plan} reads ${formatCount(before.rowsRead)} rows to return ${formatCount(before.rowsReturned)}`;
  if (withIndex) {
    if (withIndex.usesIndexScan && !sameReader(before, withIndex)) {
      const factor = before.ms > 0 && withIndex.ms > 0 ? before.ms / withIndex.ms : 0;
      const faster = factor >= 2 ? ` (${factor >= 100 ? Math.round(factor).toLocaleString('en-US') : factor.toFixed(1)}× faster)` : '';
      return `${reads} in ${ms(before)}; with the suggested index: ${withIndex.plan}, ${ms(withIndex)}${faster}.`;
    }
    return `${reads} in ${ms(before)}; PostgreSQL does not use the suggested index here (it keeps ${withIndex.plan}), so it would not help at this volume.`;
  }
  if (before.seqScanOn.length && before.rowsRead > 10 * Math.max(1, before.rowsReturned) && before.rowsRead >= 10_000) {
    return `${reads} in ${ms(before)}: no index serves this filter.`;
  }
  if (before.rowsRead === 0 && !before.seqScanOn.length && !before.usesIndexScan) return `${before.plan} in ${ms(before)}; no table is scanned.`;
  if (before.usesIndexScan) return `Served by an index: ${before.plan}, ${formatCount(before.rowsRead)} row${Math.round(before.rowsRead) === 1 ? '' : 's'} read, ${ms(before)}.`;
  return `${reads} in ${ms(before)}, which is PostgreSQL's best plan at this volume.`;
}

function sameReader(a: PlanSummary, b: PlanSummary): boolean {
  return a.plan === b.plan;
}

export function formatMs(ms: number): string {
  if (ms >= 100) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
