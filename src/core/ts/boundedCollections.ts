import ts from 'typescript';
import { skipOuter } from './expressions';
import { isFixedList, isMutated, type IterationContext } from './iteration';
import { returnedExpressions } from './loopShapes';

/**
 * Loops whose number of iterations is not the number of rows: they walk chunks of a list, the
 * keys of an object the code writes (an enum, a catalog constant, a package's enum), or the
 * service objects the application is configured with. See docs/rules/n-plus-one.md.
 */

/**
 * `for (let i = 0; i < rows.length; i += size) { const chunk = rows.slice(i, i + size); … }`, or
 * `for (let i = 0; i < batches; i++) { … ids.slice(i * SIZE, …) … }`: each iteration handles a
 * chunk of the list, so whatever the body runs — the chunk's statement, or a lookup it needs —
 * runs once per chunk, which is the batching itself.
 */
export function walksChunks(ic: IterationContext, checker: ts.TypeChecker): boolean {
  if (ic.kind !== 'for' || !ts.isForStatement(ic.node)) return false;
  const loop = ic.node;
  const init = loop.initializer;
  const counterName = init && ts.isVariableDeclarationList(init) ? init.declarations[0]?.name : undefined;
  if (!counterName || !ts.isIdentifier(counterName)) return false;
  const counter = checker.getSymbolAtLocation(counterName);
  if (!counter) return false;
  const steps = stepsByMoreThanOne(loop.incrementor, counter, checker);
  // Values the body derives from the counter (`const begin = i * BATCH_SIZE`), with whether they multiply it.
  const derived = new Map<ts.Symbol, boolean>();
  const counterIn = (e: ts.Node): { found: boolean; scaled: boolean } => {
    let found = false;
    let scaled = false;
    const visit = (n: ts.Node, underProduct: boolean): void => {
      if (ts.isIdentifier(n)) {
        const s = checker.getSymbolAtLocation(n);
        if (s === counter) {
          found = true;
          scaled ||= underProduct;
        } else if (s && derived.has(s)) {
          found = true;
          scaled ||= underProduct || derived.get(s)!;
        }
        return;
      }
      const product = ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.AsteriskToken || n.operatorToken.kind === ts.SyntaxKind.SlashToken);
      ts.forEachChild(n, (c) => visit(c, underProduct || product));
    };
    visit(e, false);
    return { found, scaled };
  };
  let chunked = false;
  const visit = (n: ts.Node): void => {
    if (chunked || ts.isFunctionLike(n)) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      const use = counterIn(n.initializer);
      const s = checker.getSymbolAtLocation(n.name);
      if (use.found && s) derived.set(s, use.scaled);
    }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'slice' && n.arguments.length === 2) {
      const use = counterIn(n.arguments[0]);
      if (use.found && (steps || use.scaled)) chunked = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(loop.statement);
  return chunked;
}

/** `i += size` (not `i += 1`), `i = i + size`: the counter jumps a chunk at a time. */
function stepsByMoreThanOne(incrementor: ts.Expression | undefined, counter: ts.Symbol, checker: ts.TypeChecker): boolean {
  if (!incrementor) return false;
  const e = skipOuter(incrementor);
  if (!ts.isBinaryExpression(e) || !ts.isIdentifier(e.left) || checker.getSymbolAtLocation(e.left) !== counter) return false;
  const one = (x: ts.Expression) => ts.isNumericLiteral(skipOuter(x)) && Number((skipOuter(x) as ts.NumericLiteral).text) <= 1;
  if (e.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) return !one(e.right);
  if (e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isBinaryExpression(skipOuter(e.right))) {
    const sum = skipOuter(e.right) as ts.BinaryExpression;
    return sum.operatorToken.kind === ts.SyntaxKind.PlusToken && !one(sum.left) && !one(sum.right);
  }
  return false;
}

/**
 * `Object.values(DataSource)`, `Object.keys(Level)`, `for (const k in CATALOG)`: the keys of an
 * object the code writes — a TypeScript enum, a `const` object literal nobody adds to, or an
 * object exported by a package (a generated ORM enum, a library's constants). The code, not
 * the data, decides how many there are. Directly, or through a `const` holding the list.
 */
export function iteratesConstantObject(ic: IterationContext, checker: ts.TypeChecker): boolean {
  if (ic.kind === 'for-in') return isConstantObject((ic.node as ts.ForInStatement).expression, checker, 0);
  let e = loopCollectionThroughConsts(ic, checker);
  if (!e) return false;
  // `Object.values(X).filter(…)`, `.map(…)`: still at most as many as the object's keys.
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ['filter', 'map', 'slice', 'sort'].includes(e.expression.name.text)) e = skipOuter(e.expression.expression);
  if (!ts.isCallExpression(e) || e.arguments.length !== 1) return false;
  const callee = skipOuter(e.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Object' || !['values', 'keys', 'entries'].includes(callee.name.text)) return false;
  return isConstantObject(e.arguments[0], checker, 0);
}

