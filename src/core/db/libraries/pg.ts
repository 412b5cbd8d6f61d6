import type { DbLibraryDescriptor } from './types';
import { sqlArgumentExtractor } from '../../sql/sqlFromCode';

/** node-postgres: `Pool`/`Client`/`PoolClient` `.query(…)`. */
export const pg = {
  id: 'pg',
  displayName: '`pg`',
  packages: ['pg', 'pg-pool'],
  connects: true,
  presencePackages: ['@fastify/postgres', 'fastify-postgres'],
  recognition: {
    methods: new Set(['query']),
    classify: (c) => (c.method === 'query' ? { method: 'query' } : null),
  },
  batching: {
    read: 'Load all rows in one query with `WHERE id = ANY($1)` and an array parameter (or a JOIN), then match them up in memory; a DataLoader does this for you.',
    write: 'Write all rows in one statement: `INSERT … SELECT * FROM unnest($1::int[], $2::text[])`, `UPDATE t SET … FROM unnest($1::int[], $2::text[]) AS v(id, x) WHERE t.id = v.id`, or `WHERE id = ANY($1)` for the same change to many rows.',
  },
  clients: [{ paths: [['Pool', '()'], ['Client', '()'], ['()']], ping: "%.query('SELECT 1')", close: '%.end()' }],
  // The SQL its calls send, for the unindexed-filter analysis (src/core/sql/sqlFromCode.ts).
  queries: sqlArgumentExtractor('dollar', new Set(['query'])),
} satisfies DbLibraryDescriptor;
