/**
 * A dataset = the workspace's schema (its migrations applied in order) filled with synthetic rows
 * at the asked volume, then ANALYZEd. Built once per schema hash into its own database of the
 * embedded cluster (`shipshape_<hash>`), so the next explain of the same schema and volumes is
 * instant. Building happens in `shipshape_<hash>_build`, renamed when complete: a cancelled or
 * crashed build never passes for a finished one. The build report (statements skipped, rows per
 * table) is kept as the database's comment.
 */
import * as crypto from 'node:crypto';
import { readCatalog } from './catalog';
import { abortError, type RunningCluster } from './cluster';
import { detachForLoad, restoreForeignKeys, restoreTable } from './bulkLoad';
import type { CatalogTable } from './catalog';
import { dependencyOrder, displayName, generateRows, type RowTargets, type TableFill } from './generate';
import { applyMigrations, type MigrationStatementInput, type SkippedStatement } from './migrate';

/** Bump when the generator changes what it produces: old caches are then rebuilt. */
const GENERATOR_VERSION = 6;
/** Datasets kept besides the one in use (the least recently built are dropped). */
const KEEP_DATASETS = 3;
const PREFIX = 'shipshape_';

export interface DatasetRequest {
  statements: readonly MigrationStatementInput[];
  rows: RowTargets;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface Dataset {
  /** The database to explain in. */
  database: string;
  hash: string;
  /** True when an earlier run built it. */
  cached: boolean;
  tables: TableFill[];
  skippedStatements: SkippedStatement[];
  /** Time taken to build (0 when cached). */
  buildMs: number;
}

interface StoredReport {
  tables: TableFill[];
  skippedStatements: SkippedStatement[];
}

export function datasetHash(request: Pick<DatasetRequest, 'statements' | 'rows'>, postgresVersion: string): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify({ v: GENERATOR_VERSION, pg: postgresVersion, rows: { d: request.rows.default, t: Object.entries(request.rows.tables).sort() } }));
  for (const st of request.statements) h.update(`\0${st.file}:${st.range.start.line}\0${st.sql}`);
  return h.digest('hex').slice(0, 16);
}

