import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runExplainCommand } from '../../src/cli/explain';
import { main } from '../../src/cli/main';
import { processAlive } from '../../src/core/explain/cluster';
import type { ExplainSourceReader } from '../../src/core/explain/sources';
import { fixtureStatements } from '../helpers/sqlFixtures';
import { testClusterRoot } from '../helpers/postgres';

const SHOP = path.resolve(__dirname, '../fixtures/explain/shop');

/** Hand-listed queries over the fixture (the product's come from src/core/sql's extraction). */
const shopSources: ExplainSourceReader = async () => ({
  statements: await fixtureStatements(SHOP),
  queries: [
    { file: path.join(SHOP, 'src/orders.ts'), range: { start: { line: 4, character: 2 }, end: { line: 4, character: 60 } }, sql: 'SELECT id, total_cents FROM orders WHERE user_id = $1', suggestedIndex: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id)' },
    { file: path.join(SHOP, 'src/users.ts'), range: { start: { line: 2, character: 2 }, end: { line: 2, character: 40 } }, sql: 'SELECT email FROM users WHERE id = $1' },
  ],
});

describe('shipshape explain (CLI)', function () {
  this.timeout(180_000);

  const run = (opts: Parameters<typeof runExplainCommand>[1]) => runExplainCommand(SHOP, { clusterDir: testClusterRoot(), ...opts }, process.cwd(), shopSources, new PassThrough());

  it('prints the SPEC JSON shape, slowest query first, with the plan before and with the suggested index', async () => {
    const outcome = await run({ format: 'json', rows: 20_000 });
    assert.equal(outcome.exitCode, 0);
    const report = JSON.parse(outcome.output);
    assert.equal(report.version, 1);
    assert.match(report.database, /^embedded PostgreSQL \d+\.\d+$/);
    assert.deepEqual(report.rows, { default: 20000, tables: {} });
    assert.equal(report.queries.length, 2);
    const [orders, users] = report.queries;
    assert.equal(orders.file, 'src/orders.ts');
    assert.deepEqual(orders.range.start, { line: 5, column: 3 });
    assert.equal(orders.sql, 'SELECT id, total_cents FROM orders WHERE user_id = $1');
    assert.deepEqual(orders.tables, ['orders']);
    assert.equal(orders.before.plan, 'Seq Scan on orders');
    assert.equal(orders.before.rowsRead, 20000);
    assert.equal(typeof orders.before.ms, 'number');
    assert.equal(orders.withIndex.index, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id)');
    assert.match(orders.withIndex.plan, /orders_user_id_idx/);
    assert.equal(users.before.plan, 'Index Scan using users_pkey on users');
    assert.equal(users.withIndex, undefined);
    assert.deepEqual(report.skipped[0], { file: 'migrations/002_more.sql', line: 3, reason: 'column "no_such_column" does not exist' });
    assert.ok(report.skipped.some((s: { table?: string }) => s.table === 'coupons'));
  });

  it('--max-ms: exit 1 when a query is slower, 0 when every query is under', async () => {
    const strict = await run({ format: 'text', rows: 20_000, maxMs: 0.0001 });
    assert.equal(strict.exitCode, 1);
    assert.match(strict.output, /2 queries slower than --max-ms 0.0001\./);
    const lenient = await run({ format: 'text', rows: 20_000, maxMs: 60_000 });
    assert.equal(lenient.exitCode, 0);
    assert.match(lenient.output, /Every query under --max-ms 60000\./);
    assert.match(lenient.output, /^query +plan +time +with the suggested index$/m);
    assert.match(lenient.output, /^src\/orders\.ts:5 +Seq Scan on orders +[\d.]+ ms +[\d.]+ ms \((Index|Bitmap Heap) Scan/m);
  });

  it('main: `explain` applies the workspace migrations found by src/core/sql; usage errors exit 2', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    let errText = '';
    err.on('data', (c: Buffer) => (errText += c.toString()));
    const code = await main(['explain', SHOP, '--rows', '500', '--format', 'json', '--cluster-dir', testClusterRoot()], { stdout: out, stderr: err, cwd: process.cwd() });
    assert.equal(code, 0, errText);
    const report = JSON.parse(text);
    assert.deepEqual(report.rows, { default: 500, tables: {} });
    assert.deepEqual(report.skipped[0], { file: 'migrations/002_more.sql', line: 3, reason: 'column "no_such_column" does not exist' });
    assert.equal(report.tables.find((t: { table: string }) => t.table === 'orders').rows, 500);
    const bad = await main(['explain', SHOP, '--rows', 'many'], { stdout: new PassThrough(), stderr: err, cwd: process.cwd() });
    assert.equal(bad, 2);
    assert.match(errText, /expected a whole number of rows/);
    const missing = await main(['explain', path.join(SHOP, 'nope')], { stdout: new PassThrough(), stderr: err, cwd: process.cwd() });
    assert.equal(missing, 2);
    assert.match(errText, /shipshape: not a folder: .*nope\. Pass the project folder to explain\./);
  });

  it('the bundled example API: queries extracted by src/core/sql, unindexed ones proven by a sequential scan that the suggested index removes', async () => {
    const example = path.resolve(__dirname, '../../examples/orders-api');
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const err = new PassThrough();
    let errText = '';
    err.on('data', (c: Buffer) => (errText += c.toString()));
    const code = await main(['explain', example, '--rows', '20000', '--format', 'json', '--cluster-dir', testClusterRoot()], { stdout: out, stderr: err, cwd: process.cwd() });
    assert.equal(code, 0, errText);
    const report = JSON.parse(text) as { queries: { file: string; before: { plan: string }; withIndex?: { plan: string; index: string } }[] };
    assert.ok(report.queries.length >= 4, text);
    const withIndex = report.queries.filter((q) => q.withIndex);
    assert.ok(withIndex.length >= 2);
    for (const q of withIndex) {
      assert.match(q.before.plan, /^Seq Scan on /, `${q.file}: ${q.before.plan}`);
      assert.match(q.withIndex!.plan, /^(Index|Index Only|Bitmap Heap) Scan /, `${q.file}: ${q.withIndex!.plan}`);
      assert.match(q.withIndex!.index, /^CREATE INDEX CONCURRENTLY IF NOT EXISTS /);
    }
    const served = report.queries.filter((q) => !q.withIndex);
    assert.ok(served.length >= 1);
    for (const q of served) assert.match(q.before.plan, /^Index Scan using \w+_pkey on /);
  });

  it('cancel (SIGTERM) stops within 1 s and leaves no PostgreSQL process', async () => {
    const script = `
      const path = require('node:path');
      const { runExplainCommand } = require(${JSON.stringify(path.resolve(__dirname, '../../src/cli/explain.ts'))});
      const { fixtureStatements } = require(${JSON.stringify(path.resolve(__dirname, '../helpers/sqlFixtures.ts'))});
      const sources = async () => ({ statements: await fixtureStatements(${JSON.stringify(SHOP)}), queries: [] });
      // A volume never built before, so the run is busy generating rows when cancelled.
      runExplainCommand(${JSON.stringify(SHOP)}, { format: 'json', progress: true, rows: 2000000 + (process.pid % 1000), clusterDir: ${JSON.stringify(testClusterRoot())} }, process.cwd(), sources, process.stderr)
        .then(() => process.exit(0), (e) => { process.stderr.write('ERR ' + e.message + '\\n'); process.exit(2); });`;
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const pgPid = await new Promise<number>((resolve, reject) => {
      child.stderr!.on('data', (c: Buffer) => {
        err += c.toString();
        const m = /"kind":"cluster"[^\n]*"pid":(\d+)/.exec(err);
        if (m && err.includes('"kind":"dataset"')) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before starting: ${err}`)));
    });
    try {
      await new Promise((r) => setTimeout(r, 1500)); // into the row generation
      const sent = Date.now();
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await exited;
      while (processAlive(pgPid) && Date.now() - sent < 5000) await new Promise((r) => setTimeout(r, 10));
      const stoppedIn = Date.now() - sent;
      assert.equal(processAlive(pgPid), false, 'PostgreSQL still running');
      assert.ok(stoppedIn < 1000, `stopped in ${stoppedIn} ms`);
      assert.equal(code, 2);
      assert.match(err, /ERR explain cancelled; the embedded PostgreSQL was stopped\./);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      if (processAlive(pgPid)) process.kill(pgPid, 'SIGKILL');
    }
  });
});
