// Over 400 lines on purpose: every way a process can stop (signal handlers, terminus/lightship/
// close-with-grace, Nest hooks) is recognised here against one model of a shutdown path; splitting it
// per library waits for probe/shutdown descriptors (src/core/http/frameworks/ holds the frameworks).
import ts from 'typescript';
import type { ProvenanceResolver } from '../ts/provenance';
import { candidatesOf } from './fileIndex';
import { classifyExpression, FRAMEWORK_IDS, FRAMEWORKS, type FrameworkDescriptor } from './frameworks';
import { objectProperty } from './objects';
import { creationCallOf, type ServerStart } from './servers';
import { isTestSource } from '../project/testFiles';
import { rootName, skipOuterAndAwait } from '../ts/expressions';
import { functionOf, isGlobalProcess, resolvedSymbol, stringValues } from '../ts/symbols';
import { importsOf } from '../ts/syntax';
import { lifecycleLibraryOf, REGISTRAR_MEMBERS, SHUTDOWN_CALL_PACKAGES, TERMINATOR_MEMBERS } from './lifecycle';

/**
 * SIGTERM paths: what runs when the orchestrator asks the process to stop, and
 * whether it closes the HTTP server.
 *
 * - `process.on/once('SIGTERM', handler)`: the handler is followed into the
 *   functions it calls (any file, any depth, arguments bound to parameters) to
 *   see whether it reaches `server.close()`/`app.close()`/`server.stop()`, or an
 *   http-terminator's `terminate()`, and whether it calls `process.exit()`.
 * - Libraries that register the handler for you (by import provenance):
 *   close-with-grace, lightship `registerShutdownHandler`, exit-hook,
 *   async-exit-hook, node-graceful-shutdown.
 * - Libraries that close the server they are given: @godaddy/terminus
 *   `createTerminus(server)`, http-graceful-shutdown, fastify-graceful-shutdown,
 *   NestJS `app.enableShutdownHooks()`.
 * - A handler that calls an interface method (`service.stop()`) is followed into
 *   the project's implementations of it: classes that implement the interface, and
 *   functions given for that member in object literals typed by it.
 *
 * The libraries are described in `./lifecycle/` (a `shutdown` slot per library): to recognise
 * another one, add its descriptor there.
 */
export interface ShutdownPath {
  /** How the path was found, for messages: `process.on('SIGTERM')`, `close-with-grace`… */
  via: string;
  /** The registration, for related information. */
  node: ts.Node;
  /** Signals it handles; `all` for libraries that handle the usual termination signals. */
  signals: Set<string> | 'all';
  /** The servers it closes: a specific one (by symbol) or `any` where the receiver could be any server. */
  closes: CloseTarget[];
  /** It calls `process.exit()`. */
  exits: boolean;
}

/** A server by symbol, any server, or the servers a framework's app starts (`enableShutdownHooks` closes Nest's own, not a provider's). */
export type CloseTarget = { symbol: ts.Symbol } | { framework: string } | 'any';

export interface ShutdownScanContext {
  checker: ts.TypeChecker;
  provenance: ProvenanceResolver;
  root: string;
  /** Project files, to find the implementations of an interface method a handler calls. */
  files?: readonly ts.SourceFile[];
  /** Implementations found so far in this run, by interface member. */
  implementations?: Map<ts.Symbol, ts.FunctionLikeDeclaration[]>;
}

const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
/** Member names that stop a server: `server.close()`, `app.close()` (Fastify, NestJS), `server.stop()`, `terminator.terminate()`. */
const CLOSE_MEMBERS = new Set(['close', 'stop', ...TERMINATOR_MEMBERS]);
const MAX_DEPTH = 8;
/** Calls that enable a framework's shutdown hooks (`enableShutdownHooks`), from the descriptors. */
const SHUTDOWN_HOOK_CALLS = new Set(FRAMEWORK_IDS.flatMap((id) => ((FRAMEWORKS[id] as FrameworkDescriptor).shutdownHooks ? [(FRAMEWORKS[id] as FrameworkDescriptor).shutdownHooks!.enable] : [])));

