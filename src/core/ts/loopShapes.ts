// Over 400 lines on purpose: one small predicate per loop shape the rule exempts (retries, polling, paging, chunks,
// bounded lists), asked in one order by isRepeatOrBatch and sharing the iteration helpers; a split into loop/list shapes is next.
import ts from 'typescript';
import { skipOuter } from './expressions';
import { isMutated, type IterationContext } from './iteration';

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
  // `for (let d = RECOMPUTE_DAYS; d >= 0; d--)`: counting down from a constant is as bounded as counting up to one.
  if (ts.isForStatement(loop) && loop.initializer && ts.isVariableDeclarationList(loop.initializer)) {
    const start = loop.initializer.declarations[0]?.initializer;
    if (start && isConstantBound(start, checker)) return true;
  }
  return conditionParts(condition).some((c) => {
    const e = skipOuter(c);
    if (!ts.isBinaryExpression(e)) return false;
    const op = e.operatorToken.kind;
    const K = ts.SyntaxKind;
    // `while (cursor <= end)`, `for (let d = new Date(start); d <= end; d.setUTCDate(…))`: a walk
    // over a time range, a day or a window per iteration — each query covers the rows of its window,
    // and the calendar, not the number of rows, sets how many run.
    if ((op === K.LessThanToken || op === K.LessThanEqualsToken || op === K.GreaterThanToken || op === K.GreaterThanEqualsToken) && isDate(e.left, checker) && isDate(e.right, checker)) return true;
    // The constant is the upper bound a counter climbs to (`n < MAX`, `MAX >= n`); counting down to
    // a floor (`i > 0`) walks a list from its end.
    if (op === K.LessThanToken || op === K.LessThanEqualsToken) return isConstantBound(e.right, checker);
    if (op === K.GreaterThanToken || op === K.GreaterThanEqualsToken) return isConstantBound(e.left, checker);
    return false;
  });
}

function isDate(e: ts.Expression, checker: ts.TypeChecker): boolean {
  const t = checker.getNonNullableType(checker.getTypeAtLocation(e));
  return t.getSymbol()?.getName() === 'Date' && !!t.getSymbol()?.declarations?.some((d) => d.getSourceFile().hasNoDefaultLib);
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
  // `const attempts = 5`, `const days = Number.isNaN(arg) ? DEFAULT_DAYS : arg` with `arg` from the command line.
  return isConfiguredNumber(x, checker, 0);
}

/**
 * A number the code or its operator decides: a literal, an UPPER_CASE constant, a command-line
 * argument or environment variable (`parseInt(process.argv[2], 10)`, `Number(process.env.DAYS)`),
 * or arithmetic, `Math.min`/`max`, conditionals and `const`s over those. A backfill of the last
 * N days, N given on the command line, runs N times whatever the data.
 */
