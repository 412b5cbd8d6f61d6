/**
 * The queries a project's TypeScript code runs, with the index verdict for each.
 *
 * For the explain feature and anything else that wants "every query Shipshape can see":
 *
 *   const { queries, schema } = await extractProjectQueries(loadProject('/path/to/workspace'));
 *   for (const q of queries) {
 *     q.file          // absolute path of the .ts file
 *     q.range         // 0-based range of the SQL literal / template / ORM call
 *     q.sql           // the SQL, parameters as $1, $2, … (constants folded)
 *     q.tables        // tables it reads that the schema knows (`orders`, `billing.invoices`)
 *     q.verdict       // 'served' | 'partly' | 'not-served' | 'no-filter' (worst over its tables)
 *     q.createIndex   // the suggested `CREATE INDEX CONCURRENTLY IF NOT EXISTS …;`, when not served
 *   }
 *
 * Inside the analyzer, `queriesInFiles` does the same over an existing program (the rule
 * `unindexed-filter` uses it). Calls are recognised by provenance and types (the database-call
 * recogniser), never by variable names.
 */
import * as path from 'node:path';
import ts from 'typescript';
import { digestOf } from '../ts/fileDigest';
import type { Range } from '../finding';
import type { DbCallSite } from '../db/callSite';
import { DB_LIBRARIES, dbLibraryImportedBy, type DbLibrary, type DbLibraryDescriptor } from '../db/libraries';
import { DbCallRecognizer, dbLibrariesDeclaredIn } from '../db/recognizer';
// A type only: project.ts → config.ts → rules/index.ts → unindexed-filter.ts → here would be a load cycle.
import type { ProjectModel } from '../project/project';
import { ProgramHost } from '../ts/program';
import { ProvenanceResolver } from '../ts/provenance';
import type { IndexCoverage } from './coverage';
import { RELATION, structuredSql } from './ormFilters';
import { loadSqlParser } from './parser';
import type { PrismaModelInfo } from './prismaSchema';
import { QueryCallFilter } from './queryCalls';
import { coverageOfQuery } from './queryCoverage';
import { displayTableName, type SchemaModel } from './schema';
import { projectSchema } from './schemaSource';

export type QueryVerdict = 'served' | 'partly' | 'not-served' | 'no-filter';

export interface ProjectQuery {
  file: string;
  range: Range;
  sql: string;
  tables: string[];
  verdict: QueryVerdict;
  createIndex?: string;
  /** Per table the query filters, joins or orders. */
  coverages: IndexCoverage[];
  /** The library whose call sends it. */
  library: DbLibrary;
  /** The node a finding is reported on. */
  node: ts.Node;
  /** PostgreSQL's parse error, when the text does not parse (nothing is reported then). */
  parseError?: string;
}

export interface ProjectQueries {
  queries: ProjectQuery[];
  schema: SchemaModel;
}

/** Loads the project's schema and program, and returns its queries. */
export async function extractProjectQueries(project: ProjectModel): Promise<ProjectQueries> {
  await loadSqlParser();
  const { schema, prismaModels } = projectSchema(project);
  const host = new ProgramHost(project.files.ts, project.tsconfig.options);
  const program = host.getProgram();
  const checker = program.getTypeChecker();
  const roots = new Set(project.files.ts.map((f) => path.resolve(f)));
  const files = program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && roots.has(path.resolve(sf.fileName)));
  return { queries: queriesInFiles({ program, checker, provenance: new ProvenanceResolver(checker), libraries: project.dbLibraries }, files, schema, prismaModels), schema };
}

export interface QueryScanContext {
  program: ts.Program;
  checker: ts.TypeChecker;
  provenance: ProvenanceResolver;
  /** Libraries the project declares (package.json); imports found in the files are added. */
  libraries: ReadonlySet<DbLibrary>;
}

/** Libraries whose declarations the program holds, per program (they can type a value as theirs). */
const typedLibraries = new WeakMap<ts.Program, ReadonlySet<DbLibrary>>();

/** The SQL queries sent by recognised database calls in `files`, with their coverage against `schema`. */
export function queriesInFiles(ctx: QueryScanContext, files: readonly ts.SourceFile[], schema: SchemaModel, prismaModels: readonly PrismaModelInfo[] = []): ProjectQuery[] {
  if (files.length === 0) return [];
  let typed = typedLibraries.get(ctx.program);
  if (typed === undefined) typedLibraries.set(ctx.program, (typed = dbLibrariesDeclaredIn(ctx.program, ctx.checker)));
  const typesAvailable = typed.size > 0;
  const libraries = new Set(ctx.libraries);
  for (const sf of files) for (const lib of importedLibraries(sf)) libraries.add(lib);
  if (libraries.size === 0 && !typesAvailable) return [];
  const recognizer = new DbCallRecognizer(ctx.checker, ctx.provenance, { typesAvailable, libraries });
  // Only calls some library's extractor could read reach the recogniser (and the checker).
  const filter = new QueryCallFilter([...libraries, ...typed]);
  const out: ProjectQuery[] = [];
  for (const sf of files) {
    const seen = new Set<ts.Node>();
    for (const node of digestOf(sf).calls) {
      if (!filter.admits(node)) continue;
      const site = recognizer.byProvenance(node) ?? (recognizer.isTypedCandidate(node) ? recognizer.byType(node) : undefined);
      if (!site) continue;
      for (const code of extractedSql(site, ctx, prismaModels, schema)) {
        if (seen.has(code.node)) continue;
        seen.add(code.node);
        // A relation filter's key is one more way in, never a column left to a row filter: it
        // counts only where it serves more than the query's own columns do (a query `token`
        // serves stays served; a sweep served in part by its range keeps that verdict).
        const own = code.withoutRelations !== undefined ? queryOf(site.library, { node: code.node, sql: code.withoutRelations }, schema) : undefined;
        const joined = queryOf(site.library, code, schema);
        out.push(own && VERDICT_RANK[own.verdict] >= VERDICT_RANK[joined.verdict] ? own : joined);
      }
    }
  }
  return out;
}

