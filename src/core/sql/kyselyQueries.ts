/**
 * Kysely queries, for the descriptor's `queries` slot: `db.selectFrom('users').where('email', '=', e)
 * .orderBy('created_at', 'desc').limit(1).executeTakeFirst()`, `updateTable(…).where(…)`,
 * `deleteFrom(…).where(…)`. Kysely names tables and columns as the database does (with the
 * CamelCasePlugin, in camelCase: projectQueries.ts maps a column the schema only has in
 * snake_case). Expression-builder callbacks (`where((eb) => …)`), `or*`, raw `sql` and filters on
 * a joined table leave the query alone.
 */
import ts from 'typescript';
import type { DbCallSite } from '../db/callSite';
import type { ExtractedFilter, ExtractedQuery } from '../db/libraries/types';
import { skipExpression } from './ormSyntax';

const OPERATORS: Record<string, string> = { '=': '=', '==': '=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', in: 'in', is: 'is null' };
const ROOTS = new Set(['selectFrom', 'updateTable', 'deleteFrom']);
const NEUTRAL = new Set(['select', 'selectAll', 'distinct', 'set', 'returning', 'returningAll', 'offset', 'forUpdate', 'forShare', 'innerJoin', 'leftJoin', 'clearSelect', 'top']);

export function kyselyQuery(site: DbCallSite): ExtractedQuery[] {
  const call = site.node;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return [];
  const steps: Array<{ method: string; args: readonly ts.Expression[] }> = [];
  let e: ts.Expression = call.expression.expression;
  let from: string | undefined;
  for (let i = 0; i < 60; i++) {
    e = skipExpression(e);
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) break;
    const method = e.expression.name.text;
    if (ROOTS.has(method)) {
      const a = e.arguments[0];
      from = a && ts.isStringLiteralLike(a) ? a.text : undefined;
      break;
    }
    steps.unshift({ method, args: e.arguments });
    e = e.expression.expression;
  }
  if (!from) return [];
  const m = /^\s*([\w.]+)(?:\s+as\s+(\w+))?\s*$/i.exec(from);
  if (!m) return [];
  const table = m[1];
  const alias = m[2] ?? table.split('.').pop()!;
  const own = (ref: string): string | undefined => {
    const parts = ref.split('.');
    if (parts.length === 1) return ref;
    return parts.slice(0, -1).join('.') === alias || parts.slice(0, -1).join('.') === table ? parts[parts.length - 1] : undefined;
  };
  const filters: ExtractedFilter[] = [];
  const orderBy: Array<{ column: string; descending: boolean }> = [];
  let limited = false;
  for (const s of steps) {
    const [a0, a1, a2] = s.args;
    if (s.method === 'where') {
      if (!a0 || !ts.isStringLiteralLike(a0) || !a1 || !ts.isStringLiteralLike(a1) || !a2) return [];
      const op = OPERATORS[a1.text.toLowerCase()];
      const column = own(a0.text);
      if (!op || !column || (op === 'is null' && skipExpression(a2).kind !== ts.SyntaxKind.NullKeyword)) return [];
      filters.push({ column, operator: op, node: a0 });
    } else if (s.method === 'orderBy') {
      if (!a0 || !ts.isStringLiteralLike(a0)) return [];
      const [ref, dir] = a0.text.trim().split(/\s+/);
      const column = own(ref);
      if (!column) return [];
      const direction = (a1 && ts.isStringLiteralLike(a1) ? a1.text : dir ?? '').toLowerCase();
      orderBy.push({ column, descending: direction === 'desc' });
    } else if (s.method === 'limit') limited = true;
    else if (!NEUTRAL.has(s.method)) return []; // or*, groupBy, having, union, with, $if, …
  }
  if (/TakeFirst/.test(site.method)) limited = limited || filters.length === 0;
  if (filters.length === 0 && !(orderBy.length && limited)) return [];
  return [{ node: call, tables: [table], filters, orderBy, limited }];
}
