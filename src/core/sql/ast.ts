/**
 * Small readers over libpg-query parse trees. A node is `{ Kind: fields }`; these helpers keep
 * the rest of src/core/sql free of that wrapping and of `location` noise.
 */

/** A parse-tree node as libpg-query returns it: one key (the node kind) holding its fields. */
export type PgNode = Record<string, any>;

/** The kind of a node (`'ColumnRef'`, `'A_Expr'`, …) and its fields. */
export function unwrap(node: unknown): { kind: string; fields: PgNode } | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 1) return undefined;
  const fields = (node as PgNode)[keys[0]];
  return fields && typeof fields === 'object' ? { kind: keys[0], fields } : { kind: keys[0], fields: {} };
}

export function fieldsOf(node: unknown, kind: string): PgNode | undefined {
  const u = unwrap(node);
  return u && u.kind === kind ? u.fields : undefined;
}

/** `[{String: {sval: 'a'}}, …]` → `['a', …]` (identifier lists: names, keys, qualified names). */
export function stringList(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((n) => {
    const s = fieldsOf(n, 'String');
    return s && typeof s.sval === 'string' ? [s.sval] : [];
  });
}

/** A relation as written (`RangeVar`): schema (if given) and name, already case-folded by the parser. */
export interface RelationName {
  schema?: string;
  name: string;
}

export function relationName(rangeVar: PgNode | undefined): RelationName | undefined {
  if (!rangeVar || typeof rangeVar.relname !== 'string') return undefined;
  return { schema: rangeVar.schemaname, name: rangeVar.relname };
}

/** Qualified name from a name list (`['s', 't']` → schema s, table t). */
export function qualifiedName(parts: string[]): RelationName | undefined {
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? { name: parts[0] } : { schema: parts[parts.length - 2], name: parts[parts.length - 1] };
}

/**
 * A canonical key for an expression: its parse tree without source positions, so `lower(email)`
 * in an index and `LOWER( email )` in a query compare equal, as PostgreSQL's planner matches
 * index expressions structurally.
 */
export function expressionKey(node: unknown): string {
  return JSON.stringify(node, (key, value) => (key === 'location' ? undefined : value));
}

/** The column a `ColumnRef` names: its last field, and the qualifier before it (table or alias). */
export function columnRef(node: unknown): { qualifier?: string; column: string } | undefined {
  const ref = fieldsOf(node, 'ColumnRef');
  if (!ref) return undefined;
  const parts = stringList(ref.fields);
  if (parts.length === 0 || parts.length !== (ref.fields as unknown[]).length) return undefined; // `t.*`
  return { qualifier: parts.length >= 2 ? parts[parts.length - 2] : undefined, column: parts[parts.length - 1] };
}

