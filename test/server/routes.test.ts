import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { lspFixtureSession, uriOf } from './lspClient';
import { ROUTES_REQUEST, type RoutesResult } from '../../src/server/routesProtocol';

/**
 * `shipshape/routes` on the built server (dist/server.js over stdio): the workspace's routes by
 * method and full path (mount prefixes from other files included), the lines of each handler,
 * and which are health routes. The "Load test this route" CodeLens, the findings the results
 * panel puts next to a route, and new scenarios are drawn from it.
 */
describe('language server: shipshape/routes (the load-test route source)', function () {
  this.timeout(60_000);
  const session = lspFixtureSession('routes-express');

  const summary = (result: RoutesResult, root: (rel: string) => string) =>
    result.routes.map((r) => `${r.method} ${r.path} ${r.uri === uriOf(root('src/orders.ts')) ? 'orders.ts' : r.uri === uriOf(root('src/server.ts')) ? 'server.ts' : r.uri}:${r.line}-${r.endLine}${r.health ? ' health' : ''}`);

  it('lists every route with its full path, handler lines and health flag', async () => {
    const client = await session.start();
    const result = (await client.connection.sendRequest(ROUTES_REQUEST)) as RoutesResult;
    assert.deepEqual(summary(result, (rel) => client.file(rel)), [
      'GET /api/orders orders.ts:6-9',
      'POST /api/orders orders.ts:11-14',
      'GET /healthz server.ts:7-9 health',
    ]);
  });

  it('follows the unsaved buffer: a route added in the editor is listed after its analysis', async () => {
    const client = await session.start();
    const text = `${fs.readFileSync(client.file('src/orders.ts'), 'utf8')}\nordersRouter.delete('/:id', async (req, res) => {\n  res.status(204).end();\n});\n`;
    await client.open('src/orders.ts', text);
    const result = (await client.connection.sendRequest(ROUTES_REQUEST)) as RoutesResult;
    assert.deepEqual(summary(result, (rel) => client.file(rel)), [
      'GET /api/orders orders.ts:6-9',
      'POST /api/orders orders.ts:11-14',
      'DELETE /api/orders/:id orders.ts:16-18',
      'GET /healthz server.ts:7-9 health',
    ]);
  });
});
