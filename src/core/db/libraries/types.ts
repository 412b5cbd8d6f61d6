import type ts from 'typescript';
import type { DbCallSite, DbOperation } from '../callSite';
import type { ProvenanceResolver } from '../../ts/provenance';

/**
 * Everything Shipshape knows about one database library, in one place: its packages, how its
 * calls are recognised, the batching advice for the N+1 message, how its client pings and
 * closes (readiness/shutdown quick fixes), and — optionally — how its queries' filters are
 * read. Found through the registry in `./index.ts`; adding a library is one file there, one
 * registry line and one fixture folder (`test/fixtures/n-plus-one-<id>/`).
 */
export interface DbLibraryDescriptor {
  /** The registry key (`pg`, `mikro-orm`). */
  id: string;
  /** How the docs name it (`pg`, `Prisma`, `MikroORM`): the registry test checks docs/rules/n-plus-one.md lists it. */
  displayName: string;
  /** npm packages whose imports are this library (renamed and wrapper packages included: `@sequelize/core`, `@nestjs/typeorm`). */
  packages: readonly string[];
  /** Package scopes that are all this library (`@mikro-orm/`). */
  packagePrefixes?: readonly string[];
  /** Packages that bring the library in without importing it by name (`@fastify/postgres` brings `pg`). */
  presencePackages?: readonly string[];
  /**
   * A driver that talks to a database server itself (or an ORM with its own engine): a package
   * that depends on it sends queries over the network, whatever else it depends on. Query
   * builders that need a driver underneath (Kysely, Knex, Drizzle, …) leave it unset.
   */
  connects?: boolean;
  /** Recognition of round trips. */
  recognition: DbCallRecognition;
  /** What to do instead of one query per element, per kind of statement (ends the N+1 message). */
  batching: Record<DbOperation, string>;
  /** Module-level clients the readiness/shutdown quick fixes can ping and close. */
  clients?: readonly DbClientShape[];
  /**
   * How this library's queries' filters are read (tables, SQL text or structured filter
   * columns), for analyses of what a query filters on (unindexed filters). Optional: a library
   * without it is still recognised; its queries are simply not inspected.
   */
  queries?: QueryExtractor;
}

export interface DbCallRecognition {
  /** Method names that make a round trip: only calls with these names are traced at all (a cheap syntactic filter). */
  methods: ReadonlySet<string>;
  /** Is this call, traced to the library, a round trip? `null` = from the library but not one (a builder step, `create()`…). */
  classify(call: CallShape): Verdict;
  /** Lazy builders run when awaited or returned, whatever the last method is (Knex, Drizzle). */
  executesWhenAwaited?: boolean;
  /** Of those, methods that send the query when called (Drizzle `execute()`), not when the result is awaited. */
  runsWhenCalled?: ReadonlySet<string>;
  /** Generated association methods (`user.getPosts()`) can query: any `get|set|add|remove|has|count|create<Name>` is a candidate (Sequelize). */
  associationMixins?: boolean;
  /** Where a filter on an array value (`where: { id: ids }`) means `IN`: inside `where` objects, or also in the filter argument itself. */
  arrayValuesAreSets?: 'where' | 'filter';
  /** Calls of this method issued in the same tick are merged into one query by the library (Prisma `findUnique`). */
  sameTickBatchable?: (method: string) => boolean;
}

/** A call traced to a database library, as the classifier sees it. */
export interface CallShape {
  node: ts.CallExpression | ts.TaggedTemplateExpression;
  /** Normalised provenance path of the callee (or `[declaring type, method]` when recognised by type). */
  path: string[];
  /** The property called (`query` in `pool.query(…)`); undefined when the value itself is called or used as a tag. */
  method: string | undefined;
  tagged: boolean;
  /** Awaited, returned, yielded or `.then`-ed: a lazy builder runs. */
  executed: boolean;
  /** Recognised through declarations: `path` is `[declaring type, method]`. */
  typed: boolean;
  /** The project declares a function or method of this name (a model's own `getFlag()`, not a generated association mixin). */
  declaredInProject?: boolean;
}

/** A round trip (its method, and its operation when the classifier knows better than the method name), or `null`. */
export type Verdict = { method: string; operation?: DbOperation } | null;

/** A client a project creates at module level, and the code that pings and closes it (`%` stands for the variable). */
export interface DbClientShape {
  /** Export path (leading `default` removed); `*` matches any one segment. Extra trailing `$extends()` calls are allowed. */
  paths: readonly (readonly string[])[];
  /** An awaitable expression that fails when the database does not answer. */
  ping?: string;
  /** An awaitable expression that closes the client's connections. */
  close?: string;
  /** Package imports `ping`/`close` need (`sql` from kysely). */
  imports?: ReadonlyArray<{ name: string; from: string }>;
}

/**
 * Reads what a recognised query filters on. Implemented per library (by the unindexed-filter
 * analysis); the recogniser gives it the call site, it answers from the syntax (and the
 * checker where a value must be followed). Each answer names the node a finding reports on.
 */
export interface QueryExtractor {
  /**
   * The calls `extract` reads anything from, by their syntax alone. The query analysis asks the
   * checker about a call only when some library's `calls` admit it (src/core/sql/queryCalls.ts),
   * so this must cover every call `extract` can answer for; a wider shape costs time, never findings.
   */
  calls: QueryCallShapes;
  extract(site: DbCallSite, context: QueryExtractionContext): ExtractedQuery[];
}

/** The syntactic shapes of the calls a library's query extractor reads. */
export interface QueryCallShapes {
  /** Called member names (`query` in `pool.query(…)`, `findMany` in `prisma.user.findMany(…)`). */
  methods: ReadonlySet<string>;
  /** Tagged templates (`` sql`…` ``), and calls with one as receiver or first argument (`` sql`…`.execute(db) ``, `pool.one(sql.typeAlias('x')`…`)`). */
  templates?: boolean;
  /** Any awaited, returned or `.then`-ed call, whatever its name: a lazy builder chain runs then (Knex `await db('users').where(…)`, Drizzle). */
  executedBuilders?: boolean;
}

export interface QueryExtractionContext {
  checker: ts.TypeChecker;
  provenance: ProvenanceResolver;
  /** The program the checker belongs to (a reader may look at other files, e.g. TypeORM decorator modules). */
  program?: ts.Program;
}

/** One statement a call sends, as far as the syntax tells. */
export interface ExtractedQuery {
  /** Where a finding about this query is reported (the call, or the argument holding the filter). */
  node: ts.Node;
  /** Tables the statement reads or writes, as named in code (a table, or a model/entity name the schema model resolves). */
  tables: string[];
  /** The SQL text, when the library takes SQL (placeholders as `${}` or `$n`): parse it with src/core/sql. */
  sql?: string;
  /** Filters the library builds from structured input (`where: { email }`, `.where('email', '=', x)`). */
  filters?: ExtractedFilter[];
  /** ORDER BY of a structured query (`orderBy: { createdAt: 'desc' }`, `.orderBy('created_at', 'desc')`). */
  orderBy?: Array<{ column: string; descending: boolean }>;
  /** The query returns at most a few rows (`take`, `findFirst`, `.first()`, `.limit()`). */
  limited?: boolean;
  /** Names in `tables`/`filters` are ORM model and field names (Prisma), mapped to tables and columns by the schema source. */
  modelNames?: boolean;
}

export interface ExtractedFilter {
  /** The table (or model) the column belongs to, when the syntax says so. */
  table?: string;
  column: string;
  /** `=`, `in`, `<`, `like`, … as the library spells it, normalised to SQL. */
  operator: string;
  node: ts.Node;
}
