import ts from 'typescript';
import type { Framework } from '../project/project';
import type { ProvenanceResolver } from '../ts/provenance';
import { isUncalledServeHelper } from './libraryHelpers';
import { lifecycleLibraryOf } from './lifecycle';
import { classifyExpression, type HttpValue } from './frameworks';
import { candidatesOf } from './fileIndex';
import { isTestSource } from '../project/testFiles';
import { methodCall, outerParent, rootName, skipOuterAndAwait } from '../ts/expressions';
import { identitySymbol } from '../ts/symbols';
import { importsOf } from '../ts/syntax';

/** Where an HTTP server is started: `app.listen(...)`, `serve({ fetch: app.fetch })`, `http.createServer(h).listen()`. */
export interface ServerStart {
  /** The framework that routes requests (express for `http.createServer(expressApp)`). */
  framework: Framework;
  /** The listen/serve call. */
  call: ts.CallExpression;
  sourceFile: ts.SourceFile;
  /** `listen` on an app or server, or `serve()` of @hono/node-server. */
  kind: 'listen' | 'serve';
  /** The receiver of `listen` (an app, or a Node server); undefined for `serve()`. */
  receiver?: ts.Expression;
  /** The application object routes are registered on, when it can be named (`app`). */
  app?: ts.Expression;
  /** The Node request handler function, for a plain `http.createServer((req, res) => …)`. */
  handler?: ts.Expression;
  /** Whatever the started server is assigned to (`const server = app.listen()`), if anything. */
  capturedAs?: ts.Expression;
  /** Symbols that name this server or its app, to match `x.close()` calls and shutdown libraries. */
  symbols: Set<ts.Symbol>;
}

export interface ServerScanContext {
  checker: ts.TypeChecker;
  provenance: ProvenanceResolver;
  root: string;
  /** Every project file, to tell an exported serve helper nothing calls (see `./libraryHelpers.ts`); without it every start counts. */
  projectFiles?: readonly ts.SourceFile[];
}

/** Finds server starts in the given files, skipping test files. */
export function findServerStarts(ctx: ServerScanContext, files: readonly ts.SourceFile[]): ServerStart[] {
  const out: ServerStart[] = [];
  for (const sf of files) {
    if (sf.isDeclarationFile || isTestSource(ctx.root, sf)) continue;
    const { methodCalls, importedCalls } = candidatesOf(sf);
    const imports = importsOf(sf);
    const calls = [
      ...methodCalls.filter((c) => methodCall(c)?.name === 'listen'),
      ...importedCalls.filter((c) => imports.get(rootName(c.expression) ?? '') === '@hono/node-server'),
    ].sort((a, b) => a.pos - b.pos);
    for (const call of calls) {
      const start = serverStartOf(ctx, call, sf);
      if (start && !(ctx.projectFiles && isUncalledServeHelper(start, ctx.checker, ctx.projectFiles, ctx.root))) out.push(start);
    }
  }
  return out;
}

function serverStartOf(ctx: ServerScanContext, call: ts.CallExpression, sf: ts.SourceFile): ServerStart | undefined {
  const { checker, provenance } = ctx;
  const m = methodCall(call);
  if (m && m.name === 'listen') {
    const value = classifyExpression(provenance, checker, passThrough(ctx, m.receiver));
    if (!value) return undefined;
    if (value.role === 'app' && value.framework !== 'hono') {
      return build(ctx, call, sf, 'listen', value.framework, m.receiver, m.receiver, undefined);
    }
    if (value.role === 'server') {
      // A Node server: what does it serve? `http.createServer(app)` / `createServer(app.callback())` / `(req, res) => …`.
      const served = servedBy(ctx, m.receiver);
      return build(ctx, call, sf, 'listen', served.framework ?? value.framework, m.receiver, served.app, served.handler);
    }
    return undefined;
  }
  const callee = provenance.of(call.expression);
  if (callee && callee.module === '@hono/node-server' && (callee.path.join('.') === 'serve' || callee.path.join('.') === 'createAdaptorServer')) {
    const app = honoAppOf(call.arguments[0]);
    const start = build(ctx, call, sf, 'serve', 'hono', undefined, app, undefined);
    return start;
  }
  return undefined;
}

function build(ctx: ServerScanContext, call: ts.CallExpression, sf: ts.SourceFile, kind: ServerStart['kind'], framework: Framework, receiver: ts.Expression | undefined, app: ts.Expression | undefined, handler: ts.Expression | undefined): ServerStart {
  const symbols = new Set<ts.Symbol>();
  const add = (e: ts.Expression | undefined) => {
    if (!e) return;
    const s = identitySymbol(ctx.checker, e);
    if (s) symbols.add(s);
  };
  add(receiver);
  add(app);
  const capturedAs = captureOf(call) ?? wrapperCapture(call);
  add(capturedAs);
  if (receiver && kind === 'listen') {
    // `const server = http.createServer(app); server.listen()` — the declaration names the server too.
    const base = skipOuterAndAwait(receiver);
    if (ts.isCallExpression(base)) add(captureOf(base));
  }
  return { framework, call, sourceFile: sf, kind, receiver, app, handler, capturedAs, symbols };
}

