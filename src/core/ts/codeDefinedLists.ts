import ts from 'typescript';
import { skipOuter } from './expressions';
import { isMutated, type IterationContext } from './iteration';
import { returnedExpressions } from './loopShapes';

/**
 * Lists whose length the code decides, in forms `iteratesFixedList` does not read: the values of
 * an enum (`Object.values(Role)`, filtered or sliced) and a class field only ever assigned an
 * array literal (`this.taggers = [new A(), new B()]` in the constructor). A loop over one runs a
 * fixed number of times whatever the data — the same as `Promise.all([a(), b()])`.
 */
export function iteratesCodeDefinedList(ic: IterationContext, checker: ts.TypeChecker): boolean {
  const collection = ic.kind === 'callback' ? ic.receiver : ts.isForOfStatement(ic.node) || ts.isForInStatement(ic.node) ? ic.node.expression : undefined;
  return !!collection && isCodeDefinedList(collection, checker, 0);
}

/** Steps that keep a list as bounded as the one they start from. */
const SUBLIST_METHODS = new Set(['filter', 'slice', 'map', 'sort', 'reverse', 'toSorted', 'toReversed']);

export function isCodeDefinedList(expression: ts.Expression, checker: ts.TypeChecker, depth: number): boolean {
  if (depth > 5) return false;
  const e = skipOuter(expression);
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(e.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    if (SUBLIST_METHODS.has(callee.name.text)) return isCodeDefinedList(callee.expression, checker, depth + 1);
    // Object.values(Role), Object.keys(Role), Object.entries(Role): an enum's members are written in the code.
    if (ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && ['values', 'keys', 'entries'].includes(callee.name.text) && e.arguments[0]) {
      return isEnum(e.arguments[0], checker);
    }
    return false;
  }
  if (ts.isIdentifier(e)) {
    const symbol = checker.getSymbolAtLocation(e);
    const decl = symbol?.valueDeclaration;
    if (!symbol || !decl || !ts.isVariableDeclaration(decl) || !decl.initializer || (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) === 0) return false;
    return !isMutated(symbol, decl, checker) && isCodeDefinedList(decl.initializer, checker, depth + 1);
  }
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return isFixedField(e, checker);
  return false;
}

function isEnum(e: ts.Expression, checker: ts.TypeChecker): boolean {
  let symbol = checker.getSymbolAtLocation(skipOuter(e));
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return !!symbol && (symbol.flags & ts.SymbolFlags.Enum) !== 0;
}

/**
 * `this.taggers`, where the class assigns the field only array literals written in the code
 * (in its initializer or in `this.taggers = […]`) and never grows it (`this.taggers.push(…)`).
 */
function isFixedField(access: ts.PropertyAccessExpression, checker: ts.TypeChecker): boolean {
  const symbol = checker.getSymbolAtLocation(access.name);
  const decl = symbol?.valueDeclaration;
  if (!symbol || !decl || !ts.isPropertyDeclaration(decl) || !ts.isClassLike(decl.parent)) return false;
  const fixed = (v: ts.Expression) => {
    const x = skipOuter(v);
    return ts.isArrayLiteralExpression(x) && x.elements.length > 0 && !x.elements.some(ts.isSpreadElement);
  };
  if (decl.initializer && !fixed(decl.initializer)) return false;
  let assigned = !!decl.initializer;
  let ok = true;
  const isOurs = (n: ts.Node) => ts.isPropertyAccessExpression(n) && n.expression.kind === ts.SyntaxKind.ThisKeyword && n.name.text === access.name.text;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && isOurs(skipOuter(n.left))) {
      if (n.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !fixed(n.right)) ok = false;
      assigned = true;
    } else if (ts.isPropertyAccessExpression(n) && isOurs(skipOuter(n.expression)) && ['push', 'unshift', 'splice'].includes(n.name.text)) {
      ok = false;
    }
    ts.forEachChild(n, visit);
  };
  visit(decl.parent);
  return ok && assigned;
}

/** Modules whose directory listings name files shipped with the code. */
const LISTING_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'glob', 'fast-glob', 'tinyglobby', 'globby']);
const LISTING_FUNCTIONS = new Set(['readdir', 'readdirSync', 'glob', 'globSync', 'sync', 'globby', 'globbySync']);

/**
 * A loop over the files of a folder — `for (const [file, sql] of sorted)` where the list comes
 * from `readdir(tablesDir)` (filtered, sorted, read, spread into a literal), here or in a project
 * function that returns it: a seed or migration runner, one statement per file the code ships.
 * The folder, not the data, decides how many statements run.
 */
export function iteratesFileListing(ic: IterationContext, checker: ts.TypeChecker, calleesOf: (callee: ts.Expression) => readonly ts.FunctionLikeDeclaration[]): boolean {
  const collection = ic.kind === 'callback' ? ic.receiver : ts.isForOfStatement(ic.node) ? ic.node.expression : undefined;
  return !!collection && isFileListing(collection, checker, calleesOf, 0);
}

export function isFileListing(expression: ts.Expression, checker: ts.TypeChecker, calleesOf: (callee: ts.Expression) => readonly ts.FunctionLikeDeclaration[], depth: number): boolean {
  // Each step of a list's making is one level: variables, filters, sorts, Promise.all, spreads.
  if (depth > 16) return false;
  let e = skipOuter(expression);
  while (ts.isAwaitExpression(e)) e = skipOuter(e.expression);
  const next = (x: ts.Expression) => isFileListing(x, checker, calleesOf, depth + 1);
  if (ts.isIdentifier(e)) {
    const symbol = checker.getSymbolAtLocation(e);
    const decl = symbol?.valueDeclaration;
    if (!symbol || !decl || !ts.isVariableDeclaration(decl) || !decl.initializer || (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) === 0) return false;
    return !isMutated(symbol, decl, checker) && next(decl.initializer);
  }
  // `[[base.name, base.sql], ...files.filter(…)]`: entries written in the code around a listing.
  if (ts.isArrayLiteralExpression(e)) {
    const spreads = e.elements.filter(ts.isSpreadElement);
    return spreads.length > 0 && spreads.every((s) => next(s.expression));
  }
  if (!ts.isCallExpression(e)) return false;
  const callee = skipOuter(e.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    if (SUBLIST_METHODS.has(callee.name.text) || callee.name.text === 'flatMap') return next(callee.expression);
    // Promise.all(files.map(async (f) => [f, await readFile(f)]))
    if (ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise' && ['all', 'allSettled'].includes(callee.name.text) && e.arguments[0]) return next(e.arguments[0]);
  }
  if (isListingCall(callee, checker)) return true;
  // A project function every return of which is such a list.
  const returns = calleesOf(callee).map((fn) => returnedExpressions(fn));
  return returns.length > 0 && returns.every((r) => r.length > 0 && r.every(next));
}

/** `readdir(dir)`, `fs.readdirSync(dir)`, `glob('*.sql')`, `fg.sync(…)`: from a file-system or glob package. */
function isListingCall(callee: ts.Expression, checker: ts.TypeChecker): boolean {
  const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  if (!name || !LISTING_FUNCTIONS.has(name.text)) return false;
  let root: ts.Expression = callee;
  while (ts.isPropertyAccessExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return false;
  for (const decl of checker.getSymbolAtLocation(root)?.declarations ?? []) {
    for (let n: ts.Node | undefined = decl; n; n = n.parent) {
      if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) return LISTING_MODULES.has(n.moduleSpecifier.text);
    }
  }
  return false;
}

