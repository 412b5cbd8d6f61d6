/** `/orders/:id` → `/orders/1`: a route's parameters need a value to send a request. */
export function concretePath(route: string): string {
  return route.replace(/:[A-Za-z_]\w*(\([^)]*\))?\??/g, '1').replace(/\{[^}]+\}/g, '1').replace(/\*/g, '');
}
