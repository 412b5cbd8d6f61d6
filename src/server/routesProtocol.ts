/**
 * `shipshape/routes` (client → server): the HTTP routes the analysis found in the workspace
 * (method, full path with mount prefixes, where it is registered), for the "Load test this route"
 * CodeLens, the findings the results panel puts next to a route, and the scenarios Shipshape
 * writes. Imported by both sides (no `vscode` import here, no server-only code).
 */
export const ROUTES_REQUEST = 'shipshape/routes';

export interface WorkspaceRoute {
  /** `GET`, `POST`, …, or `ALL` (any method, or one chosen at run time). */
  method: string;
  /** Full path as far as the analysis can tell (`/orders/:id`). */
  path: string;
  uri: string;
  /** 0-based line of the registration (`app.get(…)`, `@Get()`). */
  line: number;
  /** 0-based last line of the registration and its handler: findings on lines `line..endLine` are this route's. */
  endLine: number;
  /** The path is one of the configured health paths. */
  health: boolean;
}

export interface RoutesResult {
  routes: WorkspaceRoute[];
}