function isConfiguredNumber(e: ts.Expression, checker: ts.TypeChecker, depth: number): boolean {
  if (depth > 6) return false;
  const x = skipOuter(e);
  const next = (y: ts.Expression) => isConfiguredNumber(y, checker, depth + 1);
  // `Number(process.env.WINDOW ?? '7')`: a default written as a string.
  if (ts.isNumericLiteral(x) || (ts.isStringLiteral(x) && /^\d+$/.test(x.text))) return true;
  if (ts.isPrefixUnaryExpression(x)) return next(x.operand);
  if (ts.isConditionalExpression(x)) return next(x.whenTrue) && next(x.whenFalse);
  if (ts.isBinaryExpression(x)) {
    const K = ts.SyntaxKind;
    const arithmetic = [K.PlusToken, K.MinusToken, K.AsteriskToken, K.SlashToken, K.PercentToken, K.QuestionQuestionToken, K.BarBarToken].includes(x.operatorToken.kind);
    return arithmetic && next(x.left) && next(x.right);
  }
  if (isProcessInput(x)) return true;
  if (ts.isCallExpression(x)) {
    const callee = skipOuter(x.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? `${callee.expression.text}.${callee.name.text}` : undefined;
    const converts = name !== undefined && ['parseInt', 'parseFloat', 'Number', 'Number.parseInt', 'Number.parseFloat', 'Math.min', 'Math.max', 'Math.floor', 'Math.ceil', 'Math.round', 'Math.abs'].includes(name);
    // `Math.min(n, 100)` is capped by its constant; the others convert one configured value.
    if (name === 'Math.min') return x.arguments.some(next);
    return converts && x.arguments.length > 0 && next(x.arguments[0]) && x.arguments.slice(1).every(next);
  }
  if (!ts.isIdentifier(x)) return false;
  if (/^[A-Z][A-Z0-9_]*$/.test(x.text)) return true;
  const decl = checker.getSymbolAtLocation(x)?.valueDeclaration;
  return !!decl && ts.isVariableDeclaration(decl) && !!decl.initializer && (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) !== 0 && next(decl.initializer);
}

/** `process.argv[2]`, `process.env.DAYS`, `process.env['DAYS']`: what the operator starts the process with. */
function isProcessInput(e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (!ts.isElementAccessExpression(x) && !ts.isPropertyAccessExpression(x)) return false;
  const holder = skipOuter(x.expression);
  return ts.isPropertyAccessExpression(holder) && ts.isIdentifier(holder.expression) && holder.expression.text === 'process' && (holder.name.text === 'argv' || holder.name.text === 'env');
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
  if (ic.kind === 'for' && sendsIndexedChunk(call, ic.node as ts.ForStatement, checker)) return true;
  if (isOpenEndedLoop(ic) && exitsInside(ic.node as ts.IterationStatement) && !mentionsLoopVarying(call, ic.node as ts.IterationStatement)) return true;
  if ((ic.kind === 'while' || ic.kind === 'do') && pagesByResult(call, ic.node as ts.WhileStatement | ts.DoStatement, checker)) return true;
  return false;
}

/**
 * `for (let i = 0; i < batches.length; i++) destroy({ where: { id: batches[i] } })` with
 * `batches = chunk(ids, 10)`: the element at the counter is a chunk, sent whole.
 */
function sendsIndexedChunk(call: ts.CallExpression, loop: ts.ForStatement, checker: ts.TypeChecker): boolean {
  const init = loop.initializer;
  const counter = init && ts.isVariableDeclarationList(init) ? init.declarations[0]?.name : undefined;
  if (!counter || !ts.isIdentifier(counter)) return false;
  const counterSymbol = checker.getSymbolAtLocation(counter);
  let sent = false;
  const visit = (n: ts.Node): void => {
    if (sent) return;
    if (ts.isElementAccessExpression(n) && ts.isIdentifier(skipOuter(n.argumentExpression)) && checker.getSymbolAtLocation(skipOuter(n.argumentExpression)) === counterSymbol) {
      const list = skipOuter(n.expression);
      const p = n.parent;
      const whole = !(ts.isPropertyAccessExpression(p) && p.expression === n) && !(ts.isElementAccessExpression(p) && p.expression === n);
      if (whole && (isChunkList(list, checker) || isListOfLists(checker.getTypeAtLocation(list), checker))) sent = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  for (const a of call.arguments) visit(a);
  return sent;
}

function isListOfLists(t: ts.Type, checker: ts.TypeChecker): boolean {
  if (!checker.isArrayType(t)) return false;
  const element = checker.getTypeArguments(t as ts.TypeReference)[0];
  return !!element && (checker.isArrayType(element) || checker.isTupleType(element));
}

/**
 * Keyset paging under any option name: `while (cursor !== undefined) { const page = await
 * range({ from: cursor }); cursor = page.at(-1)?.seq }` — the loop's condition reads a variable
 * the loop reassigns from this call's result.
 */
function pagesByResult(call: ts.CallExpression, loop: ts.WhileStatement | ts.DoStatement, checker: ts.TypeChecker): boolean {
  const holder = resultHolder(call);
  let result: ts.Symbol | undefined;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) result = checker.getSymbolAtLocation(holder.name);
  else if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(holder.left)) result = checker.getSymbolAtLocation(holder.left);
  if (!result) return false;
  const inCondition = new Set<ts.Symbol>();
  const collect = (x: ts.Node): void => {
    if (ts.isIdentifier(x)) {
      const s = checker.getSymbolAtLocation(x);
      if (s) inCondition.add(s);
    }
    ts.forEachChild(x, collect);
  };
  collect(loop.expression);
  // The result is read as a list — its length, its last row — and decides whether the loop goes
  // on: a page. A single row's field (`parentId = parent.parentId`, walking up a tree) is one
  // query per node, and stays reported.
  if (inCondition.has(result) && readsAsList(loop.expression, result, checker)) return true;
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found || ts.isFunctionLike(x)) return;
    if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(x.left)) {
      const target = checker.getSymbolAtLocation(x.left);
      if (target && inCondition.has(target) && readsAsList(x.right, result!, checker)) found = true;
    }
    ts.forEachChild(x, visit);
  };
  visit(loop.statement);
  return found;
}

