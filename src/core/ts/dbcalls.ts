import ts from 'typescript';
import type { DbLibrary } from '../project/project';
import { packageFromPath, packageName, typeOrigin, type ProvenanceResolver } from './provenance';

/**
 * Recognises the calls that make a database round trip — `pool.query(…)`, `` sql`…` ``,
 * `prisma.user.findMany(…)`, `await db('users').where(…)` — by where the receiver comes from:
 *
 * 1. provenance (works without node_modules): the receiver traced through variables,
 *    parameters, fields, imports and re-exports to a driver/ORM export;
 * 2. types (when declarations are installed, or declared in an ambient `declare module 'pg'`):
 *    the called method's declaration lives in the driver/ORM package.
 *
 * Names of variables never decide anything; method names only decide within a library
 * (`find` on a TypeORM repository queries, `create` does not).
 */

export type DbOperation = 'read' | 'write';

export interface DbCallSite {
  /** The call, tagged template, or executed builder chain that makes the round trip. */
  node: ts.CallExpression | ts.TaggedTemplateExpression;
  library: DbLibrary;
  /** What the user wrote, with arguments elided: `pool.query(…)`, `prisma.user.findMany(…)`, `` sql`…` ``. */
  display: string;
  /** The library method (`query`, `findUnique`, `getMany`), or `sql` for a tagged query. */
  method: string;
  operation: DbOperation;
  /** Writes many rows in one statement (`createMany`, `bulkCreate`, `insertMany`). */
  bulk: boolean;
  /** Filters on a list (`= ANY($1)`, `in`, `In()`, `whereIn`, `inArray`, `$in`, `OR: xs.map(…)`): see `SetFilter`. */
  setFilter?: SetFilter;
  /** Prisma `findUnique`: calls issued in the same tick are merged into one query by Prisma's dataloader. */
  sameTickBatchable: boolean;
  /** LIMIT/OFFSET/take/skip/cursor: fetches a page, as a pagination loop does on purpose. */
  paginated: boolean;
  recognisedBy: 'provenance' | 'type';
}

/**
 * A query that filters on a list. Whether that makes it a batch depends on where the list
 * comes from: a loop over chunks of ids (`for (const chunk of chunks)`) is batching; a loop
 * over documents that loads each one's attachments with `IN` is still one query per document.
 */
export interface SetFilter {
  /** The SQL text filters on a list parameter (`= ANY($1)`, `IN (?)`): its value is not traced. */
  sql: boolean;
  /** The list values of ORM filters (`ids` in `{ id: { in: ids } }`, `In(ids)`, `whereIn('id', ids)`). */
  operands: ts.Expression[];
}

/** The npm package (as `packageName` gives it) → the database library it belongs to. */
export function dbLibraryOf(module: string): DbLibrary | undefined {
  switch (module) {
    case 'pg':
    case 'pg-pool':
      return 'pg';
    case 'postgres':
      return 'postgres';
    case 'mysql2':
      return 'mysql2';
    case '@prisma/client':
    case '.prisma':
      return 'prisma';
    case 'typeorm':
    case '@nestjs/typeorm':
      return 'typeorm';
    case 'knex':
      return 'knex';
    case 'kysely':
      return 'kysely';
    case 'drizzle-orm':
      return 'drizzle';
    case 'sequelize':
    case 'sequelize-typescript':
    case '@sequelize/core':
      return 'sequelize';
    case 'mongoose':
    case '@nestjs/mongoose':
    case '@typegoose/typegoose':
      return 'mongoose';
  }
  if (module.startsWith('@mikro-orm/')) return 'mikro-orm';
  return undefined;
}

/** A generated Prisma client imported from the project (`prisma-client` generator output). */
export function prismaClientPackageOf(specifier: string): string | undefined {
  return /(^|\/)(generated\/prisma|generated\/prisma-client|\.prisma\/client|prisma\/generated(\/client)?)(\/(client|index|default|edge))?$/.test(specifier)
    ? '@prisma/client'
    : undefined;
}

// ---------------------------------------------------------------------------------------------
// Method tables, per library. Only methods that make a round trip are listed.

const PRISMA_DELEGATE = new Set([
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'create', 'createMany', 'createManyAndReturn',
  'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany', 'count', 'aggregate', 'groupBy',
]);
const PRISMA_RAW = new Set(['$queryRaw', '$executeRaw', '$queryRawUnsafe', '$executeRawUnsafe', '$runCommandRaw', '$queryRawTyped']);

const TYPEORM_QUERY_BUILDER = new Set([
  'getOne', 'getOneOrFail', 'getMany', 'getRawOne', 'getRawMany', 'getRawAndEntities', 'getManyAndCount', 'getCount', 'getExists', 'execute', 'stream',
]);
const TYPEORM_REPOSITORY = new Set([
  'find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'findAndCountBy', 'findByIds', 'findOneById',
  'count', 'countBy', 'exist', 'exists', 'existsBy', 'sum', 'average', 'minimum', 'maximum', 'save', 'insert', 'update', 'updateAll', 'upsert',
  'delete', 'deleteAll', 'remove', 'softDelete', 'softRemove', 'restore', 'recover', 'increment', 'decrement', 'query', 'clear', 'preload', 'sql',
]);

const KNEX_NOT_QUERIES = new Set([
  'schema', 'migrate', 'seed', 'destroy', 'initialize', 'transaction', 'transactionProvider', 'commit', 'rollback', 'savepoint', 'client',
  'on', 'toSQL', 'toString', 'toQuery', 'fn', 'ref', 'isTransaction', 'userParams', 'withUserParams', 'queryBuilder',
]);

