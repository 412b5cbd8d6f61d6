import ts from 'typescript';

/**
 * Generic helpers over TypeScript expressions: wrappers to look through, whether a value is
 * consumed as a promise, how a call reads in a message. They know nothing of any library.
 */

/** `(x)`, `x!`, `x as T`, `x satisfies T`, `<T>x` → `x` (not `await x`: see `unwrap` in http/syntax for that). */
export function skipOuter(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

/** `a.b` → `b`, `a["b"]` → `b`. */
export function memberName(callee: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) return callee.argumentExpression.text;
  return undefined;
}

/** The value of a lazy query (a Knex/Drizzle builder) is consumed: awaited, returned, yielded, `.then`-ed, or handed to `Promise.all`. */
export function isExecuted(node: ts.Node): boolean {
  let n = node;
  for (;;) {
    const p = n.parent;
    if (!p) return false;
    if (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p) || ts.isTypeAssertionExpression(p)) {
      n = p;
      continue;
    }
    if (ts.isConditionalExpression(p) && p.condition !== n) {
      n = p;
      continue;
    }
    if (ts.isAwaitExpression(p) || ts.isReturnStatement(p) || ts.isYieldExpression(p)) return true;
    if (ts.isArrowFunction(p)) return p.body === n;
    if (ts.isPropertyAccessExpression(p) && p.expression === n) return ['then', 'catch', 'finally'].includes(p.name.text);
    if (ts.isArrayLiteralExpression(p)) {
      const call = p.parent;
      return !!call && ts.isCallExpression(call) && isPromiseCombinator(call.expression);
    }
    if (ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression)) return isPromiseCombinator(p.expression);
    return false;
  }
}

export function isPromiseCombinator(e: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Promise' && ['all', 'allSettled', 'race', 'any'].includes(e.name.text);
}

/** `pool.query(…)`, `this.prisma.user.findUnique(…)`, `` sql`…` ``, `db(…).where(…).first()`. */
export function displayCall(node: ts.Node): string {
  const print = (e: ts.Node, depth: number): string => {
    if (depth > 12) return '…';
    if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isAwaitExpression(e) || ts.isSatisfiesExpression(e)) return print(e.expression, depth);
    if (ts.isCallExpression(e)) return `${print(e.expression, depth + 1)}(${e.arguments.length ? '…' : ''})`;
    if (ts.isNewExpression(e)) return `new ${print(e.expression, depth + 1)}(${e.arguments?.length ? '…' : ''})`;
    if (ts.isTaggedTemplateExpression(e)) return `${print(e.tag, depth + 1)}\`…\``;
    if (ts.isPropertyAccessExpression(e)) return `${print(e.expression, depth + 1)}${e.questionDotToken ? '?.' : '.'}${e.name.text}`;
    if (ts.isElementAccessExpression(e)) return `${print(e.expression, depth + 1)}[…]`;
    if (ts.isIdentifier(e) || ts.isPrivateIdentifier(e)) return e.text;
    if (e.kind === ts.SyntaxKind.ThisKeyword) return 'this';
    if (e.kind === ts.SyntaxKind.SuperKeyword) return 'super';
    return '…';
  };
  const text = print(node, 0);
  return text.length > 80 ? '…' + text.slice(text.length - 79) : text;
}
