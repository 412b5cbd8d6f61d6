import * as path from 'node:path';
import type { Fix } from '../finding';
import type { IndexCoverage } from '../sql/coverage';
import { prismaIndexFix } from '../sql/prismaFix';
import { describeIndex } from '../sql/coverage';
import { indexMigrationFix } from '../sql/indexMigration';
import { queriesInFiles } from '../sql/projectQueries';
import { isMigrationCode, recordFileQueries, schemaFor, skippedAsTestCode, sqlRuleOptionsSchema, type SqlRuleOptions } from '../sql/ruleSupport';
import { displayTableName } from '../sql/schema';
import { defineRule } from './types';

type MessageId = 'notServed' | 'partlyServed' | 'unsortedLimit';

export type UnindexedFilterOptions = SqlRuleOptions;

/**
 * unindexed-filter: a query whose WHERE/JOIN/ORDER BY columns no index serves, against the
 * schema the migrations build. Coverage follows PostgreSQL (src/core/sql/coverage.ts), checked
 * against PostgreSQL's own planner in the tests. See docs/rules/unindexed-filter.md.
 */
export const unindexedFilter = defineRule<MessageId, UnindexedFilterOptions>({
  meta: {
    id: 'unindexed-filter',
    description: 'A query whose WHERE/JOIN/ORDER BY columns no index serves.',
    defaultSeverity: 'warning',
    messages: {
      notServed:
        'No index serves the filter on `{{table}}` ({{columns}}): {{indexes}}. At production volume each call is a sequential scan of every row of `{{table}}` — fast on 1,000 test rows, seconds on 500,000. Add an index: `{{createIndex}}`',
      partlyServed:
        'Only {{served}} of the filter on `{{table}}` is served (by {{index}}); {{left}} is checked row by row over every row with the same {{served}}, so a large {{served}} scans all of its rows. Add an index that covers the whole filter: `{{createIndex}}`',
      unsortedLimit:
        'No index returns `{{table}}` in {{columns}} order: for this ORDER BY … LIMIT each call reads and sorts every row of `{{table}}` to return the first few. Add an index: `{{createIndex}}`',
    },
    optionsSchema: sqlRuleOptionsSchema('queries'),
  },
  defaultOptions: { ignoreTestFiles: true },
  run(ctx) {
    if (ctx.targetSourceFiles.length === 0) return;
    const found = schemaFor(ctx.project, ctx.cache);
    if (!found || found.schema.tables.size === 0) return;
    const queries = queriesInFiles({ program: ctx.program, checker: ctx.checker, provenance: ctx.provenance, libraries: ctx.project.dbLibraries }, ctx.targetSourceFiles, found.schema, found.prismaModels);
    recordFileQueries(ctx.cache, ctx.targetSourceFiles.map((sf) => path.resolve(sf.fileName)), queries, found.schema);
    // Queries in migrations run once, on the deploy's schema (a backfill reads every row anyway);
    // queries in tests and seed scripts run against a few rows (checking what a request left in the
    // test database, looking up the user a seed just created). All are still extracted above, for hovers.
    const skipped = (file: string) => isMigrationCode(ctx.project, file) || (ctx.options.ignoreTestFiles && skippedAsTestCode(ctx.project.root, file));
    for (const q of queries) {
      if (skipped(q.file)) continue;
      for (const c of q.coverages) {
        if (c.status === 'served') continue;
        const createIndex = c.suggestion?.sql ?? '';
        const fixes = [
          ...(c.suggestion ? [indexMigrationFix(found.migrations, { createIndex, indexName: c.suggestion.name })] : []),
          ...(c.suggestion ? [prismaIndexFix(found.prismaModels, c.access.table, c.suggestion)] : []),
        ].filter((f): f is Fix => f !== undefined);
        const table = displayTableName(c.access.table);
        const common = { table, createIndex };
        if (c.status === 'partly') {
          ctx.report({
            at: q.node,
            messageId: 'partlyServed',
            severity: 'info',
            data: { ...common, served: list(servedTargets(c)), index: [c.best!, ...(c.alsoBy ?? [])].map((u) => describeIndex(u.index)).join(' and '), left: list(c.leftToFilter) },
            fixes,
          });
        } else if (c.filtered.length === 0) {
          ctx.report({ at: q.node, messageId: 'unsortedLimit', data: { ...common, columns: list(c.access.orderBy.slice(0, 1).map((o) => ('column' in o.target ? o.target.column : o.target.expression.text))) }, fixes });
        } else {
          ctx.report({ at: q.node, messageId: 'notServed', data: { ...common, columns: list(c.filtered), indexes: whyNone(c) }, fixes });
        }
      }
    }
  },
});

/** The filtered targets some index serves: the best index's, then those of the others PostgreSQL can combine with it. */
function servedTargets(c: IndexCoverage): string[] {
  const left = new Set(c.leftToFilter);
  const texts = [c.best!, ...(c.alsoBy ?? [])].flatMap((u) => u.served.map((t) => ('column' in t ? t.column : t.expression.text)));
  return [...new Set(texts)].filter((t) => !left.has(t) && (c.filtered.includes(t) || c.best!.served.some((s) => ('column' in s ? s.column : s.expression.text) === t)));
}

function list(items: string[]): string {
  return items.map((i) => `\`${i}\``).join(', ');
}

/** Why no index of the table serves the filter, index by index. */
function whyNone(c: IndexCoverage): string {
  if (c.uses.length === 0) {
    // An entity read without its primary key (inherited from a base class, or a custom decorator
    // Shipshape does not follow) still has one in the database: say only what is known.
    const t = c.access.table;
    return t.source === 'typeorm-entity' ? `no index Shipshape could read from the entity \`${t.name}\` covers it` : `\`${displayTableName(t)}\` has no index at all`;
  }
  return c.uses.map((u) => `${describeIndex(u.index)} ${u.whyNot ?? 'does not serve it'}`).join('; ');
}

