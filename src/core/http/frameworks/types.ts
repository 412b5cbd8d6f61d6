/**
 * Everything Shipshape knows about one HTTP framework, in one place: the packages that identify
 * it, how its values are recognised from their import provenance (`app`, `router`, `server`),
 * how it registers routes, and what the health/shutdown quick fixes write for it. Found through
 * the registry in `./registry.ts`.
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
  /** How routes are registered (see `RouteRegistration`). */
  routes: RouteRegistration;
  /** What the health and shutdown quick fixes write. */
  fixes: FrameworkFixes;
  /**
   * A call on the app that makes SIGTERM close it (`app.enableShutdownHooks()`), and the
   * lifecycle methods of the app's providers it then runs (`onModuleDestroy`…), which may close
   * servers of their own.
   */
  shutdownHooks?: { enable: string; lifecycleMethods: readonly string[] };
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

/**
 * How a framework registers routes, read by the generic route walk in `../routes/`. Every slot
 * is optional: a framework without routes of its own (node:http) routes by comparing the path.
 */
export interface RouteRegistration {
  /** `app.get('/health', h)`: methods whose leading string arguments are paths of a GET-servable route. */
  methods?: ReadonlySet<string>;
  /**
   * `server.get({ path: '/health', version: '1.0.0' }, h)` (Restify): a route method (one of
   * `methods`) whose first argument may be an options object, with the path in one of these properties.
   */
  methodOptions?: { pathProps: readonly string[] };
  /** `app.use('/health', child)`: mounts routers and middleware, with an optional leading prefix. */
  mount?: string;
  /** `router.route('/health').get(h)` (Express): `route(path)` then one of `verbs`. */
  routeChain?: { method: string; verbs: ReadonlySet<string> };
  /** `app.route({ method: 'GET', url: '/health' })` (Fastify): a route object. */
  routeObject?: { method: string; pathProps: readonly string[]; methodProp: string };
  /** `app.on(['GET'], '/health', h)` (Hono): methods first, then the path. */
  methodList?: string;
  /** `app.route('/health', child)` (Hono): a child app under a prefix. */
  childMount?: string;
  /** `app.register(plugin, { prefix })` (Fastify): the plugin's first parameter is an instance under `prefix`. */
  plugins?: { method: string; prefixOption: string; wrapperModules: readonly string[] };
  /** `new Router({ prefix })` (Koa), `new Hono().basePath(p)`: where a router's own prefix is written. */
  ownPrefix?: { constructorOption?: string; method?: string };
  /**
   * `req.getPath() === '/health'` in a middleware (Restify): methods of the request that return its
   * path, for the generic walk that finds hand-written path comparisons (`req.url`, `ctx.path`).
   */
  requestPathMethods?: readonly string[];
  /** `@Controller('health')` + `@Get('live')` (NestJS, routing-controllers). */
  decorators?: { modules: readonly string[]; controllers: readonly string[]; verbs: readonly string[] };
  /**
   * Routes that change state (`app.post(path, h)`, `router.route(path).put(h)`, `@Delete()`):
   * never a health route, but routes all the same for the project's route list (the load-test
   * CodeLens and scenarios). Calls and chain verbs in `methods`, decorator names in `decorators`.
   */
  stateChanging?: { methods: ReadonlySet<string>; decorators?: readonly string[] };
}

/** The statements a quick fix writes, given the app's name and the probe paths. */
export interface HealthRouteTemplate {
  /** `check.expr` is an awaitable that rejects when the database is down; `check.notes` stand in when there is none. */
  (app: string, live: string, ready: string | undefined, check: { expr?: string; notes: string[] }): string[];
}

/**
 * What the quick fixes write for this framework.
 * - `health`: `routes` (a template inserted after the app's creation), `controller` (a new
 *   controller file registered in the root module), `handler-branch` (a branch at the top of the
 *   request handler).
 * - `shutdown`: `server-close` (`server.close()` on the Node server `listen` returns), `app-close`
 *   (`await app.close()`, which drains and runs the framework's onClose hooks), `shutdown-hooks`
 *   (`app.enableShutdownHooks()` before `listen`).
 */
export interface FrameworkFixes {
  health: { kind: 'routes'; template: HealthRouteTemplate } | { kind: 'controller' } | { kind: 'handler-branch' };
  shutdown: 'server-close' | 'app-close' | 'shutdown-hooks';
}
