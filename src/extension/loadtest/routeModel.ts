// The workspace's HTTP routes as the load-test UI uses them: the language server's route list
// (`shipshape/routes`, the analysis the health rule does: mount prefixes, routers passed as
// parameters, NestJS controllers) made relative to the folder. Pure (no `vscode`).

import type { WorkspaceRoute } from '../../server/routesProtocol';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ALL';

export interface SourceRoute {
  method: RouteMethod;
  /** The full path as far as mounts are known (`/orders/:id`). */
  path: string;
  /** Workspace-relative path with `/`. */
  file: string;
  /** 0-based line of the registration. */
  line: number;
  /** 0-based last line of the registration and its handler. */
  endLine: number;
  /** One of the configured health paths. */
  health: boolean;
}

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ALL']);

/** The server's routes under `folder` (a file path), relative to it; methods the engine cannot send are left out. */
export function routesInFolder(routes: readonly WorkspaceRoute[], folder: string, fileOf: (uri: string) => string | undefined): SourceRoute[] {
  const base = folder.replace(/\\/g, '/').replace(/\/+$/, '') + '/';
  const out: SourceRoute[] = [];
  for (const r of routes) {
    const file = fileOf(r.uri)?.replace(/\\/g, '/');
    if (!file || !file.startsWith(base) || !METHODS.has(r.method)) continue;
    out.push({ method: r.method as RouteMethod, path: r.path, file: file.slice(base.length), line: r.line, endLine: r.endLine, health: r.health });
  }
  return out;
}

/**
 * The requests a new scenario starts with: the health endpoint and the list endpoints (GET routes
 * without parameters), at most `max`. Weights favour the list endpoints: they do the work.
 */
export function scenarioRequestsFrom(routes: readonly SourceRoute[], max = 6): Array<{ name: string; method: 'GET'; path: string; weight: number }> {
  const seen = new Set<string>();
  const out: Array<{ name: string; method: 'GET'; path: string; weight: number }> = [];
  const gets = routes.filter((r) => (r.method === 'GET' || r.method === 'ALL') && !/[:*{(]/.test(r.path));
  const health = gets.filter((r) => r.health);
  const lists = gets.filter((r) => !r.health && r.path !== '/');
  for (const r of [...health.slice(0, 1), ...lists]) {
    if (seen.has(r.path) || out.length >= max) continue;
    seen.add(r.path);
    out.push({ name: requestName(r.path), method: 'GET', path: r.path, weight: r.health ? 1 : 3 });
  }
  return out;
}

/** `/orders/open` → `orders-open`; `/` → `root`. */
export function requestName(path: string): string {
  return path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'root';
}
