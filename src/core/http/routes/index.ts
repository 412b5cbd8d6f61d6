/** Health-route discovery: the walk over routers and mounts (`./scan.ts`), path matching (`./paths.ts`), file-based routes (`./fileRoutes.ts`). */
export { findHealthRoutes, type HealthRoute, type RouteScanContext } from './scan';
export { matchesHealthPath, normalizePath } from './paths';
export { objectLiteralOf, objectProperty, returnedExpression } from '../objects';
