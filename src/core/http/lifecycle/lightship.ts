import type { LifecycleLibraryDescriptor } from './types';

/** Lightship: its own probe server (/health, /live, /ready on port 9000); exits on SIGTERM after the registered shutdown handlers. */
export const lightship = {
  id: 'lightship',
  displayName: 'Lightship',
  packages: ['lightship'],
  probes: {
    call: {
      path: ['createLightship'],
      routes: (call) => ['/health', '/live', '/ready', '/livez', '/readyz', '/healthz'].map((path) => ({ path, node: call })),
    },
  },
  shutdown: {
    handlerRegistrars: [{ path: ['createLightship', '()', 'registerShutdownHandler'], handler: 0 }],
    // Without a registered handler that closes the server, requests are cut.
    exitsAfterHandlers: { path: ['createLightship'] },
  },
} satisfies LifecycleLibraryDescriptor;
