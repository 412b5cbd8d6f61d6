import { defineItem } from '../types';
import { CAPABILITY_PACKAGES } from '../libraries';
import { at, declared, findingEvidence, findingsOf, hasDatabase, hasService, imported, looked, mounted, snippetFor, used, verdict } from './evidence';

export const gracefulShutdown = defineItem({
  id: 'reliability.graceful-shutdown',
  title: 'Graceful shutdown',
  evaluate(facts) {
    if (!hasService(facts)) return verdict('n/a', [looked('no HTTP server start found in the project')], 'Nothing to do.');
    if (!facts.analyzers.ran.has('missing-graceful-shutdown')) return verdict('manual', [looked('the missing-graceful-shutdown rule is turned off in shipshape.config.json')], 'Turn the rule back on, or answer this item in checklist.answers.');
    const missing = findingsOf(facts, 'missing-graceful-shutdown');
    if (missing.length > 0) {
      return verdict('fail', missing.map(findingEvidence), 'On SIGTERM stop accepting connections, let in-flight requests finish, close the pool, and exit before the orchestrator\'s grace period ends.' + snippetFor(facts, {
        express: "process.once('SIGTERM', () => {\n  server.close(async () => { await pool.end(); process.exit(0); });\n  setTimeout(() => process.exit(1), 10_000).unref();\n});",
        fastify: "process.once('SIGTERM', async () => {\n  await app.close(); // runs onClose hooks: close the pool there\n  process.exit(0);\n});",
        nestjs: 'app.enableShutdownHooks();',
        default: "process.once('SIGTERM', () => server.close(() => process.exit(0)));",
      }));
    }
    const d = facts.http.shutdownDeadline;
    return verdict('pass', [...facts.http.servers.map((s) => at(s, 'server started here; a SIGTERM path closes it')), ...(d ? [at(d, `forced exit after ${d.ms / 1000} s`)] : [])], 'Keep the forced-exit deadline below the orchestrator\'s grace period (Kubernetes: 30 s by default).');
  },
});

export const connectionPooling = defineItem({
  id: 'reliability.connection-pooling',
  title: 'Connection pooling',
  evaluate(facts) {
    if (!hasDatabase(facts)) return verdict('n/a', [looked('no database library in package.json or code')], 'Nothing to do.');
    const { pools, leasedConnections } = facts.code;
    const leaks = leasedConnections.filter((l) => l.release !== 'released-in-finally');
    const perCallClients = pools.filter((p) => p.kind === 'client' && p.perCall);
    const perCallPools = pools.filter((p) => p.kind === 'pool' && p.perCall);
    const bad = [
      ...leaks.map((l) => at(l, l.release === 'never-released' ? 'connection taken from the pool here is never released' : 'connection released, but not in a finally block: a query that throws leaks it')),
      ...perCallClients.map((c) => at(c, `a new ${c.module} client is created inside a function: one connection per call, no pooling`)),
      ...perCallPools.map((c) => at(c, `a ${c.module} pool is created inside a function: a new pool per call`)),
    ];
    if (bad.length > 0) {
      const fail = leaks.some((l) => l.release === 'never-released') || perCallClients.length > 0 || perCallPools.length > 0;
      return verdict(fail ? 'fail' : 'warn', bad, 'Create one pool at startup and release every client in `finally`:\n\n```ts\nconst client = await pool.connect();\ntry {\n  await client.query(\'BEGIN\');\n  // …\n} finally {\n  client.release();\n}\n```');
    }
    const sized = pools.filter((p) => p.kind === 'pool' && p.max);
    if (sized.length > 0) return verdict('pass', sized.map((p) => at(p, `${p.module} pool with max ${p.max}`)), 'Size max so that replicas × max stays below the database\'s max_connections.');
    // ORMs size their pools themselves (Prisma: num_cpus × 2 + 1); a default there is a choice, not an omission.
    const orm = pools.filter((p) => p.kind === 'pool' && ORM_POOLS.includes(p.module));
    if (orm.length > 0 && orm.length === pools.filter((p) => p.kind === 'pool').length) {
      return verdict('pass', orm.map((p) => at(p, `${p.module} keeps its own connection pool`)), 'Bound it explicitly when replicas × pool size approaches max_connections (Prisma: `connection_limit` in the URL; TypeORM: `extra.max`).');
    }
    const unsized = pools.filter((p) => p.kind === 'pool');
    if (unsized.length > 0) {
      return verdict('warn', unsized.map((p) => at(p, `${p.module} pool with the library's default size`)), 'Set the pool size explicitly (pg: `new Pool({ max: 10 })`; Prisma: `connection_limit` in the URL), so that replicas × max stays below max_connections.');
    }
    const clients = pools.filter((p) => p.kind === 'client');
    if (clients.length > 0) return verdict('warn', clients.map((c) => at(c, `a single ${c.module} connection, created once: every request waits for it`)), 'Use a pool (pg `Pool`) instead of one shared client.');
    return verdict('manual', [looked('a database library is used, but no pool or client creation was found in the code')], 'Check how connections are created (a framework module may do it) and answer this item.');
  },
});

