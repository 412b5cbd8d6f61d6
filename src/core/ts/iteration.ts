// Over 400 lines on purpose: every construct that runs code once per element (loops, array-method callbacks,
// Promise.all over a map) is recognised by one function into one IterationContext, and the same-tick analysis reads it.
import ts from 'typescript';
import { skipOuter } from './expressions';

/**
 * Where code runs once per element of a collection, and whether calls issued there run in the
 * same tick (which is what lets Prisma's dataloader merge `findUnique` calls).
 *
 * Iteration contexts: the per-iteration parts of `for`, `for…of`, `for…in`, `for await`, `while`,
 * `do…while`; callbacks of array methods (`map`, `flatMap`, `forEach`, `filter`, `reduce`, `some`,
 * `every`, `find`, `findIndex`, …) on a collection; `Array.from(xs, fn)`. A function passed by
 * reference (`ids.map(loadUser)`) runs once per element too.
 *
 * Callbacks are classified by how they run: inline (an IIFE, a `new Promise` executor), deferred
 * but once per evaluation (`.then`/`.catch`/`.finally`, a transaction callback), or opaque —
 * route handlers, event listeners, timers: they run when something else happens, so a loop
 * around their registration does not run their body per element.
 */

/** Array methods whose callback runs once per element, and the callback's argument index. */
export const ITERATION_METHODS: ReadonlyMap<string, number> = new Map([
  ['map', 0], ['flatMap', 0], ['forEach', 0], ['filter', 0], ['reduce', 0], ['reduceRight', 0], ['some', 0], ['every', 0],
  ['find', 0], ['findIndex', 0], ['findLast', 0], ['findLastIndex', 0],
]);

/** Calls that run their callback now or after one round trip, once: their body belongs to the caller's iteration. */
const DEFERRED_ONCE = new Set(['then', 'catch', 'finally']);
const TRANSACTION_RUNNERS = new Set(['transaction', '$transaction', 'transactional', 'begin', 'withTransaction', 'runInTransaction', 'reserve']);

export type CallbackRole =
  | { kind: 'iteration'; call: ts.CallExpression; receiver: ts.Expression; method: string }
  | { kind: 'inline' }
  | { kind: 'deferred' }
  | { kind: 'opaque' };

export type FunctionBody = ts.FunctionLikeDeclaration & { body: ts.Block | ts.Expression };

export function isFunctionBody(n: ts.Node): n is FunctionBody {
  return (
    (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) || ts.isConstructorDeclaration(n)) &&
    !!n.body
  );
}

/** How the function expression `fn` is run by the code around it. */
export function callbackRole(fn: ts.ArrowFunction | ts.FunctionExpression): CallbackRole {
  let arg: ts.Node = fn;
  while (ts.isParenthesizedExpression(arg.parent) || ts.isAsExpression(arg.parent)) arg = arg.parent;
  const p = arg.parent;
  if (ts.isCallExpression(p)) {
    if (skipOuter(p.expression) === fn) return { kind: 'inline' }; // (async () => { … })()
    const index = p.arguments.indexOf(arg as ts.Expression);
    if (index >= 0) return roleOfArgument(p, index);
  }
  if (ts.isNewExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'Promise') return { kind: 'inline' };
  return { kind: 'opaque' };
}

/** The role of argument `index` of `call` when it is a function (by value or by reference). */
export function roleOfArgument(call: ts.CallExpression, index: number): CallbackRole {
  const callee = skipOuter(call.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    if (ITERATION_METHODS.get(name) === index) return { kind: 'iteration', call, receiver: callee.expression, method: name };
    if (name === 'from' && index === 1 && ts.isIdentifier(callee.expression) && callee.expression.text === 'Array') {
      return { kind: 'iteration', call, receiver: call.arguments[0], method: 'from' };
    }
    if (DEFERRED_ONCE.has(name)) return { kind: 'deferred' };
    if (TRANSACTION_RUNNERS.has(name)) return { kind: 'deferred' };
    // Kysely: `db.transaction().execute(async (trx) => …)`, `db.connection().execute(…)`.
    if (name === 'execute' && ts.isCallExpression(callee.expression)) {
      const inner = skipOuter(callee.expression.expression);
      if (ts.isPropertyAccessExpression(inner) && (inner.name.text === 'transaction' || inner.name.text === 'connection')) return { kind: 'deferred' };
    }
  }
  return { kind: 'opaque' };
}