function isConstantObject(expression: ts.Expression, checker: ts.TypeChecker, depth: number): boolean {
  if (depth > 3) return false;
  const e = skipOuter(expression);
  if (ts.isObjectLiteralExpression(e)) return e.properties.every((p) => !ts.isSpreadAssignment(p));
  if (ts.isAwaitExpression(e)) return isConstantObject(e.expression, checker, depth + 1);
  if (ts.isCallExpression(e)) {
    // Object.freeze({ … })
    const callee = skipOuter(e.expression);
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && callee.name.text === 'freeze') return !!e.arguments[0] && isConstantObject(e.arguments[0], checker, depth + 1);
    // What a project function returns: every return an object it fills under keys the code writes.
    const fn = projectFunctionOf(callee, checker);
    const returned = fn ? returnedExpressions(fn) : [];
    const literal = (r: ts.Expression) => ts.isObjectLiteralExpression(r) && r.properties.every((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && !ts.isComputedPropertyName(p.name));
    return returned.length > 0 && returned.every((r) => literal(skipOuter(r)) || isKeyedByCode(r, fn!, checker));
  }
  if (!ts.isIdentifier(e)) return false;
  let symbol = checker.getSymbolAtLocation(e);
  if (!symbol) return false;
  if (symbol.flags & ts.SymbolFlags.Alias) {
    if (importedFromPackage(symbol)) return true;
    symbol = checker.getAliasedSymbol(symbol);
  }
  const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
  if (!decl) return false;
  if (ts.isEnumDeclaration(decl)) return true;
  // A package's declarations (types installed): its exported objects are its code's.
  if (decl.getSourceFile().isDeclarationFile) return true;
  if (!ts.isVariableDeclaration(decl) || !decl.initializer || (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) === 0) return false;
  return !isWrittenTo(symbol, decl, checker) && isConstantObject(decl.initializer, checker, depth + 1);
}

/** The function a call runs, when the project declares it with a body (a function, a method, an arrow in a `const`). */
function projectFunctionOf(callee: ts.Expression, checker: ts.TypeChecker): ts.FunctionLikeDeclaration | undefined {
  let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  let decl: ts.Node | undefined = symbol?.valueDeclaration;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer) decl = skipOuter(decl.initializer);
  if (!decl || decl.getSourceFile().isDeclarationFile) return undefined;
  return (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) || ts.isArrowFunction(decl) || ts.isFunctionExpression(decl)) && decl.body ? decl : undefined;
}

/**
 * `return derived` where `const derived: Record<string, string> = {}` is filled only under keys
 * the code writes — `derived.ALLOW_SECURE_COOKIES = …`, `derived['x'] = …`, or `derived[key] = …`
 * with `key` taken from the elements of a list written in the code (`for (const { key } of
 * CALLBACKS)`) — and goes nowhere else: at most as many entries as the code names.
 */
function isKeyedByCode(returned: ts.Expression, fn: ts.FunctionLikeDeclaration, checker: ts.TypeChecker): boolean {
  const e = skipOuter(returned);
  if (!ts.isIdentifier(e)) return false;
  const symbol = checker.getSymbolAtLocation(e);
  const decl = symbol?.valueDeclaration;
  if (!symbol || !decl || !ts.isVariableDeclaration(decl) || !decl.initializer || decl.pos < fn.pos || decl.end > fn.end || (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) === 0) return false;
  const init = skipOuter(decl.initializer);
  if (!ts.isObjectLiteralExpression(init) || init.properties.some((p) => !ts.isPropertyAssignment(p) || ts.isComputedPropertyName(p.name))) return false;
  const isWrite = (n: ts.Node) =>
    (ts.isBinaryExpression(n.parent) && n.parent.left === n && n.parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
    ((ts.isPrefixUnaryExpression(n.parent) || ts.isPostfixUnaryExpression(n.parent)) && (n.parent.operator === ts.SyntaxKind.PlusPlusToken || n.parent.operator === ts.SyntaxKind.MinusMinusToken));
  const keyFromCode = (key: ts.Expression): boolean => {
    const k = skipOuter(key);
    if (ts.isStringLiteralLike(k)) return true;
    if (!ts.isIdentifier(k)) return false;
    let d: ts.Node | undefined = checker.getSymbolAtLocation(k)?.valueDeclaration;
    while (d && (ts.isBindingElement(d) || ts.isObjectBindingPattern(d) || ts.isArrayBindingPattern(d))) d = d.parent;
    const loop = d && ts.isVariableDeclaration(d) && ts.isVariableDeclarationList(d.parent) ? d.parent.parent : undefined;
    return !!loop && ts.isForOfStatement(loop) && (ts.getCombinedNodeFlags(d!) & ts.NodeFlags.Const) !== 0 && isFixedList(loop.expression, checker, 0);
  };
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(n) && n !== decl.name && checker.getSymbolAtLocation(n) === symbol) {
      const p = n.parent;
      if (ts.isReturnStatement(p)) return;
      if (ts.isPropertyAccessExpression(p) && p.expression === n) return; // a key the code names
      if (ts.isElementAccessExpression(p) && p.expression === n) {
        if (isWrite(p) && !keyFromCode(p.argumentExpression)) ok = false;
        return;
      }
      ok = false; // handed on, spread, merged: its keys are no longer the code's
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body!);
  return ok;
}