const ORM_POOLS = ['knex', 'postgres', '@prisma/client', 'typeorm', '@nestjs/typeorm', 'sequelize', 'sequelize-typescript', '@mikro-orm/core', '@mikro-orm/postgresql'];

export const outboundTimeouts = defineItem({
  id: 'reliability.outbound-timeouts',
  title: 'Timeouts on outbound calls',
  evaluate(facts) {
    const calls = facts.code.outbound;
    if (calls.length === 0) return verdict('n/a', [looked('no outbound HTTP calls (fetch, axios, got, undici, http.request) in the service code')], 'Nothing to do.');
    const defaults = new Set(facts.code.clientDefaults.map((d) => d.module));
    const untimed = calls.filter((c) => !c.timed && !defaults.has(c.client));
    if (untimed.length === 0) return verdict('pass', calls.slice(0, 4).map((c) => at(c, `${c.client} call with a timeout`)), 'Keep timeouts shorter than your own callers\' timeouts.');
    const status = untimed.length === calls.length ? 'fail' : 'warn';
    return verdict(status, untimed.map((c) => at(c, `${c.client} call without a timeout or AbortSignal: a slow dependency holds this request (and its connection) forever`)), 'Give every outbound call a deadline:\n\n```ts\nawait fetch(url, { signal: AbortSignal.timeout(5_000) });\n// axios: axios.create({ timeout: 5_000 })\n```');
  },
});

function hasOutbound(facts: Parameters<typeof used>[0]): boolean {
  return facts.code.outbound.length > 0;
}

export const retriesBackoff = defineItem({
  id: 'reliability.retries-backoff',
  title: 'Retries with backoff',
  evaluate(facts) {
    const uses = used(facts, 'retries');
    if (uses.length > 0) return verdict('pass', uses.slice(0, 4).map((u) => at(u, `${u.module} used`)), 'Retry idempotent calls only, with jittered backoff and a cap.');
    const got = facts.code.outbound.filter((c) => c.client === 'got' || c.client === 'ky');
    if (got.length > 0) return verdict('pass', got.slice(0, 2).map((c) => at(c, `${c.client} retries failed idempotent requests with backoff by default`)), 'Check the retry limit fits your latency budget.');
    if (!hasOutbound(facts)) return verdict('n/a', [looked('no outbound HTTP calls in the service code')], 'Nothing to do.');
    return verdict('warn', [...facts.code.outbound.slice(0, 3).map((c) => at(c, `${c.client} call with no retry policy`)), looked('looked for p-retry, async-retry, axios-retry, cockatiel…: none used')], 'Retry transient failures of idempotent calls with exponential backoff:\n\n```ts\nimport pRetry from \'p-retry\';\nconst data = await pRetry(() => fetch(url, { signal: AbortSignal.timeout(5_000) }), { retries: 3 });\n```');
  },
});

