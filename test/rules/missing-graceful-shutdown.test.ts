import { missingGracefulShutdown } from '../../src/core/rules/missing-graceful-shutdown';
import { runFixRoundTrips, runTypedFixtureChecks } from '../helpers/fixRoundTrip';
import { runRuleTests, type InvalidCase, type ValidCase } from '../helpers/ruleTester';
import { TWO_APPS } from '../helpers/monorepo';
import { RESTIFY_DECLARATIONS, RESTIFY_HEALTHY } from '../helpers/restify';

/**
 * What the fix inserts after a Node server's listen call (Express, Koa, Hono, Restify, node:http);
 * `closeDb` is the line that closes the project's database client, `server` the name the Node server goes by.
 */
const SHUTDOWN_BLOCK = (closeDb = '// Close database pools and other clients here (e.g. await pool.end()).', server = 'server') => `// Graceful shutdown: on SIGTERM (deploy, scale-in) and SIGINT, stop taking new
// requests, let in-flight ones finish, close the database, then exit.
const shutdown = async (signal: string) => {
  console.log(\`\${signal} received: shutting down gracefully\`);
  // Exit anyway if draining outlasts the grace period before SIGKILL.
  setTimeout(() => process.exit(1), 10_000).unref();
  try {
    // Stop accepting new connections; close() resolves once in-flight requests have finished.
    await new Promise<void>((resolve, reject) => ${server}.close((err?: Error) => (err ? reject(err) : resolve())));
    ${closeDb}
    process.exit(0);
  } catch (err) {
    console.error('Graceful shutdown failed', err);
    process.exit(1);
  }
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
`;

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

app.listen(3000, () => console.log('listening on 3000'));
`;

const EXPRESS_FIXED = `import express from 'express';
import { pool } from './db';

const app = express();
app.use(express.json());

app.get('/orders', async (_req, res) => {
  const { rows } = await pool.query('SELECT id FROM orders');
  res.json(rows);
});

const server = app.listen(3000, () => console.log('listening on 3000'));

${SHUTDOWN_BLOCK('await pool.end();')}`;

const FASTIFY = `import Fastify from 'fastify';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL ?? 'postgres://localhost/app');
const app = Fastify({ logger: true });

app.get('/orders', async () => sql\`SELECT id FROM orders\`);

async function main() {
  await app.listen({ port: 3000, host: '0.0.0.0' });
}

main();
`;

const FASTIFY_FIXED = `import Fastify from 'fastify';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL ?? 'postgres://localhost/app');
const app = Fastify({ logger: true });

app.get('/orders', async () => sql\`SELECT id FROM orders\`);

async function main() {
  await app.listen({ port: 3000, host: '0.0.0.0' });

  // Graceful shutdown: on SIGTERM (deploy, scale-in) and SIGINT, stop taking new
  // requests, let in-flight ones finish, close the database, then exit.
  const shutdown = async (signal: string) => {
    console.log(\`\${signal} received: shutting down gracefully\`);
    // Exit anyway if draining outlasts the grace period before SIGKILL.
    setTimeout(() => process.exit(1), 10_000).unref();
    try {
      // Stop accepting connections, finish in-flight requests, run the onClose hooks.
      await app.close();
      await sql.end({ timeout: 5 });
      process.exit(0);
    } catch (err) {
      console.error('Graceful shutdown failed', err);
      process.exit(1);
    }
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main();
`;

const KOA = `import Koa from 'koa';
import Router from '@koa/router';

const app = new Koa();
const router = new Router();

router.get('/orders', (ctx) => {
  ctx.body = [];
});

app.use(router.routes());
const server = app.listen(3000);
`;

const NEST = `import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';

@Module({})
class AppModule {}

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();
`;

const NEST_FIXED = NEST.replace('  await app.listen(3000);', '  app.enableShutdownHooks();\n  await app.listen(3000);');

const HONO = `import { Hono } from 'hono';
import { serve } from '@hono/node-server';

const app = new Hono();
app.get('/orders', (c) => c.json([]));

serve({ fetch: app.fetch, port: 3000 });
`;

const HONO_FIXED = `import { Hono } from 'hono';
import { serve } from '@hono/node-server';

const app = new Hono();
app.get('/orders', (c) => c.json([]));

const server = serve({ fetch: app.fetch, port: 3000 });

${SHUTDOWN_BLOCK()}`;

const NODE_HTTP = `import * as http from 'node:http';

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('hello');
});

server.listen(8080);
`;

const EXIT_ONLY = `import express from 'express';

const app = express();
const server = app.listen(3000);

process.on('SIGTERM', () => {
  console.log('bye');
  process.exit(0);
});
`;

const EXIT_ONLY_FIXED = `import express from 'express';

const app = express();
const server = app.listen(3000);

process.on('SIGTERM', () => {
  console.log('bye');
  // Stop accepting connections and exit once in-flight requests have finished;
  // exit anyway after 10 s.
  setTimeout(() => process.exit(1), 10_000).unref();
  server.close((err?: Error) => process.exit(err ? 1 : 0));
});
`;

// Restify's `listen()` returns the Node server it wraps (typed `any` by @types/restify); the
// restify server is already called `server`, so the fix names the Node server `httpServer`.
const RESTIFY = `import restify from 'restify';
import { pool } from './db';

const server = restify.createServer({ name: 'orders-api' });

server.get('/orders', async (_req, res) => {
  res.send((await pool.query('SELECT id FROM orders')).rows);
});

server.listen(8080);
`;

const RESTIFY_FIXED = RESTIFY.replace('server.listen(8080);\n', `const httpServer = server.listen(8080);

${SHUTDOWN_BLOCK('await pool.end();', 'httpServer')}`);

const RESTIFY_EXIT_ONLY = `import restify from 'restify';

const server = restify.createServer();
server.listen(8080);

process.on('SIGTERM', () => {
  process.exit(0);
});
`;

const RESTIFY_EXIT_ONLY_FIXED = `import restify from 'restify';

const server = restify.createServer();
const httpServer = server.listen(8080);

process.on('SIGTERM', () => {
  // Stop accepting connections and exit once in-flight requests have finished;
  // exit anyway after 10 s.
  setTimeout(() => process.exit(1), 10_000).unref();
  httpServer.close((err?: Error) => process.exit(err ? 1 : 0));
});
`;

/** package.json and tsconfig of an ES module project (top-level await). */
const ESM = {
  'package.json': JSON.stringify({ name: 'esm-api', type: 'module' }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true } }),
};