/** `import { DataSource } from '@prisma/client'`: a name a package exports (not a relative import). */
function importedFromPackage(alias: ts.Symbol): boolean {
  for (const d of alias.declarations ?? []) {
    for (let n: ts.Node | undefined = d; n; n = n.parent) {
      if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) return !n.moduleSpecifier.text.startsWith('.') && !n.moduleSpecifier.text.startsWith('/');
    }
  }
  return false;
}

/** `X[k] = …`, `X.k = …`, `delete X[k]` in the declaring file: an object filled at run time. */
function isWrittenTo(symbol: ts.Symbol, decl: ts.VariableDeclaration, checker: ts.TypeChecker): boolean {
  let written = false;
  const isOurs = (n: ts.Expression) => ts.isIdentifier(n) && checker.getSymbolAtLocation(n) === symbol;
  const visit = (n: ts.Node): void => {
    if (written) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const target = skipOuter(n.left);
      if ((ts.isElementAccessExpression(target) || ts.isPropertyAccessExpression(target)) && isOurs(skipOuter(target.expression))) written = true;
    } else if (ts.isDeleteExpression(n)) {
      const target = skipOuter(n.expression);
      if ((ts.isElementAccessExpression(target) || ts.isPropertyAccessExpression(target)) && isOurs(skipOuter(target.expression))) written = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(decl.getSourceFile());
  return written;
}

/**
 * A loop over service objects — the element's type is an interface or abstract class whose public
 * members are mostly methods (`DataProvider`, `Enhancer`), as opposed to rows, which carry data.
 * Such a list holds the implementations the application is built or configured with (injected
 * `Enhancer[]`, `providers.filter(enabled)`): its length is fixed by the code and the settings,
 * not by the data. Asks the checker for the element's type: ask only once a query was found.
 */
export function iteratesServices(ic: IterationContext, checker: ts.TypeChecker, loadedByQuery?: (collection: ts.Expression) => boolean): boolean {
  // Rows a query loaded are data: known without typing the element, which costs a call resolution per loop.
  const collection = collectionOf(ic);
  if (collection && loadedByQuery?.(collection)) return false;
  let element: ts.Node | undefined;
  if (ic.kind === 'callback') element = ic.fn?.parameters[0];
  else if (ts.isForOfStatement(ic.node) && ts.isVariableDeclarationList(ic.node.initializer)) element = ic.node.initializer.declarations[0];
  const name = element && (element as ts.VariableDeclaration | ts.ParameterDeclaration).name;
  if (!name) return false;
  // `for (const [name, handler] of this.handlers)`: a registry of code keyed by name.
  if (ts.isArrayBindingPattern(name)) {
    return name.elements.some((b) => ts.isBindingElement(b) && ts.isIdentifier(b.name) && isCode(checker.getNonNullableType(checker.getTypeAtLocation(b.name)), checker));
  }
  if (!ts.isIdentifier(name)) return false;
  const declared = (element as ts.VariableDeclaration | ts.ParameterDeclaration).type;
  const type = declared ? checker.getTypeFromTypeNode(declared) : (elementTypeOfArray(ic, checker) ?? checker.getTypeAtLocation(name));
  return isServiceType(checker.getNonNullableType(type), checker);
}

/** Array methods whose callback's first parameter is the element. */
const ELEMENT_FIRST = new Set(['map', 'forEach', 'flatMap', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);

/**
 * The element type of an array or tuple a loop walks, read from the collection's type. Typing the
 * callback's parameter instead resolves the whole call — inference of `map<U>` checks the
 * callback's body, queries and all: most of the rule's checker time on a large workspace.
 */
function elementTypeOfArray(ic: IterationContext, checker: ts.TypeChecker): ts.Type | undefined {
  const collection = collectionOf(ic);
  if (!collection) return undefined;
  const t = checker.getNonNullableType(checker.getTypeAtLocation(collection));
  if (!checker.isArrayType(t) && !checker.isTupleType(t)) return undefined;
  return checker.getIndexTypeOfType(t, ts.IndexKind.Number);
}

/** The array a loop walks element by element: a `for…of`'s expression, or the receiver of `map`/`forEach`/…. */
function collectionOf(ic: IterationContext): ts.Expression | undefined {
  if (ic.kind === 'callback') return ic.method && ELEMENT_FIRST.has(ic.method) ? ic.receiver : undefined;
  if (ts.isForOfStatement(ic.node) && !ic.node.awaitModifier) return ic.node.expression;
  return undefined;
}

/** Array methods whose result holds elements of the receiver (`rows.filter(…)`, `rows.slice(0, 5)`), not new values. */
const SAME_ELEMENTS = new Set(['filter', 'slice', 'concat', 'toSorted', 'sort', 'reverse', 'toReversed']);

/**
 * Whether `e` holds rows a query loaded: the result of a call `isQuery` recognises
 * (`await pool.query(…)`, `repo.find()`), a property of it (`result.rows`), a `const` bound to one
 * (also by destructuring: `const { rows } = await …`), or a part of such a list (`rows.filter(…)`).
 * Reads declarations and calls only; types nothing.
 */
export function isLoadedByQuery(e: ts.Expression, checker: ts.TypeChecker, isQuery: (call: ts.CallExpression | ts.TaggedTemplateExpression) => boolean, depth = 0): boolean {
  if (depth > 6) return false;
  let x = skipOuter(e);
  while (ts.isAwaitExpression(x)) x = skipOuter(x.expression);
  if (ts.isCallExpression(x)) {
    const callee = skipOuter(x.expression);
    if (ts.isPropertyAccessExpression(callee) && SAME_ELEMENTS.has(callee.name.text)) return isLoadedByQuery(callee.expression, checker, isQuery, depth + 1);
    return isQuery(x);
  }
  if (ts.isTaggedTemplateExpression(x)) return isQuery(x);
  if (ts.isPropertyAccessExpression(x)) return isLoadedByQuery(x.expression, checker, isQuery, depth + 1);
  if (!ts.isIdentifier(x)) return false;
  const decl = checker.getSymbolAtLocation(x)?.valueDeclaration;
  if (!decl) return false;
  // `const { rows } = await pool.query(…)`, `const { data: { items } } = …`: a property of the value, however deep.
  let n: ts.Node = decl;
  while (ts.isBindingElement(n) && ts.isObjectBindingPattern(n.parent) && !n.dotDotDotToken) n = n.parent.parent;
  if (!ts.isVariableDeclaration(n) || !n.initializer || !ts.isVariableDeclarationList(n.parent) || !(n.parent.flags & ts.NodeFlags.Const)) return false;
  return isLoadedByQuery(n.initializer, checker, isQuery, depth + 1);
}

function isCode(t: ts.Type, checker: ts.TypeChecker): boolean {
  return isFunctionType(t) || isServiceType(t, checker);
}

/** A function value (a handler, a process function): code, not data. */
function isFunctionType(t: ts.Type): boolean {
  return t.getCallSignatures().length > 0 && t.getProperties().length === 0;
}

function isServiceType(t: ts.Type, checker: ts.TypeChecker): boolean {
  if (t.isUnion()) return t.types.every((x) => isServiceType(x, checker));
  const symbol = t.getSymbol();
  if (!symbol || !(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class))) return false;
  // A contract the application plugs implementations into: an interface or an abstract class. A
  // concrete class may be a domain entity with behaviour (`order.total()`, `getId()`), loaded as rows.
  if (!(symbol.declarations ?? []).every((d) => ts.isInterfaceDeclaration(d) || (ts.isClassDeclaration(d) && (ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Abstract) !== 0))) return false;
  // The project's own contracts; a package's (`Array`, an ORM's model) say nothing of this kind.
  if ((symbol.declarations ?? []).some((d) => d.getSourceFile().isDeclarationFile)) return false;
  // A class built on a package's class (an ORM model: `User extends Model`) is the package's kind of object: rows.
  if (extendsPackageType(t, checker, 0)) return false;
  const members = checker.getPropertiesOfType(t).filter((p) => !isHidden(p));
  // Behaviour, not data: methods outnumber fields (`{ readonly id; collect(); reduce() }` is a
  // registered buffer; a row has more fields than methods).
  const methods = members.filter(isMethod).length;
  return methods > 0 && methods > members.length - methods;
}

function extendsPackageType(t: ts.Type, checker: ts.TypeChecker, depth: number): boolean {
  if (depth > 5 || !t.isClassOrInterface()) return false;
  // Without the package's types installed, the base is an unresolved import: read the heritage clause.
  for (const d of t.getSymbol()?.declarations ?? []) {
    if (!ts.isClassDeclaration(d) && !ts.isInterfaceDeclaration(d)) continue;
    for (const h of d.heritageClauses ?? []) {
      for (const base of h.types) {
        const root = ts.isPropertyAccessExpression(base.expression) ? base.expression.expression : base.expression;
        const alias = ts.isIdentifier(root) ? checker.getSymbolAtLocation(root) : undefined;
        if (alias && alias.flags & ts.SymbolFlags.Alias && importedFromPackage(alias)) return true;
      }
    }
  }
  return checker.getBaseTypes(t).some((b) => (b.getSymbol()?.declarations ?? []).some((d) => d.getSourceFile().isDeclarationFile) || extendsPackageType(b, checker, depth + 1));
}

function isHidden(p: ts.Symbol): boolean {
  const d = p.valueDeclaration;
  if (!d) return false;
  const flags = ts.getCombinedModifierFlags(d as ts.Declaration);
  const name = (d as ts.NamedDeclaration).name;
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0 || (!!name && ts.isPrivateIdentifier(name));
}

function isMethod(p: ts.Symbol): boolean {
  const d = p.valueDeclaration ?? p.declarations?.[0];
  if (!d) return false;
  if (ts.isMethodSignature(d) || ts.isMethodDeclaration(d)) return true;
  if ((ts.isPropertySignature(d) || ts.isPropertyDeclaration(d)) && d.type) return ts.isFunctionTypeNode(d.type);
  if (ts.isPropertyDeclaration(d) && d.initializer) return ts.isArrowFunction(skipOuter(d.initializer)) || ts.isFunctionExpression(skipOuter(d.initializer));
  return false;
}

/**
 * A query whose table comes from the loop's element (`getRepository(field.entity)`,
 * `db(table.name)`): each iteration reads a different table, so the loop walks tables — as many
 * as the schema has — and the queries cannot be merged into one anyway.
 */
export function queriesTableOfElement(call: ts.Node, ic: IterationContext, checker: ts.TypeChecker, isProjectFunction: (callee: ts.Expression) => boolean): boolean {
  if (!ts.isCallExpression(call)) return false;
  let element: ts.Node | undefined;
  if (ic.kind === 'callback') element = ic.fn?.parameters[0]?.name;
  else if ((ts.isForOfStatement(ic.node) || ts.isForInStatement(ic.node)) && ts.isVariableDeclarationList(ic.node.initializer)) element = ic.node.initializer.declarations[0]?.name;
  if (!element) return false;
  const names = new Set<ts.Symbol>();
  const collect = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const s = checker.getSymbolAtLocation(n);
      if (s) names.add(s);
    }
    ts.forEachChild(n, collect);
  };
  collect(element);
  const fromElement = (e: ts.Node): boolean => {
    if (ts.isIdentifier(e)) {
      const s = checker.getSymbolAtLocation(e);
      return !!s && names.has(s);
    }
    return !!ts.forEachChild(e, (c) => fromElement(c) || undefined);
  };
  // The receiver chain's first call takes the table: `this.connection.getRepository(ctx, field.entity).findBy(…)`,
  // `db(table).where(…).first()` — later calls in the chain take filters and values.
  let first: ts.CallExpression | undefined;
  for (let e: ts.Expression = skipOuter(call.expression); ; ) {
    if (ts.isPropertyAccessExpression(e)) e = skipOuter(e.expression);
    else if (ts.isCallExpression(e)) {
      first = e;
      e = skipOuter(e.expression);
    } else break;
  }
  if (!first) return false;
  // Through a project helper, only an entity class names a table (`getRepository(ctx, field.entity)`);
  // `byId(id).first()` takes the element's key.
  const helper = isProjectFunction(first.expression);
  return first.arguments.some((a) => fromElement(a) && isTableReference(a) && (!helper || isClassValue(a, checker)));
}

