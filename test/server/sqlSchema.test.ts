import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DefinitionRequest, HoverRequest, type Hover, type Location, type MarkupContent, type Position } from 'vscode-languageserver-protocol/node';
import { lspFixtureSession, LspTestClient, uriOf } from './lspClient';

/**
 * SQL in the editor, through the built language server (dist/server.js over stdio), on a copy of
 * test/fixtures/sql-lsp-workspace:
 *   migrations/001_init.sql     customers (unique email), orders (FK indexed, status)
 *   migrations/002_regions.sql  ALTER TABLE orders ADD COLUMN region
 *   src/orders.ts               a template query filtering orders.region (no index: unindexed-filter)
 *   src/customers.ts            a query on customers.email (served by the UNIQUE index)
 */
describe('language server: SQL schema (hover, definition, problems, migration edits)', function () {
  this.timeout(90_000);
  const session = lspFixtureSession('sql-lsp-workspace');
  let client: LspTestClient;
  const start = async (prepare?: (root: string) => void): Promise<LspTestClient> => (client = await session.start(prepare));

  /** The position of the `n`-th `needle` in a file, `into` characters in. */
  const positionOf = (rel: string, needle: string, into = 1): Position => {
    const lines = fs.readFileSync(client.file(rel), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes(needle));
    assert.ok(line >= 0, `${needle} not in ${rel}`);
    return { line, character: lines[line].indexOf(needle) + into };
  };

  const hover = async (rel: string, needle: string, into = 1, open = true): Promise<Hover | null> => {
    if (open) await client.open(rel);
    return client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(client.file(rel)) }, position: positionOf(rel, needle, into) });
  };

  const definition = async (rel: string, needle: string, into = 1): Promise<Location | null> => {
    await client.open(rel);
    return (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf(client.file(rel)) }, position: positionOf(rel, needle, into) })) as Location | null;
  };

  it('hovers a table name inside a query template in a .ts file: columns, indexes, foreign keys', async () => {
    await start();
    const h = await hover('src/orders.ts', 'orders WHERE', 2);
    assert.ok(h, 'no hover');
    const md = (h.contents as MarkupContent).value;
    assert.match(md, /^\*\*Table `orders`\*\* — defined in migrations\/001_init\.sql:6/);
    assert.match(md, /\| `customer_id` \| `bigint` \| NOT NULL \| {2}\|/);
    assert.match(md, /\| `status` \| `text` \| NOT NULL \| `'new'` \|/);
    assert.match(md, /\| `region` \| `text` \| {2}\| {2}\|/);
    assert.match(md, /- `orders_customer_id_idx \(customer_id\)`/);
    assert.match(md, /- `orders_customer_id_fkey` \(customer_id\) → `customers` \(id\)/);
    const pos = positionOf('src/orders.ts', 'orders WHERE', 0);
    assert.deepEqual(h.range, { start: pos, end: { line: pos.line, character: pos.character + 'orders'.length } });
  });

  it('hovers a column, and says nothing on SQL keywords or TypeScript outside the query', async () => {
    await start();
    const col = await hover('src/orders.ts', 'region = $1', 2);
    assert.match((col!.contents as MarkupContent).value, /^\*\*Column `orders\.region`\*\* `text`, nullable — defined in migrations\/002_regions\.sql:1/);
    assert.equal(await hover('src/orders.ts', 'WHERE region'), null);
    assert.equal(await hover('src/orders.ts', 'ordersInRegion'), null);
  });

  it('goes to the CREATE TABLE statement of a table, and to the ALTER TABLE … ADD COLUMN of a column', async () => {
    await start();
    const table = await definition('src/customers.ts', 'customers WHERE', 1);
    assert.equal(table?.uri, uriOf(client.file('migrations/001_init.sql')));
    assert.equal(table?.range.start.line, 0);
    const column = await definition('src/orders.ts', 'region = $1', 1);
    assert.equal(column?.uri, uriOf(client.file('migrations/002_regions.sql')));
    assert.deepEqual(column?.range.start, { line: 0, character: 'ALTER TABLE orders ADD COLUMN '.length });
  });

  it('hovers and goes to definition from a name in a .sql migration', async () => {
    await start();
    const h = await hover('migrations/002_regions.sql', 'orders ADD', 1);
    assert.match((h!.contents as MarkupContent).value, /^\*\*Table `orders`\*\*/);
    const def = await definition('migrations/001_init.sql', 'customers (id)', 2);
    assert.equal(def?.uri, uriOf(client.file('migrations/001_init.sql')));
    assert.equal(def?.range.start.line, 0);
  });

  const BAD_MIGRATION = [
    'CREATE TABLE audit (id bigserial PRIMARY KEY);',
    '',
    'CREAT INDEX audit_id ON audit (id);',
    'CREATE TABLE shipments (',
    '  id bigserial PRIMARY KEY,',
    '  order_id bigint NOT NULL REFERENCES orders (id)',
    ');',
    '',
  ].join('\n');

  it('puts a statement PostgreSQL rejects on its line of the migration, and still analyses the rest', async () => {
    await start((r) => fs.writeFileSync(`${r}/migrations/003_audit.sql`, BAD_MIGRATION));
    const diagnostics = await client.waitFor('the migration problem', () => {
      const d = client.diagnosticsOf('migrations/003_audit.sql');
      return d.some((x) => x.code === 'migration-statement') && d;
    });
    const [problem] = diagnostics.filter((d) => d.code === 'migration-statement');
    assert.deepEqual(problem.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } });
    assert.equal(problem.severity, 2);
    assert.equal(problem.source, 'shipshape');
    assert.match(String(problem.message), /^PostgreSQL rejects this statement \(syntax error at or near "CREAT"\); it is skipped.*Fix the statement/);
    // The statement after it was applied: its unindexed foreign key is reported.
    const fk = diagnostics.filter((d) => d.code === 'fk-without-index');
    assert.deepEqual(fk.map((d) => d.range.start.line), [5]);
    // Fixed on disk: the problem goes, the finding stays.
    fs.writeFileSync(client.file('migrations/003_audit.sql'), BAD_MIGRATION.replace('CREAT INDEX', 'CREATE INDEX'));
    await client.filesChanged([{ uri: uriOf(client.file('migrations/003_audit.sql')), type: 2 }]);
    await client.waitFor('the problem to go', () => !client.diagnosticsOf('migrations/003_audit.sql').some((d) => d.code === 'migration-statement'));
    assert.deepEqual(client.diagnosticsOf('migrations/003_audit.sql').map((d) => `${d.code}:${d.range.start.line}`), ['fk-without-index:5']);
  });

  const unindexed = (rel: string) => client.diagnosticsOf(rel).filter((d) => d.code === 'unindexed-filter');
  const runsSince = (mark: number) => client.logs.slice(mark).filter((l) => /: analysis run: /.test(l));

  it('a migration edit re-derives the schema and re-checks only the files whose queries read a changed table', async () => {
    await start();
    const [before] = unindexed('src/orders.ts');
    assert.ok(before, 'the fixture should report the unindexed region filter');
    assert.match(String(before.message), /No index serves the filter on `orders` \(`region`\)/);
    assert.deepEqual(unindexed('src/customers.ts'), []);
    const mark = client.logs.length;
    const migration = 'migrations/002_regions.sql';
    await client.open(migration);
    await client.change(migration, 'ALTER TABLE orders ADD COLUMN region text;\nCREATE INDEX orders_region_idx ON orders (region);\n');
    await client.waitFor('the unindexed-filter diagnostic to go', () => unindexed('src/orders.ts').length === 0);
    await client.waitFor('the related pass after the migration edit', () => client.logs.slice(mark).find((l) => /re-analysed, after edits to migrations\/002_regions\.sql/.test(l)));
    const runs = runsSince(mark);
    assert.ok(runs.some((l) => /analysis run: migrations\/002_regions\.sql in /.test(l)), runs.join('\n'));
    assert.ok(runs.some((l) => /analysis run: src\/orders\.ts, migrations\/001_init\.sql in /.test(l)), runs.join('\n'));
    // customers.ts reads customers, whose definition did not change; db.ts has no query: neither is re-analysed.
    assert.ok(!runs.some((l) => /customers\.ts|db\.ts|\d+ files in/.test(l)), runs.join('\n'));
    assert.ok(client.logs.slice(mark).some((l) => /schema changed: re-checking 1 of 2 files with queries, and 2 schema files/.test(l)), client.logs.slice(mark).join('\n'));
  });

  it('editing a query file re-checks that file alone against the schema', async () => {
    await start();
    const mark = client.logs.length;
    await client.open('src/customers.ts');
    const text = fs.readFileSync(client.file('src/customers.ts'), 'utf8');
    await client.change('src/customers.ts', text.replace('WHERE email = $1', 'WHERE lower(email) = $1'));
    await client.waitFor('a finding in the edited file', () => unindexed('src/customers.ts').length > 0);
    await client.waitFor('the related pass', () => client.logs.slice(mark).find((l) => /re-analysed, after edits to src\/customers\.ts/.test(l)));
    const runs = runsSince(mark);
    assert.ok(runs.some((l) => /analysis run: src\/customers\.ts in /.test(l)), runs.join('\n'));
    assert.ok(!runs.some((l) => /orders\.ts|\.sql/.test(l)), runs.join('\n'));
  });

  it('a TypeScript migration (TypeORM queryRunner.query) is a schema source: editing it re-checks the queries too', async () => {
    const migration = 'migrations/003_region_index.ts';
    const body = (sql: string) =>
      [
        "import { MigrationInterface, QueryRunner } from 'typeorm';",
        '',
        'export class RegionIndex1700000000003 implements MigrationInterface {',
        '  async up(queryRunner: QueryRunner): Promise<void> {',
        `    await queryRunner.query(\`${sql}\`);`,
        '  }',
        '',
        '  async down(queryRunner: QueryRunner): Promise<void> {',
        '    await queryRunner.query(`DROP INDEX orders_region_idx`);',
        '  }',
        '}',
        '',
      ].join('\n');
    await start((r) => fs.writeFileSync(`${r}/${migration}`, body('CREATE INDEX orders_status_idx ON orders (status)')));
    assert.equal(unindexed('src/orders.ts').length, 1);
    const mark = client.logs.length;
    await client.open(migration);
    await client.change(migration, body('CREATE INDEX orders_region_idx ON orders (region)'));
    await client.waitFor('the unindexed-filter diagnostic to go', () => unindexed('src/orders.ts').length === 0);
    await client.waitFor('the related pass', () => client.logs.slice(mark).find((l) => /re-analysed, after edits to migrations\/003_region_index\.ts/.test(l)));
    assert.ok(!runsSince(mark).some((l) => /customers\.ts/.test(l)), runsSince(mark).join('\n'));
    // Hover reads the edited schema: the new index is listed.
    const h = await hover('src/orders.ts', 'orders WHERE', 2);
    assert.match(String((h!.contents as MarkupContent).value), /- `orders_region_idx \(region\)`/);
    // And inside the migration module's SQL (unsaved buffer): the table it indexes.
    const inMigration = await hover(migration, 'ON orders', 4, false);
    assert.match(String((inMigration!.contents as MarkupContent).value), /^\*\*Table `orders`\*\*/);
    assert.equal(await hover(migration, 'RegionIndex', 1, false), null);
  });
});
