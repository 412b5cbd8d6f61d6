import type { FrameworkDescriptor } from './types';

/** Koa: `new Koa()` (the type `Koa` is the same export), @koa/router. */
export const koa = {
  id: 'koa',
  displayName: 'Koa',
  packages: ['koa', '@koa/router', 'koa-router'],
  values: [
    { modules: ['koa'], path: ['()'], role: 'app' },
    { modules: ['@koa/router', 'koa-router'], path: ['()'], role: 'router' },
    { modules: ['@koa/router', 'koa-router'], path: ['Router', '()'], role: 'router' },
  ],
  types: [
    { modules: ['koa'], names: ['Application'], role: 'app' },
    { modules: ['@koa/router', 'koa-router'], names: ['Router', 'RouterInstance'], role: 'router' },
  ],
  chainable: new Set(['use', 'get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options', 'prefix', 'param', 'redirect']),
  // `app.callback()` is a request listener for `http.createServer`; `router.routes()` a middleware.
  member: (role, name, called) => {
    if (!called) return undefined;
    if (role === 'app' && name === 'callback') return 'koa-callback';
    if (role === 'router' && (name === 'routes' || name === 'middleware')) return 'koa-routes';
    return undefined;
  },
} satisfies FrameworkDescriptor;