/** A class (something `new` can be called on): an entity, as handed to `getRepository(Entity)`. */
function isClassValue(e: ts.Expression, checker: ts.TypeChecker): boolean {
  const t = checker.getNonNullableType(checker.getTypeAtLocation(e));
  return (t.isUnion() ? t.types : [t]).every((x) => x.getConstructSignatures().length > 0);
}

/** `field.entity`, `table`, `t.name`: a value naming a table or entity — not an object literal or a row's filter values. */
function isTableReference(a: ts.Expression): boolean {
  const x = skipOuter(a);
  return ts.isIdentifier(x) || ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x);
}

/**
 * `for (const env of Object.keys(byEnv)) { const names = byEnv[env]; … whereIn('name', names) }`:
 * the loop walks the groups of a partition, and each query filters on its group's whole list —
 * every row is sent once, in one statement per group (the batching, split by a key the statement
 * needs as a constant). `operands` are the query's list filters.
 */
export function filtersOnGroupOfKey(operands: readonly ts.Expression[], ic: IterationContext, checker: ts.TypeChecker): boolean {
  if (!ts.isForOfStatement(ic.node) || !ts.isVariableDeclarationList(ic.node.initializer)) return false;
  const keyName = ic.node.initializer.declarations[0]?.name;
  if (keyName && ts.isArrayBindingPattern(keyName)) return filtersOnGroupOfEntry(operands, ic.node, keyName, checker);
  const keys = skipOuter(ic.node.expression);
  if (!keyName || !ts.isIdentifier(keyName) || !ts.isCallExpression(keys) || keys.arguments.length !== 1) return false;
  const callee = skipOuter(keys.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Object' || callee.name.text !== 'keys') return false;
  const groupsArg = skipOuter(keys.arguments[0]);
  const groups = ts.isIdentifier(groupsArg) ? checker.getSymbolAtLocation(groupsArg) : undefined;
  const key = checker.getSymbolAtLocation(keyName);
  if (!groups || !key) return false;
  const body = ic.node.statement;
  const followed = new Set<ts.Node>();
  // `byEnv[env]` itself, or a local of the loop body initialised from it (`byEnv[env].sort()`).
  const readsGroup = (e: ts.Node): boolean => {
    if (ts.isElementAccessExpression(e) && ts.isIdentifier(skipOuter(e.expression)) && checker.getSymbolAtLocation(skipOuter(e.expression)) === groups) {
      const index = skipOuter(e.argumentExpression);
      return ts.isIdentifier(index) && checker.getSymbolAtLocation(index) === key;
    }
    if (ts.isIdentifier(e)) {
      const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.pos >= body.pos && decl.end <= body.end && !followed.has(decl)) {
        followed.add(decl);
        return readsGroup(decl.initializer);
      }
      return false;
    }
    return !!ts.forEachChild(e, (c) => readsGroup(c) || undefined);
  };
  return operands.some(readsGroup);
}

