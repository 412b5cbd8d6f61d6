/**
 * TypeORM queries in the entity's own terms, for the descriptor's `queries` slot:
 * repository reads `find/findOne/findBy/findOneBy/findAndCount/count/exists…({ where, order, take })`,
 * `update`/`delete` criteria, EntityManager calls (`manager.find(User, …)`), `BaseEntity`
 * statics (`User.findBy(…)`), and QueryBuilder chains
 * (`createQueryBuilder('u').where('u.email = :email').andWhere(…).orderBy('u.createdAt')`).
 *
 * The entity comes from the code, never from a name: the repository's declaration
 * (`getRepository(User)`, `dataSource.getRepository(User)`, `@InjectRepository(User)`, a
 * `Repository<User>` annotation, a class extending `Repository<User>`) or, with TypeORM's
 * declarations installed, the repository's type. Its table and columns come from its decorators
 * (typeormEntities.ts). A filter TypeORM's find options cannot state as a conjunct on the table
 * (`Like`, `Not`, `Raw`, OR arrays, nested relation filters other than the related key), an
 * unknown entity or a QueryBuilder with `orWhere`/`Brackets`/joined-alias filters leaves the
 * query alone.
 */
import ts from 'typescript';
import type { DbCallSite } from '../db/callSite';
import { hidesProperty, propertyOf, skipExpression } from './ormSyntax';
import type { ExtractedFilter, ExtractedQuery, QueryExtractionContext } from '../db/libraries/types';
import { normalisePlaceholders } from './sqlFromCode';
import { ColumnDecoratorStandIns, DEFERRED_COLUMN_APPLICATION, moduleCandidates, type ModuleResolver } from './typeormDecorators';
import { columnOfProperty, isEntityClass, readEntity, type StandInOf, type TypeormEntity } from './typeormEntities';

const FIND_WITH_OPTIONS = new Set(['find', 'findOne', 'findOneOrFail', 'findAndCount', 'count', 'exists', 'exist']);
const FIND_WITH_WHERE = new Set(['findBy', 'findOneBy', 'findOneByOrFail', 'findAndCountBy', 'countBy', 'existsBy', 'delete', 'softDelete', 'restore']);
const LIMITED = /^(findOne|exist)/;
const OPERATORS: Record<string, string> = { In: 'in', LessThan: '<', LessThanOrEqual: '<=', MoreThan: '>', MoreThanOrEqual: '>=', Equal: '=', IsNull: 'is null', Between: '>=' };

const FIND_OPERATORS = new Set([...Object.keys(OPERATORS), 'Not', 'Like', 'ILike', 'Any', 'ArrayContains', 'ArrayContainedBy', 'ArrayOverlap', 'Raw', 'JsonContains', 'And', 'Or']);

export function typeormQuery(site: DbCallSite, ctx: QueryExtractionContext): ExtractedQuery[] {
  const call = site.node;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return [];
  const receiver = call.expression.expression;
  if (site.method === 'query' || site.method === 'sql') return [];
  currentProgram = ctx.program;
  const qb = queryBuilderQuery(call, ctx.checker);
  if (qb) return qb;
  let args: readonly ts.Expression[] = call.arguments;
  let entity = entityOfRepository(receiver, ctx.checker);
  if (!entity && args[0]) {
    // EntityManager: `manager.find(User, { where })`.
    entity = entityOfClassExpression(args[0], ctx.checker);
    if (entity) args = args.slice(1);
  }
  if (!entity) return [];
  const method = site.method;
  let where: ts.Expression | undefined;
  let options: ts.ObjectLiteralExpression | undefined;
  if (FIND_WITH_OPTIONS.has(method)) {
    const a = args[0] && skipExpression(args[0]);
    if (!a || !ts.isObjectLiteralExpression(a) || hidesProperty(a, 'where', ctx.checker)) return [];
    options = a;
    where = propertyOf(a, 'where');
  } else if (FIND_WITH_WHERE.has(method) || method === 'update') {
    where = args[0] && skipExpression(args[0]);
  } else return [];
  const orderBy = options ? orderOf(propertyOf(options, 'order'), entity) : [];
  if (orderBy === undefined) return [];
  const filters = where ? whereFilters(where, entity, ctx.checker) : [];
  if (filters === undefined || (filters.length === 0 && orderBy.length === 0)) return [];
  const limited = LIMITED.test(method) || (!!options && !!(propertyOf(options, 'take') ?? propertyOf(options, 'skip')));
  return [{ node: call, tables: [tableOf(entity)], filters, orderBy, limited }];
}

