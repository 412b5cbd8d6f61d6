import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { isTestSource } from '../project/testFiles';
import { skipOuterAndAwait } from '../ts/expressions';

/**
 * A server started inside an exported helper that serves what it is given
 * (`export async function serve(handler, options) { createServer(handler).listen(options) }`)
 * and that nothing in the project refers to: a library's API, not a process of this repository
 * (atproto's lex-server). Its callers, elsewhere, own health and shutdown.
 */
export function isUncalledServeHelper(started: { app?: ts.Expression; handler?: ts.Expression; receiver?: ts.Expression; call: ts.CallExpression }, checker: ts.TypeChecker, files: readonly ts.SourceFile[], root: string): boolean {
  const fn = enclosingFunction(started.call);
  const name = fn && exportedName(fn);
  if (!fn || !name) return false;
  const served = [started.handler, started.app].filter((e): e is ts.Expression => e !== undefined);
  if (served.length === 0 || !served.every((e) => isParameterOf(checker, e, fn))) return false;
  // Its own tests and the usage examples next to it exercise the API; they are not a process the
  // repository deploys (atproto's lex-server: `examples/subscription.ts`, `nodejs.test.ts`).
  const packageRoot = packageRootOf(fn.getSourceFile().fileName);
  return !files.some((sf) => !isTestSource(root, sf) && !isExampleOf(packageRoot, sf.fileName) && refersTo(sf, name, fn));
}

/** The folder of the nearest package.json above a file. */
function packageRootOf(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A file under an `example(s)/` folder of the given package. */
function isExampleOf(packageRoot: string | undefined, file: string): boolean {
  if (!packageRoot) return false;
  const rel = path.relative(packageRoot, file).split(path.sep).join('/');
  return !rel.startsWith('..') && /(^|\/)examples?\//.test(rel);
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isFunctionDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return n;
  return undefined;
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** `export function serve`, `export const serve = (…) => …`; only top-level. */
function exportedName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name && isExported(fn) && ts.isSourceFile(fn.parent)) return fn.name.text;
  const decl = fn.parent;
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && isExported(decl.parent.parent) && ts.isSourceFile(decl.parent.parent.parent)) return decl.name.text;
  return undefined;
}

function isParameterOf(checker: ts.TypeChecker, expr: ts.Expression, fn: ts.FunctionLikeDeclaration): boolean {
  const e = skipOuterAndAwait(expr);
  if (!ts.isIdentifier(e)) return false;
  const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
  return !!decl && ts.isParameter(decl) && decl.parent === fn;
}

/** Some identifier `name` in the file other than the helper's own declaration (comments do not count). */
function refersTo(sf: ts.SourceFile, name: string, fn: ts.FunctionLikeDeclaration): boolean {
  if (!sf.text.includes(name)) return false;
  const own = ts.isFunctionDeclaration(fn) ? fn.name : ts.isVariableDeclaration(fn.parent) ? fn.parent.name : undefined;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n.text === name && n !== own) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}
