/**
 * Index coverage, as PostgreSQL's planner decides it (SPEC § unindexed-filter), from columns and
 * operators only — never from index names:
 * - btree serves `=`, `IN`/`= ANY`, `IS NULL`, ranges and ORDER BY on a leading prefix of its
 *   keys: equality keys first, then at most one range or ORDER BY key. The second key of
 *   `(a, b)` alone is not served. `LIKE 'abc%'` needs a `*_pattern_ops` opclass (or the C
 *   collation, which Shipshape cannot see).
 * - hash serves `=` on its one key. BRIN serves `=` and ranges on any key. GiST serves ranges
 *   and containment/overlap (`&&`, `@>`, `<@`) on any key. GIN serves `@>`, `<@`, `&&`, `?`,
 *   `?|`, `?&`, `@@` on any key (and `=`/ranges on scalar keys, which only btree_gin makes
 *   indexable).
 * - an expression index serves the same expression (`lower(email)`), compared structurally.
 * - a partial index serves only a query whose WHERE implies its predicate (see `implies`).
 *
 * A query is **served** when an index gives equality (`=`, or `IN`/`= ANY`: one row per listed
 * value) on every key of a primary key or unique index, or when one index serves all its
 * equality-like columns (in any order), optionally followed by one range or ORDER BY key, or
 * when each of them leads an index of its own: PostgreSQL then reads the most selective one, or
 * intersects them (BitmapAnd) — no column is left to a filter over a large range (checked with
 * PGlite on 200,000 rows). **Partly served**: some index serves some of them; the rest are
 * filtered over the rows of the served prefix. **Not served**: no index serves any.
 *
 * `col IS NULL` next to other filters (`deleted_at IS NULL`, `archived_at IS NULL`) is a soft-delete
 * or state flag most rows match: an index uses it when it has the column, but it is never a column
 * the query needs served. Alone it is judged like any filter (`processed_at IS NULL`: a queue),
 * except a soft-delete flag (`deleted_at`, `deletedAt`, `archived_at`…): every live row matches it,
 * so the query reads the table whatever index there is — PostgreSQL's planner picks a sequential
 * scan for a condition most rows satisfy, and an index on it would never be used. Such a query is
 * judged by its ORDER BY … LIMIT alone, if it has one.
 */
import { expressionKey, fieldsOf, quoteIdent, stringList, type PgNode } from './ast';
import { conjuncts, targetKey, targetText, type ColumnPredicate, type PredicateTarget, type TableAccess } from './queryShape';
import { displayTableName, type IndexKey, type IndexModel } from './schema';

export type CoverageStatus = 'served' | 'partly' | 'not-served';

export interface IndexUse {
  index: IndexModel;
  /** Targets the index serves, in key order. */
  served: PredicateTarget[];
  /** The index also returns rows in the query's ORDER BY. */
  ordered: boolean;
  /** Filters a partial index answers by its predicate (`deleted_at IS NULL` in both). */
  byPredicate?: PredicateTarget[];
  /** Why it serves nothing (when `served` is empty), in words. */
  whyNot?: string;
}

export interface IndexCoverage {
  access: TableAccess;
  status: CoverageStatus;
  /** The filtered targets that count (equality-like and range), as text. */
  filtered: string[];
  /** The index that serves most, when any serves something. */
  best?: IndexUse;
  /** Filtered targets no index serves: left to a filter over the rows the served ones match. */
  leftToFilter: string[];
  /** When partly served: other indexes that serve filtered targets the best one does not (PostgreSQL can BitmapAnd them). */
  alsoBy?: IndexUse[];
  /** Every index of the table and what it serves. */
  uses: IndexUse[];
  /** The index that would serve the query, when it is not served. */
  suggestion?: SuggestedIndex;
}

