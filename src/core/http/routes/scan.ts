// Over 400 lines on purpose: one walk keeps every registration, mount, router parameter and route
// wrapper in one graph (the owners and their prefixes), which the path resolution at the end reads;
// the per-framework and per-library parts are in ../frameworks/ and ../lifecycle/ descriptors.
import ts from 'typescript';
import { nodeIndex } from '../../ts/nodeIndex';
import type { ProvenanceResolver } from '../../ts/provenance';
import { candidatesOf } from '../fileIndex';
import { classifyExpression, FRAMEWORK_IDS, FRAMEWORKS, type FrameworkDescriptor, type HttpValue } from '../frameworks';
import type { RouteRegistration as RouteShapes } from '../frameworks/types';
import { lifecycleLibraryOf, PROBE_CALL_PACKAGES, type ProbeReader } from '../lifecycle';
import { objectProperty, returnedExpression } from '../objects';
import { methodCall, outerParent, rootName, skipOuterAndAwait } from '../../ts/expressions';
import { functionOf, identitySymbol, resolvedSymbol, stringValues } from '../../ts/symbols';
import { importsOf } from '../../ts/syntax';
import { isTestSource } from '../../project/testFiles';
import { isParameterised, matchesHealthPath, normalizePath } from './paths';
import { fileRoutes } from './fileRoutes';
import { isRequestPath } from './requestPath';
import { functionName, routerParameterOf, type RouterParameter } from './routerParameters';

/**
 * Health-route discovery across every project file: one walk over the project's routers and
 * mounts, asking the framework descriptors (`../frameworks/<id>.ts`, slot `routes`) how each
 * framework registers routes, and the lifecycle descriptors (`../lifecycle/`) which libraries
 * serve probes by themselves.
 *
 * A route is a registration on a framework object (recognised by import
 * provenance, or as a parameter a router is passed to): Express app/Router `.get('/healthz')`, `.route('/health').get()`,
 * `.use('/health', handler)`; Fastify `.get()`/`.route({ url })` (plugins
 * registered with a `prefix` included); @koa/router (its `prefix` option and
 * `router.use(prefix, child.routes())`); Hono (`app.route(prefix, child)`);
 * NestJS (and routing-controllers) `@Controller(path)` + `@Get(path)`. Routers mounted from other files
 * (`app.use('/health', healthRouter)`) add their prefix to the routes inside.
 * Libraries that serve probes count too: @godaddy/terminus `healthChecks`,
 * lightship's probe server, fastify-healthcheck, @fastify/under-pressure's status
 * route, express-actuator. A plain handler that compares the request path
 * (`req.url === '/healthz'`, `ctx.path === '/livez'`, `switch (url.pathname)`)
 * counts too: that is how node:http and Koa middleware route. So do Next.js API routes
 * (`pages/api/health.ts`, `app/api/health/route.ts`) in a Next.js app (`./fileRoutes.ts`).
 */
export interface HealthRoute {
  /** The full path as far as it is known (mount prefixes included). */
  path: string;
  /** The registration, for evidence. */
  node: ts.Node;
  /** How it was recognised (`express`, `nestjs`, `terminus`, `path comparison`…). */
  via: string;
}

/** A route of the project: what `findRoutes` lists (the load-test CodeLens and scenarios). */
export interface ProjectRoute {
  /** `GET`, `POST`, …, or `ALL` when any method is served or the method is chosen at run time. */
  method: string;
  /** The full path as far as it is known (mount prefixes included). */
  path: string;
  /** The registration (`app.get(…)` call, `@Get()` decorator). */
  node: ts.Node;
  /** The registration and its handler (the call, or the decorated method): findings inside it are the route's. */
  handler: ts.Node;
  via: string;
}

export interface RouteScanContext {
  checker: ts.TypeChecker;
  provenance: ProvenanceResolver;
  root: string;
}

type Owner = ts.Symbol | ts.Node;

interface RouteRegistration {
  owner: Owner;
  paths: string[];
  node: ts.Node;
  via: string;
  /** Upper-case HTTP methods (`ALL` for any); `USE` for middleware mounted at a path (a health route, not a listed one). */
  methods: string[];
  /** False for a registration that cannot answer a GET (a route object or method list without GET/HEAD). */
  probe?: false;
  /** The decorated method, when `node` is its decorator. */
  handler?: ts.Node;
  /** For `use(path, child)`: a route only when no child turns out to be a router with routes of its own. */
  unlessRoutesIn?: Owner[];
}

interface Mount {
  parent: Owner;
  child: Owner;
  prefixes: string[];
}

const DESCRIPTORS: ReadonlyArray<readonly [HttpValue['framework'], FrameworkDescriptor]> = FRAMEWORK_IDS.map((id) => [id, FRAMEWORKS[id]]);

