/** `/orders/:id` → `/orders/1`: a route's parameters need a value to send a request. */
export function concretePath(route: string): string {
  return route.replace(/:[A-Za-z_]\w*(\([^)]*\))?\??/g, '1').replace(/\{[^}]+\}/g, '1').replace(/\*/g, '');
}

/**
 * `GET /orders/:id` → `GET-orders-id`: the name a "Load test this route" run is saved under.
 * Scenario names are letters, digits, `.`, `_` and `-` (the engine's rule: they become file names
 * and k6 scenario keys).
 */
export function routeScenarioName(method: string, route: string): string {
  return `${method} ${route}`.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || method;
}

/** What a quick URL test is saved under (a valid scenario name; see routeScenarioName). */
export const QUICK_TEST_NAME = 'quick-test';