function tableOf(e: TypeormEntity): string {
  return e.schema ? `${e.schema}.${e.table}` : e.table;
}

/** `{ email, status: In(s), user: { id } }` → conjuncts; undefined when any part is not one. */
function whereFilters(where: ts.Expression, entity: TypeormEntity, checker: ts.TypeChecker): ExtractedFilter[] | undefined {
  if (!ts.isObjectLiteralExpression(where)) return undefined;
  const out: ExtractedFilter[] = [];
  for (const p of where.properties) {
    if (ts.isShorthandPropertyAssignment(p)) {
      const column = columnOfProperty(entity, p.name.text);
      if (!column) return undefined;
      out.push({ column, operator: '=', node: p });
      continue;
    }
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return undefined;
    const name = p.name.text;
    const v = skipExpression(p.initializer);
    const relation = entity.relations.find((r) => r.property === name && r.owner);
    if (relation) {
      // `user: { id }`: TypeORM compares the join column, no join needed.
      if (!ts.isObjectLiteralExpression(v) || v.properties.length !== 1) return undefined;
      const inner = v.properties[0];
      const key = inner.name && (ts.isIdentifier(inner.name) || ts.isStringLiteral(inner.name)) ? inner.name.text : undefined;
      const refs = relation.joinColumns[0]?.referenced ?? 'id';
      if (key !== refs) return undefined;
      out.push({ column: columnOfProperty(entity, name)!, operator: '=', node: p });
      continue;
    }
    const column = columnOfProperty(entity, name);
    if (!column) return undefined;
    const op = operatorOf(v, checker);
    if (!op) return undefined;
    out.push({ column, operator: op, node: p });
  }
  return out;
}

/** The SQL operator of a find-options value: a plain value is `=`, `In(x)` is `in`, … */
function operatorOf(v: ts.Expression, checker: ts.TypeChecker): string | undefined {
  // TypeORM's find operators; any other call (`Number(id)`, a helper) computes a plain value.
  if (ts.isCallExpression(v) && ts.isIdentifier(v.expression) && FIND_OPERATORS.has(v.expression.text)) return OPERATORS[v.expression.text];
  if (ts.isObjectLiteralExpression(v) || ts.isArrayLiteralExpression(v)) return undefined;
  if (v.kind === ts.SyntaxKind.NullKeyword) return undefined; // TypeORM rejects null in where
  // A variable holding a FindOperator (`const f = Like(x)`) is not a plain value.
  const t = checker.getTypeAtLocation(v);
  if (t.symbol?.name === 'FindOperator' || t.symbol?.name === 'EqualOperator') return undefined;
  return '=';
}

function orderOf(order: ts.Expression | undefined, entity: TypeormEntity): Array<{ column: string; descending: boolean }> | undefined {
  if (!order) return [];
  const o = skipExpression(order);
  if (!ts.isObjectLiteralExpression(o)) return undefined;
  const out: Array<{ column: string; descending: boolean }> = [];
  for (const p of o.properties) {
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return undefined;
    const column = entity.columns.find((c) => c.property === (p.name as ts.Identifier).text)?.column;
    const dir = skipExpression(p.initializer);
    const text = ts.isStringLiteralLike(dir) ? dir.text.toLowerCase() : ts.isNumericLiteral(dir) ? dir.text : ts.isPrefixUnaryExpression(dir) ? '-1' : undefined;
    if (!column || !text) return undefined;
    out.push({ column, descending: text === 'desc' || text === '-1' });
  }
  return out;
}

// ---- QueryBuilder ----------------------------------------------------------------------

const QB_NEUTRAL = new Set(['select', 'addSelect', 'take', 'skip', 'limit', 'offset', 'setParameter', 'setParameters', 'cache', 'withDeleted', 'useIndex', 'setLock', 'setFindOptions', 'comment', 'printSql', 'leftJoinAndSelect', 'innerJoinAndSelect', 'leftJoin', 'innerJoin', 'leftJoinAndMapOne', 'leftJoinAndMapMany', 'innerJoinAndMapOne', 'innerJoinAndMapMany', 'loadRelationCountAndMap', 'loadRelationIdAndMap', 'update', 'set', 'delete', 'softDelete', 'restore', 'addOrderBy', 'orderBy', 'where', 'andWhere', 'from']);

