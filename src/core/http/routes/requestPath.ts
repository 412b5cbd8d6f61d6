import ts from 'typescript';
import { methodCall, skipOuterAndAwait } from '../../ts/expressions';
import { FRAMEWORKS, type FrameworkDescriptor } from '../frameworks/registry';

/** Names a request's path goes by in a handler that routes by hand. */
const REQUEST_PATH_NAMES = new Set(['url', 'path', 'pathname', 'originalUrl', 'routerPath', 'routeOptions']);

/** `req.getPath()`: request methods that return the path, from the framework descriptors (`routes.requestPathMethods`). */
const REQUEST_PATH_METHODS = new Set((Object.values(FRAMEWORKS) as FrameworkDescriptor[]).flatMap((d) => d.routes.requestPathMethods ?? []));

/** `req.url`, `ctx.path`, `request.raw.url`, `url.pathname`, `req.getPath()`, or a variable named `pathname`/`url`/`path`. */
export function isRequestPath(expr: ts.Expression): boolean {
  let e = skipOuterAndAwait(expr);
  // `req.url?.split('?')[0]`, `new URL(req.url).pathname`: look at the outermost name.
  if (ts.isElementAccessExpression(e)) e = skipOuterAndAwait(e.expression);
  if (ts.isCallExpression(e)) {
    const m = methodCall(e);
    if (m && (m.name === 'split' || m.name === 'toLowerCase' || m.name === 'replace')) return isRequestPath(m.receiver);
    return !!m && e.arguments.length === 0 && REQUEST_PATH_METHODS.has(m.name);
  }
  if (ts.isPropertyAccessExpression(e)) return REQUEST_PATH_NAMES.has(e.name.text);
  if (ts.isIdentifier(e)) return e.text === 'pathname' || e.text === 'url' || e.text === 'path';
  return false;
}