export function findShutdownPaths(scan: ShutdownScanContext, files: readonly ts.SourceFile[], servers: readonly ServerStart[]): ShutdownPath[] {
  const ctx: ShutdownScanContext = { ...scan, files, implementations: new Map() };
  const serverSymbols = new Set<ts.Symbol>();
  for (const s of servers) for (const sym of s.symbols) serverSymbols.add(sym);
  const out: ShutdownPath[] = [];
  for (const sf of files) {
    if (sf.isDeclarationFile || isTestSource(ctx.root, sf)) continue;
    // Names this file imports from shutdown libraries; calls through other names are not theirs.
    const libraryNames = libraryNamesOf(sf);
    const { methodCalls, importedCalls } = candidatesOf(sf);
    const calls = libraryNames.size === 0 ? methodCalls : [...new Set([...methodCalls, ...importedCalls.filter((c) => libraryNames.has(rootName(c.expression) ?? ''))])].sort((a, b) => a.pos - b.pos);
    for (const call of calls) {
      const path = registrationOf(ctx, call, serverSymbols, libraryNames);
      if (path) out.push(path);
    }
  }
  return out;
}

/** True when the path closes this server (by name, or through a receiver that could be any server). */
export function closesServer(path: ShutdownPath, server: ServerStart): boolean {
  return path.closes.some((t) => t === 'any' || ('symbol' in t ? server.symbols.has(t.symbol) : server.framework === t.framework));
}

export function handlesSignal(path: ShutdownPath, signal: string): boolean {
  return path.signals === 'all' || path.signals.has(signal);
}

function registrationOf(ctx: ShutdownScanContext, call: ts.CallExpression, serverSymbols: Set<ts.Symbol>, libraryNames: ReadonlySet<string>): ShutdownPath | undefined {
  const { checker, provenance } = ctx;
  const callee = call.expression;
  // process.on('SIGTERM', handler)
  if (ts.isPropertyAccessExpression(callee) && LISTEN_METHODS.has(callee.name.text) && call.arguments.length >= 2 && isProcessName(callee.expression) && isGlobalProcess(checker, callee.expression)) {
    const signals = signalValues(checker, call.arguments[0]);
    const reach = new Reach(ctx, serverSymbols);
    reach.walkValue(call.arguments[1], new Map(), 0);
    const label = signals === 'all' ? 'a signal' : [...signals].join('/');
    return { via: `process.${callee.name.text}('${label}')`, node: call, signals, closes: reach.closes, exits: reach.exits };
  }
  // NestJS `app.enableShutdownHooks()`: SIGTERM closes the app and runs its providers' lifecycle methods.
  if (ts.isPropertyAccessExpression(callee) && SHUTDOWN_HOOK_CALLS.has(callee.name.text)) {
    const value = classifyExpression(provenance, checker, callee.expression);
    const hooks = value ? (FRAMEWORKS[value.framework] as FrameworkDescriptor).shutdownHooks : undefined;
    if (value && hooks?.enable === callee.name.text) {
      const reach = new Reach(ctx, serverSymbols);
      const found = reach.targetOf(callee.expression, new Map(), 0);
      const target: CloseTarget = !found || found === 'any' ? { framework: value.framework } : found;
      // A server a provider starts itself (a worker's health server) and closes in `onModuleDestroy()`.
      for (const method of hooks.lifecycleMethods) reach.walkLifecycleMethods(method);
      return { via: `app.${callee.name.text}()`, node: call, signals: 'all', closes: [target, ...reach.closes], exits: false };
    }
  }
  // fastify.register(require('fastify-graceful-shutdown'))
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'register' && call.arguments.length > 0) {
    const plugin = provenance.of(skipOuterAndAwait(call.arguments[0]));
    if (plugin && lifecycleLibraryOf(plugin.module)?.shutdown?.closesRegisteringInstance) {
      const value = classifyExpression(provenance, checker, callee.expression);
      if (value?.framework === 'fastify') {
        const target = new Reach(ctx, serverSymbols).targetOf(callee.expression, new Map(), 0) ?? 'any';
        return { via: plugin.module, node: call, signals: 'all', closes: [target], exits: true };
      }
    }
  }
  // Library calls: through a name the file imports from one, or a member that registers a handler (lightship's `registerShutdownHandler`).
  const root = rootName(callee);
  const isMemberRegistrar = ts.isPropertyAccessExpression(callee) && REGISTRAR_MEMBERS.has(callee.name.text);
  if (!isMemberRegistrar && (!root || !libraryNames.has(root))) return undefined;
  const p = provenance.of(callee);
  if (!p) return undefined;
  const path = p.path[0] === 'default' ? p.path.slice(1) : p.path;
  const shutdown = lifecycleLibraryOf(p.module)?.shutdown;
  if (!shutdown) return undefined;
  const via = p.module;
  for (const r of shutdown.handlerRegistrars ?? []) {
    if (!samePath(path, r.path)) continue;
    const args = call.arguments;
    const handler = r.handler === 'last' ? args[args.length - 1] : args[r.handler];
    const reach = new Reach(ctx, serverSymbols);
    if (handler) reach.walkValue(handler, new Map(), 0);
    return { via, node: call, signals: 'all', closes: reach.closes, exits: reach.exits };
  }
  for (const c of shutdown.serverClosers ?? []) {
    if (!samePath(path, c.path) || call.arguments.length === 0) continue;
    const target = new Reach(ctx, serverSymbols).targetOf(call.arguments[0], new Map(), 0) ?? 'any';
    return { via, node: call, signals: 'all', closes: [target], exits: true };
  }
  if (shutdown.exitsAfterHandlers && samePath(path, shutdown.exitsAfterHandlers.path)) {
    // It exits after running the registered shutdown handlers; without one that closes the server, requests are cut.
    return { via, node: call, signals: 'all', closes: [], exits: true };
  }
  return undefined;
}

