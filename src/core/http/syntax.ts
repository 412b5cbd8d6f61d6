import * as path from 'node:path';
import ts from 'typescript';
import { toPosix } from '../project/files';

/**
 * Small syntax helpers shared by the HTTP server, route and shutdown analyses.
 * Everything here works from the syntax and the checker's symbol resolution, so
 * it holds in a fresh clone with no node_modules.
 */

/** `(x)`, `x as T`, `x!`, `await x`, `<T>x`, `x satisfies T` → `x`. */
export function unwrap(node: ts.Expression): ts.Expression {
  let n = node;
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) || ts.isSatisfiesExpression(n) || ts.isTypeAssertionExpression(n) || ts.isAwaitExpression(n)) {
    n = n.expression;
  }
  return n;
}

/** The parent of an expression, skipping the wrappers `unwrap` removes. */
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

/** The symbol a name refers to, with import/export aliases followed to the declaration. */
export function resolvedSymbol(checker: ts.TypeChecker, node: ts.Node): ts.Symbol | undefined {
  let target: ts.Node = node;
  if (ts.isPropertyAccessExpression(node)) target = node.name;
  let symbol = checker.getSymbolAtLocation(target);
  if (!symbol && ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) symbol = checker.getShorthandAssignmentValueSymbol(node.parent);
  return symbol ? canonicalSymbol(checker, symbol) : undefined;
}

/**
 * One symbol per declared thing: import aliases followed to their target, and the local and
 * export symbols of an exported variable (`export const app`) made the same.
 */
export function canonicalSymbol(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  let s = symbol;
  if (s.flags & ts.SymbolFlags.Alias) {
    try {
      const aliased = checker.getAliasedSymbol(s);
      // An import of a package that is not installed resolves to the `unknown` symbol: keep the alias.
      if (aliased && aliased.declarations && aliased.declarations.length > 0) s = aliased;
    } catch {
      /* keep the alias */
    }
  }
  return checker.getExportSymbolOfSymbol(s);
}

/**
 * The symbol that identifies the object an expression denotes, for matching
 * "this server" across files: `app`, `this.server`, an imported binding.
 */
export function identitySymbol(checker: ts.TypeChecker, expr: ts.Expression): ts.Symbol | undefined {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return resolvedSymbol(checker, e);
  if (ts.isPropertyAccessExpression(e) && (e.expression.kind === ts.SyntaxKind.ThisKeyword || ts.isIdentifier(e.expression))) return resolvedSymbol(checker, e);
  return undefined;
}

/** Static string values an expression may have: literals, constants, literal types, arrays of these. */
export function stringValues(checker: ts.TypeChecker, expr: ts.Expression | undefined, depth = 0): string[] {
  if (!expr || depth > 4) return [];
  const e = unwrap(expr);
  if (ts.isStringLiteralLike(e)) return [e.text];
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((el) => stringValues(checker, el as ts.Expression, depth + 1));
  if (ts.isTemplateExpression(e)) {
    // `${PREFIX}/health`: evaluate when every span is static.
    let out = [e.head.text];
    for (const span of e.templateSpans) {
      const vals = stringValues(checker, span.expression, depth + 1);
      if (vals.length !== 1) return [];
      out = out.map((s) => s + vals[0] + span.literal.text);
    }
    return out;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = stringValues(checker, e.left, depth + 1);
    const r = stringValues(checker, e.right, depth + 1);
    return l.length === 1 && r.length === 1 ? [l[0] + r[0]] : [];
  }
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const type = checker.getTypeAtLocation(e);
    const fromType = literalStrings(type);
    if (fromType.length > 0) return fromType;
    const symbol = resolvedSymbol(checker, e);
    for (const decl of symbol?.declarations ?? []) {
      if (ts.isVariableDeclaration(decl) && decl.initializer && isConstDeclaration(decl)) return stringValues(checker, decl.initializer, depth + 1);
      if (ts.isPropertyAssignment(decl)) return stringValues(checker, decl.initializer, depth + 1);
    }
  }
  return [];
}

function literalStrings(type: ts.Type): string[] {
  if (type.isStringLiteral()) return [type.value];
  if (type.isUnion() && type.types.every((t) => t.isStringLiteral())) return type.types.map((t) => (t as ts.StringLiteralType).value);
  return [];
}

function isConstDeclaration(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** Name of a property access or element access with a literal key. */
export function memberName(node: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) return node.argumentExpression.text;
  return undefined;
}

/** `obj.method(...)`: the receiver and the method name. */
export function methodCall(call: ts.CallExpression): { receiver: ts.Expression; name: string } | undefined {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) return { receiver: callee.expression, name: callee.name.text };
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) return { receiver: callee.expression, name: callee.argumentExpression.text };
  return undefined;
}

/**
 * True for the global `process` (or `import process from 'node:process'`), not
 * a local variable that happens to be called `process`.
 */
export function isGlobalProcess(checker: ts.TypeChecker, expr: ts.Expression): boolean {
  const e = unwrap(expr);
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'process' && ts.isIdentifier(e.expression) && e.expression.text === 'globalThis') return true;
  if (!ts.isIdentifier(e)) return false;
  const symbol = checker.getSymbolAtLocation(e);
  if (!symbol) return e.text === 'process'; // no @types/node installed: the global is unresolved
  const decls = symbol.declarations ?? [];
  if (decls.length === 0) return e.text === 'process';
  return decls.every((d) => {
    if (d.getSourceFile().isDeclarationFile) return e.text === 'process';
    // import process from 'node:process' / import * as process from 'process' / require('process')
    const spec = importedFrom(d);
    return spec === 'process' || spec === 'node:process';
  });
}