/**
 * Where the call's result is stored: through `await`, parentheses, casts, and a branch of a
 * conditional — `const page = cursor ? await q.where(after(cursor)).execute() : await
 * q.execute()` pages the same way whichever branch runs (the first page has no cursor yet).
 */
function resultHolder(call: ts.Node): ts.Node {
  let n: ts.Node = call;
  for (;;) {
    const p = n.parent;
    if (ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p)) n = p;
    else if (ts.isConditionalExpression(p) && (p.whenTrue === n || p.whenFalse === n)) n = p;
    else return p;
  }
}

/** `page.at(-1)`, `page[page.length - 1]`, `rows.length`, `page.pop()`: `symbol` used as a list in `e`. */
function readsAsList(e: ts.Node, symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && checker.getSymbolAtLocation(n) === symbol) {
      const p = n.parent;
      // `page[page.length - 1]` is the last row of a page; `rows[0]` is one row (a tree walk).
      if (ts.isElementAccessExpression(p) && p.expression === n) found = /\.length\b/.test(p.argumentExpression.getText());
      else if (ts.isPropertyAccessExpression(p) && p.expression === n && ['at', 'length', 'pop', 'slice'].includes(p.name.text)) found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(e);
  return found;
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
  const body = ic.kind === 'callback' ? ic.fn?.body : (ic.node as ts.IterationStatement).statement;
  const followed = new Set<ts.Node>();
  // Names of the variables declared in the loop body, found syntactically: only those can hold a
  // value built from the batch, so only those are worth a symbol lookup (which, for a property
  // name, makes the checker type the object it is read from).
  let localNames: Set<string> | undefined;
  const declaredInBody = (name: string): boolean => {
    if (!localNames) {
      const names = new Set<string>();
      const collect = (n: ts.Node): void => {
        if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) names.add(n.name.text);
        ts.forEachChild(n, collect);
      };
      if (body) collect(body);
      localNames = names;
    }
    return localNames.has(name);
  };
  const visit = (n: ts.Node): void => {
    if (sent) return;
    const symbolOf = (id: ts.Identifier) => (ts.isShorthandPropertyAssignment(id.parent) ? checker.getShorthandAssignmentValueSymbol(id.parent) : checker.getSymbolAtLocation(id));
    if (ts.isIdentifier(n) && n.text === element.text && symbolOf(n) === symbol) {
      const p = n.parent;
      if (!(ts.isPropertyAccessExpression(p) && p.expression === n) && !(ts.isElementAccessExpression(p) && p.expression === n)) sent = true;
      return;
    }
    // `const attrs = { input: batch, … }; create(attrs)`: a value built in the loop from the batch.
    if (ts.isIdentifier(n) && body) {
      if (!declaredInBody(n.text)) return;
      const decl = checker.getSymbolAtLocation(n)?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && !followed.has(decl) && decl.pos >= body.pos && decl.end <= body.end && decl.getSourceFile() === body.getSourceFile()) {
        followed.add(decl);
        visit(decl.initializer);
      }
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
  const untyped = (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
  return checker.isArrayType(type) || checker.isTupleType(type) || (untyped && iteratesPackageChunks(ic, checker));
}

/**
 * The loop walks the result of a package's `chunk(list, size)` (lodash, lodash-es, es-toolkit,
 * remeda, radash…): its elements are lists even where the package's types are not installed.
 * Directly (`chunk(xs, 50).map(…)`) or through a `const` (`const chunks = _.chunk(xs, 50)`).
 */
function iteratesPackageChunks(ic: IterationContext, checker: ts.TypeChecker): boolean {
  const collection = ic.kind === 'callback' ? ic.receiver : ts.isForOfStatement(ic.node) ? ic.node.expression : undefined;
  return !!collection && isChunkList(collection, checker);
}

/** A package's `chunk(list, n)` result, or a variable initialised with one. */
function isChunkList(expression: ts.Expression, checker: ts.TypeChecker): boolean {
  let collection = skipOuter(expression);
  if (ts.isIdentifier(collection)) {
    const decl = checker.getSymbolAtLocation(collection)?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return false;
    collection = skipOuter(decl.initializer);
  }
  if (!ts.isCallExpression(collection)) return false;
  const callee = skipOuter(collection.expression);
  const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  if (!name || !/^chunk$/i.test(name.text)) return false;
  // The function (or the `_` namespace) is imported from a package, not written in the project.
  const imported = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression : undefined;
  const decl = imported && checker.getSymbolAtLocation(imported)?.declarations?.[0];
  let spec: ts.Node | undefined;
  if (decl && (ts.isImportSpecifier(decl) || ts.isNamespaceImport(decl) || ts.isImportClause(decl))) {
    for (let n: ts.Node = decl; n; n = n.parent) if (ts.isImportDeclaration(n)) spec = n.moduleSpecifier;
  }
  return !!spec && ts.isStringLiteral(spec) && !spec.text.startsWith('.') && !spec.text.startsWith('/');
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

/**
 * Whether the call's arguments use a variable the loop draws from data (the next item, a
 * cursor): declared or assigned in the loop from a call, an element or a property. A value
 * rebuilt from a counter (`slug = base + ++n`, probing for a free name) is not data.
 */
function mentionsLoopVarying(call: ts.CallExpression, loop: ts.IterationStatement): boolean {
  const varying = new Set<string>();
  const counters = new Set<string>();
  const fromData = (e: ts.Node | undefined): boolean => {
    if (!e) return false;
    let data = false;
    const visit = (n: ts.Node): void => {
      if (data) return;
      if (ts.isCallExpression(n) || ts.isElementAccessExpression(n) || ts.isPropertyAccessExpression(n) || ts.isAwaitExpression(n)) data = true;
      else if (ts.isIdentifier(n) && varying.has(n.text) && !counters.has(n.text)) data = true;
      else ts.forEachChild(n, visit);
    };
    visit(e);
    return data;
  };
  const collect = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) {
      varying.add(n.name.text);
      if (!fromData(n.initializer)) counters.add(n.name.text);
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(skipOuter(n.left))) {
      const name = (skipOuter(n.left) as ts.Identifier).text;
      if (!varying.has(name) && !fromData(n.right)) counters.add(name);
      else if (fromData(n.right)) counters.delete(name);
      varying.add(name);
    } else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(n.operand)) {
      if (!varying.has(n.operand.text)) counters.add(n.operand.text);
      varying.add(n.operand.text);
    }
    ts.forEachChild(n, collect);
  };
  collect(loop.statement);
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && varying.has(n.text) && !counters.has(n.text) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) found = true;
    else ts.forEachChild(n, visit);
  };
  for (const a of call.arguments) visit(a);
  return found;
}