export interface SuggestedIndex {
  /** Key texts in order (`user_id`, `created_at DESC`, `lower(email)`). */
  keys: string[];
  method: 'btree' | 'gin';
  name: string;
  /** The keys as plain columns, when every key is one (ORM schema fixes need column names). */
  columns?: Array<{ column: string; descending: boolean }>;
  /** `CREATE INDEX CONCURRENTLY IF NOT EXISTS name ON table (keys);` */
  sql: string;
}

const EQUALITY_KINDS = new Set(['eq', 'is-null', 'contains']);

/**
 * The coverage of one table access, or undefined when the query does not filter, join or
 * order that table in a way an index could matter for.
 */
export function coverageOf(access: TableAccess, opts: { countJoins: boolean }): IndexCoverage | undefined {
  // A column the schema does not have (an entity column it could not read, a base class it did not
  // see, a property name where the column is spelled otherwise): the schema is not the database's
  // here, and a verdict from it would be a guess.
  if (readsUnknownColumn(access)) return undefined;
  let predicates = access.predicates.filter((p) => p.kind !== 'is-not-null' && (!p.join || (opts.countJoins && !access.driving)));
  if (predicates.every((p) => p.kind === 'is-null')) predicates = predicates.filter((p) => !isSoftDeleteFlag(p));
  const orderOnly = predicates.length === 0 && access.orderBy.length > 0 && access.limited;
  if (predicates.length === 0 && !orderOnly) return undefined;
  const uses = access.table.indexes.map((index) => useOf(index, access, predicates));
  const flagOnly = predicates.every((p) => p.kind === 'is-null');
  const counts = (p: ColumnPredicate) => flagOnly || p.kind !== 'is-null';
  const eqTargets = unique(predicates.filter((p) => EQUALITY_KINDS.has(p.kind) && counts(p)).map((p) => p.target));
  const rangeTargets = unique(predicates.filter((p) => p.kind === 'range' || p.kind === 'like-prefix').map((p) => p.target));
  const filtered = unique([...eqTargets, ...rangeTargets]).map(targetText);

  const fullyServes = (u: IndexUse): boolean => {
    if (u.served.length === 0 && !u.ordered) return false;
    const served = new Set([...u.served, ...(u.byPredicate ?? [])].map(targetKey));
    if (u.index.unique && u.index.keys.length > 0 && u.index.keys.every((k) => served.has(keyOf(k)) && isEqualityOn(predicates, keyOf(k)))) return true;
    if (!eqTargets.every((t) => served.has(targetKey(t)))) return false;
    if (eqTargets.length > 0) return true;
    if (rangeTargets.length > 0) return rangeTargets.some((t) => served.has(targetKey(t)));
    return u.ordered;
  };
  const full = uses.find(fullyServes);
  // The index serving most of the columns that count (an index that only has the IS NULL flag serves none of them).
  const required = new Set([...eqTargets, ...rangeTargets].map(targetKey));
  const servedCount = (u: IndexUse) => u.served.filter((t) => required.has(targetKey(t))).length;
  const partial = [...uses].filter((u) => servedCount(u) > 0).sort((a, b) => servedCount(b) - servedCount(a))[0];
  const combined = !full && eqTargets.length > 1 && eqTargets.every((t) => uses.some((u) => u.served.some((s) => targetKey(s) === targetKey(t))));
  const status: CoverageStatus = full || combined ? 'served' : partial ? 'partly' : 'not-served';
  const best = full ?? partial;
  const servedKeys = new Set((best?.served ?? []).map(targetKey));
  // Other indexes leading with a column the best one leaves: those columns are served too.
  const alsoBy = status === 'partly' ? uses.filter((u) => u !== best && u.served.some((t) => required.has(targetKey(t)) && !servedKeys.has(targetKey(t)) && eqTargets.some((e) => targetKey(e) === targetKey(t)))) : [];
  for (const u of alsoBy) for (const t of u.served) servedKeys.add(targetKey(t));
  const leftToFilter = status === 'served' ? [] : unique([...eqTargets, ...rangeTargets]).filter((t) => !servedKeys.has(targetKey(t))).map(targetText);
  return {
    access,
    status,
    filtered,
    best,
    leftToFilter,
    ...(alsoBy.length ? { alsoBy } : {}),
    uses,
    suggestion: status === 'served' ? undefined : suggestIndex(access, predicates),
  };
}

