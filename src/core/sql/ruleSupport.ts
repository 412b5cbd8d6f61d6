/**
 * What the SQL rules share in one analysis: the project's schema (rebuilt only when a migration
 * file changed) and the migration files (for the "Create index migration" fix).
 */
import * as fs from 'node:fs';
import type { ProjectModel } from '../project/project';
import { discoverMigrations, readMigrationStatements, type MigrationFile } from './migrations';
import { isSqlParserLoaded } from './parser';
import type { SchemaModel } from './schema';
import { buildSchema } from './schemaSource';

interface CachedSchema {
  signature: string;
  schema: SchemaModel;
  migrations: MigrationFile[];
}

const CACHE_KEY = 'sql-schema';

/**
 * The schema of the project, from a rule's cache when no migration file changed (path, size and
 * modification time), so an edit to a TypeScript file never re-reads the migrations, and an edit
 * to a migration re-derives the schema once. Undefined until the SQL parser is loaded.
 */
export function schemaFor(project: ProjectModel, cache: Map<string, unknown>): CachedSchema | undefined {
  if (!isSqlParserLoaded()) return undefined;
  const migrations = discoverMigrations({ root: project.root, files: project.files, globs: project.config.migrations });
  const signature = migrations.map((m) => `${m.file}:${statSignature(m.file)}`).join('|');
  const cached = cache.get(CACHE_KEY) as CachedSchema | undefined;
  if (cached && cached.signature === signature) return cached;
  const fresh = { signature, schema: buildSchema(readMigrationStatements(migrations)), migrations };
  cache.set(CACHE_KEY, fresh);
  return fresh;
}

function statSignature(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}
