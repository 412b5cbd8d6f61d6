/**
 * The health paths looked for when shipshape.config.json names none. Here rather than in
 * config.ts: config.ts imports the rule registry, so a rule importing config.ts would close an
 * import cycle (and a rule's test file, loaded alone, would fail on it).
 */
export const DEFAULT_HEALTH_PATHS = ['/health', '/healthz', '/livez', '/readyz', '/health/live', '/health/ready', '/ping', '/status'];
