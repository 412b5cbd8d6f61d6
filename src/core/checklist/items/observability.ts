import type { WorkspaceFacts } from '../facts';
import { CAPABILITY_PACKAGES } from '../libraries';
import { defineItem } from '../types';
import { at, declared, findingEvidence, findingsOf, hasService, looked, snippetFor, used, verdict } from './evidence';

export const healthEndpoints = defineItem({
  id: 'observability.health-endpoints',
  title: 'Health endpoints',
  evaluate(facts) {
    if (!hasService(facts)) return verdict('n/a', [looked('no HTTP server start found in the project')], 'Nothing to do: no server is started here.');
    const missing = findingsOf(facts, 'missing-health-endpoint');
    if (missing.length > 0) {
      return verdict('fail', missing.map((f) => ({ ...findingEvidence(f), note: 'server started here; no health route found' })), 'Add /livez and /readyz (readiness pings the database).' + healthSnippet(facts));
    }
    if (facts.http.healthRoutes.length === 0) {
      if (!facts.analyzers.ran.has('missing-health-endpoint')) return verdict('manual', [looked('the missing-health-endpoint rule is turned off in shipshape.config.json and no health route was found')], 'Turn the rule back on, or answer this item in checklist.answers.');
      return verdict('warn', facts.http.servers.map((s) => at(s, 'server started here; no health route found')), 'Add /livez and /readyz (readiness pings the database).' + healthSnippet(facts));
    }
    const paths = new Set(facts.http.healthRoutes.map((r) => r.path));
    const evidence = facts.http.healthRoutes.map((r) => at(r, `health route ${r.path}`));
    if (paths.size === 1) {
      return verdict('pass', evidence, `Consider separate liveness and readiness routes: readiness (e.g. /readyz) should check the database, liveness (/livez) only that the process answers.`);
    }
    return verdict('pass', evidence, 'Keep readiness checking the database and liveness cheap.');
  },
});

function healthSnippet(facts: WorkspaceFacts): string {
  return snippetFor(facts, {
    express: "app.get('/livez', (_req, res) => res.send('ok'));\napp.get('/readyz', async (_req, res) => {\n  try { await pool.query('SELECT 1'); res.send('ok'); } catch { res.status(503).send('db down'); }\n});",
    fastify: "app.get('/livez', async () => 'ok');\napp.get('/readyz', async (_req, reply) => {\n  try { await pool.query('SELECT 1'); return 'ok'; } catch { return reply.code(503).send('db down'); }\n});",
    nestjs: "// @nestjs/terminus\n@Get('readyz') @HealthCheck()\nready() { return this.health.check([() => this.db.pingCheck('database')]); }",
    default: "if (req.url === '/livez') return res.end('ok');\nif (req.url === '/readyz') { await pool.query('SELECT 1'); return res.end('ok'); }",
  });
}

export const metrics = defineItem({
  id: 'observability.metrics',
  title: 'Metrics',
  evaluate(facts) {
    const uses = used(facts, 'metrics');
    const routes = facts.http.metricsRoutes;
    if (uses.length > 0 && routes.length > 0) return verdict('pass', [...routes.map((r) => at(r, `metrics served at ${r.path}`)), ...uses.slice(0, 3).map((u) => at(u, `${u.module} used`))], 'Scrape it, and alert on the RED metrics (rate, errors, duration).');
    if (uses.length > 0) {
      const pushes = uses.some((u) => /statsd|hot-shots|datadog|sdk-metrics|otlp/i.test(u.module));
      return verdict(pushes ? 'pass' : 'warn', uses.slice(0, 4).map((u) => at(u, `${u.module} used`)), pushes ? 'Metrics are pushed; make sure request rate, errors and latency are among them.' : 'Metrics are collected but no /metrics route serves them: expose them for the scraper.' + metricsSnippet(facts));
    }
    const decl = declared(facts, 'metrics');
    if (decl.length > 0) return verdict('warn', decl.map((d) => at(d, `${d.module} is a dependency but is never used in code`)), 'Register the metrics and serve them.' + metricsSnippet(facts));
    if (!hasService(facts)) return verdict('n/a', [looked('no HTTP server in the project')], 'Nothing to do.');
    return verdict('fail', [looked(`looked for ${CAPABILITY_PACKAGES.metrics.slice(0, 5).join(', ')}… in the code and a /metrics route: none found`)], 'Expose request rate, errors and latency, e.g. with prom-client.' + metricsSnippet(facts));
  },
});

