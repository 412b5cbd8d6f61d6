import { missingHealthEndpoint } from '../../src/core/rules/missing-health-endpoint';
import { runFixRoundTrips, runTypedFixtureChecks } from '../helpers/fixRoundTrip';
import { runRuleTests, type InvalidCase, type ValidCase } from '../helpers/ruleTester';
import { TWO_APPS } from '../helpers/monorepo';
import { RESTIFY_DECLARATIONS, RESTIFY_HEALTHY } from '../helpers/restify';

const DB = `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL });
`;

const EXPRESS = `import express from 'express';
import { pool } from './db';

const app = express();
app.use(express.json());

app.get('/orders', async (_req, res) => {
  const { rows } = await pool.query('SELECT id FROM orders');
  res.json(rows);
});

app.use((_req, res) => res.status(404).json({ error: 'not found' }));

app.listen(3000);
`;

const EXPRESS_FIXED = `import express from 'express';
import { pool } from './db';

const app = express();

// Liveness probe: the process is up and serving requests.
app.get('/livez', (_req, res) => {
  res.status(200).json({ status: 'ok' });
});
// Readiness probe: the database answers; 503 takes this instance out of the load balancer.
app.get('/readyz', async (_req, res) => {
  try {
    await pool.query('SELECT 1');
    res.status(200).json({ status: 'ok' });
  } catch {
    res.status(503).json({ status: 'unavailable' });
  }
});

app.use(express.json());

app.get('/orders', async (_req, res) => {
  const { rows } = await pool.query('SELECT id FROM orders');
  res.json(rows);
});

app.use((_req, res) => res.status(404).json({ error: 'not found' }));

app.listen(3000);
`;

// The app is built in src/app.ts (with Prisma from src/prisma.ts) and started in src/server.ts.
const EXPRESS_SPLIT = {
  'src/prisma.ts': `import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient();
`,
  'src/app.ts': `import express from "express"
import { ordersRouter } from "./orders"

export function createApp() {
    const app = express()
    app.use("/orders", ordersRouter)
    return app
}
`,
  'src/orders.ts': `import { Router } from "express"
import { prisma } from "./prisma"

export const ordersRouter = Router()
ordersRouter.get("/", async (_req, res) => {
    res.json(await prisma.order.findMany())
})
`,
  'src/server.ts': `import { createApp } from "./app"

createApp().listen(Number(process.env.PORT ?? 3000))
`,
};

const EXPRESS_SPLIT_FIXED_APP = `import express from "express"
import { ordersRouter } from "./orders"
import { prisma } from "./prisma"

export function createApp() {
    const app = express()

    // Liveness probe: the process is up and serving requests.
    app.get("/livez", (_req, res) => {
        res.status(200).json({ status: "ok" })
    })
    // Readiness probe: the database answers; 503 takes this instance out of the load balancer.
    app.get("/readyz", async (_req, res) => {
        try {
            await prisma.$queryRaw\`SELECT 1\`
            res.status(200).json({ status: "ok" })
        } catch {
            res.status(503).json({ status: "unavailable" })
        }
    })

    app.use("/orders", ordersRouter)
    return app
}
`;

const FASTIFY = `import Fastify from 'fastify';
import postgres from 'postgres';

export const sql = postgres(process.env.DATABASE_URL ?? 'postgres://localhost/app');
const app = Fastify({ logger: true });

app.get('/orders', async () => sql\`SELECT id FROM orders\`);

await app.listen({ port: 3000, host: '0.0.0.0' });
`;

const FASTIFY_FIXED = `import Fastify from 'fastify';
import postgres from 'postgres';

export const sql = postgres(process.env.DATABASE_URL ?? 'postgres://localhost/app');
const app = Fastify({ logger: true });

// Liveness probe: the process is up and serving requests.
app.get('/livez', async () => ({ status: 'ok' }));
// Readiness probe: the database answers; 503 takes this instance out of the load balancer.
app.get('/readyz', async (_request, reply) => {
  try {
    await sql\`SELECT 1\`;
    return { status: 'ok' };
  } catch {
    return reply.code(503).send({ status: 'unavailable' });
  }
});

app.get('/orders', async () => sql\`SELECT id FROM orders\`);

await app.listen({ port: 3000, host: '0.0.0.0' });
`;

const KOA = `import Koa from 'koa';
import Router from '@koa/router';
import { pool } from './db';

const app = new Koa();
const router = new Router({ prefix: '/api' });

router.get('/orders', async (ctx) => {
  ctx.body = (await pool.query('SELECT id FROM orders')).rows;
});

app.use(router.routes());
app.listen(3000);
`;

const KOA_FIXED = `import Koa from 'koa';
import Router from '@koa/router';
import { pool } from './db';

const app = new Koa();

// Liveness and readiness probes, answered before the rest of the middleware.
app.use(async (ctx, next) => {
  if (ctx.path === '/livez') {
    ctx.body = { status: 'ok' };
    return;
  }
  if (ctx.path === '/readyz') {
    try {
      await pool.query('SELECT 1');
      ctx.body = { status: 'ok' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'unavailable' };
    }
    return;
  }
  await next();
});

const router = new Router({ prefix: '/api' });

router.get('/orders', async (ctx) => {
  ctx.body = (await pool.query('SELECT id FROM orders')).rows;
});

app.use(router.routes());
app.listen(3000);
`;

const HONO = `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { drizzle } from 'drizzle-orm/node-postgres';

export const db = drizzle(process.env.DATABASE_URL!);
const app = new Hono();
app.get('/orders', (c) => c.json([]));

serve({ fetch: app.fetch, port: 3000 });
`;

