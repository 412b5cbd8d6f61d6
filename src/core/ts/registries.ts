import ts from 'typescript';
import { skipOuter } from './expressions';
import { isMutated, type FunctionBody } from './iteration';

/**
 * Registries filled from the code: a private class field (`Record`, array, `Map`, `Set`) that
 * starts empty and grows only through methods of its class — `register(kind)` doing
 * `this.kinds[kind.id] = kind` or `this.scheduled.push({ kind, … })` — every call of which, in
 * the project, hands values the code writes: module constants, literals, functions, elements
 * of a list written in the code (`new Client([SEND_MAIL, SWEEP])` → `kinds.forEach((k) =>
 * provider.register(k))`). The registry then holds one entry per kind the code defines (job
 * definitions, handlers, plugins), and a loop over it runs once per kind, not once per row.
 * One registration with a value from the data (a request, a query's rows) and it is not one.
 */

export interface RegistryOrigins {
  checker: ts.TypeChecker;
  /** Every call (or `new`) of `fn` in the project, or undefined when its callers are not all known. */
  callsOf(fn: FunctionBody): readonly Invocation[] | undefined;
}

export type Invocation = ts.CallExpression | ts.NewExpression;

/** What one write adds to a registry: its values, the key it is stored under, whether it appends. */
interface Write {
  values: ts.Expression[];
  key?: ts.Expression;
  appends: boolean;
}

/** Methods that add an entry to an array, a `Map` or a `Set`. */
const ADDERS = new Set(['push', 'unshift', 'set', 'add']);
/** Methods that add entries in a form not read here (`splice(i, 0, …rows)`, `fill`). */
const OPAQUE_WRITERS = new Set(['splice', 'fill', 'copyWithin']);
/** Array methods whose callback's first parameter is the element. */
const ELEMENT_FIRST = new Set(['forEach', 'map', 'flatMap', 'filter', 'some', 'every', 'find', 'findIndex', 'reduce']);
/** Steps that keep a list's elements the list's own. */
const SUBLISTS = new Set(['filter', 'slice', 'sort', 'reverse', 'toSorted', 'toReversed', 'concat']);

export class RegistryCheck {
  private readonly known = new Map<ts.Symbol, boolean>();
  /** Values being followed, to stop on recursion. */
  private readonly active = new Set<ts.Node>();

  constructor(private readonly o: RegistryOrigins) {}

  /** `this.kinds`, `Object.values(this.kinds)`, `this.plugins.values()`: a registry filled from the code (see above). */
  isFilledFromCode(e: ts.Expression): boolean {
    let x = skipOuter(e);
    if (ts.isCallExpression(x) && x.arguments.length === 1 && isObjectStatic(x.expression, ['values', 'keys', 'entries'])) x = skipOuter(x.arguments[0]);
    else if (ts.isCallExpression(x) && x.arguments.length === 0 && ts.isPropertyAccessExpression(x.expression) && ['values', 'keys', 'entries'].includes(x.expression.name.text)) x = skipOuter(x.expression.expression);
    if (!ts.isPropertyAccessExpression(x) || x.expression.kind !== ts.SyntaxKind.ThisKeyword) return false;
    const symbol = this.o.checker.getSymbolAtLocation(x.name);
    if (!symbol) return false;
    let answer = this.known.get(symbol);
    if (answer === undefined) {
      this.known.set(symbol, false); // a registration that loops back over the registry itself
      answer = this.fieldFilledFromCode(symbol);
      this.known.set(symbol, answer);
    }
    return answer;
  }