/**
 * `for (const [queueId, group] of byQueue) { const ids = group.filter(…).map((r) => r.id); … where('id', 'in', ids) }`:
 * the entries of a grouping (a `Map` of lists, `map.entries()`, `Object.entries(byKey)`), each
 * query filtering on its entry's whole list — one statement per group, as with `Object.keys` above.
 */
function filtersOnGroupOfEntry(operands: readonly ts.Expression[], loop: ts.ForOfStatement, pattern: ts.ArrayBindingPattern, checker: ts.TypeChecker): boolean {
  const groupName = pattern.elements[1];
  if (pattern.elements.length !== 2 || !groupName || !ts.isBindingElement(groupName) || !ts.isIdentifier(groupName.name) || groupName.dotDotDotToken) return false;
  const entries = skipOuter(loop.expression);
  const isEntries =
    !ts.isCallExpression(entries) ||
    (ts.isPropertyAccessExpression(entries.expression) && entries.expression.name.text === 'entries' && (entries.arguments.length === 0 || (ts.isIdentifier(entries.expression.expression) && entries.expression.expression.text === 'Object')));
  const group = checker.getSymbolAtLocation(groupName.name);
  if (!isEntries || !group) return false;
  const groupType = checker.getNonNullableType(checker.getTypeAtLocation(groupName.name));
  if (!checker.isArrayType(groupType) && !checker.isTupleType(groupType)) return false;
  const body = loop.statement;
  const followed = new Set<ts.Node>();
  const readsGroup = (e: ts.Node): boolean => {
    if (ts.isIdentifier(e)) {
      const sym = checker.getSymbolAtLocation(e);
      if (sym === group) return true;
      const decl = sym?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.pos >= body.pos && decl.end <= body.end && !followed.has(decl)) {
        followed.add(decl);
        return readsGroup(decl.initializer);
      }
      return false;
    }
    return !!ts.forEachChild(e, (c) => readsGroup(c) || undefined);
  };
  return operands.some(readsGroup);
}