/**
 * Whether a call in a loop runs at most once for the whole loop: only on the first iteration
 * (`if (i === 0)`, `if (index === 0)` in a callback, `if (rows.length === 1)`), or in a loop
 * statement that always ends right after it (`return await q(…)`, `await q(…); break;`).
 */
export function runsOncePerLoop(call: ts.Node, ic: IterationContext, checker: ts.TypeChecker): boolean {
  const body = ic.kind === 'callback' ? ic.fn?.body : ts.isIterationStatement(ic.node, false) ? (ic.node as ts.IterationStatement).statement : undefined;
  if (!body) return false;
  const counterName = loopCounter(ic);
  const counter = counterName && checker.getSymbolAtLocation(counterName);
  let crossedSwitchOrLoop = false;
  for (let n: ts.Node = call; n !== body && n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isFunctionLike(p) && p !== ic.fn) return false;
    if (ts.isIfStatement(p) && p.thenStatement === n && conjuncts(p.expression).some((c) => isFirstOnly(c, counter, checker))) return true;
    if (ic.kind === 'callback') continue;
    if (ts.isReturnStatement(n) || ts.isThrowStatement(n)) return true;
    if (ts.isSwitchStatement(p) || ts.isIterationStatement(p, false)) crossedSwitchOrLoop = true;
    if ((ts.isBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) && ts.isStatement(n)) {
      const siblings = ts.isBlock(p) ? p.statements : p.statements;
      for (const next of siblings.slice(siblings.indexOf(n as ts.Statement) + 1)) {
        if (ts.isReturnStatement(next) || ts.isThrowStatement(next)) return true;
        if (ts.isBreakStatement(next) && !next.label && !crossedSwitchOrLoop && !ts.isCaseClause(p) && !ts.isDefaultClause(p)) return true;
        if (mayContinue(next)) break;
      }
    }
  }
  return false;
}

