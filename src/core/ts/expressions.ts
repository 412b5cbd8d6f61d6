import ts from 'typescript';

/**
 * Generic helpers over TypeScript expressions: wrappers to look through, whether a value is
 * consumed as a promise, how a call reads in a message. They know nothing of any library.
 */

/** `(x)`, `x!`, `x as T`, `x satisfies T`, `<T>x` → `x`: the same value. `await x` is a different value; see `skipOuterAndAwait`. */
export function skipOuter(e: ts.Expression): ts.Expression {
  // By kind, not five `ts.isX` calls: asked for nearly every expression the rules look at.
  while (isWrapper(e.kind)) e = (e as ts.ParenthesizedExpression).expression;
  return e;
}

const PARENTHESIZED = ts.SyntaxKind.ParenthesizedExpression;
const NON_NULL = ts.SyntaxKind.NonNullExpression;
const AS = ts.SyntaxKind.AsExpression;
const SATISFIES = ts.SyntaxKind.SatisfiesExpression;
const TYPE_ASSERTION = ts.SyntaxKind.TypeAssertionExpression;

/** `(x)`, `x!`, `x as T`, `x satisfies T`, `<T>x`: a node whose `expression` is the same value. */
function isWrapper(kind: ts.SyntaxKind): boolean {
  return kind === PARENTHESIZED || kind === NON_NULL || kind === AS || kind === SATISFIES || kind === TYPE_ASSERTION;
}

/**
 * `skipOuter` and also `await x` → `x`: the expression whose value, once settled, this is. For
 * matching what an expression denotes (`const app = await NestFactory.create(…)` is the app),
 * not for deciding whether something is awaited.
 */
export function skipOuterAndAwait(node: ts.Expression): ts.Expression {
  let n = skipOuter(node);
  while (ts.isAwaitExpression(n)) n = skipOuter(n.expression);
  return n;
}

/** The parent of an expression, above the wrappers `skipOuterAndAwait` removes. */
export function outerParent(node: ts.Node): ts.Node {
  let n = node;
  while (
    n.parent &&
    (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent) || ts.isTypeAssertionExpression(n.parent) || ts.isAwaitExpression(n.parent))
  ) {
    n = n.parent;
  }
  return n.parent;
}

/** `a.b` → `b`, `a["b"]` → `b`. */
export function memberName(callee: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) return callee.argumentExpression.text;
  return undefined;
}

/** The value of a lazy query (a Knex/Drizzle builder) is consumed: awaited, returned, yielded, `.then`-ed, or handed to `Promise.all`. */
export function isExecuted(node: ts.Node): boolean {
  return executionOf(node) !== undefined;
}

/**
 * How a value is consumed as a promise: `awaited` (awaited, yielded, `.then`-ed, handed to
 * `Promise.all`) or `returned` (a `return`, an arrow's expression body) — a returned lazy
 * builder runs only if the caller awaits it; undefined when it is neither.
 */
export function executionOf(node: ts.Node): 'awaited' | 'returned' | undefined {
  let n = node;
  for (;;) {
    const p = n.parent;
    if (!p) return undefined;
    if (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p) || ts.isTypeAssertionExpression(p)) {
      n = p;
      continue;
    }
    if (ts.isConditionalExpression(p) && p.condition !== n) {
      n = p;
      continue;
    }
    if (ts.isAwaitExpression(p) || ts.isYieldExpression(p)) return 'awaited';
    if (ts.isReturnStatement(p)) return 'returned';
    if (ts.isArrowFunction(p)) return p.body === n ? 'returned' : undefined;
    if (ts.isPropertyAccessExpression(p) && p.expression === n) return ['then', 'catch', 'finally'].includes(p.name.text) ? 'awaited' : undefined;
    if (ts.isArrayLiteralExpression(p)) {
      const call = p.parent;
      return !!call && ts.isCallExpression(call) && isPromiseCombinator(call.expression) ? 'awaited' : undefined;
    }
    if (ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression)) return isPromiseCombinator(p.expression) ? 'awaited' : undefined;
    return undefined;
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

/** `obj.method(...)`: the receiver and the method name. */
export function methodCall(call: ts.CallExpression): { receiver: ts.Expression; name: string } | undefined {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) return { receiver: callee.expression, name: callee.name.text };
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) return { receiver: callee.expression, name: callee.argumentExpression.text };
  return undefined;
}

/** The leftmost name of `a.b.c(...)`, `a(...)`, `require('m')(...)` → `a` (undefined for other shapes). */
export function rootName(expr: ts.Expression): string | undefined {
  let e = skipOuterAndAwait(expr);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e)) {
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require') return undefined;
    e = skipOuterAndAwait(e.expression);
  }
  return ts.isIdentifier(e) ? e.text : undefined;
}
