import type { FrameworkDescriptor } from './types';
import { LIVE_COMMENT, READY_COMMENT, readinessBody } from './templates';

/** Hono: `new Hono()`; on Node it is served by @hono/node-server. */
export const hono = {
  id: 'hono',
  displayName: 'Hono',
  packages: ['hono', '@hono/node-server'],
  values: [
    { modules: ['hono'], path: ['Hono', '()'], role: 'app' },
    { modules: ['@hono/zod-openapi'], path: ['OpenAPIHono', '()'], role: 'app' },
    { modules: ['@hono/node-server'], path: ['serve', '()'], role: 'server' },
    { modules: ['@hono/node-server'], path: ['createAdaptorServer', '()'], role: 'server' },
  ],
  types: [{ modules: ['hono'], names: ['Hono'], role: 'app' }],
  chainable: new Set(['use', 'get', 'post', 'put', 'patch', 'delete', 'all', 'on', 'options', 'route', 'basePath', 'onError', 'notFound', 'mount', 'openapi', 'doc']),
  routes: {
    methods: new Set(['get', 'head', 'all', 'options']),
    stateChanging: { methods: new Set(['post', 'put', 'patch', 'delete']) },
    mount: 'use',
    methodList: 'on',
    childMount: 'route',
    ownPrefix: { method: 'basePath' },
  },
  fixes: {
    health: {
      kind: 'routes',
      template: (app, live, ready, check) => [
        LIVE_COMMENT,
        `${app}.get('${live}', (c) => c.json({ status: 'ok' }));`,
        ...(ready
          ? [READY_COMMENT, `${app}.get('${ready}', ${check.expr ? 'async ' : ''}(c) => {`, ...readinessBody(check, ["  return c.json({ status: 'ok' });"], ["  return c.json({ status: 'unavailable' }, 503);"]), '});']
          : []),
      ],
    },
    shutdown: 'server-close',
  },
} satisfies FrameworkDescriptor;
