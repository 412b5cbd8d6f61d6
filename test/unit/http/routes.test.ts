import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Analyzer } from '../../../src/core/analyze';
import { loadProject } from '../../../src/core/project/project';
import { createWorkspace, removeWorkspace } from '../../helpers/workspace';

/**
 * The project's route list (Analyzer.routes → http/routes findRoutes): what the load-test
 * CodeLens, the results panel's findings per route and the scenarios Shipshape writes read.
 * Real TypeScript programs over workspaces with the frameworks' type declarations installed.
 */
function routesOf(files: Record<string, string>, dependencies: Record<string, string>): string[] {
  const root = createWorkspace({ files, withTypes: true, dependencies });
  try {
    const analyzer = new Analyzer(loadProject(root));
    return analyzer.routes().map((r) => {
      const sf = r.node.getSourceFile();
      const line = (n: number) => sf.getLineAndCharacterOfPosition(n).line + 1;
      return `${r.method} ${r.path} ${path.relative(root, sf.fileName)}:${line(r.node.getStart())}-${line(r.handler.getEnd())}`;
    });
  } finally {
    removeWorkspace(root);
  }
}

describe('the project route list (load-test CodeLens and scenarios)', () => {
  it('Express: every method, routers mounted from other files with their prefixes, route chains; middleware at a path and non-router calls are not routes', () => {
    const routes = routesOf(
      {
        'src/app.ts': `import express from 'express';
import swaggerUi from 'swagger-ui-express';
import { ordersRouter } from './orders';

const app = express();
const cache = new Map<string, number>();
app.use(express.json());
app.use('/docs', swaggerUi.serve);
app.use('/api/orders', ordersRouter);
app.get('/healthz', (_req, res) => {
  res.send('ok');
});
cache.delete('/orders');
app.listen(3000);
`,
        'src/orders.ts': `import { Router } from 'express';

export const ordersRouter = Router();
ordersRouter.get('/', async (_req, res) => {
  res.json([]);
});
ordersRouter.post('/', async (req, res) => {
  res.status(201).json(req.body);
});
ordersRouter.route('/:id').put((_req, res) => res.end()).delete((_req, res) => res.end());
`,
        'test/orders.test.ts': `import express from 'express';
const app = express();
app.get('/only-in-tests', (_req, res) => res.end());
`,
      },
      { express: '4.0.0', 'swagger-ui-express': '5.0.0' },
    );
    assert.deepEqual(routes, [
      'GET /healthz src/app.ts:10-12',
      'GET /api/orders src/orders.ts:4-6',
      'POST /api/orders src/orders.ts:7-9',
      'PUT /api/orders/:id src/orders.ts:10-10',
      'DELETE /api/orders/:id src/orders.ts:10-10',
    ]);
  });

  it('Fastify route objects and plugins under a prefix, Koa routers with their prefix and del, Hono method lists', () => {
    const fastify = routesOf(
      {
        'src/server.ts': `import Fastify, { FastifyInstance } from 'fastify';

async function orders(app: FastifyInstance) {
  app.get('/', async () => []);
  app.route({ method: 'POST', url: '/', handler: async () => ({}) });
  app.route({ method: ['PATCH', 'PUT'], url: '/:id', handler: async () => ({}) });
}

const app = Fastify();
app.register(orders, { prefix: '/orders' });
app.listen({ port: 3000 });
`,
      },
      { fastify: '4.0.0' },
    );
    assert.deepEqual(fastify, ['GET /orders src/server.ts:4-4', 'POST /orders src/server.ts:5-5', 'PATCH /orders/:id src/server.ts:6-6', 'PUT /orders/:id src/server.ts:6-6']);

    const koa = routesOf(
      {
        'src/server.ts': `import Koa from 'koa';
import Router from '@koa/router';

const router = new Router({ prefix: '/orders' });
router.get('/', (ctx) => { ctx.body = []; });
router.del('/:id', (ctx) => { ctx.status = 204; });
const app = new Koa();
app.use(router.routes());
app.listen(3000);
`,
      },
      { koa: '2.0.0', '@koa/router': '12.0.0' },
    );
    assert.deepEqual(koa, ['GET /orders src/server.ts:5-5', 'DELETE /orders/:id src/server.ts:6-6']);

    const hono = routesOf(
      {
        'src/server.ts': `import { Hono } from 'hono';
import { serve } from '@hono/node-server';

const api = new Hono().basePath('/api');
api.on(['POST', 'PUT'], '/items', (c) => c.json({}));
api.get('/items', (c) => c.json([]));
serve({ fetch: api.fetch, port: 3000 });
`,
      },
      { hono: '4.0.0', '@hono/node-server': '1.0.0' },
    );
    assert.deepEqual(hono, ['POST /api/items src/server.ts:5-5', 'PUT /api/items src/server.ts:5-5', 'GET /api/items src/server.ts:6-6']);
  });

  it('NestJS: @Controller prefix with @Get/@Post/@Delete, the handler is the decorated method', () => {
    const routes = routesOf(
      {
        'src/orders.controller.ts': `import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';

@Controller('orders')
export class OrdersController {
  @Get()
  list() {
    return [];
  }

  @Post()
  create(@Body() body: unknown) {
    return body;
  }

  @Delete(':id')
  remove(@Param('id') id: string) {
    return id;
  }
}
`,
      },
      { '@nestjs/common': '10.0.0' },
    );
    assert.deepEqual(routes, ['GET /orders src/orders.controller.ts:5-8', 'POST /orders src/orders.controller.ts:10-13', 'DELETE /orders/:id src/orders.controller.ts:15-18']);
  });

  it('Next.js app routes list each exported method', () => {
    const routes = routesOf(
      {
        'app/api/orders/route.ts': `import { NextResponse } from 'next/server';
export async function GET() {
  return NextResponse.json([]);
}
export async function POST() {
  return NextResponse.json({});
}
`,
      },
      { next: '14.0.0' },
    );
    assert.deepEqual(routes, ['GET /api/orders app/api/orders/route.ts:2-4', 'POST /api/orders app/api/orders/route.ts:5-7']);
  });
});
