import ts from 'typescript';
import { classifyExpression } from './frameworks';
import { lifecycleLibraryOf, TERMINATOR_MEMBERS } from './lifecycle';
import { objectProperty } from './objects';
import { creationCallOf } from './servers';
import type { CloseTarget, ShutdownScanContext } from './shutdown';
import { skipOuterAndAwait } from '../ts/expressions';
import { functionOf, isGlobalProcess, resolvedSymbol } from '../ts/symbols';

/** Member names that stop a server: `server.close()`, `app.close()` (Fastify, NestJS), `server.stop()`, a terminator's `terminate()`. */
const CLOSE_MEMBERS = new Set(['close', 'stop', ...TERMINATOR_MEMBERS]);
export const MAX_DEPTH = 8;

type Env = Map<ts.Symbol, { expr: ts.Expression; env: Env }>;

/** Follows a handler through the code it reaches, collecting server closes and process exits. */
export class Reach {
  readonly closes: CloseTarget[] = [];
  exits = false;
  /** Module-level `let`/`var` state the walked code assigns, and the state it reads (a drain flag). */
  readonly writes = new Set<ts.Symbol>();
  readonly reads = new Set<ts.Symbol>();
  private readonly walked = new Set<ts.Node>();

  constructor(
    private readonly ctx: ShutdownScanContext,
    private readonly serverSymbols: Set<ts.Symbol>,
  ) {}

  /** A handler value: an inline function, a named function, or a call that returns one (`makeShutdown(server)`). */
  walkValue(expr: ts.Expression, env: Env, depth: number): void {
    const e = skipOuterAndAwait(expr);
    if (ts.isCallExpression(e)) {
      // `shutdown.bind(null, server)`: the bound function, with the bound arguments.
      if (ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') {
        const fn = functionOf(this.ctx.checker, e.expression.expression);
        if (fn) {
          this.walkFunction(fn, this.bind(fn, e.arguments.slice(1), env), depth + 1);
          return;
        }
      }
      this.walkNode(e, env, depth);
      return;
    }
    if (ts.isIdentifier(e)) {
      const bound = this.bindingOf(e, env);
      if (bound) return this.walkValue(bound.expr, bound.env, depth + 1);
    }
    const fn = functionOf(this.ctx.checker, e);
    if (fn) this.walkFunction(fn, env, depth);
  }

