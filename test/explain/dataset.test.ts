import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ensureDataset } from '../../src/core/explain/dataset';
import { useTestCluster } from '../helpers/postgres';
import { fixtureStatements } from '../helpers/sqlFixtures';

const SHOP = path.resolve(__dirname, '../fixtures/explain/shop');

describe('synthetic dataset on the real PostgreSQL', function () {
  this.timeout(180_000);
  const db = useTestCluster();
  const rows = { default: 3000, tables: { orders: 20000, organizations: 40, memberships: 100000 } };

  before(async () => {
    // Built by this suite, not reused from an earlier run of another version of the generator.
    for (const name of await db.cluster.listDatabases()) if (name.startsWith('shipshape_')) await db.cluster.dropDatabase(name);
  });

  async function scalar<T>(database: string, sql: string): Promise<T> {
    const client = await db.cluster.connect(database);
    try {
      return Object.values((await client.query(sql)).rows[0])[0] as T;
    } finally {
      await client.end();
    }
  }

  it('applies the migrations in order, names the statement that fails, and applies the rest', async () => {
    const ds = await ensureDataset(db.cluster, { statements: await fixtureStatements(SHOP), rows });
    const failed = ds.skippedStatements.map((s) => ({ file: path.basename(s.file), line: s.line, reason: s.reason }));
    assert.deepEqual(failed, [{ file: '002_more.sql', line: 2, reason: 'column "no_such_column" does not exist' }]);
    assert.equal(await scalar<number>(ds.database, `SELECT count(*)::int FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'shipped_at'`), 1);
  });

  it('fills every table at the asked volume, foreign keys drawn from the parents, unique columns unique', async () => {
    const ds = await ensureDataset(db.cluster, { statements: await fixtureStatements(SHOP), rows });
    const fill = Object.fromEntries(ds.tables.map((t) => [t.table, t]));
    assert.equal(fill.users.rows, 3000);
    assert.equal(fill.orders.rows, 20000);
    assert.equal(fill.organizations.rows, 40);
    // A join table's primary key (organization_id, user_id) allows at most 40 × 3000 pairs.
    assert.equal(fill.memberships.rows, 100000);
    // profiles.user_id is both the primary key and a foreign key: one profile per user at most.
    assert.equal(fill.profiles.rows, 3000);
    assert.equal(fill['Audit Log'].rows, 3000);
    const q = (sql: string) => scalar<number>(ds.database, sql);
    assert.equal(await q('SELECT count(*)::int FROM orders o LEFT JOIN users u ON u.id = o.user_id WHERE u.id IS NULL'), 0);
    assert.equal(await q('SELECT count(*)::int FROM memberships m LEFT JOIN organizations o ON o.id = m.organization_id WHERE o.id IS NULL'), 0);
    assert.equal(await q('SELECT count(*)::int FROM memberships m LEFT JOIN users u ON u.id = m.user_id WHERE u.id IS NULL'), 0);
    assert.equal(await q('SELECT count(*)::int FROM profiles p LEFT JOIN users u ON u.id = p.user_id WHERE u.id IS NULL'), 0);
    assert.equal(await q('SELECT count(*)::int FROM "Audit Log" a LEFT JOIN orders o ON o.id = a."order" WHERE a."order" IS NOT NULL AND o.id IS NULL'), 0);
    assert.equal(await q('SELECT count(DISTINCT email)::int FROM users'), 3000);
    assert.equal(await q('SELECT count(DISTINCT slug)::int FROM organizations'), 40);
    assert.equal(await q('SELECT count(DISTINCT (organization_id, user_id))::int FROM memberships'), 100000);
    assert.equal(await q(`SELECT count(*)::int FROM organizations WHERE plan NOT IN ('free', 'team', 'enterprise')`), 0);
    assert.equal(await q('SELECT count(*)::int FROM orders WHERE quantity NOT BETWEEN 1 AND 10 OR total_cents < 0'), 0);
    assert.equal(await q('SELECT count(*)::int FROM "Audit Log" WHERE attempts IS NOT NULL AND attempts NOT IN (3, 4)'), 0);
    // Realistic shapes: a skewed enum, timestamps over a year, a few NULLs in nullable columns.
    const topStatusShare = await q(`SELECT max(c)::float / 20000 FROM (SELECT count(*) AS c FROM orders GROUP BY status) s`);
    assert.ok(topStatusShare > 0.35, `most common status holds ${topStatusShare}`);
    assert.ok((await q(`SELECT extract(day FROM max(created_at) - min(created_at))::int FROM orders`)) > 300);
    const nullNotes = await q('SELECT count(*)::int FROM orders WHERE note IS NULL');
    assert.ok(nullNotes > 0 && nullNotes < 2000, `${nullNotes} NULL notes`);
    // Statistics are there for the planner.
    assert.ok((await q(`SELECT count(*)::int FROM pg_stats WHERE tablename = 'orders'`)) > 0);
  });

  it('names a table whose CHECK it cannot honour, and the tables that need its rows', async () => {
    const ds = await ensureDataset(db.cluster, { statements: await fixtureStatements(SHOP), rows });
    const fill = Object.fromEntries(ds.tables.map((t) => [t.table, t]));
    assert.equal(fill.coupons.rows, 0);
    assert.match(fill.coupons.skipped ?? '', /coupons_code_length/);
    assert.equal(fill.coupon_uses.rows, 0);
    assert.equal(fill.coupon_uses.skipped, 'its parent public.coupons has no rows (coupon_uses_coupon_id_fkey)');
  });

  it('honours CHECKs comparing two columns: the second column is the first plus a non-negative offset', async () => {
    const ds = await ensureDataset(db.cluster, { statements: await fixtureStatements(SHOP), rows });
    const fill = Object.fromEntries(ds.tables.map((t) => [t.table, t]));
    assert.equal(fill.bookings.skipped, undefined);
    assert.equal(fill.bookings.rows, 3000);
    assert.equal(fill.booking_notes.rows, 3000);
    assert.equal(fill.price_bands.rows, 3000);
    const q = (sql: string): Promise<number> => scalar<number>(ds.database, sql);
    assert.equal(await q('SELECT count(*)::int FROM bookings WHERE period_end < period_start'), 0);
    // Spread, not collapsed onto one value: the pair differs on most rows, the offsets vary.
    assert.ok((await q('SELECT count(*)::int FROM bookings WHERE period_end > period_start')) > 2500);
    assert.ok((await q('SELECT count(DISTINCT period_end - period_start)::int FROM bookings')) > 20);
    assert.equal(await q('SELECT count(*)::int FROM price_bands WHERE NOT (min_cents <= max_cents AND min_cents >= 0)'), 0);
    assert.equal(await q('SELECT count(*)::int FROM price_bands WHERE starts_on >= ends_on'), 0);
    assert.ok((await q('SELECT count(*)::int FROM price_bands WHERE starts_on IS NULL')) > 0, 'the nullable side keeps its NULLs');
  });

  it('a nullable foreign key with nothing to point at yet (a cycle) is NULL, and both tables are filled', async () => {
    const ds = await ensureDataset(db.cluster, { statements: await fixtureStatements(SHOP), rows });
    const fill = Object.fromEntries(ds.tables.map((t) => [t.table, t]));
    assert.deepEqual([fill.accounts, fill.contacts], [{ table: 'accounts', rows: 3000 }, { table: 'contacts', rows: 3000 }]);
    const q = (sql: string): Promise<number> => scalar<number>(ds.database, sql);
    assert.equal(await q('SELECT count(*)::int FROM accounts WHERE primary_contact_id IS NOT NULL'), 0);
    assert.equal(await q('SELECT count(*)::int FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id WHERE a.id IS NULL'), 0);
    // PostgreSQL checked both foreign keys when they were put back.
    assert.equal(await q(`SELECT count(*)::int FROM pg_constraint WHERE contype = 'f' AND conrelid IN ('accounts'::regclass, 'contacts'::regclass) AND convalidated`), 2);
  });

  it('two one-to-one foreign keys on a table are each unique (a mixed-radix chain per unique set)', async () => {
    const ds = await ensureDataset(db.cluster, { statements: await fixtureStatements(SHOP), rows });
    const fill = Object.fromEntries(ds.tables.map((t) => [t.table, t]));
    assert.deepEqual(fill.seat_assignments, { table: 'seat_assignments', rows: 3000 });
    const q = (sql: string): Promise<number> => scalar<number>(ds.database, sql);
    assert.equal(await q('SELECT count(DISTINCT user_id)::int FROM seat_assignments'), 3000);
    assert.equal(await q('SELECT count(DISTINCT order_id)::int FROM seat_assignments'), 3000);
  });

  it('the second request for the same schema and volumes is served from the cache', async () => {
    const request = { statements: await fixtureStatements(SHOP), rows };
    const first = await ensureDataset(db.cluster, request);
    const second = await ensureDataset(db.cluster, request);
    assert.equal(second.cached, true);
    assert.equal(second.database, first.database);
    assert.deepEqual(second.tables, first.tables);
    const other = await ensureDataset(db.cluster, { ...request, rows: { ...rows, default: 1000 } });
    assert.notEqual(other.database, first.database);
  });
});
