/** Probe and shutdown libraries: the registry of descriptors (`./registry.ts`, one file or a few small ones each). */
export * from './registry';
