/**
 * Where explain gets its input from a workspace: the migration statements in apply order and the
 * queries Shipshape extracted (with the index the unindexed-filter analysis suggests). Both come
 * from the SQL feature (src/core/sql); this is the one place explain reaches into it.
 */
import type { ProjectModel } from '../project/project';
import { loadSqlParser } from '../sql/parser';
import { extractProjectQueries } from '../sql/projectQueries';
import { projectSchema } from '../sql/schemaSource';
import type { MigrationStatementInput } from './migrate';
import type { ExplainTarget } from './run';

export interface ExplainSources {
  statements: MigrationStatementInput[];
  queries: ExplainTarget[];
}

export type ExplainSourceReader = (project: ProjectModel) => Promise<ExplainSources>;

/** The workspace's migration statements (src/core/sql) and its extracted queries. */
export const workspaceSources: ExplainSourceReader = async (project) => {
  await loadSqlParser();
  const { statements } = projectSchema(project);
  const { queries } = await extractProjectQueries(project);
  return {
    statements,
    // A query PostgreSQL cannot parse cannot be explained either; the scan reports it.
    queries: queries.filter((q) => !q.parseError).map((q) => ({ file: q.file, range: q.range, sql: q.sql, suggestedIndex: q.createIndex?.replace(/;\s*$/, '') })),
  };
};