/**
 * A `do…while`/`while` that probes for a free value: it stops when the query finds nothing
 * (`while (match)`, `while (conflict)` with `conflict = !!match && …`), and what it asks next is
 * rebuilt from a counter or from itself (`candidate = base + '-' + ++suffix`), never from the row
 * it found — a handful of tries for one value, not one query per element. A walk that feeds the
 * found row into the next query (`node = parent`, `id = row.parentId`) stays per element.
 * A `while (true)`/`for (;;)` probes the same way when every `return`/`break` of it is under an
 * `if` on the found row (`const code = randomCode(); if (!(await find(code))) return code;`) and
 * the next try reads no list from outside the loop (`queue.shift()`, `ids[i]`: that walks data).
 */
export function probesForFreeValue(call: ts.Node, ic: IterationContext, checker: ts.TypeChecker): boolean {
  if (!ts.isCallExpression(call)) return false;
  const openEnded = (ts.isWhileStatement(ic.node) && skipOuter(ic.node.expression).kind === ts.SyntaxKind.TrueKeyword) || (ts.isForStatement(ic.node) && !ic.node.condition);
  if (ic.kind !== 'do' && ic.kind !== 'while' && !openEnded) return false;
  const loop = ic.node as ts.DoStatement | ts.WhileStatement | ts.ForStatement;
  let n: ts.Node = call;
  while (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent)) n = n.parent;
  const holder = n.parent;
  let result: ts.Symbol | undefined;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) result = checker.getSymbolAtLocation(holder.name);
  else if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(holder.left)) result = checker.getSymbolAtLocation(holder.left);
  if (!result) return false;
  const symbolsIn = (e: ts.Node): Set<ts.Symbol> => {
    const out = new Set<ts.Symbol>();
    const visit = (x: ts.Node): void => {
      if (ts.isIdentifier(x) && !(ts.isPropertyAccessExpression(x.parent) && x.parent.name === x)) {
        // `{ where: { code } }` reads the variable `code`, not the property it names.
        const s = ts.isShorthandPropertyAssignment(x.parent) ? checker.getShorthandAssignmentValueSymbol(x.parent) : checker.getSymbolAtLocation(x);
        if (s) out.add(s);
      }
      ts.forEachChild(x, visit);
    };
    visit(e);
    return out;
  };
  // Assignments in the loop: target symbol (`x = …`, `x.y = …`) → what the value reads.
  const assignments: Array<{ target: ts.Symbol; reads: Set<ts.Symbol> }> = [];
  const collect = (x: ts.Node): void => {
    if (ts.isFunctionLike(x)) return;
    if (ts.isBinaryExpression(x) && x.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && x.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      let target: ts.Expression = skipOuter(x.left);
      while (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) target = skipOuter(target.expression);
      const s = ts.isIdentifier(target) ? checker.getSymbolAtLocation(target) : undefined;
      if (s) assignments.push({ target: s, reads: symbolsIn(x.right) });
    } else if (ts.isVariableDeclaration(x) && ts.isIdentifier(x.name) && x.initializer) {
      const s = checker.getSymbolAtLocation(x.name);
      if (s) assignments.push({ target: s, reads: symbolsIn(x.initializer) });
    }
    ts.forEachChild(x, collect);
  };
  collect(loop.statement);
  // What the found row flows into (`conflict = !!match && …`), to a fixpoint.
  const fromResult = new Set<ts.Symbol>([result]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const a of assignments) {
      if (!fromResult.has(a.target) && [...a.reads].some((s) => fromResult.has(s))) {
        fromResult.add(a.target);
        changed = true;
      }
    }
  }
  const readsResult = (e: ts.Node) => [...symbolsIn(e)].some((s) => fromResult.has(s));
  if (openEnded ? !everyExitTests(loop, readsResult) : !readsResult((loop as ts.DoStatement | ts.WhileStatement).expression)) return false;
  // What the query is asked with: its arguments, its chain's arguments, and a builder declared in the loop.
  const inputs = new Set<ts.Symbol>();
  const inputExpressions: ts.Node[] = [];
  const addInputs = (e: ts.Node) => {
    inputExpressions.push(e);
    symbolsIn(e).forEach((s) => inputs.add(s));
  };
  for (let e: ts.Expression = call; ; ) {
    if (ts.isCallExpression(e)) {
      e.arguments.forEach(addInputs);
      e = skipOuter(e.expression);
    } else if (ts.isPropertyAccessExpression(e)) e = skipOuter(e.expression);
    else {
      if (ts.isIdentifier(e)) {
        const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
        if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.pos >= loop.pos && decl.end <= loop.end) addInputs(decl.initializer);
      }
      break;
    }
  }
  if ([...inputs].some((s) => fromResult.has(s))) return false;
  if (!openEnded) return true;
  // The next try, traced through the loop's own assignments, must not draw from a list outside it.
  const sources: ts.Node[] = [...inputExpressions];
  const traced = new Set(inputs);
  for (let changed = true; changed; ) {
    changed = false;
    for (const x of loopAssignments(loop.statement, checker)) {
      if (traced.has(x.target) && !sources.includes(x.value)) {
        sources.push(x.value);
        symbolsIn(x.value).forEach((s) => traced.add(s));
        changed = true;
      }
    }
  }
  return !sources.some((e) => readsOuterList(e, loop, checker));
}