function metricsSnippet(facts: WorkspaceFacts): string {
  return snippetFor(facts, {
    express: "import client from 'prom-client';\nclient.collectDefaultMetrics();\napp.get('/metrics', async (_req, res) => {\n  res.set('Content-Type', client.register.contentType);\n  res.send(await client.register.metrics());\n});",
    fastify: "import metricsPlugin from 'fastify-metrics';\nawait app.register(metricsPlugin, { endpoint: '/metrics' });",
    nestjs: "// @willsoto/nestjs-prometheus\n@Module({ imports: [PrometheusModule.register()] })",
    default: "import client from 'prom-client';\nclient.collectDefaultMetrics();\n// serve client.register.metrics() at /metrics",
  });
}

export const structuredLogging = defineItem({
  id: 'observability.structured-logging',
  title: 'Structured logging',
  evaluate(facts) {
    const loggers = used(facts, 'logging');
    const json = loggers.filter((l) => (CAPABILITY_PACKAGES.jsonByDefault as readonly string[]).includes(l.module));
    const explicit = facts.code.jsonLogFormat;
    const consoles = facts.code.consoleLogs;
    const consoleNote = consoles.length > 0 ? [at(consoles[0], `${consoles.length} console.* call${consoles.length === 1 ? '' : 's'} in the service's code (first here): plain text, no levels`)] : [];
    if (json.length > 0 || explicit.length > 0) {
      const evidence = [...explicit.map((e) => at(e, 'JSON log output configured here')), ...json.slice(0, 3).map((l) => at(l, `${l.module} logs JSON lines`))];
      if (consoles.length > 5) return verdict('warn', [...evidence, ...consoleNote], 'Route the remaining console.* calls through the logger, so every line is JSON with a level.');
      return verdict('pass', [...evidence, ...consoleNote], 'Keep request ids and durations in every request log line.');
    }
    const nest = facts.code.calls.get('nestjs-logger') ?? [];
    if (loggers.length === 0 && nest.length > 0) {
      return verdict('warn', [at(nest[0], `NestJS's built-in Logger (${nest.length} use${nest.length === 1 ? '' : 's'}, first here) prints plain text`), ...consoleNote], 'Log JSON: `NestFactory.create(AppModule, { logger: new ConsoleLogger({ json: true }) })` (Nest 11), or nestjs-pino.');
    }
    if (loggers.length > 0) {
      return verdict('warn', [...loggers.slice(0, 3).map((l) => at(l, `${l.module} used; no JSON format configured`)), ...consoleNote], 'Log JSON so the log platform can index fields: e.g. winston `format: format.json()`, or use pino.');
    }
    if (!hasService(facts) && consoles.length === 0) return verdict('n/a', [looked('no HTTP server and no logging in the project')], 'Nothing to do.');
    return verdict('fail', [...consoleNote, looked('looked for pino, winston, bunyan… used in the code (and Fastify\'s built-in logger): none found')], 'Use a JSON logger with levels:' + snippetFor(facts, {
      express: "import pinoHttp from 'pino-http';\napp.use(pinoHttp());",
      fastify: 'const app = fastify({ logger: true });',
      nestjs: "// nestjs-pino\n@Module({ imports: [LoggerModule.forRoot()] })",
      default: "import pino from 'pino';\nexport const logger = pino();",
    }));
  },
});