const KYSELY_EXECUTE = new Set(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'stream', 'executeQuery']);

const DRIZZLE_TERMINAL = new Set(['execute', 'all', 'get', 'run', 'values']);
const DRIZZLE_NOT_QUERIES = new Set(['transaction', '$with', 'batch', 'prepare', 'toSQL', 'getSQL', 'as', '$dynamic', '_', 'session', 'dialect', 'schema']);

const SEQUELIZE_QUERIES = new Set([
  'findAll', 'findOne', 'findByPk', 'findOrCreate', 'findOrBuild', 'findCreateFind', 'findAndCountAll', 'count', 'max', 'min', 'sum', 'aggregate',
  'create', 'bulkCreate', 'update', 'destroy', 'upsert', 'increment', 'decrement', 'restore', 'truncate', 'query', 'save', 'reload',
  '$get', '$set', '$add', '$remove', '$has', '$count', '$create',
]);
/** Model instance methods that look like association mixins but touch no database. */
const SEQUELIZE_NOT_MIXINS = new Set(['getDataValue', 'setDataValue', 'getTableName', 'getAttributes', 'getAssociations', 'setAttributes', 'setValidators', 'hasOne', 'hasMany', 'hasAlias', 'addScope', 'addHook', 'removeHook', 'hasHook', 'removeAttribute']);

const MIKRO_ENTITY_MANAGER = new Set([
  'find', 'findOne', 'findOneOrFail', 'findAll', 'findAndCount', 'findByCursor', 'count', 'flush', 'persistAndFlush', 'removeAndFlush',
  'nativeInsert', 'nativeUpdate', 'nativeDelete', 'insert', 'insertMany', 'upsert', 'upsertMany', 'populate', 'refresh', 'refreshOrFail',
  'execute', 'lock', 'getResult', 'getResultList', 'getSingleResult', 'getResultAndCount', 'getCount',
]);
const MIKRO_LAZY = new Set(['init', 'load', 'loadItems', 'loadCount', 'loadOrFail', 'matching', 'loadProperty']);

const MONGOOSE_QUERIES = new Set([
  'find', 'findOne', 'findById', 'findOneAndUpdate', 'findByIdAndUpdate', 'findOneAndDelete', 'findByIdAndDelete', 'findOneAndReplace',
  'findOneAndRemove', 'findByIdAndRemove', 'countDocuments', 'estimatedDocumentCount', 'exists', 'distinct', 'aggregate', 'create', 'insertMany',
  'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'replaceOne', 'bulkWrite', 'bulkSave', 'populate', 'save', 'remove',
]);

/** Writes of many rows in one statement: a loop over chunks of them is batching, not N+1. */
const BULK_METHODS = new Set(['createMany', 'createManyAndReturn', 'insertMany', 'bulkCreate', 'bulkWrite', 'bulkSave', 'upsertMany', 'batch', 'updateAll', 'deleteAll']);

/** Per library, the method names that make a round trip: the only calls worth tracing at all. */
const METHODS: Record<DbLibrary, ReadonlySet<string>> = {
  pg: new Set(['query']),
  postgres: new Set(['unsafe', 'file']),
  mysql2: new Set(['query', 'execute']),
  prisma: new Set([...PRISMA_DELEGATE, ...PRISMA_RAW]),
  typeorm: new Set([...TYPEORM_QUERY_BUILDER, ...TYPEORM_REPOSITORY]),
  knex: new Set(['then', 'asCallback', 'raw']),
  kysely: KYSELY_EXECUTE,
  drizzle: new Set([...DRIZZLE_TERMINAL, '$count']),
  sequelize: SEQUELIZE_QUERIES,
  'mikro-orm': new Set([...MIKRO_ENTITY_MANAGER, ...MIKRO_LAZY]),
  mongoose: MONGOOSE_QUERIES,
};

/** Libraries where a filter on an array value (`where: { id: ids }`) means `IN`, and where such filters are written. */
const ARRAY_MEANS_IN: Partial<Record<DbLibrary, 'where' | 'filter'>> = { sequelize: 'where', 'mikro-orm': 'filter', mongoose: 'filter' };

/** Libraries whose lazy builders run when awaited/returned, whatever the last method is. */
const EXECUTED_BUILDERS: readonly DbLibrary[] = ['knex', 'drizzle'];

/** Packages that bring a database library in without importing it by name. */
const PRESENCE_ALIASES: Record<string, DbLibrary> = { '@fastify/postgres': 'pg', 'fastify-postgres': 'pg', '@prisma/adapter-pg': 'prisma', 'pg-promise': 'pg' };

/** The database library an import of `specifier` brings into the project, if any. */
export function dbLibraryImportedBy(specifier: string): DbLibrary | undefined {
  const pkg = packageName(specifier);
  return dbLibraryOf(pkg) ?? PRESENCE_ALIASES[pkg] ?? (prismaClientPackageOf(specifier) ? 'prisma' : undefined);
}

// ---------------------------------------------------------------------------------------------

interface CallShape {
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
}

type Verdict = { method: string; operation?: DbOperation } | null;

