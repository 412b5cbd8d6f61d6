/** Route discovery (health routes, and every route for the load tests): the walk over routers and mounts (`./scan.ts`), path matching (`./paths.ts`), file-based routes (`./fileRoutes.ts`). */
export { findHealthRoutes, findRoutes, type HealthRoute, type ProjectRoute, type RouteScanContext } from './scan';
export { matchesHealthPath, normalizePath } from './paths';
export { objectLiteralOf, objectProperty, returnedExpression } from '../objects';
