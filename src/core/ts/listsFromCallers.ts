import ts from 'typescript';
import { skipOuter } from './expressions';
import { isMutated, type FunctionBody, type IterationContext } from './iteration';
import { returnedExpressions } from './loopShapes';
import type { Invocation } from './registries';

/**
 * Lists a loop is handed rather than lists it loads: a loop over a parameter (or a property of
 * one, a rest parameter, a destructured part) runs as many times as its callers' lists are long.
 * When every call the project makes passes a list the code fixes — an array literal, a `const`
 * of one, a property of a data object written in the code, the files of a folder, a tuple
 * of individual arguments to `...rest` — the loop is bounded by the code, whatever the data:
 * a seed helper handed the scopes of fixed admin data, a migration runner handed the alteration
 * files its command chose. One call with a list from the data (a query's rows, a request) and it
 * is reported as before.
 */

export interface ListOrigins {
  checker: ts.TypeChecker;
  /** The project functions a callee expression runs. */
  calleesOf(callee: ts.Expression): readonly ts.FunctionLikeDeclaration[];
  /** Every call (or `new`) of `fn` in the project, or undefined when `fn` is also handed around as a value (callers unknown). */
  callsOf(fn: FunctionBody): readonly Invocation[] | undefined;
  /** A list the code fixes by itself, in a form read elsewhere (a literal, an enum's values, a file listing). */
  isFixedLeaf(e: ts.Expression): boolean;
  /** `this.kinds`, `Object.values(this.kinds)`: a private registry its methods fill only with values the code writes (see registries). */
  isCodeFilledRegistry(e: ts.Expression): boolean;
}

/** One step from a value to a part of it: a property, an element, the elements from an index on. */
type Step = { prop: string } | { index: number } | { restFrom: number };

/** Steps that keep a list as bounded as the one they start from. */
const SUBLIST_METHODS = new Set(['filter', 'slice', 'map', 'sort', 'reverse', 'toSorted', 'toReversed']);

/** Whether the loop walks a list that, followed back through parameters to every call, the code fixes. */
export function iteratesListFromCallers(ic: IterationContext, origins: ListOrigins): boolean {
  const collection = ic.kind === 'callback' ? ic.receiver : ts.isForOfStatement(ic.node) ? ic.node.expression : undefined;
  if (!collection) return false;
  // Only worth following when a parameter is on the way; the other forms are read elsewhere.
  const walk = new ListWalk(origins);
  return walk.bounded(collection, [], 0) && walk.crossedCall;
}

class ListWalk {
  /** Values being followed (node + path), to stop on recursion. */
  private readonly active = new Set<string>();
  /** Whether the answer came through a parameter's callers or a function's returns. */
  crossedCall = false;

  constructor(private readonly o: ListOrigins) {}

  bounded(expression: ts.Expression, path: readonly Step[], depth: number): boolean {
    if (depth > 24) return false;
    let e = skipOuter(expression);
    while (ts.isAwaitExpression(e)) e = skipOuter(e.expression);
    const key = `${e.getSourceFile().fileName}:${e.pos}:${e.end}:${JSON.stringify(path)}`;
    if (this.active.has(key)) return false;
    this.active.add(key);
    try {
      return this.boundedAt(e, path, depth + 1);
    } finally {
      this.active.delete(key);
    }
  }