/** Per library: is this call a round trip? `null` = it comes from the library but is not one (a builder step, `create()`…). */
const CLASSIFY: Record<DbLibrary, (c: CallShape) => Verdict> = {
  pg: (c) => (c.method === 'query' ? { method: 'query' } : null),
  mysql2: (c) => (c.method === 'query' || c.method === 'execute' ? { method: c.method } : null),
  postgres: (c) => {
    if (c.tagged) return isInstance(c) && !isFragment(c.node) ? { method: 'sql' } : null;
    return c.method === 'unsafe' || c.method === 'file' ? { method: c.method } : null;
  },
  prisma: (c) => {
    const method = c.method ?? (c.tagged ? c.path[c.path.length - 1] : undefined);
    if (!method) return null;
    if (PRISMA_RAW.has(method)) return { method, operation: method.startsWith('$execute') ? 'write' : 'read' };
    if (!PRISMA_DELEGATE.has(method)) return null;
    const receiver = c.path[c.path.length - 2];
    if (c.typed) return receiver && /Delegate$/.test(receiver) ? { method } : null;
    return receiver && receiver !== '()' && !receiver.startsWith('$') && !receiver.startsWith('cb(') && receiver !== 'PrismaClient' ? { method } : null;
  },
  typeorm: (c) => {
    const m = c.method;
    if (!m) return null;
    if (TYPEORM_QUERY_BUILDER.has(m) && (m !== 'execute' || isTypeormBuilder(c))) return { method: m };
    if (isTypeormBuilder(c)) return null;
    return TYPEORM_REPOSITORY.has(m) ? { method: m } : null;
  },
  knex: (c) => {
    if (c.tagged) return null;
    if (!c.typed && !c.path.includes('()') && !c.path.some((s) => s.startsWith('cb('))) return null;
    if (afterCallback(c.path).some((s) => KNEX_NOT_QUERIES.has(s))) return null;
    if (!c.executed && !(c.method === 'then' || c.method === 'asCallback')) return null;
    if (c.method === 'then' || c.method === 'catch' || c.method === 'finally') return null; // the receiver chain is the query
    return { method: c.method ?? 'query' };
  },
  kysely: (c) => {
    if (!c.method || !KYSELY_EXECUTE.has(c.method)) return null;
    // `db.transaction().execute(async (trx) => …)` runs a callback, not a query.
    if (ts.isCallExpression(c.node) && c.node.arguments.some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a))) return null;
    return { method: c.method };
  },
  drizzle: (c) => {
    if (c.tagged) return null;
    const root = c.path[0] ?? '';
    const instance = c.typed || (c.path.length >= 2 && (root === 'drizzle' || /(Database|Transaction)$/.test(root)));
    if (!instance || afterCallback(c.path).some((s) => DRIZZLE_NOT_QUERIES.has(s))) return null;
    if (c.method === 'then' || c.method === 'catch' || c.method === 'finally') return null;
    if (c.method && DRIZZLE_TERMINAL.has(c.method)) return { method: c.method };
    return c.executed ? { method: c.method ?? 'query' } : null;
  },
  sequelize: (c) => {
    const m = c.method;
    if (!m) return null;
    if (SEQUELIZE_QUERIES.has(m)) return { method: m };
    // Association mixins: `declare getPosts: HasManyGetAssociationsMixin<Post>` or `user.getPosts()` on a model instance.
    if (c.path.some((s) => /AssociationsMixin$|AssociationMixin$/.test(s))) return { method: m };
    if (!c.typed && /^(get|set|add|remove|has|count|create)[A-Z]/.test(m) && !SEQUELIZE_NOT_MIXINS.has(m) && c.path[c.path.length - 2] === '()') return { method: m };
    return null;
  },
  'mikro-orm': (c) => {
    const m = c.method;
    if (!m) return null;
    const lazy = c.path.some((s) => /^(Collection|Reference|Ref|ScalarReference|LoadedCollection|LoadedReference|wrap)$/.test(s));
    if (lazy) return MIKRO_LAZY.has(m) ? { method: m, operation: 'read' } : null;
    return MIKRO_ENTITY_MANAGER.has(m) ? { method: m } : null;
  },
  mongoose: (c) => {
    const m = c.method;
    if (!m || !MONGOOSE_QUERIES.has(m)) return null;
    if (c.path.includes('Schema')) return null;
    return { method: m };
  },
};

/** The path below the last callback parameter: `db.transaction(async (trx) => trx('t').insert(…))` is about `trx`, not `transaction`. */
function afterCallback(path: string[]): string[] {
  for (let i = path.length - 1; i >= 0; i--) if (path[i].startsWith('cb(')) return path.slice(i + 1);
  return path;
}

function isInstance(c: CallShape): boolean {
  if (c.typed) return true;
  const last = c.path[c.path.length - 1];
  return last === '()' || (last?.startsWith('cb(') ?? false);
}

function isTypeormBuilder(c: CallShape): boolean {
  if (c.typed) return /QueryBuilder$/.test(c.path[0] ?? '');
  return c.path.some((s) => s === 'createQueryBuilder' || s === 'getQueryBuilder' || s === 'QueryBuilder' || /QueryBuilder$/.test(s));
}

/** A tagged template used as a piece of another query (`` sql`… ${sql`and x = ${x}`}` ``, or kept in a variable for later). */
function isFragment(node: ts.Node): boolean {
  let n = node;
  for (let i = 0; i < 6 && n.parent; i++) {
    const p = n.parent;
    if (ts.isTemplateSpan(p)) return true;
    if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) return true; // `const where = sql`…``: composed later
    if (ts.isParenthesizedExpression(p) || ts.isConditionalExpression(p) || ts.isArrayLiteralExpression(p) || ts.isBinaryExpression(p)) {
      n = p;
      continue;
    }
    if (ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression)) {
      n = p;
      continue;
    }
    return false;
  }
  return false;
}