/**
 * Wrappers that return the server they are given (the lifecycle descriptors' `returnsServer`):
 * `createTerminus(http.createServer(app), opts).listen(3000)` starts that server.
 */
function passThrough(ctx: ServerScanContext, expr: ts.Expression): ts.Expression {
  const e = skipOuterAndAwait(expr);
  if (!ts.isCallExpression(e) || e.arguments.length === 0) return expr;
  const p = ctx.provenance.of(e.expression);
  const wrappers = p ? lifecycleLibraryOf(p.module)?.shutdown?.returnsServer : undefined;
  if (!p || !wrappers) return expr;
  const path = (p.path[0] === 'default' ? p.path.slice(1) : p.path).join('.');
  return wrappers.some((w) => w.path.join('.') === path) ? e.arguments[0] : expr;
}

/** `const server = stoppable(app.listen(3000))`: the name the wrapped server ends up with. */
function wrapperCapture(call: ts.CallExpression): ts.Expression | undefined {
  const parent = outerParent(call);
  if (ts.isCallExpression(parent) && parent.arguments.some((a) => skipOuterAndAwait(a) === call)) return captureOf(parent);
  return undefined;
}

/** `const server = <call>` / `server = <call>` / `this.server = <call>`: the assigned name. */
export function captureOf(call: ts.Expression): ts.Expression | undefined {
  const parent = outerParent(call);
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right !== call) {
    const left = skipOuterAndAwait(parent.left);
    if (ts.isIdentifier(left) || ts.isPropertyAccessExpression(left)) return left;
  }
  if (ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name;
  return undefined;
}

/** For a Node server, the app or handler it serves. */
function servedBy(ctx: ServerScanContext, serverExpr: ts.Expression): { framework?: Framework; app?: ts.Expression; handler?: ts.Expression } {
  const creation = creationCallOf(ctx.checker, serverExpr);
  if (!creation) return {};
  // createServer([options,] handler): the handler is the last argument.
  const args = creation.arguments ?? [];
  const handler = args.length > 0 ? args[args.length - 1] : undefined;
  if (!handler) return {};
  const value: HttpValue | undefined = classifyExpression(ctx.provenance, ctx.checker, handler);
  if (value && value.role === 'app') return { framework: value.framework, app: handler };
  if (value && value.role === 'koa-callback') {
    const inner = ts.isCallExpression(skipOuterAndAwait(handler)) ? methodCall(skipOuterAndAwait(handler) as ts.CallExpression) : undefined;
    return { framework: 'koa', app: inner?.receiver };
  }
  return { handler };
}

/** The `createServer(...)`/`new Server(...)` call a server expression was made by, in this project. */
export function creationCallOf(checker: ts.TypeChecker, expr: ts.Expression, depth = 0): ts.CallExpression | ts.NewExpression | undefined {
  if (depth > 4) return undefined;
  const e = skipOuterAndAwait(expr);
  if (ts.isCallExpression(e)) {
    const m = methodCall(e);
    // `createServer(h).listen()` / `.on(...)` chains: the creation is the innermost call.
    if (m && (m.name === 'listen' || m.name === 'on' || m.name === 'once')) return creationCallOf(checker, m.receiver, depth + 1);
    return e;
  }
  if (ts.isNewExpression(e)) return e;
  const symbol = identitySymbol(checker, e);
  for (const decl of symbol?.declarations ?? []) {
    if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) return creationCallOf(checker, decl.initializer, depth + 1);
  }
  return undefined;
}

/** `serve({ fetch: app.fetch })`, `serve(app)`, `serve({ fetch: app.fetch.bind(app) })` → `app`. */
function honoAppOf(arg: ts.Expression | undefined): ts.Expression | undefined {
  if (!arg) return undefined;
  const a = skipOuterAndAwait(arg);
  if (ts.isObjectLiteralExpression(a)) {
    for (const prop of a.properties) {
      if (ts.isPropertyAssignment(prop) && ts.isIdentifier(prop.name) && prop.name.text === 'fetch') {
        let v = skipOuterAndAwait(prop.initializer);
        if (ts.isCallExpression(v) && ts.isPropertyAccessExpression(v.expression) && v.expression.name.text === 'bind') v = v.expression.expression;
        if (ts.isPropertyAccessExpression(v) && v.name.text === 'fetch') return v.expression;
      }
      if (ts.isShorthandPropertyAssignment(prop) && prop.name.text === 'fetch') return undefined;
    }
    return undefined;
  }
  return a;
}
