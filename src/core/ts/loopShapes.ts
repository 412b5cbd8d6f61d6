import ts from 'typescript';
import { skipOuter } from './expressions';
import type { IterationContext } from './iteration';

/**
 * Loops that run a query more than once without running it once per element of data: retries
 * and polling (the same statement again until it succeeds), paging (the fix itself), and loops
 * over chunks (one statement per batch is the batching). See docs/rules/n-plus-one.md.
 */

/** Properties of an argument that say "the next page": the loop walks pages, not elements. */
const PAGE_KEYS = new Set(['skip', 'offset', 'cursor', 'after', 'before', 'page', 'pageToken', 'startAfter', 'lastId', 'nextToken']);
/** Bounds that measure data (`i < rows.length`): the loop walks elements. */
const DATA_BOUNDS = new Set(['length', 'size', 'count', 'total']);

/**
 * A `for`/`while`/`do` loop whose condition compares a counter with a constant written in the
 * code (`retry < MAX_RETRIES`, `attempt <= 3`, `this.maxAttempts`): it repeats a fixed number of
 * times at most, whatever the data.
 */
export function isBoundedRepeat(ic: IterationContext, checker: ts.TypeChecker): boolean {
  if (ic.kind !== 'for' && ic.kind !== 'while' && ic.kind !== 'do') return false;
  const loop = ic.node as ts.ForStatement | ts.WhileStatement | ts.DoStatement;
  const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
  if (!condition) return false;
  return conditionParts(condition).some((c) => {
    const e = skipOuter(c);
    if (!ts.isBinaryExpression(e)) return false;
    const op = e.operatorToken.kind;
    const K = ts.SyntaxKind;
    // The constant is the upper bound a counter climbs to (`n < MAX`, `MAX >= n`); counting down to
    // a floor (`i > 0`) walks a list from its end.
    if (op === K.LessThanToken || op === K.LessThanEqualsToken) return isConstantBound(e.right, checker);
    if (op === K.GreaterThanToken || op === K.GreaterThanEqualsToken) return isConstantBound(e.left, checker);
    return false;
  });
}

/** `a && b && c` → [a, b, c]: a retry loop often also checks a success flag. */
function conditionParts(e: ts.Expression): ts.Expression[] {
  const x = skipOuter(e);
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return [...conditionParts(x.left), ...conditionParts(x.right)];
  return [x];
}

function isConstantBound(e: ts.Expression, checker: ts.TypeChecker): boolean {
  const x = skipOuter(e);
  if (ts.isNumericLiteral(x)) return Number(x.text) > 1;
  const name = ts.isIdentifier(x) ? x.text : ts.isPropertyAccessExpression(x) ? x.name.text : undefined;
  if (!name || DATA_BOUNDS.has(name)) return false;
  // MAX_RETRIES, this.MAX_ATTEMPTS: a constant by convention.
  if (/^[A-Z][A-Z0-9_]*$/.test(name)) return true;
  // maxRetries, maxAttempts, attempts: a retry budget, not a data size.
  if (/^max[A-Z_]|(retries|attempts|tries)$/i.test(name)) return true;
  // `const attempts = 5`
  const decl = checker.getSymbolAtLocation(x)?.valueDeclaration;
  return !!decl && ts.isVariableDeclaration(decl) && !!decl.initializer && ts.isNumericLiteral(skipOuter(decl.initializer)) && (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) !== 0;
}

/**
 * Whether this call, in this loop, is not a per-element query: it asks for the next page
 * (`{ take: 1000, skip: count }`), it sends the loop's element when that element is itself a
 * list (`for (const batch of chunks) insert(batch)`), or — in a `while (true)`/`for (;;)`/
 * `do…while` that exits on success — it sends the same statement again (nothing it is given
 * changes from one iteration to the next).
 */
export function isRepeatOrBatch(call: ts.Node, ic: IterationContext, checker: ts.TypeChecker): boolean {
  if (!ts.isCallExpression(call)) return false;
  if (!ic.overCollection && call.arguments.some(asksForNextPage)) return true;
  if (ic.overCollection && sendsChunkElement(call, ic, checker)) return true;
  if (isOpenEndedLoop(ic) && exitsInside(ic.node as ts.IterationStatement) && !mentionsLoopVarying(call, ic.node as ts.IterationStatement)) return true;
  return false;
}

