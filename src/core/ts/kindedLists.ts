import ts from 'typescript';
import { digestOf } from './fileDigest';
import { skipOuter } from './expressions';
import type { IterationContext } from './iteration';

/**
 * Lists the project keeps at one element per kind: it adds an element by first dropping the one
 * of the same kind — `[...list.filter((old) => next.key !== old.key), next]` — so a list of such
 * elements (the identifiers a sign-in verified: one email, one phone, one social account) holds
 * at most one element per value of `key`, a handful the code names. A loop over one that tells
 * the kinds apart (`switch (identifier.key) { case 'email': … }`, here or in the function it hands
 * the element to) runs once per kind, whatever the data: each lookup is the one its kind needs.
 * A list of elements whose kind property is not replaced that way (a batch of events switched on
 * `event.type`) is data, and is reported.
 */
export interface KindedListFacts {
  /** The kind properties of the project's replace-by-kind merges, with the element types they merge (when the checker knows them). */
  replacedKinds(): ReadonlyMap<string, readonly ts.Type[]>;
  /** The project functions a callee expression runs. */
  calleesOf(callee: ts.Expression): readonly ts.FunctionLikeDeclaration[];
}

export function iteratesOnePerKindList(ic: IterationContext, checker: ts.TypeChecker, facts: KindedListFacts): boolean {
  let element: ts.BindingName | undefined;
  let body: ts.Node | undefined;
  if (ic.kind === 'callback') {
    element = ic.fn?.parameters[0]?.name;
    body = ic.fn?.body;
  } else if (ts.isForOfStatement(ic.node) && ts.isVariableDeclarationList(ic.node.initializer)) {
    element = ic.node.initializer.declarations[0]?.name;
    body = ic.node.statement;
  }
  if (!element || !ts.isIdentifier(element) || !body) return false;
  const symbol = checker.getSymbolAtLocation(element);
  if (!symbol) return false;
  // Kind property → the values the loop tells apart.
  const kinds = new Map<string, Set<string>>();
  branchesOnKind(body, symbol, checker, kinds);
  // The element handed to a project function that tells the kinds apart on its parameter (`identifyUser(tenant, identifier)`).
  forEachCallPassing(body, symbol, checker, (call, index) => {
    for (const fn of facts.calleesOf(call.expression)) {
      const p = fn.parameters[index];
      const s = p && ts.isIdentifier(p.name) ? checker.getSymbolAtLocation(p.name) : undefined;
      if (s && fn.body) branchesOnKind(fn.body, s, checker, kinds);
    }
  });
  if (kinds.size === 0) return false;
  const replaced = facts.replacedKinds();
  const elementType = checker.getTypeAtLocation(element);
  return [...kinds].some(([k, values]) => {
    const merged = replaced.get(k);
    if (!merged) return false;
    // Without types, only the property's name ties the loop to the merge: ask for a dispatch over
    // several kinds (`case 'email': … case 'phone': …`), not one value picked out of a batch.
    if (!known(elementType)) return values.size >= 2;
    return isKindProperty(elementType, k, checker) && merged.some((t) => !known(t) || checker.isTypeAssignableTo(checker.getNonNullableType(elementType), t));
  });
}

/** Without the packages' types (a fresh clone), a type inferred from one is `any`: nothing to compare. */
function known(t: ts.Type): boolean {
  return !(t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown));
}

/** `key` is a tag: its type in every member of the element's union is a literal (`'email' | 'phone'`), not `string`. */
function isKindProperty(t: ts.Type, name: string, checker: ts.TypeChecker): boolean {
  const members = checker.getNonNullableType(t);
  return (members.isUnion() ? members.types : [members]).every((m) => {
    const p = m.getProperty(name);
    if (!p) return false;
    const pt = checker.getTypeOfSymbol(p);
    return (pt.isUnion() ? pt.types : [pt]).every((x) => x.isLiteral() || !!(x.flags & ts.TypeFlags.EnumLiteral) || !!(x.flags & ts.TypeFlags.BooleanLiteral));
  });
}