export const circuitBreakers = defineItem({
  id: 'reliability.circuit-breakers',
  title: 'Circuit breakers',
  evaluate(facts) {
    const uses = used(facts, 'circuitBreakers');
    if (uses.length > 0) return verdict('pass', uses.slice(0, 4).map((u) => at(u, `${u.module} used`)), 'Export the breaker state as a metric.');
    if (!hasOutbound(facts)) return verdict('n/a', [looked('no outbound HTTP calls in the service code')], 'Nothing to do.');
    return verdict('warn', [...facts.code.outbound.slice(0, 3).map((c) => at(c, `${c.client} call to a dependency with no breaker`)), looked('looked for opossum, cockatiel, mollitia…: none used')], 'Wrap calls to dependencies that can fail in a circuit breaker, so a dead dependency fails fast:\n\n```ts\nimport CircuitBreaker from \'opossum\';\nconst breaker = new CircuitBreaker(callPayments, { timeout: 3_000, errorThresholdPercentage: 50 });\n```');
  },
});

export const rateLimiting = defineItem({
  id: 'reliability.rate-limiting',
  title: 'Rate limiting',
  evaluate(facts) {
    if (!hasService(facts)) return verdict('n/a', [looked('no HTTP server in the project')], 'Nothing to do.');
    const m = mounted(facts, 'rateLimiting');
    if (m.length > 0) return verdict('pass', m.slice(0, 4).map((u) => at(u, `${u.module} mounted`)), 'Key limits per client (API key or user), not only per IP behind a proxy (set trust proxy).');
    const ingress = facts.manifests.ingresses.filter((i) => i.rateLimit);
    if (ingress.length > 0) return verdict('pass', ingress.map((i) => at(i, 'rate limit set on the ingress')), 'Check the ingress limit matches what the service can take.');
    const calls = used(facts, 'rateLimiting');
    const imports = imported(facts, 'rateLimiting');
    if (calls.length > 0 || imports.length > 0) {
      return verdict('warn', [...calls, ...imports].slice(0, 4).map((u) => at(u, `${u.module} is set up here but never mounted on the app or a route`)), 'Mount the limiter (app.use(limiter) / app.register(rateLimit) / ThrottlerGuard as APP_GUARD).');
    }
    const decl = declared(facts, 'rateLimiting');
    return verdict('warn', [...decl.map((d) => at(d, `${d.module} is a dependency but is never used`)), looked(`looked for ${CAPABILITY_PACKAGES.rateLimiting.slice(0, 4).join(', ')}… mounted, and rate-limit annotations on ingresses: none found`)], 'Limit request rates so one client cannot exhaust the pool (or answer n/a if the gateway does it):' + snippetFor(facts, {
      express: "import rateLimit from 'express-rate-limit';\napp.use(rateLimit({ windowMs: 60_000, limit: 300 }));",
      fastify: "await app.register(import('@fastify/rate-limit'), { max: 300, timeWindow: '1 minute' });",
      nestjs: "@Module({ imports: [ThrottlerModule.forRoot([{ ttl: 60_000, limit: 300 }])], providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }] })",
      default: "// rate-limiter-flexible\nconst limiter = new RateLimiterMemory({ points: 300, duration: 60 });",
    }));
  },
});

export const noNPlusOne = defineItem({
  id: 'reliability.no-n-plus-one',
  title: 'No N+1 queries',
  evaluate(facts) {
    const found = findingsOf(facts, 'n-plus-one').filter((f) => facts.serviceFile(f.file));
    if (found.length > 0) return verdict('fail', found.map(findingEvidence), 'Batch the queries the findings name (one query with `= ANY($1)`, `include`, `whereIn`); each finding carries the fix for its library.');
    if (!hasDatabase(facts)) return verdict('n/a', [looked('no database library in package.json or code')], 'Nothing to do.');
    if (!facts.analyzers.ran.has('n-plus-one')) return verdict('manual', [looked('the n-plus-one rule is turned off in shipshape.config.json')], 'Turn the rule back on, or answer this item.');
    return verdict('pass', [looked(`the n-plus-one rule found no query run once per element of a collection (${facts.code.dbCalls} raw database calls and every ORM call checked)`)], 'Keep it that way: the rule runs on every edit.');
  },
});

