// Over 400 lines on purpose: one value generator per column type and constraint kind, composed into one
// INSERT … SELECT per table; they share the expression context (row number, parent keys) that keeps keys unique and FKs valid.
/**
 * Synthetic rows at production volume, generated inside PostgreSQL (`INSERT … SELECT … FROM
 * generate_series`), from the catalog the migrations built:
 * - tables filled parents first (foreign keys drawn from the parent's real keys, skewed so some
 *   parents have many children, as users have orders);
 * - unique sets (PK, UNIQUE, unique indexes) made unique by construction: one of their columns
 *   derived injectively from the row number, or, for a set made only of foreign keys (a join
 *   table), distinct combinations of parent keys; the row count is capped to what exists;
 * - NOT NULL filled; nullable columns 5 % NULL; identity/serial/generated columns left to the
 *   database; low-cardinality text (status, type, …) and enums skewed; timestamps over a year;
 * - CHECK constraints of the common shapes honoured (`col IN (…)`, `col = ANY (ARRAY[…])`,
 *   bounds such as `col > 0` or `BETWEEN`); a table whose rows still break a constraint is
 *   named as skipped with PostgreSQL's message, and tables that need its rows are skipped too.
 * The database checks every key and constraint on insert: what lands respects them.
 */
import type { Client } from 'pg';
import { abortError } from './cluster';
import { oneLine } from './migrate';
import type { CatalogColumn, CatalogForeignKey, CatalogTable } from './catalog';

export interface RowTargets {
  /** Rows per table unless named in `tables`. */
  default: number;
  /** Rows by table name (`orders`) or qualified name (`sales.orders`). */
  tables: Record<string, number>;
}

export interface TableFill {
  /** `schema.table`, or `table` for the `public` schema. */
  table: string;
  /** Rows in the table after generation. */
  rows: number;
  /** Why no rows were generated. */
  skipped?: string;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  log?: (l: string) => void;
  /**
   * True when the table may be emptied first (no rows of its own, nothing references it): its rows
   * then go to fresh storage created in the same transaction, which PostgreSQL (wal_level=minimal)
   * writes without WAL.
   */
  freshStorage?: (table: CatalogTable) => boolean;
  /** Called once per table, loaded or skipped, in order (the caller finishes it meanwhile). */
  onTableDone?: (table: CatalogTable, fill: TableFill) => void;
}

