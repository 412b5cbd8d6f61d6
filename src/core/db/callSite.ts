import type ts from 'typescript';
import type { DbLibrary } from './libraries';

/** What a recognised database call does to the data. */
export type DbOperation = 'read' | 'write';

/** One database round trip in the code, as the recogniser found it. */
export interface DbCallSite {
  /** The call, tagged template, or executed builder chain that makes the round trip. */
  node: ts.CallExpression | ts.TaggedTemplateExpression;
  library: DbLibrary;
  /** What the user wrote, with arguments elided: `pool.query(…)`, `prisma.user.findMany(…)`, `` sql`…` ``. */
  display: string;
  /** The library method (`query`, `findUnique`, `getMany`), or `sql` for a tagged query. */
  method: string;
  operation: DbOperation;
  /** Writes many rows in one statement (`createMany`, `bulkCreate`, `insertMany`). */
  bulk: boolean;
  /** Filters on a list (`= ANY($1)`, `in`, `In()`, `whereIn`, `inArray`, `$in`, `OR: xs.map(…)`): see `SetFilter`. */
  setFilter?: SetFilter;
  /** Prisma `findUnique`: calls issued in the same tick are merged into one query by Prisma's dataloader. */
  sameTickBatchable: boolean;
  /** LIMIT/OFFSET/take/skip/cursor: fetches a page, as a pagination loop does on purpose. */
  paginated: boolean;
  /**
   * A lazy builder (Knex, Drizzle) that runs only because it is returned: it is a round trip
   * when the caller awaits it, and none when the caller composes it into another query.
   */
  deferred: boolean;
  recognisedBy: 'provenance' | 'type';
}

/**
 * A query that filters on a list. Whether that makes it a batch depends on where the list
 * comes from: a loop over chunks of ids (`for (const chunk of chunks)`) is batching; a loop
 * over documents that loads each one's attachments with `IN` is still one query per document.
 */
export interface SetFilter {
  /** The SQL text filters on a list parameter (`= ANY($1)`, `IN (?)`): its value is not traced. */
  sql: boolean;
  /** The list values of ORM filters (`ids` in `{ id: { in: ids } }`, `In(ids)`, `whereIn('id', ids)`). */
  operands: ts.Expression[];
}
