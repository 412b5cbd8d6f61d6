import ts from 'typescript';
import { skipOuter } from './expressions';
import { isFunctionBody, type FunctionBody, type IterationContext } from './iteration';
import { enclosingFunction } from './resultUse';

/**
 * Loops that run once per process, when the server starts: in the function that starts the
 * server (the one that calls `listen`), or in a function only such functions call (`await
 * this.seedInitialMembers()` before `this.app.listen(port)`), over a list the function makes
 * without waiting for anything — from its configuration, the environment or the code (the
 * administrators an operator configured, pushed into a list with their role). Nothing before
 * the loop awaits, so no query's rows can be in the list: it holds what the process was started
 * with, and the loop runs once per configured value at boot — not per request, not per row.
 * A loop that first loads rows at start-up (an `await` before it) is reported as before.
 */
export interface StartupFacts {
  /** The functions that start a server: each encloses a recognised `listen`/`serve` call. */
  startFunctions(): ReadonlySet<ts.Node>;
  /** Every call of `fn` in the project (`new C()` for a constructor), or undefined when its callers are not all known. */
  callsOf(fn: FunctionBody): ReadonlyArray<ts.CallExpression | ts.NewExpression> | undefined;
  /** Test code: its calls do not make a function part of a request path. */
  isTestFile(sf: ts.SourceFile): boolean;
}

export function iteratesStartupList(ic: IterationContext, checker: ts.TypeChecker, facts: StartupFacts): boolean {
  if (ic.kind === 'for-await' || ic.kind === 'field-resolver') return false;
  const collection = ic.kind === 'callback' ? ic.receiver : ts.isForOfStatement(ic.node) || ts.isForInStatement(ic.node) ? ic.node.expression : undefined;
  if (!collection) return false;
  const fn = enclosingFunction(ic.node);
  if (!fn || !isFunctionBody(fn) || !ts.isBlock(fn.body)) return false;
  if (awaitsBefore(fn.body, ic.node.getStart()) || !madeHere(collection, fn, checker)) return false;
  return runsAtStartup(fn, facts, 0, new Set());
}

/** `fn` starts a server, or every call of it (tests aside) is in a function that does, up to three calls away. */
function runsAtStartup(fn: FunctionBody, facts: StartupFacts, depth: number, seen: Set<ts.Node>): boolean {
  if (facts.startFunctions().has(fn)) return true;
  if (depth >= 3 || seen.has(fn)) return false;
  seen.add(fn);
  const calls = facts.callsOf(fn)?.filter((c) => !facts.isTestFile(c.getSourceFile()));
  if (!calls || calls.length === 0) return false;
  return calls.every((call) => {
    const caller = enclosingFunction(call);
    return !!caller && isFunctionBody(caller) && runsAtStartup(caller, facts, depth + 1, seen);
  });
}

/** An `await` (or `yield`) in `body` before `position`, in nested functions too: a value the loop may walk could be a query's. */
function awaitsBefore(body: ts.Block, position: number): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n.getStart() >= position) return;
    if (ts.isAwaitExpression(n) || ts.isYieldExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier)) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/**
 * The list is the function's own making or its object's state (`members`, `this.cfg.admins`),
 * not something a caller hands in: a parameter may carry a query's rows. A local of the
 * function is followed to its initializer and to what is pushed into it.
 */
function madeHere(collection: ts.Expression, fn: FunctionBody, checker: ts.TypeChecker): boolean {
  let ok = true;
  let roots = 0;
  const followed = new Set<ts.Node>();
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      if ((ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n)) return;
      roots++;
      const symbol = checker.getSymbolAtLocation(n);
      const decl = symbol?.valueDeclaration;
      for (let d: ts.Node | undefined = decl; d && d !== fn; d = d.parent) {
        if (ts.isParameter(d) && d.parent === fn) ok = false;
      }
      if (ok && symbol && decl && ts.isVariableDeclaration(decl) && within(decl, fn) && !followed.has(decl)) {
        followed.add(decl);
        if (decl.initializer) visit(decl.initializer);
        for (const args of pushedInto(symbol, fn, checker)) args.forEach(visit);
      }
      return;
    }
    if (n.kind === ts.SyntaxKind.ThisKeyword) roots++;
    ts.forEachChild(n, visit);
  };
  visit(skipOuter(collection));
  return ok && roots > 0;
}

/** The arguments of `list.push(…)` / `list.unshift(…)` in `fn`. */
function pushedInto(symbol: ts.Symbol, fn: FunctionBody, checker: ts.TypeChecker): Array<readonly ts.Expression[]> {
  const out: Array<readonly ts.Expression[]> = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ['push', 'unshift'].includes(n.expression.name.text)) {
      const target = skipOuter(n.expression.expression);
      if (ts.isIdentifier(target) && checker.getSymbolAtLocation(target) === symbol) out.push(n.arguments);
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body!);
  return out;
}

function within(node: ts.Node, container: ts.Node): boolean {
  return node.getSourceFile() === container.getSourceFile() && node.pos >= container.pos && node.end <= container.end;
}