/** Columns that mark a row deleted or archived (a timestamp, NULL while the row is live). */
const SOFT_DELETE_COLUMN = /^(deleted|archived|removed|trashed)_?(at|on|date|time)?$/i;

function isSoftDeleteFlag(p: ColumnPredicate): boolean {
  return p.kind === 'is-null' && 'column' in p.target && SOFT_DELETE_COLUMN.test(p.target.column);
}

function readsUnknownColumn(access: TableAccess): boolean {
  const columns = (t: PredicateTarget) => ('column' in t ? [t.column] : t.expression.columns);
  return [...access.predicates.map((p) => p.target), ...access.orderBy.map((o) => o.target)].some((t) => columns(t).some((c) => !access.table.columns.has(c)));
}

function useOf(index: IndexModel, access: TableAccess, predicates: ColumnPredicate[]): IndexUse {
  const use = btreeOrOtherUse(index, access, predicates);
  if (!index.predicate) return use;
  if (!implies(access.predicates, index.predicate.ast)) {
    return { index, served: [], ordered: false, whyNot: `is partial (WHERE ${index.predicate.text}) and the query does not imply that condition` };
  }
  const same = new Set(conjuncts(index.predicate.ast).map(expressionKey));
  return { ...use, byPredicate: predicates.filter((p) => same.has(expressionKey(p.ast))).map((p) => p.target) };
}

function btreeOrOtherUse(index: IndexModel, access: TableAccess, predicates: ColumnPredicate[]): IndexUse {
  const on = (k: IndexKey) => predicates.filter((p) => targetKey(p.target) === keyOf(k));
  const keysText = `(${index.keys.map(keyText).join(', ')})`;
  switch (index.method) {
    case 'btree': {
      const served: PredicateTarget[] = [];
      let ordered = false;
      for (const k of index.keys) {
        const ps = on(k);
        if (ps.some((p) => p.kind === 'eq' || p.kind === 'is-null')) {
          served.push(targetOf(k));
          continue;
        }
        if (ps.some((p) => p.kind === 'range' || (p.kind === 'like-prefix' && /pattern_ops$/.test(k.opclass ?? '')))) {
          served.push(targetOf(k));
          ordered = access.orderBy.length > 0 && keyOf(k) === targetKey(access.orderBy[0].target);
          break;
        }
        if (access.orderBy.length > 0 && keyOf(k) === targetKey(access.orderBy[0].target)) ordered = true;
        break;
      }
      if (served.length > 0 || ordered) return { index, served, ordered };
      const first = index.keys[0];
      return { index, served, ordered, whyNot: first ? `starts with ${keyText(first)}, which the query does not filter${on(first).length ? ' with an operator btree serves' : ''}` : 'has no keys' };
    }
    case 'hash': {
      const k = index.keys[0];
      if (k && on(k).some((p) => p.kind === 'eq')) return { index, served: [targetOf(k)], ordered: false };
      return { index, served: [], ordered: false, whyNot: `is a hash index on ${k ? keyText(k) : '?'}: it serves only \`=\` on that column` };
    }
    case 'gin': {
      const served = index.keys.filter((k) => on(k).some((p) => p.kind === 'contains' || (isScalarGinKey(k, access) && (p.kind === 'eq' || p.kind === 'range')))).map(targetOf);
      if (served.length) return { index, served, ordered: false };
      return { index, served, ordered: false, whyNot: isTrigramIndex(index) ? `is a trigram GIN index ${keysText}: it serves LIKE/ILIKE patterns, ~ and % (similarity) on those columns` : `is a GIN index ${keysText}: it serves @>, <@, &&, ?, @@ on those columns` };
    }
    case 'gist':
    case 'spgist': {
      const served = index.keys.filter((k) => on(k).some((p) => p.kind === 'contains' || p.kind === 'range')).map(targetOf);
      if (served.length) return { index, served, ordered: false };
      const kind = index.method === 'gist' ? 'GiST' : 'SP-GiST';
      return { index, served, ordered: false, whyNot: isTrigramIndex(index) ? `is a trigram ${kind} index ${keysText}: it serves LIKE/ILIKE patterns, ~ and % (similarity) on those columns` : `is a ${kind} index ${keysText}: it serves ranges, &&, @>, <@ on those columns` };
    }
    case 'brin': {
      const served = index.keys.filter((k) => on(k).some((p) => p.kind === 'eq' || p.kind === 'range')).map(targetOf);
      return served.length ? { index, served, ordered: false } : { index, served, ordered: false, whyNot: `is a BRIN index ${keysText}: it serves =, <, > on those columns` };
    }
    default:
      return { index, served: [], ordered: false, whyNot: `uses the ${index.method} access method, which Shipshape does not model` };
  }
}

