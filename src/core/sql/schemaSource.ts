/**
 * The schema of a project: its migrations applied in order (migrations.ts → schemaBuilder.ts).
 * A project without SQL-defined tables (Prisma with `db push`) gets its schema from
 * schema.prisma instead (prismaSchema.ts: the SQL Prisma would run, placed on the model lines).
 */
import * as path from 'node:path';
import type { ProjectModel } from '../project/project';
import { discoverMigrations, readMigrationStatements, readMigrationText, type MigrationFile, type MigrationStatement } from './migrations';
import { prismaSchemaSource, type PrismaModelInfo } from './prismaSchema';
import type { SchemaModel } from './schema';
import { SchemaBuilder, type SchemaStatement } from './schemaBuilder';

/** Applies statements in order and returns the resulting model (problems included). */
export function buildSchema(statements: Iterable<SchemaStatement>): SchemaModel {
  return new SchemaBuilder().applyAll(statements);
}

export interface ProjectSchema {
  schema: SchemaModel;
  migrations: MigrationFile[];
  /**
   * The statements applied, in order: the migrations', or — when they define no table — the SQL
   * generated from schema.prisma (`source: 'prisma-schema'`). Both are real PostgreSQL DDL.
   */
  statements: MigrationStatement[];
  /** Models of schema.prisma (model → table, field → column), whichever source built the schema. */
  prismaModels: PrismaModelInfo[];
}

type ProjectInput = Pick<ProjectModel, 'root' | 'files' | 'config'>;

/** The files the schema is built from. */
export function schemaSourceFiles(project: ProjectInput): { migrations: MigrationFile[]; prismaFiles: string[] } {
  const migrations = discoverMigrations({ root: project.root, files: project.files, globs: project.config.migrations });
  const prismaFiles = project.files.other.filter((f) => path.extname(f) === '.prisma');
  return { migrations, prismaFiles };
}

/** The schema of a project. Needs `await loadSqlParser()` first. */
export function projectSchema(project: ProjectInput, read: (file: string) => string | undefined = readOrUndefined): ProjectSchema {
  const { migrations, prismaFiles } = schemaSourceFiles(project);
  const statements = readMigrationStatements(migrations, read);
  const prisma = prismaFiles.flatMap((f) => {
    const text = read(f);
    return text === undefined ? [] : [prismaSchemaSource(f, text)];
  });
  const prismaModels = prisma.flatMap((p) => p.models);
  const migrationsDefineTables = statements.some((s) => s.ast && 'CreateStmt' in s.ast);
  const applied = migrationsDefineTables ? statements : [...statements, ...prisma.flatMap((p) => p.statements)];
  return { schema: buildSchema(applied), migrations, statements: applied, prismaModels };
}

function readOrUndefined(file: string): string | undefined {
  return readMigrationText(file);
}