export interface RecognizerOptions {
  /** Whether any driver/ORM declarations are in the program (else the type checker cannot help). */
  typesAvailable: boolean;
  /** The database libraries the project uses (imports, ambient declarations, package.json). */
  libraries: ReadonlySet<DbLibrary>;
}

export class DbCallRecognizer {
  private readonly memo = new Map<ts.Node, DbCallSite | null>();
  private readonly typesAvailable: boolean;
  private readonly candidates = new Set<string>();
  private readonly executedBuilders: boolean;
  private readonly mixins: boolean;

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly provenance: ProvenanceResolver,
    options: RecognizerOptions,
  ) {
    this.typesAvailable = options.typesAvailable;
    for (const lib of options.libraries) for (const m of METHODS[lib]) this.candidates.add(m);
    this.executedBuilders = EXECUTED_BUILDERS.some((l) => options.libraries.has(l));
    this.mixins = options.libraries.has('sequelize');
  }

  /**
   * A syntactic filter run before anything asks the checker: `rows.filter(…)`, `res.json(…)`,
   * `cache.get(…)` cannot be round trips unless a library the project uses queries with that
   * method name. Tags always pass; an awaited or returned call passes when the project uses
   * Knex or Drizzle (their builders run then, and `db('users')` is a Knex query).
   */
  couldBeDbCall(node: ts.CallExpression | ts.TaggedTemplateExpression): boolean {
    if (ts.isTaggedTemplateExpression(node)) return true;
    const name = memberName(skipOuter(node.expression));
    // Calling a value itself queries only for a Knex instance/transaction (`await db('users')`).
    if (name === undefined) return this.executedBuilders && isExecuted(node);
    if (this.candidates.has(name)) return true;
    if (this.mixins && /^(get|set|add|remove|has|count|create)[A-Z]/.test(name)) return true; // Sequelize association mixins
    return this.executedBuilders && isExecuted(node);
  }

  /**
   * The round trip this call makes, recognised by provenance. `null`: it comes from a database
   * library but makes none (a builder step); `undefined`: not traced to a database library.
   */
  byProvenance(node: ts.CallExpression | ts.TaggedTemplateExpression): DbCallSite | null | undefined {
    if (this.memo.has(node)) return this.memo.get(node);
    if (!this.couldBeDbCall(node)) return undefined;
    const callee = skipOuter(ts.isCallExpression(node) ? node.expression : node.tag);
    const p = this.provenance.of(callee);
    const library = p ? dbLibraryOf(p.module) : undefined;
    if (!p || !library) return undefined;
    const path = normalise(p.path);
    const shape: CallShape = { node, path, method: memberName(callee), tagged: ts.isTaggedTemplateExpression(node), executed: isExecuted(node), typed: false };
    const site = this.site(library, shape, 'provenance');
    this.memo.set(node, site);
    return site;
  }

  /**
   * The round trip this call makes, recognised from declarations: the called member is declared
   * in a driver/ORM package (installed, or an ambient `declare module`). Pass the member's symbol
   * when the caller already resolved it.
   */
  byType(node: ts.CallExpression | ts.TaggedTemplateExpression, symbol?: ts.Symbol): DbCallSite | undefined {
    if (!this.typesAvailable) return undefined;
    const callee = skipOuter(ts.isCallExpression(node) ? node.expression : node.tag);
    const method = memberName(callee);
    const tagged = ts.isTaggedTemplateExpression(node);
    const executed = isExecuted(node);
    if (method !== undefined) {
      if (!this.couldBeDbCall(node)) return undefined;
      const sym = symbol ?? (ts.isPropertyAccessExpression(callee) ? this.checker.getSymbolAtLocation(callee.name) : undefined);
      for (const decl of sym?.declarations ?? []) {
        const module = moduleOfDeclaration(decl);
        const library = module ? dbLibraryOf(module) : undefined;
        if (!library) continue;
        const site = this.site(library, { node, path: [containerName(decl), method], method, tagged, executed, typed: true }, 'type');
        if (site) return site;
      }
      return undefined;
    }
    // `` sql`…` `` with `sql: Sql` from postgres, or `trx('users')` with `trx: Knex.Transaction`.
    if (!tagged && !executed) return undefined;
    const origin = typeOrigin(this.checker, callee);
    const library = origin ? dbLibraryOf(origin.module) : undefined;
    if (!library) return undefined;
    return this.site(library, { node, path: [origin!.typeName, '()'], method: undefined, tagged, executed, typed: true }, 'type') ?? undefined;
  }

  /** Whether the type checker is worth asking about this call at all. */
  isTypedCandidate(node: ts.CallExpression | ts.TaggedTemplateExpression): boolean {
    if (!this.typesAvailable) return false;
    if (ts.isTaggedTemplateExpression(node)) return true;
    const name = memberName(skipOuter(node.expression));
    return name === undefined ? isExecuted(node) : this.couldBeDbCall(node);
  }

  private site(library: DbLibrary, shape: CallShape, recognisedBy: DbCallSite['recognisedBy']): DbCallSite | null {
    const verdict = CLASSIFY[library](shape);
    if (!verdict) return null;
    const node = shape.node;
    return {
      node,
      library,
      display: displayCall(node),
      method: verdict.method,
      operation: verdict.operation ?? operationOf(node, verdict.method),
      bulk: BULK_METHODS.has(verdict.method),
      setFilter: setFilterOf(node, { checker: this.checker, arrayValuesAreSets: ARRAY_MEANS_IN[library] }),
      sameTickBatchable: library === 'prisma' && verdict.method === 'findUnique',
      paginated: isPaginated(node, { checker: this.checker }),
      recognisedBy,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Shapes of calls.

export function skipOuter(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

function memberName(callee: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) return callee.argumentExpression.text;
  return undefined;
}

/** `import pg from 'pg'; new pg.Pool()` and `import { Pool } from 'pg'` are the same thing. */
function normalise(path: string[]): string[] {
  return path[0] === 'default' && path.length > 1 && path[1] !== '()' ? path.slice(1) : path;
}

/** The value of a lazy query (a Knex/Drizzle builder) is consumed: awaited, returned, yielded, `.then`-ed, or handed to `Promise.all`. */
export function isExecuted(node: ts.Node): boolean {
  let n = node;
  for (;;) {
    const p = n.parent;
    if (!p) return false;
    if (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p) || ts.isTypeAssertionExpression(p)) {
      n = p;
      continue;
    }
    if (ts.isConditionalExpression(p) && p.condition !== n) {
      n = p;
      continue;
    }
    if (ts.isAwaitExpression(p) || ts.isReturnStatement(p) || ts.isYieldExpression(p)) return true;
    if (ts.isArrowFunction(p)) return p.body === n;
    if (ts.isPropertyAccessExpression(p) && p.expression === n) return ['then', 'catch', 'finally'].includes(p.name.text);
    if (ts.isArrayLiteralExpression(p)) {
      const call = p.parent;
      return !!call && ts.isCallExpression(call) && isPromiseCombinator(call.expression);
    }
    if (ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression)) return isPromiseCombinator(p.expression);
    return false;
  }
}