const VERDICT_RANK: Record<QueryVerdict, number> = { 'no-filter': 0, 'not-served': 1, partly: 2, served: 3 };

function queryOf(library: DbLibrary, code: { node: ts.Node; sql: string }, schema: SchemaModel): ProjectQuery {
  const sf = code.node.getSourceFile();
  const range: Range = { start: sf.getLineAndCharacterOfPosition(code.node.getStart(sf)), end: sf.getLineAndCharacterOfPosition(code.node.getEnd()) };
  const q = coverageOfQuery(code.sql, schema);
  const tables = [...new Set(q.accesses.map((a) => displayTableName(a.table)))];
  const verdict: QueryVerdict = q.coverages.some((c) => c.status === 'not-served') ? 'not-served' : q.coverages.some((c) => c.status === 'partly') ? 'partly' : q.coverages.length ? 'served' : 'no-filter';
  const worst = q.coverages.find((c) => c.status === verdict);
  return { file: path.resolve(sf.fileName), range, sql: code.sql, tables, verdict, createIndex: worst?.suggestion?.sql, coverages: q.coverages, library, node: code.node, parseError: q.error };
}

/** The SQL a recognised call sends, as its library's descriptor reads it (`queries`). */
function extractedSql(site: DbCallSite, ctx: QueryScanContext, prismaModels: readonly PrismaModelInfo[], schema: SchemaModel): Array<{ node: ts.Node; sql: string; withoutRelations?: string }> {
  const descriptor: DbLibraryDescriptor = DB_LIBRARIES[site.library];
  const extracted = descriptor.queries?.extract(site, { checker: ctx.checker, provenance: ctx.provenance, program: ctx.program }) ?? [];
  return extracted.flatMap((q) => {
    if (q.sql !== undefined) return [{ node: q.node, sql: q.sql }];
    if (!q.filters || q.tables.length !== 1) return [];
    // Structured filters (ORM): the equivalent SQL, model and field names mapped to the schema's.
    let table = q.tables[0];
    let column = (f: string) => f;
    let queryFilters = q.filters.map((f) => ({ column: f.column, operator: f.operator, relation: false }));
    if (q.modelNames) {
      const model = prismaModels.find((m) => m.model.toLowerCase() === table.toLowerCase());
      if (!model) return [];
      table = model.table;
      column = (f) => model.columns.get(f) ?? f;
      // A relation filter restricts the relation's key columns to the related rows it matches: a
      // semi-join PostgreSQL runs as one index probe per related row, `key = related.key` (so a
      // primary key probed that way returns one row per probe). A relation the schema does not
      // resolve leaves the query unknown rather than judged on its other columns.
      // (An operator the extraction does not know on a scalar field — `notIn`, `search` — reads
      // like a relation filter: that part is left out, as any unknown operator.)
      const expanded = queryFilters.flatMap((f) =>
        f.operator !== RELATION ? [f] : model.columns.has(f.column) ? [] : (model.relations.get(f.column) ?? [undefined]).map((c) => ({ column: c, operator: '=', relation: true })),
      );
      if (expanded.some((f) => f.column === undefined)) return [];
      queryFilters = expanded as typeof queryFilters;
    } else if (queryFilters.some((f) => f.operator === RELATION)) return [];
    const known = knownColumns(schema, table);
    const filters = queryFilters.map((f) => ({ column: known(column(f.column)), operator: f.operator, relation: f.relation }));
    const orderBy = (q.orderBy ?? []).map((o) => ({ column: known(column(o.column)), descending: o.descending }));
    // A name the schema does not have (a custom naming strategy, a computed property): unknown, not guessed.
    if ([...filters, ...orderBy].some((f) => f.column === undefined)) return [];
    const sqlOf = (fs: typeof filters) => structuredSql(table, fs as Array<{ column: string; operator: string }>, orderBy as Array<{ column: string; descending: boolean }>, q.limited ?? false);
    const own = filters.filter((f) => !f.relation);
    return [{ node: q.node, sql: sqlOf(filters), withoutRelations: own.length < filters.length && own.length > 0 ? sqlOf(own) : undefined }];
  });
}

/**
 * The schema's name for a column an ORM names: as written, or in snake_case when only that
 * exists (Kysely's CamelCasePlugin, TypeORM's SnakeNamingStrategy, Sequelize `underscored`,
 * Drizzle `casing: 'snake_case'` all map `createdAt` to `created_at`). A table the schema does
 * not know keeps every name (coverage then says nothing about it).
 */
function knownColumns(schema: SchemaModel, table: string): (column: string) => string | undefined {
  const parts = table.split('.');
  const model = parts.length === 2 ? schema.lookup(parts[1], parts[0]) : schema.lookup(table);
  if (!model) return (c) => c;
  return (c) => {
    if (model.columns.has(c)) return c;
    const snake = c.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    return model.columns.has(snake) ? snake : undefined;
  };
}

function importedLibraries(sf: ts.SourceFile): DbLibrary[] {
  const out: DbLibrary[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const lib = dbLibraryImportedBy(st.moduleSpecifier.text);
      if (lib) out.push(lib);
    }
  }
  return out;
}