export const indexedQueries = defineItem({
  id: 'reliability.indexed-queries',
  title: 'Indexed queries',
  evaluate(facts) {
    if (!hasDatabase(facts)) return verdict('n/a', [looked('no database library in package.json or code')], 'Nothing to do.');
    if (!facts.analyzers.registered.has('unindexed-filter')) {
      return verdict('manual', [looked('the unindexed-filter rule is not part of this Shipshape build yet, so query filters could not be checked against the indexes')], 'Check that every WHERE/JOIN/ORDER BY of a hot query is served by an index (EXPLAIN at production volume), then answer this item.');
    }
    if (!facts.analyzers.ran.has('unindexed-filter')) return verdict('manual', [looked('the unindexed-filter rule did not run (turned off in shipshape.config.json, or it failed: see the Shipshape output)')], 'Turn the rule back on, or answer this item.');
    const found = findingsOf(facts, 'unindexed-filter');
    const full = found.filter((f) => f.severity !== 'info');
    if (full.length > 0) return verdict('fail', full.map(findingEvidence), 'Create the indexes the findings suggest (quick fix: "Create index migration"), CONCURRENTLY on a live table.');
    if (found.length > 0) return verdict('warn', found.map(findingEvidence), 'Extend the partly serving indexes with the columns the findings name.');
    if (facts.repo.migrationFiles.length === 0 && !facts.dbLibraries.includes('prisma')) return verdict('manual', [looked('no migrations or schema.prisma found, so there is no schema to check queries against')], 'Point `migrations` in shipshape.config.json at the SQL migrations, or answer this item.');
    return verdict('pass', [looked(`the unindexed-filter rule found every query filter served by an index (${facts.repo.migrationFiles.length} migration files read)`)], 'Keep it that way: the rule runs on every edit.');
  },
});

export const configValidation = defineItem({
  id: 'reliability.config-validation',
  title: 'Configuration validated at startup',
  evaluate(facts) {
    const v = [...facts.code.envValidation, ...mounted(facts, 'envPlugins')];
    if (v.length > 0) return verdict('pass', v.slice(0, 3).map((u) => at(u, `process.env validated with ${u.module}`)), 'Fail fast: validate before the server listens, and exit non-zero on an invalid environment.');
    const reads = facts.code.envReads;
    if (reads.length === 0) return verdict('n/a', [looked('the service code reads no process.env variables')], 'Nothing to do.');
    return verdict('warn', [at(reads[0], `${reads.length} process.env read${reads.length === 1 ? '' : 's'} in the code (first here), none validated`)], 'Parse the environment once at startup and fail fast on a missing or malformed variable:\n\n```ts\nimport { z } from \'zod\';\nexport const env = z.object({ DATABASE_URL: z.string().url(), PORT: z.coerce.number().default(3000) }).parse(process.env);\n```');
  },
});

export const crashHandlers = defineItem({
  id: 'reliability.crash-handlers',
  title: 'Crash handlers',
  evaluate(facts) {
    if (!hasService(facts)) return verdict('n/a', [looked('no HTTP server in the project')], 'Nothing to do.');
    const handlers = facts.code.crashHandlers;
    const events = new Set(handlers.map((h) => h.event));
    const evidence = handlers.map((h) => at(h, `process.on('${h.event}') registered`));
    if (events.has('uncaughtException') && events.has('unhandledRejection')) return verdict('pass', evidence, 'Log the error with its stack, then exit non-zero: the process state is unknown after an uncaught exception.');
    const missing = ['uncaughtException', 'unhandledRejection'].filter((e) => !events.has(e as 'uncaughtException'));
    return verdict('warn', [...evidence, looked(`no process.on('${missing.join("') / process.on('")}') handler found`)], 'Log fatal errors through the logger before the process dies (the default prints to stderr without your request context), then exit:\n\n```ts\nprocess.on(\'unhandledRejection\', (reason) => { logger.fatal({ reason }, \'unhandled rejection\'); process.exit(1); });\nprocess.on(\'uncaughtException\', (err) => { logger.fatal({ err }, \'uncaught exception\'); process.exit(1); });\n```');
  },
});

export const reliabilityItems = [gracefulShutdown, connectionPooling, outboundTimeouts, retriesBackoff, circuitBreakers, rateLimiting, noNPlusOne, indexedQueries, configValidation, crashHandlers];
