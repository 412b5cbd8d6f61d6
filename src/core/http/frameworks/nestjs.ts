import type { FrameworkDescriptor } from './types';

/** NestJS: `NestFactory.create()` and the application interfaces. */
export const nestjs = {
  id: 'nestjs',
  displayName: 'NestJS',
  packages: ['@nestjs/core', '@nestjs/common'],
  values: [
    { modules: ['@nestjs/core'], path: ['NestFactory', 'create', '()'], role: 'app' },
    // A standalone application context (a worker): no HTTP routes of its own, but its shutdown hooks run providers' lifecycle methods.
    { modules: ['@nestjs/core'], path: ['NestFactory', 'createApplicationContext', '()'], role: 'app' },
    { modules: ['@nestjs/common'], path: ['INestApplication', '()'], role: 'app' },
    { modules: ['@nestjs/platform-express'], path: ['NestExpressApplication', '()'], role: 'app' },
    { modules: ['@nestjs/platform-fastify'], path: ['NestFastifyApplication', '()'], role: 'app' },
  ],
  types: [
    { modules: ['@nestjs/common'], names: ['INestApplication'], role: 'app' },
    { modules: ['@nestjs/platform-express'], names: ['NestExpressApplication'], role: 'app' },
    { modules: ['@nestjs/platform-fastify'], names: ['NestFastifyApplication'], role: 'app' },
  ],
  routes: {
    decorators: { modules: ['@nestjs/common', 'routing-controllers'], controllers: ['Controller', 'JsonController'], verbs: ['Get', 'Head', 'All'] },
    stateChanging: { methods: new Set(), decorators: ['Post', 'Put', 'Patch', 'Delete'] },
  },
  // A HealthController file registered in the root module; `enableShutdownHooks()` makes SIGTERM run `app.close()`.
  fixes: { health: { kind: 'controller' }, shutdown: 'shutdown-hooks' },
  shutdownHooks: { enable: 'enableShutdownHooks', lifecycleMethods: ['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'] },
  member: (role, name, called) => (called && (role === 'app' || role === 'router') && name === 'getHttpServer' ? 'server' : undefined),
} satisfies FrameworkDescriptor;
