/**
 * What the SQL rules (and the language server) share about one project: its schema — rebuilt only
 * when a migration or schema.prisma changed, from the editor's unsaved text where the server
 * gives it — the migration files (for the "Create index migration" fix), and which tables the
 * queries of each TypeScript file read, as of when that file was last checked (so that a
 * migration edit re-checks only the files whose tables changed).
 */
import * as path from 'node:path';
import { toPosix } from '../project/files';
import { isTestCodeOrSeedScript } from '../project/testFiles';
import type { ProjectModel } from '../project/project';
import { readMigrationText, type MigrationFile } from './migrations';
import { isSqlParserLoaded } from './parser';
import type { PrismaModelInfo } from './prismaSchema';
import { tableKey, type SchemaModel, type TableModel } from './schema';
import { codeSchemaFiles, migrationSourceFiles, projectSchema, statSignature } from './schemaSource';

export interface CachedSchema {
  signature: string;
  /** Built from the TypeScript that defines tables too (no migration creates a table): their edits rebuild it. */
  usesCodeSchema: boolean;
  schema: SchemaModel;
  migrations: MigrationFile[];
  prismaModels: PrismaModelInfo[];
}

type ProjectInput = Pick<ProjectModel, 'root' | 'files' | 'config'>;

interface ProjectSqlState {
  cached?: CachedSchema;
  /** Editor buffers of schema files (unsaved text), with a sequence number for the signature. */
  overlays: Map<string, { text: string; seq: number }>;
  seq: number;
  sources?: { migrations: MigrationFile[]; prismaFiles: string[]; all: Set<string> };
}

// Keyed by the project model: a reload (new file list, config) starts afresh, and both SQL rules
// and the server share one schema instead of building it once each.
const states = new WeakMap<ProjectInput, ProjectSqlState>();

function stateOf(project: ProjectInput): ProjectSqlState {
  let state = states.get(project);
  if (!state) states.set(project, (state = { overlays: new Map(), seq: 0 }));
  return state;
}

function sourcesOf(project: ProjectInput): NonNullable<ProjectSqlState['sources']> {
  const state = stateOf(project);
  if (!state.sources) {
    const { migrations, prismaFiles } = migrationSourceFiles(project);
    state.sources = { migrations, prismaFiles, all: new Set([...migrations.map((m) => m.file), ...prismaFiles]) };
  }
  return state.sources;
}

/** A migration or schema.prisma of the project (a file whose text builds the schema). */
export function isSchemaSourceFile(project: ProjectInput, file: string): boolean {
  return sourcesOf(project).all.has(file);
}

/**
 * Migration code: a migration of the project, or a script in a `migrations` folder whose name
 * starts with a version or timestamp (`20240101120000-backfill.ts`, `1700000000000_x.js`) that
 * the configured globs do not list. Its queries run once, at deploy time.
 */
export function isMigrationCode(project: ProjectInput, file: string): boolean {
  if (isSchemaSourceFile(project, file)) return true;
  const rel = toPosix(path.relative(project.root, file));
  return MIGRATION_SCRIPT.test(rel);
}

const MIGRATION_SCRIPT = /(^|\/)migrations?\/(?:[^/]+\/)*(?:V?\d{8,}|\d{1,4}[_-])[^/]*\.[cm]?[jt]s$/i;

/** The editor's text of a schema file (undefined: read it from disk again). */
export function setSchemaSourceText(project: ProjectInput, file: string, text: string | undefined): void {
  const state = stateOf(project);
  if (text === undefined) state.overlays.delete(file);
  else state.overlays.set(file, { text, seq: ++state.seq });
}

/**
 * The schema of the project, rebuilt only when a schema file changed (path, size and modification
 * time on disk, or a new editor text), so an edit to a TypeScript file never re-reads the
 * migrations, and an edit to a migration re-derives the schema once. Undefined until the SQL
 * parser is loaded. (`_cache`, a rule's cache, is no longer needed: the schema is kept per project.)
 */
export function schemaFor(project: ProjectInput, _cache?: Map<string, unknown>): CachedSchema | undefined {
  if (!isSqlParserLoaded()) return undefined;
  const state = stateOf(project);
  const { migrations, prismaFiles } = sourcesOf(project);
  // TypeORM entity / Drizzle table files are in the signature (an edit rebuilds the schema) only
  // while they build it: when no migration creates a table. Otherwise none of them is read.
  const signatureOf = (usesCode: boolean) =>
    [...migrations.map((m) => m.file), ...prismaFiles, ...(usesCode ? codeSchemaFiles(project.files.ts) : [])].map((f) => `${f}:${state.overlays.has(f) ? `o${state.overlays.get(f)!.seq}` : statSignature(f)}`).join('|');
  if (state.cached && state.cached.signature === signatureOf(state.cached.usesCodeSchema)) return state.cached;
  const built = projectSchema(project, (file) => state.overlays.get(file)?.text ?? readMigrationText(file), { migrations, prismaFiles });
  state.cached = { signature: signatureOf(built.usesCodeSchema), usesCodeSchema: built.usesCodeSchema, schema: built.schema, migrations: built.migrations, prismaModels: built.prismaModels };
  return state.cached;
}

