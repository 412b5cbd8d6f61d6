/**
 * One explain run: the embedded cluster started, the dataset ensured (built or cached), every
 * query explained before/after its suggested index, the cluster stopped — or, with a
 * `databaseUrl`, plain read-only EXPLAIN on the team's own database. Emits progress; never prints.
 */
import { Client } from 'pg';
import type { Range } from '../finding';
import { startCluster, isAbortError, abortError, type RunningCluster } from './cluster';
import { ensureDataset } from './dataset';
import { explainQuery, type QueryExplanation } from './explain';
import type { RowTargets, TableFill } from './generate';
import type { MigrationStatementInput, SkippedStatement } from './migrate';

export interface ExplainTarget {
  /** Absolute path of the file the query is in. */
  file: string;
  /** 0-based range of the query in its file. */
  range: Range;
  sql: string;
  suggestedIndex?: string;
}

export interface ExplainRequest {
  statements: readonly MigrationStatementInput[];
  queries: readonly ExplainTarget[];
  rows: RowTargets;
  /** The team's own database: plain EXPLAIN, read-only. Never the default. */
  databaseUrl?: string;
  /** Embedded cluster folder (default: the user's cache). */
  clusterRoot?: string;
  signal?: AbortSignal;
  onProgress?: (event: ExplainProgress) => void;
  log?: (line: string) => void;
}

export type ExplainProgress =
  | { kind: 'cluster'; message: string; pid?: number }
  | { kind: 'dataset'; message: string }
  | { kind: 'query'; index: number; total: number; file: string };

export interface ExplainedQuery extends ExplainTarget, QueryExplanation {}

export interface ExplainOutcome {
  /** `embedded PostgreSQL 18.4` or `PostgreSQL 16.2 at db.example.com (plain EXPLAIN)`. */
  database: string;
  analyzed: boolean;
  rows: RowTargets;
  queries: ExplainedQuery[];
  skippedStatements: SkippedStatement[];
  tables: TableFill[];
  dataset?: { cached: boolean; buildMs: number; database: string };
  /** Time to the first explained query, from the start of the run. */
  firstExplainMs?: number;
  totalMs: number;
}

export async function runExplain(request: ExplainRequest): Promise<ExplainOutcome> {
  if (request.databaseUrl) return runOnOwnDatabase(request, request.databaseUrl);
  const started = Date.now();
  request.onProgress?.({ kind: 'cluster', message: 'starting the embedded PostgreSQL' });
  const cluster = await startCluster({ root: request.clusterRoot, signal: request.signal, log: request.log });
  request.onProgress?.({ kind: 'cluster', message: `embedded PostgreSQL ${cluster.version} on 127.0.0.1:${cluster.port}`, pid: cluster.pid });
  try {
    request.onProgress?.({ kind: 'dataset', message: 'building the dataset (cached per schema)' });
    const dataset = await ensureDataset(cluster, { statements: request.statements, rows: request.rows, signal: request.signal, log: request.log });
    const outcome = await explainAll(cluster, dataset.database, request, started);
    return {
      ...outcome,
      database: `embedded PostgreSQL ${cluster.version}`,
      analyzed: true,
      rows: request.rows,
      skippedStatements: dataset.skippedStatements,
      tables: dataset.tables,
      dataset: { cached: dataset.cached, buildMs: dataset.buildMs, database: dataset.database },
      totalMs: Date.now() - started,
    };
  } catch (err) {
    if (request.signal?.aborted || isAbortError(err)) throw abortError();
    throw err;
  } finally {
    await cluster.stop();
  }
}

async function explainAll(cluster: RunningCluster, database: string, request: ExplainRequest, started: number): Promise<{ queries: ExplainedQuery[]; firstExplainMs?: number }> {
  const client = await cluster.connect(database);
  const onAbort = (): void => void client.end().catch(() => undefined);
  request.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const queries: ExplainedQuery[] = [];
    let firstExplainMs: number | undefined;
    for (const [index, q] of request.queries.entries()) {
      if (request.signal?.aborted) throw abortError();
      request.onProgress?.({ kind: 'query', index, total: request.queries.length, file: q.file });
      const explained = await explainQuery(client, q, { analyze: true });
      if (request.signal?.aborted) throw abortError();
      firstExplainMs ??= Date.now() - started;
      queries.push({ ...q, ...explained, sql: q.sql });
    }
    return { queries, firstExplainMs };
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}

async function runOnOwnDatabase(request: ExplainRequest, url: string): Promise<ExplainOutcome> {
  const started = Date.now();
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: 'shipshape explain' });
  client.on('error', () => undefined);
  const onAbort = (): void => void client.end().catch(() => undefined);
  request.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    // Every transaction of this session is read-only, on top of BEGIN READ ONLY per query.
    await client.query('SET default_transaction_read_only = on');
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
    const queries: ExplainedQuery[] = [];
    let firstExplainMs: number | undefined;
    for (const [index, q] of request.queries.entries()) {
      if (request.signal?.aborted) throw abortError();
      request.onProgress?.({ kind: 'query', index, total: request.queries.length, file: q.file });
      const explained = await explainQuery(client, { sql: q.sql }, { analyze: false, statementTimeoutMs: 5000 });
      firstExplainMs ??= Date.now() - started;
      queries.push({ ...q, ...explained, sql: q.sql });
    }
    return {
      database: `PostgreSQL ${version} at ${hostOf(url)} (plain EXPLAIN, read-only)`,
      analyzed: false,
      rows: request.rows,
      queries,
      skippedStatements: [],
      tables: [],
      firstExplainMs,
      totalMs: Date.now() - started,
    };
  } catch (err) {
    if (request.signal?.aborted) throw abortError();
    throw err;
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}

/** The host (and port) of a connection string, for messages and confirmations; never the password. */
export function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return 'the configured database';
  }
}
