// Over 400 lines on purpose: route discovery for every framework shares one walk over the project's
// routers and mounts; the per-framework parts are candidates for src/core/http/frameworks/ descriptors.
import ts from 'typescript';
import { nodeIndex } from '../ts/nodeIndex';
import type { ProvenanceResolver } from '../ts/provenance';
import { candidatesOf } from './fileIndex';
import { classifyExpression, type HttpValue } from './frameworks';
import { functionOf, identitySymbol, importsOf, isTestSource, methodCall, outerParent, resolvedSymbol, rootName, stringValues, unwrap } from './syntax';

/**
 * Health-route discovery across every project file.
 *
 * A route is a registration on a framework object (recognised by import
 * provenance): Express app/Router `.get('/healthz')`, `.route('/health').get()`,
 * `.use('/health', handler)`; Fastify `.get()`/`.route({ url })` (plugins
 * registered with a `prefix` included); @koa/router (its `prefix` option and
 * `router.use(prefix, child.routes())`); Hono (`app.route(prefix, child)`);
 * NestJS (and routing-controllers) `@Controller(path)` + `@Get(path)`. Routers mounted from other files
 * (`app.use('/health', healthRouter)`) add their prefix to the routes inside.
 * Libraries that serve probes count too: @godaddy/terminus `healthChecks`,
 * lightship's probe server, fastify-healthcheck, @fastify/under-pressure's status
 * route, express-actuator. A plain handler that compares the request path
 * (`req.url === '/healthz'`, `ctx.path === '/livez'`, `switch (url.pathname)`)
 * counts too: that is how node:http and Koa middleware route.
 */
export interface HealthRoute {
  /** The full path as far as it is known (mount prefixes included). */
  path: string;
  /** The registration, for evidence. */
  node: ts.Node;
  /** How it was recognised (`express`, `nestjs`, `terminus`, `path comparison`…). */
  via: string;
}

export interface RouteScanContext {
  checker: ts.TypeChecker;
  provenance: ProvenanceResolver;
  root: string;
}

/** Normalises a route path: leading slash, no duplicate or trailing slashes. */
export function normalizePath(p: string): string {
  let s = ('/' + p).replace(/\/{2,}/g, '/');
  if (s.length > 1) s = s.replace(/\/+$/, '');
  return s;
}

/**
 * True when `full` serves one of `healthPaths`: the same path, or the same path
 * behind a static prefix (a mount point or a global prefix such as `/api/v1`).
 */
