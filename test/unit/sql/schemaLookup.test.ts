import * as assert from 'node:assert/strict';
import { statementsOfFile } from '../../../src/core/sql/migrations';
import { loadSqlParser } from '../../../src/core/sql/parser';
import type { SchemaModel } from '../../../src/core/sql/schema';
import { schemaHoverMarkdown } from '../../../src/core/sql/schemaHover';
import { codeSymbolAt, maskTemplate, sqlSymbolAt, type SchemaSymbol } from '../../../src/core/sql/schemaLookup';
import { buildSchema } from '../../../src/core/sql/schemaSource';

const M1 = `CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email text NOT NULL UNIQUE
);

CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'new',
  created_at timestamptz
);
CREATE INDEX orders_open_idx ON orders (created_at) WHERE status <> 'done';
`;
const M2 = `ALTER TABLE orders ADD COLUMN region text;\n`;

function schemaOf(): SchemaModel {
  const files = [M1, M2];
  return buildSchema(files.flatMap((sql, i) => statementsOfFile({ file: `/ws/migrations/00${i + 1}.sql`, style: 'sql', folder: '/ws/migrations' }, sql)));
}

/** The offset of the `n`-th occurrence of `needle` in `text`, plus `into` characters. */
function at(text: string, needle: string, into = 1, n = 1): number {
  let i = -1;
  for (let k = 0; k < n; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} not in ${text}`);
  return i + into;
}

function describe_(s: SchemaSymbol | undefined): string | undefined {
  if (!s) return undefined;
  return s.kind === 'table' ? `table ${s.table.name} [${s.start},${s.end})` : `column ${s.table.name}.${s.column.name} [${s.start},${s.end})`;
}

describe('sql: what is at an offset (hover and go-to-definition)', () => {
  before(loadSqlParser);

  it('finds a table named in FROM and JOIN, through an alias, and its columns', () => {
    const schema = schemaOf();
    const sql = 'SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = $1';
    assert.equal(describe_(sqlSymbolAt(sql, at(sql, 'orders'), schema)), `table orders [${sql.indexOf('orders')},${sql.indexOf('orders') + 6})`);
    assert.equal(describe_(sqlSymbolAt(sql, at(sql, 'users', 3), schema)), `table users [${sql.indexOf('users')},${sql.indexOf('users') + 5})`);
    const email = sql.indexOf('email');
    assert.equal(describe_(sqlSymbolAt(sql, email + 2, schema)), `column users.email [${email},${email + 5})`);
    const status = sql.indexOf('status');
    assert.equal(describe_(sqlSymbolAt(sql, status, schema)), `column orders.status [${status},${status + 6})`);
    // On the alias of `o.user_id`: the table it stands for.
    assert.equal(sqlSymbolAt(sql, at(sql, 'o.user_id', 0), schema)?.kind, 'table');
  });

  it('resolves an unqualified column to the one table of the query that has it, and nothing when two do', () => {
    const schema = schemaOf();
    const sql = 'SELECT id FROM orders JOIN users ON users.id = orders.user_id WHERE region = $1';
    assert.equal(describe_(sqlSymbolAt(sql, at(sql, 'region'), schema))?.startsWith('column orders.region'), true);
    assert.equal(sqlSymbolAt(sql, at(sql, 'id'), schema), undefined);
  });

  it('finds names in migrations: CREATE TABLE, a column definition, REFERENCES, CREATE INDEX ON, ALTER TABLE ADD COLUMN', () => {
    const schema = schemaOf();
    assert.equal(describe_(sqlSymbolAt(M1, at(M1, 'orders'), schema))?.startsWith('table orders'), true);
    assert.equal(describe_(sqlSymbolAt(M1, at(M1, 'user_id'), schema))?.startsWith('column orders.user_id'), true);
    assert.equal(describe_(sqlSymbolAt(M1, at(M1, 'users (id)'), schema))?.startsWith('table users'), true);
    assert.equal(describe_(sqlSymbolAt(M1, at(M1, 'ON orders', 4), schema))?.startsWith('table orders'), true);
    assert.equal(describe_(sqlSymbolAt(M2, at(M2, 'region'), schema))?.startsWith('column orders.region'), true);
  });

  it('gives where each object was defined: the CREATE TABLE statement, the ALTER TABLE … ADD COLUMN clause', () => {
    const schema = schemaOf();
    const orders = schema.lookup('orders')!;
    assert.equal(orders.origin.file, '/ws/migrations/001.sql');
    assert.equal(orders.origin.range.start.line, 5);
    const region = orders.columns.get('region')!;
    assert.equal(region.origin.file, '/ws/migrations/002.sql');
    assert.deepEqual(region.origin.range.start, { line: 0, character: M2.indexOf('region') });
  });

  it('says nothing on keywords, literals, unknown tables and outside statements', () => {
    const schema = schemaOf();
    const sql = "SELECT * FROM audit_log WHERE note = 'orders'";
    assert.equal(sqlSymbolAt(sql, at(sql, 'audit_log'), schema), undefined);
    assert.equal(sqlSymbolAt(sql, at(sql, "'orders'", 2), schema), undefined);
    assert.equal(sqlSymbolAt(sql, 2, schema), undefined);
  });

  it('reads a template literal in TypeScript in place, interpolations masked to the same length', () => {
    const schema = schemaOf();
    const code = 'const r = await pool.query(`SELECT * FROM orders WHERE user_id = ${userId} AND status = \'open\'`);\n';
    const start = code.indexOf('`');
    const end = code.lastIndexOf('`') + 1;
    const spans = [{ start, end, sql: "SELECT * FROM orders WHERE user_id = $1 AND status = 'open'" }];
    const found = codeSymbolAt(code, at(code, 'orders', 2), spans, schema);
    assert.equal(describe_(found), `table orders [${code.indexOf('orders')},${code.indexOf('orders') + 6})`);
    assert.equal(describe_(codeSymbolAt(code, at(code, 'status'), spans, schema))?.startsWith('column orders.status'), true);
    // Inside the interpolation (TypeScript code, not SQL), and outside the query: nothing.
    assert.equal(codeSymbolAt(code, at(code, 'userId', 2), spans, schema), undefined);
    assert.equal(codeSymbolAt(code, at(code, 'pool'), spans, schema), undefined);
    assert.equal(maskTemplate('a ${b} c'), 'a $1   c');
  });

  it('falls back to the word under the cursor for SQL built from pieces, only for tables the query reads', () => {
    const schema = schemaOf();
    const code = "await pool.query('SELECT * FROM orders ' + 'WHERE region = $1', [r]);";
    const start = code.indexOf("'");
    const end = code.indexOf(', [r]');
    const spans = [{ start, end, sql: 'SELECT * FROM orders WHERE region = $1' }];
    assert.equal(describe_(codeSymbolAt(code, at(code, 'orders'), spans, schema))?.startsWith('table orders'), true);
    assert.equal(describe_(codeSymbolAt(code, at(code, 'region'), spans, schema))?.startsWith('column orders.region'), true);
    assert.equal(codeSymbolAt(code, at(code, 'WHERE'), spans, schema), undefined);
  });

  it('renders the hover: columns with type, NOT NULL and default; indexes with predicates; foreign keys', () => {
    const schema = schemaOf();
    const sql = 'SELECT * FROM orders';
    const md = schemaHoverMarkdown(sqlSymbolAt(sql, at(sql, 'orders'), schema)!, (o) => `${o.file.replace('/ws/', '')}:${o.range.start.line + 1}`);
    assert.equal(
      md,
      [
        '**Table `orders`** — defined in migrations/001.sql:6',
        '',
        '| column | type | not null | default |',
        '|---|---|---|---|',
        "| `id` | `bigserial` | NOT NULL | `nextval('orders_id_seq')` |",
        '| `user_id` | `bigint` | NOT NULL |  |',
        "| `status` | `text` | NOT NULL | `'new'` |",
        '| `created_at` | `timestamp with time zone` |  |  |',
        '| `region` | `text` |  |  |',
        '',
        '**Indexes**',
        '- PRIMARY KEY `orders_pkey (id)`',
        "- `orders_open_idx (created_at) WHERE status <> 'done'`",
        '',
        '**Foreign keys**',
        '- `orders_user_id_fkey` (user_id) → `users` (id) ON DELETE CASCADE',
      ].join('\n'),
    );
    const col = schemaHoverMarkdown(sqlSymbolAt(M2, at(M2, 'region'), schema)!, (o) => `${o.file.replace('/ws/', '')}:${o.range.start.line + 1}`);
    assert.equal(col, '**Column `orders.region`** `text`, nullable — defined in migrations/002.sql:1\n\n**Indexes using it**: none — a filter on it alone is a sequential scan');
  });
});
