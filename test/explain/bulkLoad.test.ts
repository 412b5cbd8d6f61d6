import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Client } from 'pg';
import { detachForLoad, restoreForeignKeys, restoreTable } from '../../src/core/explain/bulkLoad';
import { readCatalog } from '../../src/core/explain/catalog';
import { ensureDataset } from '../../src/core/explain/dataset';
import { applyMigrations } from '../../src/core/explain/migrate';
import { useTestCluster } from '../helpers/postgres';
import { fixtureStatements } from '../helpers/sqlFixtures';

const SHOP = path.resolve(__dirname, '../fixtures/explain/shop');

/** Every key, index and constraint of the user's tables, as PostgreSQL prints them. */
async function structures(client: Client): Promise<string[]> {
  const res = await client.query<{ line: string }>(`
    SELECT c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid) || CASE WHEN con.convalidated THEN '' ELSE ' NOT VALID' END AS line
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public'
    UNION ALL
    SELECT tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
    ORDER BY 1`);
  return res.rows.map((r) => r.line);
}

describe('bulk loading: keys and indexes off during the load, back (and checked) after', function () {
  this.timeout(180_000);
  const db = useTestCluster();

  it('the built dataset has exactly the keys, indexes and constraints the migrations declared, all validated', async () => {
    const statements = await fixtureStatements(SHOP);
    await db.cluster.dropDatabase('bulk_reference');
    await db.cluster.createDatabase('bulk_reference');
    const reference = await db.cluster.connect('bulk_reference');
    let declared: string[];
    try {
      await applyMigrations(reference, statements);
      declared = await structures(reference);
    } finally {
      await reference.end();
      await db.cluster.dropDatabase('bulk_reference');
    }
    assert.ok(declared.some((l) => /^orders orders_user_id_fkey FOREIGN KEY \(user_id\) REFERENCES users\(id\)$/.test(l)), declared.join('\n'));
    assert.ok(declared.some((l) => l.startsWith('orders CREATE INDEX orders_created_at ON public.orders')));

    const ds = await ensureDataset(db.cluster, { statements, rows: { default: 500, tables: {} } });
    const built = await db.cluster.connect(ds.database);
    try {
      assert.deepEqual(await structures(built), declared);
    } finally {
      await built.end();
    }
  });

  it('a key that refuses the rows empties the table and gives PostgreSQL\'s message; a foreign key then empties its children', async () => {
    await db.cluster.dropDatabase('bulk_refused');
    await db.cluster.createDatabase('bulk_refused');
    const client = await db.cluster.connect('bulk_refused');
    try {
      await client.query(`CREATE TABLE teams (id bigint PRIMARY KEY, slug text NOT NULL UNIQUE);
        CREATE TABLE players (id bigint PRIMARY KEY, team_id bigint NOT NULL REFERENCES teams (id));
        CREATE INDEX players_team ON players (team_id)`);
      const detached = await detachForLoad(client, await readCatalog(client));
      assert.deepEqual(detached.foreignKeys.map((fk) => [fk.qualified, fk.parent, fk.name]), [['public.players', 'public.teams', 'players_team_id_fkey']]);
      assert.deepEqual(detached.tables.get('public.players')?.indexes, ['CREATE INDEX players_team ON public.players USING btree (team_id)']);
      // Rows that break the unique slug, and players of those teams.
      await client.query(`INSERT INTO teams SELECT g, 'same' FROM generate_series(1, 3) g; INSERT INTO players SELECT g, 1 + g % 3 FROM generate_series(1, 10) g`);
      assert.match((await restoreTable(client, detached.tables.get('public.teams')!)) ?? '', /could not create unique index "teams_slug_key"/);
      assert.equal(await restoreTable(client, detached.tables.get('public.players')!), undefined);
      const emptied = await restoreForeignKeys(client, detached.foreignKeys, ['public.teams', 'public.players']);
      assert.match(emptied.get('public.players') ?? '', /violates foreign key constraint "players_team_id_fkey"/);
      const counts = await client.query<{ teams: number; players: number }>('SELECT (SELECT count(*)::int FROM teams) AS teams, (SELECT count(*)::int FROM players) AS players');
      assert.deepEqual(counts.rows[0], { teams: 0, players: 0 });
      // 2 primary keys, the unique slug, the foreign key, 4 NOT NULL (PostgreSQL 18 lists them) + 4 indexes.
      assert.equal((await structures(client)).length, 12);
    } finally {
      await client.end();
      await db.cluster.dropDatabase('bulk_refused');
    }
  });
});