/** The parts of a loop statement evaluated once per iteration. */
export function perIterationParts(loop: ts.IterationStatement): ts.Node[] {
  if (ts.isForStatement(loop)) return [loop.condition, loop.incrementor, loop.statement].filter((n): n is NonNullable<typeof n> => !!n);
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return [loop.statement];
  if (ts.isWhileStatement(loop)) return [loop.expression, loop.statement];
  return [loop.statement, (loop as ts.DoStatement).expression];
}

const awaitMemo = new WeakMap<ts.Node, boolean>();

/** Whether `node` awaits (outside nested functions): a loop that awaits runs its iterations one after the other. */
export function containsAwait(node: ts.Node): boolean {
  let memo = awaitMemo.get(node);
  if (memo !== undefined) return memo;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier) || (ts.isYieldExpression(n) && n.asteriskToken)) {
      found = true;
      return;
    }
    if (ts.isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(node);
  memo = found;
  awaitMemo.set(node, memo);
  return memo;
}

// ---------------------------------------------------------------------------------------------

/** The stretch of code between a function's (or a context's) start and the call, as far as ticks go. */
export interface Frame {
  readonly parent: Frame | undefined;
  /** A function boundary: awaits inside it do not delay its caller. */
  readonly fn: boolean;
  /** Runs after a round trip (a `.then` callback, a transaction body). */
  readonly deferred: boolean;
  /** A loop whose iterations await: from the second iteration on, nothing is in the first tick. */
  readonly awaitLoop: boolean;
  sawAwait: boolean;
}

function frame(parent: Frame | undefined, fn: boolean, deferred = false, awaitLoop = false): Frame {
  return { parent, fn, deferred, awaitLoop, sawAwait: false };
}

/** Whether the code at `at` still runs in the same tick as the start of `root` (default: the outermost frame) — no await, no deferral in between. */
export function inFirstTick(at: Frame, root?: Frame): boolean {
  for (let f: Frame | undefined = at; f; f = f.parent) {
    if (f.sawAwait || f.deferred || f.awaitLoop) return false;
    if (f === root) return true;
  }
  return true;
}

export interface IterationContext {
  kind: 'for' | 'for-of' | 'for-in' | 'for-await' | 'while' | 'do' | 'callback' | 'field-resolver';
  /** The loop statement, or the array-method call. */
  node: ts.Node;
  /** For callbacks: the receiver (`orders` in `orders.map(…)`) and the method. */
  receiver?: ts.Expression;
  method?: string;
  /** For callbacks passed by value: the function that runs per element. */
  fn?: FunctionBody;
  /** The frame the iteration starts in. */
  frame: Frame;
  /** Walks a collection (for…of, callbacks), as opposed to a `while`/`for(;;)` loop that may page through results. */
  overCollection: boolean;
  /** The iteration around this one, if any (a loop over a list written in the code inside a loop over data). */
  outer?: IterationContext;
}

export interface RegionVisitor {
  /**
   * A method the framework runs once per element of a result (a GraphQL field resolver, run
   * for every parent object a query returns): its decorator's name, or undefined.
   */
  perElementMethod?(method: ts.MethodDeclaration): string | undefined;
  /** Every node the walk passes (in `file` mode: every node of the file but parameter lists and type annotations of functions). */
  node?(n: ts.Node): void;
  /** A call or tagged template, with the innermost iteration context around it (if any) and its frame. */
  call(node: ts.CallExpression | ts.TaggedTemplateExpression, ctx: IterationContext | undefined, at: Frame): void;
  /** A function passed by reference as an array-method callback (`ids.map(loadUser)`): called once per element. */
  reference?(node: ts.Expression, ctx: IterationContext, at: Frame): void;
}

/**
 * Walks `root` once. In `file` mode every function is entered (loops in route handlers are
 * found), with the iteration context reset at opaque callbacks; in `body` mode (a function's
 * own effects) opaque nested functions are skipped: they do not run when the function runs.
 */
export function walkRegion(root: ts.Node, mode: 'file' | 'body', visitor: RegionVisitor): Frame {
  return new RegionWalker(root, mode, visitor).run();
}

