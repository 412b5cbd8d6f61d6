/**
 * Fills a query's `$n` parameters with values drawn from the dataset, so the plan is the one a
 * real request gets: `user_id = $1` gets a user id that exists (drawn by frequency, so a skewed
 * column yields a common value as often as production would), `created_at > $1` a recent
 * timestamp (a "last few days" slice), `LIMIT $n` 20. Parameters we cannot tie to a column get
 * a neutral value of the type PostgreSQL infers for them.
 */
import { loadModule, parseSync } from 'libpg-query';
import type { Client } from 'pg';

let parserReady: Promise<void> | undefined;

export function loadQueryParser(): Promise<void> {
  parserReady ??= loadModule();
  return parserReady;
}

type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface ParamUse {
  number: number;
  /** The column compared with the parameter, when there is one. */
  column?: { qualifier?: string; name: string };
  op: string;
  /** `= ANY($n)`: the parameter is an array. */
  array: boolean;
  limit?: boolean;
}

export interface QueryShape {
  /** Tables the query reads or writes (`schema.table` unless `public`). */
  tables: string[];
  /** alias or table name → qualified table name as written. */
  aliases: Map<string, string>;
  params: ParamUse[];
  /** The statement writes (INSERT/UPDATE/DELETE/MERGE). */
  writes: boolean;
}

/** Reads the tables and parameter uses of one statement (PostgreSQL's own parser). */
export function queryShape(sql: string): QueryShape {
  const tree = parseSync(sql) as { stmts: { stmt: Node }[] };
  const stmt = tree.stmts[0]?.stmt ?? {};
  const kind = Object.keys(stmt)[0] ?? '';
  const aliases = new Map<string, string>();
  const tables = new Set<string>();
  const params = new Map<number, ParamUse>();
  const cteNames = new Set<string>();

  visit(stmt, (key, node) => {
    if (key === 'CommonTableExpr' && typeof node.ctename === 'string') cteNames.add(node.ctename);
    if (key === 'RangeVar') {
      const name = node.schemaname && node.schemaname !== 'public' ? `${node.schemaname}.${node.relname}` : String(node.relname);
      aliases.set(node.alias?.aliasname ?? node.relname, name);
      aliases.set(node.relname, name);
      tables.add(name);
    }
    if (key === 'A_Expr') {
      const op = node.name?.[0]?.String?.sval ?? '=';
      const left = columnOf(node.lexpr);
      const right = columnOf(node.rexpr);
      if (node.kind === 'AEXPR_IN' && left) {
        for (const item of node.rexpr?.List?.items ?? []) {
          const n = paramOf(item);
          if (n) params.set(n, { number: n, column: left, op: '=', array: false });
        }
        return;
      }
      const any = node.kind === 'AEXPR_OP_ANY' || node.kind === 'AEXPR_OP_ALL';
      const lp = paramOf(node.lexpr);
      const rp = paramOf(node.rexpr);
      if (left && rp) params.set(rp, { number: rp, column: left, op, array: any });
      else if (right && lp) params.set(lp, { number: lp, column: right, op: flip(op), array: false });
      else if (node.kind === 'AEXPR_LIKE' || node.kind === 'AEXPR_ILIKE') {
        if (left && rp) params.set(rp, { number: rp, column: left, op: 'like', array: false });
      }
    }
    if (key === 'InsertStmt') {
      // INSERT (a, b) VALUES ($1, $2): each parameter takes a value of its column.
      const cols = ((node.cols ?? []) as Node[]).map((c) => c.ResTarget?.name as string | undefined);
      const row = (node.selectStmt?.SelectStmt?.valuesLists?.[0]?.List?.items ?? []) as Node[];
      row.forEach((item, i) => {
        const n = paramOf(item);
        if (n && cols[i]) params.set(n, { number: n, column: { name: cols[i]! }, op: 'insert', array: false });
      });
    }
    if (key === 'SelectStmt' || key === 'UpdateStmt' || key === 'DeleteStmt') {
      for (const [field, value] of [['limitCount', 20], ['limitOffset', 0]] as const) {
        const n = paramOf(node[field]);
        if (n) params.set(n, { number: n, op: field === 'limitCount' ? 'limit' : 'offset', array: false, limit: value === 20 });
      }
    }
  });
  for (const cte of cteNames) tables.delete(cte);
  return { tables: [...tables], aliases, params: [...params.values()].sort((a, b) => a.number - b.number), writes: /^(InsertStmt|UpdateStmt|DeleteStmt|MergeStmt)$/.test(kind) };
}

/** Values for `$1..$n`, in order. */
export async function drawParameters(client: Client, sql: string, shape: QueryShape, options: { sampleOnly?: boolean } = {}): Promise<unknown[]> {
  const types = await parameterTypes(client, sql);
  const values: unknown[] = [];
  for (let n = 1; n <= types.length; n++) {
    const use = shape.params.find((p) => p.number === n);
    let value: unknown;
    if (use?.op === 'limit') value = 20;
    else if (use?.op === 'offset') value = 0;
    else if (use?.op === 'insert' && (await isUniqueColumn(client, shape.tables[0], use.column!.name))) value = undefined;
    else if (use?.column) value = await drawFromColumn(client, shape, use, options.sampleOnly ?? false);
    if (value === undefined || value === null) value = await neutralValue(client, types[n - 1]);
    // A value drawn from an array column is already an array literal (`{a,b}`): pass it as is.
    const arrayLiteral = typeof value === 'string' && value.startsWith('{');
    if ((use?.array || types[n - 1].endsWith('[]')) && !arrayLiteral) value = Array.isArray(value) ? value : [value];
    values.push(value);
  }
  return values;
}

