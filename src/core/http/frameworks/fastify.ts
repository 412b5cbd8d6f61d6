import type { FrameworkDescriptor } from './types';

/** Fastify: `fastify()`, `Fastify()`, `import { fastify }`, the type `FastifyInstance`. */
export const fastify = {
  id: 'fastify',
  displayName: 'Fastify',
  packages: ['fastify'],
  values: [
    { modules: ['fastify'], path: ['()'], role: 'app' },
    { modules: ['fastify'], path: ['fastify', '()'], role: 'app' },
    { modules: ['fastify'], path: ['FastifyInstance', '()'], role: 'app' },
  ],
  types: [{ modules: ['fastify'], names: ['FastifyInstance'], role: 'app' }],
  chainable: new Set(['register', 'addHook', 'decorate', 'decorateRequest', 'decorateReply', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all', 'route', 'setErrorHandler', 'setNotFoundHandler', 'withTypeProvider', 'addContentTypeParser']),
  // `app.server` is its Node server.
  member: (role, name, called) => (!called && role === 'app' && name === 'server' ? 'server' : undefined),
} satisfies FrameworkDescriptor;