/**
 * A QueryBuilder chain ending in this call: `repo.createQueryBuilder('u').where('u.email = :e')…`.
 * The where strings are SQL with property paths (`u.email`); they become column names.
 */
function queryBuilderQuery(terminal: ts.CallExpression, checker: ts.TypeChecker): ExtractedQuery[] | undefined {
  const steps: Array<{ method: string; args: readonly ts.Expression[] }> = [];
  let e: ts.Expression = terminal.expression;
  if (!ts.isPropertyAccessExpression(e)) return undefined;
  e = e.expression;
  let root: { receiver: ts.Expression; args: readonly ts.Expression[] } | undefined;
  for (let i = 0; i < 60; i++) {
    e = skipExpression(e);
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) break;
    const method = e.expression.name.text;
    if (method === 'createQueryBuilder') {
      root = { receiver: e.expression.expression, args: e.arguments };
      break;
    }
    steps.unshift({ method, args: e.arguments });
    e = e.expression.expression;
  }
  if (!root) return undefined;
  let entity: TypeormEntity | undefined;
  let alias: string | undefined;
  const [r0, r1] = root.args;
  if (r0 && ts.isStringLiteralLike(r0)) {
    entity = entityOfRepository(root.receiver, checker);
    alias = r0.text;
  } else if (r0) {
    // `manager.createQueryBuilder(User, 'u')`.
    entity = entityOfClassExpression(r0, checker);
    alias = r1 && ts.isStringLiteralLike(r1) ? r1.text : undefined;
  }
  const conditions: string[] = [];
  const orderBy: string[] = [];
  let limited = false;
  for (const s of steps) {
    const [a0, a1] = s.args;
    if (s.method === 'from' && a0) {
      entity = entityOfClassExpression(a0, checker);
      alias = a1 && ts.isStringLiteralLike(a1) ? a1.text : alias;
    } else if (s.method === 'where' || s.method === 'andWhere') {
      if (!a0 || !ts.isStringLiteralLike(a0)) return [];
      conditions.push(a0.text);
    } else if (s.method === 'orderBy' || s.method === 'addOrderBy') {
      if (!a0 || !ts.isStringLiteralLike(a0)) return [];
      orderBy.push(`${a0.text}${a1 && ts.isStringLiteralLike(a1) && a1.text.toUpperCase() === 'DESC' ? ' DESC' : ''}`);
    } else if (s.method === 'take' || s.method === 'limit') limited = true;
    else if (!QB_NEUTRAL.has(s.method)) return []; // orWhere, Brackets, having, groupBy, subqueries: not known
  }
  if (!entity || !alias || (conditions.length === 0 && !(orderBy.length && limited))) return [];
  if (/^(getOne|getRawOne|getExists)/.test((terminal.expression as ts.PropertyAccessExpression).name.text)) limited = true;
  const rewrite = (text: string): string | undefined => {
    let ok = true;
    // `order.customer.id`: TypeORM reads a relation's referenced key as its join column (`order.customerId`).
    const viaRelation = text.replace(/("?)([A-Za-z_]\w*)\1\.("?)([A-Za-z_]\w*)\3\.("?)([A-Za-z_]\w*)\5/g, (m, _q1, a: string, _q2, p: string, _q3, r: string) => {
      const relation = a === alias ? entity!.relations.find((x) => x.property === p && x.owner) : undefined;
      if (!relation || relation.joinColumns.length > 1 || r !== (relation.joinColumns[0]?.referenced ?? 'id')) {
        ok = false; // an embedded column or another column of the related table: not known here
        return m;
      }
      return `${quote(alias)}.${quote(columnOfProperty(entity!, p)!)}`;
    });
    if (!ok) return undefined;
    const out = viaRelation.replace(/("?)([A-Za-z_]\w*)\1\.("?)([A-Za-z_]\w*)\3/g, (m, _q1, a: string, _q2, p: string) => {
      if (a === alias) return `${quote(alias)}.${quote(columnOfProperty(entity!, p) ?? p)}`;
      ok = false; // a joined alias: the plan may start from the other table
      return m;
    });
    return ok ? out : undefined;
  };
  // UPDATE/DELETE builders turn alias prefixing off, and TypeORM then maps bare property names
  // (`where('tenantId = :t')`) to columns; a SELECT builder sends them as written.
  const writes = steps.some((s) => /^(update|delete|softDelete|restore)$/.test(s.method));
  const bare = (text: string | undefined): string | undefined =>
    text === undefined || !writes
      ? text
      : text
          .split(/('(?:[^']|'')*')/)
          .map((part, i) => (i % 2 === 1 ? part : part.replace(/(?<![\w.:"$])([A-Za-z_]\w*)(?![\w.("])/g, (m, p: string) => (entity!.columns.some((c) => c.property === p) || entity!.relations.some((r) => r.property === p) ? quote(columnOfProperty(entity!, p) ?? p) : m))))
          .join('');
  const where = conditions.map((c) => bare(rewrite(c)));
  const order = orderBy.map((o) => bare(rewrite(o)));
  if ([...where, ...order].some((x) => x === undefined)) return [];
  const sql = `SELECT * FROM ${tableOf(entity).split('.').map(quote).join('.')} AS ${quote(alias)}${where.length ? ` WHERE ${where.map((w) => `(${w})`).join(' AND ')}` : ''}${order.length ? ` ORDER BY ${order.join(', ')}` : ''}${limited ? ' LIMIT 1' : ''}`;
  return [{ node: terminal, tables: [], sql: normalisePlaceholders(sql, 'named') }];
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

