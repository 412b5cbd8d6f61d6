import ts from 'typescript';
import { typeOrigin, type Provenance, type ProvenanceResolver } from '../../ts/provenance';
import { resolvedSymbol, unwrap } from '../syntax';
import { FRAMEWORK_IDS, FRAMEWORKS, type Framework } from './registry';
import type { FrameworkDescriptor, HttpRole } from './types';

/**
 * What an HTTP framework value is, from where it comes (its import provenance):
 * - `app`: an application that routes requests and can be started (`express()`, `new Koa()`,
 *   `Fastify()`, `NestFactory.create()`, `new Hono()`);
 * - `router`: routes that are mounted into an app (`express.Router()`, `new Router()` of @koa/router);
 * - `server`: a started or startable Node HTTP server (`http.createServer()`, `app.listen()`'s
 *   result, @hono/node-server `serve()`).
 *
 * The shapes are in each framework's descriptor (`./<id>.ts`).
 */

export interface HttpValue {
  framework: Framework;
  role: HttpRole;
}

/** Classifies a provenance as a framework value, or undefined. */
export function classifyProvenance(p: Provenance | undefined): HttpValue | undefined {
  if (!p) return undefined;
  const path = p.path[0] === 'default' ? p.path.slice(1) : p.path;
  for (const framework of FRAMEWORK_IDS) {
    for (const shape of (FRAMEWORKS[framework] as FrameworkDescriptor).values) {
      if (!shape.modules.includes(p.module) || !startsWith(path, shape.path)) continue;
      const derived = derive(framework, shape.role, path.slice(shape.path.length));
      if (derived) return derived;
    }
  }
  return undefined;
}

/** What calling members on a framework value yields: `app.listen()` is a server, chained routing calls keep the value. */
function derive(framework: Framework, role: HttpRole, rest: string[]): HttpValue | undefined {
  const descriptor: FrameworkDescriptor = FRAMEWORKS[framework];
  let i = 0;
  let current: HttpValue = { framework, role };
  while (i < rest.length) {
    const name = rest[i];
    const called = rest[i + 1] === '()';
    if (!called) {
      // A property: fastify's `app.server` is its Node server.
      const member = descriptor.member?.(current.role, name, false);
      if (!member) return undefined;
      current = { framework, role: member };
      i += 1;
      continue;
    }
    if (current.role === 'app' || current.role === 'router') {
      const member = name === 'listen' && current.role === 'app' ? 'server' : descriptor.member?.(current.role, name, true);
      if (member) current = { framework, role: member };
      else if (!descriptor.chainable?.has(name)) return undefined;
    } else if (current.role === 'server') {
      // `http.createServer(h).listen(3000)` returns the server.
      if (name !== 'listen' && name !== 'on' && name !== 'once') return undefined;
    } else return undefined;
    i += 2;
  }
  return current;
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
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
  for (const framework of FRAMEWORK_IDS) {
    for (const shape of (FRAMEWORKS[framework] as FrameworkDescriptor).types ?? []) {
      if (shape.modules.includes(origin.module) && shape.names.includes(origin.typeName)) {
        // @types/node declares several `Server`s (net, tls, http, https): only the HTTP ones count.
        if (origin.module === 'node' && !declaredInHttpModule(checker, expr)) return undefined;
        return { framework, role: shape.role };
      }
    }
  }
  return undefined;
}

function declaredInHttpModule(checker: ts.TypeChecker, expr: ts.Expression): boolean {
  const symbol = checker.getTypeAtLocation(expr).getSymbol();
  return (symbol?.declarations ?? []).some((d) => /[\\/](http|https|http2)\.d\.ts$/.test(d.getSourceFile().fileName));
}