  private boundedAt(e: ts.Expression, path: readonly Step[], depth: number): boolean {
    const [step, ...rest] = path;
    if (!step) {
      if (ts.isArrayLiteralExpression(e)) return e.elements.every((el) => !ts.isSpreadElement(el) || this.bounded(el.expression, [], depth));
      if (this.o.isFixedLeaf(e)) return true;
      // Its registrations were followed to their callers.
      if (this.o.isCodeFilledRegistry(e)) return (this.crossedCall = true);
    }
    if (ts.isConditionalExpression(e)) return this.bounded(e.whenTrue, path, depth) && this.bounded(e.whenFalse, path, depth);
    if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      return this.bounded(e.left, path, depth) && this.bounded(e.right, path, depth);
    }
    if (ts.isObjectLiteralExpression(e)) return !!step && 'prop' in step && this.property(e, step.prop, rest, depth);
    if (ts.isArrayLiteralExpression(e)) return !!step && this.element(e, step, rest, depth);
    if (ts.isPropertyAccessExpression(e)) return this.bounded(e.expression, [{ prop: e.name.text }, ...path], depth);
    if (ts.isElementAccessExpression(e) && ts.isNumericLiteral(skipOuter(e.argumentExpression))) {
      return this.bounded(e.expression, [{ index: Number((skipOuter(e.argumentExpression) as ts.NumericLiteral).text) }, ...path], depth);
    }
    if (ts.isIdentifier(e)) return this.identifier(e, path, depth);
    if (ts.isCallExpression(e)) return this.call(e, path, depth);
    return false;
  }

  /** `{ scopes: [a, b] }.scopes`: the property written in the object. */
  private property(o: ts.ObjectLiteralExpression, name: string, rest: readonly Step[], depth: number): boolean {
    const p = o.properties.find((x) => x.name && (ts.isIdentifier(x.name) || ts.isStringLiteral(x.name)) && x.name.text === name);
    if (!p) return false;
    if (ts.isPropertyAssignment(p)) return this.bounded(p.initializer, rest, depth);
    if (ts.isShorthandPropertyAssignment(p)) return this.bounded(p.name, rest, depth);
    return false;
  }

  /** `[data, a, b][0]`, `[data, ...scopes]` from index 1: elements written in the list. */
  private element(a: ts.ArrayLiteralExpression, step: Step, rest: readonly Step[], depth: number): boolean {
    if ('prop' in step) return false;
    const from = 'index' in step ? step.index : step.restFrom;
    if (a.elements.slice(0, from + 1).some(ts.isSpreadElement)) return false;
    if ('index' in step) return from < a.elements.length && this.bounded(a.elements[from], rest, depth);
    return rest.length === 0 && a.elements.slice(from).every((el) => !ts.isSpreadElement(el) || this.bounded(el.expression, [], depth));
  }

  private call(e: ts.CallExpression, path: readonly Step[], depth: number): boolean {
    const callee = skipOuter(e.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const owner = ts.isIdentifier(callee.expression) ? callee.expression.text : undefined;
      if (owner === 'Object' && callee.name.text === 'freeze' && e.arguments[0]) return this.bounded(e.arguments[0], path, depth);
      if (path.length === 0 && owner === 'Promise' && ['all', 'allSettled'].includes(callee.name.text) && e.arguments[0]) return this.bounded(e.arguments[0], [], depth);
      if (path.length === 0 && SUBLIST_METHODS.has(callee.name.text)) return this.bounded(callee.expression, [], depth);
    }
    // A project function: every value it returns.
    const callees = this.o.calleesOf(callee);
    if (callees.length === 0) return false;
    const returns = callees.map((fn) => returnedExpressions(fn));
    if (!returns.every((r) => r.length > 0 && r.every((x) => this.bounded(x, path, depth)))) return false;
    this.crossedCall = true;
    return true;
  }

  private identifier(id: ts.Identifier, path: readonly Step[], depth: number): boolean {
    let symbol = this.o.checker.getSymbolAtLocation(id);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.o.checker.getAliasedSymbol(symbol);
    const decl = symbol?.valueDeclaration;
    if (!symbol || !decl) return false;
    if (ts.isVariableDeclaration(decl)) {
      if (!decl.initializer || (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) === 0 || isMutated(symbol, decl, this.o.checker)) return false;
      return this.bounded(decl.initializer, path, depth);
    }
    if (ts.isBindingElement(decl)) return this.binding(decl, path, depth);
    if (ts.isParameter(decl)) return this.parameter(decl, path, depth);
    return false;
  }

  /** `const { scopes } = data`, `const [first, ...others] = make()`, `({ scopes }: AdminData) => …`: the part of the source. */
  private binding(b: ts.BindingElement, path: readonly Step[], depth: number): boolean {
    const pattern = b.parent;
    let step: Step;
    if (ts.isObjectBindingPattern(pattern)) {
      if (b.dotDotDotToken) return false;
      const name = b.propertyName ?? b.name;
      if (!ts.isIdentifier(name) && !ts.isStringLiteral(name)) return false;
      step = { prop: name.text };
    } else {
      const index = pattern.elements.indexOf(b);
      step = b.dotDotDotToken ? { restFrom: index } : { index };
    }
    const holder = pattern.parent;
    const full = [step, ...path];
    if (ts.isVariableDeclaration(holder)) {
      return !!holder.initializer && (ts.getCombinedNodeFlags(holder) & ts.NodeFlags.Const) !== 0 && this.bounded(holder.initializer, full, depth);
    }
    if (ts.isBindingElement(holder)) return this.binding(holder, full, depth);
    if (ts.isParameter(holder)) return this.parameter(holder, full, depth);
    return false;
  }

  /** A parameter: what every call in the project passes for it (nothing at all for `...rest` is an empty tuple). */
  private parameter(p: ts.ParameterDeclaration, path: readonly Step[], depth: number): boolean {
    const fn = p.parent;
    if (!ts.isFunctionLike(fn) || !('body' in fn) || !fn.body) return false;
    const index = fn.parameters.indexOf(p);
    const calls = this.o.callsOf(fn as FunctionBody);
    if (!calls || calls.length === 0) return false;
    this.crossedCall = true;
    return calls.every((call) => {
      const args = call.arguments ?? [];
      if (p.dotDotDotToken) {
        // `assign(role, ...ids)`: the arguments written at the call, each spread a bounded list itself.
        if (path.length > 0) return false;
        return args.slice(index).every((a) => !ts.isSpreadElement(a) || this.bounded(a.expression, [], depth));
      }
      if (args.slice(0, index + 1).some(ts.isSpreadElement)) return false;
      const arg = args[index];
      if (!arg) return !!p.initializer && this.bounded(p.initializer, path, depth);
      return this.bounded(arg, path, depth);
    });
  }
}