// ---- queries per file ---------------------------------------------------------------------------

const QUERIES_KEY = 'sql-queries-by-file';

/**
 * The queries the last analysis extracted from one TypeScript file: where each literal/template
 * is (UTF-16 offsets in the text that was analysed) and its SQL (for hovers), and for each table
 * they read (key `schema.name`) a digest of that table as it was when the file was checked.
 */
export interface FileQueries {
  spans: Array<{ start: number; end: number; sql: string }>;
  tables: Map<string, string>;
  /** The schema's table names when the file was checked: a query on a then-unknown table is re-checked once tables come or go. */
  tableSet: string;
}

/** Records what `queriesInFiles` found in the files just analysed (a file without queries: empty). */
export function recordFileQueries(
  cache: Map<string, unknown>,
  files: readonly string[],
  queries: ReadonlyArray<{ file: string; sql: string; tables: string[]; node: { getStart(): number; getEnd(): number } }>,
  schema: SchemaModel,
): void {
  let byFile = cache.get(QUERIES_KEY) as Map<string, FileQueries> | undefined;
  if (!byFile) cache.set(QUERIES_KEY, (byFile = new Map()));
  const tableSet = tableSetOf(schema);
  for (const f of files) byFile.set(f, { spans: [], tables: new Map(), tableSet });
  for (const q of queries) {
    let entry = byFile.get(q.file);
    if (!entry) byFile.set(q.file, (entry = { spans: [], tables: new Map(), tableSet }));
    entry.spans.push({ start: q.node.getStart(), end: q.node.getEnd(), sql: q.sql });
    // `tables` holds display names (`orders`, `billing.invoices`).
    for (const t of q.tables) {
      const key = t.includes('.') ? t : tableKey('public', t);
      entry.tables.set(key, tableDigest(schema, key));
    }
  }
}

/** What `recordFileQueries` kept, per absolute file path. */
export function fileQueries(cache: ReadonlyMap<string, unknown>): ReadonlyMap<string, FileQueries> {
  return (cache.get(QUERIES_KEY) as Map<string, FileQueries> | undefined) ?? new Map();
}

/**
 * The files whose queries must be checked again against `schema`: a table they read changed
 * (columns, indexes, foreign keys) or is gone, or tables came or went while they have queries
 * (a query on a table the schema did not know yet).
 */
export function filesWithChangedTables(queries: ReadonlyMap<string, FileQueries>, schema: SchemaModel): string[] {
  const tableSet = tableSetOf(schema);
  const out: string[] = [];
  for (const [file, entry] of queries) {
    if (entry.spans.length === 0) continue;
    if (entry.tableSet !== tableSet || [...entry.tables].some(([key, digest]) => tableDigest(schema, key) !== digest)) out.push(file);
  }
  return out;
}

const digests = new WeakMap<SchemaModel, Map<string, string>>();

/** What a query's coverage depends on in one table — not where it was defined (moving a statement changes nothing). */
export function tableDigest(schema: SchemaModel, key: string): string {
  let memo = digests.get(schema);
  if (!memo) digests.set(schema, (memo = new Map()));
  let digest = memo.get(key);
  if (digest === undefined) {
    const t = schema.tables.get(key);
    memo.set(key, (digest = t ? JSON.stringify(tableShape(t)) : 'missing'));
  }
  return digest;
}

function tableShape(t: TableModel): unknown {
  return [
    [...t.columns.values()].map((c) => [c.name, c.type, c.nullable, c.default ?? null]),
    t.indexes.map((i) => [i.name, i.method, i.keys.map((k) => [k.column ?? k.expression?.key, k.descending, k.opclass ?? null]), i.include, i.predicate?.text ?? null, i.unique, i.primary]),
    t.foreignKeys.map((fk) => [fk.name, fk.columns, fk.references]),
  ];
}

function tableSetOf(schema: SchemaModel): string {
  return [...schema.tables.keys()].sort().join(',');
}

/** The options of the SQL rules (unindexed-filter, fk-without-index): one schema for both. */
export interface SqlRuleOptions {
  /** Leave test code and seed scripts alone: they build or read a test database of a few rows. */
  ignoreTestFiles: boolean;
}

/** Test code (tests, their setup and fixtures) or a seed script: what `ignoreTestFiles` leaves alone. */
export function skippedAsTestCode(root: string, file: string): boolean {
  return isTestCodeOrSeedScript(root, file);
}

export function sqlRuleOptionsSchema(what: string): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      ignoreTestFiles: {
        type: 'boolean',
        default: true,
        description: `Skip ${what} in test files (*.test.ts, *.spec.ts, __tests__/, test/, tests/, e2e/, fixtures/, test setup files) and seed scripts (seed/, seeds/, seed*.ts, *.seed.ts): they build or read a test database, not production.`,
      },
    },
    additionalProperties: false,
  };
}
