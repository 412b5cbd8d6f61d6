/**
 * What the data generator needs to know about the tables, read from PostgreSQL's own catalog
 * after the migrations ran (so it is exactly what PostgreSQL built, not a model of it): columns
 * and their types, NOT NULL, defaults, identity/generated columns, unique sets (primary keys,
 * unique constraints and unique indexes, expression ones included), foreign keys and checks.
 */
import type { Client } from 'pg';

export interface CatalogColumn {
  name: string;
  /** 1-based attribute number. */
  num: number;
  /** The column's declared type, as `format_type` prints it (`character varying(40)`). */
  type: string;
  /** For a domain, its base type; else the same as `type`. */
  baseType: string;
  /** `e` enum, `b` base, `d` domain (resolved to its base), … */
  typeKind: string;
  /** Element type of an array column. */
  elementType?: string;
  enumLabels?: string[];
  notNull: boolean;
  /** The default expression, when there is one. */
  defaultExpr?: string;
  /** Identity (`a`/`d`), generated (`s`), or a serial's `nextval(…)` default: the database fills it. */
  filledByDatabase: boolean;
}

export interface CatalogForeignKey {
  name: string;
  columns: string[];
  /** Qualified, quoted parent table (`"public"."users"`). */
  parent: string;
  parentColumns: string[];
}

export interface CatalogCheck {
  name: string;
  /** `pg_get_constraintdef`, e.g. `CHECK ((status = ANY (ARRAY['a'::text, 'b'::text])))`. */
  definition: string;
  columns: string[];
}

export interface CatalogTable {
  oid: number;
  schema: string;
  name: string;
  /** `"schema"."name"`. */
  qualified: string;
  columns: CatalogColumn[];
  primaryKey: string[];
  /** Every set of columns that must be unique (PK, UNIQUE, unique indexes; partial ones too). */
  uniqueSets: string[][];
  foreignKeys: CatalogForeignKey[];
  checks: CatalogCheck[];
  /** Constraint kinds the generator cannot honour (exclusion constraints). */
  unsupportedConstraints: string[];
  existingRows: number;
}

export async function readCatalog(client: Client): Promise<CatalogTable[]> {
  const tables = await client.query<{ oid: number; schema: string; name: string; qualified: string }>(`
    SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name,
           quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    ORDER BY n.nspname, c.relname`);
  if (tables.rows.length === 0) return [];
  const oids = tables.rows.map((t) => t.oid);

  const columns = await client.query<{
    rel: number; num: number; name: string; type: string; base_type: string; typtype: string; element_type: string | null;
    enum_labels: string[] | null; not_null: boolean; default_expr: string | null; identity: string; generated: string;
  }>(`
    SELECT a.attrelid::int AS rel, a.attnum::int AS num, a.attname AS name,
           format_type(a.atttypid, a.atttypmod) AS type,
           CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE format_type(a.atttypid, a.atttypmod) END AS base_type,
           CASE WHEN t.typtype = 'd' THEN bt.typtype ELSE t.typtype END AS typtype,
           CASE WHEN coalesce(bt.typelem, t.typelem) <> 0 AND coalesce(bt.typcategory, t.typcategory) = 'A'
                THEN format_type(coalesce(bt.typelem, t.typelem), NULL) END AS element_type,
           (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = coalesce(bt.oid, t.oid)) AS enum_labels,
           a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default_expr,
           a.attidentity::text AS identity, a.attgenerated::text AS generated
    FROM pg_attribute a
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attrelid, a.attnum`, [oids]);

  const uniques = await client.query<{ rel: number; primary: boolean; cols: string[] }>(`
    SELECT i.indrelid::int AS rel, i.indisprimary AS primary,
           -- Key columns from indkey; columns inside expressions from the index's dependencies
           -- (a constraint's index depends on the constraint, but its indkey names the columns).
           array(SELECT a.attname::text FROM pg_attribute a
                 WHERE a.attrelid = i.indrelid AND a.attnum > 0 AND (a.attnum = ANY(i.indkey::int2[])
                   OR EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = 'pg_class'::regclass AND dep.objid = i.indexrelid
                              AND dep.refobjid = i.indrelid AND dep.refobjsubid = a.attnum))
                 ORDER BY a.attnum) AS cols
    FROM pg_index i WHERE i.indisunique AND i.indrelid = ANY($1::oid[])`, [oids]);

  const constraints = await client.query<{ rel: number; name: string; kind: string; def: string; cols: string[]; parent: string | null; parent_cols: string[] | null }>(`
    SELECT con.conrelid::int AS rel, con.conname AS name, con.contype::text AS kind, pg_get_constraintdef(con.oid) AS def,
           array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
           CASE WHEN con.contype = 'f' THEN (SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = con.confrelid) END AS parent,
           CASE WHEN con.contype = 'f' THEN array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) END AS parent_cols
    FROM pg_constraint con WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('f', 'c', 'x')
    ORDER BY con.conrelid, con.conname`, [oids]);

  const byOid = new Map<number, CatalogTable>();
  for (const t of tables.rows) {
    byOid.set(t.oid, { ...t, columns: [], primaryKey: [], uniqueSets: [], foreignKeys: [], checks: [], unsupportedConstraints: [], existingRows: 0 });
  }
  for (const c of columns.rows) {
    byOid.get(c.rel)!.columns.push({
      name: c.name,
      num: c.num,
      type: c.type,
      baseType: c.base_type,
      typeKind: c.typtype,
      elementType: c.element_type ?? undefined,
      enumLabels: c.enum_labels ?? undefined,
      notNull: c.not_null,
      defaultExpr: c.default_expr ?? undefined,
      filledByDatabase: c.identity !== '' || c.generated !== '' || /^nextval\(/i.test(c.default_expr ?? ''),
    });
  }
  for (const u of uniques.rows) {
    const t = byOid.get(u.rel)!;
    if (u.cols.length === 0) continue;
    t.uniqueSets.push(u.cols);
    if (u.primary) t.primaryKey = u.cols;
  }
  for (const c of constraints.rows) {
    const t = byOid.get(c.rel)!;
    if (c.kind === 'f') t.foreignKeys.push({ name: c.name, columns: c.cols, parent: c.parent!, parentColumns: c.parent_cols! });
    else if (c.kind === 'c') t.checks.push({ name: c.name, definition: c.def, columns: c.cols });
    else t.unsupportedConstraints.push(`${c.name} (${c.def})`);
  }
  for (const t of byOid.values()) {
    const res = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t.qualified}`);
    t.existingRows = res.rows[0].n;
  }
  return [...byOid.values()];
}