/** A NestJS worker whose provider starts its own server; `close` is the body of its onModuleDestroy (vendure's worker health server). */
function workerWithOwnServer(close: string): Record<string, string> {
  return {
    'src/health-server.ts': `import { Injectable, OnModuleDestroy } from '@nestjs/common';
import express from 'express';
import http from 'node:http';
@Injectable()
export class HealthServer implements OnModuleDestroy {
  private server?: http.Server;
  private cache = new Map<string, string>();
  start(port: number) {
    this.server = http.createServer(express().get('/health', (_q, r) => r.send('ok')));
    this.server.listen(port);
  }
  onModuleDestroy() {
${close}
  }
}
`,
    'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { HealthServer } from './health-server';
@Module({ providers: [HealthServer] })
class WorkerModule {}
async function bootstrap() {
  const app = await NestFactory.createApplicationContext(WorkerModule);
  app.enableShutdownHooks();
  app.get(HealthServer).start(3020);
}
bootstrap();
`,
  };
}

const valid: ValidCase[] = [
  {
    name: 'monorepo: a server whose own app has a SIGTERM handler that closes it',
    files: { ...TWO_APPS, 'apps/api/src/main.ts': TWO_APPS['apps/worker/src/main.ts'].replace("import { probes } from './probes';\n", '').replace('app.use(probes);\n', ''), 'apps/worker/src/main.ts': TWO_APPS['apps/worker/src/main.ts'] },
  },
  {
    name: 'express: SIGTERM handler closes the captured server',
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
const server = app.listen(3000);
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
`,
    },
  },
  {
    name: 'express with types: handler in another file, server passed as an argument',
    withTypes: true,
    files: {
      'src/shutdown.ts': `import type { Server } from 'node:http';
export function registerShutdown(server: Server): void {
  const stop = (signal: NodeJS.Signals) => {
    console.log(signal);
    server.close(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
}
`,
      'src/server.ts': `import express from 'express';
import { registerShutdown } from './shutdown';
const app = express();
const server = app.listen(3000);
registerShutdown(server);
`,
    },
  },
  {
    name: 'signals registered in a forEach over a literal list, handler calls a local function',
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
const server = app.listen(3000);
async function shutdown() {
  await new Promise((resolve) => server.close(resolve));
  process.exit(0);
}
['SIGINT', 'SIGTERM'].forEach((signal) => process.on(signal, shutdown));
`,
    },
  },
  {
    name: 'express: let server assigned later, closed in a for-of over signals',
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
let server;
server = app.listen(3000);
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => server.close());
}
`,
    },
  },
  {
    name: 'fastify: app.close() in a once(SIGTERM) handler',
    files: {
      'src/server.ts': `import Fastify from 'fastify';
const app = Fastify();
await app.listen({ port: 3000 });
process.once('SIGTERM', async () => {
  await app.close();
});
`,
    },
  },
  {
    name: 'fastify with types: close-with-grace closes the app',
    withTypes: true,
    files: {
      'src/server.ts': `import Fastify from 'fastify';
import closeWithGrace from 'close-with-grace';
const app = Fastify();
closeWithGrace({ delay: 10_000 }, async ({ err }) => {
  if (err) app.log.error(err);
  await app.close();
});
app.listen({ port: 3000 });
`,
    },
  },
  {
    name: 'express with types: @godaddy/terminus createTerminus',
    withTypes: true,
    files: {
      'src/server.ts': `import * as http from 'node:http';
import express from 'express';
import { createTerminus } from '@godaddy/terminus';
const app = express();
const server = http.createServer(app);
createTerminus(server, { signals: ['SIGTERM', 'SIGINT'], timeout: 10_000 });
server.listen(3000);
`,
    },
  },
  {
    name: 'express: @godaddy/terminus without types',
    files: {
      'src/server.ts': `const http = require('http');
const express = require('express');
const { createTerminus } = require('@godaddy/terminus');
const app = express();
const server = http.createServer(app);
createTerminus(server, {});
server.listen(3000);
`,
    },
  },
  {
    name: 'express with types: lightship shutdown handler closes the server',
    withTypes: true,
    files: {
      'src/server.ts': `import express from 'express';
import { createLightship } from 'lightship';
async function main() {
  const lightship = await createLightship();
  const app = express();
  const server = app.listen(3000, () => lightship.signalReady());
  lightship.registerShutdownHandler(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
}
main();
`,
    },
  },
  {
    name: 'express with types: http-terminator terminate() from a SIGTERM handler',
    withTypes: true,
    files: {
      'src/server.ts': `import express from 'express';
import { createHttpTerminator } from 'http-terminator';
const app = express();
const server = app.listen(3000);
const terminator = createHttpTerminator({ server });
process.on('SIGTERM', async () => {
  await terminator.terminate();
  process.exit(0);
});
`,
    },
  },
  {
    name: 'nestjs with types: app.enableShutdownHooks()',
    withTypes: true,
    files: {
      'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
@Module({})
class AppModule {}
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  await app.listen(3000);
}
bootstrap();
`,
    },
  },
  {
    name: 'koa: http.createServer(app.callback()) closed on SIGTERM',
    files: {
      'src/server.ts': `import Koa from 'koa';
import { createServer } from 'http';
const app = new Koa();
const server = createServer(app.callback()).listen(3000);
process.on('SIGTERM', () => server.close());
`,
    },
  },
  {
    name: 'hono: serve() result closed on SIGTERM (with types)',
    withTypes: true,
    files: {
      'src/server.ts': `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
const app = new Hono();
const server = serve({ fetch: app.fetch, port: 3000 });
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
`,
    },
  },
  {
    name: 'restify: SIGTERM handler closes the restify server',
    files: { 'src/server.ts': RESTIFY_HEALTHY },
  },
  {
    name: 'restify with types (restify declarations stand-in): SIGTERM handler closes the restify server',
    withTypes: true,
    files: { 'src/server.ts': RESTIFY_HEALTHY, ...RESTIFY_DECLARATIONS },
  },
  {
    name: 'restify: the listen result closed on SIGTERM',
    files: {
      'src/server.ts': `import { createServer } from 'restify';
const api = createServer();
const httpServer = api.listen(8080);
process.once('SIGTERM', () => httpServer.close());
`,
    },
  },
  {
    name: 'class-based app: the handler calls a method that closes this.server',
    files: {
      'src/app.ts': `import express from 'express';
import type { Server } from 'http';
export class App {
  private readonly app = express();
  private server?: Server;
  start(port: number) {
    this.server = this.app.listen(port);
    process.on('SIGTERM', () => this.stop());
  }
  stop() {
    this.server?.close();
  }
}
`,
    },
  },
  {
    name: 're-export: the app comes from src/app.ts, the handler lives in src/lifecycle.ts',
    files: {
      'src/app.ts': `import express from 'express';
export const app = express();
`,
      'src/index.ts': `export { app } from './app';
`,
      'src/lifecycle.ts': `import { server } from './server';
process.on('SIGTERM', () => server.close());
`,
      'src/server.ts': `import { app } from './index';
export const server = app.listen(3000);
`,
    },
  },
  {
    name: 'stoppable wrapping the listen result, stopped on SIGTERM',
    files: {
      'src/server.ts': `import express from 'express';
import stoppable from 'stoppable';
const app = express();
const server = stoppable(app.listen(3000), 10_000);
process.on('SIGTERM', () => server.stop());
`,
    },
  },
  {
    name: 'handler bound with .bind(null, server)',
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
const server = app.listen(3000);
function shutdown(srv: { close(cb: () => void): void }) {
  srv.close(() => process.exit(0));
}
process.on('SIGTERM', shutdown.bind(null, server));
`,
    },
  },
  {
    name: 'terminus wrapping the server inline: createTerminus(http.createServer(app)).listen()',
    files: {
      'src/server.ts': `import http from 'http';
import express from 'express';
import { createTerminus } from '@godaddy/terminus';
const app = express();
createTerminus(http.createServer(app), { onSignal: async () => {} }).listen(3000);
`,
    },
  },
  {
    name: 'fastify in a private field set in the constructor, closed through methods of two classes',
    files: {
      'src/http-server.ts': `import Fastify from 'fastify';
export class RestApiServer {
  #fastify: ReturnType<typeof Fastify>;
  constructor() {
    this.#fastify = Fastify({ logger: true });
  }
  async start(port: number) {
    await this.#fastify.listen({ port });
  }
  async stop() {
    await this.#fastify.close();
  }
}
`,
      'src/index.ts': `import { RestApiServer } from './http-server';
class Application {
  static readonly SIGNALS = ['SIGTERM', 'SIGINT'] as const;
  #api = new RestApiServer();
  constructor() {
    for (const signal of Application.SIGNALS) process.once(signal, () => void this.#stop());
  }
  async #stop() {
    await this.#api.stop();
    process.exit(0);
  }
  start() {
    return this.#api.start(3000);
  }
}
new Application().start();
`,
    },
  },
  {
    name: 'interface dispatch: the handler calls IService.stop(), implemented by an object literal that closes the server',
    files: {
      'src/types.ts': `export interface IService {
  stop(): Promise<void>;
}
`,
      'src/graceful.ts': `import type { IService } from './types';
export function registerGracefulShutdown(service: IService) {
  const closer = (signal: string) => async () => {
    console.log(signal);
    await service.stop();
    process.exit(0);
  };
  process.on('SIGTERM', closer('SIGTERM'));
}
`,
      'src/server.ts': `import express from 'express';
import { promisify } from 'node:util';
import type { IService } from './types';
import { registerGracefulShutdown } from './graceful';
export function start(): Promise<IService> {
  const app = express();
  const stopServer = async (server: { close: (cb: (err?: Error) => void) => void }) => {
    await promisify(server.close.bind(server))();
  };
  return new Promise((resolve) => {
    const server = app.listen(3000, () => resolve({ stop: () => stopServer(server) }));
  });
}
start().then(registerGracefulShutdown);
`,
    },
  },
  {
    name: 'interface dispatch: a class implementing the interface closes its server',
    files: {
      'src/server.ts': `import Koa from 'koa';
import type { Server } from 'node:http';
interface Stoppable {
  stop(): void;
}
class HttpService implements Stoppable {
  private server?: Server;
  start() {
    this.server = new Koa().listen(3000);
  }
  stop() {
    this.server?.close();
  }
}
const services: Stoppable[] = [];
const http = new HttpService();
http.start();
services.push(http);
process.on('SIGTERM', () => services.forEach((s) => s.stop()));
`,
    },
  },
  {
    name: 'not a framework: objects merely named app and server',
    files: {
      'src/server.ts': `const app = { listen(port: number) { return port; } };
app.listen(3000);
class Server { listen() {} }
const server = new Server();
server.listen();
import { app as other } from './local';
other.listen(1);
`,
      'src/local.ts': `export const app = { listen: (_: number) => undefined };
`,
    },
  },
  {
    name: 'a TCP server from node:net is not an HTTP server (with types, @types/node loaded by the tsconfig)',
    withTypes: true,
    files: {
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, types: ['node'] } }),
      'src/server.ts': `import * as net from 'node:net';
const server = net.createServer((socket) => socket.end('bye'));
server.listen(7000);
`,
    },
  },
  {
    name: 'test files are not servers',
    files: {
      'src/app.ts': `import express from 'express';
export const app = express();
`,
      'src/app.test.ts': `import { app } from './app';
const server = app.listen(0);
`,
      'test/e2e.ts': `import { app } from '../src/app';
app.listen(0);
`,
      'src/__tests__/api.ts': `import { app } from '../app';
app.listen(0);
`,
    },
  },
  {
    name: 'no server start in the project',
    files: {
      'src/app.ts': `import express from 'express';
export const app = express();
app.get('/x', (_req, res) => res.send('ok'));
`,
    },
  },
  {
    name: 'suppressed with a comment',
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
// shipshape-disable-next-line missing-graceful-shutdown -- the platform drains connections for us
app.listen(3000);
`,
    },
  },
  {
    name: 'option signals: SIGTERM and SIGINT both close the server',
    config: { rules: { 'missing-graceful-shutdown': { signals: ['SIGTERM', 'SIGINT'] } } },
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
const server = app.listen(3000);
const stop = () => server.close();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
`,
    },
  },
  {
    name: 'nestjs: a provider starts its own server and closes it in onModuleDestroy, with enableShutdownHooks in bootstrap (vendure worker)',
    files: workerWithOwnServer('    return new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));'),
  },
];

