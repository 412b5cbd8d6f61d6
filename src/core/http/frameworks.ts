import ts from 'typescript';
import type { Framework } from '../project/project';
import { typeOrigin, type Provenance, type ProvenanceResolver } from '../ts/provenance';
import { resolvedSymbol, unwrap } from './syntax';

/**
 * What an HTTP framework value is, from where it comes (its import provenance):
 * - `app`: an application that routes requests and can be started (`express()`, `new Koa()`,
 *   `Fastify()`, `NestFactory.create()`, `new Hono()`);
 * - `router`: routes that are mounted into an app (`express.Router()`, `new Router()` of @koa/router);
 * - `server`: a started or startable Node HTTP server (`http.createServer()`, `app.listen()`'s
 *   result, @hono/node-server `serve()`).
 *
 * To recognise a new framework, add its package to FRAMEWORK_PACKAGES (project/project.ts) and a
 * `ValueShape` line below: the export path after the package name, `()` for a call or `new`.
 */
export type HttpRole = 'app' | 'router' | 'server' | 'koa-callback' | 'koa-routes';

export interface HttpValue {
  framework: Framework;
  role: HttpRole;
}

interface ValueShape {
  modules: string[];
  /** Export path, leading `default` removed (a CommonJS default import is the module itself). */
  path: string[];
  framework: Framework;
  role: HttpRole;
}

const SHAPES: ValueShape[] = [
  // Express: `express()`, `express.Router()`, and the types `Express`, `Application`, `Router`.
  { modules: ['express'], path: ['()'], framework: 'express', role: 'app' },
  { modules: ['express'], path: ['application', '()'], framework: 'express', role: 'app' },
  { modules: ['express'], path: ['Express', '()'], framework: 'express', role: 'app' },
  { modules: ['express'], path: ['Application', '()'], framework: 'express', role: 'app' },
  { modules: ['express'], path: ['Router', '()'], framework: 'express', role: 'router' },
  { modules: ['express'], path: ['IRouter', '()'], framework: 'express', role: 'router' },
  { modules: ['express-serve-static-core'], path: ['Express', '()'], framework: 'express', role: 'app' },
  { modules: ['express-serve-static-core'], path: ['Router', '()'], framework: 'express', role: 'router' },
  // Koa: `new Koa()` (the type `Koa` is the same export).
  { modules: ['koa'], path: ['()'], framework: 'koa', role: 'app' },
  { modules: ['@koa/router', 'koa-router'], path: ['()'], framework: 'koa', role: 'router' },
  { modules: ['@koa/router', 'koa-router'], path: ['Router', '()'], framework: 'koa', role: 'router' },
  // Fastify: `fastify()`, `Fastify()`, `import { fastify }`, the type `FastifyInstance`.
  { modules: ['fastify'], path: ['()'], framework: 'fastify', role: 'app' },
  { modules: ['fastify'], path: ['fastify', '()'], framework: 'fastify', role: 'app' },
  { modules: ['fastify'], path: ['FastifyInstance', '()'], framework: 'fastify', role: 'app' },
  // NestJS: `NestFactory.create()` and the application interfaces.
  { modules: ['@nestjs/core'], path: ['NestFactory', 'create', '()'], framework: 'nestjs', role: 'app' },
  { modules: ['@nestjs/common'], path: ['INestApplication', '()'], framework: 'nestjs', role: 'app' },
  { modules: ['@nestjs/platform-express'], path: ['NestExpressApplication', '()'], framework: 'nestjs', role: 'app' },
  { modules: ['@nestjs/platform-fastify'], path: ['NestFastifyApplication', '()'], framework: 'nestjs', role: 'app' },
  // Hono: `new Hono()`; on Node it is served by @hono/node-server.
  { modules: ['hono'], path: ['Hono', '()'], framework: 'hono', role: 'app' },
  { modules: ['@hono/zod-openapi'], path: ['OpenAPIHono', '()'], framework: 'hono', role: 'app' },
  { modules: ['@hono/node-server'], path: ['serve', '()'], framework: 'hono', role: 'server' },
  { modules: ['@hono/node-server'], path: ['createAdaptorServer', '()'], framework: 'hono', role: 'server' },
  // node:http, node:https, node:http2.
  { modules: ['http', 'https'], path: ['createServer', '()'], framework: 'node-http', role: 'server' },
  { modules: ['http', 'https'], path: ['Server', '()'], framework: 'node-http', role: 'server' },
  { modules: ['http2'], path: ['createServer', '()'], framework: 'node-http', role: 'server' },
  { modules: ['http2'], path: ['createSecureServer', '()'], framework: 'node-http', role: 'server' },
  { modules: ['http2'], path: ['Http2Server', '()'], framework: 'node-http', role: 'server' },
  { modules: ['http2'], path: ['Http2SecureServer', '()'], framework: 'node-http', role: 'server' },
];

