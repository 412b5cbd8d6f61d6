import ts from 'typescript';
import { skipOuter, skipOuterAndAwait } from './expressions';
import { isFunctionBody, type FunctionBody } from './iteration';

/**
 * Helpers over the checker's symbols: what a name refers to, what string values an expression
 * may have, which function a value leads to. They work from symbol resolution alone, so they
 * hold in a fresh clone with no node_modules, and know nothing of any library or framework.
 */

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
  const e = skipOuterAndAwait(expr);
  if (ts.isIdentifier(e)) return resolvedSymbol(checker, e);
  if (ts.isPropertyAccessExpression(e) && (e.expression.kind === ts.SyntaxKind.ThisKeyword || ts.isIdentifier(e.expression))) return resolvedSymbol(checker, e);
  return undefined;
}

/** Static string values an expression may have: literals, constants, literal types, arrays of these. */
export function stringValues(checker: ts.TypeChecker, expr: ts.Expression | undefined, depth = 0): string[] {
  if (!expr || depth > 4) return [];
  const e = skipOuterAndAwait(expr);
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

/**
 * True for the global `process` (or `import process from 'node:process'`), not
 * a local variable that happens to be called `process`.
 */
export function isGlobalProcess(checker: ts.TypeChecker, expr: ts.Expression): boolean {
  const e = skipOuterAndAwait(expr);
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

/** The function a declaration stands for: a function/method/accessor with a body, or a variable/property/`export default` initialised with one. */
export function functionOfDeclaration(decl: ts.Node): FunctionBody | undefined {
  if (isFunctionBody(decl)) return decl;
  const init = ts.isExportAssignment(decl) ? decl.expression : ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl) ? decl.initializer : undefined;
  if (!init) return undefined;
  // `export default (async (fastify) => { … }) satisfies FastifyPluginAsync`
  const e = skipOuter(init);
  return ts.isArrowFunction(e) || ts.isFunctionExpression(e) ? e : undefined;
}

/** The function a function-like value leads to: inline, or the (source, not .d.ts) declaration its name resolves to. */
export function functionOf(checker: ts.TypeChecker, expr: ts.Expression | undefined): FunctionBody | undefined {
  if (!expr) return undefined;
  const e = skipOuterAndAwait(expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e;
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return undefined;
  for (const decl of resolvedSymbol(checker, e)?.declarations ?? []) {
    if (decl.getSourceFile().isDeclarationFile) continue;
    const fn = functionOfDeclaration(decl);
    if (fn) return fn;
    // `export default plugin`, where `plugin` names the function.
    if (ts.isExportAssignment(decl) && ts.isIdentifier(skipOuter(decl.expression))) return functionOf(checker, decl.expression);
  }
  return undefined;
}
