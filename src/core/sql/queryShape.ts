/**
 * What a query asks of each table it reads: the columns (or expressions) it filters on and how
 * (equality, range, IN/ANY, IS NULL, containment), the columns it joins on, and its ORDER BY —
 * through aliases, JOINs, subqueries (`IN (SELECT …)`, `EXISTS`, derived tables) and CTEs.
 *
 * Only conjuncts (`AND`) count: a filter under `OR` or `NOT` is not one an index alone serves, and
 * guessing there would make findings imprecise. Columns are resolved against the schema model;
 * a table the schema does not know is left out (the rules say nothing about it).
 */
import { columnRef, expressionKey, expressionText, fieldsOf, stringList, unwrap, type PgNode } from './ast';
import { columnsIn } from './schemaBuilder';
import type { SchemaModel, TableModel } from './schema';

/** A column, or an expression over one table's columns (`lower(email)`). */
export type PredicateTarget = { column: string } | { expression: { key: string; text: string; columns: string[] } };

export type PredicateKind =
  /** `=`, `IN (…)`, `= ANY(…)`, a boolean column alone. */
  | 'eq'
  /** `<`, `<=`, `>`, `>=`, `BETWEEN`. */
  | 'range'
  | 'is-null'
  | 'is-not-null'
  /** `LIKE 'abc%'` (a fixed prefix). */
  | 'like-prefix'
  /** Operators of GIN/GiST opclasses: `@>`, `<@`, `&&`, `?`, `?|`, `?&`, `@@`. */
  | 'contains';

export interface ColumnPredicate {
  target: PredicateTarget;
  kind: PredicateKind;
  /** The operator as written (`=`, `IN`, `ANY`, `>=`, `@>`, `LIKE`, `IS NULL`). */
  operator: string;
  /** The conjunct's own parse tree, with column references unqualified (for partial-index implication). */
  ast: PgNode;
  /** Compared with a column of another table (a join or a correlated subquery). */
  join: boolean;
}

export interface OrderKey {
  target: PredicateTarget;
  descending: boolean;
}

export interface TableAccess {
  table: TableModel;
  /** The name the query uses for it (its alias, or its name). */
  alias: string;
  /** Filters and join conditions on this table, in query order (conjuncts only). */
  predicates: ColumnPredicate[];
  orderBy: OrderKey[];
  /** The query has a LIMIT (an ORDER BY then reads only the first rows through an index). */
  limited: boolean;
  /** The first table of the outermost FROM (a join predicate there is not a lookup). */
  driving: boolean;
  /** Byte offset of the table's name in the query text (`location` of its RangeVar). */
  location: number;
}

interface ScopeItem {
  alias: string;
  table?: TableModel;
  access?: TableAccess;
}

interface Scope {
  items: ScopeItem[];
  parent?: Scope;
  ctes: Set<string>;
}

/** Table accesses of one parsed statement (SELECT, UPDATE, DELETE, INSERT … SELECT). */
export function tableAccesses(stmt: PgNode | undefined, schema: SchemaModel): TableAccess[] {
  const out: TableAccess[] = [];
  const u = unwrap(stmt);
  if (!u) return out;
  const walker = new ShapeWalker(schema, out);
  walker.statement(u.kind, u.fields, undefined, true);
  return out;
}

/** Readable text of a target (`user_id`, `lower(email)`). */
export function targetText(t: PredicateTarget): string {
  return 'column' in t ? t.column : t.expression.text;
}

export function targetKey(t: PredicateTarget): string {
  return 'column' in t ? `c:${t.column}` : `e:${t.expression.key}`;
}

const CONTAINS_OPERATORS = new Set(['@>', '<@', '&&', '?', '?|', '?&', '@@', '@?', '-|-']);
const RANGE_OPERATORS: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };

class ShapeWalker {
  constructor(private readonly schema: SchemaModel, private readonly out: TableAccess[]) {}