/**
 * Every key uses pg_trgm's operator class (`gin_trgm_ops`, `gist_trgm_ops`): the index answers
 * text searches, not the operators of the access method's default classes.
 * https://www.postgresql.org/docs/current/pgtrgm.html#PGTRGM-INDEX
 */
function isTrigramIndex(index: IndexModel): boolean {
  return index.keys.length > 0 && index.keys.every((k) => /(^|\.)g(in|ist)_trgm_ops$/.test(k.opclass ?? ''));
}

/** GIN on a plain scalar column exists only through btree_gin, which serves = and ranges. */
function isScalarGinKey(k: IndexKey, access: TableAccess): boolean {
  if (!k.column) return false;
  const type = access.table.columns.get(k.column)?.type ?? '';
  return !/\[\]$|^(jsonb?|tsvector|hstore|tsquery)$/.test(type) && !k.opclass;
}

/**
 * `=`, `IS NULL`, or an `IN` list / `= ANY($1)` on a key column: on a unique key each value finds
 * at most one row, so the other filters are checked on no more rows than the list has
 * (`WHERE id = ANY($1) AND user_id = $2`, a batch delete scoped to its owner).
 */
function isEqualityOn(predicates: ColumnPredicate[], key: string): boolean {
  return predicates.some((p) => targetKey(p.target) === key && (p.kind === 'eq' || p.kind === 'is-null'));
}

function keyOf(k: IndexKey): string {
  return k.column !== undefined ? `c:${k.column}` : `e:${k.expression!.key}`;
}

function targetOf(k: IndexKey): PredicateTarget {
  return k.column !== undefined ? { column: k.column } : { expression: { key: k.expression!.key, text: k.expression!.text, columns: k.expression!.columns } };
}

export function keyText(k: IndexKey): string {
  return (k.column !== undefined ? quoteIdent(k.column) : `(${k.expression!.text})`) + (k.descending ? ' DESC' : '');
}

function unique(targets: PredicateTarget[]): PredicateTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => !seen.has(targetKey(t)) && !!seen.add(targetKey(t)));
}

/**
 * Whether the query's conjuncts imply a partial index's predicate, in the cases PostgreSQL's
 * `predicate_implied_by` proves them (https://www.postgresql.org/docs/current/indexes-partial.html):
 * each conjunct of the index predicate is the same as a query conjunct, or is `col IS NOT NULL`
 * implied by a strict comparison on col (`col = $1`, `col > $1`, `col IN (…)`), or is a boolean
 * column implied by `col = true`. A parameter never implies a constant.
 */
export function implies(queryPredicates: ColumnPredicate[], predicate: PgNode): boolean {
  const have = new Set(queryPredicates.map((p) => expressionKey(p.ast)));
  return conjuncts(predicate).every((c) => {
    if (have.has(expressionKey(c))) return true;
    const nullTest = fieldsOf(c, 'NullTest');
    if (nullTest && nullTest.nulltesttype === 'IS_NOT_NULL') {
      const col = columnOf(nullTest.arg);
      return !!col && queryPredicates.some((p) => 'column' in p.target && p.target.column === col && p.kind !== 'is-null');
    }
    const col = columnOf(c);
    if (col) return queryPredicates.some((p) => 'column' in p.target && p.target.column === col && p.kind === 'eq' && isTrueConst(p.ast));
    return false;
  });
}