/** Methods that return the object they are called on (or an equivalent one), so `express().use(x)` is still the app. */
const CHAINABLE: Partial<Record<Framework, Set<string>>> = {
  express: new Set(['use', 'get', 'post', 'put', 'patch', 'delete', 'all', 'head', 'options', 'set', 'enable', 'disable', 'engine', 'param']),
  koa: new Set(['use', 'get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options', 'prefix', 'param', 'redirect']),
  fastify: new Set(['register', 'addHook', 'decorate', 'decorateRequest', 'decorateReply', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all', 'route', 'setErrorHandler', 'setNotFoundHandler', 'withTypeProvider', 'addContentTypeParser']),
  hono: new Set(['use', 'get', 'post', 'put', 'patch', 'delete', 'all', 'on', 'options', 'route', 'basePath', 'onError', 'notFound', 'mount', 'openapi', 'doc']),
};

/** Classifies a provenance as a framework value, or undefined. */
export function classifyProvenance(p: Provenance | undefined): HttpValue | undefined {
  if (!p) return undefined;
  const path = p.path[0] === 'default' ? p.path.slice(1) : p.path;
  for (const shape of SHAPES) {
    if (!shape.modules.includes(p.module)) continue;
    if (startsWith(path, shape.path)) {
      const rest = path.slice(shape.path.length);
      const derived = derive(shape.framework, shape.role, rest);
      if (derived) return derived;
    }
  }
  return undefined;
}

/** What calling members on a framework value yields: `app.listen()` is a server, chained routing calls keep the value. */
function derive(framework: Framework, role: HttpRole, rest: string[]): HttpValue | undefined {
  let i = 0;
  let current: HttpValue = { framework, role };
  while (i < rest.length) {
    const name = rest[i];
    const called = rest[i + 1] === '()';
    if (!called) {
      // A property: fastify's `app.server` is its Node server.
      if (framework === 'fastify' && role === 'app' && name === 'server') {
        current = { framework, role: 'server' };
        i += 1;
        continue;
      }
      return undefined;
    }
    if (current.role === 'app' || current.role === 'router') {
      if (name === 'listen' && current.role === 'app') current = { framework, role: 'server' };
      else if (framework === 'nestjs' && name === 'getHttpServer') current = { framework, role: 'server' };
      else if (framework === 'koa' && current.role === 'app' && name === 'callback') current = { framework, role: 'koa-callback' };
      else if (framework === 'koa' && current.role === 'router' && (name === 'routes' || name === 'middleware')) current = { framework, role: 'koa-routes' };
      else if (!CHAINABLE[framework]?.has(name)) return undefined;
    } else if (current.role === 'server') {
      // `http.createServer(h).listen(3000)` returns the server.
      if (name !== 'listen' && name !== 'on' && name !== 'once') return undefined;
    } else return undefined;
    i += 2;
  }
  return current;
}

function startsWith(path: string[], prefix: string[]): boolean {
  if (path.length < prefix.length) return false;
  return prefix.every((s, i) => path[i] === s);
}

/**
 * Classifies an expression: by provenance first; where declarations are installed and the
 * provenance is lost (a parameter typed by an alias, say), by the package its type comes from.
 */
export function classifyExpression(provenance: ProvenanceResolver, checker: ts.TypeChecker, expr: ts.Expression): HttpValue | undefined {
  const e = unwrap(expr);
  const origin = provenance.of(e);
  const byProvenance = classifyProvenance(origin);
  if (byProvenance) return byProvenance;
  const byAnnotation = classifyAnnotation(provenance, checker, e);
  if (byAnnotation) return byAnnotation;
  // Where declarations are installed, what the type says (a server returned by a wrapper package).
  return classifyByType(checker, e);
}

/**
 * `const app: Application = createExpressServer(…)` (routing-controllers), `server: FastifyInstance`
 * set by a helper: the declared type says what the value is when its initializer comes from a
 * package we do not model.
 */
function classifyAnnotation(provenance: ProvenanceResolver, checker: ts.TypeChecker, e: ts.Expression): HttpValue | undefined {
  if (!ts.isIdentifier(e) && !(ts.isPropertyAccessExpression(e) && (e.expression.kind === ts.SyntaxKind.ThisKeyword || ts.isIdentifier(e.expression)))) return undefined;
  const symbol = resolvedSymbol(checker, e);
  for (const decl of symbol?.declarations ?? []) {
    if ((ts.isVariableDeclaration(decl) || ts.isParameter(decl) || ts.isPropertyDeclaration(decl)) && decl.type && !decl.getSourceFile().isDeclarationFile) {
      const v = classifyProvenance(provenance.of(decl.type));
      if (v) return v;
    }
  }
  return undefined;
}

const TYPE_SHAPES: Array<{ modules: string[]; names: string[]; value: HttpValue }> = [
  { modules: ['express-serve-static-core', 'express'], names: ['Express', 'Application'], value: { framework: 'express', role: 'app' } },
  { modules: ['express-serve-static-core', 'express'], names: ['Router'], value: { framework: 'express', role: 'router' } },
  { modules: ['koa'], names: ['Application'], value: { framework: 'koa', role: 'app' } },
  { modules: ['@koa/router', 'koa-router'], names: ['Router', 'RouterInstance'], value: { framework: 'koa', role: 'router' } },
  { modules: ['fastify'], names: ['FastifyInstance'], value: { framework: 'fastify', role: 'app' } },
  { modules: ['@nestjs/common'], names: ['INestApplication'], value: { framework: 'nestjs', role: 'app' } },
  { modules: ['@nestjs/platform-express'], names: ['NestExpressApplication'], value: { framework: 'nestjs', role: 'app' } },
  { modules: ['@nestjs/platform-fastify'], names: ['NestFastifyApplication'], value: { framework: 'nestjs', role: 'app' } },
  { modules: ['hono'], names: ['Hono'], value: { framework: 'hono', role: 'app' } },
  { modules: ['node', 'http', 'https'], names: ['Server'], value: { framework: 'node-http', role: 'server' } },
];

function classifyByType(checker: ts.TypeChecker, expr: ts.Expression): HttpValue | undefined {
  // Cheap exclusions first: literals and functions are never framework objects.
  if (ts.isLiteralExpression(expr) || ts.isFunctionLike(expr) || ts.isObjectLiteralExpression(expr) || ts.isArrayLiteralExpression(expr)) return undefined;
  let origin: ReturnType<typeof typeOrigin>;
  try {
    origin = typeOrigin(checker, expr);
  } catch {
    return undefined;
  }
  if (!origin) return undefined;
  for (const shape of TYPE_SHAPES) {
    if (shape.modules.includes(origin.module) && shape.names.includes(origin.typeName)) {
      // @types/node declares several `Server`s (net, tls, http, https): only the HTTP ones count.
      if (origin.module === 'node' && !declaredInHttpModule(checker, expr)) return undefined;
      return shape.value;
    }
  }
  return undefined;
}

function declaredInHttpModule(checker: ts.TypeChecker, expr: ts.Expression): boolean {
  const symbol = checker.getTypeAtLocation(expr).getSymbol();
  return (symbol?.declarations ?? []).some((d) => /[\\/](http|https|http2)\.d\.ts$/.test(d.getSourceFile().fileName));
}
