import type { LifecycleLibraryDescriptor } from './types';

/** http-graceful-shutdown: `gracefulShutdown(server, opts)` closes the server on SIGTERM/SIGINT. */
export const httpGracefulShutdown = {
  id: 'http-graceful-shutdown',
  displayName: 'http-graceful-shutdown',
  packages: ['http-graceful-shutdown'],
  shutdown: { serverClosers: [{ path: [] }] },
} satisfies LifecycleLibraryDescriptor;

/** http-terminator: `createHttpTerminator({ server }).terminate()` closes that server (the handler must call it). */
export const httpTerminator = {
  id: 'http-terminator',
  displayName: 'http-terminator',
  packages: ['http-terminator'],
  shutdown: { terminator: { member: 'terminate', serverOption: 'server' } },
} satisfies LifecycleLibraryDescriptor;

/** fastify-graceful-shutdown: a plugin that closes the instance it is registered on. */
export const fastifyGracefulShutdown = {
  id: 'fastify-graceful-shutdown',
  displayName: 'fastify-graceful-shutdown',
  packages: ['fastify-graceful-shutdown'],
  shutdown: { closesRegisteringInstance: true },
} satisfies LifecycleLibraryDescriptor;

/** stoppable: `stoppable(server)` returns that server with a `stop()` that closes it. */
export const stoppable = {
  id: 'stoppable',
  displayName: 'stoppable',
  packages: ['stoppable'],
  shutdown: { returnsServer: [{ path: [] }] },
} satisfies LifecycleLibraryDescriptor;