  statement(kind: string, f: PgNode, parent: Scope | undefined, outermost: boolean): void {
    switch (kind) {
      case 'SelectStmt':
        return this.select(f, parent, outermost);
      case 'UpdateStmt':
      case 'DeleteStmt': {
        const scope = this.newScope(parent, f.withClause);
        this.addRangeVar(scope, f.relation, outermost);
        for (const item of (f.fromClause ?? f.usingClause ?? []) as unknown[]) this.fromItem(scope, item, false);
        this.where(scope, f.whereClause);
        return;
      }
      case 'InsertStmt': {
        const sel = unwrap(f.selectStmt);
        if (sel) this.statement(sel.kind, sel.fields, parent, outermost);
        return;
      }
      default:
        return;
    }
  }

  private newScope(parent: Scope | undefined, withClause: PgNode | undefined): Scope {
    const scope: Scope = { items: [], parent, ctes: new Set(parent?.ctes ?? []) };
    for (const c of (withClause?.ctes as unknown[] | undefined) ?? []) {
      const cte = fieldsOf(c, 'CommonTableExpr');
      if (!cte) continue;
      const q = unwrap(cte.ctequery);
      if (q) this.statement(q.kind, q.fields, parent, false);
      if (cte.ctename) scope.ctes.add(cte.ctename);
    }
    return scope;
  }

  private select(f: PgNode, parent: Scope | undefined, outermost: boolean): void {
    if (f.op && f.op !== 'SETOP_NONE') {
      // UNION / INTERSECT / EXCEPT: each arm is a query of its own.
      for (const arm of [f.larg, f.rarg]) if (arm) this.select(arm, parent, outermost);
      return;
    }
    if (f.valuesLists) return;
    const scope = this.newScope(parent, f.withClause);
    ((f.fromClause as unknown[] | undefined) ?? []).forEach((item, i) => this.fromItem(scope, item, outermost && i === 0));
    this.where(scope, f.whereClause);
    this.sublinksIn(scope, f.targetList);
    const limited = !!f.limitCount;
    for (const s of (f.sortClause as unknown[] | undefined) ?? []) {
      const sort = fieldsOf(s, 'SortBy');
      if (!sort) continue;
      const resolved = this.resolveTarget(scope, sort.node);
      if (resolved) resolved.item.access!.orderBy.push({ target: resolved.target, descending: sort.sortby_dir === 'SORTBY_DESC' });
    }
    if (limited) for (const item of scope.items) if (item.access) item.access.limited = true;
  }

  private fromItem(scope: Scope, node: unknown, driving: boolean): void {
    const u = unwrap(node);
    if (!u) return;
    switch (u.kind) {
      case 'RangeVar':
        return this.addRangeVar(scope, u.fields, driving);
      case 'JoinExpr':
        this.fromItem(scope, u.fields.larg, driving);
        this.fromItem(scope, u.fields.rarg, false);
        if (u.fields.quals) this.where(scope, u.fields.quals);
        return;
      case 'RangeSubselect': {
        const q = unwrap(u.fields.subquery);
        // A derived table: its own query; its alias is not a table an index belongs to.
        if (q) this.statement(q.kind, q.fields, u.fields.lateral ? scope : scope.parent, false);
        scope.items.push({ alias: u.fields.alias?.aliasname ?? '' });
        return;
      }
      default:
        scope.items.push({ alias: '' });
        return;
    }
  }

  private addRangeVar(scope: Scope, rv: PgNode | undefined, driving: boolean): void {
    if (!rv?.relname) return;
    const alias: string = rv.alias?.aliasname ?? rv.relname;
    if (!rv.schemaname && scope.ctes.has(rv.relname)) {
      scope.items.push({ alias });
      return;
    }
    const table = this.schema.lookup(rv.relname, rv.schemaname);
    if (!table) {
      scope.items.push({ alias });
      return;
    }
    const access: TableAccess = { table, alias, predicates: [], orderBy: [], limited: false, driving, location: rv.location ?? 0 };
    this.out.push(access);
    scope.items.push({ alias, table, access });
  }

  private where(scope: Scope, expr: unknown): void {
    for (const conjunct of conjuncts(expr)) this.conjunct(scope, conjunct);
  }

