import * as assert from 'node:assert/strict';
import { checklistOf, evidence, EXPRESS_SERVER, item } from './helpers';

const deps = { express: '5.0.0', pg: '8.0.0' };

describe('checklist: facts from code (import provenance)', () => {
  it('structured logging: pino through a project logger module passes; console only fails', () => {
    const good = checklistOf({
      files: {
        'src/logger.ts': "import pino from 'pino';\nexport const logger = pino({ level: 'info' });\n",
        'src/server.ts': EXPRESS_SERVER + "import { logger } from './logger';\nlogger.info('started');\n",
      },
      dependencies: { ...deps, pino: '9.0.0' },
    });
    const s = item(good, 'observability.structured-logging');
    assert.equal(s.status, 'pass');
    // The call in server.ts reaches pino through the project's logger module (provenance).
    assert.deepEqual(evidence(s), ['src/logger.ts:2 pino logs JSON lines', 'src/server.ts:7 pino logs JSON lines']);
    const bad = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER + "console.log('listening');\n" }, dependencies: deps });
    const b = item(bad, 'observability.structured-logging');
    assert.equal(b.status, 'fail');
    assert.equal(evidence(b)[0], "src/server.ts:6 1 console.* call in the service's code (first here): plain text, no levels");
  });

  it('structured logging: winston needs format.json()', () => {
    const plain = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/log.ts': "import winston from 'winston';\nexport const log = winston.createLogger({ transports: [new winston.transports.Console()] });\n" }, dependencies: deps });
    assert.equal(item(plain, 'observability.structured-logging').status, 'warn');
    const json = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/log.ts': "import winston from 'winston';\nexport const log = winston.createLogger({ format: winston.format.json() });\n" }, dependencies: deps });
    const j = item(json, 'observability.structured-logging');
    assert.equal(j.status, 'pass');
    assert.ok(evidence(j).includes('src/log.ts:2 JSON log output configured here'), evidence(j).join('\n'));
  });

  it('metrics: prom-client with a /metrics route passes; used without a route warns', () => {
    const metricsRoute = "import client from 'prom-client';\nimport { app } from './app';\nclient.collectDefaultMetrics();\napp.get('/metrics', async (_req, res) => { res.send(await client.register.metrics()); });\n";
    const server = "import express from 'express';\nexport const app = express();\napp.listen(3000);\n";
    const r = checklistOf({ files: { 'src/app.ts': server, 'src/metrics.ts': metricsRoute }, dependencies: { ...deps, 'prom-client': '15.0.0' } });
    const m = item(r, 'observability.metrics');
    assert.equal(m.status, 'pass', evidence(m).join('\n'));
    assert.equal(evidence(m)[0], 'src/metrics.ts:4 metrics served at /metrics');
    const noRoute = checklistOf({ files: { 'src/app.ts': server, 'src/metrics.ts': "import client from 'prom-client';\nclient.collectDefaultMetrics();\n" }, dependencies: deps });
    assert.equal(item(noRoute, 'observability.metrics').status, 'warn');
  });

  it('rate limiting: mounted passes; created but never mounted warns', () => {
    const mounted = "import express from 'express';\nimport rateLimit from 'express-rate-limit';\nconst app = express();\nconst limiter = rateLimit({ windowMs: 60_000, limit: 100 });\napp.use(limiter);\napp.listen(3000);\n";
    const r = checklistOf({ files: { 'src/server.ts': mounted }, dependencies: deps });
    assert.equal(item(r, 'reliability.rate-limiting').status, 'pass');
    assert.deepEqual(evidence(item(r, 'reliability.rate-limiting')), ['src/server.ts:5 express-rate-limit mounted']);
    const unmounted = mounted.replace('app.use(limiter);\n', '');
    const u = item(checklistOf({ files: { 'src/server.ts': unmounted }, dependencies: deps }), 'reliability.rate-limiting');
    assert.equal(u.status, 'warn');
    assert.equal(evidence(u)[0], 'src/server.ts:4 express-rate-limit is set up here but never mounted on the app or a route');
  });

  it('rate limiting: NestJS ThrottlerModule and APP_GUARD count as mounted', () => {
    const mod = `import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
@Module({
  imports: [ThrottlerModule.forRoot([{ ttl: 60000, limit: 10 }])],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class AppModule {}
`;
    const main = "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() { const app = await NestFactory.create(AppModule); await app.listen(3000); }\nvoid bootstrap();\n";
    const r = checklistOf({ files: { 'src/app.module.ts': mod, 'src/main.ts': main }, dependencies: { '@nestjs/core': '11.0.0', '@nestjs/common': '11.0.0' } });
    const i = item(r, 'reliability.rate-limiting');
    assert.equal(i.status, 'pass', evidence(i).join('\n'));
    assert.ok(evidence(i).includes('src/app.module.ts:5 @nestjs/throttler mounted'), evidence(i).join('\n'));
  });

  it('outbound timeouts: fetch without a signal fails; with AbortSignal.timeout and axios.create({ timeout }) passes', () => {
    const bad = "export async function rates() { return (await fetch('https://rates.example/api')).json(); }\n";
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/rates.ts': bad }, dependencies: deps });
    const o = item(r, 'reliability.outbound-timeouts');
    assert.equal(o.status, 'fail');
    assert.deepEqual(evidence(o), ['src/rates.ts:1 fetch call without a timeout or AbortSignal: a slow dependency holds this request (and its connection) forever']);
    const good = "import axios from 'axios';\nconst http = axios.create({ baseURL: 'https://x.example', timeout: 5000 });\nexport const a = () => fetch('https://x.example', { signal: AbortSignal.timeout(5000) });\nexport const b = () => http.get('/y');\n";
    const g = item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/client.ts': good }, dependencies: deps }), 'reliability.outbound-timeouts');
    assert.equal(g.status, 'pass', evidence(g).join('\n'));
    assert.equal(item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER } }), 'reliability.outbound-timeouts').status, 'n/a');
  });

  it('retries and circuit breakers follow outbound calls', () => {
    const code = "import pRetry from 'p-retry';\nimport CircuitBreaker from 'opossum';\nconst call = () => fetch('https://x.example', { signal: AbortSignal.timeout(1000) });\nexport const breaker = new CircuitBreaker(call);\nexport const get = () => pRetry(call, { retries: 3 });\n";
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/client.ts': code }, dependencies: deps });
    assert.deepEqual(evidence(item(r, 'reliability.retries-backoff')), ['src/client.ts:5 p-retry used']);
    assert.deepEqual(evidence(item(r, 'reliability.circuit-breakers')), ['src/client.ts:4 opossum used']);
    const none = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/client.ts': "export const get = () => fetch('https://x.example', { signal: AbortSignal.timeout(1000) });\n" }, dependencies: deps });
    assert.equal(item(none, 'reliability.retries-backoff').status, 'warn');
    assert.equal(item(none, 'reliability.circuit-breakers').status, 'warn');
  });

  it('connection pooling: a client taken from the pool and never released fails; released in finally passes', () => {
    const pool = "import { Pool } from 'pg';\nexport const pool = new Pool({ max: 20 });\n";
    const leak = "import { pool } from './pool';\nexport async function move() {\n  const client = await pool.connect();\n  await client.query('BEGIN');\n  await client.query('COMMIT');\n}\n";
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/pool.ts': pool, 'src/move.ts': leak }, dependencies: deps });
    const c = item(r, 'reliability.connection-pooling');
    assert.equal(c.status, 'fail');
    assert.deepEqual(evidence(c), ['src/move.ts:3 connection taken from the pool here is never released']);
    const safe = leak.replace("  await client.query('BEGIN');\n  await client.query('COMMIT');\n", "  try {\n    await client.query('BEGIN');\n  } finally {\n    client.release();\n  }\n");
    const s = item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/pool.ts': pool, 'src/move.ts': safe }, dependencies: deps }), 'reliability.connection-pooling');
    assert.equal(s.status, 'pass');
    assert.deepEqual(evidence(s), ['src/pool.ts:2 pg pool with max 20']);
    const perCall = "import { Client } from 'pg';\nexport async function one() { const c = new Client(); await c.connect(); return c.query('SELECT 1'); }\n";
    assert.equal(item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/one.ts': perCall }, dependencies: deps }), 'reliability.connection-pooling').status, 'fail');
  });

  it('config validation: process.env parsed by zod passes; bare reads warn', () => {
    const env = "import { z } from 'zod';\nexport const env = z.object({ PORT: z.coerce.number() }).parse(process.env);\n";
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/env.ts': env }, dependencies: deps });
    assert.deepEqual(evidence(item(r, 'reliability.config-validation')), ['src/env.ts:2 process.env validated with zod']);
    const bare = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER + 'export const port = process.env.PORT;\n' }, dependencies: deps });
    assert.equal(item(bare, 'reliability.config-validation').status, 'warn');
    assert.deepEqual(evidence(item(bare, 'reliability.config-validation')), ['src/server.ts:6 1 process.env read in the code (first here), none validated']);
  });

  it('crash handlers: both events pass, none warns', () => {
    const handlers = EXPRESS_SERVER + "process.on('unhandledRejection', (r) => { console.error(r); process.exit(1); });\nprocess.on('uncaughtException', (e) => { console.error(e); process.exit(1); });\n";
    const r = checklistOf({ files: { 'src/server.ts': handlers }, dependencies: deps });
    assert.equal(item(r, 'reliability.crash-handlers').status, 'pass');
    assert.deepEqual(evidence(item(r, 'reliability.crash-handlers')), ["src/server.ts:6 process.on('unhandledRejection') registered", "src/server.ts:7 process.on('uncaughtException') registered"]);
    assert.equal(item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER }, dependencies: deps }), 'reliability.crash-handlers').status, 'warn');
  });

  it('analyzer items: health, shutdown and N+1 come from the rules\' findings', () => {
    const server = "import express from 'express';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nconst app = express();\napp.get('/orders', async (_req, res) => {\n  const { rows } = await pool.query('SELECT id FROM o');\n  for (const row of rows) await pool.query('SELECT * FROM i WHERE o_id = $1', [row.id]);\n  res.send('ok');\n});\napp.listen(3000);\n";
    const r = checklistOf({ files: { 'src/server.ts': server }, dependencies: deps, withTypes: true });
    assert.deepEqual(evidence(item(r, 'observability.health-endpoints')), ['src/server.ts:10 server started here; no health route found']);
    assert.equal(item(r, 'observability.health-endpoints').status, 'fail');
    assert.equal(item(r, 'reliability.graceful-shutdown').status, 'fail');
    assert.match(evidence(item(r, 'reliability.graceful-shutdown'))[0], /^src\/server\.ts:10 Express server started without a SIGTERM handler/);
    assert.equal(item(r, 'reliability.no-n-plus-one').status, 'fail');
    assert.match(evidence(item(r, 'reliability.no-n-plus-one'))[0], /^src\/server\.ts:7 `pool\.query\(…\)` runs a query once per element/);
    const ok = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER }, dependencies: deps });
    assert.deepEqual(evidence(item(ok, 'observability.health-endpoints')), ['src/server.ts:3 health route /livez']);
    assert.equal(item(ok, 'reliability.graceful-shutdown').status, 'pass');
  });

  it('indexed-queries uses the unindexed-filter rule when it is registered, else manual with a note', () => {
    const files = {
      'src/server.ts': EXPRESS_SERVER,
      'src/orders.ts': "import { Pool } from 'pg';\nconst pool = new Pool({ max: 5 });\nexport const byCustomer = (id: number) => pool.query('SELECT * FROM orders WHERE customer_id = $1', [id]);\n",
      'migrations/001_orders.sql': 'CREATE TABLE orders (id serial PRIMARY KEY, customer_id integer NOT NULL);\n',
    };
    const r = checklistOf({ files, dependencies: deps });
    const i = item(r, 'reliability.indexed-queries');
    const registered = Boolean(require('../../../src/core/rules').getRule('unindexed-filter'));
    if (registered) {
      assert.equal(i.status, 'fail', evidence(i).join('\n'));
      assert.match(evidence(i)[0], /^src\/orders\.ts:3 /);
      const indexed = checklistOf({ files: { ...files, 'migrations/002_idx.sql': 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n' }, dependencies: deps });
      assert.equal(item(indexed, 'reliability.indexed-queries').status, 'pass');
    } else {
      assert.equal(i.status, 'manual');
      assert.deepEqual(evidence(i), ['the unindexed-filter rule is not part of this Shipshape build yet, so query filters could not be checked against the indexes']);
    }
  });
});