function isPromiseCombinator(e: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Promise' && ['all', 'allSettled', 'race', 'any'].includes(e.name.text);
}

/** `pool.query(…)`, `this.prisma.user.findUnique(…)`, `` sql`…` ``, `db(…).where(…).first()`. */
export function displayCall(node: ts.Node): string {
  const print = (e: ts.Node, depth: number): string => {
    if (depth > 12) return '…';
    if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isAwaitExpression(e) || ts.isSatisfiesExpression(e)) return print(e.expression, depth);
    if (ts.isCallExpression(e)) return `${print(e.expression, depth + 1)}(${e.arguments.length ? '…' : ''})`;
    if (ts.isNewExpression(e)) return `new ${print(e.expression, depth + 1)}(${e.arguments?.length ? '…' : ''})`;
    if (ts.isTaggedTemplateExpression(e)) return `${print(e.tag, depth + 1)}\`…\``;
    if (ts.isPropertyAccessExpression(e)) return `${print(e.expression, depth + 1)}${e.questionDotToken ? '?.' : '.'}${e.name.text}`;
    if (ts.isElementAccessExpression(e)) return `${print(e.expression, depth + 1)}[…]`;
    if (ts.isIdentifier(e) || ts.isPrivateIdentifier(e)) return e.text;
    if (e.kind === ts.SyntaxKind.ThisKeyword) return 'this';
    if (e.kind === ts.SyntaxKind.SuperKeyword) return 'super';
    return '…';
  };
  const text = print(node, 0);
  return text.length > 80 ? '…' + text.slice(text.length - 79) : text;
}

// ---------------------------------------------------------------------------------------------
// What the query does.

const READ_METHOD = /^(find|get|count|exist|aggregate|groupBy|sum|average|min|max|distinct|populate|load|init|matching|stream|select|first|pluck|query|execute|all|values|reload|refresh|sql|has)/i;

function operationOf(node: ts.CallExpression | ts.TaggedTemplateExpression, method: string): DbOperation {
  const sql = sqlTextOf(node);
  if (sql !== undefined) {
    const verb = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql.replace(/^\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/)*/g, ''))?.[1]?.toLowerCase();
    if (verb) return ['insert', 'update', 'delete', 'merge', 'upsert', 'replace', 'truncate', 'copy'].includes(verb) ? 'write' : 'read';
  }
  // Builder chains: the chain says what it builds.
  for (const name of chainMethodNames(node)) {
    if (/^(insert|insertInto|update|updateTable|del|delete|deleteFrom|upsert|onConflict|merge|mergeInto|replaceInto|increment|decrement|truncate)$/.test(name)) return 'write';
  }
  return READ_METHOD.test(method) ? 'read' : 'write';
}

/** The SQL text of the first argument or the template (placeholders as `${}`), when it is literal. */
export function sqlTextOf(node: ts.CallExpression | ts.TaggedTemplateExpression): string | undefined {
  if (ts.isTaggedTemplateExpression(node)) return templateText(node.template);
  const first = node.arguments[0];
  if (!first) return undefined;
  if (ts.isStringLiteralLike(first) || ts.isTemplateExpression(first)) return templateText(first);
  if (ts.isObjectLiteralExpression(first)) {
    // pg's `{ text: '…', values: [...] }`
    for (const prop of first.properties) {
      if (ts.isPropertyAssignment(prop) && ts.isIdentifier(prop.name) && (prop.name.text === 'text' || prop.name.text === 'sql')) {
        if (ts.isStringLiteralLike(prop.initializer) || ts.isTemplateExpression(prop.initializer)) return templateText(prop.initializer);
      }
    }
  }
  return undefined;
}

function templateText(t: ts.TemplateLiteral | ts.StringLiteralLike): string {
  if (ts.isNoSubstitutionTemplateLiteral(t) || ts.isStringLiteral(t)) return t.text;
  if (ts.isTemplateExpression(t)) return t.head.text + t.templateSpans.map((s) => '${}' + s.literal.text).join('');
  return (t as ts.StringLiteralLike).text;
}

