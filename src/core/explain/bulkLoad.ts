/**
 * Bulk loading the way PostgreSQL's docs advise (https://www.postgresql.org/docs/current/populate.html):
 * keys and indexes are taken off the tables before the rows go in and put back after, because
 * building an index once over sorted rows costs a fraction of maintaining it row by row, and a
 * foreign key added to a filled table is checked by one join instead of a trigger per row.
 *
 * Nothing about the data changes: every primary key, unique constraint, index and foreign key the
 * migrations declared is re-created from its own definition (`pg_get_constraintdef`,
 * `pg_get_indexdef`), and PostgreSQL checks each one when it is put back. Rows that break one
 * (the generator's promise failed) are removed and the table is named as skipped with
 * PostgreSQL's message, as an INSERT rejected outright would have been.
 */
import type { Client } from 'pg';
import { oneLine } from './migrate';
import type { CatalogTable } from './catalog';

/** What was taken off one table, in the order it is put back. */
export interface DetachedTable {
  qualified: string;
  /** `ALTER TABLE … ADD CONSTRAINT …` for primary keys and unique constraints. */
  keys: string[];
  /** `CREATE [UNIQUE] INDEX …` for the indexes that back no constraint. */
  indexes: string[];
}

export interface DetachedForeignKey {
  /** The referencing table. */
  qualified: string;
  /** The referenced table. */
  parent: string;
  name: string;
  sql: string;
}

export interface Detached {
  tables: Map<string, DetachedTable>;
  foreignKeys: DetachedForeignKey[];
}

/**
 * Drops every foreign key between the catalog's tables, then each plain table's keys and
 * indexes (a table whose structures cannot be dropped — a view relying on its primary key, a
 * partitioned table — keeps them and is loaded as it is).
 */
export async function detachForLoad(client: Client, tables: readonly CatalogTable[]): Promise<Detached> {
  const oids = tables.map((t) => t.oid);
  const detached: Detached = { tables: new Map(), foreignKeys: [] };
  if (oids.length === 0) return detached;
  const qualifiedOf = new Map(tables.map((t) => [t.oid, t.qualified]));

  const fks = await client.query<{ rel: number; parent: number; name: string; def: string }>(`
    SELECT con.conrelid::int AS rel, con.confrelid::int AS parent, con.conname AS name, pg_get_constraintdef(con.oid) AS def
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
    WHERE con.contype = 'f' AND con.conrelid = ANY($1::oid[]) AND c.relkind = 'r' AND con.conparentid = 0
    ORDER BY con.conrelid, con.conname`, [oids]);
  for (const fk of fks.rows) {
    const qualified = qualifiedOf.get(fk.rel)!;
    const name = client.escapeIdentifier(fk.name);
    try {
      await client.query(`ALTER TABLE ${qualified} DROP CONSTRAINT ${name}`);
      detached.foreignKeys.push({ qualified, parent: qualifiedOf.get(fk.parent) ?? '', name: fk.name, sql: `ALTER TABLE ${qualified} ADD CONSTRAINT ${name} ${fk.def}` });
    } catch {
      // Left in place: the load checks it row by row, as before.
    }
  }

  const structures = await client.query<{ rel: number; index: string; constraint: string | null; kind: string | null; def: string }>(`
    SELECT i.indrelid::int AS rel, quote_ident(n.nspname) || '.' || quote_ident(ic.relname) AS index,
           con.conname AS constraint, con.contype::text AS kind,
           CASE WHEN con.oid IS NULL THEN pg_get_indexdef(i.indexrelid) ELSE pg_get_constraintdef(con.oid) END AS def
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = ic.relnamespace
    LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
    WHERE i.indrelid = ANY($1::oid[]) AND c.relkind = 'r' AND NOT c.relispartition
    ORDER BY i.indrelid, i.indisprimary DESC, i.indexrelid`, [oids]);
  const perTable = new Map<number, typeof structures.rows>();
  for (const s of structures.rows) perTable.set(s.rel, [...(perTable.get(s.rel) ?? []), s]);

  for (const [rel, list] of perTable) {
    // Exclusion constraints stay (their tables are skipped by the generator anyway).
    if (list.some((s) => s.kind === 'x')) continue;
    const qualified = qualifiedOf.get(rel)!;
    const table: DetachedTable = { qualified, keys: [], indexes: [] };
    const drops: string[] = [];
    for (const s of list) {
      if (s.constraint) {
        const name = client.escapeIdentifier(s.constraint);
        table.keys.push(`ALTER TABLE ${qualified} ADD CONSTRAINT ${name} ${s.def}`);
        drops.push(`ALTER TABLE ${qualified} DROP CONSTRAINT ${name}`);
      } else {
        table.indexes.push(s.def);
        drops.push(`DROP INDEX ${s.index}`);
      }
    }
    try {
      await client.query('BEGIN');
      for (const sql of drops) await client.query(sql);
      await client.query('COMMIT');
      detached.tables.set(qualified, table);
    } catch {
      await client.query('ROLLBACK');
    }
  }
  return detached;
}

/**
 * Puts one table's keys and indexes back. When a key or unique index refuses the rows, the rows
 * go and the key is put back on the empty table: returns PostgreSQL's message.
 */
export async function restoreTable(client: Client, table: DetachedTable): Promise<string | undefined> {
  let rejected: string | undefined;
  // Keys first, then the other indexes (a unique one — Prisma declares @@unique as CREATE UNIQUE
  // INDEX — may refuse the rows too).
  for (const sql of [...table.keys, ...table.indexes]) {
    try {
      await client.query(sql);
    } catch (err) {
      rejected ??= oneLine((err as Error).message);
      await client.query(`DELETE FROM ${table.qualified}`);
      await client.query(sql);
    }
  }
  return rejected;
}

/**
 * Puts the foreign keys back, children in dependency order (`order`), each checked by PostgreSQL
 * over the whole table. A child whose rows break one is emptied; its own children then fail in
 * turn. Returns PostgreSQL's message per emptied table.
 */
export async function restoreForeignKeys(client: Client, foreignKeys: readonly DetachedForeignKey[], order: readonly string[]): Promise<Map<string, string>> {
  const rank = new Map(order.map((q, i) => [q, i]));
  const sorted = [...foreignKeys].sort((a, b) => (rank.get(a.qualified) ?? 0) - (rank.get(b.qualified) ?? 0));
  const emptied = new Map<string, string>();
  for (const fk of sorted) {
    try {
      await client.query(fk.sql);
    } catch (err) {
      if (!emptied.has(fk.qualified)) emptied.set(fk.qualified, oneLine((err as Error).message));
      await client.query(`DELETE FROM ${fk.qualified}`);
      await client.query(fk.sql);
    }
  }
  return emptied;
}
