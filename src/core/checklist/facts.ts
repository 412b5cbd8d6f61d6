/**
 * What the checklist knows about a workspace, gathered once (gather.ts) and refreshed per changed
 * file. Plain data only — no TypeScript nodes — so it can be cached across programs, sent to the
 * editor and evaluated by pure item functions. Paths are absolute; lines are 0-based.
 */
import type { Finding } from '../finding';

export interface Located {
  file: string;
  /** 0-based. */
  line: number;
}

/** A value from an npm package used at a place: `{ module: 'pino', member: 'default()' }`. */
export interface PackageUse extends Located {
  module: string;
  /** The export path as provenance names it (`default`, `Pool()`, `format.json`). */
  member: string;
}

export interface OutboundCall extends Located {
  /** `fetch`, `axios`, `got`, `undici`, `http.request`… */
  client: string;
  /** A timeout or an AbortSignal is given (in the call, the instance it came from, or the client's defaults). */
  timed: boolean;
}

export interface PoolCreation extends Located {
  module: string;
  /** A pool (bounded, reused) or a single client/connection per use. */
  kind: 'pool' | 'client';
  /** The `max`/`connectionLimit`/`poolSize` option as written, when given. */
  max?: string;
  /** Created inside a function (per call) rather than once at module level. */
  perCall: boolean;
}

export interface LeasedConnection extends Located {
  /** `released-in-finally` is the only safe shape: a throw between connect and release leaks it otherwise. */
  release: 'released-in-finally' | 'released-not-in-finally' | 'never-released';
}

export interface InterpolatedSql extends Located {
  /** The driver call (`pool.query`, `prisma.$queryRawUnsafe`). */
  call: string;
  /** The interpolated values come from the request (`req.query.x`, `request.params`, `ctx.body`…). */
  fromRequest: boolean;
}

/** Facts from the project's TypeScript, found by import provenance (test files excluded). */
export interface CodeFacts {
  /** Package → places a value from it is called or constructed. */
  calls: Map<string, PackageUse[]>;
  /** Package → places a value from it is mounted: passed to `use`/`register`/a route, a Nest module's `imports`, `@UseGuards`. */
  mounted: Map<string, PackageUse[]>;
  /** Package → `export default <value from it>`: plugin files a loader such as @fastify/autoload registers. */
  exportedPlugins: Map<string, PackageUse[]>;
  /** Package → import declarations (type-only imports left out). */
  imports: Map<string, Located[]>;
  consoleLogs: Located[];
  /** A JSON log format asked for explicitly (winston `format.json()`, fastify `logger: true`, log4js `json` layout). */
  jsonLogFormat: Located[];
  /** String literals naming a request-id header (`x-request-id`, `x-correlation-id`, `traceparent`). */
  requestIdHeaders: Located[];
  envReads: Located[];
  /** `process.env` passed to a validator (envalid `cleanEnv`, zod `parse`, joi `validate`…). */
  envValidation: PackageUse[];
  crashHandlers: Array<Located & { event: 'uncaughtException' | 'unhandledRejection' }>;
  outbound: OutboundCall[];
  /** Clients created or configured with a default timeout (`axios.create({ timeout })`, `axios.defaults.timeout =`). */
  clientDefaults: PackageUse[];
  pools: PoolCreation[];
  leasedConnections: LeasedConnection[];
  /** Reads of a request body (`req.body`, `request.body`, `ctx.request.body`). */
  bodyReads: Located[];
  /** Request bodies validated by the framework (Fastify route `schema.body`, Nest `ValidationPipe`). */
  frameworkValidation: Located[];
  dbCalls: number;
  interpolatedSql: InterpolatedSql[];
  /** `https.createServer`, `http2.createSecureServer`, Fastify `https:` option. */
  tlsServers: Located[];
  /** `rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED = '0'`. */
  tlsVerificationOff: Located[];
  /** Header names like `Strict-Transport-Security` set by hand. */
  securityHeaderLiterals: Located[];
  /** Files that import k6 or artillery modules (load-test scripts written in TypeScript). */
  loadTestScripts: Located[];
}

export interface HttpFacts {
  servers: Array<Located & { framework: string }>;
  healthRoutes: Array<Located & { path: string }>;
  metricsRoutes: Array<Located & { path: string }>;
  /** Probe path (from manifests) → the route that serves it. */
  servedProbePaths: Map<string, Located & { path: string }>;
  /** The largest delay (ms) a SIGTERM path waits before forcing exit (`setTimeout(…, 10_000)`), if any. */
  shutdownDeadline?: Located & { ms: number };
}

export interface DockerStage extends Located {
  image: string;
  tag?: string;
  name?: string;
}

export interface DockerfileFacts {
  file: string;
  stages: DockerStage[];
  /** USER instructions of the final stage. */
  finalUser?: Located & { user: string };
  healthcheck?: Located;
  /** Dependency installs: `npm ci`, `npm install`, `yarn install --frozen-lockfile`… */
  installs: Array<Located & { command: string; reproducible: boolean }>;
  /** `COPY --from=` lines. */
  copyFrom: Located[];
  /** Instructions that mention migrations (`prisma migrate deploy` in CMD). */
  migrationCommands: Array<Located & { text: string }>;
}

export interface ProbeFacts extends Located {
  kind: 'httpGet' | 'tcpSocket' | 'exec' | 'grpc' | 'unknown';
  path?: string;
}

export interface ContainerFacts extends Located {
  name: string;
  liveness?: ProbeFacts;
  readiness?: ProbeFacts;
  startup?: ProbeFacts;
  hasResources: boolean;
  runAsNonRoot?: boolean;
  /** The container's command and args, joined (for migrations run by an init container). */
  commandText: string;
  init: boolean;
}

