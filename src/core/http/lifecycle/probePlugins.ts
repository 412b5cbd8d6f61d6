import ts from 'typescript';
import type { LifecycleLibraryDescriptor, ProbeReader } from './types';

/** A plugin that serves `path`, or the path its option `option` names. */
function fixedProbe(path: string, option?: string) {
  return (options: ts.Expression | undefined, read: ProbeReader): string[] => {
    const custom = option && options ? read.property(options, option) : undefined;
    return [(custom && read.strings(custom)[0]) ?? path];
  };
}

/** fastify-healthcheck: `/health`, or `healthcheckUrl`. */
export const fastifyHealthcheck = {
  id: 'fastify-healthcheck',
  displayName: 'fastify-healthcheck',
  packages: ['fastify-healthcheck'],
  probes: { asPlugin: fixedProbe('/health', 'healthcheckUrl') },
} satisfies LifecycleLibraryDescriptor;

/** express-actuator: `/health` (and /info, /metrics). */
export const expressActuator = {
  id: 'express-actuator',
  displayName: 'express-actuator',
  packages: ['express-actuator'],
  probes: { asPlugin: fixedProbe('/health') },
} satisfies LifecycleLibraryDescriptor;

/** express-healthcheck: mounted as the handler of a path, served at `/health` by convention. */
export const expressHealthcheck = {
  id: 'express-healthcheck',
  displayName: 'express-healthcheck',
  packages: ['express-healthcheck'],
  probes: { asPlugin: fixedProbe('/health') },
} satisfies LifecycleLibraryDescriptor;

/** @fastify/under-pressure: a status route only with `exposeStatusRoute` (`/status`, a string, or `{ url }`). */
export const underPressure = {
  id: 'under-pressure',
  displayName: '@fastify/under-pressure',
  packages: ['@fastify/under-pressure', 'under-pressure'],
  probes: {
    asPlugin: (options, read) => {
      const expose = options ? read.property(options, 'exposeStatusRoute') : undefined;
      if (!expose) return [];
      let e = expose;
      while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) e = e.expression;
      if (e.kind === ts.SyntaxKind.FalseKeyword) return [];
      const url = ts.isObjectLiteralExpression(e) ? read.property(e, 'url') : undefined;
      return [read.strings(e)[0] ?? (url ? read.strings(url)[0] : undefined) ?? '/status'];
    },
  },
} satisfies LifecycleLibraryDescriptor;
