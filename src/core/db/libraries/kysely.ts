import ts from 'typescript';
import type { DbLibraryDescriptor } from './types';
import { sqlArgumentExtractor } from '../../sql/sqlFromCode';
import { kyselyQuery } from '../../sql/kyselyQueries';

const KYSELY_EXECUTE = new Set(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'stream', 'executeQuery']);

/** Kysely: builders run by `execute*`. */
export const kysely = {
  id: 'kysely',
  displayName: 'Kysely',
  packages: ['kysely'],
  recognition: {
    methods: KYSELY_EXECUTE,
    classify: (c) => {
      if (!c.method || !KYSELY_EXECUTE.has(c.method)) return null;
      // `db.transaction().execute(async (trx) => …)` runs a callback, not a query.
      if (ts.isCallExpression(c.node) && c.node.arguments.some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a))) return null;
      return { method: c.method };
    },
  },
  batching: {
    read: "Load the rows in one query with `where('id', 'in', ids)` (or a join / `jsonArrayFrom` subquery), then match them up in memory.",
    write: 'Write the rows in one statement: `insertInto(t).values([...rows])`, or `updateTable`/`deleteFrom` with `where(\'id\', \'in\', ids)`.',
  },
  clients: [{ paths: [['Kysely', '()']], ping: '%.selectNoFrom((eb) => eb.val(1).as(\'ok\')).execute()', close: '%.destroy()' }],
  // The SQL its calls send (src/core/sql/sqlFromCode.ts) and its builder chains
  // (src/core/sql/kyselyQueries.ts), for the unindexed-filter analysis.
  queries: {
    calls: { methods: KYSELY_EXECUTE, templates: true },
    extract: (site, ctx) => [...sqlArgumentExtractor('dollar', new Set([])).extract(site, ctx), ...kyselyQuery(site)],
  },
} satisfies DbLibraryDescriptor;