export function matchesHealthPath(full: string, healthPaths: readonly string[]): string | undefined {
  const path = normalizePath(full.split('?')[0]);
  for (const raw of healthPaths) {
    const h = normalizePath(raw);
    if (path === h) return raw;
    if (path.endsWith(h)) {
      const before = path.slice(0, path.length - h.length);
      if (before.length > 0 && !/[:*{(]/.test(before)) return raw;
    }
  }
  return undefined;
}

type Owner = ts.Symbol | ts.Node;

interface RouteRegistration {
  owner: Owner;
  paths: string[];
  node: ts.Node;
  via: string;
  /** For `use(path, child)`: a route only when no child turns out to be a router with routes of its own. */
  unlessRoutesIn?: Owner[];
}

interface Mount {
  parent: Owner;
  child: Owner;
  prefixes: string[];
}

const ROUTE_METHODS: Record<string, Set<string>> = {
  express: new Set(['get', 'head', 'all', 'use', 'options']),
  koa: new Set(['get', 'head', 'all', 'use', 'options']),
  fastify: new Set(['get', 'head', 'all', 'options']),
  hono: new Set(['get', 'head', 'all', 'use', 'options']),
};

/** Method names worth a provenance lookup: routing, mounting, and `startsWith` on a request path. */
const CANDIDATE_METHODS = new Set([...new Set(Object.values(ROUTE_METHODS).flatMap((s) => [...s])), 'route', 'on', 'register', 'startsWith']);

/** Packages whose `@Controller(path)` + `@Get(path)` decorators declare routes. */
const DECORATOR_MODULES = new Set(['@nestjs/common', 'routing-controllers']);

/** Names a request's path goes by in a handler that routes by hand. */
const REQUEST_PATH_NAMES = new Set(['url', 'path', 'pathname', 'originalUrl', 'routerPath', 'routeOptions']);

/** Packages whose registration serves a health route by itself, and the path it serves. */
const PROBE_PLUGINS: Array<{ module: string; path: string; option?: string }> = [
  { module: 'fastify-healthcheck', path: '/health', option: 'healthcheckUrl' },
  { module: 'express-actuator', path: '/health' },
  { module: 'express-healthcheck', path: '/health' },
];

/** Every health route in the project (test files excluded) that matches `healthPaths`. */
export function findHealthRoutes(ctx: RouteScanContext, files: readonly ts.SourceFile[], healthPaths: readonly string[]): HealthRoute[] {
  const scan = new RouteScan(ctx);
  for (const sf of files) {
    if (sf.isDeclarationFile || isTestSource(ctx.root, sf)) continue;
    scan.collectPlugins(sf);
  }
  const sources = files.filter((sf) => !sf.isDeclarationFile && !isTestSource(ctx.root, sf));
  for (const sf of sources) scan.collect(sf);
  scan.followWrappers(sources);
  return scan.healthRoutes(healthPaths);
}

/** Where a route wrapper takes its path: parameter `param`, or its property `prop` (`route({ path })`). */
interface PathParameter {
  param: number;
  prop?: string;
}

class RouteScan {
  private readonly registrations: RouteRegistration[] = [];
  private readonly mounts: Mount[] = [];
  private readonly direct: HealthRoute[] = [];
  /** Fastify plugin instances (the first parameter of a registered plugin) and hand-routed owners. */
  private readonly pluginParams = new Map<ts.Symbol, HttpValue>();
  private readonly ownPrefix = new Map<Owner, string[]>();

  constructor(private readonly ctx: RouteScanContext) {}

  /** First pass: `app.register(plugin, { prefix })` makes `plugin`'s first parameter a Fastify instance. */
  collectPlugins(sf: ts.SourceFile): void {
    for (const n of candidatesOf(sf).methodCalls) {
      {
        const m = methodCall(n);
        if (m && m.name === 'register' && n.arguments.length > 0) {
          const parent = this.classify(m.receiver);
          if (parent?.framework === 'fastify' && parent.role === 'app') {
            const fn = functionOf(this.ctx.checker, unwrapPluginWrapper(this.ctx, n.arguments[0]));
            const param = fn?.parameters[0];
            if (param && ts.isIdentifier(param.name)) {
              const sym = this.ctx.checker.getSymbolAtLocation(param.name);
              if (sym) {
                this.pluginParams.set(sym, { framework: 'fastify', role: 'app' });
                const opts = n.arguments[1];
                const prefixes = opts ? objectProperty(this.ctx.checker, opts, 'prefix') : undefined;
                this.mounts.push({ parent: this.ownerOf(m.receiver), child: sym, prefixes: prefixes ? stringValues(this.ctx.checker, prefixes) : [''] });
              }
            }
          }
        }
      }
    }
  }

  collect(sf: ts.SourceFile): void {
    const c = candidatesOf(sf);
    for (const call of c.methodCalls) this.onCall(call);
    if (importsProbeLibrary(sf)) for (const call of c.importedCalls) this.onLibraryCall(call);
    for (const cls of c.decoratedClasses) this.onClass(cls);
    for (const bin of c.pathComparisons) this.onComparison(bin);
    for (const st of c.pathSwitches) this.onSwitch(st);
  }

  private classify(expr: ts.Expression): HttpValue | undefined {
    const e = unwrap(expr);
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
    let e = unwrap(expr);
    // `app.get(...).get(...)` and `router.route('/x').get()`: the chain's base.
    while (ts.isCallExpression(e)) {
      const m = methodCall(e);
      if (!m) break;
      e = unwrap(m.receiver);
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
    const e = unwrap(expr);
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
    const { checker, provenance } = this.ctx;
    const m = methodCall(call);
    if (m && CANDIDATE_METHODS.has(m.name)) {
      // `router.route('/health').get(handler)` (Express).
      const inner = unwrap(m.receiver);
      if (ts.isCallExpression(inner)) {
        const im = methodCall(inner);
        if (im && im.name === 'route' && inner.arguments.length === 1) {
          const base = this.classify(im.receiver);
          if (base && base.framework === 'express' && (m.name === 'get' || m.name === 'all' || m.name === 'head')) {
            this.registrations.push({ owner: this.ownerOf(im.receiver), paths: stringValues(checker, inner.arguments[0]), node: call, via: 'express' });
            return;
          }
        }
      }
      const value = this.classify(m.receiver);
      if (value && (value.role === 'app' || value.role === 'router')) {
        if (ROUTE_METHODS[value.framework]?.has(m.name) && call.arguments.length > 0) this.noteWrapper(call, call.arguments[0]);
        this.onFrameworkCall(call, m.receiver, m.name, value);
        return;
      }
      if (m.name === 'startsWith' && isRequestPath(m.receiver) && call.arguments.length > 0) {
        for (const p of stringValues(checker, call.arguments[0])) this.direct.push({ path: p, node: call, via: 'path comparison' });
      }
      return;
    }
    // `this.app[options.method](options.path, …)`: a route whose method is chosen at run time.
    const callee = call.expression;
    if (ts.isElementAccessExpression(callee) && !ts.isStringLiteralLike(callee.argumentExpression) && call.arguments.length > 0) {
      const value = this.classify(callee.expression);
      if (value && (value.role === 'app' || value.role === 'router')) this.noteWrapper(call, call.arguments[0]);
    }
  }

  /**
   * A project function that registers a route with a path it is given (`use(path, router) {
   * this.app.use(path, router) }`, `route(options) { this.app[options.method](options.path, …) }`)
   * is a route wrapper: its callers' path arguments are routes.
   */
  private readonly wrappers = new Map<ts.FunctionLikeDeclaration, PathParameter[]>();

  private noteWrapper(call: ts.Node, pathArg: ts.Expression): boolean {
    const p = unwrap(pathArg);
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
    const spec: PathParameter = { param: fn.parameters.indexOf(decl), prop };
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
            if (paths.length > 0) this.registrations.push({ owner: call, paths, node: call, via: 'route wrapper' });
            else if (this.noteWrapper(call, arg)) added = true;
          }
        }
      }
      if (!added) break;
    }
  }

  /** Libraries that serve probes, called through a name the file imports from them. */
  private onLibraryCall(call: ts.CallExpression): void {
    const { checker, provenance } = this.ctx;
    const root = rootName(call.expression);
    const module = root ? importsOf(call.getSourceFile()).get(root) : undefined;
    if (module !== '@godaddy/terminus' && module !== 'lightship') return;
    const p = provenance.of(call.expression);
    if (!p) return;
    const path = p.path[0] === 'default' ? p.path.slice(1) : p.path;
    if (p.module === '@godaddy/terminus' && path.join('.') === 'createTerminus') {
      const options = call.arguments[1];
      const checks = options ? objectProperty(checker, options, 'healthChecks') : undefined;
      const literal = checks ? objectLiteralOf(checker, checks) : undefined;
      for (const prop of literal?.properties ?? []) {
        const name = prop.name && (ts.isStringLiteral(prop.name) || ts.isIdentifier(prop.name) || ts.isNoSubstitutionTemplateLiteral(prop.name)) ? prop.name.text : undefined;
        if (name && name.startsWith('/')) this.direct.push({ path: name, node: prop, via: 'terminus' });
      }
      return;
    }
    if (p.module === 'lightship' && path.join('.') === 'createLightship') {
      // Lightship runs its own probe server (/health, /live, /ready on port 9000).
      for (const probe of ['/health', '/live', '/ready', '/livez', '/readyz', '/healthz']) this.direct.push({ path: probe, node: call, via: 'lightship' });
    }
  }

  private onFrameworkCall(call: ts.CallExpression, receiver: ts.Expression, method: string, value: HttpValue): void {
    const { checker, provenance } = this.ctx;
    const owner = this.ownerOf(receiver);
    const args = call.arguments;
    if (value.framework === 'fastify' && method === 'register' && args.length > 0) {
      // Probe plugins: fastify-healthcheck, @fastify/under-pressure with exposeStatusRoute.
      const plugin = provenance.of(unwrap(args[0]));
      if (plugin) this.onProbePlugin(call, plugin.module, args[1]);
      return;
    }
    if (value.framework === 'fastify' && method === 'route' && args.length > 0) {
      const url = objectProperty(checker, args[0], 'url') ?? objectProperty(checker, args[0], 'path');
      const methodProp = objectProperty(checker, args[0], 'method');
      const methods = methodProp ? stringValues(checker, methodProp).map((s) => s.toUpperCase()) : [];
      if (url && (methods.length === 0 || methods.some((x) => x === 'GET' || x === 'HEAD'))) {
        this.registrations.push({ owner, paths: stringValues(checker, url), node: call, via: 'fastify' });
      }
      return;
    }
    if (value.framework === 'hono' && method === 'route' && args.length >= 2) {
      const child = this.childOwner(args[1]);
      if (child) this.mounts.push({ parent: owner, child, prefixes: stringValues(checker, args[0]) });
      return;
    }
    if (value.framework === 'hono' && method === 'on' && args.length >= 2) {
      const methods = stringValues(checker, args[0]).map((s) => s.toUpperCase());
      if (methods.includes('GET') || methods.includes('HEAD')) this.registrations.push({ owner, paths: stringValues(checker, args[1]), node: call, via: 'hono' });
      return;
    }
    if (!ROUTE_METHODS[value.framework]?.has(method)) return;
    // Leading string arguments are paths (Koa router also takes a route name first).
    const paths: string[] = [];
    let i = 0;
    for (; i < Math.min(args.length, 2); i++) {
      const vals = stringValues(checker, args[i]);
      if (vals.length === 0) break;
      paths.push(...vals);
    }
    const rest = args.slice(i);
    if (method === 'use') {
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
        const plugin = provenance.of(unwrap(child));
        if (plugin) this.onProbePlugin(call, plugin.module, undefined);
      }
      if (i > 0 && rest.length > 0 && !routerChild) this.registrations.push({ owner, paths, node: call, via: value.framework, unlessRoutesIn: children });
      return;
    }
    if (paths.length > 0) this.registrations.push({ owner, paths, node: call, via: value.framework });
  }

  private onProbePlugin(call: ts.CallExpression, module: string, options: ts.Expression | undefined): void {
    const { checker } = this.ctx;
    if (module === '@fastify/under-pressure' || module === 'under-pressure') {
      const expose = options ? objectProperty(checker, options, 'exposeStatusRoute') : undefined;
      if (!expose) return;
      const e = unwrap(expose);
      if (e.kind === ts.SyntaxKind.FalseKeyword) return;
      const custom = stringValues(checker, e);
      const url = ts.isObjectLiteralExpression(e) ? objectProperty(checker, e, 'url') : undefined;
      this.direct.push({ path: custom[0] ?? (url ? stringValues(checker, url)[0] : undefined) ?? '/status', node: call, via: module });
      return;
    }
    for (const probe of PROBE_PLUGINS) {
      if (probe.module !== module) continue;
      const custom = probe.option && options ? objectProperty(checker, options, probe.option) : undefined;
      this.direct.push({ path: (custom && stringValues(checker, custom)[0]) ?? probe.path, node: call, via: module });
    }
  }

  /** NestJS: `@Controller('health')` class with `@Get()` / `@Get('live')` handlers. */
  private onClass(cls: ts.ClassDeclaration): void {
    const ctrl = this.nestDecorator(cls, 'Controller');
    if (!ctrl) return;
    const { checker } = this.ctx;
    const base = controllerPaths(checker, ctrl.arguments[0]);
    for (const member of cls.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      for (const verb of ['Get', 'Head', 'All']) {
        const d = this.nestDecorator(member, verb);
        if (!d) continue;
        const sub = d.arguments.length > 0 ? stringValues(checker, d.arguments[0]) : [''];
        const paths = base.flatMap((b) => sub.map((s) => `${b}/${s}`));
        this.registrations.push({ owner: member, paths, node: d, via: 'nestjs' });
      }
    }
  }

  /** A routing decorator of NestJS, or of routing-controllers (its `JsonController` is a `Controller`). */
  private nestDecorator(node: ts.HasDecorators, name: string): ts.CallExpression | undefined {
    for (const dec of ts.getDecorators(node) ?? []) {
      const e = dec.expression;
      if (!ts.isCallExpression(e)) continue;
      const p = this.ctx.provenance.of(e.expression);
      if (!p || !DECORATOR_MODULES.has(p.module)) continue;
      const last = p.path[p.path.length - 1];
      if (last === name || (name === 'Controller' && p.module === 'routing-controllers' && last === 'JsonController')) return e;
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

  /** `new Router({ prefix: '/health' })` (Koa), `router.prefix('/health')`. */
  private ownPrefixOf(owner: Owner): string[] {
    const cached = this.ownPrefix.get(owner);
    if (cached) return cached;
    let result = [''];
    if (!isNode(owner)) {
      for (const decl of owner.declarations ?? []) {
        if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) {
          const init = unwrap(decl.initializer);
          if (ts.isNewExpression(init) && init.arguments && init.arguments.length > 0) {
            const prefix = objectProperty(this.ctx.checker, init.arguments[0], 'prefix');
            const vals = prefix ? stringValues(this.ctx.checker, prefix) : [];
            if (vals.length > 0) result = vals;
          }
          // Hono `new Hono().basePath('/api')`.
          if (ts.isCallExpression(init)) {
            const m = methodCall(init);
            if (m && m.name === 'basePath') {
              const vals = stringValues(this.ctx.checker, init.arguments[0]);
              if (vals.length > 0) result = vals;
            }
          }
        }
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
      if (r.unlessRoutesIn?.some((c) => parents.has(c))) continue;
      const prefixes = this.prefixesOf(r.owner, 0, new Set());
      for (const own of r.paths) {
        const full = prefixes.map((p) => normalizePath(`${p}/${own}`));
        const hit = full.find((f) => matchesHealthPath(f, healthPaths)) ?? (matchesHealthPath(own, healthPaths) ? normalizePath(own) : undefined);
        if (hit) {
          out.push({ path: hit, node: r.node, via: r.via });
          break;
        }
      }
    }
    return out;
  }
}

function isNode(o: Owner): o is ts.Node {
  return typeof (o as ts.Node).kind === 'number' && typeof (o as ts.Node).pos === 'number';
}

/** `req.url`, `ctx.path`, `request.raw.url`, `url.pathname`, or a variable named `pathname`/`url`/`path`. */
function isRequestPath(expr: ts.Expression): boolean {
  let e = unwrap(expr);
  // `req.url?.split('?')[0]`, `new URL(req.url).pathname`: look at the outermost name.
  if (ts.isElementAccessExpression(e)) e = unwrap(e.expression);
  if (ts.isCallExpression(e)) {
    const m = methodCall(e);
    if (m && (m.name === 'split' || m.name === 'toLowerCase' || m.name === 'replace')) return isRequestPath(m.receiver);
    return false;
  }
  if (ts.isPropertyAccessExpression(e)) return REQUEST_PATH_NAMES.has(e.name.text);
  if (ts.isIdentifier(e)) return e.text === 'pathname' || e.text === 'url' || e.text === 'path';
  return false;
}

/** Paths of `@Controller('health')`, `@Controller(['a', 'b'])`, `@Controller({ path: 'health' })`, `@Controller()`. */
function controllerPaths(checker: ts.TypeChecker, arg: ts.Expression | undefined): string[] {
  if (!arg) return [''];
  const e = unwrap(arg);
  if (ts.isObjectLiteralExpression(e)) {
    const p = objectProperty(checker, e, 'path');
    return p ? stringValues(checker, p) : [''];
  }
  const vals = stringValues(checker, e);
  return vals.length > 0 ? vals : [''];
}

/** A property's value in an object literal (or a const variable initialised to one). */
export function objectProperty(checker: ts.TypeChecker, expr: ts.Expression, name: string): ts.Expression | undefined {
  const literal = objectLiteralOf(checker, expr);
  for (const prop of literal?.properties ?? []) {
    if (ts.isPropertyAssignment(prop) && prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) && prop.name.text === name) return prop.initializer;
    if (ts.isShorthandPropertyAssignment(prop) && prop.name.text === name) return prop.name;
  }
  return undefined;
}

