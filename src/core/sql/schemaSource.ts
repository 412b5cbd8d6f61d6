/**
 * The schema of a project: its migrations applied in order (migrations.ts → schemaBuilder.ts).
 * A project without SQL-defined tables (Prisma with `db push`) gets its schema from
 * schema.prisma instead (prismaSchema.ts: the SQL Prisma would run, placed on the model lines),
 * or from the schema written in TypeScript: TypeORM entities (typeormEntities.ts, the SQL
 * `synchronize: true` runs) and Drizzle `pgTable` definitions (drizzleSchema.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProjectModel } from '../project/project';
import { queriesRunInProcess } from '../db/embeddedEngines';
import { PackageOwners } from '../project/packageOwners';
import { discoverMigrations, readMigrationStatements, readMigrationText, type MigrationFile, type MigrationStatement, type MigrationStyle } from './migrations';
import { prismaSchemaSource, type PrismaModelInfo } from './prismaSchema';
import type { SchemaModel } from './schema';
import { SchemaBuilder, type SchemaStatement } from './schemaBuilder';
import { drizzleTableSchema, type DrizzleKitOptions } from './drizzleSchema';
import { DEFERRED_COLUMN_APPLICATION } from './typeormDecorators';
import { typeormEntitySchema } from './typeormEntities';

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
  /** Whether the TypeScript that defines tables (entities, Drizzle tables) was read: no migration creates a table. */
  usesCodeSchema: boolean;
  /** Models of schema.prisma (model → table, field → column), whichever source built the schema. */
  prismaModels: PrismaModelInfo[];
}

type ProjectInput = Pick<ProjectModel, 'root' | 'files' | 'config'>;

/** The files the schema is built from. */
export function schemaSourceFiles(project: ProjectInput): { migrations: MigrationFile[]; prismaFiles: string[]; codeSchemaFiles: string[] } {
  return { ...migrationSourceFiles(project), codeSchemaFiles: codeSchemaFiles(project.files.ts) };
}

/**
 * The migrations and schema.prisma files of a project (not the TypeScript files that define tables,
 * which need a read each). Migrations of a package whose queries run on SQLite inside the process
 * (better-sqlite3 and no server driver, embeddedEngines.ts — atproto's pds, whose Kysely migrations
 * build its SQLite files) are not a PostgreSQL schema, and are left out.
 */
export function migrationSourceFiles(project: ProjectInput): { migrations: MigrationFile[]; prismaFiles: string[] } {
  const owners = new PackageOwners();
  const migrations = discoverMigrations({ root: project.root, files: project.files, globs: project.config.migrations }).filter((m) => !queriesRunInProcess(owners.ownerOf(m.file)));
  const prismaFiles = project.files.other.filter((f) => path.extname(f) === '.prisma');
  return { migrations, prismaFiles };
}

/**
 * The schema of a project. Needs `await loadSqlParser()` first. `sources`: the project's
 * migrations and schema.prisma files, when the caller already found them.
 */
export function projectSchema(
  project: ProjectInput,
  read: (file: string) => string | undefined = readOrUndefined,
  sources: { migrations: MigrationFile[]; prismaFiles: string[] } = migrationSourceFiles(project),
): ProjectSchema {
  const { migrations, prismaFiles } = sources;
  const statements = readMigrationStatements(migrations, read);
  const prisma = prismaFiles.flatMap((f) => {
    const text = read(f);
    return text === undefined ? [] : [prismaSchemaSource(f, text)];
  });
  const prismaModels = prisma.flatMap((p) => p.models);
  const migrationsDefineTables = statements.some((s) => s.ast && 'CreateStmt' in s.ast);
  const applied = migrationsDefineTables ? statements : [...statements, ...prisma.flatMap((p) => p.statements), ...codeSchemaStatements(codeSchemaFiles(project.files.ts), read, drizzleKitOptions(project.files.ts, read))];
  // A module's API is known once its statements are read (index.ts and provider.ts in a Kysely folder have none).
  const apiOf = new Map(statements.filter((s) => s.style !== 'script').map((s) => [s.file, s.style as MigrationStyle]));
  const withApi = migrations.map((m) => (m.style === 'script' && apiOf.has(m.file) ? { ...m, api: apiOf.get(m.file) } : m));
  return { schema: buildSchema(applied), migrations: withApi, statements: applied, prismaModels, usesCodeSchema: !migrationsDefineTables };
}