// `ts.X` is a getter on the typescript module object: read once here, not per node.
const K = ts.SyntaxKind;
const forEachChild = ts.forEachChild;

/** The walk itself: a `switch` on node kinds and the current frame/context in fields, as it visits every node of every file. */
class RegionWalker {
  private at: Frame = frame(undefined, true);
  private ctx: IterationContext | undefined;
  private readonly child = (c: ts.Node): void => this.visit(c);

  constructor(
    private readonly root: ts.Node,
    private readonly mode: 'file' | 'body',
    private readonly visitor: RegionVisitor,
  ) {}

  run(): Frame {
    const rootFrame = this.at;
    if (isFunctionBody(this.root)) this.visitFunction(this.root, rootFrame, undefined);
    else this.visit(this.root);
    return rootFrame;
  }

  private visit(n: ts.Node): void {
    this.visitor.node?.(n);
    switch (n.kind) {
      case K.ArrowFunction:
      case K.FunctionExpression:
      case K.FunctionDeclaration:
      case K.MethodDeclaration:
      case K.GetAccessor:
      case K.SetAccessor:
      case K.Constructor:
        if (n !== this.root && (n as ts.FunctionLikeDeclaration).body) return this.enterFunction(n as FunctionBody);
        break;
      case K.ClassDeclaration:
      case K.ClassExpression:
        if (this.mode === 'body' && n !== this.root) return;
        break;
      case K.ForStatement:
      case K.ForOfStatement:
      case K.ForInStatement:
      case K.WhileStatement:
      case K.DoStatement:
        return this.enterLoop(n as ts.IterationStatement);
      case K.AwaitExpression:
        forEachChild(n, this.child);
        markAwait(this.at);
        return;
      case K.CallExpression:
      case K.TaggedTemplateExpression:
        this.visitor.call(n as ts.CallExpression | ts.TaggedTemplateExpression, this.ctx, this.at);
        if (this.visitor.reference && ts.isCallExpression(n) && n.arguments.length > 0) this.references(n);
        break;
    }
    forEachChild(n, this.child);
  }

  private enterFunction(n: FunctionBody): void {
    const role: CallbackRole = ts.isArrowFunction(n) || ts.isFunctionExpression(n) ? callbackRole(n) : { kind: 'opaque' };
    if (role.kind === 'iteration') {
      const f = frame(this.at, true);
      this.visitFunction(n, f, { kind: 'callback', node: role.call, receiver: role.receiver, method: role.method, fn: n, frame: f, overCollection: true, outer: this.ctx });
    } else if (role.kind === 'inline') {
      this.visitFunction(n, frame(this.at, true), this.ctx);
    } else if (role.kind === 'deferred') {
      this.visitFunction(n, frame(this.at, true, true), this.ctx);
    } else if (this.mode === 'file') {
      const f = frame(undefined, true);
      const decorator = ts.isMethodDeclaration(n) ? this.visitor.perElementMethod?.(n) : undefined;
      this.visitFunction(n, f, decorator ? { kind: 'field-resolver', node: n, method: decorator, fn: n, frame: f, overCollection: true } : undefined);
    }
  }

  private enterLoop(n: ts.IterationStatement): void {
    const parts = perIterationParts(n);
    forEachChild(n, (c) => {
      if (!parts.includes(c)) this.visit(c);
    });
    const forAwait = ts.isForOfStatement(n) && !!n.awaitModifier;
    const outerAt = this.at;
    const outerCtx = this.ctx;
    const f = frame(outerAt, false, false, forAwait || parts.some(containsAwait));
    this.at = f;
    this.ctx = { kind: loopKind(n), node: n, frame: f, overCollection: ts.isForOfStatement(n) || ts.isForInStatement(n), outer: outerCtx };
    for (const part of parts) this.visit(part);
    this.at = outerAt;
    this.ctx = outerCtx;
    if (f.awaitLoop) markAwait(outerAt);
  }

  private visitFunction(fn: FunctionBody, f: Frame, ctx: IterationContext | undefined): void {
    const outerAt = this.at;
    const outerCtx = this.ctx;
    this.at = f;
    this.ctx = ctx;
    for (const p of fn.parameters) if (p.initializer) this.visit(p.initializer);
    this.visit(fn.body);
    this.at = outerAt;
    this.ctx = outerCtx;
  }