/** The loop's counter (`i` in `for (let i = 0; …)`) or an array callback's index parameter. */
function loopCounter(ic: IterationContext): ts.Identifier | undefined {
  let name: ts.Node | undefined;
  if (ic.kind === 'callback') name = ic.fn?.parameters[1]?.name;
  else if (ts.isForStatement(ic.node) && ic.node.initializer && ts.isVariableDeclarationList(ic.node.initializer)) name = ic.node.initializer.declarations[0]?.name;
  return name && ts.isIdentifier(name) ? name : undefined;
}

function conjuncts(e: ts.Expression): ts.Expression[] {
  const x = skipOuter(e);
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return [...conjuncts(x.left), ...conjuncts(x.right)];
  return [x];
}

/** `i === 0` (the loop's counter), `xs.length === 1`, `xs.length <= 1`, `xs.length < 2`. */
function isFirstOnly(e: ts.Expression, counter: ts.Symbol | undefined, checker: ts.TypeChecker): boolean {
  if (!ts.isBinaryExpression(e)) return false;
  const K = ts.SyntaxKind;
  const op = e.operatorToken.kind;
  const num = (x: ts.Expression) => (ts.isNumericLiteral(skipOuter(x)) ? Number((skipOuter(x) as ts.NumericLiteral).text) : undefined);
  const isCounter = (x: ts.Expression) => {
    const id = skipOuter(x);
    return !!counter && ts.isIdentifier(id) && checker.getSymbolAtLocation(id) === counter;
  };
  const isLength = (x: ts.Expression) => {
    const y = skipOuter(x);
    return ts.isPropertyAccessExpression(y) && (y.name.text === 'length' || y.name.text === 'size');
  };
  if (op === K.EqualsEqualsEqualsToken || op === K.EqualsEqualsToken) {
    for (const [a, b] of [[e.left, e.right], [e.right, e.left]] as const) {
      if (isCounter(a) && num(b) === 0) return true;
      if (isLength(a) && num(b) === 1) return true;
    }
    return false;
  }
  if (isLength(e.left) && ((op === K.LessThanEqualsToken && num(e.right) === 1) || (op === K.LessThanToken && num(e.right) === 2))) return true;
  return false;
}

