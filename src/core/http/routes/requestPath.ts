import ts from 'typescript';
import { methodCall, skipOuterAndAwait } from '../../ts/expressions';

/** Names a request's path goes by in a handler that routes by hand. */
const REQUEST_PATH_NAMES = new Set(['url', 'path', 'pathname', 'originalUrl', 'routerPath', 'routeOptions']);

/** `req.url`, `ctx.path`, `request.raw.url`, `url.pathname`, or a variable named `pathname`/`url`/`path`. */
export function isRequestPath(expr: ts.Expression): boolean {
  let e = skipOuterAndAwait(expr);
  // `req.url?.split('?')[0]`, `new URL(req.url).pathname`: look at the outermost name.
  if (ts.isElementAccessExpression(e)) e = skipOuterAndAwait(e.expression);
  if (ts.isCallExpression(e)) {
    const m = methodCall(e);
    if (m && (m.name === 'split' || m.name === 'toLowerCase' || m.name === 'replace')) return isRequestPath(m.receiver);
    return false;
  }
  if (ts.isPropertyAccessExpression(e)) return REQUEST_PATH_NAMES.has(e.name.text);
  if (ts.isIdentifier(e)) return e.text === 'pathname' || e.text === 'url' || e.text === 'path';
  return false;
}