  /** `ids.map(loadUser)`: a function passed by reference to an array method runs per element. */
  private references(call: ts.CallExpression): void {
    call.arguments.forEach((a, i) => {
      const arg = skipOuter(a);
      // `ids.map(this.load.bind(this))`, `ids.map(promisify(load))`: the bound function runs per element.
      if (!ts.isIdentifier(arg) && !ts.isPropertyAccessExpression(arg) && !isBoundCall(arg)) return;
      const role = roleOfArgument(call, i);
      if (role.kind !== 'iteration') return;
      const f = frame(this.at, true);
      this.visitor.reference!(arg, { kind: 'callback', node: call, receiver: role.receiver, method: role.method, frame: f, overCollection: true, outer: this.ctx }, f);
    });
  }
}

function isBoundCall(e: ts.Expression): boolean {
  if (!ts.isCallExpression(e) || e.arguments.length === 0) return false;
  const callee = skipOuter(e.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') return true;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name === 'promisify';
}

function markAwait(at: Frame): void {
  for (let f: Frame | undefined = at; f; f = f.parent) {
    f.sawAwait = true;
    if (f.fn) return;
  }
}

function loopKind(n: ts.IterationStatement): IterationContext['kind'] {
  if (ts.isForOfStatement(n)) return n.awaitModifier ? 'for-await' : 'for-of';
  if (ts.isForInStatement(n)) return 'for-in';
  if (ts.isForStatement(n)) return 'for';
  if (ts.isWhileStatement(n)) return 'while';
  return 'do';
}

// ---------------------------------------------------------------------------------------------

const ARRAY_PRODUCERS = new Set(['map', 'filter', 'flatMap', 'slice', 'concat', 'sort', 'reverse', 'flat', 'toSorted', 'toReversed', 'toSpliced', 'splice', 'split', 'fill', 'with']);
const COLLECTION_TYPES = new Set(['Array', 'ReadonlyArray', 'Set', 'ReadonlySet', 'Map', 'ReadonlyMap', 'NodeListOf', 'Collection', 'ArrayCollection']);

/**
 * Whether `receiver` is a collection whose callback methods iterate it. Syntax first (array
 * literals, `Object.keys(…)`, chains of array methods); the checker only when that is not enough.
 * An untyped value (`any`: declarations not installed) counts — `.map(cb)` on it is an array
 * far more often than anything else.
 */
export function isCollection(checker: ts.TypeChecker, receiver: ts.Expression): boolean {
  const e = skipOuter(receiver);
  if (ts.isArrayLiteralExpression(e)) return true;
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(e.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const base = callee.expression;
      if (ts.isIdentifier(base) && (base.text === 'Object' || base.text === 'Array')) return ['keys', 'values', 'entries', 'from', 'of'].includes(callee.name.text);
      if (ARRAY_PRODUCERS.has(callee.name.text)) return true;
    }
  }
  return isCollectionType(checker, checker.getNonNullableType(checker.getTypeAtLocation(e)), 0);
}

function isCollectionType(checker: ts.TypeChecker, t: ts.Type, depth: number): boolean {
  if (depth > 4) return false;
  if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  if (t.isUnion()) return t.types.every((x) => x.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null) || isCollectionType(checker, x, depth + 1));
  if (t.isIntersection()) return t.types.some((x) => isCollectionType(checker, x, depth + 1));
  if (checker.isArrayType(t) || checker.isTupleType(t)) return true;
  if (t.flags & ts.TypeFlags.TypeParameter) {
    const c = checker.getBaseConstraintOfType(t);
    return !c || c === t ? true : isCollectionType(checker, c, depth + 1);
  }
  const name = (t.getSymbol() ?? t.aliasSymbol)?.name;
  if (name && COLLECTION_TYPES.has(name)) return true;
  // A class extending Array (or a collection) is one.
  const bases = t.isClassOrInterface() ? checker.getBaseTypes(t) : [];
  return bases.some((b) => isCollectionType(checker, b, depth + 1));
}

/**
 * Whether the loop walks a list written in the code (`for (const k of ['a', 'b'])`,
 * `['1d', 'ytd'].map(…)`, or a `const` initialised with one): the number of queries is fixed
 * by the code, not by the data — the same as `Promise.all([a(), b()])`.
 */