  private conjunct(scope: Scope, node: PgNode): void {
    const u = unwrap(node);
    if (!u) return;
    const f = u.fields;
    switch (u.kind) {
      case 'A_Expr':
        return this.comparison(scope, node, f);
      case 'NullTest': {
        const r = this.resolveTarget(scope, f.arg);
        if (r) this.add(r, f.nulltesttype === 'IS_NOT_NULL' ? 'is-not-null' : 'is-null', f.nulltesttype === 'IS_NOT_NULL' ? 'IS NOT NULL' : 'IS NULL', node, false);
        return;
      }
      case 'ColumnRef': {
        // `WHERE active`: the planner matches it as `active = true`.
        const r = this.resolveTarget(scope, node);
        if (r) this.add(r, 'eq', '=', node, false);
        return;
      }
      case 'BoolExpr':
        if (f.boolop === 'NOT_EXPR' && columnRef(f.args?.[0])) {
          const r = this.resolveTarget(scope, f.args[0]);
          if (r) this.add(r, 'eq', '=', node, false);
        }
        this.sublinksIn(scope, node);
        return;
      case 'BooleanTest':
        if (f.booltesttype === 'IS_TRUE' || f.booltesttype === 'IS_FALSE') {
          const r = this.resolveTarget(scope, f.arg);
          if (r) this.add(r, 'eq', '=', node, false);
        }
        return;
      case 'SubLink': {
        const sub = unwrap(f.subselect);
        if (f.subLinkType === 'ANY_SUBLINK' && f.testexpr) {
          // `col IN (SELECT …)`: a semi-join on col.
          const r = this.resolveTarget(scope, f.testexpr);
          if (r) this.add(r, 'eq', 'IN', node, true);
        }
        if (sub) this.statement(sub.kind, sub.fields, scope, false);
        return;
      }
      default:
        this.sublinksIn(scope, node);
        return;
    }
  }

  private comparison(scope: Scope, node: PgNode, f: PgNode): void {
    const op = stringList(f.name).join('');
    const kind: string = f.kind;
    if (kind === 'AEXPR_IN') {
      if (op !== '=') return;
      const r = this.resolveTarget(scope, f.lexpr);
      if (r && this.isValue(scope, f.rexpr, r.item)) this.add(r, 'eq', 'IN', node, false);
      return;
    }
    if (kind === 'AEXPR_OP_ANY') {
      if (op !== '=') return;
      const r = this.resolveTarget(scope, f.lexpr);
      if (r && this.isValue(scope, f.rexpr, r.item)) this.add(r, 'eq', 'ANY', node, false);
      return;
    }
    if (kind === 'AEXPR_BETWEEN' || kind === 'AEXPR_BETWEEN_SYM') {
      const r = this.resolveTarget(scope, f.lexpr);
      if (r && this.isValue(scope, f.rexpr, r.item)) this.add(r, 'range', 'BETWEEN', node, false);
      return;
    }
    if (kind === 'AEXPR_LIKE') {
      if (op !== '~~') return;
      const r = this.resolveTarget(scope, f.lexpr);
      const pattern = fieldsOf(f.rexpr, 'A_Const')?.sval?.sval;
      if (r && typeof pattern === 'string' && /^[^%_]/.test(pattern)) this.add(r, 'like-prefix', 'LIKE', node, false);
      return;
    }
    if (kind !== 'AEXPR_OP') return this.sublinksIn(scope, node);
    const isEq = op === '=';
    const rangeOp = op in RANGE_OPERATORS;
    const contains = CONTAINS_OPERATORS.has(op);
    if (!isEq && !rangeOp && !contains) return this.sublinksIn(scope, node);
    const left = this.resolveTarget(scope, f.lexpr);
    const right = this.resolveTarget(scope, f.rexpr);
    if (left && right) {
      if (left.item === right.item) return; // `a = b` on one table: not an index lookup.
      if (isEq) {
        // A join: each side is looked up by the other.
        this.add(left, 'eq', '=', node, true);
        this.add(right, 'eq', '=', node, true);
      }
      return;
    }
    const kindOf: PredicateKind = isEq ? 'eq' : rangeOp ? 'range' : 'contains';
    if (left && this.isValue(scope, f.rexpr, left.item)) this.add(left, kindOf, op, node, false);
    else if (right && this.isValue(scope, f.lexpr, right.item) && !contains) this.add(right, kindOf, rangeOp ? RANGE_OPERATORS[op] : op, node, false);
    else this.sublinksIn(scope, node);
  }

