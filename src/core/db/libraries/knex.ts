import type { DbLibraryDescriptor } from './types';
import { afterCallback, PLAIN_VALUE_METHODS } from './callShapes';
import { sqlArgumentExtractor } from '../../sql/sqlFromCode';
import { knexChainQuery } from '../../sql/ormFilters';

const KNEX_NOT_QUERIES = new Set([
  'schema', 'migrate', 'seed', 'destroy', 'initialize', 'transaction', 'transactionProvider', 'commit', 'rollback', 'savepoint', 'client',
  'on', 'toSQL', 'toString', 'toQuery', 'fn', 'ref', 'isTransaction', 'userParams', 'withUserParams', 'queryBuilder',
]);

/** Knex: builders run when awaited, returned or `.then`-ed; `raw`. */
export const knex = {
  id: 'knex',
  displayName: 'Knex',
  packages: ['knex'],
  recognition: {
    methods: new Set(['then', 'asCallback', 'raw']),
    executesWhenAwaited: true,
    classify: (c) => {
      if (c.tagged) return null;
      if (!c.typed && !c.path.includes('()') && !c.path.some((s) => s.startsWith('cb('))) return null;
      if (afterCallback(c.path).some((s) => KNEX_NOT_QUERIES.has(s))) return null;
      if (!c.executed && !(c.method === 'then' || c.method === 'asCallback')) return null;
      if (c.method === 'then' || c.method === 'catch' || c.method === 'finally') return null; // the receiver chain is the query
      if (c.method && PLAIN_VALUE_METHODS.has(c.method)) return null; // a method of a loaded row's value
      return { method: c.method ?? 'query' };
    },
  },
  batching: {
    read: "Load the rows in one query with `whereIn('id', ids)` (or a join), then match them up in memory; a DataLoader does this for you.",
    write: "Write the rows in one statement: `insert([...rows])`, or `update`/`del` with `whereIn('id', ids)`.",
  },
  clients: [{ paths: [['()'], ['knex', '()']], ping: "%.raw('SELECT 1')", close: '%.destroy()' }],
  // The SQL its calls send, for the unindexed-filter analysis (src/core/sql/sqlFromCode.ts).
  queries: {
    // `raw(…)`, and builder chains where they run (awaited, returned, `.then`-ed).
    calls: { methods: new Set(['raw', 'then', 'asCallback']), executedBuilders: true },
    extract: (site, ctx) => (site.method === 'raw' ? sqlArgumentExtractor('question', new Set(['raw'])).extract(site, ctx) : knexChainQuery(site)),
  },
} satisfies DbLibraryDescriptor;