/** Adds `K` → `'lit'` for each `switch (x.K) { case 'lit': … }` and `x.K === 'lit'` on the symbol `x` in `scope`. */
function branchesOnKind(scope: ts.Node, x: ts.Symbol, checker: ts.TypeChecker, kinds: Map<string, Set<string>>): void {
  const kindOf = (e: ts.Expression): string | undefined => {
    const a = skipOuter(e);
    if (!ts.isPropertyAccessExpression(a)) return undefined;
    const target = skipOuter(a.expression);
    return ts.isIdentifier(target) && checker.getSymbolAtLocation(target) === x ? a.name.text : undefined;
  };
  const add = (k: string, value: ts.Expression) => {
    const values = kinds.get(k) ?? new Set<string>();
    values.add(skipOuter(value).getText());
    kinds.set(k, values);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isSwitchStatement(n)) {
      const k = kindOf(n.expression);
      for (const c of n.caseBlock.clauses) if (k && ts.isCaseClause(c) && isTagValue(c.expression)) add(k, c.expression);
    } else if (ts.isBinaryExpression(n) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(n.operatorToken.kind)) {
      const left = isTagValue(n.right) ? kindOf(n.left) : undefined;
      const right = isTagValue(n.left) ? kindOf(n.right) : undefined;
      if (left) add(left, n.right);
      else if (right) add(right, n.left);
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
}

/** A string literal or an enum member (`Kind.Email`): a value the code names. */
function isTagValue(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return ts.isStringLiteralLike(x) || (ts.isPropertyAccessExpression(x) && ts.isIdentifier(x.expression) && /^[A-Z]/.test(x.expression.text));
}

function forEachCallPassing(scope: ts.Node, x: ts.Symbol, checker: ts.TypeChecker, found: (call: ts.CallExpression, index: number) => void): void {
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      n.arguments.forEach((a, i) => {
        const e = skipOuter(a);
        if (ts.isIdentifier(e) && checker.getSymbolAtLocation(e) === x) found(n, i);
      });
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
}

/**
 * The project's replace-by-kind merges: `list.filter((old) => next.K !== old.K)` whose result
 * (directly or through a `const`) goes into an array literal with `next` beside it, or gets
 * `next` pushed — the kind property `K` and the type of `next`.
 */
export function findReplacedKinds(files: readonly ts.SourceFile[], checker: ts.TypeChecker): Map<string, ts.Type[]> {
  const out = new Map<string, ts.Type[]>();
  for (const sf of files) {
    if (sf.isDeclarationFile || !sf.text.includes('.filter(') || !/!==?/.test(sf.text)) continue;
    for (const n of digestOf(sf).calls) {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'filter' && n.arguments.length === 1) {
        const merge = replaceByKind(n, checker);
        if (merge) {
          const types = out.get(merge.kind) ?? [];
          types.push(checker.getTypeAtLocation(merge.next));
          out.set(merge.kind, types);
        }
      }
    }
  }
  return out;
}

function replaceByKind(filter: ts.CallExpression, checker: ts.TypeChecker): { kind: string; next: ts.Identifier } | undefined {
  const cb = skipOuter(filter.arguments[0]);
  if (!(ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) || cb.parameters.length !== 1 || !ts.isIdentifier(cb.parameters[0].name)) return undefined;
  const old = checker.getSymbolAtLocation(cb.parameters[0].name);
  let test: ts.Node | undefined = cb.body;
  if (ts.isBlock(cb.body)) {
    const only = cb.body.statements.length === 1 ? cb.body.statements[0] : undefined;
    test = only && ts.isReturnStatement(only) ? only.expression : undefined;
  }
  if (!old || !test || !ts.isExpression(test)) return undefined;
  const t = skipOuter(test);
  if (!ts.isBinaryExpression(t) || (t.operatorToken.kind !== ts.SyntaxKind.ExclamationEqualsEqualsToken && t.operatorToken.kind !== ts.SyntaxKind.ExclamationEqualsToken)) return undefined;
  const side = (e: ts.Expression) => {
    const a = skipOuter(e);
    if (!ts.isPropertyAccessExpression(a) || !ts.isIdentifier(skipOuter(a.expression))) return undefined;
    return { kind: a.name.text, root: skipOuter(a.expression) as ts.Identifier };
  };
  const l = side(t.left);
  const r = side(t.right);
  if (!l || !r || l.kind !== r.kind) return undefined;
  const [mine, other] = checker.getSymbolAtLocation(l.root) === old ? [l, r] : [r, l];
  const next = checker.getSymbolAtLocation(other.root);
  if (checker.getSymbolAtLocation(mine.root) !== old || !next || next === old) return undefined;
  return addsBack(filter, next, checker) ? { kind: l.kind, next: other.root } : undefined;
}

/** The filtered list, or a `const` holding it, spread into an array literal that also holds `next`, or given `next` with push/concat. */
function addsBack(filter: ts.CallExpression, next: ts.Symbol, checker: ts.TypeChecker): boolean {
  const isNext = (e: ts.Expression) => {
    const x = skipOuter(e);
    return ts.isIdentifier(x) && checker.getSymbolAtLocation(x) === next;
  };
  const uses: ts.Node[] = [filter];
  const holder = filter.parent;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) {
    const held = checker.getSymbolAtLocation(holder.name);
    let scope: ts.Node = holder;
    while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
    const collect = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && n !== holder.name && checker.getSymbolAtLocation(n) === held) uses.push(n);
      ts.forEachChild(n, collect);
    };
    collect(scope);
  }
  return uses.some((u) => {
    const p = u.parent;
    if (ts.isSpreadElement(p) && ts.isArrayLiteralExpression(p.parent)) return p.parent.elements.some(isNext);
    if (ts.isPropertyAccessExpression(p) && p.expression === u && ['push', 'concat'].includes(p.name.text) && ts.isCallExpression(p.parent)) return p.parent.arguments.some(isNext);
    return false;
  });
}