/** Every `return`/`break` that leaves the loop sits under an `if` whose condition passes `test`; at least one does. */
function everyExitTests(loop: ts.IterationStatement, test: (condition: ts.Expression) => boolean): boolean {
  let exits = 0;
  let untested = false;
  const visit = (n: ts.Node, nested: boolean): void => {
    if (untested || ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) || (ts.isBreakStatement(n) && !n.label && !nested)) {
      exits++;
      let tested = false;
      for (let p: ts.Node = n; p !== loop.statement && p.parent; p = p.parent) if (ts.isIfStatement(p.parent) && p.parent.expression !== p && test(p.parent.expression)) tested = true;
      if (!tested) untested = true;
      return;
    }
    const inner = nested || ts.isIterationStatement(n, false) || ts.isSwitchStatement(n);
    ts.forEachChild(n, (c) => visit(c, inner));
  };
  visit(loop.statement, false);
  return exits > 0 && !untested;
}

/** Assignments in the loop body (not in nested functions): the symbol written and the value. */
function loopAssignments(body: ts.Statement, checker: ts.TypeChecker): Array<{ target: ts.Symbol; value: ts.Expression }> {
  const out: Array<{ target: ts.Symbol; value: ts.Expression }> = [];
  const visit = (x: ts.Node): void => {
    if (ts.isFunctionLike(x)) return;
    if (ts.isBinaryExpression(x) && x.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && x.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(skipOuter(x.left))) {
      const s = checker.getSymbolAtLocation(skipOuter(x.left));
      if (s) out.push({ target: s, value: x.right });
    } else if (ts.isVariableDeclaration(x) && ts.isIdentifier(x.name) && x.initializer) {
      const s = checker.getSymbolAtLocation(x.name);
      if (s) out.push({ target: s, value: x.initializer });
    }
    ts.forEachChild(x, visit);
  };
  visit(body);
  return out;
}

/**
 * Whether the expression reads a list, a queue or an iterator declared outside the loop
 * (`queue.shift()`, `ids[i]`, `this.pending.pop()`). A list written in the code (an alphabet
 * the next try is drawn from) is not data.
 */