function asksForNextPage(arg: ts.Expression): boolean {
  const x = skipOuter(arg);
  return ts.isObjectLiteralExpression(x) && x.properties.some((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && ts.isIdentifier(p.name) && PAGE_KEYS.has(p.name.text));
}

/** The element variable of a for…of loop or the first parameter of an array callback. */
function elementOf(ic: IterationContext): ts.BindingName | undefined {
  if (ic.kind === 'callback') return ic.fn?.parameters[0]?.name;
  if (ts.isForOfStatement(ic.node)) {
    const init = ic.node.initializer;
    return ts.isVariableDeclarationList(init) ? init.declarations[0]?.name : undefined;
  }
  return undefined;
}

function sendsChunkElement(call: ts.CallExpression, ic: IterationContext, checker: ts.TypeChecker): boolean {
  const element = elementOf(ic);
  if (!element || !ts.isIdentifier(element)) return false;
  const symbol = checker.getSymbolAtLocation(element);
  // The whole batch goes into the statement (`.values(batch)`, `create({ input: batch })`), not one of its items.
  let sent = false;
  const visit = (n: ts.Node): void => {
    if (sent) return;
    if (ts.isIdentifier(n) && n.text === element.text && checker.getSymbolAtLocation(n) === symbol) {
      const p = n.parent;
      if (!(ts.isPropertyAccessExpression(p) && p.expression === n) && !(ts.isElementAccessExpression(p) && p.expression === n)) sent = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  for (const a of call.arguments) visit(a);
  // A builder chain: `db.insertInto('t').values(batch).execute()` — the batch is in an inner call.
  let inner: ts.Expression = call.expression;
  while (!sent && (ts.isPropertyAccessExpression(inner) || ts.isCallExpression(inner))) {
    if (ts.isCallExpression(inner)) for (const a of inner.arguments) visit(a);
    inner = inner.expression;
  }
  // The element's type last: it makes the checker type the loop's collection (a query's awaited
  // result, generic inference), which the syntax above rules out for almost every loop.
  if (!sent) return false;
  const type = checker.getTypeAtLocation(element);
  return checker.isArrayType(type) || checker.isTupleType(type);
}

function isOpenEndedLoop(ic: IterationContext): boolean {
  const n = ic.node;
  if (ts.isDoStatement(n)) return true;
  if (ts.isWhileStatement(n)) return skipOuter(n.expression).kind === ts.SyntaxKind.TrueKeyword;
  if (ts.isForStatement(n)) return !n.condition;
  return false;
}

/** A `return` or a `break` of this loop in its body (not in a nested function or loop). */
function exitsInside(loop: ts.IterationStatement): boolean {
  let found = false;
  const visit = (n: ts.Node, nestedLoop: boolean): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) || ts.isThrowStatement(n) || (ts.isBreakStatement(n) && !n.label && !nestedLoop)) {
      found = true;
      return;
    }
    const inner = nestedLoop || ts.isIterationStatement(n, false) || ts.isSwitchStatement(n);
    ts.forEachChild(n, (c) => visit(c, inner));
  };
  ts.forEachChild(loop.statement, (c) => visit(c, false));
  return found;
}

/** Whether the call's arguments use a variable declared or assigned in the loop (the next item, a cursor). */
function mentionsLoopVarying(call: ts.CallExpression, loop: ts.IterationStatement): boolean {
  const varying = new Set<string>();
  const collect = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) varying.add(n.name.text);
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(skipOuter(n.left))) varying.add((skipOuter(n.left) as ts.Identifier).text);
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(n.operand)) varying.add(n.operand.text);
    ts.forEachChild(n, collect);
  };
  collect(loop.statement);
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && varying.has(n.text) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) found = true;
    else ts.forEachChild(n, visit);
  };
  for (const a of call.arguments) visit(a);
  return found;
}
