/**
 * Filters written in an ORM's own terms, read from the syntax, for the descriptors' `queries`
 * slot: Prisma `where`/`orderBy`/`take` on model delegates, Knex `where*`/`orderBy`/`first`
 * builder chains. Each answer becomes an equivalent SQL query (`toSql`) that index coverage
 * checks like any other. Anything the syntax does not say for sure (a `where` built elsewhere,
 * `OR`, relation filters, raw fragments, joins) leaves that part — or the whole query — out.
 */
import ts from 'typescript';
import type { ExtractedFilter, ExtractedQuery } from '../db/libraries/types';
import { quoteIdent } from './ast';
import { hasSpread, hidesProperty } from './ormSyntax';

type Site = { node: ts.CallExpression | ts.TaggedTemplateExpression; method: string };

const PRISMA_READS = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy', 'update', 'updateMany', 'delete', 'deleteMany']);
const PRISMA_OPERATORS: Record<string, string> = { equals: '=', in: 'in', lt: '<', lte: '<=', gt: '>', gte: '>=' };
/**
 * The operator of a Prisma relation filter: `column` is the relation field's name, which the
 * schema maps to the key columns the filter restricts (`IN (SELECT … FROM related WHERE …)`).
 */
export const RELATION = 'relation';

/** Prisma `prisma.user.findMany({ where, orderBy, take })`: model `user`, filters by field name. */
export function prismaDelegateQuery(site: Site): ExtractedQuery[] {
  const call = site.node;
  if (!ts.isCallExpression(call) || !PRISMA_READS.has(site.method)) return [];
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return [];
  const delegate = callee.expression;
  const model = ts.isPropertyAccessExpression(delegate) ? delegate.name.text : undefined;
  if (!model) return [];
  const arg = call.arguments[0];
  if (!arg || !ts.isObjectLiteralExpression(arg) || hidesProperty(arg, 'where')) return [];
  const where = prop(arg, 'where');
  if (!where || !ts.isObjectLiteralExpression(where)) return [];
  const filters = prismaWhere(where);
  if (!filters || filters.length === 0) return [];
  const orderBy: Array<{ column: string; descending: boolean }> = [];
  const order = prop(arg, 'orderBy');
  for (const o of order && ts.isArrayLiteralExpression(order) ? order.elements : order ? [order] : []) {
    if (!ts.isObjectLiteralExpression(o)) continue;
    for (const p of o.properties) {
      if (ts.isPropertyAssignment(p) && ts.isStringLiteral(p.initializer) && propName(p)) orderBy.push({ column: propName(p)!, descending: p.initializer.text === 'desc' });
    }
  }
  const limited = /^find(First|Unique)/.test(site.method) || !!prop(arg, 'take');
  return [{ node: call, tables: [model], filters, orderBy, limited, modelNames: true }];
}

/**
 * The filters a Prisma `where` literal spells out, or undefined when part of it is built elsewhere
 * (`...idFilter(id)`, `...visibility`): the spread may hold the primary key, so no verdict is sure.
 */
function prismaWhere(where: ts.ObjectLiteralExpression): ExtractedFilter[] | undefined {
  const out: ExtractedFilter[] = [];
  for (const p of where.properties) {
    if (ts.isSpreadAssignment(p)) return undefined;
    if (ts.isShorthandPropertyAssignment(p)) {
      out.push({ column: p.name.text, operator: '=', node: p });
      continue;
    }
    if (!ts.isPropertyAssignment(p)) continue;
    const name = propName(p);
    if (!name) continue;
    if (name === 'AND') {
      const items = ts.isArrayLiteralExpression(p.initializer) ? p.initializer.elements : [p.initializer];
      for (const i of items) {
        if (!ts.isObjectLiteralExpression(i)) continue;
        const inner = prismaWhere(i);
        if (!inner) return undefined;
        out.push(...inner);
      }
      continue;
    }
    if (name === 'OR' || name === 'NOT') continue;
    const v = p.initializer;
    if (ts.isObjectLiteralExpression(v)) {
      const ops = v.properties.map((x) => (ts.isPropertyAssignment(x) || ts.isShorthandPropertyAssignment(x) ? propName(x) : undefined));
      if (ops.every((o) => o && o in PRISMA_OPERATORS)) {
        for (const o of ops) out.push({ column: name, operator: PRISMA_OPERATORS[o!], node: p });
      } else if (ops.every((o) => o && !(o in PRISMA_OPERATORS) && !['contains', 'startsWith', 'endsWith', 'not', 'mode', 'some', 'every', 'none', 'is', 'isNot', 'has', 'hasSome', 'hasEvery', 'path'].includes(o))) {
        const parts = name.split('_');
        if (parts.length > 1 && ops.every((o) => parts.includes(o!))) {
          // A compound unique (`tenantId_userId: { tenantId, userId }`): equality on each field.
          for (const x of v.properties) {
            const f = ts.isPropertyAssignment(x) || ts.isShorthandPropertyAssignment(x) ? propName(x) : undefined;
            if (f && parts.includes(f)) out.push({ column: f, operator: '=', node: x });
          }
        } else if (ops.length > 0) {
          // A to-one relation filter (`author: { email }`): the key column IN (the related rows).
          out.push({ column: name, operator: RELATION, node: p });
        }
      } else if (ops.length === 1 && (ops[0] === 'some' || ops[0] === 'is') && isObjectValue(v.properties[0])) {
        // `posts: { some: { … } }`, `author: { is: { … } }`: a semi-join on the relation's key.
        // (`every`, `none`, `isNot` exclude rows: no index lookup follows from them.)
        out.push({ column: name, operator: RELATION, node: p });
      }
      continue;
    }
    if (v.kind === ts.SyntaxKind.NullKeyword) {
      out.push({ column: name, operator: 'is null', node: p });
      continue;
    }
    out.push({ column: name, operator: '=', node: p });
  }
  return out;
}

