/**
 * The differential oracle: every coverage case, run through PostgreSQL's own planner (PGlite:
 * PostgreSQL 18 compiled to WebAssembly, in this process; one instance for the whole suite) with
 * `enable_seqscan = off`, and the plan compared with the model's verdict:
 *   served      — one index scan on the table whose Index Cond names every filtered column, or a
 *                 BitmapAnd whose index scans together name them all;
 *   partly      — an index scan with an Index Cond on the table, but not all of the above;
 *   not-served  — no index condition on the table at all (with sequential scans off, PostgreSQL
 *                 then reads a whole index and filters every row).
 * For ORDER BY … LIMIT without a filter: served when an index scan feeds the rows with no Sort.
 * Where PostgreSQL and the model disagree, PostgreSQL is right: the case (or the model) changes.
 */
import * as assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { statementsOfFile } from '../../../src/core/sql/migrations';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { coverageOfQuery } from '../../../src/core/sql/queryCoverage';
import { buildSchema } from '../../../src/core/sql/schemaSource';
import { COVERAGE_CASES, type CoverageCase } from './coverageCases';

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

function modelVerdict(c: CoverageCase): string {
  const schema = buildSchema(statementsOfFile({ file: '/ws/migrations/1.sql', style: 'sql', folder: '/ws/migrations' }, c.ddl));
  const cov = coverageOfQuery(c.query, schema).coverages.find((x) => x.access.table.name === c.table);
  return cov ? cov.status : 'no-finding';
}

/** Index nodes reading `table`, each with the heap node that carries its Filter (for bitmap scans). */
function indexNodesOn(root: PlanNode, table: string): Array<{ node: PlanNode; heap: PlanNode; bitmapAnd: boolean }> {
  const out: Array<{ node: PlanNode; heap: PlanNode; bitmapAnd: boolean }> = [];
  const walk = (n: PlanNode, heap: PlanNode | undefined, bitmapAnd: boolean): void => {
    const type = String(n['Node Type']);
    if ((type === 'Index Scan' || type === 'Index Only Scan') && n['Relation Name'] === table) out.push({ node: n, heap: n, bitmapAnd: false });
    if (type === 'Bitmap Index Scan' && heap && heap['Relation Name'] === table) out.push({ node: n, heap, bitmapAnd });
    const nextHeap = type === 'Bitmap Heap Scan' ? n : heap;
    for (const child of n.Plans ?? []) walk(child, nextHeap, bitmapAnd || type === 'BitmapAnd');
  };
  walk(root, undefined, false);
  return out;
}

function planVerdict(root: PlanNode, c: CoverageCase): string {
  const nodes = indexNodesOn(root, c.table);
  if (c.orderOnly) {
    const sorts = JSON.stringify(root).includes('"Node Type":"Sort"');
    return nodes.length > 0 && !sorts ? 'served' : 'not-served';
  }
  const withCond = nodes.filter((n) => typeof n.node['Index Cond'] === 'string');
  if (withCond.length === 0) return 'not-served';
  const mentions = (text: unknown, col: string) => typeof text === 'string' && new RegExp(`\\b${col}\\b`).test(text);
  // A Filter on a column that is also in the Index Cond is a recheck (LIKE 'abc%' is searched as a
  // range, then rechecked), not a column left to filter.
  const full = withCond.some((n) => !n.bitmapAnd && c.columns.every((col) => mentions(n.node['Index Cond'], col)));
  const anded = withCond.filter((n) => n.bitmapAnd);
  const combined = anded.length > 1 && c.columns.every((col) => anded.some((n) => mentions(n.node['Index Cond'], col)));
  return full || combined ? 'served' : 'partly';
}

describe('sql: index coverage agrees with PostgreSQL 18 (PGlite oracle)', function () {
  // PGlite's first start compiles PostgreSQL's WebAssembly: seconds, more on a loaded machine.
  this.timeout(180_000);
  let db: PGlite;

  before(async () => {
    await loadSqlParser();
    db = await PGlite.create();
  });
  after(async () => {
    await db?.close();
  });

  COVERAGE_CASES.filter((c) => c.expected !== 'no-finding').forEach((c, i) => {
    it(`${c.name}${c.oracleNote ? ` (${c.oracleNote})` : ''}`, async () => {
      const schemaName = `case_${i}`;
      await db.exec(`CREATE SCHEMA ${schemaName}; SET search_path TO ${schemaName}; ${c.ddl}`);
      try {
        if (c.data) await db.exec(c.data);
        await db.exec('SET enable_seqscan = off');
        const generic = /\$\d/.test(c.query) ? 'GENERIC_PLAN, ' : '';
        // The simple protocol: an extended-protocol query would have to bind the `$n` parameters.
        const [res] = await db.exec(`EXPLAIN (${generic}FORMAT JSON) ${c.query}`);
        const cell = (res.rows[0] as Record<string, unknown>)['QUERY PLAN'];
        const plan = (typeof cell === 'string' ? JSON.parse(cell) : cell)[0].Plan as PlanNode;
        const fromPlanner = planVerdict(plan, c);
        const fromModel = modelVerdict(c);
        if (c.oracleNote) {
          // PostgreSQL 18's skip scan can list a non-leading column in an Index Cond; the index
          // is still read over the whole range of the leading column(s). The model follows SPEC
          // (leading prefix); the planner must at least agree that something is (or is not) indexed
          // on the leading column.
          assert.ok(fromModel === 'not-served' || fromPlanner !== 'not-served', `model ${fromModel}, planner ${fromPlanner}\n${JSON.stringify(plan)}`);
          if (process.env.SHIPSHAPE_ORACLE_VERBOSE) console.log(`    model ${fromModel}, planner ${fromPlanner}: ${c.name}`);
        } else {
          assert.equal(fromModel, fromPlanner, `planner says ${fromPlanner} for ${c.query}\n${JSON.stringify(plan)}`);
        }
      } finally {
        await db.exec(`RESET enable_seqscan; RESET search_path; DROP SCHEMA ${schemaName} CASCADE`);
      }
    });
  });
});