export const requestIds = defineItem({
  id: 'observability.request-ids',
  title: 'Request ids',
  evaluate(facts) {
    if (!hasService(facts)) return verdict('n/a', [looked('no HTTP server in the project')], 'Nothing to do.');
    const libs = used(facts, 'requestIds');
    const pinoHttp = [...(facts.code.mounted.get('pino-http') ?? []), ...(facts.code.calls.get('nestjs-pino') ?? [])];
    const fastify = facts.frameworks.includes('fastify') ? facts.code.jsonLogFormat : [];
    const headers = facts.code.requestIdHeaders;
    const evidence = [
      ...libs.slice(0, 3).map((l) => at(l, `${l.module} used`)),
      ...pinoHttp.slice(0, 2).map((l) => at(l, `${l.module} assigns req.id to every request and logs it`)),
      ...fastify.slice(0, 1).map((l) => at(l, 'Fastify logs a reqId with every request line')),
      ...headers.slice(0, 3).map((h) => at(h, 'request-id header read or set here')),
    ];
    if (evidence.length > 0) return verdict('pass', evidence, 'Propagate the id to outbound calls and return it in the response header.');
    return verdict('warn', [looked('looked for request-id middleware (cls-rtracer, express-request-id, pino-http, nestjs-cls…) and x-request-id/traceparent headers: none found')], 'Give every request an id, log it on every line and return it:' + snippetFor(facts, {
      express: "import { randomUUID } from 'node:crypto';\napp.use((req, res, next) => {\n  const id = req.get('x-request-id') ?? randomUUID();\n  res.set('x-request-id', id);\n  (req as any).id = id;\n  next();\n});",
      fastify: "const app = fastify({ logger: true, requestIdHeader: 'x-request-id' });",
      default: "res.setHeader('x-request-id', req.headers['x-request-id'] ?? randomUUID());",
    }));
  },
});

export const tracing = defineItem({
  id: 'observability.tracing',
  title: 'Distributed tracing',
  evaluate(facts) {
    const uses = used(facts, 'tracing');
    const imports = (CAPABILITY_PACKAGES.tracing as readonly string[]).flatMap((m) => (facts.code.imports.get(m) ?? []).map((l) => ({ ...l, module: m })));
    // `node -r dd-trace/init`, `--require @opentelemetry/auto-instrumentations-node/register` in scripts or a Dockerfile.
    const preload = Object.entries(facts.repo.scripts).filter(([, s]) => /(-r|--require|--import)\s+(dd-trace|@opentelemetry|newrelic|elastic-apm-node)/.test(s));
    if (uses.length > 0 || imports.length > 0 || preload.length > 0) {
      const evidence = [...uses.slice(0, 3).map((u) => at(u, `${u.module} used`)), ...imports.slice(0, 2).map((i) => at(i, `${i.module} imported`)), ...preload.map(([name]) => at({ file: facts.repo.packageJson ?? facts.root, line: facts.repo.packageJsonLines.get(name) ?? 0 }, `script "${name}" preloads a tracer`))];
      return verdict('pass', evidence, 'Sample enough traces in production and propagate the trace context to outbound calls.');
    }
    if (!hasService(facts)) return verdict('n/a', [looked('no HTTP server in the project')], 'Nothing to do.');
    return verdict('warn', [looked('looked for OpenTelemetry, dd-trace, elastic-apm-node, newrelic, @sentry/node in the code and in package.json scripts: none found')], 'Start OpenTelemetry before the app loads (a tracing.ts imported first, or `node --import`):\n\n```ts\nimport { NodeSDK } from \'@opentelemetry/sdk-node\';\nimport { getNodeAutoInstrumentations } from \'@opentelemetry/auto-instrumentations-node\';\nnew NodeSDK({ instrumentations: [getNodeAutoInstrumentations()] }).start();\n```');
  },
});

export const alerts = defineItem({
  id: 'observability.alerts',
  title: 'Alerts',
  evaluate(facts) {
    const rules = facts.manifests.alertRules;
    if (rules.length > 0) return verdict('pass', rules.slice(0, 4).map((r) => at(r, 'alerting rules defined here')), 'Make sure each alert links a runbook and pages someone who can act.');
    return verdict('manual', [looked('no PrometheusRule resources or Prometheus rule files with `alert:` entries in the repository; alerts often live in the monitoring platform')], 'Alert on error rate, latency (p95/p99) and saturation; then answer this item in shipshape.config.json (`checklist.answers`).');
  },
});

export const observabilityItems = [healthEndpoints, metrics, structuredLogging, requestIds, tracing, alerts];
