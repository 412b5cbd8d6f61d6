/**
 * Drizzle queries in the schema's own terms, for the descriptor's `queries` slot:
 * `db.select().from(users).where(and(eq(users.email, e), gt(users.createdAt, d))).orderBy(desc(users.createdAt)).limit(1)`,
 * `db.update(users).set(…).where(…)`, `db.delete(users).where(…)`, and the relational
 * `db.query.users.findMany({ where: eq(users.status, s) })` (also `where: (u, { eq }) => eq(u.status, s)`).
 *
 * Tables and columns are followed to their `pgTable` definitions through the checker (the
 * variable `users`, its `email` property → the column named in `varchar('email_address')`),
 * never guessed from names. `or`, `not`, `ne`, `like`, `sql` fragments, conditional parts,
 * filters on a joined table and anything else that is not a plain conjunct on the queried
 * table leave the query alone.
 */
import ts from 'typescript';
import type { DbCallSite } from '../db/callSite';
import { hidesProperty, propertyOf, skipExpression } from './ormSyntax';
import type { ExtractedFilter, ExtractedQuery, QueryExtractionContext } from '../db/libraries/types';
import { readDrizzleTable, tableCreatorOf, type DrizzleTable, type TableNamer } from './drizzleSchema';

const COMPARISONS: Record<string, string> = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=', inArray: 'in', isNull: 'is null', between: '>=' };
const NEUTRAL = new Set(['select', 'selectDistinct', 'from', 'where', 'orderBy', 'limit', 'offset', 'set', 'returning', 'for', '$dynamic', 'innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'execute', 'then', 'prepare']);

export function drizzleQuery(site: DbCallSite, ctx: QueryExtractionContext): ExtractedQuery[] {
  const call = site.node;
  if (!ts.isCallExpression(call)) return [];
  const steps: Array<{ method: string; args: readonly ts.Expression[] }> = [];
  let e: ts.Expression = call;
  let root: ts.Expression | undefined;
  for (let i = 0; i < 60; i++) {
    e = skipExpression(e);
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) break;
    steps.unshift({ method: e.expression.name.text, args: e.arguments });
    root = e.expression.expression;
    e = root;
  }
  const first = steps[0];
  if (!first) return [];
  // Relational queries: `db.query.users.findMany({ where })`.
  if ((first.method === 'findMany' || first.method === 'findFirst') && root && ts.isPropertyAccessExpression(root) && ts.isPropertyAccessExpression(root.expression) && root.expression.name.text === 'query') {
    return relationalQuery(call, first.method, first.args[0], root.name.text, ctx.checker);
  }
  let table: { variable: ts.Symbol; def: DrizzleTable } | undefined;
  let where: ts.Expression | undefined;
  const order: ts.Expression[] = [];
  let limited = false;
  for (const s of steps) {
    if ((s.method === 'from' || s.method === 'update' || s.method === 'delete') && s.args[0]) table = tableOf(s.args[0], ctx.checker);
    else if (s.method === 'where') where = s.args[0];
    else if (s.method === 'orderBy') order.push(...s.args);
    else if (s.method === 'limit') limited = true;
    else if (!NEUTRAL.has(s.method)) return []; // groupBy, having, union, $with, …: not a plain lookup
  }
  if (!table) return [];
  return queryOf(call, table, where, order, limited, ctx.checker);
}

function relationalQuery(call: ts.CallExpression, method: string, options: ts.Expression | undefined, key: string, checker: ts.TypeChecker): ExtractedQuery[] {
  const opts = options && skipExpression(options);
  if (!opts || !ts.isObjectLiteralExpression(opts) || hidesProperty(opts, 'where', checker)) return [];
  const where = propertyOf(opts, 'where');
  if (!where) return [];
  const limited = method === 'findFirst' || !!propertyOf(opts, 'limit');
  // The schema object's keys are the table variables' names (`import * as schema`): the one in scope.
  const inScope = checker.getSymbolsInScope(call, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).find((s) => s.name === key);
  const table = inScope ? tableOfSymbol(inScope, checker) : undefined;
  if (!table) return [];
  const w = skipExpression(where);
  if (ts.isArrowFunction(w) || ts.isFunctionExpression(w)) {
    // `(u, { eq }) => eq(u.status, s)`: the first parameter is the table.
    const param = w.parameters[0]?.name;
    const body = ts.isBlock(w.body) ? undefined : w.body;
    if (!param || !ts.isIdentifier(param) || !body) return [];
    const alias = checker.getSymbolAtLocation(param);
    return alias ? queryOf(call, table, body, [], limited, checker, alias) : [];
  }
  return queryOf(call, table, w, [], limited, checker);
}

function queryOf(call: ts.CallExpression, table: { variable: ts.Symbol; def: DrizzleTable }, where: ts.Expression | undefined, order: readonly ts.Expression[], limited: boolean, checker: ts.TypeChecker, alias?: ts.Symbol): ExtractedQuery[] {
  const columnOf = (expr: ts.Expression): string | undefined => {
    let x = skipExpression(expr);
    if (!ts.isPropertyAccessExpression(x)) return undefined;
    const owner = skipExpression(x.expression);
    let sym = checker.getSymbolAtLocation(owner);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    if (!sym || (sym !== table.variable && sym !== alias)) return undefined;
    x = x as ts.PropertyAccessExpression;
    return table.def.columns.find((c) => c.property === (x as ts.PropertyAccessExpression).name.text)?.column;
  };
  const filters: ExtractedFilter[] = [];
  const read = (cond: ts.Expression): boolean => {
    const c = skipExpression(cond);
    if (!ts.isCallExpression(c)) return false;
    const fn = calleeName(c);
    if (fn === 'and') return c.arguments.every(read);
    const op = fn ? COMPARISONS[fn] : undefined;
    if (!op || !c.arguments[0]) return false;
    const column = columnOf(c.arguments[0]);
    if (!column || (c.arguments[1] && isTableColumn(c.arguments[1], checker))) return false; // a join condition, not a filter
    filters.push({ column, operator: op, node: c });
    return true;
  };
  if (where && !read(where)) return [];
  const orderBy: Array<{ column: string; descending: boolean }> = [];
  for (const o of order) {
    const x = skipExpression(o);
    const fn = ts.isCallExpression(x) ? calleeName(x) : undefined;
    const column = fn === 'desc' || fn === 'asc' ? columnOf((x as ts.CallExpression).arguments[0]) : columnOf(x);
    if (!column) return [];
    orderBy.push({ column, descending: fn === 'desc' });
  }
  if (filters.length === 0 && !(orderBy.length && limited)) return [];
  const name = table.def.schema ? `${table.def.schema}.${table.def.table}` : table.def.table;
  return [{ node: call, tables: [name], filters, orderBy, limited }];
}

/** `users.id`: a column of some Drizzle table (the other side of a join condition). */
function isTableColumn(expr: ts.Expression, checker: ts.TypeChecker): boolean {
  const x = skipExpression(expr);
  return ts.isPropertyAccessExpression(x) && !!tableOf(x.expression, checker);
}

function calleeName(c: ts.CallExpression): string | undefined {
  const callee = c.expression;
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

function tableOf(expr: ts.Expression, checker: ts.TypeChecker): { variable: ts.Symbol; def: DrizzleTable } | undefined {
  const e = skipExpression(expr);
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return undefined;
  const sym = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(e) ? e.name : e);
  return sym ? tableOfSymbol(sym, checker) : undefined;
}

function tableOfSymbol(symbol: ts.Symbol, checker: ts.TypeChecker): { variable: ts.Symbol; def: DrizzleTable } | undefined {
  const sym = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const decl = sym.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
  const def = readDrizzleTable(decl.initializer, (v) => schemaNamed(v, decl.getSourceFile()), (callee) => creatorOf(callee, checker));
  return def ? { variable: sym, def } : undefined;
}

/** `createTable` in `createTable('post', …)`, when it is a `pgTableCreator(…)` (imported or not). */
function creatorOf(callee: ts.Identifier, checker: ts.TypeChecker): TableNamer | undefined {
  const symbol = checker.getSymbolAtLocation(callee);
  const sym = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const decl = sym?.valueDeclaration;
  return decl && ts.isVariableDeclaration(decl) ? tableCreatorOf(decl.initializer) : undefined;
}

/** `const auth = pgSchema('auth')` in the table's file. */
function schemaNamed(variable: string, sf: ts.SourceFile): string | undefined {
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer;
      if (ts.isIdentifier(d.name) && d.name.text === variable && init && ts.isCallExpression(init) && init.arguments[0] && ts.isStringLiteralLike(init.arguments[0])) return init.arguments[0].text;
    }
  }
  return undefined;
}
