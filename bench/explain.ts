// The explain benchmark: time to the first explain on a 20-table schema at 100k rows per table.
//
//   cold: a cluster never created (initdb) + migrations + 2M synthetic rows + ANALYZE + first EXPLAIN;
//   warm: the same schema again (cluster start + cached dataset + first EXPLAIN);
//   per query: EXPLAIN (ANALYZE, BUFFERS) before and with the suggested index.
// Targets (issue 11): cold < 60 s, warm < 2 s. Writes its section of bench/RESULTS.md.
//
//   npx tsx bench/explain.ts [--rows 100000] [--tables 20] [--no-write] [--verbose]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runExplain, type ExplainTarget } from '../src/core/explain/run';
import { loadSqlParser } from '../src/core/sql/parser';
import { readMigrationStatements } from '../src/core/sql/migrations';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const ROWS = Number(arg('rows', '100000'));
const TABLES = Number(arg('tables', '20'));
const VERBOSE = process.argv.includes('--verbose');
const t0 = performance.now();
const log = VERBOSE ? (line: string): void => console.log(`  [${((performance.now() - t0) / 1000).toFixed(1)} s] ${line}`) : undefined;

function schema(): { sql: string; queries: { sql: string; index?: string }[] } {
  const statements: string[] = ['CREATE TABLE tenants (id bigserial PRIMARY KEY, name text NOT NULL, plan text NOT NULL CHECK (plan IN (\'free\', \'team\', \'enterprise\')), created_at timestamptz NOT NULL DEFAULT now())'];
  const queries: { sql: string; index?: string }[] = [];
  for (let i = 1; i < TABLES; i++) {
    const parent = i === 1 ? 'tenants' : `entity_${Math.max(1, Math.floor(i / 2))}`;
    const parentCol = i === 1 ? 'tenant_id' : `entity_${Math.max(1, Math.floor(i / 2))}_id`;
    statements.push(`CREATE TABLE entity_${i} (
      id bigserial PRIMARY KEY,
      ${parentCol} bigint NOT NULL REFERENCES ${parent} (id),
      external_ref uuid NOT NULL UNIQUE,
      status text NOT NULL,
      amount_cents integer NOT NULL CHECK (amount_cents >= 0),
      email text,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    statements.push(`CREATE INDEX entity_${i}_created_at ON entity_${i} (created_at)`);
    queries.push({ sql: `SELECT id, amount_cents FROM entity_${i} WHERE ${parentCol} = $1 ORDER BY created_at DESC LIMIT 20`, index: `CREATE INDEX CONCURRENTLY IF NOT EXISTS entity_${i}_${parentCol}_idx ON entity_${i} (${parentCol}, created_at DESC)` });
    queries.push({ sql: `SELECT * FROM entity_${i} WHERE external_ref = $1` });
  }
  return { sql: statements.join(';\n\n') + ';\n', queries };
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-explain-'));
  // A cluster root of its own (cold = never initialised), directly under the temp dir (root-safe).
  const clusterRoot = `${work}-cluster`;
  const migrations = path.join(work, 'migrations');
  fs.mkdirSync(migrations, { recursive: true });
  const { sql, queries } = schema();
  fs.writeFileSync(path.join(migrations, '001_schema.sql'), sql);
  await loadSqlParser();
  const statements = readMigrationStatements([{ file: path.join(migrations, '001_schema.sql'), style: 'sql', folder: migrations }]);
  const targets: ExplainTarget[] = queries.map((q, i) => ({ file: path.join(work, 'src', 'queries.ts'), range: { start: { line: i, character: 0 }, end: { line: i, character: 1 } }, sql: q.sql, suggestedIndex: q.index }));
  const rows = { default: ROWS, tables: {} };
  const perQuery: number[] = [];
  const run = async (): Promise<Awaited<ReturnType<typeof runExplain>>> => {
    let last = 0;
    const outcome = await runExplain({
      statements, queries: targets, rows, clusterRoot, log,
      onProgress: (e) => {
        if (e.kind === 'query') {
          const now = performance.now();
          if (last) perQuery.push(now - last);
          last = now;
        }
      },
    });
    return outcome;
  };
  const load = os.loadavg().map((l) => l.toFixed(1)).join(', ');
  console.log(`explain bench: ${TABLES} tables × ${ROWS.toLocaleString('en-US')} rows, ${targets.length} queries; load ${load}`);
  const cold = await run();
  console.log(`cold: first explain after ${cold.firstExplainMs} ms (dataset built in ${cold.dataset?.buildMs} ms), run ${cold.totalMs} ms`);
  perQuery.length = 0;
  const warm = await run();
  console.log(`warm: first explain after ${warm.firstExplainMs} ms (cached: ${warm.dataset?.cached}), run ${warm.totalMs} ms`);
  const warm2 = await run();
  console.log(`warm again: first explain after ${warm2.firstExplainMs} ms`);
  const sorted = [...perQuery].sort((a, b) => a - b);
  const p = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const seq = warm.queries.filter((q) => q.before?.plan.startsWith('Seq Scan')).length;
  const improved = warm.queries.filter((q) => q.withIndex && q.withIndex.plan !== q.before?.plan).length;
  console.log(`per query (before + with index): p50 ${p(0.5).toFixed(0)} ms, p95 ${p(0.95).toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms; ${seq} seq scans before, ${improved} changed by the suggested index`);
  const example = warm.queries.find((q) => q.withIndex);
  const section = `## Explain at scale (\`npx tsx bench/explain.ts\`)

Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, embedded PostgreSQL ${cold.database.replace(/^embedded PostgreSQL /, '')}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}; load average at start ${load} (shared machine).
Schema: ${TABLES} tables (a tenant table and a tree of ${TABLES - 1} child tables, each with a foreign key, a unique uuid, a CHECK, jsonb, a timestamp index), ${ROWS.toLocaleString('en-US')} rows per table; ${targets.length} queries (per table: an unindexed foreign-key filter with its suggested index, a unique lookup).

| measure | time | target |
|---|---|---|
| cold: time to first explain (initdb + migrations + ${(ROWS * TABLES).toLocaleString('en-US')} rows + ANALYZE + EXPLAIN) | ${(cold.firstExplainMs! / 1000).toFixed(1)} s (dataset ${(cold.dataset!.buildMs / 1000).toFixed(1)} s) | < 60 s |
| warm: time to first explain (cluster start + cached dataset + EXPLAIN) | ${warm.firstExplainMs} ms (again: ${warm2.firstExplainMs} ms) | < 2 s |
| per query, EXPLAIN ANALYZE before + CREATE INDEX + EXPLAIN ANALYZE with the index (p50 / p95 / max) | ${p(0.5).toFixed(0)} / ${p(0.95).toFixed(0)} / ${sorted[sorted.length - 1].toFixed(0)} ms | |
| whole warm run, ${targets.length} queries, cluster started and stopped | ${(warm.totalMs / 1000).toFixed(1)} s | |

Plans: ${seq} of ${warm.queries.length} queries read their table with a Seq Scan before; ${improved} changed plan with the suggested index. Example: \`${example?.sql}\` — ${example?.verdict}
`;
  if (!process.argv.includes('--no-write')) {
    const file = path.join(__dirname, 'RESULTS.md');
    const text = fs.readFileSync(file, 'utf8');
    // Its own marked section; bench/run.mjs rewrites the rest of the file and keeps marked sections.
    const block = `<!-- explain:start -->\n${section.trimEnd()}\n<!-- explain:end -->`;
    const marked = /<!-- explain:start -->[\s\S]*?<!-- explain:end -->/;
    const updated = marked.test(text) ? text.replace(marked, () => block) : `${text.trimEnd()}\n\n${block}\n`;
    fs.writeFileSync(file, updated);
  }
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(clusterRoot, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
