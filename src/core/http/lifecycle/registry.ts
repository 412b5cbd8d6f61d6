import type { LifecycleLibraryDescriptor } from './types';
import { terminus } from './terminus';
import { lightship } from './lightship';
import { closeWithGrace } from './closeWithGrace';
import { asyncExitHook, exitHook, nodeGracefulShutdown } from './exitHooks';
import { fastifyGracefulShutdown, httpGracefulShutdown, httpTerminator, stoppable } from './serverClosers';
import { expressActuator, expressHealthcheck, fastifyHealthcheck, underPressure } from './probePlugins';

/**
 * Probe and shutdown libraries by id: the only package → library table for them. To add one,
 * describe it (a `LifecycleLibraryDescriptor`) and add its line here.
 */
export const LIFECYCLE_LIBRARIES = {
  terminus,
  lightship,
  'close-with-grace': closeWithGrace,
  'exit-hook': exitHook,
  'async-exit-hook': asyncExitHook,
  'node-graceful-shutdown': nodeGracefulShutdown,
  'http-graceful-shutdown': httpGracefulShutdown,
  'http-terminator': httpTerminator,
  stoppable,
  'fastify-graceful-shutdown': fastifyGracefulShutdown,
  'fastify-healthcheck': fastifyHealthcheck,
  'express-actuator': expressActuator,
  'express-healthcheck': expressHealthcheck,
  'under-pressure': underPressure,
} satisfies Record<string, LifecycleLibraryDescriptor>;

export type LifecycleLibrary = keyof typeof LIFECYCLE_LIBRARIES;

const ALL: readonly LifecycleLibraryDescriptor[] = Object.values(LIFECYCLE_LIBRARIES);
const BY_PACKAGE = new Map<string, LifecycleLibraryDescriptor>(ALL.flatMap((d) => d.packages.map((p) => [p, d] as const)));

/** The library a package (an import's module) belongs to. */
export function lifecycleLibraryOf(pkg: string): LifecycleLibraryDescriptor | undefined {
  return BY_PACKAGE.get(pkg);
}

/** Packages of libraries whose calls declare probes (`createTerminus`, `createLightship`). */
export const PROBE_CALL_PACKAGES: ReadonlySet<string> = new Set(ALL.filter((d) => d.probes?.call).flatMap((d) => d.packages));

/** Packages of libraries whose calls register or run shutdown handlers. */
export const SHUTDOWN_CALL_PACKAGES: ReadonlySet<string> = new Set(
  ALL.filter((d) => d.shutdown && (d.shutdown.handlerRegistrars || d.shutdown.serverClosers || d.shutdown.exitsAfterHandlers)).flatMap((d) => d.packages),
);

/** Members that register a shutdown handler on a library's object (`lightship.registerShutdownHandler(fn)`). */
export const REGISTRAR_MEMBERS: ReadonlySet<string> = new Set(
  ALL.flatMap((d) => d.shutdown?.handlerRegistrars ?? []).filter((r) => r.path.length > 1).map((r) => r.path[r.path.length - 1]),
);

/** Members of terminator objects that close their server (`terminator.terminate()`). */
export const TERMINATOR_MEMBERS: ReadonlySet<string> = new Set(ALL.flatMap((d) => (d.shutdown?.terminator ? [d.shutdown.terminator.member] : [])));

export type { LifecycleLibraryDescriptor, ProbeReader, ProbeRoute } from './types';
