import type { DbLibraryDescriptor } from './types';
import { isFragment, isInstance } from './callShapes';
import { sqlArgumentExtractor } from '../../sql/sqlFromCode';

/** postgres.js: the `` sql`…` `` tag of an instance, `sql.unsafe`, `sql.file`. */
export const postgres = {
  id: 'postgres',
  displayName: '`postgres`',
  packages: ['postgres'],
  connects: true,
  recognition: {
    methods: new Set(['unsafe', 'file']),
    classify: (c) => {
      if (c.tagged) return isInstance(c) && !isFragment(c.node) ? { method: 'sql' } : null;
      return c.method === 'unsafe' || c.method === 'file' ? { method: c.method } : null;
    },
  },
  batching: {
    read: 'Load all rows in one query with `` sql`… WHERE id IN ${sql(ids)}` `` (or `= ANY(${ids})`, or a JOIN), then match them up in memory; a DataLoader does this for you.',
    write: 'Write all rows in one statement: `` sql`INSERT INTO t ${sql(rows)}` `` takes an array of objects.',
  },
  clients: [{ paths: [['()']], ping: '%`SELECT 1`', close: '%.end({ timeout: 5 })' }],
  // The SQL its calls send, for the unindexed-filter analysis (src/core/sql/sqlFromCode.ts).
  queries: sqlArgumentExtractor('dollar', new Set(['unsafe'])),
} satisfies DbLibraryDescriptor;
