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
  routes: {
    methods: new Set(['get', 'head', 'all', 'options']),
    stateChanging: { methods: new Set(['post', 'put', 'patch', 'delete', 'del']) },
    mount: 'use',
    ownPrefix: { constructorOption: 'prefix' },
  },
  fixes: {
    health: {
      kind: 'routes',
      // A middleware ahead of the others answers the probes; no router needed.
      template: (app, live, ready, check) => [
        '// Liveness and readiness probes, answered before the rest of the middleware.',
        `${app}.use(async (ctx, next) => {`,
        `  if (ctx.path === '${live}') {`,
        "    ctx.body = { status: 'ok' };",
        '    return;',
        '  }',
        ...(ready
          ? [
              `  if (ctx.path === '${ready}') {`,
              ...(check.expr
                ? ['    try {', `      await ${check.expr};`, "      ctx.body = { status: 'ok' };", '    } catch {', '      ctx.status = 503;', "      ctx.body = { status: 'unavailable' };", '    }']
                : [...check.notes.map((l) => '    ' + l), "    ctx.body = { status: 'ok' };"]),
              '    return;',
              '  }',
            ]
          : []),
        '  await next();',
        '});',
      ],
    },
    shutdown: 'server-close',
  },
  // `app.callback()` is a request listener for `http.createServer`; `router.routes()` a middleware.
  member: (role, name, called) => {
    if (!called) return undefined;
    if (role === 'app' && name === 'callback') return 'koa-callback';
    if (role === 'router' && (name === 'routes' || name === 'middleware')) return 'koa-routes';
    return undefined;
  },
} satisfies FrameworkDescriptor;
