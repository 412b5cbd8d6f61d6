import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Client } from 'pg';
import { ensureDataset } from '../../src/core/explain/dataset';
import { explainQuery } from '../../src/core/explain/explain';
import { useTestCluster } from '../helpers/postgres';
import { fixtureStatements } from '../helpers/sqlFixtures';

const SHOP = path.resolve(__dirname, '../fixtures/explain/shop');

describe('EXPLAIN before and after the suggested index, on the real PostgreSQL', function () {
  this.timeout(180_000);
  const db = useTestCluster();
  let client: Client;

  before(async () => {
    const ds = await ensureDataset(db.cluster, { statements: await fixtureStatements(SHOP), rows: { default: 5000, tables: { orders: 100_000 } } });
    client = await db.cluster.connect(ds.database);
  });
  after(async () => {
    await client?.end();
  });

  it('an unindexed filter is a sequential scan before, an index scan with the suggested index', async () => {
    const result = await explainQuery(client, { sql: 'SELECT id, total_cents FROM orders WHERE user_id = $1', suggestedIndex: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id)' }, { analyze: true });
    assert.equal(result.error, undefined);
    assert.deepEqual(result.tables, ['orders']);
    assert.equal(result.parameters.length, 1);
    assert.equal(result.before!.plan, 'Seq Scan on orders');
    assert.equal(result.before!.rowsRead, 100_000);
    assert.ok(result.before!.nodeTypes.includes('Seq Scan'));
    assert.ok(result.before!.rowsReturned >= 1, 'the drawn user id has orders');
    assert.ok(result.before!.buffers.sharedHit + result.before!.buffers.sharedRead > 0);
    assert.match(result.withIndex!.plan, /^(Index Scan using orders_user_id_idx on orders|Bitmap Heap Scan on orders using orders_user_id_idx)$/);
    assert.ok(result.withIndex!.rowsRead < 1000);
    assert.match(result.verdict, /^Seq Scan on orders reads 100,000 rows to return [\d,]+ in [\d.,]+ ms; with the suggested index: (Index|Bitmap Heap) Scan .* ms/);
    // The what-if was rolled back with the transaction.
    const idx = await client.query("SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'orders_user_id_idx'");
    assert.equal(idx.rows[0].n, 0);
  });

  it('a query an index already serves is an index scan', async () => {
    const result = await explainQuery(client, { sql: 'SELECT email FROM users WHERE id = $1' }, { analyze: true });
    assert.equal(result.before!.plan, 'Index Scan using users_pkey on users');
    assert.equal(result.before!.rowsReturned, 1);
    assert.match(result.verdict, /^Served by an index: Index Scan using users_pkey on users, 1 row read, [\d.]+ ms\.$/);
  });

  it('a range filter gets a recent slice and uses the timestamp index', async () => {
    const result = await explainQuery(client, { sql: 'SELECT id FROM orders WHERE created_at > $1 ORDER BY created_at DESC LIMIT $2' }, { analyze: true });
    assert.equal(result.parameters[1], 20);
    assert.match(result.before!.plan, /orders_created_at/);
  });

  // Shapes met on sqlc's example schemas (booktest, ondeck): INSERT parameters typed by their
  // columns (a foreign key, an enum), DELETE/UPDATE tables named in `relation`, array parameters.
  it('fills INSERT parameters from their columns: a foreign key gets a parent key, an enum a label', async () => {
    const result = await explainQuery(client, { sql: 'INSERT INTO orders (user_id, status, total_cents, quantity, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id' }, { analyze: true });
    assert.equal(result.error, undefined);
    assert.match(result.verdict, /^ModifyTable in [\d.]+ ms; no table is scanned\.$/);
    const user = await client.query('SELECT 1 FROM users WHERE id = $1', [result.parameters[0]]);
    assert.equal(user.rowCount, 1);
  });

  it('DELETE and UPDATE parameters are drawn from the table they name', async () => {
    const del = await explainQuery(client, { sql: 'DELETE FROM orders WHERE user_id = $1' }, { analyze: true });
    assert.deepEqual(del.tables, ['orders']);
    const owner = await client.query('SELECT 1 FROM orders WHERE user_id = $1 LIMIT 1', [del.parameters[0]]);
    assert.equal(owner.rowCount, 1);
  });

  it('an array parameter compared with an array column gets an array drawn from it', async () => {
    const result = await explainQuery(client, { sql: 'SELECT id FROM "Audit Log" WHERE tags && $1::text[]' }, { analyze: true });
    assert.equal(result.error, undefined);
    assert.ok(result.before!.rowsReturned > 0, JSON.stringify(result.parameters));
  });

  it('a query that writes leaves the data unchanged', async () => {
    const checksum = async (): Promise<string> => (await client.query<{ h: string }>("SELECT md5(string_agg(id || ':' || status || ':' || total_cents, ',' ORDER BY id)) AS h FROM orders")).rows[0].h;
    const before = await checksum();
    const count = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0].n;
    const update = await explainQuery(client, { sql: "UPDATE orders SET status = 'cancelled', total_cents = 0 WHERE user_id = $1", suggestedIndex: 'CREATE INDEX ON orders (user_id)' }, { analyze: true });
    assert.equal(update.error, undefined);
    assert.ok(update.before!.nodeTypes.includes('ModifyTable'));
    const profiles = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM profiles')).rows[0].n;
    const del = await explainQuery(client, { sql: 'DELETE FROM profiles WHERE user_id < $1' }, { analyze: true });
    assert.equal(del.error, undefined);
    assert.equal((await client.query<{ n: number }>('SELECT count(*)::int AS n FROM profiles')).rows[0].n, profiles);
    // Deleting orders that other rows reference fails as it would in production: reported, nothing changed.
    // Which referencing table PostgreSQL names first depends on the drawn rows and on the tables other
    // tests added to this database ("Audit Log", seat_assignments), so any foreign key onto orders is right.
    const refused = await explainQuery(client, { sql: 'DELETE FROM orders WHERE id < $1' }, { analyze: true });
    assert.match(refused.error ?? '', /^update or delete on table "orders" violates foreign key constraint "[^"]+" on table "(Audit Log|seat_assignments)"$/);
    assert.equal(await checksum(), before);
    assert.equal((await client.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0].n, count);
  });

  it('plain EXPLAIN (own database mode) executes nothing and reports estimates', async () => {
    const result = await explainQuery(client, { sql: 'DELETE FROM orders WHERE user_id = $1' }, { analyze: false });
    // READ ONLY transaction: even EXPLAIN of a write is only planned.
    assert.equal(result.error, undefined);
    assert.equal(result.before!.ms, 0);
    assert.equal(result.before!.plan, 'Seq Scan on orders');
    assert.match(result.verdict, /cost \d+/);
  });

  it('a query PostgreSQL rejects is reported with its message, and the session goes on', async () => {
    const result = await explainQuery(client, { sql: 'SELECT nope FROM orders WHERE id = $1' }, { analyze: true });
    assert.equal(result.error, 'column "nope" does not exist');
    const ok = await explainQuery(client, { sql: 'SELECT 1 FROM users WHERE id = $1' }, { analyze: true });
    assert.equal(ok.error, undefined);
  });
});
