/**
 * What the SQL rules share in one analysis: the project's schema (rebuilt only when a migration
 * or schema.prisma changed) and the migration files (for the "Create index migration" fix).
 */
import * as fs from 'node:fs';
import type { ProjectModel } from '../project/project';
import type { MigrationFile } from './migrations';
import { isSqlParserLoaded } from './parser';
import type { PrismaModelInfo } from './prismaSchema';
import type { SchemaModel } from './schema';
import { projectSchema, schemaSourceFiles } from './schemaSource';

export interface CachedSchema {
  signature: string;
  schema: SchemaModel;
  migrations: MigrationFile[];
  prismaModels: PrismaModelInfo[];
}

const CACHE_KEY = 'sql-schema';
const QUERIES_KEY = 'sql-queries-by-file';

/**
 * The queries the last analysis extracted from one TypeScript file: where each literal/template
 * is (UTF-16 offsets in the text that was analysed), its SQL, and the tables it reads (keys
 * `schema.name`). The language server answers hovers from it and, after a migration edit,
 * re-checks only the files whose queries read a changed table.
 */
export interface FileQueries {
  spans: Array<{ start: number; end: number; sql: string }>;
  tables: string[];
}

/** Records what `queriesInFiles` found in the files just analysed (a file without queries: empty). */
export function recordFileQueries(cache: Map<string, unknown>, files: readonly string[], queries: ReadonlyArray<{ file: string; sql: string; tables: string[]; node: { getStart(): number; getEnd(): number } }>): void {
  let byFile = cache.get(QUERIES_KEY) as Map<string, FileQueries> | undefined;
  if (!byFile) cache.set(QUERIES_KEY, (byFile = new Map()));
  for (const f of files) byFile.set(f, { spans: [], tables: [] });
  for (const q of queries) {
    const entry = byFile.get(q.file) ?? { spans: [], tables: [] };
    entry.spans.push({ start: q.node.getStart(), end: q.node.getEnd(), sql: q.sql });
    // `tables` holds display names (`orders`, `billing.invoices`).
    for (const t of q.tables) {
      const key = t.includes('.') ? t : `public.${t}`;
      if (!entry.tables.includes(key)) entry.tables.push(key);
    }
    byFile.set(q.file, entry);
  }
}

/** What `recordFileQueries` kept, per absolute file path. */
export function fileQueries(cache: ReadonlyMap<string, unknown>): ReadonlyMap<string, FileQueries> {
  return (cache.get(QUERIES_KEY) as Map<string, FileQueries> | undefined) ?? new Map();
}

/**
 * The schema of the project, from a rule's cache when no schema file changed (path, size and
 * modification time), so an edit to a TypeScript file never re-reads the migrations, and an edit
 * to a migration re-derives the schema once. Undefined until the SQL parser is loaded.
 */
export function schemaFor(project: ProjectModel, cache: Map<string, unknown>): CachedSchema | undefined {
  if (!isSqlParserLoaded()) return undefined;
  const { migrations, prismaFiles } = schemaSourceFiles(project);
  const signature = [...migrations.map((m) => m.file), ...prismaFiles].map((f) => `${f}:${statSignature(f)}`).join('|');
  const cached = cache.get(CACHE_KEY) as CachedSchema | undefined;
  if (cached && cached.signature === signature) return cached;
  const built = projectSchema(project);
  const fresh: CachedSchema = { signature, schema: built.schema, migrations: built.migrations, prismaModels: built.prismaModels };
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
