import ts from 'typescript';
import type { CallShape } from './types';

/** Provenance-path helpers several libraries' classifiers share. */

/**
 * Methods of arrays and strings. On a lazy builder's provenance path they mean the value is a
 * row already loaded (`member.accessedEnvironments.includes(id)` after `await db.query…`):
 * Knex and Drizzle builders have none of them (Knex's `join` is a builder step, so it is not here).
 */
export const PLAIN_VALUE_METHODS: ReadonlySet<string> = new Set([
  'includes', 'indexOf', 'lastIndexOf', 'map', 'filter', 'find', 'findIndex', 'findLast', 'some', 'every', 'forEach', 'reduce', 'slice', 'at',
  'concat', 'flat', 'flatMap', 'sort', 'toSorted', 'push', 'pop', 'shift', 'unshift', 'splice', 'startsWith', 'endsWith', 'trim', 'split',
  'toLowerCase', 'toUpperCase', 'padStart', 'padEnd', 'replace', 'replaceAll', 'charAt', 'substring', 'localeCompare', 'has', 'toISOString', 'getTime',
]);

/** The path below the last callback parameter: `db.transaction(async (trx) => trx('t').insert(…))` is about `trx`, not `transaction`. */
export function afterCallback(path: string[]): string[] {
  for (let i = path.length - 1; i >= 0; i--) if (path[i].startsWith('cb(')) return path.slice(i + 1);
  return path;
}

/** The callee is an instance of the library's client: created by a call, a callback parameter, or typed. */
export function isInstance(c: CallShape): boolean {
  if (c.typed) return true;
  const last = c.path[c.path.length - 1];
  return last === '()' || (last?.startsWith('cb(') ?? false);
}

/** The object a method is called on is a client instance (`pool.one(…)` with `pool = await createPool()`, or `trx` in a callback). */
export function receiverIsInstance(c: CallShape): boolean {
  if (c.typed) return true;
  const receiver = c.path[c.path.length - 2];
  return receiver === '()' || (receiver?.startsWith('cb(') ?? false);
}

/** A tagged template used as a piece of another query (`` sql`… ${sql`and x = ${x}`}` ``, or kept in a variable for later). */
export function isFragment(node: ts.Node): boolean {
  let n = node;
  for (let i = 0; i < 6 && n.parent; i++) {
    const p = n.parent;
    if (ts.isTemplateSpan(p)) return true;
    if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) return true; // `const where = sql`…``: composed later
    if (ts.isParenthesizedExpression(p) || ts.isConditionalExpression(p) || ts.isArrayLiteralExpression(p) || ts.isBinaryExpression(p)) {
      n = p;
      continue;
    }
    if (ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression)) {
      n = p;
      continue;
    }
    return false;
  }
  return false;
}
