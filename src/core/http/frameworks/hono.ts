import type { FrameworkDescriptor } from './types';

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
} satisfies FrameworkDescriptor;