/** Fills every table in dependency order; returns what each table got. */
export async function generateRows(client: Client, tables: CatalogTable[], targets: RowTargets, options: GenerateOptions = {}): Promise<TableFill[]> {
  const byName = new Map(tables.map((t) => [t.qualified, t]));
  const rowsOf = new Map<string, number>();
  const fills: TableFill[] = [];
  const keyTables = new Map<string, { name: string; count: number }>();
  let keySeq = 0;

  for (const table of dependencyOrder(tables)) {
    if (options.signal?.aborted) throw abortError();
    const label = displayName(table);
    const started = Date.now();
    try {
      const plan = planTable(table, targets, (fk) => {
        if (fk.parent === table.qualified) return undefined;
        return byName.has(fk.parent) ? rowsOf.get(fk.parent) ?? 0 : undefined;
      });
      if ('skip' in plan) {
        fills.push({ table: label, rows: table.existingRows, skipped: plan.skip });
        rowsOf.set(table.qualified, table.existingRows);
        options.onTableDone?.(table, fills[fills.length - 1]);
        continue;
      }
      // Each parent's keys, numbered 1..n, once per (parent, columns): a draw is a join on rn.
      const joins: string[] = [];
      for (const [i, draw] of plan.draws.entries()) {
        const id = `${draw.fk.parent}(${draw.fk.parentColumns.join(',')})`;
        let keys = keyTables.get(id);
        if (!keys) {
          const name = `shipshape_keys_${keySeq++}`;
          const cols = draw.fk.parentColumns.map(quoteIdent).join(', ');
          await client.query(`CREATE TEMP TABLE ${name} AS SELECT (row_number() OVER ())::int AS rn, ${cols} FROM (SELECT DISTINCT ${cols} FROM ${draw.fk.parent} WHERE ${draw.fk.parentColumns.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' AND ')}) k`);
          await client.query(`ALTER TABLE ${name} ADD PRIMARY KEY (rn)`);
          const n = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`);
          keys = { name, count: n.rows[0].n };
          keyTables.set(id, keys);
        }
        joins.push(`LEFT JOIN ${keys.name} k${i} ON k${i}.rn = s.r${i}`);
      }
      const draws = plan.draws.map((d, i) => `${d.rn} AS r${i}`);
      let sql = `INSERT INTO ${table.qualified} (${plan.columns.map((c) => quoteIdent(c.name)).join(', ')})
        SELECT ${plan.columns.map((c) => c.expr).join(', ')}
        FROM (SELECT g${draws.length ? ', ' + draws.join(', ') : ''} FROM generate_series(1, ${plan.rows}) g) s
        ${joins.join('\n        ')}${plan.where}`;
      if (plan.derived.size) sql = withDerivedColumns(table, plan, draws, joins);
      if (process.env.SHIPSHAPE_DEBUG_SQL) options.log?.(sql);
      let inserted = plan.rows;
      const insert = plan.columns.length === 0 ? `INSERT INTO ${table.qualified} SELECT FROM generate_series(1, ${plan.rows})` : sql;
      if (table.existingRows === 0 && options.freshStorage?.(table)) {
        await client.query('BEGIN');
        try {
          await client.query(`TRUNCATE ${table.qualified}`);
          inserted = (await client.query(insert)).rowCount ?? plan.rows;
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      } else {
        inserted = (await client.query(insert)).rowCount ?? plan.rows;
      }
      const total = table.existingRows + inserted;
      rowsOf.set(table.qualified, total);
      fills.push({ table: label, rows: total });
      options.log?.(`${label}: ${inserted} rows in ${Date.now() - started} ms`);
    } catch (err) {
      rowsOf.set(table.qualified, table.existingRows);
      fills.push({ table: label, rows: table.existingRows, skipped: `PostgreSQL rejected the generated rows: ${oneLine((err as Error).message)}` });
    }
    options.onTableDone?.(table, fills[fills.length - 1]);
  }
  return fills;
}

/** The row generated first (`v.c0`, `v.c1`, …), derived columns computed from it in an outer SELECT. */
function withDerivedColumns(table: CatalogTable, plan: TablePlan, draws: string[], joins: string[]): string {
  const alias = new Map(plan.columns.map((c, i) => [c.name, `v.c${i}`]));
  const outer = plan.columns.map((c) => {
    const d = plan.derived.get(c.name);
    if (!d) return alias.get(c.name)!;
    const value = d.expr(alias.get(d.base)!);
    // A NULL base (nullable column) gives NULL; a NOT NULL column then keeps its own value.
    return d.notNull ? `coalesce(${value}, ${alias.get(c.name)})` : value;
  });
  return `INSERT INTO ${table.qualified} (${plan.columns.map((c) => quoteIdent(c.name)).join(', ')})
        SELECT ${outer.join(', ')}
        FROM (SELECT ${plan.columns.map((c, i) => `${c.expr} AS c${i}`).join(', ')}
          FROM (SELECT g${draws.length ? ', ' + draws.join(', ') : ''} FROM generate_series(1, ${plan.rows}) g) s
          ${joins.join('\n          ')}${plan.where}) v`;
}

interface DrawPlan {
  fk: CatalogForeignKey;
  /** SQL giving the 1-based parent key number for row `g`, or NULL. */
  rn: string;
}

interface TablePlan {
  rows: number;
  columns: { name: string; expr: string }[];
  draws: DrawPlan[];
  /** Columns computed from another generated column (in an outer SELECT over the row). */
  derived: Map<string, DerivedColumn>;
  /** ` WHERE …` keeping generated key combinations off those already in the table, or ''. */
  where: string;
}

function planTable(table: CatalogTable, targets: RowTargets, parentRows: (fk: CatalogForeignKey) => number | undefined): TablePlan | { skip: string } {
  if (table.unsupportedConstraints.length) return { skip: `exclusion constraint ${table.unsupportedConstraints[0]} cannot be honoured by generated rows` };
  let rows = targetRows(table, targets);
  if (rows <= 0) return { skip: 'no rows asked for (scale.tables)' };

  // Foreign keys we can draw from; a NOT NULL one whose parent has no rows stops the table.
  const fkOf = new Map<string, { fk: CatalogForeignKey; index: number }>();
  const usable: { fk: CatalogForeignKey; parentCount: number }[] = [];
  // Nullable foreign keys with nothing to point at (a parent later in a cycle, a self-reference,
  // an empty parent): NULL, never a made-up value that would point nowhere.
  const unpointed = new Set<string>();
  for (const fk of table.foreignKeys) {
    const count = parentRows(fk);
    const required = fk.columns.some((c) => table.columns.find((col) => col.name === c)?.notNull);
    if (!count) {
      if (required) {
        return { skip: fk.parent === table.qualified ? `its NOT NULL self-reference ${fk.name} needs existing rows` : `its parent ${fk.parent.replace(/"/g, '')} has no rows (${fk.name})` };
      }
      for (const c of fk.columns) unpointed.add(c);
      continue;
    }
    if (fk.columns.some((c) => fkOf.has(c))) continue;
    const index = usable.length;
    usable.push({ fk, parentCount: count });
    for (const c of fk.columns) fkOf.set(c, { fk, index });
  }

  // Unique sets: one injective column, else distinct combinations of parent keys.
  const columnByName = new Map(table.columns.map((c) => [c.name, c]));
  const injective = new Set<string>();
  const injectiveDraw = new Map<number, { radix: number }>();
  // The parent-key draws each earlier set made unique together: a set containing one of them is
  // unique already. Each set has its own mixed-radix chain (one shared chain would make a second
  // single-key set cycle through its parent's keys more than once). Smaller sets first, so a
  // single foreign key's own set is honoured before a combination that contains it.
  const drawnTogether: number[][] = [];
  const combinations: string[][] = [];
  for (const set of [...table.uniqueSets].sort((a, b) => a.length - b.length)) {
    const cols = set.map((n) => columnByName.get(n)).filter((c): c is CatalogColumn => c !== undefined);
    if (cols.some((c) => c.filledByDatabase || injective.has(c.name))) continue;
    const fks = [...new Set(cols.filter((c) => fkOf.has(c.name)).map((c) => fkOf.get(c.name)!.index))];
    if (drawnTogether.some((together) => together.every((i) => fks.includes(i)))) continue;
    // Partly drawn by another set already: PostgreSQL names the table if that is not enough.
    if (fks.some((i) => injectiveDraw.has(i))) continue;
    const own = cols.find((c) => !fkOf.has(c.name) && canBeInjective(c));
    if (own) {
      injective.add(own.name);
      continue;
    }
    if (fks.length === 0) return { skip: `cannot generate distinct values for its unique columns (${set.join(', ')})` };
    let radix = 1;
    for (const i of fks) {
      injectiveDraw.set(i, { radix });
      radix *= usable[i].parentCount;
    }
    drawnTogether.push(fks);
    rows = Math.min(rows, radix);
    if (cols.every((c) => fkOf.has(c.name))) combinations.push(cols.map((c) => c.name));
  }
  for (const name of injective) rows = Math.min(rows, injectiveCapacity(columnByName.get(name)!));

  const draws: DrawPlan[] = usable.map(({ fk, parentCount }, i) => {
    const inj = injectiveDraw.get(i);
    if (inj) return { fk, rn: `(((g - 1) / ${inj.radix}) % ${parentCount}) + 1` };
    const nullable = !fk.columns.some((c) => columnByName.get(c)?.notNull);
    // Skewed: a power of random() makes a few parents own many children.
    const draw = `1 + floor(power(random(), 2) * ${parentCount})::int`;
    return { fk, rn: nullable ? `CASE WHEN random() < 0.05 THEN NULL ELSE ${draw} END` : draw };
  });

  const checks = checkShapes(table);
  const columns: { name: string; expr: string }[] = [];
  const offset = table.existingRows > 0 ? 10_000_000 : 0;
  for (const col of table.columns) {
    const fk = fkOf.get(col.name);
    if (fk) {
      const pos = fk.fk.columns.indexOf(col.name);
      columns.push({ name: col.name, expr: `k${fk.index}.${quoteIdent(fk.fk.parentColumns[pos])}` });
      continue;
    }
    if (col.filledByDatabase) continue;
    if (unpointed.has(col.name)) {
      columns.push({ name: col.name, expr: `NULL::${col.type}` });
      continue;
    }
    const shape = checks.get(col.name);
    let expr: string | undefined;
    if (injective.has(col.name)) expr = injectiveExpr(col, table, offset);
    else if (shape) expr = shapedExpr(col, shape);
    else expr = valueExpr(col, table);
    if (expr === undefined) {
      if (col.defaultExpr !== undefined || !col.notNull) continue;
      return { skip: `no generator for the NOT NULL column ${col.name} of type ${col.type}` };
    }
    if (!col.notNull && !injective.has(col.name)) expr = `CASE WHEN random() < 0.05 THEN NULL ELSE ${expr} END`;
    columns.push({ name: col.name, expr: `(${expr})::${col.type}` });
  }
  // Rows the migrations inserted hold some key combinations already (a data migration's members):
  // generated rows that would repeat one are left out.
  const drawn = (c: string): string => {
    const { fk, index } = fkOf.get(c)!;
    return `k${index}.${quoteIdent(fk.parentColumns[fk.columns.indexOf(c)])}`;
  };
  const where = table.existingRows > 0 && combinations.length
    ? `\n        WHERE ${combinations.map((set) => `NOT EXISTS (SELECT 1 FROM ${table.qualified} e WHERE ${set.map((c) => `e.${quoteIdent(c)} = ${drawn(c)}`).join(' AND ')})`).join(' AND ')}`
    : '';
  return { rows, columns, draws, derived: deriveCompared(table, columns, (name) => fkOf.has(name) || injective.has(name)), where };
}

/**
 * Multi-column CHECKs comparing two columns (`ends_at >= starts_at`, `max_price > min_price`): one
 * column is generated from the other plus a non-negative offset (positive when strict), so every
 * row honours the order and the pair still spreads like the rest of the data. The first free column
 * of a pair is derived (the later one, else the earlier one minus the offset); chains are not.
 */
function deriveCompared(table: CatalogTable, columns: { name: string; expr: string }[], fixed: (name: string) => boolean): Map<string, DerivedColumn> {
  const derived = new Map<string, DerivedColumn>();
  const generated = new Set(columns.map((c) => c.name));
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  for (const { greater, lesser, strict } of columnComparisons(table)) {
    const hi = byName.get(greater)!;
    const lo = byName.get(lesser)!;
    const type = typeInfo(hi.baseType).name;
    if (type !== typeInfo(lo.baseType).name || derived.has(greater) || derived.has(lesser)) continue;
    const offset = comparisonOffset(type, strict);
    if (!offset || !generated.has(greater) || !generated.has(lesser)) continue;
    const [target, base, sign] = !fixed(greater) ? [hi, lesser, '+'] : !fixed(lesser) ? [lo, greater, '-'] : [];
    if (!target || !base || !sign) continue;
    derived.set(target.name, { base, expr: (b) => `(${b} ${sign} ${offset})::${target.type}`, notNull: target.notNull });
  }
  return derived;
}

interface DerivedColumn {
  /** The column it is computed from. */
  base: string;
  /** The value, given the SQL for the base column's value. */
  expr: (base: string) => string;
  notNull: boolean;
}

function comparisonOffset(type: string, strict: boolean): string | undefined {
  if (type === 'timestamp with time zone' || type === 'timestamp without time zone') return `(random() * interval '30 days'${strict ? ` + interval '1 second'` : ''})`;
  if (type === 'date') return `(floor(random() * 30)::int${strict ? ' + 1' : ''})`;
  if (INTEGER_TYPES.has(type)) return `(floor(random() * 100)::int${strict ? ' + 1' : ''})`;
  if (type === 'numeric' || type === 'double precision' || type === 'real') return `(round((random() * 100)::numeric, 2)${strict ? ' + 0.01' : ''})`;
  if (type === 'interval') return `(random() * interval '1 day'${strict ? ` + interval '1 second'` : ''})`;
  return undefined;
}

/** `a >= b`, `b < a`, … between two columns of the table, as (greater, lesser, strict). */
function columnComparisons(table: CatalogTable): { greater: string; lesser: string; strict: boolean }[] {
  const names = new Set(table.columns.map((c) => c.name));
  const found: { greater: string; lesser: string; strict: boolean }[] = [];
  const operand = String.raw`\(?("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\)?(?:::[\w ]+)?`;
  const comparison = new RegExp(`${operand}\\s*(>=|<=|>|<)\\s*${operand}`, 'g');
  for (const check of table.checks) {
    if (check.columns.length < 2) continue;
    for (const m of check.definition.matchAll(comparison)) {
      const [left, right] = [m[1], m[3]].map((n) => (n.startsWith('"') ? n.slice(1, -1).replace(/""/g, '"') : n));
      if (left === right || !names.has(left) || !names.has(right)) continue;
      const strict = m[2] === '>' || m[2] === '<';
      found.push(m[2].startsWith('>') ? { greater: left, lesser: right, strict } : { greater: right, lesser: left, strict });
    }
  }
  return found;
}

function targetRows(table: CatalogTable, targets: RowTargets): number {
  const qualified = `${table.schema}.${table.name}`;
  return targets.tables[qualified] ?? targets.tables[table.name] ?? targets.default;
}

// ---------------------------------------------------------------------------------------------
// Value expressions (in terms of the row number `g`)

interface TypeInfo {
  name: string;
  args: number[];
  array: boolean;
}

function typeInfo(type: string): TypeInfo {
  const array = type.endsWith('[]');
  const bare = type.replace(/\[\]$/, '');
  const m = /^(.*?)\s*\(([\d,\s]+)\)(.*)$/.exec(bare);
  const name = m ? `${m[1]}${m[3]}`.trim() : bare.trim();
  const args = m ? m[2].split(',').map((s) => Number(s.trim())) : [];
  return { name: name.toLowerCase(), args, array };
}

const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint']);
const TEXT_TYPES = new Set(['text', 'character varying', 'character', 'citext', 'name', 'bpchar']);
const TIME_TYPES = new Set(['timestamp with time zone', 'timestamp without time zone', 'date']);

/** Column names whose values repeat a lot in real data (filters on them are the classic trap). */
const LOW_CARDINALITY = /(^|_)(status|state|type|kind|category|role|level|tier|plan|priority|currency|country|country_code|lang|language|locale|source|channel|gender|method|provider|region|stage|visibility|mode|unit)$/i;

function canBeInjective(col: CatalogColumn): boolean {
  const t = typeInfo(col.baseType);
  if (col.typeKind === 'e' || t.array) return false;
  return INTEGER_TYPES.has(t.name) || TEXT_TYPES.has(t.name) || TIME_TYPES.has(t.name) || ['uuid', 'numeric', 'double precision', 'real', 'bytea', 'inet', 'jsonb', 'json'].includes(t.name);
}

function injectiveCapacity(col: CatalogColumn): number {
  const t = typeInfo(col.baseType);
  if (t.name === 'smallint') return 32_000;
  if (t.name === 'date') return 3_000_000;
  if (TEXT_TYPES.has(t.name) && t.args[0] !== undefined && t.args[0] < 8) return Math.pow(10, t.args[0]) - 1;
  if (t.name === 'numeric' && t.args.length) return Math.pow(10, Math.min(12, t.args[0] - (t.args[1] ?? 0))) - 1;
  return Number.MAX_SAFE_INTEGER;
}

function injectiveExpr(col: CatalogColumn, table: CatalogTable, offset: number): string {
  const t = typeInfo(col.baseType);
  const g = offset ? `(g + ${offset})` : 'g';
  if (INTEGER_TYPES.has(t.name) || ['numeric', 'double precision', 'real'].includes(t.name)) return g;
  if (TEXT_TYPES.has(t.name)) {
    const len = t.args[0];
    if (len !== undefined && len < 12) return `${g}::text`;
    if (/e?mail/i.test(col.name)) return `'user' || ${g} || '@example.com'`;
    return `${quoteLiteral(col.name.slice(0, 6))} || '-' || ${g}`;
  }
  if (t.name === 'uuid') return `md5(${quoteLiteral(`${table.qualified}.${col.name}`)} || ${g})::uuid`;
  if (t.name === 'date') return `date '2000-01-01' + ${g}`;
  if (TIME_TYPES.has(t.name)) return `now() - ${g} * interval '1 second'`;
  if (t.name === 'bytea') return `decode(md5(${g}::text), 'hex')`;
  if (t.name === 'inet') return `('10.0.0.0'::inet + ${g})`;
  return `jsonb_build_object('id', ${g})`;
}

function valueExpr(col: CatalogColumn, table: CatalogTable): string | undefined {
  if (col.typeKind === 'e' && col.enumLabels?.length) return skewedPick(col.enumLabels.map(quoteLiteral));
  const t = typeInfo(col.baseType);
  if (t.array) {
    const element = col.elementType ? typeInfo(col.elementType).name : t.name;
    if (TEXT_TYPES.has(element)) return `ARRAY['tag' || (1 + floor(power(random(), 2) * 20))::int]`;
    if (INTEGER_TYPES.has(element)) return `ARRAY[(1 + floor(random() * 100))::int]`;
    if (element === 'uuid') return `ARRAY[md5(random()::text)::uuid]`;
    return undefined;
  }
  switch (t.name) {
    case 'smallint':
      return `floor(random() * 1000)::int`;
    case 'integer':
    case 'bigint':
      return `floor(random() * 100000)::bigint`;
    case 'numeric': {
      const [precision, scale = 0] = t.args;
      const max = precision ? Math.min(10_000, Math.pow(10, precision - scale) - 1) : 10_000;
      return `round((random() * ${max})::numeric, ${scale || 2})`;
    }
    case 'double precision':
    case 'real':
      return `random() * 1000`;
    case 'money':
      return `round((random() * 1000)::numeric, 2)::money`;
    case 'boolean':
      return `random() < 0.2`;
    case 'uuid':
      return `md5(random()::text)::uuid`;
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      // Spread over the last year, so range filters (`created_at > now() - interval '7 days'`) select a slice.
      return `now() - random() * interval '365 days'`;
    case 'date':
      return `current_date - floor(random() * 365)::int`;
    case 'time without time zone':
    case 'time with time zone':
      return `time '00:00' + random() * interval '24 hours'`;
    case 'interval':
      return `random() * interval '30 days'`;
    case 'json':
    case 'jsonb':
      return `jsonb_build_object('kind', 'k' || (1 + floor(power(random(), 2) * 5))::int, 'n', floor(random() * 1000)::int)`;
    case 'bytea':
      return `decode(md5(random()::text), 'hex')`;
    case 'inet':
    case 'cidr':
      return `('10.0.0.0'::inet + floor(random() * 65536)::int)`;
    case 'macaddr':
      return `'08:00:2b:01:02:03'::macaddr`;
    case 'tsvector':
      return `to_tsvector('simple', 'word' || floor(random() * 100)::int || ' term' || floor(random() * 7)::int)`;
    case 'xml':
      return `xmlparse(content '<v/>')`;
    case 'bit':
    case 'bit varying':
      return `B'1'`;
  }
  if (TEXT_TYPES.has(t.name)) return textExpr(col, t, table);
  return undefined;
}

function textExpr(col: CatalogColumn, t: TypeInfo, _table: CatalogTable): string {
  const len = t.args[0];
  if (len !== undefined && len <= 3) return `chr(65 + floor(power(random(), 2) * 5)::int)`;
  if (LOW_CARDINALITY.test(col.name)) {
    // A handful of values, heavily skewed: one is most rows (like `status = 'active'`).
    return `${quoteLiteral(col.name.slice(0, 8))} || '_' || (1 + floor(power(random(), 3) * 8))::int`;
  }
  if (/e?mail/i.test(col.name)) return `'user' || floor(random() * 10000000)::int || '@example.com'`;
  return `${quoteLiteral(col.name.slice(0, 8))} || ' ' || floor(random() * 1000000)::int`;
}

function skewedPick(literals: string[]): string {
  return `(ARRAY[${literals.join(', ')}])[1 + floor(power(random(), 2) * ${literals.length})::int]`;
}

// ---------------------------------------------------------------------------------------------
// CHECK constraints of common shapes

type CheckShape = { values: string[] } | { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean };

function checkShapes(table: CatalogTable): Map<string, CheckShape> {
  const shapes = new Map<string, CheckShape>();
  for (const check of table.checks) {
    if (check.columns.length !== 1) continue;
    const col = check.columns[0];
    const def = check.definition;
    const values = [...def.matchAll(/'((?:[^']|'')*)'::/g)].map((m) => m[1].replace(/''/g, "'"));
    if (/= ANY \(/.test(def) && values.length) {
      shapes.set(col, { values });
      continue;
    }
    const bounds: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean } = { ...(shapes.get(col) as object) };
    let found = false;
    for (const m of def.matchAll(/\(?"?([A-Za-z_][\w$]*)"?\)?(?:::[\w ]+)?\s*(>=|<=|>|<)\s*\(?'?(-?\d+(?:\.\d+)?)'?/g)) {
      if (m[1] !== col) continue;
      const n = Number(m[3]);
      found = true;
      if (m[2] === '>' || m[2] === '>=') Object.assign(bounds, { min: n, minExclusive: m[2] === '>' });
      else Object.assign(bounds, { max: n, maxExclusive: m[2] === '<' });
    }
    if (found) shapes.set(col, bounds);
  }
  return shapes;
}

function shapedExpr(col: CatalogColumn, shape: CheckShape): string | undefined {
  if ('values' in shape) return skewedPick(shape.values.map(quoteLiteral));
  const t = typeInfo(col.baseType);
  const integer = INTEGER_TYPES.has(t.name);
  const step = integer ? 1 : 0.01;
  const lo = shape.min === undefined ? 0 : shape.min + (shape.minExclusive ? step : 0);
  const hi = shape.max === undefined ? Math.max(lo, 0) + 1000 : shape.max - (shape.maxExclusive ? step : 0);
  if (hi < lo) return valueExpr(col, { qualified: '' } as CatalogTable);
  if (integer) return `${lo} + floor(random() * ${hi - lo + 1})::bigint`;
  if (t.name === 'numeric') return `round((${lo} + random() * ${hi - lo})::numeric, 2)`;
  if (t.name === 'double precision' || t.name === 'real') return `${lo} + random() * ${hi - lo}`;
  return valueExpr(col, { qualified: '' } as CatalogTable);
}

// ---------------------------------------------------------------------------------------------

/** Parents before children (Kahn's order); a cycle is entered at a table whose references into it are nullable (left NULL). */
export function dependencyOrder(tables: CatalogTable[]): CatalogTable[] {
  const names = new Set(tables.map((t) => t.qualified));
  const pending = new Map(tables.map((t) => [t.qualified, new Set(t.foreignKeys.map((f) => f.parent).filter((p) => p !== t.qualified && names.has(p)))]));
  const order: CatalogTable[] = [];
  const byName = new Map(tables.map((t) => [t.qualified, t]));
  while (pending.size) {
    const ready = [...pending].filter(([, deps]) => deps.size === 0).map(([n]) => n).sort();
    // A cycle: break it where the waiting table's remaining references may be NULL.
    const breaksCleanly = (n: string): boolean => {
      const t = byName.get(n)!;
      return t.foreignKeys.every((fk) => !pending.get(n)!.has(fk.parent) || !fk.columns.some((c) => t.columns.find((col) => col.name === c)?.notNull));
    };
    const stuck = [...pending.keys()].sort();
    const next = ready.length ? ready : [stuck.find(breaksCleanly) ?? stuck[0]];
    for (const n of next) {
      order.push(byName.get(n)!);
      pending.delete(n);
      for (const deps of pending.values()) deps.delete(n);
    }
  }
  return order;
}

export function displayName(t: { schema: string; name: string }): string {
  return t.schema === 'public' ? t.name : `${t.schema}.${t.name}`;
}

/** Always quoted: a column named `order` or `user` is common in real schemas. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