const libraryNamesCache = new WeakMap<ts.SourceFile, Set<string>>();

function libraryNamesOf(sf: ts.SourceFile): Set<string> {
  let names = libraryNamesCache.get(sf);
  if (!names) {
    names = new Set();
    for (const [name, module] of importsOf(sf)) if (SHUTDOWN_CALL_PACKAGES.has(module)) names.add(name);
    libraryNamesCache.set(sf, names);
  }
  return names;
}

function isProcessName(e: ts.Expression): boolean {
  const u = skipOuterAndAwait(e);
  return (ts.isIdentifier(u) && u.text !== 'undefined') || (ts.isPropertyAccessExpression(u) && u.name.text === 'process');
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/**
 * The signals a `process.on(sig, …)` argument names: a literal or constant, or
 * the loop variable of `['SIGINT', 'SIGTERM'].forEach((sig) => …)` /
 * `for (const sig of signals)`. Unknown → `all` (a handler for some signal we cannot name).
 */
function signalValues(checker: ts.TypeChecker, expr: ts.Expression): Set<string> | 'all' {
  const direct = stringValues(checker, expr);
  if (direct.length > 0) return new Set(direct);
  const e = skipOuterAndAwait(expr);
  if (!ts.isIdentifier(e)) return 'all';
  const sym = checker.getSymbolAtLocation(e);
  for (const decl of sym?.declarations ?? []) {
    if (ts.isParameter(decl) && (ts.isArrowFunction(decl.parent) || ts.isFunctionExpression(decl.parent))) {
      const fn = decl.parent;
      const call = fn.parent;
      if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'forEach' && fn.parameters[0] === decl) {
        const vals = listValues(checker, call.expression.expression);
        if (vals.length > 0) return new Set(vals);
      }
    }
    if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && ts.isForOfStatement(decl.parent.parent)) {
      const vals = listValues(checker, decl.parent.parent.expression);
      if (vals.length > 0) return new Set(vals);
    }
  }
  return 'all';
}

/** A list's string values, also through a parameter's default: `run(signals = ['SIGINT', 'SIGTERM'])`. */
function listValues(checker: ts.TypeChecker, expr: ts.Expression): string[] {
  const direct = stringValues(checker, expr);
  if (direct.length > 0) return direct;
  const e = skipOuterAndAwait(expr);
  const decl = ts.isIdentifier(e) ? checker.getSymbolAtLocation(e)?.valueDeclaration : undefined;
  return decl && ts.isParameter(decl) && decl.initializer ? stringValues(checker, decl.initializer) : [];
}

type Env = Map<ts.Symbol, { expr: ts.Expression; env: Env }>;

/** Follows a handler through the code it reaches, collecting server closes and process exits. */
class Reach {
  readonly closes: CloseTarget[] = [];
  exits = false;
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
      ts.forEachChild(n, visit);
    };
    visit(root);
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
