import type { Fix } from '../finding';
import { quoteIdent } from '../sql/ast';
import { describeIndex } from '../sql/coverage';
import { indexMigrationFix } from '../sql/indexMigration';
import { prismaIndexFix } from '../sql/prismaFix';
import { schemaFor, skippedAsTestCode, sqlRuleOptionsSchema, type SqlRuleOptions } from '../sql/ruleSupport';
import { displayTableName, type ForeignKeyModel, type IndexModel, type TableModel } from '../sql/schema';
import { defineRule } from './types';

type MessageId = 'fkWithoutIndex' | 'fkPartlyIndexed';

export type FkWithoutIndexOptions = SqlRuleOptions;

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
        'Foreign key {{name}} ({{columns}}) on `{{table}}` is indexed only in part: {{index}} finds the referencing rows by {{served}}, and {{left}} is checked row by row over every row with the same {{served}}. Fine when {{served}} alone picks out a few rows; if one value can have many rows (a tenant, an owner), each DELETE or key UPDATE on `{{referenced}}` reads all of them. To index the whole key: `{{createIndex}}`',
    },
    optionsSchema: sqlRuleOptionsSchema('foreign keys declared'),
  },
  defaultOptions: { ignoreTestFiles: true },
  run(ctx) {
    const found = schemaFor(ctx.project, ctx.cache);
    if (!found) return;
    for (const table of found.schema.tables.values()) {
      for (const fk of table.foreignKeys) {
        if (!ctx.targetFiles.has(fk.origin.file) || fk.columns.length === 0 || isIndexed(table, fk)) continue;
        if (ctx.options.ignoreTestFiles && skippedAsTestCode(ctx.project.root, fk.origin.file)) continue;
        const partly = partlyServing(table, fk);
        const indexName = `${table.name}_${fk.columns.join('_')}_idx`.slice(0, 63);
        const createIndex = `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(indexName)} ON ${displayTableName(table).split('.').map(quoteIdent).join('.')} (${fk.columns.map(quoteIdent).join(', ')});`;
        const fixes = [indexMigrationFix(found.migrations, { createIndex, indexName }), prismaIndexFix(found.prismaModels, table, { columns: fk.columns.map((column) => ({ column, descending: false })) })].filter((f): f is Fix => f !== undefined);
        const data = {
          name: quoteIdent(fk.name),
          columns: list(fk.columns),
          table: displayTableName(table),
          referenced: fk.references.schema === 'public' ? fk.references.table : `${fk.references.schema}.${fk.references.table}`,
          createIndex,
        };
        if (partly) {
          // PostgreSQL's check (`WHERE a = $1 AND b = $2`) uses such an index for `a` and filters
          // the rest, as for a query (SPEC: served in part → info).
          const left = fk.columns.filter((c) => !partly.served.includes(c));
          ctx.report({ at: { file: fk.origin.file, range: fk.origin.range }, messageId: 'fkPartlyIndexed', severity: 'info', data: { ...data, index: describeIndex(partly.index), served: list(partly.served), left: list(left) }, fixes });
        } else {
          ctx.report({ at: { file: fk.origin.file, range: fk.origin.range }, messageId: 'fkWithoutIndex', data, fixes });
        }
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

function servesForeignKey(index: IndexModel, fk: ForeignKeyModel): boolean {
  if (!holdsEveryKey(index)) return false;
  if (index.method === 'hash') return fk.columns.length === 1 && index.keys[0]?.column === fk.columns[0];
  if (index.method !== 'btree') return false;
  const leading = index.keys.slice(0, fk.columns.length).map((k) => k.column);
  return leading.length === fk.columns.length && fk.columns.every((c) => leading.includes(c));
}

/**
 * A btree index whose leading keys are some of a multi-column foreign key's columns (not all):
 * the longest such prefix, when there is one.
 */
function partlyServing(table: TableModel, fk: ForeignKeyModel): { index: IndexModel; served: string[] } | undefined {
  if (fk.columns.length < 2) return undefined;
  let best: { index: IndexModel; served: string[] } | undefined;
  for (const index of table.indexes) {
    if (index.method !== 'btree') continue;
    if (!holdsEveryKey(index)) continue;
    const served: string[] = [];
    for (const key of index.keys) {
      if (!key.column || !fk.columns.includes(key.column) || served.includes(key.column)) break;
      served.push(key.column);
    }
    if (served.length > 0 && served.length < fk.columns.length && served.length > (best?.served.length ?? 0)) best = { index, served };
  }
  return best;
}

/** No predicate, or only `col IS NOT NULL`: every row with a key is in the index. */
function holdsEveryKey(index: IndexModel): boolean {
  return !index.predicate || /^[\w".]+ IS NOT NULL( AND [\w".]+ IS NOT NULL)*$/.test(index.predicate.text);
}

function list(columns: readonly string[]): string {
  return columns.map((c) => `\`${c}\``).join(', ');
}
