import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { lspFixtureSession, uriOf } from './lspClient';
import { QUERIES_REQUEST, type QueriesResult } from '../../src/server/queriesProtocol';

/**
 * `shipshape/queries` on the built server (dist/server.js over stdio): every query Shipshape
 * extracts from a document — SQL string, tagged template, query-builder call — with its range
 * and the SQL explain runs; the explain CodeLens is drawn from it.
 */
describe('language server: shipshape/queries (the explain CodeLens source)', function () {
  this.timeout(60_000);
  const session = lspFixtureSession('explain-queries');

  it('lists each extracted query of the document with its range, SQL, verdict and suggested index', async () => {
    const client = await session.start();
    const result = (await client.connection.sendRequest(QUERIES_REQUEST, { uri: uriOf(client.file('src/queries.ts')) })) as QueriesResult;
    const summary = result.queries.map((q) => ({ line: q.range.start.line, character: q.range.start.character, endLine: q.range.end.line, sql: q.sql, verdict: q.verdict, library: q.library }));
    assert.deepEqual(summary, [
      // The string literal, the whole tagged template, the whole builder chain.
      { line: 10, character: 36, endLine: 10, sql: 'SELECT id, email FROM customers WHERE id = $1', verdict: 'served', library: 'pg' },
      { line: 15, character: 48, endLine: 15, sql: 'SELECT * FROM orders WHERE customer_id = $1', verdict: 'not-served', library: 'postgres' },
      { line: 18, character: 64, endLine: 18, sql: result.queries[2]?.sql, verdict: 'not-served', library: 'knex' },
    ]);
    assert.match(result.queries[2].sql, /^SELECT \* FROM orders WHERE status = \$1 ORDER BY created_at DESC LIMIT 1$/);
    assert.deepEqual(result.queries.map((q) => q.tables), [['customers'], ['orders'], ['orders']]);
    assert.equal(result.queries[0].createIndex, undefined);
    assert.match(result.queries[1].createIndex ?? '', /^CREATE INDEX CONCURRENTLY IF NOT EXISTS \S+ ON orders \(customer_id\);$/);
  });

  it('follows the unsaved buffer, and answers no queries for a file outside the workspace', async () => {
    const client = await session.start();
    const text = `\n\n${fs.readFileSync(client.file('src/queries.ts'), 'utf8')}`;
    await client.open('src/queries.ts', text);
    const result = (await client.connection.sendRequest(QUERIES_REQUEST, { uri: uriOf(client.file('src/queries.ts')) })) as QueriesResult;
    assert.deepEqual(result.queries.map((q) => q.range.start.line), [12, 17, 20]);
    const outside = (await client.connection.sendRequest(QUERIES_REQUEST, { uri: 'file:///nowhere/else.ts' })) as QueriesResult;
    assert.deepEqual(outside, { queries: [] });
  });
});