function chainMethodNames(node: ts.Node): string[] {
  const names: string[] = [];
  let e: ts.Node = node;
  for (let i = 0; i < 40; i++) {
    if (ts.isCallExpression(e)) e = e.expression;
    else if (ts.isPropertyAccessExpression(e)) {
      names.push(e.name.text);
      e = e.expression;
    } else if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
    else if (ts.isTaggedTemplateExpression(e)) e = e.tag;
    else break;
  }
  return names;
}

/** SQL that filters on a list parameter: `= ANY($1)`, `IN (${…})`, `IN (:...ids)`, `IN (?)`, `unnest($1)`, postgres.js `in ${sql(ids)}`. */
const SQL_SET_FILTER = /=\s*any\s*\(|\bin\s*\(\s*(\$\d|\?|:\.\.\.|\$\{\})|\bin\s*\$\{\}|\bunnest\s*\(/i;

/** How far to look when deciding whether a query is batched or paginated. */
export interface ArgumentScan {
  /** Follows `findAll(options)` / `{ where }` to `const options = { … }` declared in the same file. */
  checker?: ts.TypeChecker;
  /**
   * Where a filter on an array value (`{ id: ids }`) means `IN`: inside `where` objects
   * (Sequelize), or also in the filter argument itself (Mongoose, MikroORM).
   */
  arrayValuesAreSets?: 'where' | 'filter';
}

/** Option keys whose array values are not filters (`attributes: ['id']`, `order: [[…]]`). */
const OPTION_KEYS = new Set([
  'attributes', 'order', 'include', 'group', 'populate', 'fields', 'exclude', 'select', 'sort', 'projection', 'orderBy', 'relations', 'having',
  'through', 'returning', 'data', 'values', 'updateOnDuplicate', 'ignoreDuplicates', 'individualHooks', 'replacements', 'bind', 'scopes', 'distinct', 'with', 'columns',
]);

/**
 * Visits the call (arguments, chain links, template) without entering functions, following
 * identifiers that name an object literal declared in the same file (`const options = { … }`),
 * once each.
 */
function scanQuery(node: ts.Node, scan: ArgumentScan, visit: (n: ts.Node, walk: (n: ts.Node) => void) => boolean): void {
  const followed = new Set<ts.Node>();
  const walk = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (visit(n, walk)) return;
    if (ts.isIdentifier(n) && scan.checker && (ts.isCallExpression(n.parent) || ts.isShorthandPropertyAssignment(n.parent) || ts.isPropertyAssignment(n.parent) || ts.isSpreadAssignment(n.parent))) {
      const target = ts.isShorthandPropertyAssignment(n.parent) ? scan.checker.getShorthandAssignmentValueSymbol(n.parent) : scan.checker.getSymbolAtLocation(n);
      const decl = target?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.getSourceFile() === n.getSourceFile() && !followed.has(decl)) {
        followed.add(decl);
        const init = skipOuter(decl.initializer);
        if (ts.isObjectLiteralExpression(init)) walk(init);
      }
      return;
    }
    ts.forEachChild(n, walk);
  };
  walk(node);
}

/**
 * The list filters of a query (see `SetFilter`), or undefined when it filters on no list. A list
 * of constants (`status: { in: ['a', 'b'] }`) does not count: the per-element filter is elsewhere.
 */
export function setFilterOf(node: ts.Node, scan: ArgumentScan = {}): SetFilter | undefined {
  let sql = false;
  const operands: ts.Expression[] = [];
  const constants = (e: ts.Expression | undefined): boolean =>
    !e || (ts.isArrayLiteralExpression(e) && e.elements.every((x) => ts.isStringLiteralLike(x) || ts.isNumericLiteral(x) || ts.isPrefixUnaryExpression(x)));
  const add = (e: ts.Expression | undefined) => {
    if (e && !constants(e)) operands.push(e);
  };
  const root = ts.isTaggedTemplateExpression(node) ? node.template : node;
  scanQuery(root, scan, (n, walk) => {
    if (ts.isPropertyAssignment(n)) {
      const key = propertyKey(n.name);
      if (key === 'in' || key === '$in' || key === 'Op.in' || key === '[Op.in]') add(n.initializer);
      // `where: { OR: ids.map((id) => ({ id })) }`: one query over a list of alternatives.
      else if ((key === 'OR' || key === '$or' || key === 'Op.or') && isListBuiltAtRunTime(n.initializer)) add(n.initializer);
      else if (scan.arrayValuesAreSets && key !== undefined && !OPTION_KEYS.has(key) && inFilterPosition(n, node, scan.arrayValuesAreSets) && isArrayValue(n.initializer, scan.checker)) add(n.initializer);
    } else if (ts.isShorthandPropertyAssignment(n)) {
      if (scan.arrayValuesAreSets && !OPTION_KEYS.has(n.name.text) && inFilterPosition(n, node, scan.arrayValuesAreSets) && isArrayValue(n.name, scan.checker)) add(n.name);
    } else if (ts.isCallExpression(n)) {
      const callee = skipOuter(n.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name === 'In' || name === 'inArray') add(n.arguments[name === 'In' ? 0 : 1]);
      else if (name === 'whereIn' || name === 'orWhereIn' || name === 'andWhereIn') add(n.arguments[n.arguments.length - 1]);
      else if (name === 'whereInIds' || name === 'andWhereInIds' || name === 'orWhereInIds') add(n.arguments[0]);
      else if ((name === 'where' || name === 'orWhere' || name === 'having') && n.arguments.length === 3 && ts.isStringLiteralLike(n.arguments[1]) && /^in$/i.test(n.arguments[1].text)) add(n.arguments[2]);
    } else if (ts.isStringLiteralLike(n) || ts.isTemplateExpression(n)) {
      if (SQL_SET_FILTER.test(templateText(n as ts.StringLiteralLike | ts.TemplateLiteral))) sql = true;
      if (ts.isTemplateExpression(n)) n.templateSpans.forEach((sp) => walk(sp.expression));
      return true;
    }
    return false;
  });
  return sql || operands.length > 0 ? { sql, operands } : undefined;
}

/** Array methods that keep a list a list: a chunk mapped to its ids is still a chunk. */
const LIST_TO_LIST = new Set(['map', 'filter', 'slice', 'flatMap', 'flat', 'concat', 'toSorted', 'sort']);

/**
 * Whether `e` is, or is derived through array operations from, one of `roots`:
 * `chunk`, `chunk.map((r) => r.id)`, `[...ids]`, `Array.from(ids)`, `ids.slice(i, i + 100)`.
 */
export function isListDerivedFrom(e: ts.Expression, isRoot: (id: ts.Identifier) => boolean): boolean {
  const x = skipOuter(e);
  if (ts.isIdentifier(x)) return isRoot(x);
  if (ts.isArrayLiteralExpression(x)) return x.elements.length > 0 && x.elements.every((el) => ts.isSpreadElement(el) && isListDerivedFrom(el.expression, isRoot));
  if (ts.isCallExpression(x)) {
    const callee = skipOuter(x.expression);
    if (ts.isPropertyAccessExpression(callee) && LIST_TO_LIST.has(callee.name.text)) return isListDerivedFrom(callee.expression, isRoot);
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Array' && callee.name.text === 'from' && x.arguments[0]) return isListDerivedFrom(x.arguments[0], isRoot);
  }
  return false;
}

/**
 * Whether a property is part of a filter: inside a `where` object (Sequelize, MikroORM options),
 * or in the filter argument itself — the first object argument (Mongoose `find(filter)`,
 * MikroORM `repo.find(where)`), or the second after an entity class (`em.find(Author, where)`) —
 * and not under an update operator (`$set`, `$push`) or in data to write.
 */
function inFilterPosition(prop: ts.ObjectLiteralElement, call: ts.Node, mode: 'where' | 'filter'): boolean {
  let n: ts.Node = prop.parent;
  while (ts.isObjectLiteralExpression(n) && n.parent && ts.isPropertyAssignment(n.parent)) {
    const key = propertyKey(n.parent.name);
    if (key === 'where' || key === '$and' || key === 'Op.and') return true;
    if (key?.startsWith('$') && key !== '$or' && key !== '$nor') return false;
    n = n.parent.parent;
  }
  if (mode === 'where' || !ts.isObjectLiteralExpression(n) || !ts.isCallExpression(n.parent) || !ts.isCallExpression(call)) return false;
  const args = n.parent.arguments;
  const index = args.indexOf(n);
  return index === 0 || (index === 1 && (ts.isIdentifier(args[0]) || ts.isPropertyAccessExpression(args[0]) || ts.isStringLiteralLike(args[0])));
}

/** An array of values (not constants written out): `ids`, `chunk`, `xs.map(…)`, `batches[i]` typed as an array. */
function isArrayValue(e: ts.Expression, checker: ts.TypeChecker | undefined): boolean {
  const x = skipOuter(e);
  if (ts.isArrayLiteralExpression(x)) return x.elements.some((el) => ts.isSpreadElement(el) || !(ts.isStringLiteralLike(el) || ts.isNumericLiteral(el)));
  if (isListBuiltAtRunTime(x) && !ts.isIdentifier(x) && !ts.isPropertyAccessExpression(x)) return true;
  if (!checker || !(ts.isIdentifier(x) || ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x) || ts.isCallExpression(x))) return false;
  const t = checker.getNonNullableType(checker.getTypeAtLocation(x));
  return checker.isArrayType(t) || checker.isTupleType(t);
}

