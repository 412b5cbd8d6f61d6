/**
 * Everything Shipshape knows about one HTTP framework, in one place: the packages that identify
 * it, and how its values are recognised from their import provenance (`app`, `router`,
 * `server`). Found through the registry in `./index.ts`.
 */
export interface FrameworkDescriptor {
  /** The registry key (`express`, `node-http`). */
  id: string;
  /** How the docs name it. */
  displayName: string;
  /** npm packages that identify the framework in package.json and imports. */
  packages: readonly string[];
  /** Values by export path (leading `default` removed; `()` for a call or `new`) in `modules`. */
  values: readonly FrameworkValueShape[];
  /** Values by declared type, where declarations are installed and provenance is lost. */
  types?: readonly FrameworkTypeShape[];
  /** Methods that return the object they are called on (or an equivalent one): `express().use(x)` is still the app. */
  chainable?: ReadonlySet<string>;
  /**
   * What a member of a value yields besides chaining and `listen()` (which starts an app's
   * server): fastify's `app.server`, Nest's `getHttpServer()`, Koa's `callback()`.
   * `called` is false for a property read. Undefined: nothing special.
   */
  member?: (role: HttpRole, name: string, called: boolean) => HttpRole | undefined;
}

export type HttpRole = 'app' | 'router' | 'server' | 'koa-callback' | 'koa-routes';

export interface FrameworkValueShape {
  modules: readonly string[];
  path: readonly string[];
  role: HttpRole;
}

export interface FrameworkTypeShape {
  modules: readonly string[];
  names: readonly string[];
  role: HttpRole;
}
