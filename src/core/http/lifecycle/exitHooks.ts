import type { LifecycleLibraryDescriptor } from './types';

/** exit-hook (`exitHook(fn)`, `asyncExitHook(fn)`): runs the handler on the termination signals. */
export const exitHook = {
  id: 'exit-hook',
  displayName: 'exit-hook',
  packages: ['exit-hook'],
  shutdown: { handlerRegistrars: [{ path: [], handler: 0 }, { path: ['asyncExitHook'], handler: 0 }] },
} satisfies LifecycleLibraryDescriptor;

/** async-exit-hook: `exitHook(fn)`. */
export const asyncExitHook = {
  id: 'async-exit-hook',
  displayName: 'async-exit-hook',
  packages: ['async-exit-hook'],
  shutdown: { handlerRegistrars: [{ path: [], handler: 0 }] },
} satisfies LifecycleLibraryDescriptor;

/** node-graceful-shutdown: `onShutdown(name?, deps?, fn)`. */
export const nodeGracefulShutdown = {
  id: 'node-graceful-shutdown',
  displayName: 'node-graceful-shutdown',
  packages: ['node-graceful-shutdown'],
  shutdown: { handlerRegistrars: [{ path: ['onShutdown'], handler: 'last' }] },
} satisfies LifecycleLibraryDescriptor;