/**
 * The schema written in TypeScript, as the SQL its tool would run: TypeORM entities (what
 * `synchronize: true` creates) and Drizzle tables (what `drizzle-kit push` creates). Only used
 * when no migration creates a table: migrations are what the database really ran.
 */
function codeSchemaStatements(files: string[], read: (file: string) => string | undefined, drizzleKit: DrizzleKitOptions = {}): MigrationStatement[] {
  const texts = files.flatMap((file) => {
    const text = read(file);
    return text === undefined ? [] : [{ file, text }];
  });
  const entityFiles = texts.filter((t) => TYPEORM_MARK.test(t.text));
  const typeorm = entityFiles.length ? typeormEntitySchema(entityFiles, { read, applicationFiles: texts.filter((t) => DEFERRED_COLUMN_APPLICATION.test(t.text)) }) : [];
  return [...typeorm, ...drizzleTableSchema(texts.filter((t) => DRIZZLE_MARK.test(t.text)), drizzleKit)];
}

/** What the project's drizzle.config tells of the tables drizzle-kit creates. */
function drizzleKitOptions(files: readonly string[], read: (file: string) => string | undefined): DrizzleKitOptions {
  const configs = files.filter((f) => /^drizzle\.config\.[cm]?ts$/.test(path.basename(f)));
  // `casing: 'snake_case'` in every config: drizzle-kit snake_cases the column names it derives from properties.
  const snakeCase = configs.length > 0 && configs.every((f) => /\bcasing\s*:\s*['"]snake_case['"]/.test(read(f) ?? ''));
  return { schemas: drizzleManagedSchemas(configs, read), snakeCase };
}

/**
 * The schemas drizzle-kit manages: `schemaFilter` of the project's drizzle.config (a string or an
 * array of strings). A table declared in another schema (`pgSchema('auth').table(…)`, a mirror of
 * tables a platform owns, such as Supabase's `auth` and `storage`) is not created by drizzle-kit:
 * its indexes and constraints are not the project's to know. Undefined when a config has no
 * literal filter (then every schema counts).
 */
function drizzleManagedSchemas(configs: readonly string[], read: (file: string) => string | undefined): Set<string> | undefined {
  if (configs.length === 0) return undefined;
  const out = new Set<string>();
  for (const file of configs) {
    const text = read(file);
    const m = text && /\bschemaFilter\s*:\s*(\[[^\]]*\]|'[^']*'|"[^"]*")/.exec(text);
    if (!m) return undefined;
    const names = [...m[1].matchAll(/'([^']*)'|"([^"]*)"/g)].map((x) => x[1] ?? x[2]);
    if (names.length === 0 || m[1].replace(/'[^']*'|"[^"]*"|[\s,\[\]]/g, '') !== '') return undefined;
    for (const n of names) out.add(n);
  }
  return out;
}

const TYPEORM_MARK = /@Entity\(/;
// `pgTable`, `pgSchema`, `pgTableCreator`, or the import of Drizzle's column builders (tables made
// with a creator imported from another file name none of them).
const DRIZZLE_MARK = /\bpg(Table|Schema|TableCreator)\b|['"]drizzle-orm\/pg-core['"]/;
const markCache = new Map<string, { signature: string; marked: boolean }>();

/**
 * TypeScript files that declare tables (entities, `pgTable`): read once and remembered by size
 * and modification time, so the rule's schema check costs a `stat` per file, not a read.
 */
export function codeSchemaFiles(files: readonly string[]): string[] {
  return files.filter((file) => {
    const signature = statSignature(file);
    const cached = markCache.get(file);
    if (cached && cached.signature === signature) return cached.marked;
    const text = readMigrationText(file) ?? '';
    // A file applying TypeORM column decorators by code decides what a project decorator stands for (typeormDecorators.ts).
    const marked = TYPEORM_MARK.test(text) || DRIZZLE_MARK.test(text) || DEFERRED_COLUMN_APPLICATION.test(text);
    markCache.set(file, { signature, marked });
    return marked;
  });
}

export function statSignature(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function readOrUndefined(file: string): string | undefined {
  return readMigrationText(file);
}
