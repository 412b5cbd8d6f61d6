import type { DbLibraryDescriptor } from './types';
import { sqlArgumentExtractor } from '../../sql/sqlFromCode';

/** mysql2: pools and connections, `query`/`execute`. */
export const mysql2 = {
  id: 'mysql2',
  displayName: '`mysql2`',
  packages: ['mysql2'],
  connects: true,
  recognition: {
    methods: new Set(['query', 'execute']),
    classify: (c) => (c.method === 'query' || c.method === 'execute' ? { method: c.method } : null),
  },
  batching: {
    read: 'Load all rows in one query with `WHERE id IN (?)` and an array parameter (or a JOIN), then match them up in memory; a DataLoader does this for you.',
    write: 'Write all rows in one statement: `INSERT INTO t (a, b) VALUES ?` with an array of rows.',
  },
  clients: [{ paths: [['createPool', '()'], ['createConnection', '()']], ping: "%.query('SELECT 1')", close: '%.end()' }],
  // The SQL its calls send, for the unindexed-filter analysis (src/core/sql/sqlFromCode.ts).
  queries: sqlArgumentExtractor('question', new Set(['query', 'execute'])),
} satisfies DbLibraryDescriptor;
