// HTTP routes of a workspace read from source text, for the "Load test this route" CodeLens and
// for the scenario Shipshape writes from the routes it found. Pure (no `vscode`, no TypeScript
// program): the language server owns type-based analysis, and a CodeLens must answer at once per
// document. A file counts only when it imports an HTTP framework, so `map.get('/x')` in a file
// that does not is never a route. Mount prefixes (`app.use('/orders', ordersRouter)`) are
// followed by the router's name across files; NestJS `@Controller('x')` + `@Get(':id')` too.

import { computeLineStarts, lineOf } from '../../core/suppression';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ALL';

export interface SourceRoute {
  method: RouteMethod;
  /** The full path as far as mounts are known (`/orders/:id`). */
  path: string;
  /** Workspace-relative path with `/`. */
  file: string;
  /** 0-based line of the registration. */
  line: number;
  /** 0-based line where the next registration in the file starts (the handler ends before it). */
  endLine: number;
}

export interface SourceFileText {
  file: string;
  text: string;
}

const FRAMEWORK_IMPORT = /(?:from\s+|require\(\s*)['"](express|fastify|koa|@koa\/router|koa-router|hono|@hono\/[\w-]+|@nestjs\/common|restify|polka|itty-router)['"]/;
const ROUTE_CALL = /\b([A-Za-z_$][\w$]*)\s*\.\s*(get|post|put|patch|delete|head|options|all)\s*\(\s*(['"`])(\/[^'"`$]*)\3/g;
const MOUNT_CALL = /\b([A-Za-z_$][\w$]*)\s*\.\s*(?:use|route|register)\s*\(\s*(['"`])(\/[^'"`$]*)\2\s*,\s*([A-Za-z_$][\w$]*)/g;
const FASTIFY_PREFIX = /\b([A-Za-z_$][\w$]*)\s*\.\s*register\s*\(\s*([A-Za-z_$][\w$]*)\s*,\s*\{[^}]*\bprefix\s*:\s*(['"`])(\/[^'"`$]*)\3/g;
const NEST_CONTROLLER = /@Controller\(\s*(?:(['"`])([^'"`]*)\1)?\s*\)/g;
const NEST_ROUTE = /@(Get|Post|Put|Patch|Delete|Head|Options|All)\(\s*(?:(['"`])([^'"`]*)\2)?\s*\)/g;

export function joinPath(prefix: string, path: string): string {
  const joined = `/${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}

/** Comments blanked out (same length), so commented-out routes are not found and offsets hold. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`\\])\/\/[^\n]*/g, (m, lead: string | undefined) => (lead ?? '') + m.slice((lead ?? '').length).replace(/[^\n]/g, ' '));
}

interface RawRoute {
  receiver?: string;
  method: RouteMethod;
  path: string;
  file: string;
  line: number;
}

/** Every route in `files` (test files are the caller's to leave out), sorted by file and line. */
export function scanRoutes(files: readonly SourceFileText[]): SourceRoute[] {
  const raw: RawRoute[] = [];
  /** Router name → the prefixes it is mounted under (by its parent's name, resolved below). */
  const mounts: Array<{ parent: string; child: string; prefix: string }> = [];
  for (const { file, text: original } of files) {
    if (!FRAMEWORK_IMPORT.test(original)) continue;
    const text = withoutComments(original);
    const starts = computeLineStarts(text);
    for (const m of text.matchAll(ROUTE_CALL)) {
      raw.push({ receiver: m[1], method: m[2].toUpperCase() as RouteMethod, path: m[4], file, line: lineOf(starts, m.index) });
    }
    for (const m of text.matchAll(MOUNT_CALL)) mounts.push({ parent: m[1], child: m[4], prefix: m[3] });
    for (const m of text.matchAll(FASTIFY_PREFIX)) mounts.push({ parent: m[1], child: m[2], prefix: m[4] });
    const controllers = [...text.matchAll(NEST_CONTROLLER)].map((m) => ({ at: m.index, prefix: m[2] ?? '' }));
    for (const m of text.matchAll(NEST_ROUTE)) {
      const owner = controllers.filter((c) => c.at < m.index).at(-1);
      if (!owner) continue;
      raw.push({ method: m[1].toUpperCase() as RouteMethod, path: joinPath(owner.prefix, m[3] ?? ''), file, line: lineOf(starts, m.index) });
    }
  }
  const prefixesOf = (name: string | undefined, depth = 0): string[] => {
    if (!name || depth > 8) return [''];
    const parents = mounts.filter((m) => m.child === name);
    if (!parents.length) return [''];
    return parents.flatMap((p) => prefixesOf(p.parent, depth + 1).map((pp) => joinPath(pp, p.prefix)));
  };
  const routes: SourceRoute[] = [];
  for (const r of raw) {
    for (const prefix of prefixesOf(r.receiver)) {
      routes.push({ method: r.method, path: prefix ? joinPath(prefix, r.path) : joinPath('', r.path), file: r.file, line: r.line, endLine: r.line + 1 });
    }
  }
  routes.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.path.localeCompare(b.path));
  // A handler runs until the next registration in its file.
  for (let i = 0; i < routes.length; i++) {
    const next = routes.slice(i + 1).find((r) => r.file === routes[i].file && r.line > routes[i].line);
    routes[i].endLine = next ? next.line : Number.MAX_SAFE_INTEGER;
  }
  return routes;
}

/** Health paths Shipshape knows (the missing-health-endpoint rule's defaults). */
export const HEALTH_PATHS = ['/health', '/healthz', '/livez', '/readyz', '/health/live', '/health/ready', '/ping', '/status'];

/**
 * The requests a new scenario starts with: the health endpoint and the list endpoints (GET routes
 * without parameters), at most `max`. Weights favour the list endpoints: they do the work.
 */
export function scenarioRequestsFrom(routes: readonly SourceRoute[], max = 6): Array<{ name: string; method: 'GET'; path: string; weight: number }> {
  const seen = new Set<string>();
  const out: Array<{ name: string; method: 'GET'; path: string; weight: number }> = [];
  const gets = routes.filter((r) => (r.method === 'GET' || r.method === 'ALL') && !/[:*{(]/.test(r.path));
  const health = gets.filter((r) => HEALTH_PATHS.includes(r.path));
  const lists = gets.filter((r) => !HEALTH_PATHS.includes(r.path) && r.path !== '/');
  for (const r of [...health.slice(0, 1), ...lists]) {
    if (seen.has(r.path) || out.length >= max) continue;
    seen.add(r.path);
    const isHealth = HEALTH_PATHS.includes(r.path);
    out.push({ name: requestName(r.path), method: 'GET', path: r.path, weight: isHealth ? 1 : 3 });
  }
  return out;
}

/** `/orders/open` → `orders-open`; `/` → `root`. */
export function requestName(path: string): string {
  return path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'root';
}