export interface WorkloadFacts extends Located {
  kind: string;
  name: string;
  replicas?: number;
  strategy?: Located & { type: string; maxUnavailable?: string };
  terminationGracePeriodSeconds?: Located & { value: number };
  containers: ContainerFacts[];
  podRunAsNonRoot?: boolean;
  /** From a Helm chart's templates (placeholders filled) rather than a plain manifest. */
  helm: boolean;
}

export interface ComposeServiceFacts extends Located {
  name: string;
  healthcheck?: Located;
  builds: boolean;
  user?: string;
}

export interface ManifestFacts {
  workloads: WorkloadFacts[];
  compose: ComposeServiceFacts[];
  ingresses: Array<Located & { tls: boolean; rateLimit: boolean }>;
  /** Jobs, hooks and init containers whose command runs migrations. */
  migrationJobs: Array<Located & { text: string }>;
  disruptionBudgets: Located[];
  /** PrometheusRule resources and Prometheus rule files with `alert:` entries. */
  alertRules: Located[];
  /** CronJobs and files that back the database up (pg_dump, velero, backup retention settings). */
  backups: Array<Located & { text: string }>;
  helmCharts: Located[];
}

export interface CiFacts {
  files: Array<Located & { system: string }>;
  /** Command lines found in CI files, and the package.json scripts they run, expanded. */
  runsTests: Array<Located & { text: string }>;
  runsMigrations: Array<Located & { text: string }>;
  runsLoadTests: Array<Located & { text: string }>;
  securityScans: Array<Located & { text: string }>;
  /** Dependabot, Renovate, Snyk policy files: dependency scanning configured outside the pipeline. */
  dependencyBots: Located[];
}

export interface RepoFacts {
  readme?: Located & { chars: number; hasRunInstructions: boolean };
  openApi: Located[];
  architectureDocs: Located[];
  runbooks: Located[];
  onCallDocs: Located[];
  testFiles: string[];
  /** Integration-style tests: files under integration/e2e folders or named so. */
  integrationTestFiles: string[];
  testRunners: Array<Located & { name: string }>;
  coverageThresholds: Array<Located & { text: string }>;
  coverageCollected: Array<Located & { text: string }>;
  /** `.env` files that no .gitignore excludes (they are, or will be, committed). */
  envFilesNotIgnored: string[];
  /** `.env` files recorded in the git index. */
  envFilesTracked: string[];
  secretMatches: Array<Located & { kind: string }>;
  /** k6 / Artillery / autocannon scenario files. */
  loadTestFiles: Located[];
  /** Procfile, fly.toml, app.yaml, serverless.yml…: deployed by a platform that builds the image itself. */
  platformConfigs: Located[];
  migrationFiles: string[];
  scripts: Record<string, string>;
  packageJson?: string;
  /** 0-based line of a key in package.json, for evidence. */
  packageJsonLines: Map<string, number>;
}

export interface LoadRunFacts {
  runs: Array<Located & { passed?: boolean; when?: string; target?: string; p95?: number }>;
}

export interface AnalyzerFacts {
  /** Findings of the rules the checklist reads, by rule id (whole workspace). */
  findings: Map<string, Finding[]>;
  /** Rules that are registered in this build. */
  registered: Set<string>;
  /** Rules that ran (registered and not turned off in the config). */
  ran: Set<string>;
}

export interface WorkspaceFacts {
  root: string;
  /** Package → version, from package.json (all dependency fields). */
  dependencies: Map<string, string>;
  frameworks: string[];
  dbLibraries: string[];
  code: CodeFacts;
  http: HttpFacts;
  dockerfiles: DockerfileFacts[];
  manifests: ManifestFacts;
  ci: CiFacts;
  repo: RepoFacts;
  loadRuns: LoadRunFacts;
  analyzers: AnalyzerFacts;
  /** False for tests, one-off scripts, seeds and migrations: code that never serves a request. */
  serviceFile(file: string): boolean;
  /** Inputs that could not be read, each with a note saying what to fix. */
  problems: Array<Located & { note: string }>;
}

export function emptyCodeFacts(): CodeFacts {
  return {
    calls: new Map(), mounted: new Map(), exportedPlugins: new Map(), imports: new Map(), consoleLogs: [], jsonLogFormat: [], requestIdHeaders: [], envReads: [],
    envValidation: [], crashHandlers: [], outbound: [], clientDefaults: [], pools: [], leasedConnections: [], bodyReads: [], frameworkValidation: [],
    dbCalls: 0, interpolatedSql: [], tlsServers: [], tlsVerificationOff: [], securityHeaderLiterals: [], loadTestScripts: [],
  };
}

/** Merges per-file code facts into the workspace's (maps concatenate per key). */
export function mergeCodeFacts(parts: Iterable<CodeFacts>): CodeFacts {
  const out = emptyCodeFacts();
  for (const p of parts) {
    for (const key of Object.keys(out) as Array<keyof CodeFacts>) {
      const target = out[key];
      const source = p[key];
      if (target instanceof Map && source instanceof Map) {
        for (const [k, v] of source as Map<string, unknown[]>) (target as Map<string, unknown[]>).set(k, [...((target as Map<string, unknown[]>).get(k) ?? []), ...v]);
      } else if (Array.isArray(target)) (target as unknown[]).push(...(source as unknown[]));
      else if (typeof target === 'number') (out as unknown as Record<string, number>)[key] = target + (source as number);
    }
  }
  return out;
}
