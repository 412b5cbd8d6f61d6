import type { LifecycleLibraryDescriptor } from './types';

/** close-with-grace: `closeWithGrace(opts?, async ({ signal }) => …)` runs the handler on SIGTERM/SIGINT. */
export const closeWithGrace = {
  id: 'close-with-grace',
  displayName: 'close-with-grace',
  packages: ['close-with-grace'],
  shutdown: { handlerRegistrars: [{ path: [], handler: 'last' }] },
} satisfies LifecycleLibraryDescriptor;