const KNEX_RANGE = new Set(['<', '<=', '>', '>=', '=']);

/** Knex `db('orders').where('status', s).orderBy('created_at', 'desc').first()`. */
export function knexChainQuery(site: Site): ExtractedQuery[] {
  const steps: Array<{ method: string; args: readonly ts.Expression[] }> = [];
  let e: ts.Expression = site.node as ts.Expression;
  let table: string | undefined;
  for (let i = 0; i < 60; i++) {
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      steps.push({ method: e.expression.name.text, args: e.arguments });
      e = e.expression.expression;
    } else if (ts.isCallExpression(e)) {
      // The root `db('orders')` / `trx('orders')`.
      const a = e.arguments[0];
      if (a && ts.isStringLiteralLike(a)) table = a.text;
      break;
    } else if (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
    else break;
  }
  const filters: ExtractedFilter[] = [];
  const orderBy: Array<{ column: string; descending: boolean }> = [];
  let limited = false;
  for (const s of steps.reverse()) {
    const [a0, a1, a2] = s.args;
    const str = (x: ts.Expression | undefined) => (x && ts.isStringLiteralLike(x) ? x.text : undefined);
    switch (s.method) {
      case 'from':
      case 'table':
      case 'into':
        table = str(a0) ?? table;
        break;
      case 'where':
      case 'andWhere':
        if (a0 && ts.isObjectLiteralExpression(a0)) {
          if (hasSpread(a0)) return [];
          for (const p of a0.properties) {
            const n = ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? propName(p) : undefined;
            if (n) filters.push({ column: n, operator: '=', node: p });
          }
        } else if (str(a0) && s.args.length === 2) filters.push({ column: str(a0)!, operator: '=', node: a0 });
        else if (str(a0) && s.args.length === 3 && str(a1) && KNEX_RANGE.has(str(a1)!)) filters.push({ column: str(a0)!, operator: str(a1)!, node: a0 });
        else if (str(a0) && s.args.length === 3 && str(a1)?.toLowerCase() === 'in') filters.push({ column: str(a0)!, operator: 'in', node: a0 });
        else if (a0) return []; // a callback or raw: not knowable
        void a2;
        break;
      case 'whereIn':
        if (str(a0)) filters.push({ column: str(a0)!, operator: 'in', node: a0 });
        break;
      case 'whereNull':
        if (str(a0)) filters.push({ column: str(a0)!, operator: 'is null', node: a0 });
        break;
      case 'whereBetween':
        if (str(a0)) filters.push({ column: str(a0)!, operator: '>=', node: a0 });
        break;
      case 'orderBy':
        if (str(a0)) orderBy.push({ column: str(a0)!, descending: str(a1)?.toLowerCase() === 'desc' });
        break;
      case 'first':
      case 'limit':
        limited = true;
        break;
      case 'select':
      case 'returning':
      case 'update':
      case 'del':
      case 'delete':
      case 'count':
      case 'then':
        break;
      default:
        // joins, orWhere, whereRaw, modify, …: the query is not fully known.
        if (/join|^or|Raw$|^modify$|^union|^with/i.test(s.method)) return [];
    }
  }
  if (!table || /\s/.test(table) || (filters.length === 0 && !(orderBy.length && limited))) return [];
  return [{ node: site.node, tables: [table], filters, orderBy, limited }];
}

/** The SQL equivalent of a structured query, for coverage (`$n` for every value). */
export function structuredSql(table: string, filters: Array<{ column: string; operator: string }>, orderBy: Array<{ column: string; descending: boolean }>, limited: boolean): string {
  let n = 1;
  const conds = filters.map((f) => {
    const c = f.column.split('.').map(quoteIdent).join('.');
    if (f.operator === 'in') return `${c} = ANY($${n++})`;
    if (f.operator === 'is null') return `${c} IS NULL`;
    return `${c} ${f.operator} $${n++}`;
  });
  const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
  const order = orderBy.length ? ` ORDER BY ${orderBy.map((o) => `${quoteIdent(o.column)}${o.descending ? ' DESC' : ''}`).join(', ')}` : '';
  return `SELECT * FROM ${table.split('.').map(quoteIdent).join('.')}${where}${order}${limited ? ' LIMIT 1' : ''}`;
}

function isObjectValue(p: ts.ObjectLiteralElementLike | undefined): boolean {
  return !!p && ts.isPropertyAssignment(p) && ts.isObjectLiteralExpression(p.initializer);
}

function prop(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of obj.properties) if (ts.isPropertyAssignment(p) && propName(p) === name) return p.initializer;
  return undefined;
}

function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  const n = p.name;
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isStringLiteral(n)) return n.text;
  return undefined;
}
