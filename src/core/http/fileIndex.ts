import ts from 'typescript';
import { digestOf } from '../ts/fileDigest';
import { rootName, skipOuterAndAwait } from '../ts/expressions';
import { importsOf } from '../ts/syntax';
import { FRAMEWORK_IDS, FRAMEWORKS, type FrameworkDescriptor } from './frameworks/registry';

/**
 * The nodes of one file the HTTP analyses may care about, found by syntax alone and
 * cached per SourceFile: the program host reuses an unchanged file's SourceFile, so in
 * the language server only edited files are walked again, and each analysis pays
 * checker work for these candidates only, not for every node of the project.
 */
export interface FileCandidates {
  /** `x.<name>(…)` calls whose method name may matter (routing, listen, signal handlers…), and `x[expr](…)`. */
  methodCalls: ts.CallExpression[];
  /** Calls through a name the file imports from a package (`serve(…)`, `createTerminus(…)`, `closeWithGrace(…)`). */
  importedCalls: ts.CallExpression[];
  /** Classes with decorators (NestJS / routing-controllers controllers). */
  decoratedClasses: ts.ClassDeclaration[];
  /** `x === '/path'` comparisons. */
  pathComparisons: ts.BinaryExpression[];
  /** `switch (…)` statements with a `case '/path':`. */
  pathSwitches: ts.SwitchStatement[];
}

const METHOD_NAMES = new Set<string>([
  // routing and mounting: every framework descriptor's route methods (below), and path tests
  'startsWith',
  // starting and stopping
  'listen', 'enableShutdownHooks', 'registerShutdownHandler',
  // signal handlers
  'once', 'addListener', 'prependListener', 'prependOnceListener',
]);
// A framework's routing and mounting methods come from its descriptor, so adding a framework
// never means editing this pre-filter.
for (const id of FRAMEWORK_IDS) {
  const r = (FRAMEWORKS[id] as FrameworkDescriptor).routes;
  for (const m of [...(r.methods ?? []), r.mount, r.routeChain?.method, r.routeObject?.method, r.methodList, r.childMount, r.plugins?.method, r.ownPrefix?.method]) if (m) METHOD_NAMES.add(m);
}

const cache = new WeakMap<ts.SourceFile, FileCandidates>();

export function candidatesOf(sf: ts.SourceFile): FileCandidates {
  const cached = cache.get(sf);
  if (cached) return cached;
  const out: FileCandidates = { methodCalls: [], importedCalls: [], decoratedClasses: [], pathComparisons: [], pathSwitches: [] };
  const imported = importsOf(sf);
  const digest = digestOf(sf);
  for (const n of digest.calls) {
    if (!ts.isCallExpression(n)) continue;
    const callee = n.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression) ? callee.argumentExpression.text : undefined;
    if (name !== undefined && METHOD_NAMES.has(name)) out.methodCalls.push(n);
    // `router[method](path, …)`: a route whose method is computed.
    else if (ts.isElementAccessExpression(callee) && !ts.isStringLiteralLike(callee.argumentExpression)) out.methodCalls.push(n);
    const root = rootName(callee);
    if ((root && imported.has(root)) || isRequireCall(callee)) out.importedCalls.push(n);
  }
  out.decoratedClasses.push(...digest.decoratedClasses);
  for (const n of digest.equalities) if (isPathLiteral(n.left) || isPathLiteral(n.right)) out.pathComparisons.push(n);
  for (const n of digest.switches) if (n.caseBlock.clauses.some((c) => ts.isCaseClause(c) && isPathLiteral(c.expression))) out.pathSwitches.push(n);
  cache.set(sf, out);
  return out;
}

function isPathLiteral(e: ts.Expression): boolean {
  return ts.isStringLiteralLike(e) && e.text.startsWith('/');
}

/** `require('fastify')(…)`: a call of a required module. */
function isRequireCall(callee: ts.Expression): boolean {
  const e = skipOuterAndAwait(callee);
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require';
}