/**
 * Every call of `fn` in `files` (`fn(…)`, `obj.fn(…)`, through imports; `new C(…)` for a
 * constructor; for a method, also calls of the base-class or interface member it overrides, which
 * may run it), or undefined when its name is used any other way there (passed as a callback,
 * stored, exported as a value of an object, a class extended): then the callers are not all known.
 */
export function findCallsOf(fn: FunctionBody, files: Iterable<ts.SourceFile>, checker: ts.TypeChecker): Invocation[] | undefined {
  const nameNode = ts.isConstructorDeclaration(fn) ? (ts.isClassDeclaration(fn.parent) ? fn.parent.name : undefined) : declaredName(fn);
  if (!nameNode) return undefined;
  const target = checker.getSymbolAtLocation(nameNode);
  if (!target) return undefined;
  const targets = new Set([target, ...(ts.isMethodDeclaration(fn) ? overriddenMembers(fn, checker) : [])]);
  // The declarations of the members overridden: naming them, not using them.
  const declarations = new Set<ts.Node>([nameNode]);
  const members = new Set<ts.Node>();
  for (const t of targets) {
    for (const d of t.declarations ?? []) {
      members.add(d);
      if ((d as ts.NamedDeclaration).name) declarations.add((d as ts.NamedDeclaration).name!);
    }
  }
  const name = nameNode.text;
  // By declaration: a member read on a subclass's instance (`provider.register`) is a transient symbol of its own.
  const same = (s: ts.Symbol | undefined) => {
    if (s && s.flags & ts.SymbolFlags.Alias) s = checker.getAliasedSymbol(s);
    return !!s && (targets.has(s) || (s.declarations ?? []).some((d) => members.has(d)));
  };
  const calls: Invocation[] = [];
  let escapes = false;
  for (const sf of files) {
    if (escapes) break;
    if (!sf.text.includes(name)) continue;
    const visit = (n: ts.Node): void => {
      if (escapes) return;
      if (ts.isIdentifier(n) && n.text === name && !declarations.has(n)) {
        const p = n.parent;
        // Naming it, not using it: imports, exports, the declaration, a type.
        if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isExportSpecifier(p) || ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p)) return;
        if (ts.isShorthandPropertyAssignment(p)) {
          if (same(checker.getShorthandAssignmentValueSymbol(p))) escapes = true;
          return;
        }
        const symbol = checker.getSymbolAtLocation(n);
        if (!symbol) {
          // `populator.populate(…)` on a receiver the checker could not type (a package's export
          // without its types, `any`): it may be this method, so its callers are not all known.
          if (ts.isPropertyAccessExpression(p) && p.name === n && ts.isCallExpression(p.parent) && p.parent.expression === p && isUntyped(p.expression, checker)) escapes = true;
          return;
        }
        if (!same(symbol)) return;
        const callee = ts.isPropertyAccessExpression(p) && p.name === n ? p : n;
        let outer: ts.Node = callee;
        while (ts.isParenthesizedExpression(outer.parent) || ts.isNonNullExpression(outer.parent)) outer = outer.parent;
        const call = outer.parent;
        if (ts.isConstructorDeclaration(fn)) {
          if (ts.isNewExpression(call) && call.expression === outer) calls.push(call);
          // `C.create()`, `x instanceof C`: not a construction; anything else (`extends C`, handed on) may be one.
          else if (!(ts.isPropertyAccessExpression(call) && call.expression === outer) && !(ts.isBinaryExpression(call) && call.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword)) escapes = true;
        } else if (ts.isCallExpression(call) && call.expression === outer) calls.push(call);
        else escapes = true;
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return escapes ? undefined : calls;
}

function isUntyped(receiver: ts.Expression, checker: ts.TypeChecker): boolean {
  return (checker.getTypeAtLocation(receiver).flags & ts.TypeFlags.Any) !== 0;
}

/** The members of the same name in the classes and interfaces a method's class extends or implements, at any depth. */
function overriddenMembers(method: ts.MethodDeclaration, checker: ts.TypeChecker): ts.Symbol[] {
  const cls = method.parent;
  if (!ts.isClassLike(cls) || !method.name || !(ts.isIdentifier(method.name) || ts.isStringLiteral(method.name))) return [];
  const name = method.name.text;
  const out: ts.Symbol[] = [];
  const seen = new Set<ts.Node>();
  const visit = (decl: ts.ClassLikeDeclaration | ts.InterfaceDeclaration, depth: number): void => {
    if (depth > 5 || seen.has(decl)) return;
    seen.add(decl);
    for (const clause of decl.heritageClauses ?? []) {
      for (const t of clause.types) {
        let s = checker.getSymbolAtLocation(t.expression);
        if (s && s.flags & ts.SymbolFlags.Alias) s = checker.getAliasedSymbol(s);
        for (const d of s?.declarations ?? []) {
          if (!ts.isClassLike(d) && !ts.isInterfaceDeclaration(d)) continue;
          for (const m of d.members) {
            const mName = m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? m.name.text : undefined;
            const ms = mName === name ? checker.getSymbolAtLocation(m.name!) : undefined;
            if (ms && !out.includes(ms)) out.push(ms);
          }
          visit(d, depth + 1);
        }
      }
    }
  };
  visit(cls, 0);
  return out;
}

/** The name a function is declared under: `function f`, `const f = () =>`, a method, `{ f: () => … }`. */
function declaredName(fn: FunctionBody): ts.Identifier | undefined {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name;
  const holder = fn.parent;
  if ((ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && holder.initializer === fn && ts.isIdentifier(holder.name)) return holder.name;
  return undefined;
}