  /** A side compared with a column: a parameter, a constant, or an expression over other tables only. */
  private isValue(scope: Scope, node: unknown, item: ScopeItem): boolean {
    let ok = true;
    const walk = (n: unknown): void => {
      if (!ok || !n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      const u = unwrap(n);
      if (u?.kind === 'SubLink') {
        const sub = unwrap(u.fields.subselect);
        if (sub) this.statement(sub.kind, sub.fields, scope, false);
        return;
      }
      if (u?.kind === 'ColumnRef') {
        const owner = this.owner(scope, n);
        if (!owner || owner === item) ok = false;
        return;
      }
      for (const v of Object.values(n)) walk(v);
    };
    walk(node);
    return ok;
  }

  /** A column or a single-table expression, and the scope item (table) it belongs to. */
  private resolveTarget(scope: Scope, node: unknown): { item: ScopeItem; target: PredicateTarget } | undefined {
    const ref = columnRef(node);
    if (ref) {
      const item = this.owner(scope, node);
      return item?.access ? { item, target: { column: ref.column } } : undefined;
    }
    const u = unwrap(node);
    if (!u || u.kind === 'A_Const' || u.kind === 'ParamRef' || u.kind === 'SubLink') return undefined;
    // An expression over the columns of exactly one table: `lower(u.email)`, `created_at::date`.
    let item: ScopeItem | undefined;
    let single = true;
    const walk = (n: unknown): void => {
      if (!single || !n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      const inner = unwrap(n);
      if (inner?.kind === 'ColumnRef') {
        const owner = this.owner(scope, n);
        if (!owner || (item && owner !== item)) single = false;
        item = owner;
        return;
      }
      if (inner?.kind === 'SubLink' || inner?.kind === 'ParamRef') {
        single = false;
        return;
      }
      for (const v of Object.values(n)) walk(v);
    };
    walk(node);
    if (!single || !item?.access) return undefined;
    const bare = unqualify(node as PgNode);
    return { item, target: { expression: { key: expressionKey(bare), text: expressionText(bare), columns: columnsIn(bare) } } };
  }

  /** The scope item a column reference belongs to (this scope first, then outer scopes). */
  private owner(scope: Scope | undefined, node: unknown): ScopeItem | undefined {
    const ref = columnRef(node);
    if (!ref) return undefined;
    for (let s = scope; s; s = s.parent) {
      if (ref.qualifier) {
        const item = s.items.find((i) => i.alias === ref.qualifier);
        if (item) return item;
        continue;
      }
      const tables = s.items.filter((i) => i.table);
      const withColumn = tables.filter((i) => i.table!.columns.has(ref.column));
      if (withColumn.length === 1) return withColumn[0];
      if (withColumn.length > 1) return undefined; // ambiguous: PostgreSQL would reject it
      if (s.items.length === 1 && tables.length === 1) return tables[0];
      if (s.items.some((i) => !i.table)) return undefined; // might be a column of a CTE or derived table
    }
    return undefined;
  }

  private add(r: { item: ScopeItem; target: PredicateTarget }, kind: PredicateKind, operator: string, node: PgNode, join: boolean): void {
    r.item.access!.predicates.push({ target: r.target, kind, operator, ast: unqualify(node), join });
  }

  /** Subqueries nested in an expression are queries of their own. */
  private sublinksIn(scope: Scope, node: unknown): void {
    const walk = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      const u = unwrap(n);
      if (u?.kind === 'SubLink') {
        const sub = unwrap(u.fields.subselect);
        if (sub) this.statement(sub.kind, sub.fields, scope, false);
        return;
      }
      for (const v of Object.values(n)) walk(v);
    };
    walk(node);
  }
}

/** The AND-ed parts of a condition; OR and NOT stay whole (one opaque conjunct). */
export function conjuncts(expr: unknown): PgNode[] {
  if (!expr) return [];
  const b = fieldsOf(expr, 'BoolExpr');
  if (b && b.boolop === 'AND_EXPR') return (b.args as unknown[]).flatMap(conjuncts);
  return [expr as PgNode];
}

/** The same tree with `t.col` references made `col` (index expressions and predicates are unqualified). */
export function unqualify(node: PgNode): PgNode {
  return JSON.parse(JSON.stringify(node), (key, value) => {
    if (key === 'ColumnRef' && value && Array.isArray(value.fields) && value.fields.length > 1) return { ...value, fields: value.fields.slice(-1) };
    return value;
  });
}