function routesOf(framework: HttpValue['framework']): RouteShapes {
  return (FRAMEWORKS[framework] as FrameworkDescriptor).routes;
}

/** Method names worth a provenance lookup: every framework's routing and mounting methods, and `startsWith` on a request path. */
const CANDIDATE_METHODS = new Set<string>(['startsWith']);
for (const [, d] of DESCRIPTORS) {
  const r = d.routes;
  for (const m of [...(r.methods ?? []), r.mount, r.routeChain?.method, r.routeObject?.method, r.methodList, r.childMount, r.plugins?.method]) if (m) CANDIDATE_METHODS.add(m);
}

/** With `findRoutes`: the routes that change state too (`app.post`, `route(p).put`, `@Delete()`). */
const STATE_CHANGING_METHODS = new Set<string>(DESCRIPTORS.flatMap(([, d]) => [...(d.routes.stateChanging?.methods ?? [])]));

/** Every verb a route chain can continue with (`route(p).get(h).post(h)`). */
const ROUTE_VERBS = new Set<string>(DESCRIPTORS.flatMap(([, d]) => [...(d.routes.routeChain?.verbs ?? []), ...(d.routes.stateChanging?.methods ?? [])]));

/** `get` → `GET`, Koa's `del` → `DELETE`. */
function verbOf(method: string): string {
  return method === 'del' ? 'DELETE' : method.toUpperCase();
}

const PREFIX_OPTIONS = [...new Set(DESCRIPTORS.flatMap(([, d]) => (d.routes.ownPrefix?.constructorOption ? [d.routes.ownPrefix.constructorOption] : [])))];
const PREFIX_METHODS = new Set(DESCRIPTORS.flatMap(([, d]) => (d.routes.ownPrefix?.method ? [d.routes.ownPrefix.method] : [])));

/** Every health route in the project (test files excluded) that matches `healthPaths`. */
export function findHealthRoutes(ctx: RouteScanContext, files: readonly ts.SourceFile[], healthPaths: readonly string[]): HealthRoute[] {
  const { scan, sources } = walk(ctx, files, false);
  const routes = scan.healthRoutes(healthPaths);
  for (const r of fileRoutes(ctx.root, sources)) {
    if (r.methods.some((m) => m === 'ALL' || m === 'GET' || m === 'HEAD') && matchesHealthPath(r.path, healthPaths)) routes.push(r);
  }
  return routes;
}

/**
 * Every route of the project (test files excluded), by method and full path, in file order:
 * the same walk as the health routes, with the routes that change state too. Middleware mounted
 * at a path (`app.use('/docs', …)`) and path comparisons in hand-written handlers are not listed.
 */
export function findRoutes(ctx: RouteScanContext, files: readonly ts.SourceFile[]): ProjectRoute[] {
  const { scan, sources } = walk(ctx, files, true);
  const routes = scan.routes();
  for (const r of fileRoutes(ctx.root, sources)) for (const method of r.methods) routes.push({ method, path: r.path, node: r.node, handler: r.node, via: r.via });
  const seen = new Set<string>();
  return routes
    .filter((r) => {
      const key = `${r.method} ${r.path} ${r.node.getSourceFile().fileName}:${r.node.pos}`;
      return !seen.has(key) && seen.add(key);
    })
    .sort((a, b) => a.node.getSourceFile().fileName.localeCompare(b.node.getSourceFile().fileName) || a.node.getStart() - b.node.getStart() || a.node.getEnd() - b.node.getEnd() || a.path.localeCompare(b.path));
}

function walk(ctx: RouteScanContext, files: readonly ts.SourceFile[], allMethods: boolean): { scan: RouteScan; sources: ts.SourceFile[] } {
  const scan = new RouteScan(ctx, allMethods);
  const sources = files.filter((sf) => !sf.isDeclarationFile && !isTestSource(ctx.root, sf));
  for (const sf of sources) scan.collectPlugins(sf);
  for (const sf of sources) scan.collect(sf);
  scan.bindRouterParameters(sources);
  scan.followWrappers(sources);
  return { scan, sources };
}

/** Where a route wrapper takes its path: parameter `param`, or its property `prop` (`route({ path })`). */
interface PathParameter {
  param: number;
  prop?: string;
  /** The methods the wrapper registers (`ALL` when it picks one at run time). */
  methods: string[];
}

class RouteScan {
  private readonly registrations: RouteRegistration[] = [];
  private readonly mounts: Mount[] = [];
  private readonly direct: HealthRoute[] = [];
  /** Fastify plugin instances (the first parameter of a registered plugin) and hand-routed owners. */
  private readonly pluginParams = new Map<ts.Symbol, HttpValue>();
  private readonly ownPrefix = new Map<Owner, string[]>();

