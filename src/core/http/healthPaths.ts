/**
 * The health paths looked for when shipshape.config.json names none. Here rather than in
 * config.ts: config.ts imports the rule registry, so a rule importing config.ts would close an
 * import cycle (and a rule's test file, loaded alone, would fail on it).
 */
export const DEFAULT_HEALTH_PATHS = ['/health', '/healthz', '/livez', '/readyz', '/health/live', '/health/ready', '/ping', '/status'];

/**
 * Spellings of the default paths that teams use as often (`/health-check` in a popular Express
 * boilerplate, lightship's `/live` and `/ready`). They count while `healthPaths` is the default;
 * a configured list is taken exactly as written.
 */
const COMMON_SPELLINGS = ['/health-check', '/healthcheck', '/health_check', '/_health', '/live', '/ready', '/liveness', '/readiness', '/alive', '/heartbeat'];

export function acceptedPaths(healthPaths: readonly string[]): readonly string[] {
  const isDefault = healthPaths.length === DEFAULT_HEALTH_PATHS.length && healthPaths.every((p, i) => p === DEFAULT_HEALTH_PATHS[i]);
  return isDefault ? [...healthPaths, ...COMMON_SPELLINGS] : healthPaths;
}