export async function ensureDataset(cluster: RunningCluster, request: DatasetRequest): Promise<Dataset> {
  const hash = datasetHash(request, cluster.version);
  const database = `${PREFIX}${hash}`;
  const admin = await cluster.connect();
  try {
    const existing = await admin.query<{ comment: string | null }>('SELECT shobj_description(oid, \'pg_database\') AS comment FROM pg_database WHERE datname = $1', [database]);
    if (existing.rows.length) {
      const report = parseReport(existing.rows[0].comment);
      if (report) return { database, hash, cached: true, ...report, buildMs: 0 };
      await admin.query(`DROP DATABASE ${admin.escapeIdentifier(database)} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }

  const started = Date.now();
  const building = `${database}_build`;
  await cluster.dropDatabase(building);
  await cluster.createDatabase(building);
  let report: StoredReport;
  const client = await cluster.connect(building);
  const onAbort = (): void => void client.end().catch(() => undefined);
  request.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    request.log?.(`applying ${request.statements.length} migration statements`);
    const skippedStatements = await applyMigrations(client, request.statements, { signal: request.signal });
    throwIfAborted(request.signal);
    const catalog = await readCatalog(client);
    const tables = await loadTables(cluster, building, client, catalog, request);
    report = { tables, skippedStatements };
  } catch (err) {
    throwIfAborted(request.signal);
    throw err;
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }

  const admin2 = await cluster.connect();
  try {
    await admin2.query(`COMMENT ON DATABASE ${admin2.escapeIdentifier(building)} IS ${admin2.escapeLiteral(JSON.stringify(report))}`);
    await admin2.query(`ALTER DATABASE ${admin2.escapeIdentifier(building)} RENAME TO ${admin2.escapeIdentifier(database)}`);
    await evictOldDatasets(admin2, database);
  } finally {
    await admin2.end();
  }
  return { database, hash, cached: false, ...report, buildMs: Date.now() - started };
}

/**
 * Rows in, the PostgreSQL way: keys and indexes off, rows generated table by table on one
 * connection while a second connection puts the previous table's keys and indexes back and
 * ANALYZEs it (two tables in flight; the build is CPU-bound and there are usually ≥ 2 cores),
 * foreign keys back last, each checked by PostgreSQL over the whole table.
 */
async function loadTables(cluster: RunningCluster, database: string, client: import('pg').Client, catalog: CatalogTable[], request: DatasetRequest): Promise<TableFill[]> {
  const detached = await detachForLoad(client, catalog);
  const referenced = new Set(catalog.flatMap((t) => t.foreignKeys.map((fk) => fk.parent)));
  const looseForeignKeys = catalog.some((t) => t.foreignKeys.length > 0) && detached.foreignKeys.length < catalog.reduce((n, t) => n + t.foreignKeys.length, 0);
  const finisher = await cluster.connect(database);
  const onAbort = (): void => void finisher.end().catch(() => undefined);
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const rejected = new Map<string, string>();
  const finished = new Set<string>();
  let pendingForeignKeys = detached.foreignKeys;
  let finishing: Promise<void> = Promise.resolve();
  let finishError: unknown;
  try {
    // Keys are right by construction (drawn from the parents' rows, unique sets derived from the
    // row number); replica mode also keeps user triggers from firing on generated rows.
    await client.query('SET session_replication_role = replica');
    const tables = await generateRows(client, catalog, request.rows, {
      signal: request.signal,
      log: request.log,
      // Emptying a table is only possible when no foreign key points at it any more.
      freshStorage: (t) => detached.tables.has(t.qualified) && (!referenced.has(t.qualified) || !looseForeignKeys),
      onTableDone: (table) => {
        finishing = finishing.then(async () => {
          const started = Date.now();
          const own = detached.tables.get(table.qualified);
          if (own) {
            const reason = await restoreTable(finisher, own);
            if (reason) rejected.set(table.qualified, reason);
          }
          // Its foreign keys to tables already finished go back now, while the next table loads.
          const ready = pendingForeignKeys.filter((fk) => fk.qualified === table.qualified && finished.has(fk.parent));
          pendingForeignKeys = pendingForeignKeys.filter((fk) => !ready.includes(fk));
          for (const [qualified, reason] of await restoreForeignKeys(finisher, ready, [])) if (!rejected.has(qualified)) rejected.set(qualified, reason);
          finished.add(table.qualified);
          await finisher.query(`ANALYZE ${table.qualified}`);
          request.log?.(`${displayName(table)}: keys, indexes and statistics in ${Date.now() - started} ms`);
        }).catch((err: unknown) => {
          finishError ??= err;
        });
      },
    });
    await finishing;
    if (finishError) throw finishError;
    await client.query('RESET session_replication_role');
    throwIfAborted(request.signal);
    const started = Date.now();
    // Self-references and cycles: their parent was not finished before them.
    const emptied = await restoreForeignKeys(client, pendingForeignKeys, dependencyOrder(catalog).map((t) => t.qualified));
    if (pendingForeignKeys.length) request.log?.(`${pendingForeignKeys.length} foreign keys of self-referencing tables checked in ${Date.now() - started} ms`);
    for (const [qualified, reason] of emptied) if (!rejected.has(qualified)) rejected.set(qualified, reason);
    for (const qualified of emptied.keys()) await client.query(`ANALYZE ${qualified}`);
    const byQualified = new Map(catalog.map((t) => [displayName(t), t.qualified]));
    return tables.map((fill) => {
      const reason = rejected.get(byQualified.get(fill.table) ?? '');
      return reason ? { table: fill.table, rows: 0, skipped: `PostgreSQL rejected the generated rows: ${reason}` } : fill;
    });
  } finally {
    // A failed build leaves no finisher query running against the dropped database.
    await finishing;
    request.signal?.removeEventListener('abort', onAbort);
    await finisher.end().catch(() => undefined);
  }
}

async function evictOldDatasets(admin: import('pg').Client, keep: string): Promise<void> {
  const res = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'shipshape\\_%' AND datname <> $1 ORDER BY oid DESC`, [keep]);
  for (const { datname } of res.rows.slice(KEEP_DATASETS)) {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)} WITH (FORCE)`);
  }
}

function parseReport(comment: string | null): StoredReport | undefined {
  if (!comment) return undefined;
  try {
    const parsed = JSON.parse(comment) as StoredReport;
    return Array.isArray(parsed.tables) && Array.isArray(parsed.skippedStatements) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError();
}