/** Quotes an identifier only when PostgreSQL needs it (upper case, spaces, keywords-lookalikes). */
/** A name always in double quotes (its case kept), as migration tools write the SQL they generate. */
export function quotedIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` (or `table.column`) with each part in double quotes. */
export function quotedQualifiedIdent(name: string): string {
  return name.split('.').map(quotedIdent).join('.');
}

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

// The reserved keywords most likely to be used as column or table names.
const RESERVED = new Set(['user', 'order', 'group', 'table', 'select', 'where', 'from', 'limit', 'offset', 'check', 'default', 'primary', 'references', 'column', 'end', 'to', 'desc', 'asc', 'all', 'and', 'or', 'not', 'null', 'true', 'false', 'case', 'when', 'then', 'else', 'user', 'window', 'with', 'as', 'on', 'in', 'is', 'unique', 'foreign', 'constraint', 'create', 'grant', 'having', 'into', 'union', 'using', 'analyse', 'analyze', 'array', 'both', 'cast', 'collate', 'current_date', 'current_time', 'current_user', 'distinct', 'do', 'except', 'fetch', 'for', 'initially', 'intersect', 'lateral', 'leading', 'localtime', 'only', 'placing', 'returning', 'session_user', 'some', 'symmetric', 'trailing', 'variadic']);

/** A readable SQL text for common expressions (messages and generated CREATE INDEX statements). */
export function expressionText(node: unknown): string {
  const u = unwrap(node);
  if (!u) return '?';
  const f = u.fields;
  switch (u.kind) {
    case 'ColumnRef': {
      const ref = columnRef(node);
      return ref ? (ref.qualifier ? `${quoteIdent(ref.qualifier)}.${quoteIdent(ref.column)}` : quoteIdent(ref.column)) : '*';
    }
    case 'A_Const':
      if (f.isnull) return 'NULL';
      if (f.sval) return `'${String(f.sval.sval ?? '').replace(/'/g, "''")}'`;
      if (f.ival) return String(f.ival.ival ?? 0);
      if (f.fval) return String(f.fval.fval);
      if (f.boolval) return f.boolval.boolval ? 'true' : 'false';
      return '?';
    case 'ParamRef':
      return `$${f.number ?? '?'}`;
    case 'FuncCall': {
      const name = stringList(f.funcname).filter((n) => n !== 'pg_catalog').join('.');
      const args = Array.isArray(f.args) ? f.args.map(expressionText).join(', ') : f.agg_star ? '*' : '';
      return `${name}(${args})`;
    }
    case 'TypeCast':
      return `${expressionText(f.arg)}::${typeNameText(f.typeName)}`;
    case 'A_Expr': {
      const op = stringList(f.name).join(' ');
      if (f.kind === 'AEXPR_OP') return f.lexpr ? `${expressionText(f.lexpr)} ${op} ${expressionText(f.rexpr)}` : `${op} ${expressionText(f.rexpr)}`;
      if (f.kind === 'AEXPR_IN') {
        // The value list: an array in older libpg-query trees, `{ List: { items } }` in PostgreSQL 17's.
        const items = Array.isArray(f.rexpr) ? f.rexpr : ((fieldsOf(f.rexpr, 'List')?.items as unknown[] | undefined) ?? []);
        return `${expressionText(f.lexpr)} ${op === '<>' ? 'NOT IN' : 'IN'} (${items.map(expressionText).join(', ')})`;
      }
      return `${expressionText(f.lexpr)} ${op} ${expressionText(f.rexpr)}`;
    }
    case 'NullTest':
      return `${expressionText(f.arg)} IS ${f.nulltesttype === 'IS_NOT_NULL' ? 'NOT ' : ''}NULL`;
    case 'BoolExpr': {
      const args = (f.args as unknown[]).map((a) => {
        const inner = unwrap(a);
        return inner?.kind === 'BoolExpr' ? `(${expressionText(a)})` : expressionText(a);
      });
      if (f.boolop === 'NOT_EXPR') return `NOT ${args[0]}`;
      return args.join(f.boolop === 'AND_EXPR' ? ' AND ' : ' OR ');
    }
    case 'BooleanTest':
      return `${expressionText(f.arg)} IS ${String(f.booltesttype).replace(/^IS_/, '').replace(/_/g, ' ')}`;
    case 'CoalesceExpr':
      return `COALESCE(${(f.args as unknown[]).map(expressionText).join(', ')})`;
    default:
      return u.kind;
  }
}

/** `pg_catalog.int4` → `integer`-ish readable type names; the rest as written. */
export function typeNameText(typeName: PgNode | undefined): string {
  if (!typeName) return '?';
  const names = stringList(typeName.names).filter((n) => n !== 'pg_catalog');
  const base = names.join('.');
  const readable = BUILTIN_TYPE_NAMES[base] ?? base;
  const mods = Array.isArray(typeName.typmods) ? `(${typeName.typmods.map(expressionText).join(', ')})` : '';
  const array = Array.isArray(typeName.arrayBounds) ? '[]'.repeat(typeName.arrayBounds.length) : '';
  return `${readable}${mods}${array}`;
}

const BUILTIN_TYPE_NAMES: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  bpchar: 'char',
  timestamptz: 'timestamp with time zone',
  timetz: 'time with time zone',
};
