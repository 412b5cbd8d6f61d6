import ts from 'typescript';
import type { ProvenanceResolver } from '../ts/provenance';
import { candidatesOf } from './fileIndex';
import { classifyExpression, FRAMEWORK_IDS, FRAMEWORKS, type FrameworkDescriptor } from './frameworks';
import type { ServerStart } from './servers';
import { isTestSource } from '../project/testFiles';
import { rootName, skipOuterAndAwait } from '../ts/expressions';
import { isGlobalProcess, stringValues } from '../ts/symbols';
import { importsOf } from '../ts/syntax';
import { lifecycleLibraryOf, REGISTRAR_MEMBERS, SHUTDOWN_CALL_PACKAGES } from './lifecycle';
import { Reach } from './reach';

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
  /** Module-level variables it assigns (a drain flag a readiness route may read). */
  writes?: ReadonlySet<ts.Symbol>;
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
    if (reach.closes.length === 0) reach.walkScopeDisposals(call);
    const label = signals === 'all' ? 'a signal' : [...signals].join('/');
    return { via: `process.${callee.name.text}('${label}')`, node: call, signals, closes: reach.closes, exits: reach.exits, writes: reach.writes };
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