const invalid: InvalidCase[] = [
  {
    name: 'signals from a parameter default (for (const sig of signals) with signals = [SIGINT, SIGTERM]) are named in the message',
    files: {
      'src/main.ts': `import express from 'express';
export async function run(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']) {
  const app = express();
  app.listen(3000);
  for (const sig of signals) process.on(sig, () => process.exit(0));
}
void run();
`,
    },
    errors: [{ messageId: 'exitWithoutClose', line: 4, column: 3, messageIncludes: ["process.on('SIGINT/SIGTERM')"] }],
  },
  {
    name: 'nestjs: enableShutdownHooks, but the provider that starts a server only clears a cache in onModuleDestroy',
    files: workerWithOwnServer('    this.cache.clear();'),
    errors: [{ messageId: 'handlerWithoutClose', file: 'src/health-server.ts', line: 10, column: 5, messageIncludes: ['app.enableShutdownHooks() at src/main.ts:8', 'node:http server'] }],
  },
  {
    name: 'monorepo: another app\'s SIGTERM handler neither counts for this server nor is cited in its message',
    files: TWO_APPS,
    errors: [{ messageId: 'noShutdown', file: 'apps/api/src/main.ts', line: 5, column: 1, messageIncludes: ['Express server started without a SIGTERM handler'] }],
  },
  {
    name: 'express without a SIGTERM handler: fix captures the server, closes the pool from db.ts',
    files: { 'src/server.ts': EXPRESS, 'src/db.ts': DB },
    errors: [{ messageId: 'noShutdown', line: 12, column: 1, messageIncludes: ['Express server started without a SIGTERM handler', 'server.close()'] }],
    fix: { title: 'Add a SIGTERM/SIGINT handler', output: { 'src/server.ts': EXPRESS_FIXED } },
  },
  {
    name: 'express with types installed: same finding and fix',
    withTypes: true,
    files: { 'src/server.ts': EXPRESS, 'src/db.ts': DB },
    errors: [{ messageId: 'noShutdown', line: 12, column: 1 }],
    fix: { title: 'Add a SIGTERM/SIGINT handler', output: { 'src/server.ts': EXPRESS_FIXED } },
  },
  {
    name: 'fastify: fix awaits app.close() and ends the postgres.js client',
    files: { 'src/server.ts': FASTIFY },
    errors: [{ messageId: 'noShutdown', line: 10, column: 9, messageIncludes: ['Fastify server', 'await app.close()'] }],
    fix: { title: 'Add a SIGTERM/SIGINT handler', output: { 'src/server.ts': FASTIFY_FIXED } },
  },
  {
    name: 'fastify with types',
    withTypes: true,
    files: { 'src/server.ts': FASTIFY },
    errors: [{ messageId: 'noShutdown', line: 10, column: 9 }],
    fix: { title: 'Add a SIGTERM/SIGINT handler', output: { 'src/server.ts': FASTIFY_FIXED } },
  },
  {
    name: 'koa with @koa/router: listen result already captured',
    files: { 'src/server.ts': KOA },
    errors: [{ messageId: 'noShutdown', line: 12, column: 16, messageIncludes: ['Koa server'] }],
    fix: {
      title: 'Add a SIGTERM/SIGINT handler',
      output: {
        'src/server.ts': KOA.replace(
          'const server = app.listen(3000);\n',
          `const server = app.listen(3000);

${SHUTDOWN_BLOCK()}`,
        ),
      },
    },
  },
  {
    name: 'koa with types',
    withTypes: true,
    files: { 'src/server.ts': KOA },
    errors: [{ messageId: 'noShutdown', line: 12, column: 16 }],
  },
  {
    name: 'nestjs: fix enables shutdown hooks before listen',
    files: { 'src/main.ts': NEST },
    errors: [{ messageId: 'noShutdown', line: 10, column: 9, messageIncludes: ['NestJS server', 'app.enableShutdownHooks()'] }],
    fix: { title: 'Enable NestJS shutdown hooks', output: { 'src/main.ts': NEST_FIXED } },
  },
  {
    name: 'nestjs with types',
    withTypes: true,
    files: { 'src/main.ts': NEST },
    errors: [{ messageId: 'noShutdown', line: 10, column: 9 }],
    fix: { title: 'Enable NestJS shutdown hooks', output: { 'src/main.ts': NEST_FIXED } },
  },
  {
    name: 'hono on @hono/node-server: fix captures serve() result',
    files: { 'src/server.ts': HONO },
    errors: [{ messageId: 'noShutdown', line: 7, column: 1, messageIncludes: ['Hono server'] }],
    fix: { title: 'Add a SIGTERM/SIGINT handler', output: { 'src/server.ts': HONO_FIXED } },
  },
  {
    name: 'hono with types',
    withTypes: true,
    files: { 'src/server.ts': HONO },
    errors: [{ messageId: 'noShutdown', line: 7, column: 1 }],
    fix: { title: 'Add a SIGTERM/SIGINT handler', output: { 'src/server.ts': HONO_FIXED } },
  },
  {
    name: 'node:http namespace import: fix closes the server variable',
    files: { 'src/server.ts': NODE_HTTP },
    errors: [{ messageId: 'noShutdown', line: 8, column: 1, messageIncludes: ['node:http server'] }],
    fix: {
      title: 'Add a SIGTERM/SIGINT handler',
      output: {
        'src/server.ts': NODE_HTTP.replace(
          'server.listen(8080);\n',
          `server.listen(8080);

${SHUTDOWN_BLOCK()}`,
        ),
      },
    },
  },
  {
    name: 'node:http with types',
    withTypes: true,
    files: { 'src/server.ts': NODE_HTTP },
    errors: [{ messageId: 'noShutdown', line: 8, column: 1 }],
  },
  {
    name: 'restify: fix captures the Node server listen() returns and closes the pool',
    files: { 'src/server.ts': RESTIFY, 'src/db.ts': DB },
    errors: [{ messageId: 'noShutdown', line: 10, column: 1, messageIncludes: ['Restify server', 'server.close()'] }],
    fix: { title: 'Add a SIGTERM/SIGINT handler', output: { 'src/server.ts': RESTIFY_FIXED } },
  },
  {
    name: 'restify with types (restify declarations stand-in)',
    withTypes: true,
    files: { 'src/server.ts': RESTIFY, 'src/db.ts': DB, ...RESTIFY_DECLARATIONS },
    errors: [{ messageId: 'noShutdown', line: 10, column: 1 }],
    fix: { title: 'Add a SIGTERM/SIGINT handler', output: { 'src/server.ts': RESTIFY_FIXED } },
  },
  {
    name: 'restify: a SIGTERM handler that only exits',
    files: { 'src/server.ts': RESTIFY_EXIT_ONLY },
    errors: [{ messageId: 'exitWithoutClose', line: 4, column: 1, related: ['src/server.ts:6'] }],
    fix: { title: 'Close the server before exiting', output: { 'src/server.ts': RESTIFY_EXIT_ONLY_FIXED } },
  },
  {
    name: 'a SIGTERM handler that only exits is reported (distinct message), fix closes first',
    files: { 'src/server.ts': EXIT_ONLY },
    errors: [{ messageId: 'exitWithoutClose', line: 4, column: 16, related: ['src/server.ts:6'], messageIncludes: ["process.on('SIGTERM') at src/server.ts:6"] }],
    fix: { title: 'Close the server before exiting', output: { 'src/server.ts': EXIT_ONLY_FIXED } },
  },
  {
    name: 'exit-only handler with types',
    withTypes: true,
    files: { 'src/server.ts': EXIT_ONLY },
    errors: [{ messageId: 'exitWithoutClose', line: 4, column: 16 }],
    fix: { title: 'Close the server before exiting', output: { 'src/server.ts': EXIT_ONLY_FIXED } },
  },
  {
    name: 'a SIGTERM handler that only logs',
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
app.listen(3000);
process.on('SIGTERM', () => console.log('SIGTERM received'));
`,
    },
    errors: [{ messageId: 'handlerWithoutClose', line: 3, column: 1, related: ['src/server.ts:4'] }],
  },
  {
    name: 'only SIGINT handled: SIGTERM still drops requests',
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
const server = app.listen(3000);
process.on('SIGINT', () => server.close());
`,
    },
    errors: [{ messageId: 'noShutdown', line: 3, column: 16 }],
  },
  {
    name: 'option signals: SIGINT required too',
    config: { rules: { 'missing-graceful-shutdown': { signals: ['SIGTERM', 'SIGINT'] } } },
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
const server = app.listen(3000);
process.on('SIGTERM', () => server.close());
`,
    },
    errors: [{ messageId: 'noShutdown', line: 3, column: 16 }],
  },
  {
    name: 'the handler closes another server (metrics), not this one',
    files: {
      'src/server.ts': `import express from 'express';
const app = express();
const metrics = express();
const server = app.listen(3000);
const metricsServer = metrics.listen(9100);
process.on('SIGTERM', () => {
  metricsServer.close();
  process.exit(0);
});
`,
    },
    errors: [{ messageId: 'exitWithoutClose', line: 4, column: 16 }],
  },
  {
    name: 'lightship without a shutdown handler that closes the server (an ES module, with types)',
    withTypes: true,
    files: {
      ...ESM,
      'src/server.ts': `import express from 'express';
import { createLightship } from 'lightship';
const lightship = await createLightship();
const app = express();
app.listen(3000, () => lightship.signalReady());
`,
    },
    errors: [{ messageId: 'exitWithoutClose', line: 5, column: 1, related: ['src/server.ts:3'] }],
  },
  {
    name: 'aliased default import: import { default as e } from express',
    files: {
      'src/server.ts': `import { default as e } from 'express';
const api = e();
api.listen(3000);
`,
    },
    errors: [{ messageId: 'noShutdown', line: 3, column: 1 }],
  },
  {
    name: 'CommonJS require of express',
    files: {
      'src/server.ts': `const express = require('express');
const app = express();
app.listen(process.env.PORT || 3000);
`,
    },
    errors: [{ messageId: 'noShutdown', line: 3, column: 1 }],
  },
  {
    name: 're-export through a local src/app.ts, started from a factory',
    files: {
      'src/app.ts': `import express from 'express';
export function createApp() {
  const app = express();
  return app;
}
`,
      'src/index.ts': `import { createApp } from './app';
createApp().listen(3000);
`,
    },
    errors: [{ messageId: 'noShutdown', file: 'src/index.ts', line: 2, column: 1 }],
  },
  {
    name: 'routing-controllers: the declared Application type says it is an Express app',
    files: {
      'src/server.ts': `import { Application } from 'express';
import { createExpressServer } from 'routing-controllers';
const app: Application = createExpressServer({ controllers: [] });
app.listen(3000);
`,
    },
    errors: [{ messageId: 'noShutdown', line: 4, column: 1 }],
  },
  {
    name: 'http.createServer(app).listen() chain wrapping express',
    files: {
      'src/server.ts': `import http from 'http';
import express from 'express';
const app = express();
http.createServer(app).listen(3000);
`,
    },
    errors: [{ messageId: 'noShutdown', line: 4, column: 1, messageIncludes: ['Express server'] }],
  },
];

// A worker whose HTTP server answers probes: SIGTERM sets a drain flag (through a setter in
// another file) that the readiness route reads to answer 503, drains the jobs, then exits.
const DRAIN_STATE = `let draining = false;\nexport function setDraining(value: boolean) {\n  draining = value;\n}\nexport function isDraining() {\n  return draining;\n}\n`;
const drainWorker = (readiness: string) => `import express from 'express';
import { isDraining, setDraining } from './state';
const app = express();
${readiness}
app.listen(3000);
const jobs: Array<Promise<void>> = [];
process.on('SIGTERM', async () => {
  setDraining(true);
  await Promise.all(jobs);
  process.exit(0);
});
`;
valid.push({
  name: 'a SIGTERM handler that sets a drain flag the readiness route reads (503 while draining), then drains and exits',
  files: {
    'src/state.ts': DRAIN_STATE,
    'src/worker.ts': drainWorker(`app.get('/healthz/ready', (_req, res) => {\n  if (isDraining()) return void res.status(503).json({ ready: false });\n  res.json({ ready: true });\n});`),
  },
});
invalid.push({
  name: 'a drain flag no readiness route reads does not take the server out of rotation',
  files: {
    'src/state.ts': DRAIN_STATE,
    'src/worker.ts': drainWorker(`app.get('/healthz/ready', (_req, res) => {\n  res.json({ ready: true, draining: false });\n});\napp.get('/jobs', (_req, res) => res.json({ draining: isDraining() }));`),
  },
  errors: [{ file: 'src/worker.ts', messageId: 'exitWithoutClose', line: 8, column: 1 }],
});

// SIGTERM aborts the signal the runner awaits; leaving its scope disposes the `await using` service,
// whose [Symbol.asyncDispose]() terminates the server (http-terminator).
const disposingRunner = (dispose: string) => `import express from 'express';
import http from 'node:http';
import { once } from 'node:events';
import { createHttpTerminator, type HttpTerminator } from 'http-terminator';
export class Service {
  server?: http.Server;
  terminator?: HttpTerminator;
  start() {
    const server = express().listen(3000);
    this.server = server;
    this.terminator = createHttpTerminator({ server });
  }
  async [Symbol.asyncDispose]() {
    ${dispose}
  }
}
export async function run() {
  const ac = new AbortController();
  const abort = () => ac.abort();
  process.on('SIGTERM', abort);
  await using service = new Service();
  service.start();
  await once(ac.signal, 'abort');
}
`;
valid.push({ name: 'a SIGTERM handler that ends a scope whose `await using` service terminates the server on dispose', files: { 'src/service.ts': disposingRunner('await this.terminator?.terminate();') } });
invalid.push({
  name: 'an `await using` value whose dispose does not close the server does not count',
  files: { 'src/service.ts': disposingRunner("console.log('bye');") },
  errors: [{ messageId: 'handlerWithoutClose', line: 9, column: 20 }],
});

runRuleTests(missingGracefulShutdown, { valid, invalid });

runTypedFixtureChecks('missing-graceful-shutdown fixtures with types installed compile against the real declarations', [...valid, ...invalid]);

runFixRoundTrips(missingGracefulShutdown, [
  { name: 'express (types, type-checks after the fix)', withTypes: true, typecheck: true, files: { 'src/server.ts': EXPRESS, 'src/db.ts': DB }, fixTitle: 'Add a SIGTERM/SIGINT handler' },
  { name: 'express (no node_modules)', files: { 'src/server.ts': EXPRESS, 'src/db.ts': DB }, fixTitle: 'Add a SIGTERM/SIGINT handler' },
  { name: 'fastify (types, type-checks)', withTypes: true, typecheck: true, files: { 'src/server.ts': FASTIFY }, fixTitle: 'Add a SIGTERM/SIGINT handler' },
  { name: 'koa (types, type-checks)', withTypes: true, typecheck: true, files: { 'src/server.ts': KOA }, fixTitle: 'Add a SIGTERM/SIGINT handler' },
  { name: 'nestjs (types, type-checks)', withTypes: true, typecheck: true, files: { 'src/main.ts': NEST }, fixTitle: 'Enable NestJS shutdown hooks' },
  { name: 'hono (types, type-checks)', withTypes: true, typecheck: true, files: { 'src/server.ts': HONO }, fixTitle: 'Add a SIGTERM/SIGINT handler' },
  { name: 'node:http (types, type-checks)', withTypes: true, typecheck: true, files: { 'src/server.ts': NODE_HTTP }, fixTitle: 'Add a SIGTERM/SIGINT handler' },
  { name: 'exit-only handler (types, type-checks)', withTypes: true, typecheck: true, files: { 'src/server.ts': EXIT_ONLY }, fixTitle: 'Close the server before exiting' },
  { name: 'restify (no node_modules)', files: { 'src/server.ts': RESTIFY, 'src/db.ts': DB }, fixTitle: 'Add a SIGTERM/SIGINT handler' },
  // The restify declarations type listen()'s result `any`: the inserted close callback must still compile under noImplicitAny.
  { name: 'restify (types: the restify declarations stand-in and pg, type-checks)', withTypes: true, typecheck: true, files: { 'src/server.ts': RESTIFY, 'src/db.ts': DB, ...RESTIFY_DECLARATIONS }, fixTitle: 'Add a SIGTERM/SIGINT handler' },
  { name: 'restify exit-only handler (types, type-checks)', withTypes: true, typecheck: true, files: { 'src/server.ts': RESTIFY_EXIT_ONLY, ...RESTIFY_DECLARATIONS }, fixTitle: 'Close the server before exiting' },
  {
    name: 'express in a CommonJS file with a db module exporting by default',
    files: {
      'src/server.ts': `const express = require('express');
const app = express();
app.listen(3000);
`,
      'src/db.ts': `import { Pool } from 'pg';
const pool = new Pool();
export default pool;
`,
    },
    fixTitle: 'Add a SIGTERM/SIGINT handler',
  },
]);