/** A statement that may go on to the next iteration (`continue` not inside a nested loop or function). */
function mayContinue(statement: ts.Statement): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n) || ts.isIterationStatement(n, false)) return;
    if (ts.isContinueStatement(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(statement);
  return found;
}

/**
 * A loop over the statements of one operation, not over data: `for (const s of
 * knex.schema.createTable(…).toSQL())`, or over what a project function returns when every
 * one of its returns is an array written in the code or such a `toSQL()` list
 * (`createSchema(name) { return [\`CREATE SCHEMA …\`, \`GRANT …\`] }`). Raw-SQL APIs take one
 * statement at a time; the statements are fixed by the code. A list mapped from data
 * (`tables.map((t) => knex.count().from(t).toQuery())`) is still data.
 */
export function iteratesStatementList(ic: IterationContext, checker: ts.TypeChecker, calleesOf: (callee: ts.Expression) => readonly ts.FunctionLikeDeclaration[]): boolean {
  if (!ts.isForOfStatement(ic.node)) return false;
  return isStatementList(ic.node.expression, checker, calleesOf, 0);
}

function isStatementList(expression: ts.Expression, checker: ts.TypeChecker, calleesOf: (callee: ts.Expression) => readonly ts.FunctionLikeDeclaration[], depth: number): boolean {
  if (depth > 3) return false;
  let e = skipOuter(expression);
  while (ts.isAwaitExpression(e)) e = skipOuter(e.expression);
  if (ts.isIdentifier(e)) {
    const symbol = checker.getSymbolAtLocation(e);
    const decl = symbol?.valueDeclaration;
    if (!symbol || !decl || !ts.isVariableDeclaration(decl) || !decl.initializer || (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) === 0) return false;
    // `const out = []; … out.push(row)`: a list filled with data.
    if (isMutated(symbol, decl, checker)) return false;
    return isStatementList(decl.initializer, checker, calleesOf, depth + 1);
  }
  if (ts.isArrayLiteralExpression(e)) return e.elements.length > 0 && !e.elements.some(ts.isSpreadElement);
  if (!ts.isCallExpression(e)) return false;
  const callee = skipOuter(e.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    // `….toSQL()`, also `.map((s) => s.sql)` / `.filter(…)` over it.
    if (callee.name.text === 'toSQL') return true;
    if ((callee.name.text === 'map' || callee.name.text === 'filter') && ts.isCallExpression(skipOuter(callee.expression))) return isStatementList(callee.expression, checker, calleesOf, depth + 1);
  }
  // `return []`, `return undefined` (another dialect has no such statements) say nothing either way; the other returns decide.
  const returns = calleesOf(callee).map((fn) => returnedExpressions(fn).filter((r) => !isNothing(skipOuter(r))));
  return returns.some((r) => r.length > 0) && returns.every((r) => r.every((x) => isStatementList(x, checker, calleesOf, depth + 1)));
}

function isNothing(e: ts.Expression): boolean {
  if (ts.isArrayLiteralExpression(e)) return e.elements.length === 0;
  return (ts.isIdentifier(e) && e.text === 'undefined') || e.kind === ts.SyntaxKind.NullKeyword || ts.isVoidExpression(e);
}

/** The expressions a function returns (its concise body, or every `return` outside nested functions). */
export function returnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return out;
}

/**
 * `for await (const [event] of on(emitter, 'commit'))` (node:events): events handled as they
 * arrive, like a listener — not a collection walked element by element.
 */
export function iteratesEventStream(ic: IterationContext, checker: ts.TypeChecker): boolean {
  if (ic.kind !== 'for-await') return false;
  const e = skipOuter((ic.node as ts.ForOfStatement).expression);
  if (!ts.isCallExpression(e)) return false;
  const callee = skipOuter(e.expression);
  const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  if (!name || name.text !== 'on') return false;
  const imported = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression : undefined;
  const decl = imported && checker.getSymbolAtLocation(imported)?.declarations?.[0];
  for (let n: ts.Node | undefined = decl; n; n = n.parent) {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) return n.moduleSpecifier.text === 'events' || n.moduleSpecifier.text === 'node:events';
  }
  return false;
}