  private fieldFilledFromCode(symbol: ts.Symbol): boolean {
    const decl = symbol.valueDeclaration;
    if (!decl || !ts.isPropertyDeclaration(decl) || !ts.isClassLike(decl.parent) || !(ts.isIdentifier(decl.name) || ts.isPrivateIdentifier(decl.name))) return false;
    // Private: no code outside the class (nor a subclass) adds to it.
    if (!ts.isPrivateIdentifier(decl.name) && (ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Private) === 0) return false;
    if (decl.initializer && !isEmptyCollection(decl.initializer)) return false;
    const cls = decl.parent;
    const name = decl.name.text;
    const writers = new Map<FunctionBody, ts.Expression[]>();
    let ok = true;
    const visit = (n: ts.Node): void => {
      if (!ok) return;
      if (ts.isPropertyAccessExpression(n) && n.expression.kind === ts.SyntaxKind.ThisKeyword && n.name.text === name) {
        const write = this.writtenValues(n);
        if (write === false) ok = false;
        else if (write) {
          const method = registeringMethod(n, cls);
          // An append (`push`) grows with every call, even with the same value: only a
          // registration that first checks the field (`if (!this.jobs.some(…)) this.jobs.push(…)`)
          // stays one entry per value. A key must not be minted per call (`new Date()`).
          if (!method || (write.appends && !guardedByField(n, method, name, this.o.checker)) || (write.key && mints(write.key))) ok = false;
          else writers.set(method, [...(writers.get(method) ?? []), ...write.values]);
        }
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(cls);
    if (!ok || writers.size === 0) return false;
    for (const [method, values] of writers) {
      if (!values.every((v) => builtFromParameters(v, method, this.o.checker, 0))) return false;
      const calls = this.o.callsOf(method);
      if (!calls || calls.length === 0) return false;
      if (!calls.every((c) => (c.arguments ?? []).every((a) => !ts.isSpreadElement(a) && this.isCodeValue(a, 0)))) return false;
    }
    return true;
  }

  /**
   * What a use of `this.<field>` adds to it: the key and value of `this.f[k] = v`,
   * `this.f.set(k, v)`, `this.f.add(v)`, or the values `this.f.push(v)` appends; undefined for a
   * read; false for a use that may add in a form not read here (handed to other code, replaced by
   * another collection).
   */
  private writtenValues(use: ts.PropertyAccessExpression): Write | undefined | false {
    let u: ts.Node = use;
    while (ts.isParenthesizedExpression(u.parent) || ts.isNonNullExpression(u.parent)) u = u.parent;
    const p = u.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === u) {
      const call = p.parent;
      if (ts.isCallExpression(call) && call.expression === p) {
        const args = [...call.arguments];
        if (args.some(ts.isSpreadElement)) return ADDERS.has(p.name.text) || OPAQUE_WRITERS.has(p.name.text) ? false : undefined;
        if (p.name.text === 'push' || p.name.text === 'unshift') return { values: args, appends: true };
        if (p.name.text === 'set') return args[0] ? { values: args, key: args[0], appends: false } : false;
        // A Set keeps one of each value; a literal or `new` object is a new value every call.
        if (p.name.text === 'add') return args[0] ? { values: args, key: args[0], appends: isFreshObject(args[0]) } : false;
        return OPAQUE_WRITERS.has(p.name.text) ? false : undefined;
      }
      return isAssigned(p) ? { values: [p.parent.right], appends: false } : undefined;
    }
    if (ts.isElementAccessExpression(p) && p.expression === u) {
      return isAssigned(p) ? { values: [p.argumentExpression, p.parent.right], key: p.argumentExpression, appends: false } : undefined;
    }
    if (isAssigned(u)) return isEmptyCollection(u.parent.right) ? undefined : false;
    // Reads: a loop over it, a spread, `Object.values(…)`, a test.
    if (ts.isForOfStatement(p) || ts.isForInStatement(p) || ts.isSpreadElement(p) || ts.isIfStatement(p) || ts.isPrefixUnaryExpression(p)) return undefined;
    if (ts.isCallExpression(p) && isObjectStatic(p.expression, ['values', 'keys', 'entries'])) return undefined;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
    // Handed to other code, returned, stored elsewhere: it may be added to there.
    return false;
  }

  /**
   * A value the code writes: a literal, a function or class, a module-level constant (one value
   * for the life of the process), an object or list literal of such values, a property of one,
   * an element of a list written in the code, or a parameter every call passes one of these to.
   */
  isCodeValue(expression: ts.Expression, depth: number): boolean {
    if (depth > 12) return false;
    const e = skipOuter(expression);
    if (ts.isStringLiteral(e) || ts.isNumericLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isArrowFunction(e) || ts.isFunctionExpression(e) || ts.isClassExpression(e)) return true;
    if ([ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword].includes(e.kind)) return true;
    if (ts.isObjectLiteralExpression(e)) {
      return e.properties.every((p) =>
        ts.isPropertyAssignment(p) ? this.isCodeValue(p.initializer, depth + 1)
        : ts.isShorthandPropertyAssignment(p) ? this.isCodeValue(p.name, depth + 1)
        : ts.isSpreadAssignment(p) ? this.isCodeValue(p.expression, depth + 1)
        : ts.isMethodDeclaration(p),
      );
    }
    if (ts.isArrayLiteralExpression(e)) return this.isCodeList(e, depth + 1);
    if (ts.isPropertyAccessExpression(e)) return this.isCodeValue(e.expression, depth + 1);
    if (!ts.isIdentifier(e)) return false;
    const decl = this.declarationOf(e);
    if (!decl) return e.text === 'undefined';
    if (ts.isFunctionDeclaration(decl) || ts.isClassDeclaration(decl) || ts.isEnumDeclaration(decl) || ts.isEnumMember(decl)) return true;
    if (this.active.has(decl)) return false;
    this.active.add(decl);
    try {
      if (ts.isVariableDeclaration(decl)) return this.variableValue(decl, depth);
      if (ts.isParameter(decl)) return this.parameterValues(decl, 'value', depth);
      return false;
    } finally {
      this.active.delete(decl);
    }
  }

  /** A list of values the code writes: `[SEND_MAIL, SWEEP]`, a constant of one, a parameter every call passes one to. */
  private isCodeList(expression: ts.Expression, depth: number): boolean {
    if (depth > 12) return false;
    const e = skipOuter(expression);
    if (ts.isArrayLiteralExpression(e)) return e.elements.every((el) => (ts.isSpreadElement(el) ? this.isCodeList(el.expression, depth + 1) : this.isCodeValue(el, depth + 1)));
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && SUBLISTS.has(e.expression.name.text)) {
      // `KINDS.filter(enabled)`, `BASE.concat(EXTRA)`: elements of the lists it starts from.
      return this.isCodeList(e.expression.expression, depth + 1) && (e.expression.name.text !== 'concat' || e.arguments.every((a) => this.isCodeList(a, depth + 1)));
    }
    if (!ts.isIdentifier(e)) return false;
    const decl = this.declarationOf(e);
    if (!decl || this.active.has(decl)) return false;
    this.active.add(decl);
    try {
      if (ts.isVariableDeclaration(decl)) {
        const symbol = this.o.checker.getSymbolAtLocation(decl.name);
        if (!decl.initializer || (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) === 0 || !symbol || isMutated(symbol, decl, this.o.checker)) return false;
        return this.isCodeList(decl.initializer, depth + 1);
      }
      if (ts.isParameter(decl)) return this.parameterValues(decl, 'list', depth);
      return false;
    } finally {
      this.active.delete(decl);
    }
  }