/** `xs.map(…)`, `[...xs]`, an array variable: a list whose length the data decides (not `[a, b]`). */
function isListBuiltAtRunTime(e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (ts.isArrayLiteralExpression(x)) return x.elements.some((el) => ts.isSpreadElement(el));
  if (ts.isCallExpression(x)) {
    const callee = skipOuter(x.expression);
    return ts.isPropertyAccessExpression(callee) && ['map', 'flatMap', 'filter', 'concat', 'slice'].includes(callee.name.text);
  }
  return ts.isIdentifier(x) || ts.isPropertyAccessExpression(x);
}

function propertyKey(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const e = name.expression;
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) return `${e.expression.text}.${e.name.text}`;
  }
  return undefined;
}

/** `LIMIT`, `take`/`skip`/`cursor`, `.limit()`/`.offset()`: the query fetches one page. */
export function isPaginated(node: ts.CallExpression | ts.TaggedTemplateExpression, scan: ArgumentScan = {}): boolean {
  const sql = sqlTextOf(node);
  // LIMIT 1 / take: 1 is one row at a time (a queue drained row by row), not a page.
  if (sql !== undefined && /\blimit\s+(?!1\b)|\bfetch\s+(first|next)\s+(?!1\b)/i.test(sql)) return true;
  if (chainMethodNames(node).some((n) => /^(limit|offset|skip|take|paginate|cursor)$/.test(n))) return true;
  if (!ts.isCallExpression(node)) return false;
  let found = false;
  for (const arg of node.arguments) {
    scanQuery(arg, scan, (n) => {
      if (found) return true;
      if (ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n)) {
        const key = ts.isShorthandPropertyAssignment(n) ? n.name.text : propertyKey(n.name);
        const value = ts.isPropertyAssignment(n) ? n.initializer : undefined;
        if (key && /^(take|skip|cursor|limit|offset)$/.test(key) && !(value && ts.isNumericLiteral(value) && value.text === '1' && /^(take|limit)$/.test(key))) found = true;
      }
      return found;
    });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Declarations.

/** The package a declaration belongs to: its file under node_modules, or an enclosing ambient `declare module 'x'`. */
export function moduleOfDeclaration(decl: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) {
      const fromPath = packageFromPath(decl.getSourceFile().fileName);
      return fromPath ?? packageName(n.name.text);
    }
  }
  return packageFromPath(decl.getSourceFile().fileName);
}