function columnOf(node: unknown): string | undefined {
  const ref = fieldsOf(node, 'ColumnRef');
  const parts = ref ? stringList(ref.fields) : [];
  return parts.length ? parts[parts.length - 1] : undefined;
}

function isTrueConst(ast: PgNode): boolean {
  if (fieldsOf(ast, 'ColumnRef')) return true;
  const e = fieldsOf(ast, 'A_Expr');
  const c = e && (fieldsOf(e.rexpr, 'A_Const') ?? fieldsOf(e.lexpr, 'A_Const'));
  const t = fieldsOf(ast, 'BooleanTest');
  return (!!c && c.boolval?.boolval === true) || t?.booltesttype === 'IS_TRUE';
}

/**
 * The index that would serve the query: its equality columns (in the order the query names
 * them), then one range column, or the ORDER BY column when there is no range. Containment
 * filters (`@>`, `&&`, `?`) get a GIN index of their own.
 */
function suggestIndex(access: TableAccess, predicates: ColumnPredicate[]): SuggestedIndex | undefined {
  const table = access.table;
  const contains = unique(predicates.filter((p) => p.kind === 'contains').map((p) => p.target));
  const eq = unique(predicates.filter((p) => p.kind === 'eq' || p.kind === 'is-null').map((p) => p.target));
  const range = unique(predicates.filter((p) => p.kind === 'range').map((p) => p.target)).filter((t) => !eq.some((e) => targetKey(e) === targetKey(t)));
  const qualified = displayTableName(table).split('.').map(quoteIdent).join('.');
  if (eq.length === 0 && range.length === 0 && contains.length > 0) {
    const keys = contains.slice(0, 1).map(keyTextOf);
    const name = indexName(table.name, contains.slice(0, 1));
    return { keys, method: 'gin', name, sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(name)} ON ${qualified} USING gin (${keys.join(', ')});` };
  }
  const targets = [...eq];
  let lastDesc = false;
  if (range.length > 0) targets.push(range[0]);
  else if (access.orderBy.length > 0 && !eq.some((e) => targetKey(e) === targetKey(access.orderBy[0].target))) {
    targets.push(access.orderBy[0].target);
    lastDesc = access.orderBy[0].descending;
  }
  if (targets.length === 0) return undefined;
  const keys = targets.map((t, i) => keyTextOf(t) + (i === targets.length - 1 && lastDesc ? ' DESC' : ''));
  const name = indexName(table.name, targets);
  const columns = targets.every((t) => 'column' in t) ? targets.map((t, i) => ({ column: (t as { column: string }).column, descending: i === targets.length - 1 && lastDesc })) : undefined;
  return { keys, method: 'btree', name, columns, sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(name)} ON ${qualified} (${keys.join(', ')});` };
}

function keyTextOf(t: PredicateTarget): string {
  return 'column' in t ? quoteIdent(t.column) : `(${t.expression.text})`;
}

function indexName(table: string, targets: PredicateTarget[]): string {
  const parts = targets.map((t) => ('column' in t ? t.column : t.expression.columns.join('_') || 'expr'));
  return `${table}_${parts.join('_')}_idx`.slice(0, 63);
}

/** Readable summary of an index for messages and hovers: `orders_pkey (id)`, `orders_live (status) WHERE …`. */
export function describeIndex(index: IndexModel): string {
  const method = index.method === 'btree' ? '' : ` USING ${index.method}`;
  const where = index.predicate ? ` WHERE ${index.predicate.text}` : '';
  return `${index.name}${method} (${index.keys.map(keyText).join(', ')})${where}`;
}