export function objectLiteralOf(checker: ts.TypeChecker, expr: ts.Expression, depth = 0): ts.ObjectLiteralExpression | undefined {
  const e = unwrap(expr);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (depth > 3) return undefined;
  if (ts.isIdentifier(e)) {
    const sym = resolvedSymbol(checker, e);
    for (const decl of sym?.declarations ?? []) {
      if (ts.isVariableDeclaration(decl) && decl.initializer) return objectLiteralOf(checker, decl.initializer, depth + 1);
    }
  }
  return undefined;
}

/** The expression a function returns (the first `return x`, or an expression body). */
export function returnedExpression(fn: ts.FunctionLikeDeclaration): ts.Expression | undefined {
  if (!fn.body) return undefined;
  if (!ts.isBlock(fn.body)) return fn.body;
  let found: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || (ts.isFunctionLike(n) && n !== fn)) return;
    if (ts.isReturnStatement(n) && n.expression) {
      found = n.expression;
      return;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return found;
}

/** `fp(plugin)` / `fastifyPlugin(plugin, opts)`: the wrapped plugin. */
function unwrapPluginWrapper(ctx: RouteScanContext, expr: ts.Expression): ts.Expression {
  const e = unwrap(expr);
  if (ts.isCallExpression(e) && e.arguments.length > 0) {
    const p = ctx.provenance.of(e.expression);
    if (p && p.module === 'fastify-plugin') return e.arguments[0];
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

/** The file imports @godaddy/terminus or lightship (whose calls declare probes). */
function importsProbeLibrary(sf: ts.SourceFile): boolean {
  let v = probeLibraryCache.get(sf);
  if (v === undefined) {
    v = [...importsOf(sf).values()].some((m) => m === '@godaddy/terminus' || m === 'lightship');
    probeLibraryCache.set(sf, v);
  }
  return v;
}