  /**
   * `await using pds = await PDS.fromEnv(env)` in the function that registers the signal handler:
   * when the handler ends the function (it aborts the signal the function awaits), leaving the
   * scope runs the value's `[Symbol.asyncDispose]()` / `[Symbol.dispose]()` — followed here like
   * a call (it usually reaches an http-terminator's `terminate()` or `server.close()`).
   */
  walkScopeDisposals(registration: ts.Node): void {
    let fn: ts.Node | undefined = registration.parent;
    while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
    const body = fn && (fn as ts.FunctionLikeDeclaration).body;
    if (!body) return;
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n)) return;
      if (ts.isVariableDeclarationList(n) && (n.flags & ts.NodeFlags.Using) !== 0) {
        for (const d of n.declarations) {
          // Read from the class's syntax: without the esnext.disposable lib the checker does not know the well-known symbols.
          const type = this.ctx.checker.getTypeAtLocation(d.name);
          for (const cls of type.getSymbol()?.declarations ?? []) {
            if (!ts.isClassLike(cls) || cls.getSourceFile().isDeclarationFile) continue;
            for (const m of cls.members) {
              if (ts.isMethodDeclaration(m) && m.body && ts.isComputedPropertyName(m.name) && /^Symbol\.(asyncDispose|dispose)$/.test(m.name.expression.getText())) this.walkFunction(m, new Map(), 1);
            }
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
  }

  /** Methods named `name` of the project's classes that implement or extend something (lifecycle hooks). */
  walkLifecycleMethods(name: string): void {
    for (const sf of this.ctx.files ?? []) {
      if (sf.isDeclarationFile) continue;
      for (const holder of membersNamed(sf, name)) {
        if (!ts.isClassLike(holder)) continue;
        const member = holder.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && !!m.name && ts.isIdentifier(m.name) && m.name.text === name);
        if (member) this.walkFunction(member, new Map(), 1);
      }
    }
  }

  private walkFunction(fn: ts.FunctionLikeDeclaration, env: Env, depth: number): void {
    if (depth > MAX_DEPTH || !fn.body || this.walked.has(fn)) return;
    this.walked.add(fn);
    this.walkNode(fn.body, env, depth);
  }

  private walkNode(root: ts.Node, env: Env, depth: number): void {
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAccessExpression(n) && CLOSE_MEMBERS.has(n.name.text)) {
        const target = this.targetOf(n.expression, env, depth, n.name.text);
        if (target) this.closes.push(target);
      }
      if (ts.isCallExpression(n)) this.onCall(n, env, depth);
      if (ts.isIdentifier(n)) this.noteModuleState(n);
      ts.forEachChild(n, visit);
    };
    visit(root);
  }

  /**
   * `shuttingDown = true` in a signal handler, `if (shuttingDown) res.status(503)` in a readiness
   * route: a module-level variable (not a constant) the walked code writes or reads.
   */
  private noteModuleState(id: ts.Identifier): void {
    const decl = this.ctx.checker.getSymbolAtLocation(id)?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !ts.isVariableDeclarationList(decl.parent) || (decl.parent.flags & ts.NodeFlags.Const) !== 0) return;
    if (!ts.isVariableStatement(decl.parent.parent) || !ts.isSourceFile(decl.parent.parent.parent) || decl.getSourceFile().isDeclarationFile) return;
    const symbol = this.ctx.checker.getSymbolAtLocation(id)!;
    const p = id.parent;
    if (ts.isBinaryExpression(p) && p.left === id && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) this.writes.add(symbol);
    else this.reads.add(symbol);
  }

  private onCall(call: ts.CallExpression, env: Env, depth: number): void {
    const { checker } = this.ctx;
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'exit' && isGlobalProcess(checker, callee.expression)) {
      this.exits = true;
      return;
    }
    if (depth >= MAX_DEPTH) return;
    // Into project functions the handler calls, with arguments bound to parameters.
    const target = ts.isIdentifier(callee) ? this.bindingOf(callee, env)?.expr ?? callee : callee;
    const fn = functionOf(checker, target);
    if (fn && !fn.getSourceFile().isDeclarationFile) this.walkFunction(fn, this.bind(fn, call.arguments, env), depth + 1);
    // `unleash.stop()` on an interface: whatever the project plugs in for it.
    if (!fn && ts.isPropertyAccessExpression(target)) {
      for (const impl of this.implementationsOf(target)) this.walkFunction(impl, this.bind(impl, call.arguments, env), depth + 1);
    }
    // Named functions passed as callbacks: `server.close(onClosed)`, `setTimeout(forceExit, 10_000)`.
    for (const arg of call.arguments) {
      const a = skipOuterAndAwait(arg);
      if (ts.isIdentifier(a) || ts.isPropertyAccessExpression(a)) {
        const cb = functionOf(checker, a);
        if (cb) this.walkFunction(cb, new Map(), depth + 1);
      }
    }
  }

  /**
   * Implementations in the project of an interface member (`stop(): Promise<void>` in `IUnleash`):
   * methods of classes that implement the interface, and functions given for that member in object
   * literals typed by it (`resolve({ ...app, stop: () => stopServer(server) })`).
   */
  private implementationsOf(access: ts.PropertyAccessExpression): ts.FunctionLikeDeclaration[] {
    const { checker } = this.ctx;
    const symbol = checker.getSymbolAtLocation(access.name);
    if (!symbol) return [];
    const cached = this.ctx.implementations?.get(symbol);
    if (cached) return cached;
    const signatures = (symbol.declarations ?? []).filter((d) => (ts.isPropertySignature(d) || ts.isMethodSignature(d) || (ts.isMethodDeclaration(d) && !d.body)) && !d.getSourceFile().isDeclarationFile);
    const out: ts.FunctionLikeDeclaration[] = [];
    this.ctx.implementations?.set(symbol, out);
    if (signatures.length === 0) return out;
    const name = access.name.text;
    const owners = new Set<ts.Node>(signatures.map((d) => d.parent));
    for (const sf of this.ctx.files ?? []) {
      if (sf.isDeclarationFile) continue;
      for (const holder of membersNamed(sf, name)) {
        if (out.length >= 8) break;
        if (ts.isObjectLiteralExpression(holder)) {
          if (!this.typedBy(holder, name, signatures)) continue;
          const member = holder.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === name);
          const fn = member && (ts.isMethodDeclaration(member) ? member : ts.isPropertyAssignment(member) ? functionOf(checker, member.initializer) : undefined);
          if (fn) out.push(fn);
        } else if (holder.heritageClauses?.some((h) => h.types.some((t) => (resolvedSymbol(checker, t.expression)?.declarations ?? []).some((d) => owners.has(d))))) {
          const member = holder.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && !!m.name && ts.isIdentifier(m.name) && m.name.text === name);
          if (member) out.push(member);
        }
      }
    }
    return out;
  }

  /** The object literal is contextually typed by a type that declares one of these members. */
  private typedBy(literal: ts.ObjectLiteralExpression, name: string, signatures: ts.Declaration[]): boolean {
    let type: ts.Type | undefined;
    try {
      type = this.ctx.checker.getContextualType(literal);
    } catch {
      return false;
    }
    if (!type) return false;
    const parts = type.isUnion() || type.isIntersection() ? type.types : [type];
    return parts.some((t) => {
      const decls = t.getProperty(name)?.declarations ?? [];
      return decls.some((d) => signatures.includes(d));
    });
  }

  /** Parameters of `fn` bound to the arguments of a call (evaluated in the caller's environment). */
  private bind(fn: ts.FunctionLikeDeclaration, args: readonly ts.Expression[], env: Env): Env {
    const inner: Env = new Map();
    fn.parameters.forEach((param, i) => {
      const arg = args[i];
      if (!arg || !ts.isIdentifier(param.name)) return;
      const sym = this.ctx.checker.getSymbolAtLocation(param.name);
      if (sym) inner.set(sym, { expr: arg, env });
    });
    return inner;
  }

  private bindingOf(id: ts.Identifier, env: Env): { expr: ts.Expression; env: Env } | undefined {
    const sym = this.ctx.checker.getSymbolAtLocation(id);
    return sym ? env.get(sym) : undefined;
  }

  /**
   * What a receiver of `close()`/`stop()`/`terminate()` is: one of the servers (by symbol), a
   * server we cannot tie to one start (`any`), or not a server (undefined: a pool, a cache…).
   */
  targetOf(receiver: ts.Expression, env: Env, depth: number, member = 'close'): CloseTarget | undefined {
    const { checker, provenance } = this.ctx;
    if (depth > MAX_DEPTH + 4) return undefined;
    const e = skipOuterAndAwait(receiver);
    if (ts.isIdentifier(e)) {
      const bound = this.bindingOf(e, env);
      if (bound) return this.targetOf(bound.expr, bound.env, depth + 1, member);
    }
    const sym = ts.isIdentifier(e) || (ts.isPropertyAccessExpression(e) && (e.expression.kind === ts.SyntaxKind.ThisKeyword || ts.isIdentifier(e.expression))) ? resolvedSymbol(checker, e) : undefined;
    if (sym && this.serverSymbols.has(sym)) return { symbol: sym };
    const p = provenance.of(e);
    const terminator = p && lifecycleLibraryOf(p.module)?.shutdown?.terminator;
    if (terminator) {
      // createHttpTerminator({ server }).terminate(): the server it was given.
      if (member !== terminator.member) return undefined;
      const creation = creationCallOf(checker, e);
      const opts = creation && creation.arguments && creation.arguments[0];
      const server = opts ? objectProperty(checker, opts, terminator.serverOption) : undefined;
      return (server && this.targetOf(server, env, depth + 1)) ?? 'any';
    }
    const value = classifyExpression(provenance, checker, e);
    if (value) return value.role === 'app' || value.role === 'server' ? 'any' : undefined;
    if (p) return undefined; // a package's object that is not a server (a pool, a client)
    if (TERMINATOR_MEMBERS.has(member)) return undefined;
    return isOpaque(checker, e, sym) ? 'any' : undefined;
  }
}