async function parameterTypes(client: Client, sql: string): Promise<string[]> {
  const name = `shipshape_params_${process.pid}_${Date.now()}`;
  await client.query('SAVEPOINT shipshape_params');
  try {
    await client.query(`PREPARE ${name} AS ${sql}`);
    const res = await client.query<{ types: string[] }>('SELECT parameter_types::text[] AS types FROM pg_prepared_statements WHERE name = $1', [name]);
    await client.query(`DEALLOCATE ${name}`);
    await client.query('RELEASE SAVEPOINT shipshape_params');
    return res.rows[0]?.types ?? [];
  } catch (err) {
    await client.query('ROLLBACK TO SAVEPOINT shipshape_params');
    throw err;
  }
}

/** A value drawn from a unique column would collide on INSERT: such a column gets a fresh value. */
async function isUniqueColumn(client: Client, table: string | undefined, column: string): Promise<boolean> {
  if (!table) return false;
  const res = await client
    .query<{ u: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey::int2[])
        WHERE i.indrelid = to_regclass($1) AND i.indisunique AND a.attname = $2) AS u`,
      [table, column],
    )
    .catch(() => undefined);
  return res?.rows[0]?.u ?? false;
}

/** `sampleOnly`: a team's own database — never a full pass over a table, only a sampled row. */
async function drawFromColumn(client: Client, shape: QueryShape, use: ParamUse, sampleOnly: boolean): Promise<unknown> {
  const column = use.column!;
  const candidates = column.qualifier ? [shape.aliases.get(column.qualifier) ?? column.qualifier] : shape.tables;
  for (const table of candidates) {
    const qualified = table.split('.').map((p) => client.escapeIdentifier(p)).join('.');
    const col = client.escapeIdentifier(column.name);
    await client.query('SAVEPOINT shipshape_draw');
    try {
      let sql: string;
      // Range filters in real APIs ask for a recent slice ("since last week"), not half the table.
      if (!sampleOnly && (use.op === '>' || use.op === '>=')) sql = `SELECT percentile_disc(0.98) WITHIN GROUP (ORDER BY ${col}) AS v FROM ${qualified}`;
      else if (!sampleOnly && (use.op === '<' || use.op === '<=')) sql = `SELECT percentile_disc(0.02) WITHIN GROUP (ORDER BY ${col}) AS v FROM ${qualified}`;
      // A random row: a value as frequent in the draw as in the data. REPEATABLE: the same plan every run.
      else sql = `(SELECT ${col} AS v FROM ${qualified} TABLESAMPLE SYSTEM (1) REPEATABLE (7) WHERE ${col} IS NOT NULL LIMIT 1) UNION ALL (SELECT ${col} FROM ${qualified} WHERE ${col} IS NOT NULL LIMIT 1) LIMIT 1`;
      const res = await client.query<{ v: unknown }>({ text: sql, rowMode: undefined, types: { getTypeParser: () => (v: string) => v } } as never);
      await client.query('RELEASE SAVEPOINT shipshape_draw');
      if (res.rows.length && res.rows[0].v !== null) return use.op === 'like' ? `${String(res.rows[0].v).slice(0, 4)}%` : res.rows[0].v;
    } catch {
      // Not a column of this table: try the next one.
      await client.query('ROLLBACK TO SAVEPOINT shipshape_draw');
    }
  }
  return undefined;
}

/**
 * A value of the parameter's type when no column tells us better (INSERT values, function
 * arguments): distinct text so a unique column does not collide, an enum's first label.
 */
async function neutralValue(client: Client, type: string): Promise<unknown> {
  const t = type.replace(/\[\]$/, '');
  const label = await client
    .query<{ v: string | null }>('SELECT (SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = to_regtype($1) ORDER BY e.enumsortorder LIMIT 1) AS v', [t])
    .then((r) => r.rows[0]?.v ?? null, () => null);
  if (label !== null) return label;
  if (/int|numeric|real|double|float|money|oid/.test(t)) return 1;
  if (t === 'boolean') return true;
  if (t === 'uuid') return '00000000-0000-0000-0000-000000000000';
  if (/timestamp|date/.test(t)) return new Date().toISOString();
  if (/json/.test(t)) return '{}';
  return `shipshape-${Math.random().toString(36).slice(2, 10)}`;
}

function flip(op: string): string {
  return ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op] ?? op;
}

function columnOf(node: Node | undefined): { qualifier?: string; name: string } | undefined {
  const inner = node?.TypeCast?.arg ?? node;
  const fields = inner?.ColumnRef?.fields as Node[] | undefined;
  if (!fields?.length) return undefined;
  const names = fields.map((f) => f.String?.sval).filter((s): s is string => typeof s === 'string');
  if (names.length !== fields.length) return undefined;
  return names.length === 1 ? { name: names[0] } : { qualifier: names[names.length - 2], name: names[names.length - 1] };
}

function paramOf(node: Node | undefined): number | undefined {
  const inner = node?.TypeCast?.arg ?? node;
  const n = inner?.ParamRef?.number;
  return typeof n === 'number' ? n : undefined;
}

function visit(node: unknown, fn: (key: string, node: Node) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, fn);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Node)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      if (/^[A-Z]/.test(key)) fn(key, value as Node);
      // INSERT/UPDATE/DELETE name their table in `relation`, a bare RangeVar (no wrapper key).
      else if (key === 'relation' && typeof (value as Node).relname === 'string') fn('RangeVar', value as Node);
    }
    visit(value, fn);
  }
}
