import ts from 'typescript';
import type { DbLibraryDescriptor } from './types';
import { receiverIsInstance } from './callShapes';
import { operationOfSql } from '../queryShape';

/** The query methods of a pg-promise database, task or transaction (`IBaseProtocol`): each sends the statement it is given. */
const PG_PROMISE_QUERIES = new Set([
  'query', 'none', 'one', 'many', 'oneOrNone', 'manyOrNone', 'any', 'result', 'multiResult', 'multi', 'stream', 'func', 'proc', 'map', 'each',
]);
/** Methods that only write (`none` expects no rows back). */
const WRITES = new Set(['none']);

/**
 * pg-promise: `const db = pgp(url)` (with `pgp = pgPromise()`), then `db.one(…)`, `db.any(…)`, …
 * on the database, or on `t` inside `db.task(async (t) => …)` / `db.tx(async (t) => …)`.
 * `pgp.helpers.insert(…)`/`pgp.as.format(…)` only build SQL text.
 */
export const pgPromise = {
  id: 'pg-promise',
  displayName: 'pg-promise',
  packages: ['pg-promise'],
  connects: true,
  recognition: {
    methods: PG_PROMISE_QUERIES,
    classify: (c) => {
      if (c.tagged || !c.method || !PG_PROMISE_QUERIES.has(c.method) || !receiverIsInstance(c)) return null;
      const first = ts.isCallExpression(c.node) ? c.node.arguments[0] : undefined;
      const sql = first && ts.isStringLiteralLike(first) ? operationOfSql(first.text) : undefined;
      return { method: c.method, operation: sql ?? (WRITES.has(c.method) ? 'write' : 'read') };
    },
  },
  batching: {
    read: 'Load all rows in one query with `WHERE id IN ($1:csv)` (or `= ANY($1)` with an array), then match them up in memory; a DataLoader does this for you.',
    write: 'Write all rows in one statement: `db.none(pgp.helpers.insert(rows, columnSet))` for a multi-row INSERT, or `pgp.helpers.update(rows, columnSet) + \' WHERE v.id = t.id\'` for a multi-row UPDATE.',
  },
  clients: [{ paths: [['()', '()']], ping: "%.one('SELECT 1')", close: '%.$pool.end()' }],
} satisfies DbLibraryDescriptor;