const HONO_FIXED = `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';

export const db = drizzle(process.env.DATABASE_URL!);
const app = new Hono();

// Liveness probe: the process is up and serving requests.
app.get('/livez', (c) => c.json({ status: 'ok' }));
// Readiness probe: the database answers; 503 takes this instance out of the load balancer.
app.get('/readyz', async (c) => {
  try {
    await db.execute(sql\`SELECT 1\`);
    return c.json({ status: 'ok' });
  } catch {
    return c.json({ status: 'unavailable' }, 503);
  }
});

app.get('/orders', (c) => c.json([]));

serve({ fetch: app.fetch, port: 3000 });
`;

const NODE_HTTP = `import { createServer } from 'node:http';
import { pool } from './db';

const server = createServer(async (req, res) => {
  const { rows } = await pool.query('SELECT id FROM orders');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(rows));
});

server.listen(8080);
`;

const NODE_HTTP_FIXED = `import { createServer } from 'node:http';
import { pool } from './db';

const server = createServer(async (req, res) => {
  // Liveness probe: the process is up and serving requests.
  if (req.url === '/livez') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok' }));
    return;
  }
  // Readiness probe: the database answers; 503 takes this instance out of the load balancer.
  if (req.url === '/readyz') {
    pool.query('SELECT 1').then(
      () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ok' }));
      },
      () => {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'unavailable' }));
      },
    );
    return;
  }
  const { rows } = await pool.query('SELECT id FROM orders');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(rows));
});

server.listen(8080);
`;

const RESTIFY = `import restify from 'restify';
import { pool } from './db';

const server = restify.createServer({ name: 'orders-api' });
server.use(restify.plugins.queryParser());

server.get('/orders', async (_req, res) => {
  res.send((await pool.query('SELECT id FROM orders')).rows);
});

server.listen(8080);
`;

const RESTIFY_FIXED = `import restify from 'restify';
import { pool } from './db';

const server = restify.createServer({ name: 'orders-api' });

// Liveness probe: the process is up and serving requests.
server.get('/livez', (_req, res, next) => {
  res.send(200, { status: 'ok' });
  next();
});
// Readiness probe: the database answers; 503 takes this instance out of the load balancer.
server.get('/readyz', (_req, res, next) => {
  pool.query('SELECT 1').then(
    () => {
      res.send(200, { status: 'ok' });
      next();
    },
    () => {
      res.send(503, { status: 'unavailable' });
      next();
    },
  );
});

server.use(restify.plugins.queryParser());

server.get('/orders', async (_req, res) => {
  res.send((await pool.query('SELECT id FROM orders')).rows);
});

server.listen(8080);
`;

const NEST_MAIN = `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  await app.listen(3000);
}
bootstrap();
`;

const NEST_MODULE = `import { Module } from '@nestjs/common';
import { OrdersController } from './orders.controller';
import { PrismaService } from './prisma.service';

@Module({
  controllers: [OrdersController],
  providers: [PrismaService],
})
export class AppModule {}
`;

const NEST_FILES = {
  'src/main.ts': NEST_MAIN,
  'src/app.module.ts': NEST_MODULE,
  'src/prisma.service.ts': `import { Injectable, OnModuleInit } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit {
  async onModuleInit() {
    await this.$connect();
  }
}
`,
  'src/orders.controller.ts': `import { Controller, Get } from '@nestjs/common';

@Controller('orders')
export class OrdersController {
  @Get()
  list() {
    return [];
  }
}
`,
};

const NEST_CONTROLLER = `import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { PrismaService } from './prisma.service';

/**
 * Liveness and readiness probes for the load balancer and the orchestrator.
 * Liveness: the process is up. Readiness: it can serve (the database answers);
 * a 503 takes the instance out of rotation until it recovers.
 */
@Controller()
export class HealthController {
  constructor(private readonly prisma: PrismaService) {}

  @Get('livez')
  live() {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready() {
    try {
      await this.prisma.$queryRaw\`SELECT 1\`;
    } catch {
      throw new ServiceUnavailableException({ status: 'unavailable' });
    }
    return { status: 'ok' };
  }
}
`;

const NEST_MODULE_FIXED = `import { Module } from '@nestjs/common';
import { OrdersController } from './orders.controller';
import { PrismaService } from './prisma.service';
import { HealthController } from './health.controller';

@Module({
  controllers: [OrdersController, HealthController],
  providers: [PrismaService],
})
export class AppModule {}
`;

/** package.json and tsconfig of an ES module project (top-level await). */
const ESM = {
  'package.json': JSON.stringify({ name: 'esm-api', type: 'module' }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true } }),
};

/** NestJS with TypeORM: the health controller injects the DataSource. */
const NEST_TYPEORM_FILES = {
  'src/main.ts': NEST_MAIN,
  'src/app.module.ts': `import { Module } from '@nestjs/common';

@Module({ providers: [] })
export class AppModule {}
`,
};

const NEST_TYPEORM_CONTROLLER = `import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Liveness and readiness probes for the load balancer and the orchestrator.
 * Liveness: the process is up. Readiness: it can serve (the database answers);
 * a 503 takes the instance out of rotation until it recovers.
 */
@Controller()
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('livez')
  live() {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready() {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException({ status: 'unavailable' });
    }
    return { status: 'ok' };
  }
}
`;



// A library package's exported helper that serves the handler it is given (atproto's lex-server shape).
const SERVE_HELPER = `import { createServer, RequestListener } from 'node:http';
import { once } from 'node:events';
/** Example: const server = await serve(handler, 8080); process.on('SIGTERM', () => server.close()); */
export async function serve(handler: RequestListener, port: number) {
  const server = createServer(handler);
  server.listen(port);
  await once(server, 'listening');
  return server;
}
`;

