import ts from 'typescript';
import type { LifecycleLibraryDescriptor } from './types';

/** @godaddy/terminus: `createTerminus(server, { healthChecks: { '/healthz': check } })` serves the probes and closes the server on SIGTERM. */
export const terminus = {
  id: 'terminus',
  displayName: '@godaddy/terminus',
  packages: ['@godaddy/terminus'],
  probes: {
    call: {
      path: ['createTerminus'],
      routes: (call, read) => {
        const options = call.arguments[1];
        const checks = options ? read.property(options, 'healthChecks') : undefined;
        const literal = checks ? objectLiteral(checks) : undefined;
        const out = [];
        for (const prop of literal?.properties ?? []) {
          const name = prop.name && (ts.isStringLiteral(prop.name) || ts.isIdentifier(prop.name) || ts.isNoSubstitutionTemplateLiteral(prop.name)) ? prop.name.text : undefined;
          if (name && name.startsWith('/')) out.push({ path: name, node: prop });
        }
        return out;
      },
    },
  },
  shutdown: { serverClosers: [{ path: ['createTerminus'] }], returnsServer: [{ path: ['createTerminus'] }] },
} satisfies LifecycleLibraryDescriptor;

function objectLiteral(e: ts.Expression): ts.ObjectLiteralExpression | undefined {
  let u = e;
  while (ts.isParenthesizedExpression(u) || ts.isAsExpression(u) || ts.isSatisfiesExpression(u)) u = u.expression;
  return ts.isObjectLiteralExpression(u) ? u : undefined;
}