  /** A `const` at module level (one value for the process), a local `const` of a code value, a `for…of` element of a code list. */
  private variableValue(decl: ts.VariableDeclaration, depth: number): boolean {
    const list = decl.parent;
    if (ts.isVariableDeclarationList(list) && ts.isForOfStatement(list.parent)) return ts.isIdentifier(decl.name) && this.isCodeList(list.parent.expression, depth + 1);
    if ((ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) === 0 || !decl.initializer) return false;
    if (ts.isVariableDeclarationList(list) && ts.isVariableStatement(list.parent) && ts.isSourceFile(list.parent.parent)) return true;
    return this.isCodeValue(decl.initializer, depth + 1);
  }

  /** A parameter: the element of a code list an array method hands its callback, or what every call passes. */
  private parameterValues(p: ts.ParameterDeclaration, kind: 'value' | 'list', depth: number): boolean {
    const test = (a: ts.Expression) => (kind === 'value' ? this.isCodeValue(a, depth + 1) : this.isCodeList(a, depth + 1));
    const fn = p.parent;
    if (!ts.isFunctionLike(fn) || !('body' in fn) || !fn.body) return false;
    const index = fn.parameters.indexOf(p);
    if (p.dotDotDotToken || !ts.isIdentifier(p.name)) return false;
    const holder = fn.parent;
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isCallExpression(holder) && holder.arguments[0] === fn) {
      const callee = skipOuter(holder.expression);
      // `kinds.forEach((kind) => …)`: the callback runs on the list's elements, and nothing else calls it.
      if (ts.isPropertyAccessExpression(callee) && ELEMENT_FIRST.has(callee.name.text) && index === (callee.name.text === 'reduce' ? 1 : 0)) {
        return kind === 'value' && this.isCodeList(callee.expression, depth + 1);
      }
      return false;
    }
    const calls = this.o.callsOf(fn as FunctionBody);
    if (!calls || calls.length === 0) return false;
    return calls.every((call) => {
      const args = call.arguments ?? [];
      if (args.slice(0, index + 1).some(ts.isSpreadElement)) return false;
      const arg = args[index];
      if (!arg) return !!p.initializer && test(p.initializer);
      return test(arg);
    });
  }

  private declarationOf(id: ts.Identifier): ts.Declaration | undefined {
    let symbol = this.o.checker.getSymbolAtLocation(id);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.o.checker.getAliasedSymbol(symbol);
    return symbol?.valueDeclaration;
  }
}

/** An object or list literal, a `new` object: a value no earlier call handed in. */
function isFreshObject(expression: ts.Expression): boolean {
  const e = skipOuter(expression);
  return ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e) || ts.isNewExpression(e);
}

/** A key made anew on every call (`new Date()`, `` `${new Date()}` ``): each call adds an entry. */
function mints(key: ts.Expression): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isNewExpression(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(key);
  return found;
}

/**
 * Whether an append runs only after the method checked the field: inside `if (…this.f…)` (or
 * a local `const` read from it: `const known = this.f.some(…); if (!known) …`), or after
 * `if (…this.f…) return;` — a registration that skips what is there already.
 */