  /** `allMethods`: list the routes that change state too (findRoutes), not only those a probe could call. */
  constructor(private readonly ctx: RouteScanContext, private readonly allMethods = false) {}

  private isRouteMethod(shapes: RouteShapes, name: string): boolean {
    return !!shapes.methods?.has(name) || (this.allMethods && !!shapes.stateChanging?.methods.has(name));
  }

  /** First pass: `app.register(plugin, { prefix })` (Fastify) makes `plugin`'s first parameter an instance under `prefix`. */
  collectPlugins(sf: ts.SourceFile): void {
    for (const n of candidatesOf(sf).methodCalls) {
      const m = methodCall(n);
      if (!m || n.arguments.length === 0) continue;
      const parent = this.classify(m.receiver);
      const plugins = parent?.role === 'app' ? routesOf(parent.framework).plugins : undefined;
      if (!parent || !plugins || plugins.method !== m.name) continue;
      const fn = functionOf(this.ctx.checker, unwrapPluginWrapper(this.ctx, n.arguments[0], plugins.wrapperModules));
      const param = fn?.parameters[0];
      const sym = param && ts.isIdentifier(param.name) ? this.ctx.checker.getSymbolAtLocation(param.name) : undefined;
      if (!sym) continue;
      this.pluginParams.set(sym, { framework: parent.framework, role: 'app' });
      const opts = n.arguments[1];
      const prefixes = opts ? objectProperty(this.ctx.checker, opts, plugins.prefixOption) : undefined;
      this.mounts.push({ parent: this.ownerOf(m.receiver), child: sym, prefixes: prefixes ? stringValues(this.ctx.checker, prefixes) : [''] });
    }
  }

  collect(sf: ts.SourceFile): void {
    const c = candidatesOf(sf);
    for (const call of c.methodCalls) this.onCall(call);
    // The syntactic pre-filter holds what a probe could call; the other verbs are looked up here only when asked for.
    if (this.allMethods) for (const call of callsNamed(sf, STATE_CHANGING_METHODS)) if (ts.isPropertyAccessExpression(call.expression)) this.onCall(call);
    if (importsProbeLibrary(sf)) for (const call of c.importedCalls) this.onLibraryCall(call);

    for (const cls of c.decoratedClasses) this.onClass(cls);
    for (const bin of c.pathComparisons) this.onComparison(bin);
    for (const st of c.pathSwitches) this.onSwitch(st);
  }

  private classify(expr: ts.Expression): HttpValue | undefined {
    const e = skipOuterAndAwait(expr);
    const v = classifyExpression(this.ctx.provenance, this.ctx.checker, e);
    if (v) return v;
    if (ts.isIdentifier(e)) {
      const sym = this.ctx.checker.getSymbolAtLocation(e);
      if (sym) return this.pluginParams.get(sym);
    }
    // A chained registration: `app.get(...).get(...)`, `new Hono().basePath('/api')`.
    if (ts.isCallExpression(e)) {
      const m = methodCall(e);
      if (m) {
        const inner = this.classify(m.receiver);
        if (inner && (inner.role === 'app' || inner.role === 'router')) return inner;
      }
    }
    return undefined;
  }

  /** The identity routes hang off: a symbol where the object is named, else the node itself. */
  private ownerOf(expr: ts.Expression): Owner {
    let e = skipOuterAndAwait(expr);
    // `app.get(...).get(...)` and `router.route('/x').get()`: the chain's base.
    while (ts.isCallExpression(e)) {
      const m = methodCall(e);
      if (!m) break;
      e = skipOuterAndAwait(m.receiver);
    }
    const named = identitySymbol(this.ctx.checker, e);
    if (named) return named;
    // `const health = new Hono().get(...)`: the chain's value is named by the variable it initialises.
    let top: ts.Node = expr;
    while (top.parent && ((ts.isPropertyAccessExpression(top.parent) && top.parent.expression === top) || (ts.isCallExpression(top.parent) && top.parent.expression === top))) top = top.parent;
    const holder = outerParent(top);
    if (holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) {
      const sym = resolvedSymbol(this.ctx.checker, holder.name);
      if (sym) return sym;
    }
    return e;
  }