const valid: ValidCase[] = [
  {
    name: 'monorepo: the app that serves /healthz is not reported; a route file its entry does not import still counts in its own package',
    files: { ...TWO_APPS, 'apps/api/src/routes/health.ts': `import { Router } from 'express';\nexport default Router().get('/health', (_req, res) => res.send('ok'));\n` },
  },
  {
    name: 'express: app.get(/healthz)',
    files: { 'src/server.ts': `import express from 'express';\nconst app = express();\napp.get('/healthz', (_req, res) => res.send('ok'));\napp.listen(3000);\n` },
  },
  {
    name: 'express with types: health router in another file mounted with a prefix',
    withTypes: true,
    files: {
      'src/routes/health.ts': `import { Router } from 'express';
export const healthRouter = Router();
healthRouter.get('/', (_req, res) => {
  res.json({ status: 'ok' });
});
`,
      'src/server.ts': `import express from 'express';
import { healthRouter } from './routes/health';
const app = express();
app.use('/health', healthRouter);
app.listen(3000);
`,
    },
  },
  {
    name: 'express: default-exported router built in a function, mounted at /healthz',
    files: {
      'src/health.ts': `import express from 'express';
export default function healthRoutes() {
  const router = express.Router();
  router.get('/', (_req, res) => res.sendStatus(200));
  return router;
}
`,
      'src/server.ts': `import express from 'express';
import healthRoutes from './health';
const app = express();
app.use('/healthz', healthRoutes());
app.listen(3000);
`,
    },
  },
  {
    name: 'express: router.route(/health).get and a global /api prefix',
    files: {
      'src/server.ts': `import express, { Router } from 'express';
const api = Router();
api.route('/health').get((_req, res) => res.send('ok'));
const app = express();
app.use('/api/v1', api);
app.listen(3000);
`,
    },
  },
  {
    name: 'express: path from a constant',
    files: {
      'src/server.ts': `import express from 'express';
const HEALTH_PATH = '/livez';
const app = express();
app.get(HEALTH_PATH, (_req, res) => res.send('ok'));
app.listen(3000);
`,
    },
  },
  {
    name: 'fastify: route({ url }) and a plugin registered with a prefix',
    files: {
      'src/health.ts': `import type { FastifyInstance } from 'fastify';
export async function healthPlugin(fastify: FastifyInstance) {
  fastify.get('/', async () => ({ ok: true }));
}
`,
      'src/server.ts': `import Fastify from 'fastify';
import { healthPlugin } from './health';
const app = Fastify();
app.register(healthPlugin, { prefix: '/health' });
app.listen({ port: 3000 });
`,
    },
  },
  {
    name: 'fastify with types: untyped plugin parameter, route({ method, url })',
    withTypes: true,
    files: {
      'src/server.ts': `import Fastify from 'fastify';
const app = Fastify();
app.register(async (instance) => {
  instance.route({ method: 'GET', url: '/readyz', handler: async () => 'ok' });
});
app.listen({ port: 3000 });
`,
    },
  },
  {
    name: 'fastify: default-exported plugin (satisfies FastifyPluginAsync) registered with a prefix from a class field',
    files: {
      'src/health.router.ts': `import type { FastifyPluginAsync } from 'fastify';
export default (async (fastify) => {
  fastify.get('/', async () => ({ status: 'ok' }));
}) satisfies FastifyPluginAsync;
`,
      'src/server.ts': `import Fastify from 'fastify';
import healthRouter from './health.router';
export class Server {
  #app: ReturnType<typeof Fastify>;
  constructor() {
    this.#app = Fastify();
    this.#app.register(healthRouter, { prefix: '/readyz' });
  }
  start() {
    return this.#app.listen({ port: 3000 });
  }
}
`,
    },
  },
  {
    name: 'route wrappers: a Controller base class forwards paths to an Express Router (use, and route({ path }) through get)',
    files: {
      'src/controller.ts': `import { Router, type IRouter, type RequestHandler } from 'express';
interface RouteOptions {
  method: 'get' | 'post';
  path: string;
  handler: RequestHandler;
}
export default class Controller {
  app: IRouter;
  constructor() {
    this.app = Router();
  }
  route(options: RouteOptions): void {
    this.app[options.method](options.path, options.handler);
  }
  get(path: string, handler: RequestHandler): void {
    this.route({ method: 'get', path, handler });
  }
  use(path: string, router: IRouter): void {
    this.app.use(path, router);
  }
  get router(): IRouter {
    return this.app;
  }
}
`,
      'src/ready.ts': `import Controller from './controller';
export class ReadyController extends Controller {
  constructor() {
    super();
    this.get('/', (_req, res) => {
      res.json({ ready: true });
    });
  }
}
`,
      'src/index-router.ts': `import Controller from './controller';
import { ReadyController } from './ready';
export class IndexRouter extends Controller {
  constructor() {
    super();
    this.use('/readyz', new ReadyController().router);
  }
}
`,
      'src/server.ts': `import express from 'express';
import { IndexRouter } from './index-router';
const app = express();
app.use('/', new IndexRouter().router);
app.listen(3000);
`,
    },
  },
  {
    name: 'routing-controllers: @JsonController(/health) + @Get()',
    files: {
      'src/health.controller.ts': `import { Get, JsonController } from 'routing-controllers';
@JsonController('/health')
export class HealthController {
  @Get()
  check() {
    return { status: 'ok' };
  }
}
`,
      'src/server.ts': `import { Application } from 'express';
import { createExpressServer } from 'routing-controllers';
import { HealthController } from './health.controller';
const app: Application = createExpressServer({ controllers: [HealthController] });
app.listen(3000);
`,
    },
  },
  {
    name: 'koa with types: @koa/router with a prefix, nested with router.use',
    withTypes: true,
    files: {
      'src/health.ts': `import Router from '@koa/router';
export const health = new Router();
health.get('/', (ctx) => {
  ctx.body = 'ok';
});
`,
      'src/server.ts': `import Koa from 'koa';
import Router from '@koa/router';
import { health } from './health';
const app = new Koa();
const root = new Router();
root.use('/healthz', health.routes());
app.use(root.routes());
app.listen(3000);
`,
    },
  },
  {
    name: 'koa: middleware comparing ctx.path',
    files: {
      'src/server.ts': `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => {
  if (ctx.path === '/ping') {
    ctx.body = 'pong';
    return;
  }
  await next();
});
app.listen(3000);
`,
    },
  },
  {
    name: 'hono: sub-app mounted with app.route',
    files: {
      'src/health.ts': `import { Hono } from 'hono';
export const health = new Hono().get('/', (c) => c.text('ok'));
`,
      'src/server.ts': `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { health } from './health';
const app = new Hono();
app.route('/health', health);
serve(app);
`,
    },
  },
  {
    name: 'restify: server.get(/healthz)',
    files: { 'src/server.ts': RESTIFY_HEALTHY },
  },
  {
    name: 'restify with types (restify declarations stand-in): server.get(/healthz)',
    withTypes: true,
    files: { 'src/server.ts': RESTIFY_HEALTHY, ...RESTIFY_DECLARATIONS },
  },
  {
    name: 'restify: a versioned route, its path in an options object',
    files: {
      'src/server.ts': `import restify from 'restify';
const server = restify.createServer();
server.get({ path: '/healthz', version: '1.0.0' }, (_req, res, next) => {
  res.send(200);
  next();
});
server.listen(8080);
`,
    },
  },
  {
    name: 'restify: a pre() middleware answering the probe, comparing req.getPath()',
    files: {
      'src/server.ts': `import restify from 'restify';
const server = restify.createServer();
server.pre((req, res, next) => {
  if (req.getPath() === '/livez') {
    res.send(200);
    return;
  }
  next();
});
server.listen(8080);
`,
    },
  },
  {
    name: 'restify: a health route registered in another file on the server it is given',
    files: {
      'src/health.ts': `import type { Server } from 'restify';
export function healthRoutes(server: Server) {
  server.head('/health', (_req, res, next) => {
    res.send(200);
    next();
  });
}
`,
      'src/server.ts': `import * as restify from 'restify';
import { healthRoutes } from './health';
const server = restify.createServer();
healthRoutes(server);
server.listen(8080);
`,
    },
  },
  {
    name: 'nestjs with types: @Controller(health) + @Get(live)',
    withTypes: true,
    files: {
      'src/health.controller.ts': `import { Controller, Get } from '@nestjs/common';
@Controller('health')
export class HealthController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}
`,
      'src/main.ts': NEST_MAIN,
      'src/app.module.ts': `import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
@Module({ controllers: [HealthController] })
export class AppModule {}
`,
    },
  },
  {
    name: 'nestjs: @Controller({ path: "status" }) + @Get()',
    files: {
      'src/status.controller.ts': `import { Controller, Get } from '@nestjs/common';
@Controller({ path: 'status' })
export class StatusController {
  @Get()
  status() {
    return 'ok';
  }
}
`,
      'src/main.ts': NEST_MAIN,
    },
  },
  {
    name: 'terminus healthChecks (with types)',
    withTypes: true,
    files: {
      'src/server.ts': `import http from 'node:http';
import express from 'express';
import { createTerminus } from '@godaddy/terminus';
const app = express();
const server = http.createServer(app);
createTerminus(server, { healthChecks: { '/healthz': async () => 'ok' } });
server.listen(3000);
`,
    },
  },
  {
    name: 'lightship probe server counts',
    files: {
      'src/server.ts': `import express from 'express';
import { createLightship } from 'lightship';
const lightship = await createLightship();
const app = express();
app.listen(3000, () => lightship.signalReady());
`,
    },
  },
  {
    name: 'node:http: handler switching on req.url',
    files: {
      'src/server.ts': `import * as http from 'node:http';
http
  .createServer((req, res) => {
    switch (req.url) {
      case '/healthz':
        res.end('ok');
        return;
      default:
        res.statusCode = 404;
        res.end();
    }
  })
  .listen(8080);
`,
    },
  },
  {
    name: 'common spelling /health-check counts with the default healthPaths (router mounted from another file)',
    files: {
      'src/api/healthCheck/healthCheckRouter.ts': `import express, { type Request, type Response, type Router } from "express";
export const healthCheckRouter: Router = express.Router();
healthCheckRouter.get("/", (_req: Request, res: Response) => {
  res.json({ message: "Service is healthy" });
});
`,
      'src/server.ts': `import express, { type Express } from "express";
import { healthCheckRouter } from "./api/healthCheck/healthCheckRouter";
const app: Express = express();
app.use("/health-check", healthCheckRouter);
export { app };
`,
      'src/index.ts': `import { app } from "./server";
const server = app.listen(3000);
`,
    },
  },
  {
    name: 'configurable healthPaths: /healthcheck',
    config: { healthPaths: ['/healthcheck'] },
    files: { 'src/server.ts': `import express from 'express';\nconst app = express();\napp.get('/healthcheck', (_req, res) => res.send('ok'));\napp.listen(3000);\n` },
  },
  {
    name: 'routes in test files do not matter when there is no server',
    files: { 'src/app.ts': `import express from 'express';\nexport const app = express();\n`, 'src/app.test.ts': `import { app } from './app';\napp.listen(0);\n` },
  },
  {
    name: 'not a framework: a local object named app',
    files: { 'src/server.ts': `const app = { listen(_port: number) {} };\napp.listen(3000);\n` },
  },
  {
    name: 'suppressed with a comment',
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
app.listen(3000); // shipshape-disable-line missing-health-endpoint -- probes are served by the sidecar
`,
    },
  },
  // Shapes from real repositories (issue 7/8 review): routers received as parameters, Next.js API routes.
  {
    name: 'koa: a route module receives its router as a destructured rest parameter (...[router, tenant]: RouterInitArgs<T>)',
    files: {
      'src/routes/types.ts': `import type Router from 'koa-router';
export type AnonymousRouter = Router<unknown, { tenantId: string }>;
export type RouterInit<T> = (router: T, tenant: { id: string }) => void;
export type RouterInitArgs<T> = Parameters<RouterInit<T>>;
`,
      'src/routes/status.ts': `import type { AnonymousRouter, RouterInitArgs } from './types';
export default function statusRoutes<T extends AnonymousRouter>(...[router, tenant]: RouterInitArgs<T>) {
  router.get('/status', async (ctx, next) => {
    ctx.status = 204;
    ctx.set('tenant', tenant.id);
    return next();
  });
}
`,
      'src/routes/init.ts': `import Koa from 'koa';
import Router from 'koa-router';
import type { AnonymousRouter } from './types';
import statusRoutes from './status';
export default function initApis(tenant: { id: string }): Koa {
  const app = new Koa();
  const anonymousRouter: AnonymousRouter = new Router();
  statusRoutes(anonymousRouter, tenant);
  app.use(anonymousRouter.routes());
  return app;
}
`,
      'src/main.ts': `import initApis from './routes/init';
initApis({ id: 'default' }).listen(3001);
`,
    },
  },
  {
    name: 'express: routes registered on a router received in a destructured dependencies object ({ router }: Deps)',
    files: {
      'src/health.ts': `import type { Router } from 'express';
interface Deps { router: Router; version: string }
export const healthRoutes = ({ router, version }: Deps) => {
  router.get('/healthz', (_req, res) => res.json({ status: 'ok', version }));
};
`,
      'src/server.ts': `import express from 'express';
import { healthRoutes } from './health';
const app = express();
const api = express.Router();
healthRoutes({ router: api, version: '1' });
app.use('/api', api);
app.listen(3000);
`,
    },
  },
  {
    name: 'express: an untyped (router) => parameter, its caller passes a mounted router',
    files: {
      'src/health.js': `module.exports.registerHealth = function registerHealth(router) {
  router.get('/health', (_req, res) => res.send('ok'));
};
`,
      'src/server.js': `const express = require('express');
const { registerHealth } = require('./health');
const app = express();
const internal = express.Router();
registerHealth(internal);
app.use('/internal', internal);
app.listen(3000);
`,
    },
  },
  {
    name: 'next.js custom server: pages/api/health.ts is served by the same process',
    files: {
      'package.json': '{ "name": "web", "dependencies": { "next": "15.0.0" } }',
      'pages/api/health.ts': `import type { NextApiRequest, NextApiResponse } from 'next';
export default async function handler(_req: NextApiRequest, res: NextApiResponse) {
  return res.status(200).json({ ok: true });
}
`,
      'server/server.ts': `import http from 'node:http';
import next from 'next';
const app = next({ dev: false });
const handle = app.getRequestHandler();
void app.prepare().then(() => {
  const server = http.createServer((req, res) => {
    handle(req, res);
  });
  server.listen(3000);
});
`,
    },
  },
  {
    name: 'next.js custom server: app/api/health/route.ts with an exported GET (route group in the path)',
    files: {
      'package.json': '{ "name": "web", "dependencies": { "next": "15.0.0" } }',
      'src/app/(ops)/api/health/route.ts': `import { NextResponse } from 'next/server';
export async function GET() {
  return NextResponse.json({ status: 'ok' });
}
`,
      'server.ts': `import { createServer } from 'node:http';
import next from 'next';
const app = next({});
const handle = app.getRequestHandler();
app.prepare().then(() => createServer((req, res) => handle(req, res)).listen(3000));
`,
    },
  },
  {
    name: "an exported serve(handler) helper of a library package that nothing in the repository calls is not a server process",
    files: {
      'packages/http-kit/src/index.ts': SERVE_HELPER,
    },
  },
  {
    name: 'the same serve(handler) helper, called only by its own tests and by a usage example of its package, is not a server process',
    files: {
      'packages/http-kit/package.json': JSON.stringify({ name: '@corp/http-kit', version: '1.0.0', exports: { '.': './dist/index.js' } }),
      'packages/http-kit/src/index.ts': SERVE_HELPER,
      'packages/http-kit/src/index.test.ts': `import { serve } from './index';
export async function t() { const s = await serve((_req, res) => res.end('ok'), 0); s.close(); }
`,
      'packages/http-kit/examples/hello.ts': `import { serve } from '../src/index';
void serve((_req, res) => res.end('hello'), 8080);
`,
    },
  },
];

const invalid: InvalidCase[] = [
  {
    name: 'the same serve(handler) helper, called by an app of the repository, is a server process',
    files: {
      'packages/http-kit/src/index.ts': SERVE_HELPER,
      'apps/web/src/main.ts': `import { serve } from '../../../packages/http-kit/src/index';
void serve((_req, res) => res.end('hello'), 8080);
`,
    },
    errors: [{ messageId: 'noHealthRoute', file: 'packages/http-kit/src/index.ts', line: 6, column: 3 }],
  },
  {
    name: "express: a resource's status (/orders/:id/status, /jobs/:jobId/status) is not a health endpoint",
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
const order = express.Router({ mergeParams: true });
order.get('/status', (_req, res) => res.json({ state: 'shipped' }));
app.use('/orders/:id', order);
app.get('/jobs/:jobId/status', (_req, res) => res.json({ state: 'done' }));
app.listen(3000);
`,
    },
    errors: [{ messageId: 'noHealthRoute', line: 7, column: 1 }],
  },
  {
    name: 'koa: a route module given a router that is mounted under a resource parameter',
    files: {
      'src/status.ts': `import type Router from '@koa/router';
export function statusRoutes(router: Router) {
  router.get('/status', (ctx) => {
    ctx.body = { state: 'running' };
  });
}
`,
      'src/server.ts': `import Koa from 'koa';
import Router from '@koa/router';
import { statusRoutes } from './status';
const app = new Koa();
const root = new Router();
const job = new Router();
statusRoutes(job);
root.use('/jobs/:jobId', job.routes());
app.use(root.routes());
app.listen(3000);
`,
    },
    errors: [{ messageId: 'noHealthRoute', file: 'src/server.ts', line: 10, column: 1 }],
  },
  {
    name: 'pages/api/health.ts in a project that is not a Next.js app does not count',
    files: {
      'pages/api/health.ts': `export default function handler(_req: unknown, res: { end(s: string): void }) {
  res.end('ok');
}
`,
      'src/server.ts': `import express from 'express';
const app = express();
app.get('/orders', (_req, res) => res.json([]));
app.listen(3000);
`,
    },
    errors: [{ messageId: 'noHealthRoute', file: 'src/server.ts', line: 4, column: 1 }],
  },
  {
    name: 'monorepo: another app\'s health route does not count for this server',
    files: TWO_APPS,
    errors: [{ messageId: 'noHealthRoute', file: 'apps/api/src/main.ts', line: 5, column: 1 }],
  },
  {
    name: 'express: fix adds /livez and /readyz right after the app is created (before the 404 handler)',
    files: { 'src/server.ts': EXPRESS, 'src/db.ts': DB },
    errors: [{ messageId: 'noHealthRoute', line: 14, column: 1, messageIncludes: ['Express server started', '/livez', '/readyz'] }],
    fix: { title: 'Add /livez and /readyz health routes', output: { 'src/server.ts': EXPRESS_FIXED } },
  },
  {
    name: 'express with types',
    withTypes: true,
    files: { 'src/server.ts': EXPRESS, 'src/db.ts': DB },
    errors: [{ messageId: 'noHealthRoute', line: 14, column: 1 }],
    fix: { title: 'Add /livez and /readyz health routes', output: { 'src/server.ts': EXPRESS_FIXED } },
  },
  {
    name: 'express split over files, double quotes and no semicolons: fix goes into createApp and imports prisma',
    files: EXPRESS_SPLIT,
    errors: [{ messageId: 'noHealthRoute', file: 'src/server.ts', line: 3, column: 1 }],
    fix: { title: 'Add /livez and /readyz', output: { 'src/app.ts': EXPRESS_SPLIT_FIXED_APP } },
  },
  {
    name: 'fastify: readiness pings postgres.js',
    files: { 'src/server.ts': FASTIFY },
    errors: [{ messageId: 'noHealthRoute', line: 9, column: 7, messageIncludes: ['Fastify server'] }],
    fix: { title: 'Add /livez and /readyz', output: { 'src/server.ts': FASTIFY_FIXED } },
  },
  {
    name: 'fastify as an ES module, with types',
    withTypes: true,
    files: { 'src/server.ts': FASTIFY, ...ESM },
    errors: [{ messageId: 'noHealthRoute', line: 9, column: 7 }],
    fix: { title: 'Add /livez and /readyz', output: { 'src/server.ts': FASTIFY_FIXED } },
  },
  {
    name: 'koa: a probe middleware first in the chain',
    files: { 'src/server.ts': KOA, 'src/db.ts': DB },
    errors: [{ messageId: 'noHealthRoute', line: 13, column: 1, messageIncludes: ['Koa server'] }],
    fix: { title: 'Add /livez and /readyz', output: { 'src/server.ts': KOA_FIXED } },
  },
  {
    name: 'koa with types',
    withTypes: true,
    files: { 'src/server.ts': KOA, 'src/db.ts': DB },
    errors: [{ messageId: 'noHealthRoute', line: 13, column: 1 }],
    fix: { title: 'Add /livez and /readyz', output: { 'src/server.ts': KOA_FIXED } },
  },
  {
    name: 'hono: readiness through drizzle, sql imported',
    files: { 'src/server.ts': HONO },
    errors: [{ messageId: 'noHealthRoute', line: 9, column: 1, messageIncludes: ['Hono server'] }],
    fix: { title: 'Add /livez and /readyz', output: { 'src/server.ts': HONO_FIXED } },
  },
  {
    name: 'hono with types',
    withTypes: true,
    files: { 'src/server.ts': HONO },
    errors: [{ messageId: 'noHealthRoute', line: 9, column: 1 }],
  },
  {
    name: 'restify: callback probe routes that call next(), readiness through pg',
    files: { 'src/server.ts': RESTIFY, 'src/db.ts': DB },
    errors: [{ messageId: 'noHealthRoute', line: 11, column: 1, messageIncludes: ['Restify server'] }],
    fix: { title: 'Add /livez and /readyz', output: { 'src/server.ts': RESTIFY_FIXED } },
  },
  {
    name: 'restify with types (restify declarations stand-in)',
    withTypes: true,
    files: { 'src/server.ts': RESTIFY, 'src/db.ts': DB, ...RESTIFY_DECLARATIONS },
    errors: [{ messageId: 'noHealthRoute', line: 11, column: 1 }],
    fix: { title: 'Add /livez and /readyz', output: { 'src/server.ts': RESTIFY_FIXED } },
  },
  {
    name: 'restify: a versioned route whose options object names another path',
    files: {
      'src/server.ts': `import restify from 'restify';
const server = restify.createServer();
server.get({ path: '/orders', name: 'health' }, (_req, res, next) => next());
server.listen(8080);
`,
    },
    errors: [{ messageId: 'noHealthRoute', line: 4, column: 1 }],
  },
  {
    name: 'restify: a POST /health and a DELETE /healthz are not probes',
    files: {
      'src/server.ts': `const restify = require('restify');
const server = restify.createServer();
server.post('/health', (_req: unknown, res: any, next: () => void) => next());
server.del('/healthz', (_req: unknown, res: any, next: () => void) => next());
server.listen(8080);
`,
    },
    errors: [{ messageId: 'noHealthRoute', line: 5, column: 1 }],
  },
  {
    name: 'node:http: probe branches at the top of the request handler',
    files: { 'src/server.ts': NODE_HTTP, 'src/db.ts': DB },
    errors: [{ messageId: 'noHealthRoute', line: 10, column: 1, messageIncludes: ['node:http server'] }],
    fix: { title: 'Add /livez and /readyz probes to the request handler', output: { 'src/server.ts': NODE_HTTP_FIXED } },
  },
  {
    name: 'node:http with types',
    withTypes: true,
    files: { 'src/server.ts': NODE_HTTP, 'src/db.ts': DB },
    errors: [{ messageId: 'noHealthRoute', line: 10, column: 1 }],
    fix: { title: 'Add /livez and /readyz probes to the request handler', output: { 'src/server.ts': NODE_HTTP_FIXED } },
  },
  {
    name: 'nestjs: a new HealthController using the PrismaService, registered in AppModule',
    files: NEST_FILES,
    errors: [{ messageId: 'noHealthRoute', file: 'src/main.ts', line: 7, column: 9, messageIncludes: ['NestJS server'] }],
    fix: { title: 'Add a HealthController', output: { 'src/health.controller.ts': NEST_CONTROLLER, 'src/app.module.ts': NEST_MODULE_FIXED } },
  },
  {
    name: 'nestjs with TypeORM, with types: the controller injects the DataSource; a controllers key is added',
    withTypes: true,
    dependencies: { '@nestjs/typeorm': '^11.0.0', typeorm: '^0.3.20' },
    files: NEST_TYPEORM_FILES,
    errors: [{ messageId: 'noHealthRoute', file: 'src/main.ts', line: 7, column: 9 }],
    fix: {
      title: 'Add a HealthController',
      output: {
        'src/health.controller.ts': NEST_TYPEORM_CONTROLLER,
        'src/app.module.ts': `import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

@Module({ controllers: [HealthController], providers: [] })
export class AppModule {}
`,
      },
    },
  },
  {
    name: 'the db module is already imported: the client joins that import',
    files: {
      'src/db.ts': `import { Pool } from 'pg';
export const pool = new Pool();
export async function connect() {
  await pool.query('SELECT 1');
}
`,
      'src/server.ts': `import express from 'express';
import { connect } from './db';

const app = express();
connect().then(() => app.listen(3000));
`,
    },
    errors: [{ messageId: 'noHealthRoute', file: 'src/server.ts', line: 5, column: 22 }],
    fix: {
      title: 'Add /livez and /readyz',
      output: {
        'src/server.ts': `import express from 'express';
import { connect, pool } from './db';

const app = express();

// Liveness probe: the process is up and serving requests.
app.get('/livez', (_req, res) => {
  res.status(200).json({ status: 'ok' });
});
// Readiness probe: the database answers; 503 takes this instance out of the load balancer.
app.get('/readyz', async (_req, res) => {
  try {
    await pool.query('SELECT 1');
    res.status(200).json({ status: 'ok' });
  } catch {
    res.status(503).json({ status: 'unavailable' });
  }
});

connect().then(() => app.listen(3000));
`,
      },
    },
  },
  {
    name: 'a status route of a resource is not a health endpoint',
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
app.get('/orders/:id/status', (_req, res) => res.send('shipped'));
app.listen(3000);
`,
    },
    errors: [{ messageId: 'noHealthRoute', line: 4, column: 1 }],
  },
  {
    name: 'route wrappers register only what they are given: /orders is not a health route',
    files: {
      'src/controller.ts': `import { Router, type IRouter, type RequestHandler } from 'express';
export class Controller {
  app: IRouter = Router();
  get(path: string, handler: RequestHandler) {
    this.app.get(path, handler);
  }
}
`,
      'src/server.ts': `import express from 'express';
import { Controller } from './controller';
const orders = new Controller();
orders.get('/orders', (_req, res) => res.json([]));
const app = express();
app.use(orders.app);
app.listen(3000);
`,
    },
    errors: [{ messageId: 'noHealthRoute', file: 'src/server.ts', line: 7, column: 1 }],
  },
  {
    name: 'a POST /health is not a probe',
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
app.post('/health', (_req, res) => res.send('ok'));
app.listen(3000);
`,
    },
    errors: [{ messageId: 'noHealthRoute', line: 4, column: 1 }],
  },
  {
    name: 'configurable healthPaths: /health no longer counts, the fix uses the configured path',
    config: { healthPaths: ['/healthcheck'] },
    files: { 'src/server.ts': `import express from 'express';\nconst app = express();\napp.get('/health', (_req, res) => res.send('ok'));\napp.listen(3000);\n` },
    errors: [{ messageId: 'noHealthRoute', line: 4, column: 1, messageIncludes: ['(looked for /healthcheck)'] }],
    fix: {
      title: 'Add /healthcheck',
      output: {
        'src/server.ts': `import express from 'express';
const app = express();

// Liveness probe: the process is up and serving requests.
app.get('/healthcheck', (_req, res) => {
  res.status(200).json({ status: 'ok' });
});

app.get('/health', (_req, res) => res.send('ok'));
app.listen(3000);
`,
      },
    },
  },
  {
    name: 'a configured healthPaths list is taken as written: /health-check no longer counts',
    config: { healthPaths: ['/livez', '/readyz'] },
    files: { 'src/server.ts': `import express from 'express';\nconst app = express();\napp.get('/health-check', (_req, res) => res.send('ok'));\napp.listen(3000);\n` },
    errors: [{ messageId: 'noHealthRoute', line: 4, column: 1 }],
  },
  {
    name: 'a health route in a test file does not count',
    files: {
      'src/server.ts': `import express from 'express';\nconst app = express();\napp.listen(3000);\n`,
      'test/health.ts': `import express from 'express';\nconst app = express();\napp.get('/healthz', (_req, res) => res.send('ok'));\n`,
    },
    errors: [{ messageId: 'noHealthRoute', file: 'src/server.ts', line: 3, column: 1 }],
  },
  {
    name: 'aliased imports: import * as http from node:http and a require of express',
    files: {
      'src/a.ts': `import * as http from 'node:http';\nhttp.createServer((_req, res) => res.end()).listen(1);\n`,
      'src/b.ts': `const express = require('express');\nconst app = express();\napp.listen(2);\n`,
    },
    errors: [
      { messageId: 'noHealthRoute', file: 'src/a.ts', line: 2, column: 1 },
      { messageId: 'noHealthRoute', file: 'src/b.ts', line: 3, column: 1 },
    ],
  },
];

