import type { DbLibraryDescriptor } from './types';
import { afterCallback, PLAIN_VALUE_METHODS } from './callShapes';
import { sqlArgumentExtractor } from '../../sql/sqlFromCode';
import { drizzleQuery } from '../../sql/drizzleQueries';

const DRIZZLE_TERMINAL = new Set(['execute', 'all', 'get', 'run', 'values']);
const DRIZZLE_NOT_QUERIES = new Set(['transaction', '$with', 'batch', 'prepare', 'toSQL', 'getSQL', 'as', '$dynamic', '_', 'session', 'dialect', 'schema']);

/** Drizzle: awaited builders, relational queries, terminators. */
export const drizzle = {
  id: 'drizzle',
  displayName: 'Drizzle',
  packages: ['drizzle-orm'],
  recognition: {
    methods: new Set([...DRIZZLE_TERMINAL, '$count']),
    executesWhenAwaited: true,
    runsWhenCalled: DRIZZLE_TERMINAL,
    classify: (c) => {
      if (c.tagged) return null;
      const root = c.path[0] ?? '';
      const instance = c.typed || (c.path.length >= 2 && (root === 'drizzle' || /(Database|Transaction)$/.test(root)));
      if (!instance || afterCallback(c.path).some((s) => DRIZZLE_NOT_QUERIES.has(s))) return null;
      if (c.method === 'then' || c.method === 'catch' || c.method === 'finally') return null;
      if (c.method && PLAIN_VALUE_METHODS.has(c.method)) return null; // a method of a loaded row's value (`row.tags.includes(x)`)
      if (c.method && DRIZZLE_TERMINAL.has(c.method)) return { method: c.method };
      return c.executed ? { method: c.method ?? 'query' } : null;
    },
  },
  batching: {
    read: 'Load the rows in one query with `inArray(table.id, ids)`, or load the relation with `with: { … }` in a relational query (or a join).',
    write: 'Write the rows in one statement: `insert(table).values([...rows])`, or `update`/`delete` with `inArray(table.id, ids)`.',
  },
  // A drizzle instance usually wraps a pool found as its own client: closing the pool is enough.
  clients: [{ paths: [['drizzle', '()']], ping: '%.execute(sql`SELECT 1`)', imports: [{ name: 'sql', from: 'drizzle-orm' }] }],
  // The SQL its calls send (src/core/sql/sqlFromCode.ts) and its builder chains
  // (src/core/sql/drizzleQueries.ts), for the unindexed-filter analysis.
  queries: {
    // Builder chains and relational queries are read where they run (awaited, or a terminal method); `sql` templates anywhere.
    calls: { methods: new Set([...DRIZZLE_TERMINAL, '$count']), templates: true, executedBuilders: true },
    extract: (site, ctx) => [...sqlArgumentExtractor('dollar', new Set([])).extract(site, ctx), ...drizzleQuery(site, ctx)],
  },
} satisfies DbLibraryDescriptor;