  /** The owner a mounted child denotes: `healthRouter`, `health.routes()`, `createHealthRouter()`, `fp(plugin)`. */
  private childOwner(expr: ts.Expression, depth = 0): Owner | undefined {
    const e = skipOuterAndAwait(expr);
    if (depth > 3) return undefined;
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
      const sym = identitySymbol(this.ctx.checker, e);
      if (sym) return sym;
    }
    if (ts.isCallExpression(e)) {
      const m = methodCall(e);
      if (m && (m.name === 'routes' || m.name === 'middleware')) return this.childOwner(m.receiver, depth + 1);
      // A project function that builds and returns the router.
      const fn = functionOf(this.ctx.checker, e.expression);
      if (fn?.body) {
        const returned = returnedExpression(fn);
        if (returned) return this.childOwner(returned, depth + 1);
      }
    }
    if (ts.isNewExpression(e) || ts.isCallExpression(e)) return e;
    return undefined;
  }

  private onCall(call: ts.CallExpression): void {
    const { checker } = this.ctx;
    const m = methodCall(call);
    if (m && (CANDIDATE_METHODS.has(m.name) || (this.allMethods && STATE_CHANGING_METHODS.has(m.name)))) {
      // `router.route('/health').get(handler)` (Express), also after other verbs: `.route('/:id').put(h).delete(h)`.
      let inner = skipOuterAndAwait(m.receiver);
      for (let im = ts.isCallExpression(inner) ? methodCall(inner) : undefined; im && ROUTE_VERBS.has(im.name); im = ts.isCallExpression(inner) ? methodCall(inner) : undefined) {
        inner = skipOuterAndAwait(im.receiver);
      }
      if (ts.isCallExpression(inner)) {
        const im = methodCall(inner);
        if (im && inner.arguments.length === 1) {
          const base = this.classify(im.receiver);
          const chain = base ? routesOf(base.framework).routeChain : undefined;
          if (base && chain && chain.method === im.name && (chain.verbs.has(m.name) || (this.allMethods && routesOf(base.framework).stateChanging?.methods.has(m.name)))) {
            this.registrations.push({ owner: this.ownerOf(im.receiver), paths: stringValues(checker, inner.arguments[0]), node: call, via: base.framework, methods: [verbOf(m.name)] });
            return;
          }
        }
      }
      const value = this.classify(m.receiver);
      if (value && (value.role === 'app' || value.role === 'router')) {
        const shapes = routesOf(value.framework);
        if ((this.isRouteMethod(shapes, m.name) || shapes.mount === m.name) && call.arguments.length > 0) this.noteWrapper(call, call.arguments[0], [shapes.mount === m.name ? 'USE' : verbOf(m.name)]);
        this.onFrameworkCall(call, m.receiver, m.name, value);
        // `(router: Router) => router.get('/status')`: the type says it is a router, its callers which one (and its mount prefix).
        this.noteRouterParameter(undefined, m.receiver);
        return;
      }
      // `router.get('/status', …)` on a router this function is given: its callers say which one.
      if (!value && m.name !== 'startsWith') this.noteRouterParameter(call, m.receiver);
      if (m.name === 'startsWith' && isRequestPath(m.receiver) && call.arguments.length > 0) {
        for (const p of stringValues(checker, call.arguments[0])) this.direct.push({ path: p, node: call, via: 'path comparison' });
      }
      return;
    }
    // `this.app[options.method](options.path, …)`: a route whose method is chosen at run time.
    const callee = call.expression;
    if (ts.isElementAccessExpression(callee) && !ts.isStringLiteralLike(callee.argumentExpression) && call.arguments.length > 0) {
      const value = this.classify(callee.expression);
      if (value && (value.role === 'app' || value.role === 'router')) this.noteWrapper(call, call.arguments[0], ['ALL']);
    }
  }

  /** Routing calls on a name a function receives, by that name's symbol, until its callers are known. */
  private readonly openParameters = new Map<ts.Symbol, { param: RouterParameter; calls: ts.CallExpression[] }>();
  private readonly boundParameters = new Set<ts.Symbol>();

  /** `call` is undefined when the receiver is already known to be a router (by its declared type) and only its callers' mounts are missing. */
  private noteRouterParameter(call: ts.CallExpression | undefined, receiver: ts.Expression): void {
    const e = skipOuterAndAwait(receiver);
    if (!ts.isIdentifier(e)) return;
    const sym = this.ctx.checker.getSymbolAtLocation(e);
    const decl = sym?.valueDeclaration ?? sym?.declarations?.[0];
    const param = decl ? routerParameterOf(decl) : undefined;
    if (!sym || !param) return;
    if (this.boundParameters.has(sym)) return;
    const open = this.openParameters.get(sym) ?? { param, calls: [] };
    if (call) open.calls.push(call);
    this.openParameters.set(sym, open);
  }

  /**
   * A function that registers routes on a router it is given (`export default function
   * statusRoutes(...[router]: RouterInitArgs<T>) { router.get('/status', …) }`): its callers'
   * arguments say which router, and the router's mount prefix applies to the routes. Callers are
   * found by the function's name, as for route wrappers; a router passed on through another such
   * function is followed for a few rounds.
   */
  bindRouterParameters(files: readonly ts.SourceFile[]): void {
    const { checker } = this.ctx;
    for (let round = 0; round < 3 && this.openParameters.size > 0; round++) {
      const byName = new Map<string, Array<[ts.Symbol, RouterParameter]>>();
      for (const [sym, { param }] of this.openParameters) {
        const name = functionName(param.fn);
        if (name) byName.set(name, [...(byName.get(name) ?? []), [sym, param]]);
      }
      const bound: ts.Symbol[] = [];
      for (const sf of files) {
        for (const call of callsNamed(sf, new Set(byName.keys()))) {
          const callee = skipOuterAndAwait(call.expression);
          const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
          const fn = functionOf(checker, call.expression);
          for (const [sym, param] of byName.get(name) ?? []) {
            if (fn !== param.fn) continue;
            let arg: ts.Expression | undefined = call.arguments[param.index];
            if (arg && param.prop) arg = objectProperty(checker, arg, param.prop);
            const value = arg ? this.classify(arg) : undefined;
            if (!arg || !value || (value.role !== 'app' && value.role !== 'router')) continue;
            if (!this.pluginParams.has(sym)) this.pluginParams.set(sym, value);
            this.mounts.push({ parent: this.ownerOf(arg), child: sym, prefixes: [''] });
            if (!bound.includes(sym)) bound.push(sym);
          }
        }
      }
      if (bound.length === 0) break;
      for (const sym of bound) {
        const open = this.openParameters.get(sym);
        this.openParameters.delete(sym);
        this.boundParameters.add(sym);
        for (const call of open?.calls ?? []) this.onCall(call);
      }
    }
  }

  /**
   * A project function that registers a route with a path it is given (`use(path, router) {
   * this.app.use(path, router) }`, `route(options) { this.app[options.method](options.path, …) }`)
   * is a route wrapper: its callers' path arguments are routes.
   */
  private readonly wrappers = new Map<ts.FunctionLikeDeclaration, PathParameter[]>();

  private noteWrapper(call: ts.Node, pathArg: ts.Expression, methods: string[]): boolean {
    const p = skipOuterAndAwait(pathArg);
    let name: ts.Identifier | undefined;
    let prop: string | undefined;
    if (ts.isIdentifier(p)) name = p;
    else if (ts.isPropertyAccessExpression(p) && ts.isIdentifier(p.expression)) {
      name = p.expression;
      prop = p.name.text;
    }
    if (!name) return false;
    const decl = this.ctx.checker.getSymbolAtLocation(name)?.valueDeclaration;
    if (!decl || !ts.isParameter(decl) || !ts.isFunctionLike(decl.parent)) return false;
    const fn = decl.parent as ts.FunctionLikeDeclaration;
    if (!isWithin(call, fn)) return false;
    const spec: PathParameter = { param: fn.parameters.indexOf(decl), prop, methods };
    const list = this.wrappers.get(fn) ?? [];
    if (list.some((w) => w.param === spec.param && w.prop === spec.prop)) return false;
    list.push(spec);
    this.wrappers.set(fn, list);
    return true;
  }

  /** Calls of route wrappers, across the project: literal paths are routes, forwarded parameters make more wrappers. */
  followWrappers(files: readonly ts.SourceFile[]): void {
    const { checker } = this.ctx;
    const done = new Set<ts.CallExpression>();
    for (let round = 0; round < 4 && this.wrappers.size > 0; round++) {
      const names = new Set<string>();
      for (const fn of this.wrappers.keys()) if (fn.name && ts.isIdentifier(fn.name)) names.add(fn.name.text);
      let added = false;
      for (const sf of files) {
        for (const call of callsNamed(sf, names)) {
          if (done.has(call)) continue;
          const fn = functionOf(checker, call.expression);
          const specs = fn && this.wrappers.get(fn);
          if (!specs) continue;
          done.add(call);
          for (const spec of specs) {
            let arg: ts.Expression | undefined = call.arguments[spec.param];
            if (arg && spec.prop) arg = objectProperty(checker, arg, spec.prop);
            if (!arg) continue;
            const paths = stringValues(checker, arg);
            if (paths.length > 0) this.registrations.push({ owner: call, paths, node: call, via: 'route wrapper', methods: spec.methods });
            else if (this.noteWrapper(call, arg, spec.methods)) added = true;
          }
        }
      }
      if (!added) break;
    }
  }

  /** Libraries that serve probes, called through a name the file imports from them (`createTerminus`, `createLightship`). */
  private onLibraryCall(call: ts.CallExpression): void {
    const root = rootName(call.expression);
    const module = root ? importsOf(call.getSourceFile()).get(root) : undefined;
    if (!module || !PROBE_CALL_PACKAGES.has(module)) return;
    const p = this.ctx.provenance.of(call.expression);
    const probe = p ? lifecycleLibraryOf(p.module)?.probes?.call : undefined;
    if (!p || !probe) return;
    const path = p.path[0] === 'default' ? p.path.slice(1) : p.path;
    if (path.join('.') !== probe.path.join('.')) return;
    const via = lifecycleLibraryOf(p.module)!.id;
    for (const r of probe.routes(call, this.reader)) this.direct.push({ ...r, via });
  }

  private readonly reader: ProbeReader = {
    property: (expr, name) => objectProperty(this.ctx.checker, expr, name),
    strings: (expr) => stringValues(this.ctx.checker, expr),
  };

  private onFrameworkCall(call: ts.CallExpression, receiver: ts.Expression, method: string, value: HttpValue): void {
    const { checker, provenance } = this.ctx;
    const shapes = routesOf(value.framework);
    const owner = this.ownerOf(receiver);
    const args = call.arguments;
    if (shapes.plugins?.method === method && args.length > 0) {
      // Probe plugins: fastify-healthcheck, @fastify/under-pressure with exposeStatusRoute.
      const plugin = provenance.of(skipOuterAndAwait(args[0]));
      if (plugin) this.onProbePlugin(call, plugin.module, args[1]);
      return;
    }
    if (shapes.routeObject?.method === method && args.length > 0) {
      const { pathProps, methodProp } = shapes.routeObject;
      const url = pathProps.map((prop) => objectProperty(checker, args[0], prop)).find((x) => x !== undefined);
      const verbProp = objectProperty(checker, args[0], methodProp);
      const methods = verbProp ? stringValues(checker, verbProp).map((x) => x.toUpperCase()) : [];
      const probe = methods.length === 0 || methods.some((x) => x === 'GET' || x === 'HEAD');
      if (url && (probe || this.allMethods)) {
        this.registrations.push({ owner, paths: stringValues(checker, url), node: call, via: value.framework, methods: methods.length ? methods : ['ALL'], ...(probe ? {} : { probe: false as const }) });
      }
      return;
    }
    if (shapes.childMount === method && args.length >= 2) {
      const child = this.childOwner(args[1]);
      if (child) this.mounts.push({ parent: owner, child, prefixes: stringValues(checker, args[0]) });
      return;
    }
    if (shapes.methodList === method && args.length >= 2) {
      const methods = stringValues(checker, args[0]).map((x) => x.toUpperCase());
      const probe = methods.includes('GET') || methods.includes('HEAD');
      if (probe || (this.allMethods && methods.length > 0)) this.registrations.push({ owner, paths: stringValues(checker, args[1]), node: call, via: value.framework, methods, ...(probe ? {} : { probe: false as const }) });
      return;
    }
    if (!this.isRouteMethod(shapes, method) && shapes.mount !== method) return;
    if (shapes.methodOptions && method !== shapes.mount && args.length > 0) {
      // `server.get({ path: '/health' }, h)`: the descriptor says where an options object keeps the path.
      const url = shapes.methodOptions.pathProps.map((prop) => objectProperty(checker, args[0], prop)).find((x) => x !== undefined);
      if (url) {
        this.registrations.push({ owner, paths: stringValues(checker, url), node: call, via: value.framework, methods: [verbOf(method)], ...(shapes.methods?.has(method) ? {} : { probe: false as const }) });
        return;
      }
    }
    // Leading string arguments are paths (Koa router also takes a route name first).
    const paths: string[] = [];
    let i = 0;
    for (; i < Math.min(args.length, 2); i++) {
      const vals = stringValues(checker, args[i]);
      if (vals.length === 0) break;
      paths.push(...vals);
    }
    const rest = args.slice(i);
    if (method === shapes.mount) {
      // `use(prefix?, ...children)`: a mounted router or app adds its prefix to its routes; a
      // middleware function (or a package's handler) mounted at a path is a route at that path.
      const prefixes = i > 0 ? paths : [''];
      const children: Owner[] = [];
      let routerChild = false;
      for (const child of rest) {
        const childValue = this.classify(child);
        const childOwner = this.childOwner(child);
        if (childOwner) {
          this.mounts.push({ parent: owner, child: childOwner, prefixes });
          children.push(childOwner);
        }
        if (childValue && childValue.role !== 'server') routerChild = true;
        const plugin = provenance.of(skipOuterAndAwait(child));
        if (plugin) this.onProbePlugin(call, plugin.module, undefined);
      }
      if (i > 0 && rest.length > 0 && !routerChild) this.registrations.push({ owner, paths, node: call, via: value.framework, methods: ['USE'], unlessRoutesIn: children });
      return;
    }
    if (paths.length > 0) this.registrations.push({ owner, paths, node: call, via: value.framework, methods: [verbOf(method)], ...(shapes.methods?.has(method) ? {} : { probe: false as const }) });
  }

  private onProbePlugin(call: ts.CallExpression, module: string, options: ts.Expression | undefined): void {
    const library = lifecycleLibraryOf(module);
    for (const path of library?.probes?.asPlugin?.(options, this.reader) ?? []) this.direct.push({ path, node: call, via: module });
  }

  /** NestJS, routing-controllers: `@Controller('health')` class with `@Get()` / `@Get('live')` handlers. */
  private onClass(cls: ts.ClassDeclaration): void {
    const { checker } = this.ctx;
    for (const [framework, d] of DESCRIPTORS) {
      const shapes = d.routes.decorators;
      if (!shapes) continue;
      const ctrl = this.decorator(cls, shapes.modules, shapes.controllers);
      if (!ctrl) continue;
      const base = controllerPaths(checker, ctrl.call.arguments[0]);
      const verbs = this.allMethods ? [...shapes.verbs, ...(d.routes.stateChanging?.decorators ?? [])] : shapes.verbs;
      for (const member of cls.members) {
        if (!ts.isMethodDeclaration(member)) continue;
        const dec = this.decorator(member, shapes.modules, verbs);
        if (!dec) continue;
        const sub = dec.call.arguments.length > 0 ? stringValues(checker, dec.call.arguments[0]) : [''];
        const probe = shapes.verbs.includes(dec.name);
        this.registrations.push({ owner: member, paths: base.flatMap((b) => sub.map((x) => `${b}/${x}`)), node: dec.call, via: framework, methods: [verbOf(dec.name)], handler: member, ...(probe ? {} : { probe: false as const }) });
      }
      return;
    }
  }

  /** A decorator call named one of `names` (its exported name), imported from one of `modules`. */
  private decorator(node: ts.HasDecorators, modules: readonly string[], names: readonly string[]): { call: ts.CallExpression; name: string } | undefined {
    for (const dec of ts.getDecorators(node) ?? []) {
      const e = dec.expression;
      if (!ts.isCallExpression(e)) continue;
      const p = this.ctx.provenance.of(e.expression);
      const name = p?.path[p.path.length - 1];
      if (p && name && modules.includes(p.module) && names.includes(name)) return { call: e, name };
    }
    return undefined;
  }

  /** `req.url === '/healthz'`, `ctx.path == '/livez'`, `'/readyz' === pathname`. */
  private onComparison(bin: ts.BinaryExpression): void {
    const k = bin.operatorToken.kind;
    if (k !== ts.SyntaxKind.EqualsEqualsEqualsToken && k !== ts.SyntaxKind.EqualsEqualsToken) return;
    const [lit, other] = ts.isStringLiteralLike(bin.right) ? [bin.right, bin.left] : ts.isStringLiteralLike(bin.left) ? [bin.left, bin.right] : [undefined, undefined];
    if (!lit || !other || !lit.text.startsWith('/')) return;
    if (isRequestPath(other)) this.direct.push({ path: lit.text, node: bin, via: 'path comparison' });
  }

  private onSwitch(st: ts.SwitchStatement): void {
    if (!isRequestPath(st.expression)) return;
    for (const clause of st.caseBlock.clauses) {
      if (ts.isCaseClause(clause) && ts.isStringLiteralLike(clause.expression) && clause.expression.text.startsWith('/')) {
        this.direct.push({ path: clause.expression.text, node: clause, via: 'path comparison' });
      }
    }
  }

  private prefixesOf(owner: Owner, depth: number, seen: Set<Owner>): string[] {
    if (depth > 6 || seen.has(owner)) return [''];
    seen.add(owner);
    const own = this.ownPrefixOf(owner);
    const incoming = this.mounts.filter((m) => m.child === owner);
    let out: string[];
    if (incoming.length === 0) out = own;
    else {
      out = [];
      for (const m of incoming) {
        const parents = this.prefixesOf(m.parent, depth + 1, seen);
        const mine = m.prefixes.length > 0 ? m.prefixes : [''];
        for (const pp of parents) for (const mp of mine) for (const o of own) out.push(`${pp}/${mp}/${o}`);
      }
    }
    seen.delete(owner);
    return [...new Set(out)].slice(0, 32);
  }

  /** `new Router({ prefix: '/health' })` (Koa), `new Hono().basePath('/api')`: the descriptors' `ownPrefix`. */
  private ownPrefixOf(owner: Owner): string[] {
    const cached = this.ownPrefix.get(owner);
    if (cached) return cached;
    let result = [''];
    if (!isNode(owner)) {
      for (const decl of owner.declarations ?? []) {
        if (!(ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) || !decl.initializer) continue;
        const init = skipOuterAndAwait(decl.initializer);
        let prefix: ts.Expression | undefined;
        if (ts.isNewExpression(init) && init.arguments && init.arguments.length > 0) {
          const option = PREFIX_OPTIONS.find((o) => objectProperty(this.ctx.checker, init.arguments![0], o));
          prefix = option ? objectProperty(this.ctx.checker, init.arguments[0], option) : undefined;
        } else if (ts.isCallExpression(init)) {
          const m = methodCall(init);
          if (m && PREFIX_METHODS.has(m.name)) prefix = init.arguments[0];
        }
        const vals = prefix ? stringValues(this.ctx.checker, prefix) : [];
        if (vals.length > 0) result = vals;
      }
    }
    this.ownPrefix.set(owner, result);
    return result;
  }

  healthRoutes(healthPaths: readonly string[]): HealthRoute[] {
    const out: HealthRoute[] = [];
    for (const d of this.direct) if (matchesHealthPath(d.path, healthPaths)) out.push(d);
    const parents = new Set<Owner>([...this.registrations.map((r) => r.owner), ...this.mounts.map((m) => m.parent)]);
    for (const r of this.registrations) {
      if (r.probe === false || r.unlessRoutesIn?.some((c) => parents.has(c))) continue;
      const prefixes = this.prefixesOf(r.owner, 0, new Set());
      for (const own of r.paths) {
        const full = prefixes.map((p) => normalizePath(`${p}/${own}`));
        // The route's own path alone stands in when its prefixes cannot be told, never under a
        // resource's parameter (`/orders/:id` + `/status` is that order's status).
        const alone = !prefixes.some(isParameterised) && matchesHealthPath(own, healthPaths) ? normalizePath(own) : undefined;
        const hit = full.find((f) => matchesHealthPath(f, healthPaths)) ?? alone;
        if (hit) {
          out.push({ path: hit, node: r.node, via: r.via });
          break;
        }
      }
    }
    return out;
  }

  /** Every registration by method and full path (one per mount prefix), middleware at a path left out. */
  routes(): ProjectRoute[] {
    const out: ProjectRoute[] = [];
    const parents = new Set<Owner>([...this.registrations.map((r) => r.owner), ...this.mounts.map((m) => m.parent)]);
    for (const r of this.registrations) {
      if (r.methods.includes('USE') || r.unlessRoutesIn?.some((c) => parents.has(c))) continue;
      const prefixes = this.prefixesOf(r.owner, 0, new Set());
      for (const own of r.paths) {
        for (const prefix of prefixes) {
          const path = normalizePath(`${prefix}/${own}`);
          for (const method of r.methods) out.push({ method, path, node: r.node, handler: r.handler ?? r.node, via: r.via });
        }
      }
    }
    return out;
  }
}

