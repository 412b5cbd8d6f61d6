import type { FrameworkDescriptor } from './types';
import { LIVE_COMMENT, READY_COMMENT, readinessBody } from './templates';

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
  routes: {
    methods: new Set(['get', 'head', 'all', 'options']),
    stateChanging: { methods: new Set(['post', 'put', 'patch', 'delete']) },
    routeObject: { method: 'route', pathProps: ['url', 'path'], methodProp: 'method' },
    plugins: { method: 'register', prefixOption: 'prefix', wrapperModules: ['fastify-plugin'] },
  },
  fixes: {
    health: {
      kind: 'routes',
      template: (app, live, ready, check) => [
        LIVE_COMMENT,
        `${app}.get('${live}', async () => ({ status: 'ok' }));`,
        ...(ready
          ? [READY_COMMENT, `${app}.get('${ready}', async (_request, reply) => {`, ...readinessBody(check, ["  return { status: 'ok' };"], ["  return reply.code(503).send({ status: 'unavailable' });"]), '});']
          : []),
      ],
    },
    // `app.close()` drains and runs the onClose hooks.
    shutdown: 'app-close',
  },
  // `app.server` is its Node server.
  member: (role, name, called) => (!called && role === 'app' && name === 'server' ? 'server' : undefined),
} satisfies FrameworkDescriptor;
