/**
 * The one place the checklist reaches into the analyzers' internals (src/core/ts, src/core/http,
 * src/core/project): what it reuses from them — provenance, server starts, health routes,
 * shutdown paths — is re-exported or wrapped here, so a refactoring of those folders changes
 * this file only.
 */
import ts from 'typescript';
import { DEFAULT_HEALTH_PATHS } from '../../config';
import { findHealthRoutes, matchesHealthPath } from '../../http/routes';
import { findServerStarts } from '../../http/servers';
import { findShutdownPaths } from '../../http/shutdown';
import { dbLibraryOf } from '../../db/libraries';
import { isRelative, packageName, ProvenanceResolver, type Provenance } from '../../ts/provenance';

export { isGlobalProcess } from '../../ts/symbols';
export { isTestFile } from '../../project/testFiles';
export { skipOuterAndAwait as unwrap } from '../../ts/expressions';
/** Which database library a package belongs to (the db descriptors' registry). */
export const dbLibraryOfPackage = (module: string): string | undefined => dbLibraryOf(module);
export { isRelative, packageName, ProvenanceResolver, type Provenance };
export { DEFAULT_HEALTH_PATHS, matchesHealthPath };

export interface HttpScan {
  servers: Array<{ node: ts.Node; framework: string }>;
  /** Routes matching any of the asked paths, with the asked path they match. */
  routes: Array<{ node: ts.Node; path: string; matched: string }>;
  /** SIGTERM handlers found (their registration nodes), for the shutdown deadline. */
  shutdownHandlers: ts.Node[];
}

/** Server starts, routes serving `paths`, and SIGTERM paths, through the rules' own scanners. */
export function scanHttp(checker: ts.TypeChecker, provenance: ProvenanceResolver, root: string, files: readonly ts.SourceFile[], paths: readonly string[]): HttpScan {
  const ctx = { checker, provenance, root, projectFiles: files };
  const starts = findServerStarts(ctx, files);
  const routes = findHealthRoutes(ctx, files, paths).map((r) => ({ node: r.node, path: r.path, matched: matchesHealthPath(r.path, paths) ?? r.path }));
  const shutdown = starts.length > 0 ? findShutdownPaths({ ...ctx, files }, files, starts) : [];
  return {
    servers: starts.map((s) => ({ node: s.call, framework: s.framework })),
    routes,
    shutdownHandlers: shutdown.map((p) => p.node),
  };
}
