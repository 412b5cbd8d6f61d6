import type { FrameworkDescriptor } from './types';

/** node:http, node:https, node:http2 servers. */
export const nodeHttp = {
  id: 'node-http',
  displayName: '`node:http`',
  packages: ['http', 'https', 'http2'],
  values: [
    { modules: ['http', 'https'], path: ['createServer', '()'], role: 'server' },
    { modules: ['http', 'https'], path: ['Server', '()'], role: 'server' },
    { modules: ['http2'], path: ['createServer', '()'], role: 'server' },
    { modules: ['http2'], path: ['createSecureServer', '()'], role: 'server' },
    { modules: ['http2'], path: ['Http2Server', '()'], role: 'server' },
    { modules: ['http2'], path: ['Http2SecureServer', '()'], role: 'server' },
  ],
  // node:http routes by comparing the request path (found by the generic walk).
  routes: {},
  fixes: { health: { kind: 'handler-branch' }, shutdown: 'server-close' },
  // @types/node declares several `Server`s (net, tls, http, https): the classifier keeps the HTTP ones.
  types: [{ modules: ['node', 'http', 'https'], names: ['Server'], role: 'server' }],
} satisfies FrameworkDescriptor;
