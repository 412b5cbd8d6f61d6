/**
 * What the SQL rules share in one analysis: the project's schema (rebuilt only when a migration
 * or schema.prisma changed) and the migration files (for the "Create index migration" fix).
 */
import type { ProjectModel } from '../project/project';
import type { MigrationFile } from './migrations';
import { isSqlParserLoaded } from './parser';
import type { PrismaModelInfo } from './prismaSchema';
import type { SchemaModel } from './schema';
import { projectSchema, schemaSourceFiles, statSignature } from './schemaSource';

export interface CachedSchema {
  signature: string;
  schema: SchemaModel;
  migrations: MigrationFile[];
  prismaModels: PrismaModelInfo[];
}

const CACHE_KEY = 'sql-schema';

/**
 * The schema of the project, from a rule's cache when no schema file changed (path, size and
 * modification time), so an edit to a TypeScript file never re-reads the migrations, and an edit
 * to a migration re-derives the schema once. Undefined until the SQL parser is loaded.
 */
export function schemaFor(project: ProjectModel, cache: Map<string, unknown>): CachedSchema | undefined {
  if (!isSqlParserLoaded()) return undefined;
  const { migrations, prismaFiles, codeSchemaFiles } = schemaSourceFiles(project);
  const signature = [...migrations.map((m) => m.file), ...prismaFiles, ...codeSchemaFiles].map((f) => `${f}:${statSignature(f)}`).join('|');
  const cached = cache.get(CACHE_KEY) as CachedSchema | undefined;
  if (cached && cached.signature === signature) return cached;
  const built = projectSchema(project);
  const fresh: CachedSchema = { signature, schema: built.schema, migrations: built.migrations, prismaModels: built.prismaModels };
  cache.set(CACHE_KEY, fresh);
  return fresh;
}
