/**
 * The schema of a project: its migrations applied in order (migrations.ts → schemaBuilder.ts).
 * Other schema sources (schema.prisma, …) are layered on by `projectSchema` when present.
 */
import type { ProjectModel } from '../project/project';
import { discoverMigrations, readMigrationStatements, type MigrationFile, type MigrationStatement } from './migrations';
import type { SchemaModel } from './schema';
import { SchemaBuilder, type SchemaStatement } from './schemaBuilder';

/** Applies statements in order and returns the resulting model (problems included). */
export function buildSchema(statements: Iterable<SchemaStatement>): SchemaModel {
  return new SchemaBuilder().applyAll(statements);
}

export interface ProjectSchema {
  schema: SchemaModel;
  migrations: MigrationFile[];
  statements: MigrationStatement[];
}

/** The schema of a project from its migrations. Needs `await loadSqlParser()` first. */
export function projectSchema(project: Pick<ProjectModel, 'root' | 'files' | 'config'>, read?: (file: string) => string | undefined): ProjectSchema {
  const migrations = discoverMigrations({ root: project.root, files: project.files, globs: project.config.migrations });
  const statements = readMigrationStatements(migrations, read);
  return { schema: buildSchema(statements), migrations, statements };
}