export function iteratesFixedList(ctx: IterationContext, checker: ts.TypeChecker): boolean {
  const collection = ctx.kind === 'callback' ? ctx.receiver : ts.isForOfStatement(ctx.node) ? ctx.node.expression : undefined;
  return !!collection && isFixedList(collection, checker, 0);
}

/** Steps that keep a list as fixed as the one they start from. */
const SUBLIST_METHODS = new Set(['filter', 'slice', 'map', 'sort', 'reverse', 'toSorted', 'toReversed']);

/**
 * `['a', 'b']`, `Object.freeze(['a', 'b'])`, `[…] as const`, a `const` holding one (never grown),
 * a filter/slice/map of one, or `Array.from({ length: MAX_BATCHES })` with a constant length.
 */
export function isFixedList(collection: ts.Expression, checker: ts.TypeChecker, depth: number): boolean {
  if (depth > 4) return false;
  let e = skipOuter(collection);
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(e.expression);
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
      const owner = callee.expression.text;
      if (owner === 'Object' && callee.name.text === 'freeze' && e.arguments[0]) return isFixedList(e.arguments[0], checker, depth + 1);
      if (owner === 'Array' && callee.name.text === 'from' && e.arguments[0]) return hasConstantLength(e.arguments[0], checker);
    }
    if (ts.isPropertyAccessExpression(callee) && SUBLIST_METHODS.has(callee.name.text)) return isFixedList(callee.expression, checker, depth + 1);
    return false;
  }
  if (ts.isArrayLiteralExpression(e)) return !e.elements.some((el) => ts.isSpreadElement(el));
  if (ts.isIdentifier(e)) {
    const symbol = checker.getSymbolAtLocation(e);
    const decl = symbol?.valueDeclaration;
    if (!symbol || !decl || !ts.isVariableDeclaration(decl) || !decl.initializer || (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) === 0) return false;
    e = skipOuter(decl.initializer);
    // `const result = []` filled with push() holds data, not a list written in the code.
    if (ts.isArrayLiteralExpression(e) && e.elements.length === 0) return false;
    return !isMutated(symbol, decl, checker) && isFixedList(e, checker, depth + 1);
  }
  return false;
}

/** `{ length: MAX_BATCHES }` / `{ length: 5 }`: an array-like whose length the code fixes. */
function hasConstantLength(arg: ts.Expression, checker: ts.TypeChecker): boolean {
  const o = skipOuter(arg);
  if (!ts.isObjectLiteralExpression(o)) return false;
  const length = o.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'length');
  if (!length) return false;
  const v = skipOuter(length.initializer);
  if (ts.isNumericLiteral(v)) return true;
  if (!ts.isIdentifier(v) && !ts.isPropertyAccessExpression(v)) return false;
  const name = ts.isIdentifier(v) ? v.text : v.name.text;
  if (/^[A-Z][A-Z0-9_]*$/.test(name) || /^max[A-Z_]/.test(name)) return true;
  const decl = checker.getSymbolAtLocation(ts.isIdentifier(v) ? v : v.name)?.valueDeclaration;
  return !!decl && ts.isVariableDeclaration(decl) && !!decl.initializer && ts.isNumericLiteral(skipOuter(decl.initializer));
}

const MUTATORS = new Set(['push', 'unshift', 'splice', 'fill', 'copyWithin']);

/** Whether an array variable is grown or rewritten in its scope (`xs.push(…)`, `xs[i] = …`). */
export function isMutated(symbol: ts.Symbol, decl: ts.VariableDeclaration, checker: ts.TypeChecker): boolean {
  let scope: ts.Node = decl;
  while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) scope = scope.parent;
  const isOurs = (n: ts.Expression) => ts.isIdentifier(n) && n.text === decl.name.getText() && checker.getSymbolAtLocation(n) === symbol;
  let mutated = false;
  const visit = (n: ts.Node): void => {
    if (mutated) return;
    if (ts.isPropertyAccessExpression(n) && MUTATORS.has(n.name.text) && isOurs(n.expression)) mutated = true;
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(n.left) && isOurs(n.left.expression)) mutated = true;
    else ts.forEachChild(n, visit);
  };
  visit(scope);
  return mutated;
}
