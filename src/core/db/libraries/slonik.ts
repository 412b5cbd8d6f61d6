import ts from 'typescript';
import type { DbLibraryDescriptor } from './types';
import { receiverIsInstance } from './callShapes';
import { operationOfSql, templateText } from '../queryShape';
import { sqlArgumentExtractor } from '../../sql/sqlFromCode';

/** The query methods of a Slonik pool or connection (`CommonQueryMethods`): each sends one statement. */
const SLONIK_QUERIES = new Set(['query', 'any', 'anyFirst', 'one', 'oneFirst', 'many', 'manyFirst', 'maybeOne', 'maybeOneFirst', 'exists', 'stream', 'copyFromBinary']);

/**
 * Slonik: `pool.one(sql.typeAlias('user')`…`)` and the other query methods on a pool
 * (`await createPool(url)`), a connection (`pool.connect(async (connection) => …)`) or a
 * transaction (`pool.transaction(async (trx) => …)`). The `sql` tag only builds a query, so a
 * tagged template is never a round trip by itself.
 */
export const slonik = {
  id: 'slonik',
  displayName: 'Slonik',
  packages: ['slonik', '@silverhand/slonik'],
  connects: true,
  recognition: {
    methods: SLONIK_QUERIES,
    classify: (c) => {
      if (c.tagged || !c.method || !SLONIK_QUERIES.has(c.method) || !receiverIsInstance(c)) return null;
      // The statement is always a `sql` tag: its verb says read or write better than the method name (`query`).
      const first = ts.isCallExpression(c.node) ? c.node.arguments[0] : undefined;
      const sql = first && ts.isTaggedTemplateExpression(first) ? templateText(first.template) : undefined;
      return { method: c.method, operation: (sql !== undefined ? operationOfSql(sql) : undefined) ?? 'read' };
    },
  },
  batching: {
    read: "Load all rows in one query with `` sql.typeAlias(…)`… WHERE id = ANY(${sql.array(ids, 'int4')})` `` (or a JOIN), then match them up in memory; a DataLoader does this for you.",
    write: "Write all rows in one statement: `` sql.unsafe`INSERT INTO t (a, b) SELECT * FROM ${sql.unnest(rows, ['int4', 'text'])}` ``.",
  },
  clients: [{ paths: [['createPool', '()']], ping: '%.query(sql.unsafe`SELECT 1`)', close: '%.end()', imports: [{ name: 'sql', from: 'slonik' }] }],
  // The SQL its calls send, for the unindexed-filter analysis (src/core/sql/sqlFromCode.ts).
  queries: sqlArgumentExtractor('dollar', new Set([])),
} satisfies DbLibraryDescriptor;