function readsOuterList(e: ts.Node, loop: ts.Node, checker: ts.TypeChecker): boolean {
  const isList = (t: ts.Type): boolean => {
    const type = checker.getNonNullableType(t);
    if (type.isUnion()) return type.types.some(isList);
    return checker.isArrayType(type) || checker.isTupleType(type) || ['shift', 'pop', 'next', 'dequeue'].some((m) => !!type.getProperty(m));
  };
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found || ts.isFunctionLike(x)) return;
    const named = ts.isIdentifier(x) && !(ts.isPropertyAccessExpression(x.parent) && x.parent.name === x);
    const callee = ts.isCallExpression(x.parent) && x.parent.expression === x;
    if ((named || ts.isPropertyAccessExpression(x)) && !callee) {
      const decl = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(x) ? x.name : x)?.valueDeclaration;
      const outside = !decl || decl.pos < loop.pos || decl.end > loop.end;
      if (outside && isList(checker.getTypeAtLocation(x)) && !(named && isFixedList(x as ts.Identifier, checker, 0))) found = true;
    }
    if (!found) ts.forEachChild(x, visit);
  };
  visit(e);
  return found;
}

/**
 * What a `for…of` or array-method loop walks, followed through up to three `const` names nobody
 * mutates (`const ids = Object.values(X); for (const id of ids)`); undefined when a name on the
 * way is not such a `const`.
 */
function loopCollectionThroughConsts(ic: IterationContext, checker: ts.TypeChecker): ts.Expression | undefined {
  const collection = ic.kind === 'callback' ? ic.receiver : ts.isForOfStatement(ic.node) ? ic.node.expression : undefined;
  if (!collection) return undefined;
  let e = skipOuter(collection);
  for (let depth = 0; ts.isIdentifier(e) && depth < 3; depth++) {
    const symbol = checker.getSymbolAtLocation(e);
    const decl = symbol?.valueDeclaration;
    if (!symbol || !decl || !ts.isVariableDeclaration(decl) || !decl.initializer || (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) === 0) return undefined;
    if (isMutated(symbol, decl, checker)) return undefined;
    e = skipOuter(decl.initializer);
  }
  return e;
}

/**
 * A list read from the state of an injected singleton: `this.configService.customFields[name]
 * .filter(…)` in a NestJS `@Injectable()` whose constructor receives an `@Injectable()` service.
 * A provider is created once at bootstrap; a property it holds (not a method's result) is
 * configuration — the custom fields, strategies, plugins the application was set up with.
 */
export function iteratesInjectedConfiguration(ic: IterationContext, checker: ts.TypeChecker): boolean {
  let e = loopCollectionThroughConsts(ic, checker);
  if (!e) return false;
  // `….filter(fn)`, `Object.values(…)`: the same configuration, reshaped.
  for (;;) {
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ['filter', 'map', 'slice', 'sort'].includes(e.expression.name.text)) e = skipOuter(e.expression.expression);
    else if (ts.isCallExpression(e) && e.arguments.length === 1 && ts.isPropertyAccessExpression(e.expression) && ts.isIdentifier(e.expression.expression) && e.expression.expression.text === 'Object') e = skipOuter(e.arguments[0]);
    else break;
  }
  // Down the property chain to `this.service`: at least one property read below it.
  let reads = 0;
  while ((ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) && !(ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword)) {
    reads++;
    e = skipOuter(e.expression);
  }
  if (reads === 0 || !ts.isPropertyAccessExpression(e) || e.expression.kind !== ts.SyntaxKind.ThisKeyword) return false;
  const field = checker.getSymbolAtLocation(e.name)?.valueDeclaration;
  if (!field || !ts.isParameter(field) || !ts.isConstructorDeclaration(field.parent) || !field.type || !ts.isTypeReferenceNode(field.type)) return false;
  const holder = field.parent.parent;
  if (!ts.isClassDeclaration(holder) || !isInjectable(holder, checker)) return false;
  let typeSymbol = checker.getSymbolAtLocation(field.type.typeName);
  if (typeSymbol && typeSymbol.flags & ts.SymbolFlags.Alias) typeSymbol = checker.getAliasedSymbol(typeSymbol);
  const service = typeSymbol?.declarations?.find(ts.isClassDeclaration);
  return !!service && isInjectable(service, checker);
}

/** `@Injectable()` from `@nestjs/common`: a provider the container creates once. */
function isInjectable(cls: ts.ClassDeclaration, checker: ts.TypeChecker): boolean {
  return (ts.getDecorators(cls) ?? []).some((d) => {
    const callee = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
    if (!ts.isIdentifier(callee) || callee.text !== 'Injectable') return false;
    const alias = checker.getSymbolAtLocation(callee);
    for (let n: ts.Node | undefined = alias?.declarations?.[0]; n; n = n.parent) {
      if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) return n.moduleSpecifier.text === '@nestjs/common';
    }
    return false;
  });
}
