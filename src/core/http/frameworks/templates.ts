/** Shared pieces of the health-route templates in the framework descriptors. */

export const LIVE_COMMENT = '// Liveness probe: the process is up and serving requests.';
export const READY_COMMENT = '// Readiness probe: the database answers; 503 takes this instance out of the load balancer.';

/** The body of a readiness handler: `ok` after the database check succeeds, `fail` when it throws; the notes when there is no check. */
export function readinessBody(check: { expr?: string; notes: string[] }, ok: string[], fail: string[]): string[] {
  return check.expr ? ['  try {', `    await ${check.expr};`, ...ok.map((l) => '  ' + l), '  } catch {', ...fail.map((l) => '  ' + l), '  }'] : [...check.notes.map((l) => '  ' + l), ...ok];
}
