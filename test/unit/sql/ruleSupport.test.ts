import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProject } from '../../../src/core/project/project';
import { statementsOfFile } from '../../../src/core/sql/migrations';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { fileQueries, filesWithChangedTables, recordFileQueries, schemaFor } from '../../../src/core/sql/ruleSupport';
import { createWorkspace, removeWorkspace } from '../../helpers/workspace';
import type { SchemaModel } from '../../../src/core/sql/schema';
import { buildSchema } from '../../../src/core/sql/schemaSource';

const INIT = `CREATE TABLE customers (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), region text);
`;

function schemaOf(...files: string[]): SchemaModel {
  return buildSchema(files.flatMap((sql, i) => statementsOfFile({ file: `/ws/migrations/00${i + 1}.sql`, style: 'sql', folder: '/ws/migrations' }, sql)));
}

/** A query as `queriesInFiles` gives it: file, SQL, the tables it reads (display names), and its node's offsets. */
const query = (file: string, sql: string, tables: string[]) => ({ file, sql, tables, node: { getStart: () => 10, getEnd: () => 10 + sql.length } });

describe('sql: which files a schema change re-checks', () => {
  before(loadSqlParser);

  const record = (schema: SchemaModel) => {
    const cache = new Map<string, unknown>();
    recordFileQueries(
      cache,
      ['/ws/src/orders.ts', '/ws/src/customers.ts', '/ws/src/db.ts'],
      [query('/ws/src/orders.ts', 'SELECT * FROM orders WHERE region = $1', ['orders']), query('/ws/src/customers.ts', 'SELECT * FROM customers WHERE email = $1', ['customers'])],
      schema,
    );
    return fileQueries(cache);
  };

  it('keeps each file\'s query spans and the tables they read', () => {
    const queries = record(schemaOf(INIT));
    assert.deepEqual(queries.get('/ws/src/orders.ts')!.spans, [{ start: 10, end: 48, sql: 'SELECT * FROM orders WHERE region = $1' }]);
    assert.deepEqual([...queries.get('/ws/src/orders.ts')!.tables.keys()], ['public.orders']);
    assert.deepEqual(queries.get('/ws/src/db.ts')!.spans, []);
  });

  it('an index on orders: only the file reading orders', () => {
    const queries = record(schemaOf(INIT));
    assert.deepEqual(filesWithChangedTables(queries, schemaOf(INIT, 'CREATE INDEX orders_region_idx ON orders (region);')), ['/ws/src/orders.ts']);
  });

  it('a column type or NOT NULL changed on customers: only the file reading customers', () => {
    const queries = record(schemaOf(INIT));
    assert.deepEqual(filesWithChangedTables(queries, schemaOf(INIT, 'ALTER TABLE customers ALTER COLUMN email DROP NOT NULL;')), ['/ws/src/customers.ts']);
  });

  it('nothing when only where things are defined changed (comments, blank lines, statements split across files)', () => {
    const queries = record(schemaOf(INIT));
    const [customers, orders] = INIT.split('\n');
    assert.deepEqual(filesWithChangedTables(queries, schemaOf(`-- init\n\n${customers}\n`, `${orders}\n`)), []);
  });

  it('a table added or dropped: every file with queries (one may read a table the schema did not know), not files without', () => {
    const queries = record(schemaOf(INIT));
    assert.deepEqual(filesWithChangedTables(queries, schemaOf(INIT, 'CREATE TABLE audit (id bigint);')).sort(), ['/ws/src/customers.ts', '/ws/src/orders.ts']);
  });
});

describe('sql: when the schema is rebuilt', () => {
  before(loadSqlParser);
  const ENTITY = (index: string) => `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
@Entity('tickets')
${index}export class Ticket {
  @PrimaryGeneratedColumn() id!: number;
  @Column() state!: string;
}
`;
  const indexesOf = (schema: SchemaModel) => (schema.lookup('tickets')?.indexes ?? []).map((i) => i.keys.map((k) => k.column ?? '?').join(','));

  it('from entities (no migration creates a table): an edit to an entity rebuilds it', () => {
    const root = createWorkspace({ files: { 'src/ticket.entity.ts': ENTITY('') } });
    try {
      const project = loadProject(root);
      const first = schemaFor(project)!;
      assert.equal(first.usesCodeSchema, true);
      assert.equal(schemaFor(project), first, 'unchanged files: the same schema');
      const file = path.join(root, 'src', 'ticket.entity.ts');
      fs.writeFileSync(file, ENTITY("@Index(['state'])\n"));
      fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
      const second = schemaFor(project)!;
      assert.notEqual(second, first);
      assert.ok(indexesOf(second.schema).includes('state'), `indexes: ${indexesOf(second.schema)}`);
    } finally {
      removeWorkspace(root);
    }
  });

  it('from migrations: the entity files are not part of it, and their edits rebuild nothing', () => {
    const root = createWorkspace({ files: { 'migrations/001_init.sql': 'CREATE TABLE tickets (id serial PRIMARY KEY, state text NOT NULL);\n', 'src/ticket.entity.ts': ENTITY('') } });
    try {
      const project = loadProject(root);
      const first = schemaFor(project)!;
      assert.equal(first.usesCodeSchema, false);
      const file = path.join(root, 'src', 'ticket.entity.ts');
      fs.writeFileSync(file, ENTITY("@Index(['state'])\n"));
      fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
      assert.equal(schemaFor(project), first);
      assert.deepEqual(indexesOf(first.schema).filter((c) => c === 'state'), []);
    } finally {
      removeWorkspace(root);
    }
  });
});
