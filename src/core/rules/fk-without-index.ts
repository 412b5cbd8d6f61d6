import type { Fix } from '../finding';
import { quoteIdent } from '../sql/ast';
import { indexMigrationFix } from '../sql/indexMigration';
import { prismaIndexFix } from '../sql/prismaFix';
import { isTestCode } from '../project/testFiles';
import { schemaFor } from '../sql/ruleSupport';
import { displayTableName, type ForeignKeyModel, type IndexModel, type TableModel } from '../sql/schema';
import { defineRule } from './types';

type MessageId = 'fkWithoutIndex' | 'fkPartlyIndexed';

export interface FkWithoutIndexOptions {
  /** Leave foreign keys declared in test code alone (test migrations, entities of a test fixture). */
  ignoreTestFiles: boolean;
}

/**
 * fk-without-index: a foreign key whose columns are not the leading columns of any index of
 * its table. PostgreSQL indexes the referenced side (a primary key or unique constraint) but
 * never the referencing side. Reported on the constraint in the migration.
 * See docs/rules/fk-without-index.md.
 */
export const fkWithoutIndex = defineRule<MessageId, FkWithoutIndexOptions>({
  meta: {
    id: 'fk-without-index',
    description: 'A foreign key whose columns are not the leading columns of any index.',
    defaultSeverity: 'warning',
    messages: {
      fkWithoutIndex:
        'Foreign key {{name}} ({{columns}}) on `{{table}}` has no index that starts with {{columns}}. Each DELETE or key UPDATE on `{{referenced}}` then scans all of `{{table}}` to check for referencing rows (holding its locks meanwhile), and every join or lookup from `{{referenced}}` to its `{{table}}` rows reads the whole table. Add an index: `{{createIndex}}`',
      fkPartlyIndexed:
        'Foreign key {{name}} ({{columns}}) on `{{table}}` is indexed only on {{served}} (by {{index}}): each DELETE or key UPDATE on `{{referenced}}` reads every `{{table}}` row with the same {{served}} and checks {{left}} row by row. Fine when {{served}} alone is (nearly) unique; otherwise add an index: `{{createIndex}}`',
    },
    optionsSchema: {
      type: 'object',
      properties: {
        ignoreTestFiles: {
          type: 'boolean',
          default: true,
          description: 'Skip foreign keys declared in test files (*.test.ts, *.spec.ts, __tests__/, test/, tests/, e2e/, fixtures/): they build a test database, not production.',
        },
      },
      additionalProperties: false,
    },
  },
  defaultOptions: { ignoreTestFiles: true },
  run(ctx) {
    const found = schemaFor(ctx.project, ctx.cache);
    if (!found) return;
    for (const table of found.schema.tables.values()) {
      for (const fk of table.foreignKeys) {
        if (!ctx.targetFiles.has(fk.origin.file) || fk.columns.length === 0 || isIndexed(table, fk)) continue;
        if (ctx.options.ignoreTestFiles && isTestCode(ctx.project.root, fk.origin.file)) continue;
        const indexName = `${table.name}_${fk.columns.join('_')}_idx`.slice(0, 63);
        const createIndex = `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(indexName)} ON ${displayTableName(table).split('.').map(quoteIdent).join('.')} (${fk.columns.map(quoteIdent).join(', ')});`;
        const fixes = [indexMigrationFix(found.migrations, { createIndex, indexName }), prismaIndexFix(found.prismaModels, table, { columns: fk.columns.map((column) => ({ column, descending: false })) })].filter((f): f is Fix => f !== undefined);
        const prefix = indexedPrefix(table, fk);
        if (prefix) {
          // A composite key whose first column(s) an index already has (`(account_id, user_id)` with an
          // index on `account_id`): the check reads the rows of one account — the "partly served" of
          // unindexed-filter, reported the same way, at info.
          ctx.report({
            at: { file: fk.origin.file, range: fk.origin.range },
            messageId: 'fkPartlyIndexed',
            severity: 'info',
            data: {
              name: quoteIdent(fk.name),
              columns: fk.columns.map((c) => `\`${c}\``).join(', '),
              table: displayTableName(table),
              referenced: fk.references.schema === 'public' ? fk.references.table : `${fk.references.schema}.${fk.references.table}`,
              served: prefix.columns.map((c) => `\`${c}\``).join(', '),
              left: fk.columns.filter((c) => !prefix.columns.includes(c)).map((c) => `\`${c}\``).join(', '),
              index: prefix.index.name,
              createIndex,
            },
            fixes,
          });
          continue;
        }
        ctx.report({
          at: { file: fk.origin.file, range: fk.origin.range },
          messageId: 'fkWithoutIndex',
          data: {
            name: quoteIdent(fk.name),
            columns: fk.columns.map((c) => `\`${c}\``).join(', '),
            table: displayTableName(table),
            referenced: fk.references.schema === 'public' ? fk.references.table : `${fk.references.schema}.${fk.references.table}`,
            createIndex,
          },
          fixes,
        });
      }
    }
  },
});

/**
 * Served when some btree index's leading keys are exactly the FK's columns (in any order, as
 * the lookup `WHERE a = $1 AND b = $2` needs), or a hash index on its one column; a partial
 * index only when its predicate is `col IS NOT NULL` on those columns (rows with a NULL key
 * never reference anything).
 */
function isIndexed(table: TableModel, fk: ForeignKeyModel): boolean {
  return table.indexes.some((index) => servesForeignKey(index, fk));
}

/** The longest run of an index's leading keys that are all columns of a multi-column foreign key. */
function indexedPrefix(table: TableModel, fk: ForeignKeyModel): { index: IndexModel; columns: string[] } | undefined {
  if (fk.columns.length < 2) return undefined;
  let best: { index: IndexModel; columns: string[] } | undefined;
  for (const index of table.indexes) {
    if (index.method !== 'btree' || (index.predicate && !/^[\w".]+ IS NOT NULL( AND [\w".]+ IS NOT NULL)*$/.test(index.predicate.text))) continue;
    const columns: string[] = [];
    for (const k of index.keys) {
      if (!k.column || !fk.columns.includes(k.column) || columns.includes(k.column)) break;
      columns.push(k.column);
    }
    if (columns.length > 0 && (!best || columns.length > best.columns.length)) best = { index, columns };
  }
  return best;
}

function servesForeignKey(index: IndexModel, fk: ForeignKeyModel): boolean {
  if (index.predicate && !/^[\w".]+ IS NOT NULL( AND [\w".]+ IS NOT NULL)*$/.test(index.predicate.text)) return false;
  if (index.method === 'hash') return fk.columns.length === 1 && index.keys[0]?.column === fk.columns[0];
  if (index.method !== 'btree') return false;
  const leading = index.keys.slice(0, fk.columns.length).map((k) => k.column);
  return leading.length === fk.columns.length && fk.columns.every((c) => leading.includes(c));
}