function containerName(decl: ts.Node): string {
  const p = decl.parent;
  if (p && (ts.isClassLike(p) || ts.isInterfaceDeclaration(p)) && p.name) return p.name.text;
  if (p && ts.isTypeLiteralNode(p) && ts.isTypeAliasDeclaration(p.parent)) return p.parent.name.text;
  return '';
}

/** Whether any database library's declarations are part of the program: otherwise types cannot recognise anything. */
export function dbDeclarationsPresent(program: ts.Program, checker: ts.TypeChecker): boolean {
  for (const sf of program.getSourceFiles()) {
    if (!sf.isDeclarationFile) continue;
    const module = packageFromPath(sf.fileName);
    if (module && dbLibraryOf(module)) return true;
  }
  return checker.getAmbientModules().some((m) => {
    const name = m.name.replace(/^"|"$/g, '');
    return dbLibraryOf(packageName(name)) !== undefined;
  });
}

// ---------------------------------------------------------------------------------------------
// The fix that fits the library.

const FIXES: Record<DbLibrary, { read: string; write: string }> = {
  pg: {
    read: 'Load all rows in one query with `WHERE id = ANY($1)` and an array parameter (or a JOIN), then match them up in memory; a DataLoader does this for you.',
    write: 'Write all rows in one statement: `INSERT … SELECT * FROM unnest($1::int[], $2::text[])`, `UPDATE t SET … FROM unnest($1::int[], $2::text[]) AS v(id, x) WHERE t.id = v.id`, or `WHERE id = ANY($1)` for the same change to many rows.',
  },
  postgres: {
    read: 'Load all rows in one query with `` sql`… WHERE id IN ${sql(ids)}` `` (or `= ANY(${ids})`, or a JOIN), then match them up in memory; a DataLoader does this for you.',
    write: 'Write all rows in one statement: `` sql`INSERT INTO t ${sql(rows)}` `` takes an array of objects.',
  },
  mysql2: {
    read: 'Load all rows in one query with `WHERE id IN (?)` and an array parameter (or a JOIN), then match them up in memory; a DataLoader does this for you.',
    write: 'Write all rows in one statement: `INSERT INTO t (a, b) VALUES ?` with an array of rows.',
  },
  prisma: {
    read: 'Load the rows in one query with `findMany({ where: { id: { in: ids } } })`, or `include` the relation in the query that loaded the parent rows.',
    write: 'Write the rows in one statement with `createMany`/`updateMany`/`deleteMany` (`where: { id: { in: ids } }`).',
  },
  typeorm: {
    read: 'Load the rows in one query with `findBy({ id: In(ids) })`, or load the relation with the parent rows (`relations`, or `leftJoinAndSelect` in a query builder).',
    write: 'Write the rows in one statement: `save(entities)`/`insert([...])` with an array, or an `update`/`delete` with `In(ids)`.',
  },
  knex: {
    read: "Load the rows in one query with `whereIn('id', ids)` (or a join), then match them up in memory; a DataLoader does this for you.",
    write: "Write the rows in one statement: `insert([...rows])`, or `update`/`del` with `whereIn('id', ids)`.",
  },
  kysely: {
    read: "Load the rows in one query with `where('id', 'in', ids)` (or a join / `jsonArrayFrom` subquery), then match them up in memory.",
    write: 'Write the rows in one statement: `insertInto(t).values([...rows])`, or `updateTable`/`deleteFrom` with `where(\'id\', \'in\', ids)`.',
  },
  drizzle: {
    read: 'Load the rows in one query with `inArray(table.id, ids)`, or load the relation with `with: { … }` in a relational query (or a join).',
    write: 'Write the rows in one statement: `insert(table).values([...rows])`, or `update`/`delete` with `inArray(table.id, ids)`.',
  },
  sequelize: {
    read: 'Load the rows in one query with `findAll({ where: { id: ids } })` (`IN`), or `include` the association in the query that loaded the parent rows.',
    write: 'Write the rows in one statement with `bulkCreate(rows)`, or `update`/`destroy` with `where: { id: ids }`.',
  },
  'mikro-orm': {
    read: 'Load the rows in one query with `em.find(Entity, { id: { $in: ids } })`, or `populate` the relation with the parent rows.',
    write: 'Call `em.persist()` in the loop and `em.flush()` once after it: the unit of work batches the statements.',
  },
  mongoose: {
    read: 'Load the documents in one query with `find({ _id: { $in: ids } })`, or `populate()` the reference in the query that loaded the parents.',
    write: 'Write the documents in one round trip with `insertMany(docs)` or `bulkWrite([...])`.',
  },
};

/** The batching fix that fits the library and the kind of statement. */
export function batchingFix(site: Pick<DbCallSite, 'library' | 'operation'>): string {
  return FIXES[site.library][site.operation];
}
