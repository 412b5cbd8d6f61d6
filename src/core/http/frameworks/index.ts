/** HTTP frameworks: the registry of descriptors (`./registry.ts`, one file each) and the classifier of framework values. */
export * from './registry';
export { classifyExpression, classifyProvenance, type HttpValue } from './classify';
