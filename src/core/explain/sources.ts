/**
 * Where explain gets its input from a workspace: the migration statements in apply order and the
 * queries Shipshape extracted (with the index the unindexed-filter analysis suggests). Both come
 * from the SQL feature (src/core/sql); this is the one place explain reaches into it.
 */
import type { ProjectModel } from '../project/project';
import type { MigrationStatementInput } from './migrate';
import type { ExplainTarget } from './run';

export interface ExplainSources {
  statements: MigrationStatementInput[];
  queries: ExplainTarget[];
}

export type ExplainSourceReader = (project: ProjectModel) => Promise<ExplainSources>;