/**
 * A receiver we know nothing about (an untyped parameter, an `any`): it could be the server, so a
 * `close()` on it counts. A receiver that is something else we can see (`new Cache()`) does not.
 */
function isOpaque(checker: ts.TypeChecker, e: ts.Expression, sym: ts.Symbol | undefined): boolean {
  if (!sym) return !ts.isCallExpression(e) && !ts.isNewExpression(e);
  const decls = sym.declarations ?? [];
  if (decls.length === 0) return true;
  return decls.every((d) => {
    if (ts.isParameter(d) || ts.isPropertyDeclaration(d) || ts.isPropertySignature(d) || ts.isVariableDeclaration(d)) {
      const initializer = 'initializer' in d ? (d as { initializer?: ts.Expression }).initializer : undefined;
      if (initializer && !isNullish(initializer)) return false;
      if (!d.type) return true;
      return d.type.kind === ts.SyntaxKind.AnyKeyword || d.type.kind === ts.SyntaxKind.UnknownKeyword;
    }
    return false;
  }) || isAnyTyped(checker, e);
}

function isNullish(e: ts.Expression): boolean {
  const u = skipOuterAndAwait(e);
  return u.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(u) && u.text === 'undefined');
}

function isAnyTyped(checker: ts.TypeChecker, e: ts.Expression): boolean {
  try {
    return (checker.getTypeAtLocation(e).flags & ts.TypeFlags.Any) !== 0 && !!resolvedSymbol(checker, e)?.declarations?.some((d) => ts.isParameter(d));
  } catch {
    return false;
  }
}

const membersCache = new WeakMap<ts.SourceFile, Map<string, Array<ts.ObjectLiteralExpression | ts.ClassLikeDeclaration>>>();

/** Object literals and classes of a file that declare a member `name`, indexed once per file version. */
function membersNamed(sf: ts.SourceFile, name: string): Array<ts.ObjectLiteralExpression | ts.ClassLikeDeclaration> {
  let index = membersCache.get(sf);
  if (!index) {
    const map = new Map<string, Array<ts.ObjectLiteralExpression | ts.ClassLikeDeclaration>>();
    const add = (key: string, holder: ts.ObjectLiteralExpression | ts.ClassLikeDeclaration) => {
      const list = map.get(key);
      if (!list) map.set(key, [holder]);
      else if (list[list.length - 1] !== holder) list.push(holder);
    };
    const visit = (n: ts.Node): void => {
      if (ts.isObjectLiteralExpression(n)) {
        for (const p of n.properties) if (p.name && ts.isIdentifier(p.name)) add(p.name.text, n);
      } else if (ts.isClassLike(n) && n.heritageClauses?.length) {
        for (const m of n.members) if (ts.isMethodDeclaration(m) && m.name && ts.isIdentifier(m.name)) add(m.name.text, n);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    membersCache.set(sf, (index = map));
  }
  return index.get(name) ?? [];
}
