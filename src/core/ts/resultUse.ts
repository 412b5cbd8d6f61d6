import ts from 'typescript';
import { executionOf } from './expressions';
import { callbackRole } from './iteration';

/**
 * What the code around a call does with its value, as far as running a lazy query builder goes
 * (Knex and Drizzle builders run only when awaited or `.then`-ed):
 * - `executed`: awaited, `.then`-ed, handed to `Promise.all`, or returned to code that runs it
 *   (a `.then`/transaction callback, a framework's handler);
 * - `returned`: returned from `owner`, so its caller decides;
 * - `composed`: anything else — kept in a variable that is never awaited, handed to another
 *   builder (`unionAll(parts)`, `with('x', sub)`, `whereIn('id', sub)`), mutated through
 *   (`qb.where(…)` in a `forEach`), or dropped. A builder that is composed runs as part of one
 *   query, not once per element.
 */
export type ResultUse = 'executed' | 'returned' | 'composed';

/** Chain steps that turn a builder into text or a plan, never into a round trip. */
const RENDERERS = new Set(['toQuery', 'toSQL', 'toString', 'toNative', 'toSql', 'getSQL', 'compile', 'toSqlString']);
const SETTLERS = new Set(['then', 'catch', 'finally']);

export function resultUse(call: ts.Expression, checker: ts.TypeChecker, owner: ts.Node | undefined, depth = 0): ResultUse {
  // A method chain on the value is consumed as its outermost call is: `helper().where(…).first()`.
  let n: ts.Node = call;
  for (;;) {
    let p = n.parent;
    while (p && (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p))) {
      n = p;
      p = p.parent;
    }
    if (p && ts.isPropertyAccessExpression(p) && p.expression === n && ts.isCallExpression(p.parent) && p.parent.expression === p) {
      if (SETTLERS.has(p.name.text)) return 'executed';
      if (RENDERERS.has(p.name.text)) return 'composed';
      n = p.parent;
      continue;
    }
    break;
  }
  const how = executionOf(n);
  if (how === 'awaited') return 'executed';
  if (how === 'returned') {
    const fn = enclosingFunction(n);
    if (!fn || fn === owner) return 'returned';
    if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
      const role = callbackRole(fn);
      // Returned from an array callback: the array is what is used (`Promise.all(xs.map(…))` runs them, `unionAll(xs.map(…))` composes them).
      if (role.kind === 'iteration') return depth > 3 ? 'executed' : resultUse(role.call, checker, owner, depth + 1);
    }
    return 'executed';
  }
  // `const q = helper(); … await q`: how the variable is used.
  const holder = n.parent;
  if (depth <= 3 && holder && ts.isVariableDeclaration(holder) && holder.initializer === n && ts.isIdentifier(holder.name)) {
    const symbol = checker.getSymbolAtLocation(holder.name);
    const scope = enclosingFunction(holder) ?? holder.getSourceFile();
    let use: ResultUse = 'composed';
    const visit = (x: ts.Node): void => {
      if (use === 'executed') return;
      if (ts.isIdentifier(x) && x !== holder.name && x.text === holder.name.getText() && checker.getSymbolAtLocation(x) === symbol) {
        const u = resultUse(x, checker, owner, depth + 1);
        if (u === 'executed' || (u === 'returned' && use === 'composed')) use = u;
        return;
      }
      ts.forEachChild(x, visit);
    };
    visit(scope);
    return use;
  }
  return 'composed';
}

/** The function whose body `node` is in (not crossing into an outer one). */
export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) || ts.isConstructorDeclaration(n)) return n;
  }
  return undefined;
}
