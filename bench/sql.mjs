// SQL benchmarks (`node bench/sql.mjs`, after `node esbuild.mjs`; part of `npm run bench`):
//   1. schema build for 200 tables (CREATE TABLE + indexes + foreign keys), parse + apply;
//   2. 1,000 migration files parsed and applied (target: under 2 s);
//   3. extraction + coverage per query (parse a query, resolve its tables, decide coverage).
// Prints a markdown section; run.mjs appends it to bench/RESULTS.md.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(REPO, 'bench', '.work');

export async function sqlBench() {
  fs.mkdirSync(WORK, { recursive: true });
  const entry = path.join(WORK, 'sql-entry.ts');
  fs.writeFileSync(
    entry,
    `export { loadSqlParser } from '${path.join(REPO, 'src/core/sql/parser')}';
export { useBaselineWasmCompiler } from '${path.join(REPO, 'src/core/sql/wasmCompiler')}';
export { discoverMigrations, readMigrationStatements, statementsOfFile } from '${path.join(REPO, 'src/core/sql/migrations')}';
export { buildSchema } from '${path.join(REPO, 'src/core/sql/schemaSource')}';
export { coverageOfQuery } from '${path.join(REPO, 'src/core/sql/queryCoverage')}';
export { discoverFiles } from '${path.join(REPO, 'src/core/project/files')}';
`,
  );
  const out = path.join(WORK, 'sql-bench.cjs');
  await esbuild.build({ entryPoints: [entry], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', mainFields: ['module', 'main'] });
  fs.copyFileSync(path.join(REPO, 'node_modules', 'libpg-query', 'wasm', 'libpg-query.wasm'), path.join(WORK, 'libpg-query.wasm'));
  const m = await import(out);
  const lib = m.default ?? m;
  // Compiled as the CLI and the language server compile it (src/core/sql/wasmCompiler.ts).
  lib.useBaselineWasmCompiler();
  await lib.loadSqlParser();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  // 1. 200 tables.
  const ddl = [];
  for (let t = 0; t < 200; t++) {
    ddl.push(`CREATE TABLE t${t} (id bigserial PRIMARY KEY, tenant_id int NOT NULL, parent_id bigint REFERENCES t${Math.max(0, t - 1)} (id), name text, status text, created_at timestamptz DEFAULT now(), data jsonb);`);
    ddl.push(`CREATE INDEX t${t}_tenant_created ON t${t} (tenant_id, created_at DESC);`);
    ddl.push(`CREATE UNIQUE INDEX t${t}_name ON t${t} (lower(name)) WHERE status <> 'deleted';`);
  }
  const text200 = ddl.join('\n');
  const build200 = [];
  let schema;
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    schema = lib.buildSchema(lib.statementsOfFile({ file: '/bench/migrations/001.sql', style: 'sql', folder: '/bench/migrations' }, text200));
    build200.push(performance.now() - t0);
  }

  // 2. 1,000 migration files.
  const dir = path.join(WORK, 'migrations-1000');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'migrations'), { recursive: true });
  for (let i = 0; i < 1000; i++) {
    const t = i % 200;
    const body = i < 200 ? ddl.slice(t * 3, t * 3 + 3).join('\n') : `ALTER TABLE t${t} ADD COLUMN c${i} text;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t${t}_c${i} ON t${t} (c${i});\nALTER TABLE t${t} RENAME COLUMN c${i} TO d${i};`;
    fs.writeFileSync(path.join(dir, 'migrations', `${String(i + 1).padStart(4, '0')}_m${i}.sql`), body + '\n');
  }
  const runs1000 = [];
  let statements = 0;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    const files = lib.discoverMigrations({ root: dir, files: lib.discoverFiles(dir), globs: ['**/migrations/**/*.sql'] });
    const stmts = lib.readMigrationStatements(files);
    lib.buildSchema(stmts);
    runs1000.push(performance.now() - t0);
    statements = stmts.length;
  }

  // 3. Coverage per query.
  const queries = [
    'SELECT * FROM t10 WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 20',
    'SELECT t.id, p.name FROM t20 t JOIN t19 p ON p.id = t.parent_id WHERE t.status = $1',
    'SELECT * FROM t30 WHERE lower(name) = lower($1) AND status = $2',
    'WITH x AS (SELECT id FROM t40 WHERE data @> $1) SELECT * FROM t41 WHERE parent_id IN (SELECT id FROM x)',
  ];
  // coverageOfQuery remembers its verdict per query text and schema: each measured text is new
  // (a distinct comment), so every call parses, resolves and decides; the remembered case apart.
  const per = [];
  const again = [];
  for (let k = 0; k < 2000; k++) {
    const q = `${queries[k % queries.length]} /* q${k} */`;
    const t0 = performance.now();
    lib.coverageOfQuery(q, schema);
    per.push(performance.now() - t0);
    const t1 = performance.now();
    lib.coverageOfQuery(q, schema);
    again.push(performance.now() - t1);
  }
  const p95 = [...per].sort((a, b) => a - b)[Math.floor(per.length * 0.95)];
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [
    '## SQL: schema, migrations, coverage',
    '',
    `\`node bench/sql.mjs\` on ${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? 'CPU'}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}.`,
    '',
    '| what | median | target |',
    '|---|---|---|',
    `| schema build, 200 tables (600 statements: parse + apply) | ${Math.round(median(build200))} ms | |`,
    `| 1,000 migration files (${statements} statements): discover + read + parse + apply | ${Math.round(median(runs1000))} ms | < 2,000 ms: ${median(runs1000) < 2000 ? 'met' : 'NOT met'} |`,
    `| extraction + coverage of one query (parse, tables, verdict), 2,000 distinct queries | ${mean(per).toFixed(3)} ms mean, p95 ${p95.toFixed(3)} ms | |`,
    `| the same query text again (verdict remembered per schema) | ${mean(again).toFixed(4)} ms mean | |`,
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(await sqlBench());
}