function isNode(o: Owner): o is ts.Node {
  return typeof (o as ts.Node).kind === 'number' && typeof (o as ts.Node).pos === 'number';
}

/** Paths of `@Controller('health')`, `@Controller(['a', 'b'])`, `@Controller({ path: 'health' })`, `@Controller()`. */
function controllerPaths(checker: ts.TypeChecker, arg: ts.Expression | undefined): string[] {
  if (!arg) return [''];
  const e = skipOuterAndAwait(arg);
  if (ts.isObjectLiteralExpression(e)) {
    const p = objectProperty(checker, e, 'path');
    return p ? stringValues(checker, p) : [''];
  }
  const vals = stringValues(checker, e);
  return vals.length > 0 ? vals : [''];
}

/** `fp(plugin)` / `fastifyPlugin(plugin, opts)`: the wrapped plugin. */
function unwrapPluginWrapper(ctx: RouteScanContext, expr: ts.Expression, wrapperModules: readonly string[]): ts.Expression {
  const e = skipOuterAndAwait(expr);
  if (ts.isCallExpression(e) && e.arguments.length > 0) {
    const p = ctx.provenance.of(e.expression);
    if (p && wrapperModules.includes(p.module)) return e.arguments[0];
  }
  return e;
}

function isWithin(node: ts.Node, ancestor: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

const callsByName = new WeakMap<ts.Node, Map<string, ts.CallExpression[]>>();

/** Calls in a file by callee name (`f(…)`, `x.f(…)`), indexed once per file version. */
function callsNamed(sf: ts.SourceFile, names: ReadonlySet<string>): ts.CallExpression[] {
  const index = nodeIndex<ts.CallExpression>(callsByName, sf, (n) => {
    if (!ts.isCallExpression(n)) return undefined;
    const c = n.expression;
    const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : undefined;
    return name ? [name, n] : undefined;
  });
  return [...names].flatMap((n) => index.get(n) ?? []);
}

const probeLibraryCache = new WeakMap<ts.SourceFile, boolean>();

/** The file imports a library whose calls declare probes (@godaddy/terminus, lightship). */
function importsProbeLibrary(sf: ts.SourceFile): boolean {
  let v = probeLibraryCache.get(sf);
  if (v === undefined) {
    v = [...importsOf(sf).values()].some((m) => PROBE_CALL_PACKAGES.has(m));
    probeLibraryCache.set(sf, v);
  }
  return v;
}