// ---- Entity resolution --------------------------------------------------------------------

/** The entity a repository expression is for, from its declaration (or its type). */
export function entityOfRepository(expr: ts.Expression, checker: ts.TypeChecker, depth = 0): TypeormEntity | undefined {
  if (depth > 6) return undefined;
  const e = skipExpression(expr);
  if (ts.isCallExpression(e)) {
    // `getRepository(User)`, `dataSource.getRepository(User)`, `manager.getTreeRepository(User)`.
    const callee = ts.isPropertyAccessExpression(e.expression) ? e.expression.name.text : ts.isIdentifier(e.expression) ? e.expression.text : '';
    if (!/^get(Tree|Mongo)?Repository$|^withRepository$/.test(callee)) return undefined;
    // A project's own accessor may take the entity after a context (`connection.getRepository(ctx, User)`).
    for (const arg of e.arguments) {
      const entity = entityOfClassExpression(arg, checker);
      if (entity) return entity;
    }
    return undefined;
  }
  if (e.kind === ts.SyntaxKind.ThisKeyword) {
    // Inside `class UsersRepository extends Repository<User>`.
    const cls = ts.findAncestor(e, ts.isClassDeclaration);
    return cls ? entityOfRepositoryClass(cls, checker) : undefined;
  }
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
    // `User.findBy(…)`: BaseEntity statics.
    const asClass = entityOfClassExpression(e, checker);
    if (asClass) return asClass;
    const sym = symbolOf(e, checker);
    for (const decl of sym?.declarations ?? []) {
      const found = entityOfDeclaration(decl, checker, depth);
      if (found) return found;
    }
  }
  return entityOfType(checker.getTypeAtLocation(e), checker);
}

function entityOfDeclaration(decl: ts.Declaration, checker: ts.TypeChecker, depth: number): TypeormEntity | undefined {
  if (ts.isParameter(decl) || ts.isPropertyDeclaration(decl)) {
    // `@InjectRepository(User) private repo: Repository<User>`.
    const inject = ts.canHaveDecorators(decl) ? ts.getDecorators(decl)?.find((d) => ts.isCallExpression(d.expression) && ts.isIdentifier(d.expression.expression) && d.expression.expression.text === 'InjectRepository') : undefined;
    if (inject && ts.isCallExpression(inject.expression) && inject.expression.arguments[0]) {
      const viaInject = entityOfClassExpression(inject.expression.arguments[0], checker);
      if (viaInject) return viaInject;
    }
    if (decl.type) {
      const viaType = entityOfTypeNode(decl.type, checker);
      if (viaType) return viaType;
    }
    if (ts.isPropertyDeclaration(decl) && decl.initializer) return entityOfRepository(decl.initializer, checker, depth + 1);
    // `constructor(private readonly users: UsersRepository)`: a custom repository class.
    return undefined;
  }
  if (ts.isVariableDeclaration(decl)) {
    if (decl.type) {
      const viaType = entityOfTypeNode(decl.type, checker);
      if (viaType) return viaType;
    }
    if (decl.initializer) return entityOfRepository(decl.initializer, checker, depth + 1);
  }
  if (ts.isPropertyAssignment(decl)) return entityOfRepository(decl.initializer, checker, depth + 1);
  return undefined;
}

