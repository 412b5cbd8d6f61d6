/** Normalises a route path: leading slash, no duplicate or trailing slashes. */
export function normalizePath(p: string): string {
  let s = ('/' + p).replace(/\/{2,}/g, '/');
  if (s.length > 1) s = s.replace(/\/+$/, '');
  return s;
}

/** A path parameter segment: `:id`, `{id}`, `[id]` (file routes), `*`. */
const PARAMETER = /[:*{([]/;

/**
 * True when `full` serves one of `healthPaths`: the same path, or the same path
 * behind a static prefix (a mount point or a global prefix such as `/api/v1`).
 * Behind a path parameter it is a resource's own route (`/orders/:id/status`,
 * `/jobs/:jobId/status`), not the process's health.
 */
export function matchesHealthPath(full: string, healthPaths: readonly string[]): string | undefined {
  const path = normalizePath(full.split('?')[0]);
  for (const raw of healthPaths) {
    const h = normalizePath(raw);
    if (path === h) return raw;
    if (path.endsWith(h)) {
      const before = path.slice(0, path.length - h.length);
      if (before.length > 0 && !before.endsWith('/') && !PARAMETER.test(before)) return raw;
    }
  }
  return undefined;
}

/** The prefix has a path parameter: what is under it belongs to one resource. */
export function isParameterised(prefix: string): boolean {
  return PARAMETER.test(prefix);
}