function importedFrom(decl: ts.Declaration): string | undefined {
  let n: ts.Node | undefined = decl;
  while (n && !ts.isImportDeclaration(n) && !ts.isSourceFile(n)) {
    if (ts.isVariableDeclaration(n) && n.initializer && ts.isCallExpression(n.initializer) && ts.isIdentifier(n.initializer.expression) && n.initializer.expression.text === 'require') {
      const arg = n.initializer.arguments[0];
      return arg && ts.isStringLiteralLike(arg) ? arg.text : undefined;
    }
    n = n.parent;
  }
  return n && ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) ? n.moduleSpecifier.text : undefined;
}

const TEST_FILE = /\.(test|spec|e2e-spec|e2e)\.[cm]?tsx?$/;
const TEST_DIR = /(^|\/)(test|tests|__tests__|__mocks__|e2e|spec)\//;

/** Test files start servers and register routes for their own purposes; they never count as the service. */
export function isTestFile(root: string, file: string): boolean {
  const rel = toPosix(path.relative(root, file));
  return TEST_FILE.test(rel) || TEST_DIR.test(rel);
}

const testSourceCache = new WeakMap<ts.SourceFile, { root: string; test: boolean }>();

/** `isTestFile` for a source file, remembered per file version. */
export function isTestSource(root: string, sf: ts.SourceFile): boolean {
  const cached = testSourceCache.get(sf);
  if (cached && cached.root === root) return cached.test;
  const test = isTestFile(root, sf.fileName);
  testSourceCache.set(sf, { root, test });
  return test;
}

/** The function body a function-like value leads to: inline, or a declared function the identifier names. */
export function functionOf(checker: ts.TypeChecker, expr: ts.Expression | undefined): ts.FunctionLikeDeclaration | undefined {
  if (!expr) return undefined;
  const e = unwrap(expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e;
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
    const symbol = resolvedSymbol(checker, e);
    for (const decl of symbol?.declarations ?? []) {
      if (decl.getSourceFile().isDeclarationFile) continue;
      if ((ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) || ts.isFunctionExpression(decl) || ts.isArrowFunction(decl)) && decl.body) return decl;
      if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl)) && decl.initializer) {
        const init = unwrap(decl.initializer);
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
      }
      // `export default (async (fastify) => { … }) satisfies FastifyPluginAsync`
      if (ts.isExportAssignment(decl)) {
        const init = unwrap(decl.expression);
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
        if (ts.isIdentifier(init)) return functionOf(checker, init);
      }
    }
  }
  return undefined;
}

/** The statement an expression belongs to (its nearest ancestor that is a statement). */
export function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  let n: ts.Node | undefined = node;
  while (n && !isStatementNode(n)) n = n.parent;
  return n as ts.Statement | undefined;
}

function isStatementNode(n: ts.Node): boolean {
  return ts.isExpressionStatement(n) || ts.isVariableStatement(n) || ts.isReturnStatement(n) || ts.isIfStatement(n) || ts.isExportAssignment(n) || ts.isThrowStatement(n) || ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n) || ts.isTryStatement(n) || ts.isSwitchStatement(n) || ts.isBlock(n) || ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n);
}

/** True when the statement sits directly in a block or a file, where statements can be inserted around it. */
export function isInStatementList(st: ts.Statement): boolean {
  return ts.isBlock(st.parent) || ts.isSourceFile(st.parent) || ts.isModuleBlock(st.parent) || ts.isCaseClause(st.parent) || ts.isDefaultClause(st.parent);
}

/** Visits every node of a file once. */
export function forEachDescendant(node: ts.Node, visit: (n: ts.Node) => void): void {
  const walk = (n: ts.Node): void => {
    visit(n);
    ts.forEachChild(n, walk);
  };
  ts.forEachChild(node, walk);
}

const importsCache = new WeakMap<ts.SourceFile, Map<string, string>>();

/**
 * Local names a file binds to packages: `import x from 'm'`, `import { a as b }`, `import * as n`,
 * `import x = require('m')`, `const x = require('m')`, `const { a } = require('m')` → name → package.
 * A cheap, syntax-only index: scans use it to skip calls that cannot come from a library.
 */
export function importsOf(sf: ts.SourceFile): Map<string, string> {
  let map = importsCache.get(sf);
  if (map) return map;
  map = new Map();
  const pkg = (spec: string) => (spec.startsWith('node:') ? spec.slice(5).split('/')[0] : spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause) {
      const m = pkg(st.moduleSpecifier.text);
      const clause = st.importClause;
      if (clause.name) map.set(clause.name.text, m);
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) map.set(nb.name.text, m);
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) map.set(el.name.text, m);
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) && ts.isStringLiteral(st.moduleReference.expression)) {
      map.set(st.name.text, pkg(st.moduleReference.expression.text));
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer && unwrap(d.initializer);
        if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'require') continue;
        const arg = init.arguments[0];
        if (!arg || !ts.isStringLiteralLike(arg)) continue;
        const m = pkg(arg.text);
        if (ts.isIdentifier(d.name)) map.set(d.name.text, m);
        else if (ts.isObjectBindingPattern(d.name)) for (const el of d.name.elements) if (ts.isIdentifier(el.name)) map.set(el.name.text, m);
      }
    }
  }
  importsCache.set(sf, map);
  return map;
}

/** The leftmost name of `a.b.c(...)`, `a(...)`, `require('m')(...)` → `a` (undefined for other shapes). */
export function rootName(expr: ts.Expression): string | undefined {
  let e = unwrap(expr);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e)) {
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require') return undefined;
    e = unwrap(e.expression);
  }
  return ts.isIdentifier(e) ? e.text : undefined;
}
