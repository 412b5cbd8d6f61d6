import ts from 'typescript';
import { skipOuterAndAwait } from './expressions';

/** Syntax-only helpers over statements and files: where to insert code, walking a file, what a file imports. */

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
        const init = d.initializer && skipOuterAndAwait(d.initializer);
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