function guardedByField(write: ts.Node, method: FunctionBody, name: string, checker: ts.TypeChecker): boolean {
  const readsField = (e: ts.Node, depth: number): boolean => {
    if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword && e.name.text === name) return true;
    if (ts.isIdentifier(e) && depth < 3) {
      const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.pos >= method.pos && decl.end <= method.end && (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) !== 0) return readsField(decl.initializer, depth + 1);
      return false;
    }
    return !!ts.forEachChild(e, (c) => readsField(c, depth) || undefined);
  };
  for (let n: ts.Node = write; n !== method && n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && p.thenStatement === n && readsField(p.expression, 0)) return true;
    if (ts.isBlock(p)) {
      const before = p.statements.slice(0, p.statements.indexOf(n as ts.Statement));
      if (before.some((st) => ts.isIfStatement(st) && !st.elseStatement && exits(st.thenStatement) && readsField(st.expression, 0))) return true;
    }
  }
  return false;
}

/** `return`, `throw`, or a block that ends with one. */
function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return !!last && exits(last);
  }
  return false;
}

/** `[]`, `{}`, `new Map()`, `new Set()`: an empty collection. */
function isEmptyCollection(expression: ts.Expression): boolean {
  const e = skipOuter(expression);
  if (ts.isArrayLiteralExpression(e)) return e.elements.length === 0;
  if (ts.isObjectLiteralExpression(e)) return e.properties.length === 0;
  return ts.isNewExpression(e) && ts.isIdentifier(e.expression) && ['Map', 'Set'].includes(e.expression.text) && (e.arguments ?? []).length === 0;
}

function isObjectStatic(callee: ts.Expression, names: readonly string[]): boolean {
  const c = skipOuter(callee);
  return ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === 'Object' && names.includes(c.name.text);
}

function isAssigned(n: ts.Node): n is ts.Node & { parent: ts.BinaryExpression } {
  const p = n.parent;
  return ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

/**
 * The method of `cls` a registry write sits in, directly (not in a callback, which may run on
 * anything) and not in a loop of its own (one call would add many entries).
 */
function registeringMethod(write: ts.Node, cls: ts.ClassLikeDeclaration): FunctionBody | undefined {
  for (let n: ts.Node = write.parent; n; n = n.parent) {
    if (ts.isIterationStatement(n, false)) return undefined;
    if (ts.isFunctionLike(n)) {
      return (ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n)) && n.parent === cls && n.body ? (n as FunctionBody) : undefined;
    }
  }
  return undefined;
}

/**
 * Whether a written value is made of the method's parameters and the code only (`{ ...kind,
 * enabled: kind.enabled ?? true }`, `new Date()`): no call, no await, no local that is not such
 * a value — so that what the registry holds is what the callers handed it.
 */
function builtFromParameters(value: ts.Expression, method: FunctionBody, checker: ts.TypeChecker, depth: number): boolean {
  if (depth > 4) return false;
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isCallExpression(n) || ts.isAwaitExpression(n) || ts.isYieldExpression(n) || ts.isTaggedTemplateExpression(n)) {
      ok = false;
      return;
    }
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return;
    // `this.lastRows`: the instance's state, which may be anything.
    if (n.kind === ts.SyntaxKind.ThisKeyword) {
      ok = false;
      return;
    }
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      // Names of properties, not values.
      if ((ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n)) return;
      let symbol = checker.getSymbolAtLocation(ts.isShorthandPropertyAssignment(p) ? p.name : n);
      if (ts.isShorthandPropertyAssignment(p)) symbol = checker.getShorthandAssignmentValueSymbol(p) ?? symbol;
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      if (!decl) {
        ok = n.text === 'undefined';
        return;
      }
      if (decl.getSourceFile().isDeclarationFile) return; // `Date`, `Number`: the platform's
      if (ts.isParameter(decl) && decl.parent === method) return;
      // A module-level constant, function or class (a module-level `let` may change between calls).
      if (ts.isSourceFile(moduleScope(decl)) && !(ts.isVariableDeclaration(decl) && (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) === 0)) return;
      if (ts.isVariableDeclaration(decl) && decl.initializer && (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) !== 0 && decl.pos >= method.pos && decl.end <= method.end) {
        ok = builtFromParameters(decl.initializer, method, checker, depth + 1);
        return;
      }
      ok = false;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(value);
  return ok;
}

/** The scope a declaration is made in: the source file for a module-level one. */
function moduleScope(decl: ts.Node): ts.Node {
  let n: ts.Node = decl;
  while (n.parent && !ts.isSourceFile(n.parent) && !ts.isBlock(n.parent) && !ts.isFunctionLike(n.parent) && !ts.isClassLike(n.parent) && !ts.isModuleBlock(n.parent)) n = n.parent;
  return n.parent ?? n;
}
