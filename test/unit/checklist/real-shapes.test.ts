// Shapes from real open-source APIs where the first verdicts were wrong (see the closing note of
// issue 14): fastify/demo, brocoders/nestjs-boilerplate, gothinkster/node-express-realworld-example-app.
import * as assert from 'node:assert/strict';
import { checklistOf, evidence, EXPRESS_SERVER, item } from './helpers';

describe('checklist: shapes from real repositories', () => {
  it('fastify/demo: plugins exported for @fastify/autoload are mounted (rate limit, helmet, env)', () => {
    const app = "import fastify from 'fastify';\nimport autoload from '@fastify/autoload';\nimport path from 'node:path';\nconst app = fastify({ logger: true });\napp.register(autoload, { dir: path.join(__dirname, 'plugins') });\napp.listen({ port: 3000 });\n";
    const r = checklistOf({
      files: {
        'src/app.ts': app,
        'src/plugins/rate-limit.ts': "import fastifyRateLimit from '@fastify/rate-limit';\nexport const autoConfig = { max: 100 };\nexport default fastifyRateLimit;\n",
        'src/plugins/helmet.ts': "import helmet from '@fastify/helmet';\nexport default helmet;\n",
        'src/plugins/env.ts': "import env from '@fastify/env';\nexport const autoConfig = { schema: { type: 'object' } };\nexport default env;\n",
      },
      dependencies: { fastify: '5.0.0' },
    });
    assert.deepEqual(evidence(item(r, 'reliability.rate-limiting')), ['src/plugins/rate-limit.ts:3 @fastify/rate-limit mounted']);
    assert.deepEqual(evidence(item(r, 'security.security-headers')), ['src/plugins/helmet.ts:2 @fastify/helmet mounted']);
    assert.equal(item(r, 'reliability.config-validation').status, 'pass');
  });

  it('fastify/demo: one-off scripts and seeds are not the service (pools, SQL, console, N+1)', () => {
    const script = "import { createConnection } from 'mysql2/promise';\nasync function main() {\n  const connection = await createConnection({});\n  await connection.query(`CREATE DATABASE IF NOT EXISTS ${process.env.DB}`);\n  console.log('created');\n}\nmain();\n";
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'scripts/create-database.ts': script, 'src/db/seed.ts': script }, dependencies: { express: '5.0.0', mysql2: '3.0.0' } });
    assert.equal(item(r, 'security.sql-injection').status, 'pass');
    assert.notEqual(item(r, 'reliability.connection-pooling').status, 'fail');
    assert.ok(!evidence(item(r, 'observability.structured-logging')).some((e) => e.includes('console')), evidence(item(r, 'observability.structured-logging')).join('\n'));
  });

  it('fastify/demo: tests through app.inject are integration tests', () => {
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'test/app.test.ts': "import { build } from './helper';\nexport async function t() {\n  const app = await build();\n  const res = await app.inject({ method: 'GET', url: '/' });\n  return res;\n}\n" }, dependencies: { express: '5.0.0' } });
    assert.deepEqual(evidence(item(r, 'testing.integration-tests')), ['test/app.test.ts:4 light-my-request used in a test']);
  });

  it('nestjs-boilerplate: process.env validated through a project helper that calls class-validator', () => {
    const helper = "import { plainToClass } from 'class-transformer';\nimport { validateSync } from 'class-validator';\nexport function validateConfig<T extends object>(config: Record<string, unknown>, cls: new () => T) {\n  const errors = validateSync(plainToClass(cls, config));\n  if (errors.length) throw new Error(String(errors));\n  return config;\n}\n";
    const config = "import { validateConfig } from '../utils/validate-config';\nclass Env { PORT!: number }\nexport default () => { validateConfig(process.env, Env); return { port: Number(process.env.PORT) }; };\n";
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/utils/validate-config.ts': helper, 'src/config/app.config.ts': config }, dependencies: { express: '5.0.0' } });
    assert.deepEqual(evidence(item(r, 'reliability.config-validation')), ['src/config/app.config.ts:3 process.env validated with class-validator']);
  });

  it('nestjs-boilerplate: a DataSource created in a module factory is one pool, not one per call', () => {
    const mod = "import { Module } from '@nestjs/common';\nimport { TypeOrmModule } from '@nestjs/typeorm';\nimport { DataSource, DataSourceOptions } from 'typeorm';\n@Module({ imports: [TypeOrmModule.forRootAsync({ dataSourceFactory: async (options?: DataSourceOptions) => new DataSource(options!).initialize() })] })\nexport class AppModule {}\n";
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/app.module.ts': mod }, dependencies: { express: '5.0.0', typeorm: '0.3.0' } });
    const c = item(r, 'reliability.connection-pooling');
    assert.equal(c.status, 'pass', evidence(c).join('\n'));
    assert.deepEqual(evidence(c), ['src/app.module.ts:4 typeorm keeps its own connection pool']);
  });

  it('nestjs-boilerplate: NestJS\'s built-in Logger is a logger, but plain text', () => {
    const svc = "import { Logger } from '@nestjs/common';\nconst logger = new Logger('Auth');\nexport const warn = () => logger.warn('x');\n";
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/auth.ts': svc }, dependencies: { express: '5.0.0' } });
    const l = item(r, 'observability.structured-logging');
    assert.equal(l.status, 'warn');
    assert.equal(evidence(l)[0], "src/auth.ts:2 NestJS's built-in Logger (2 uses, first here) prints plain text");
  });

  it('nestjs-boilerplate / realworld: global tool installs are fine; `npm --prefix api -f install` is not npm ci', () => {
    const docker = 'FROM node:22-alpine\nRUN npm i -g @nestjs/cli\nCOPY . .\nRUN npm --prefix api --omit=dev -f install\nUSER node\n';
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, Dockerfile: docker }, dependencies: { express: '5.0.0' } });
    assert.deepEqual(evidence(item(r, 'deployment.dockerfile')), [
      'Dockerfile:1 final image from node:22-alpine',
      'Dockerfile:4 `npm --prefix api --omit=dev -f install` resolves versions at build time; `npm ci` installs the lockfile exactly',
    ]);
  });

  it('nestjs-boilerplate: compose files for tests and CI are not production health checks', () => {
    const compose = 'services:\n  api:\n    build: .\n';
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'docker-compose.test.yaml': compose, 'docker-compose.ci.yaml': compose }, dependencies: { express: '5.0.0' } });
    assert.equal(item(r, 'deployment.probes').status, 'n/a');
  });

  it('realworld: an image that adds a user but never switches to it runs as root', () => {
    const docker = 'FROM docker.io/node:lts-alpine\nRUN addgroup --system api && adduser --system -G api api\nCOPY dist/api api\nCMD ["node", "api"]\n';
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, Dockerfile: docker }, dependencies: { express: '5.0.0' } });
    assert.equal(item(r, 'deployment.docker-non-root').status, 'fail');
  });
});
