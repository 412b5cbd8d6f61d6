import * as assert from 'node:assert/strict';
import { describeIndex } from '../../../src/core/sql/coverage';
import { statementsOfFile } from '../../../src/core/sql/migrations';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { coverageOfQuery } from '../../../src/core/sql/queryCoverage';
import type { SchemaModel } from '../../../src/core/sql/schema';
import { buildSchema } from '../../../src/core/sql/schemaSource';
import { COVERAGE_CASES } from './coverageCases';

function schemaOf(ddl: string): SchemaModel {
  return buildSchema(statementsOfFile({ file: '/ws/migrations/1.sql', style: 'sql', folder: '/ws/migrations' }, ddl));
}

function verdict(ddl: string, query: string, table: string): string {
  const q = coverageOfQuery(query, schemaOf(ddl));
  assert.equal(q.error, undefined);
  const c = q.coverages.find((x) => x.access.table.name === table);
  return c ? c.status : 'no-finding';
}

describe('sql: index coverage (model)', () => {
  before(loadSqlParser);

  for (const c of COVERAGE_CASES) {
    it(`${c.name} → ${c.expected}`, () => {
      assert.equal(verdict(c.ddl, c.query, c.table), c.expected);
    });
  }

  it('names the columns left to a filter when an index serves only a prefix', () => {
    const q = coverageOfQuery('SELECT * FROM memberships WHERE tenant_id = $1 AND user_id = $2', schemaOf('CREATE TABLE memberships (tenant_id int, organization_id int, user_id int, PRIMARY KEY (tenant_id, organization_id, user_id));'));
    const c = q.coverages[0];
    assert.equal(c.status, 'partly');
    assert.equal(c.best!.index.name, 'memberships_pkey');
    assert.deepEqual(c.best!.served, [{ column: 'tenant_id' }]);
    assert.deepEqual(c.leftToFilter, ['user_id']);
    assert.equal(c.suggestion!.sql, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS memberships_tenant_id_user_id_idx ON memberships (tenant_id, user_id);');
  });

  it('leaves to the filter only the columns no index serves, naming the other indexes PostgreSQL can combine', () => {
    const ddl = 'CREATE TABLE profiles (id int PRIMARY KEY, source text, owner_id int, name text); CREATE UNIQUE INDEX profiles_source_id ON profiles (source, id); CREATE INDEX profiles_name ON profiles (name);';
    const c = coverageOfQuery('SELECT * FROM profiles WHERE owner_id = $1 AND source = $2 AND name = ANY($3)', schemaOf(ddl)).coverages[0];
    assert.equal(c.status, 'partly');
    assert.deepEqual(c.leftToFilter, ['owner_id']);
    assert.deepEqual([c.best!.index.name, ...(c.alsoBy ?? []).map((u) => u.index.name)].sort(), ['profiles_name', 'profiles_source_id']);
  });

  it('shows a partial index predicate with its IN / NOT IN value list', () => {
    const schema = schemaOf("CREATE TABLE reqs (id int PRIMARY KEY, state text, owner int); CREATE UNIQUE INDEX reqs_pending ON reqs (owner) WHERE state NOT IN ('applied', 'cancelled');");
    assert.equal(describeIndex(schema.lookup('reqs')!.indexes[1]), "reqs_pending (owner) WHERE state NOT IN ('applied', 'cancelled')");
  });

  it('suggests equality columns first, then the range or ORDER BY column, and says why each index does not serve', () => {
    const schema = schemaOf(`CREATE TABLE orders (id int PRIMARY KEY, user_id int, status text, created_at timestamptz, deleted_at timestamptz, tags text[]);
      CREATE INDEX orders_live ON orders (user_id) WHERE deleted_at IS NULL; CREATE INDEX orders_tags ON orders USING gin (tags); CREATE INDEX orders_status_hash ON orders USING hash (status);`);
    const q = coverageOfQuery('SELECT * FROM orders o WHERE o.created_at > $2 AND o.user_id = $1 ORDER BY o.created_at DESC LIMIT 10', schema);
    const c = q.coverages[0];
    assert.equal(c.status, 'not-served');
    assert.equal(c.suggestion!.sql, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_created_at_idx ON orders (user_id, created_at);');
    assert.deepEqual(c.uses.map((u) => `${describeIndex(u.index)}: ${u.whyNot}`), [
      'orders_pkey (id): starts with id, which the query does not filter',
      'orders_live (user_id) WHERE deleted_at IS NULL: is partial (WHERE deleted_at IS NULL) and the query does not imply that condition',
      'orders_tags USING gin (tags): is a GIN index (tags): it serves @>, <@, &&, ?, @@ on those columns',
      'orders_status_hash USING hash (status): is a hash index on status: it serves only `=` on that column',
    ]);
    const order = coverageOfQuery('SELECT * FROM orders WHERE status = $1 ORDER BY created_at DESC LIMIT 5', schema).coverages[0];
    assert.equal(order.status, 'served', 'the hash index serves status =');
    const contains = coverageOfQuery("SELECT * FROM orders WHERE tags @> ARRAY['x'] AND user_id = 1", schemaOf('CREATE TABLE orders (id int, user_id int, tags text[]);')).coverages[0];
    assert.equal(contains.suggestion!.sql, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id);');
  });

  it('says nothing about tables the schema does not know, and reports a query PostgreSQL rejects', () => {
    const schema = schemaOf('CREATE TABLE orders (id int PRIMARY KEY, user_id int);');
    assert.deepEqual(coverageOfQuery('SELECT * FROM invoices WHERE customer_id = $1', schema).coverages, []);
    assert.match(coverageOfQuery('SELEC * FROM orders', schema).error!, /syntax error/);
  });

  it('resolves unqualified columns in joins by the table that has them, and leaves ambiguous ones alone', () => {
    const schema = schemaOf('CREATE TABLE users (id int PRIMARY KEY, email text); CREATE TABLE orders (id int PRIMARY KEY, user_id int, status text);');
    const q = coverageOfQuery('SELECT * FROM users JOIN orders ON orders.user_id = users.id WHERE email = $1 AND status = $2', schema);
    assert.deepEqual(q.coverages.map((c) => `${c.access.table.name}:${c.status}:${c.filtered.join(',')}`), ['users:not-served:email', 'orders:not-served:user_id,status']);
    const ambiguous = coverageOfQuery('SELECT * FROM users JOIN orders ON orders.user_id = users.id WHERE id = $1', schema);
    assert.deepEqual(ambiguous.coverages, []);
  });
});
