import type { FrameworkDescriptor } from './types';
import { LIVE_COMMENT, READY_COMMENT } from './templates';

/**
 * Restify: `restify.createServer()` (the type `Server` of @types/restify). Its server routes
 * requests like an app (`server.get('/x', h)`, `server.del`, `server.use(plugin)`), and its
 * `listen()` returns the Node server it wraps (`server.server`).
 */
export const restify = {
  id: 'restify',
  displayName: 'Restify',
  packages: ['restify'],
  values: [{ modules: ['restify'], path: ['createServer', '()'], role: 'app' }],
  types: [{ modules: ['restify'], names: ['Server'], role: 'app' }],
  // `use`, `pre` and `param` return the server; the verb methods return the route they mount.
  chainable: new Set(['use', 'pre', 'param']),
  routes: {
    methods: new Set(['get', 'head']),
    stateChanging: { methods: new Set(['post', 'put', 'patch', 'del']) },
    // `server.get({ path: '/healthz', version: '1.0.0' }, h)`: versioned routes take an options object.
    methodOptions: { pathProps: ['path', 'url'] },
    // `server.use(handler)`: middleware only (restify has no mounted routers), which may answer a probe path itself.
    mount: 'use',
    // A middleware answering probes compares `req.getPath()` / `req.path()`.
    requestPathMethods: ['getPath', 'path'],
  },
  fixes: {
    health: {
      kind: 'routes',
      // Callback handlers that call `next()`: restify ≥ 9 refuses an `async` handler that takes
      // `next`, and restify 8 never finishes one that does not; this shape runs on both.
      template: (app, live, ready, check) => [
        LIVE_COMMENT,
        `${app}.get('${live}', (_req, res, next) => {`,
        "  res.send(200, { status: 'ok' });",
        '  next();',
        '});',
        ...(ready
          ? [
              READY_COMMENT,
              `${app}.get('${ready}', (_req, res, next) => {`,
              ...(check.expr
                ? [
                    `  ${check.expr}.then(`,
                    '    () => {',
                    "      res.send(200, { status: 'ok' });",
                    '      next();',
                    '    },',
                    '    () => {',
                    "      res.send(503, { status: 'unavailable' });",
                    '      next();',
                    '    },',
                    '  );',
                  ]
                : [...check.notes.map((l) => '  ' + l), "  res.send(200, { status: 'ok' });", '  next();']),
              '});',
            ]
          : []),
      ],
    },
    // `server.listen()` returns the Node server; its `close(cb)` reports when in-flight requests are done.
    shutdown: 'server-close',
  },
  // `server.server` is the Node server it wraps.
  member: (role, name, called) => (!called && role === 'app' && name === 'server' ? 'server' : undefined),
} satisfies FrameworkDescriptor;