runRuleTests(missingHealthEndpoint, { valid, invalid });

runTypedFixtureChecks('missing-health-endpoint fixtures with types installed compile against the real declarations', [...valid, ...invalid]);

runFixRoundTrips(missingHealthEndpoint, [
  { name: 'express (types, type-checks after the fix)', withTypes: true, typecheck: true, files: { 'src/server.ts': EXPRESS, 'src/db.ts': DB }, fixTitle: 'Add /livez' },
  { name: 'express split over files (no node_modules)', files: EXPRESS_SPLIT, fixTitle: 'Add /livez' },
  {
    name: 'fastify as an ES module (types, type-checks)',
    withTypes: true,
    typecheck: true,
    files: {
      'src/server.ts': FASTIFY,
      ...ESM,
    },
    fixTitle: 'Add /livez',
  },
  { name: 'koa (types, type-checks)', withTypes: true, typecheck: true, files: { 'src/server.ts': KOA, 'src/db.ts': DB }, fixTitle: 'Add /livez' },
  { name: 'hono (no node_modules)', files: { 'src/server.ts': HONO }, fixTitle: 'Add /livez' },
  {
    name: 'hono with pg (types, type-checks)',
    withTypes: true,
    typecheck: true,
    files: { 'src/server.ts': HONO.replace("import { drizzle } from 'drizzle-orm/node-postgres';\n\nexport const db = drizzle(process.env.DATABASE_URL!);\n", ''), 'src/db.ts': DB },
    fixTitle: 'Add /livez',
  },
  { name: 'node:http (types, type-checks)', withTypes: true, typecheck: true, files: { 'src/server.ts': NODE_HTTP, 'src/db.ts': DB }, fixTitle: 'Add /livez' },
  { name: 'restify (no node_modules)', files: { 'src/server.ts': RESTIFY, 'src/db.ts': DB }, fixTitle: 'Add /livez' },
  {
    name: 'restify (types: the restify declarations stand-in and pg, type-checks)',
    withTypes: true,
    typecheck: true,
    files: { 'src/server.ts': RESTIFY, 'src/db.ts': DB, ...RESTIFY_DECLARATIONS },
    fixTitle: 'Add /livez',
  },
  {
    name: 'restify without a database client (types, type-checks)',
    withTypes: true,
    typecheck: true,
    files: { 'src/server.ts': `import restify from 'restify';\nconst server = restify.createServer();\nserver.listen(8080);\n`, ...RESTIFY_DECLARATIONS },
    fixTitle: 'Add /livez',
  },
  { name: 'nestjs (no node_modules)', files: NEST_FILES, fixTitle: 'Add a HealthController' },
  { name: 'nestjs with TypeORM (types, type-checks)', withTypes: true, typecheck: true, dependencies: { typeorm: '^0.3.20' }, files: NEST_TYPEORM_FILES, fixTitle: 'Add a HealthController' },
  {
    name: 'nestjs without a database, no controllers key (types, type-checks)',
    withTypes: true,
    typecheck: true,
    files: {
      'src/main.ts': NEST_MAIN,
      'src/app.module.ts': `import { Module } from '@nestjs/common';\n\n@Module({\n  imports: [],\n})\nexport class AppModule {}\n`,
    },
    fixTitle: 'Add a HealthController',
  },
  { name: 'custom healthPaths', config: { healthPaths: ['/healthcheck', '/ready'] }, files: { 'src/server.ts': EXPRESS, 'src/db.ts': DB }, fixTitle: 'Add /healthcheck and /ready' },
]);