/** `Repository<User>` / `TreeRepository<User>` / a class extending `Repository<User>`. */
function entityOfTypeNode(node: ts.TypeNode, checker: ts.TypeChecker): TypeormEntity | undefined {
  if (!ts.isTypeReferenceNode(node)) return undefined;
  const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
  if (/Repository$/.test(name) && node.typeArguments?.length === 1) {
    const arg = node.typeArguments[0];
    if (ts.isTypeReferenceNode(arg)) return entityOfClassExpression(ts.isIdentifier(arg.typeName) ? arg.typeName : arg.typeName.right, checker);
  }
  const sym = symbolOf(ts.isIdentifier(node.typeName) ? node.typeName : node.typeName.right, checker);
  const cls = sym?.declarations?.find(ts.isClassDeclaration);
  return cls ? entityOfRepositoryClass(cls, checker) : undefined;
}

function entityOfRepositoryClass(cls: ts.ClassDeclaration, checker: ts.TypeChecker): TypeormEntity | undefined {
  const ext = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!ext || !ts.isIdentifier(ext.expression) || !/Repository$/.test(ext.expression.text) || ext.typeArguments?.length !== 1) return undefined;
  const arg = ext.typeArguments[0];
  return ts.isTypeReferenceNode(arg) && ts.isIdentifier(arg.typeName) ? entityOfClassExpression(arg.typeName, checker) : undefined;
}

/** With TypeORM's declarations: `Repository<User>` as a type. */
function entityOfType(type: ts.Type, checker: ts.TypeChecker): TypeormEntity | undefined {
  const name = type.symbol?.name ?? type.aliasSymbol?.name;
  if (!name || !/Repository$/.test(name)) return undefined;
  const args = checker.getTypeArguments(type as ts.TypeReference);
  const decl = args[0]?.symbol?.declarations?.find(ts.isClassDeclaration);
  return decl && isEntityClass(decl) ? entityOf(decl, checker) : undefined;
}

/** `User` naming an entity class (through imports). */
export function entityOfClassExpression(expr: ts.Expression, checker: ts.TypeChecker): TypeormEntity | undefined {
  const e = skipExpression(expr);
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return undefined;
  const decl = symbolOf(e, checker)?.declarations?.find(ts.isClassDeclaration);
  return decl && isEntityClass(decl) ? entityOf(decl, checker) : undefined;
}

const entities = new WeakMap<ts.ClassDeclaration, TypeormEntity | undefined>();
const standInsByProgram = new WeakMap<ts.Program, ColumnDecoratorStandIns>();

function entityOf(decl: ts.ClassDeclaration, checker: ts.TypeChecker): TypeormEntity | undefined {
  if (entities.has(decl)) return entities.get(decl);
  const baseOf = (cls: ts.ClassDeclaration) => {
    const ext = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    return ext ? symbolOf(ext, checker)?.declarations?.find(ts.isClassDeclaration) : undefined;
  };
  const entity = readEntity(decl, baseOf, currentProgram && standInReader(currentProgram, checker));
  entities.set(decl, entity);
  return entity;
}

/** The program of the extraction under way (entity reading is reached from many helpers that only carry the checker). */
let currentProgram: ts.Program | undefined;

/** Project decorators standing for TypeORM column decorators, found through the checker (typeormDecorators.ts). */
function standInReader(program: ts.Program, checker: ts.TypeChecker): StandInOf {
  let standIns = standInsByProgram.get(program);
  if (!standIns) {
    const files = program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && DEFERRED_COLUMN_APPLICATION.test(sf.text));
    const resolve: ModuleResolver = (from, specifier) => moduleCandidates(from.fileName, specifier).map((f) => program.getSourceFile(f)).find((sf) => !!sf);
    standInsByProgram.set(program, (standIns = new ColumnDecoratorStandIns(files, resolve)));
  }
  const table = standIns;
  return (d) => {
    const e = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
    if (!ts.isIdentifier(e)) return undefined;
    const decl = symbolOf(e, checker)?.declarations?.[0];
    const sf = decl?.getSourceFile();
    if (!decl || !sf || sf.isDeclarationFile) return undefined;
    const name = ts.isFunctionDeclaration(decl) ? decl.name?.text : ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) ? decl.name.text : undefined;
    return name ? table.of(sf, name) : undefined;
  };
}

function symbolOf(e: ts.Expression, checker: ts.TypeChecker): ts.Symbol | undefined {
  let sym = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(e) ? e.name : e);
  if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  return sym;
}
