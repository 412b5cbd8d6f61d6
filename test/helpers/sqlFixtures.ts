import type { MigrationStatementInput } from '../../src/core/explain/migrate';
import { loadProject } from '../../src/core/project/project';
import { loadSqlParser } from '../../src/core/sql/parser';
import { projectSchema } from '../../src/core/sql/schemaSource';

/** A fixture workspace's migration statements, discovered and ordered by the product (src/core/sql). */
export async function fixtureStatements(root: string): Promise<MigrationStatementInput[]> {
  await loadSqlParser();
  return projectSchema(loadProject(root)).statements;
}
