// Over 400 lines on purpose: one reader per migration API (TypeORM, Knex, node-pg-migrate, Sequelize, MikroORM,
// db-migrate) sharing the `up` discovery and the constant folding of the SQL they pass.
/**
 * SQL out of TypeScript/JavaScript migration modules: the statements their `up` runs.
 *
 * A migration module is recognised by its shape: an `up` method (TypeORM's `MigrationInterface`,
 * MikroORM's `Migration`) or an exported `up` function (Knex, node-pg-migrate, Sequelize, Kysely). Only
 * `up` is read — `down` undoes it. Inside `up`, the SQL is what reaches the migration API through
 * its first parameter (or `this` for MikroORM):
 *   queryRunner.query(sql)               TypeORM
 *   knex.raw(sql), knex.schema.raw(sql)  Knex
 *   knex.schema.createTable(…)           Knex schema builder, turned into CREATE TABLE / INDEX SQL
 *   pgm.sql(sql)                         node-pg-migrate
 *   queryInterface.sequelize.query(sql)  Sequelize
 *   this.addSql(sql)                     MikroORM
 *   db.runSql(sql, callback)             db-migrate (its builder API, db.createTable…, is not read)
 *   db.schema.createTable(…)….execute()  Kysely schema builder, and sql`…`.execute(db) (kyselyMigrations.ts)
 * Strings are string literals, templates and `+` concatenations of them and of `const`s in the
 * same file; anything else is not SQL Shipshape can know, and is left out.
 */
import ts from 'typescript';
import { quotedIdent as ident, quotedQualifiedIdent as qualifiedIdent } from './ast';
import type { MigrationStyle } from './migrations';
import { migrationBuilderSql } from './migrationBuilders';
import { importsKysely, kyselyExecute, kyselyNames, kyselyTransactionCallback } from './kyselyMigrations';

export type ExtractedPiece =
  /** SQL written in the file: `start` is the file offset of its first character. */
  | { kind: 'literal'; sql: string; start: number; length: number }
  /** SQL Shipshape composed (folded templates, Knex builder calls): `start`/`end` is the call. */
  | { kind: 'generated'; sql: string; start: number; end: number };

export interface ExtractedMigration {
  style: MigrationStyle;
  pieces: ExtractedPiece[];
}

export function extractMigrationSql(file: string, text: string): ExtractedMigration | undefined {
  if (!/\bup\b/.test(text)) return undefined;
  const kind = /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const ups = findUpFunctions(sf);
  if (ups.length === 0) return undefined;
  const consts = constStrings(sf);
  const sqlTags = kyselyNames(sf);
  // A Kysely module's `db.schema` is Kysely's builder, not Knex's (kyselyMigrations.ts).
  const kysely = importsKysely(sf);
  const pieces: ExtractedPiece[] = [];
  let style: MigrationStyle | undefined;
  for (const up of ups) {
    const param = up.parameters[0] && ts.isIdentifier(up.parameters[0].name) ? up.parameters[0].name.text : undefined;
    const readBody = (fn: ts.FunctionLikeDeclaration, param: string | undefined, seen: Set<ts.Node>): void => {
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) {
          // `await db.schema.createTable('t').addColumn(…).execute()`, `` await sql`…`.execute(db) ``:
          // the whole chain is one statement, its inner calls are not read again.
          const statement = kyselyExecute(node, param, sqlTags, consts, sf);
          if (statement) {
            style ??= 'kysely';
            if (statement.literal) pieces.push({ kind: 'literal', sql: statement.sql, start: statement.literal.start, length: statement.literal.length });
            else if (statement.sql) pieces.push({ kind: 'generated', sql: statement.sql, start: node.getStart(sf), end: node.getEnd() });
            return;
          }
          const transaction = kyselyTransactionCallback(node, param);
          if (transaction && !seen.has(transaction.fn)) {
            readBody(transaction.fn, transaction.param, new Set([...seen, transaction.fn]));
            return;
          }
          const found = recogniseCall(node, param, consts, sf, kysely);
          if (found) {
            // `knex.schema.createTable('a', …).createTable('b', …)`: the calls in the receiver run first.
            if (ts.isPropertyAccessExpression(node.expression)) visit(node.expression.expression);
            style ??= found.style;
            pieces.push(...found.pieces);
            return;
          }
          // `await this.renameTables(queryRunner)`, `await createIndexes(db)`: a method of the
          // migration class, or a function of the file, that `up` hands its query runner to runs
          // its SQL there, in call order.
          const helper = param ? helperMethod(node, fn, param) ?? helperFunction(node, sf, param) : undefined;
          if (helper && !seen.has(helper.method)) {
            ts.forEachChild(node, visit);
            readBody(helper.method, helper.param, new Set([...seen, helper.method]));
            return;
          }
        }
        ts.forEachChild(node, visit);
      };
      if (fn.body) visit(fn.body);
    };
    readBody(up, param, new Set([up]));
  }
  if (!style) return undefined;
  return { style, pieces };
}

type UpFunction = ts.FunctionLikeDeclaration;

function findUpFunctions(sf: ts.SourceFile): UpFunction[] {
  const out: UpFunction[] = [];
  const isUp = (name: ts.Node | undefined) => !!name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text === 'up';
  const visit = (node: ts.Node): void => {
    if ((ts.isMethodDeclaration(node) || ts.isFunctionDeclaration(node)) && isUp(node.name)) out.push(node);
    else if (ts.isPropertyAssignment(node) && isUp(node.name) && isFunctionLike(node.initializer)) out.push(node.initializer);
    else if (ts.isVariableDeclaration(node) && isUp(node.name) && node.initializer && isFunctionLike(node.initializer)) out.push(node.initializer);
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.name.text === 'up' && isFunctionLike(node.right)) out.push(node.right);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** `this.m(…, runner, …)` in a method of a class with a method `m`: `m` and the name it gives `runner`. */
function helperMethod(call: ts.CallExpression, from: ts.FunctionLikeDeclaration, param: string): { method: ts.MethodDeclaration; param: string } | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword || !ts.isClassLike(from.parent)) return undefined;
  const index = call.arguments.findIndex((a) => ts.isIdentifier(a) && a.text === param);
  if (index < 0) return undefined;
  const method = from.parent.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && ts.isIdentifier(m.name) && m.name.text === callee.name.text);
  const p = method?.parameters[index];
  return method && p && ts.isIdentifier(p.name) ? { method, param: p.name.text } : undefined;
}

/**
 * `await createIndexes(db)`, `await addTrigger(knex, 't')`: a function of the same file (a
 * declaration or a `const` arrow) that `up` hands its migration API to runs its SQL there, in
 * call order. Functions of other modules are not followed.
 */
function helperFunction(call: ts.CallExpression, sf: ts.SourceFile, param: string): { method: ts.FunctionLikeDeclaration; param: string } | undefined {
  if (!ts.isIdentifier(call.expression)) return undefined;
  const index = call.arguments.findIndex((a) => ts.isIdentifier(a) && a.text === param);
  if (index < 0) return undefined;
  const name = call.expression.text;
  let fn: ts.FunctionLikeDeclaration | undefined;
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name?.text === name && st.body) fn = st;
    else if (ts.isVariableStatement(st) && st.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer && isFunctionLike(d.initializer)) fn = d.initializer;
    }
  }
  const p = fn?.parameters[index];
  return fn && p && ts.isIdentifier(p.name) ? { method: fn, param: p.name.text } : undefined;
}

function isFunctionLike(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

interface Recognised {
  style: MigrationStyle;
  pieces: ExtractedPiece[];
}

function recogniseCall(call: ts.CallExpression, param: string | undefined, consts: Map<string, string>, sf: ts.SourceFile, kysely: boolean): Recognised | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const path = accessPath(callee.expression);
  const arg = call.arguments[0];
  const sqlPiece = () => (arg ? stringPiece(arg, consts, sf) : undefined);
  if (path.length === 1 && path[0] === 'this' && method === 'addSql') return wrap('mikro-orm', sqlPiece());
  if (!param || path[0] !== param) return undefined;
  if (path.length === 1) {
    // TypeORM `queryRunner.createTable(new Table(…))`, node-pg-migrate `pgm.createTable(…)`: migrationBuilders.ts.
    const built = migrationBuilderSql(method, call, consts);
    if (built) return { style: built.style, pieces: built.sql ? [{ kind: 'generated', sql: built.sql, start: call.getStart(sf), end: call.getEnd() }] : [] };
  }
  if (path.length === 1 && method === 'query') return wrap('typeorm', sqlPiece());
  if (path.length === 1 && method === 'raw') return wrap('knex', isSqlFragment(call) ? undefined : sqlPiece());
  if (path.length === 1 && method === 'sql') return wrap('node-pg-migrate', sqlPiece());
  if (path.length === 1 && method === 'runSql') return wrap('db-migrate', sqlPiece());
  if (path.length === 2 && path[1] === 'sequelize' && method === 'query') return wrap('sequelize', sqlPiece());
  if (path[1] === 'schema' && !kysely) {
    if (method === 'raw') return wrap('knex', isSqlFragment(call) ? undefined : sqlPiece());
    const schemaName = schemaOfChain(callee.expression, consts);
    const generated = knexSchemaCall(method, call, schemaName, consts);
    if (generated !== undefined) return { style: 'knex', pieces: generated ? [{ kind: 'generated', sql: generated, start: call.getStart(sf), end: call.getEnd() }] : [] };
  }
  return undefined;
}

/**
 * `knex('t').update({ data: knex.raw("data - 'k'") })`, `.select([knex.raw("'IN' AS type")])`: a raw
 * expression handed to a query builder, part of a statement Shipshape does not compose, not a
 * statement of its own (parsing it alone only reports a syntax error). An argument of
 * `Promise.all([…])` is still a statement.
 */
function isSqlFragment(call: ts.CallExpression): boolean {
  let node: ts.Expression = call;
  for (;;) {
    const parent = node.parent;
    if (ts.isParenthesizedExpression(parent) || ts.isArrayLiteralExpression(parent)) node = parent;
    else if (ts.isPropertyAssignment(parent)) return parent.initializer === node;
    else if (ts.isCallExpression(parent) && parent.arguments.includes(node)) return !isPromiseCombinator(parent);
    else return false;
  }
}

function isPromiseCombinator(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise' && /^(all|allSettled|race|any)$/.test(callee.name.text);
}

function wrap(style: MigrationStyle, piece: ExtractedPiece | undefined): Recognised {
  return { style, pieces: piece ? [piece] : [] };
}

/** `knex.schema.withSchema('s')` → ['knex', 'schema'] (calls in between are looked through). */
function accessPath(expr: ts.Expression): string[] {
  const parts: string[] = [];
  let e: ts.Expression = expr;
  for (;;) {
    if (ts.isPropertyAccessExpression(e)) {
      parts.unshift(e.name.text);
      e = e.expression;
    } else if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      e = e.expression.expression; // `.withSchema('s')`
    } else if (ts.isIdentifier(e)) {
      parts.unshift(e.text);
      return parts;
    } else if (e.kind === ts.SyntaxKind.ThisKeyword) {
      parts.unshift('this');
      return parts;
    } else if (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e)) {
      e = e.expression;
    } else return parts;
  }
}

function schemaOfChain(expr: ts.Expression, consts: Map<string, string>): string | undefined {
  let e: ts.Expression = expr;
  while (ts.isCallExpression(e) || ts.isPropertyAccessExpression(e)) {
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'withSchema' && e.arguments[0]) {
      return foldString(e.arguments[0], consts);
    }
    e = ts.isCallExpression(e) ? e.expression : e.expression;
  }
  return undefined;
}

function stringPiece(arg: ts.Expression, consts: Map<string, string>, sf: ts.SourceFile): ExtractedPiece | undefined {
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) {
    return { kind: 'literal', sql: arg.text, start: arg.getStart(sf) + 1, length: arg.getEnd() - arg.getStart(sf) - 2 };
  }
  const folded = foldString(arg, consts) ?? foldSqlTemplate(arg, consts);
  return folded === undefined ? undefined : { kind: 'generated', sql: folded, start: arg.getStart(sf), end: arg.getEnd() };
}

/**
 * A SQL template whose unknown interpolations all sit inside a quoted SQL string
 * (`"status" varchar(20) default '${Status.PENDING}'`, `insert … values ('${row.id}')`): a string
 * constant's content never changes the statement's structure, so any text stands in for it. An
 * unknown interpolation anywhere else (a name, a clause) leaves the statement unknown.
 */
function foldSqlTemplate(expr: ts.Expression, consts: Map<string, string>): string | undefined {
  if (!ts.isTemplateExpression(expr)) return undefined;
  let out = expr.head.text;
  for (const span of expr.templateSpans) {
    const v = foldString(span.expression, consts);
    if (v === undefined) {
      const insideQuotes = (out.match(/'/g)?.length ?? 0) % 2 === 1;
      if (!insideQuotes) return undefined;
      out += 'x';
    } else out += v;
    out += span.literal.text;
  }
  return out;
}

/** The value of a string expression built from literals, templates, `+` and same-file `const`s. */
export function foldString(expr: ts.Expression, consts: Map<string, string>): string | undefined {
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text;
  if (ts.isParenthesizedExpression(expr)) return foldString(expr.expression, consts);
  if (ts.isIdentifier(expr)) return consts.get(expr.text);
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = foldString(expr.left, consts);
    const r = l === undefined ? undefined : foldString(expr.right, consts);
    return l === undefined || r === undefined ? undefined : l + r;
  }
  if (ts.isTemplateExpression(expr)) {
    let out = expr.head.text;
    for (const span of expr.templateSpans) {
      const v = foldString(span.expression, consts);
      if (v === undefined) return undefined;
      out += v + span.literal.text;
    }
    return out;
  }
  return undefined;
}

/** `const X = '…'` declarations at any level of the file whose value folds to a string. */
export function constStrings(sf: ts.SourceFile): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableStatement(node) && node.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of node.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer) {
          const v = foldString(d.initializer, out);
          if (v !== undefined) out.set(d.name.text, v);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

// ---- Knex schema builder → SQL ---------------------------------------------------------------

/**
 * The SQL a Knex schema-builder call runs on PostgreSQL (names as Knex generates them:
 * `<table>_<cols>_index`, `_unique`, `_foreign` lower-cased, `<table>_pkey` as written; see
 * knexIndexName). `undefined`: not a schema-builder call (its arguments are read on, e.g. the
 * callback of `.then`); `''`: one that changes nothing Shipshape models.
 */
function knexSchemaCall(method: string, call: ts.CallExpression, schema: string | undefined, consts: Map<string, string>): string | undefined {
  const name = call.arguments[0] ? foldString(call.arguments[0], consts) : undefined;
  const q = (t: string) => (schema ? `${ident(schema)}.${ident(t)}` : ident(t));
  switch (method) {
    case 'createTable':
    case 'createTableIfNotExists':
    case 'alterTable':
    case 'table': {
      const fn = call.arguments[1];
      if (name === undefined || !fn || !isFunctionLike(fn)) return '';
      const p = fn.parameters[0];
      if (!p || !ts.isIdentifier(p.name)) return '';
      const builder = new KnexTableBuilder(name, q(name), p.name.text, consts);
      builder.read(fn.body);
      return method.startsWith('create') ? builder.createSql(method === 'createTableIfNotExists') : builder.alterSql();
    }
    case 'dropTable':
    case 'dropTableIfExists':
      return name === undefined ? '' : `DROP TABLE ${method === 'dropTableIfExists' ? 'IF EXISTS ' : ''}${q(name)}`;
    case 'renameTable': {
      const to = call.arguments[1] ? foldString(call.arguments[1], consts) : undefined;
      return name === undefined || to === undefined ? '' : `ALTER TABLE ${q(name)} RENAME TO ${ident(to)}`;
    }
    case 'createSchema':
    case 'createSchemaIfNotExists':
      return name === undefined ? '' : `CREATE SCHEMA ${method.endsWith('IfNotExists') ? 'IF NOT EXISTS ' : ''}${ident(name)}`;
    default:
      // `knex.schema.createTable(…).then(() => knex.raw('CREATE INDEX …'))`: the callback runs after
      // the builder's SQL, so it is read on like any other code of `up` (`catch` only runs on failure).
      return method === 'hasTable' || method === 'hasColumn' || method === 'withSchema' || method === 'then' || method === 'finally' ? undefined : '';
  }
}

const KNEX_TYPES: Record<string, string> = {
  increments: 'serial',
  bigIncrements: 'bigserial',
  integer: 'integer',
  int: 'integer',
  bigInteger: 'bigint',
  bigint: 'bigint',
  smallint: 'smallint',
  tinyint: 'smallint',
  mediumint: 'integer',
  text: 'text',
  string: 'varchar(255)',
  float: 'real',
  double: 'double precision',
  decimal: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
  timestamp: 'timestamptz',
  time: 'time',
  binary: 'bytea',
  enum: 'text',
  enu: 'text',
  json: 'json',
  jsonb: 'jsonb',
  uuid: 'uuid',
  geometry: 'geometry',
};

interface KnexColumn {
  name: string;
  type: string;
  notNull: boolean;
  primary: boolean;
  unique: boolean;
  index: boolean;
  references?: { table: string; column: string };
  onDelete?: string;
  defaultTo?: string;
  alter: boolean;
}

class KnexTableBuilder {
  private readonly columns: KnexColumn[] = [];
  private readonly after: string[] = [];
  private readonly alters: string[] = [];
  private primary: string[] | undefined;

  constructor(private readonly table: string, private readonly qualified: string, private readonly param: string, private readonly consts: Map<string, string>) {}

  read(body: ts.Node): void {
    const visit = (node: ts.Node): void => {
      if (ts.isExpressionStatement(node)) {
        this.statement(node.expression);
        return;
      }
      ts.forEachChild(node, visit);
    };
    if (ts.isBlock(body)) visit(body);
    else this.statement(body as ts.Expression);
  }

  /** One chain `t.integer('x').notNullable().references('id').inTable('users')`. */
  private statement(expr: ts.Expression): void {
    const chain: Array<{ method: string; args: readonly ts.Expression[] }> = [];
    let e: ts.Expression = expr;
    while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      chain.unshift({ method: e.expression.name.text, args: e.arguments });
      e = e.expression.expression;
    }
    if (!ts.isIdentifier(e) || e.text !== this.param || chain.length === 0) return;
    const [base, ...mods] = chain;
    const str = (a: ts.Expression | undefined) => (a ? foldString(a, this.consts) : undefined);
    const list = (a: ts.Expression | undefined): string[] => {
      if (!a) return [];
      if (ts.isArrayLiteralExpression(a)) return a.elements.flatMap((x) => str(x) ?? []);
      const s = str(a);
      return s === undefined ? [] : [s];
    };
    const t = this.table;
    switch (base.method) {
      case 'primary':
        this.primary = list(base.args[0]);
        return;
      case 'unique': {
        const cols = list(base.args[0]);
        const name = indexNameArg(base.args[1], this.consts) ?? knexIndexName(t, cols, 'unique');
        if (cols.length) this.after.push(`ALTER TABLE ${this.qualified} ADD CONSTRAINT ${ident(name)} UNIQUE (${cols.map(ident).join(', ')})`);
        return;
      }
      case 'index': {
        const cols = list(base.args[0]);
        const name = indexNameArg(base.args[1], this.consts) ?? knexIndexName(t, cols, 'index');
        const method = base.args[2] && ts.isObjectLiteralExpression(base.args[2]) ? objectString(base.args[2], 'indexType', this.consts) : base.args[2] ? str(base.args[2]) : undefined;
        if (cols.length) this.after.push(`CREATE INDEX ${ident(name)} ON ${this.qualified}${method ? ` USING ${method}` : ''} (${cols.map(ident).join(', ')})`);
        return;
      }
      case 'foreign': {
        const cols = list(base.args[0]);
        let ref: { table: string; columns: string[] } | undefined;
        let onDelete: string | undefined;
        for (const m of mods) {
          if (m.method === 'references') {
            const target = list(m.args[0]);
            const dotted = target.length === 1 && target[0].includes('.') ? target[0].split('.') : undefined;
            ref = dotted ? { table: dotted.slice(0, -1).join('.'), columns: [dotted[dotted.length - 1]] } : { table: ref?.table ?? '', columns: target };
          } else if (m.method === 'inTable' && ref) ref.table = str(m.args[0]) ?? ref.table;
          else if (m.method === 'onDelete') onDelete = str(m.args[0]);
        }
        if (ref && ref.table && cols.length) {
          this.after.push(`ALTER TABLE ${this.qualified} ADD CONSTRAINT ${ident(knexIndexName(t, cols, 'foreign'))} FOREIGN KEY (${cols.map(ident).join(', ')}) REFERENCES ${qualifiedIdent(ref.table)} (${ref.columns.map(ident).join(', ')})${onDelete ? ` ON DELETE ${onDelete.toUpperCase()}` : ''}`);
        }
        return;
      }
      case 'dropColumn':
      case 'dropColumns':
        for (const a of base.args) for (const c of list(a)) this.alters.push(`ALTER TABLE ${this.qualified} DROP COLUMN ${ident(c)}`);
        return;
      case 'renameColumn': {
        const from = str(base.args[0]);
        const to = str(base.args[1]);
        if (from && to) this.alters.push(`ALTER TABLE ${this.qualified} RENAME COLUMN ${ident(from)} TO ${ident(to)}`);
        return;
      }
      case 'dropIndex':
      case 'dropUnique':
      case 'dropForeign':
      case 'dropPrimary': {
        const cols = list(base.args[0]);
        const suffix = { dropIndex: 'index', dropUnique: 'unique', dropForeign: 'foreign', dropPrimary: 'pkey' }[base.method];
        const name = str(base.args[base.method === 'dropPrimary' ? 0 : 1]) ?? (base.method === 'dropPrimary' ? `${t}_pkey` : knexIndexName(t, cols, suffix));
        this.alters.push(base.method === 'dropIndex' ? `DROP INDEX IF EXISTS ${ident(name)}` : `ALTER TABLE ${this.qualified} DROP CONSTRAINT IF EXISTS ${ident(name)}`);
        return;
      }
      case 'timestamps':
        for (const c of ['created_at', 'updated_at']) this.columns.push({ name: c, type: 'timestamptz', notNull: false, primary: false, unique: false, index: false, alter: false });
        return;
      default:
        break;
    }
    const type = base.method === 'specificType' ? str(base.args[1]) : KNEX_TYPES[base.method];
    const name = str(base.args[0]);
    if (!type || !name) return;
    const col: KnexColumn = { name, type, notNull: false, primary: base.method === 'increments' || base.method === 'bigIncrements', unique: false, index: false, alter: false };
    for (const m of mods) {
      switch (m.method) {
        case 'notNullable':
          col.notNull = true;
          break;
        case 'nullable':
          col.notNull = false;
          break;
        case 'primary':
          col.primary = true;
          break;
        case 'unique':
          col.unique = true;
          break;
        case 'index':
          col.index = true;
          break;
        case 'references': {
          const target = str(m.args[0]) ?? '';
          const parts = target.split('.');
          col.references = parts.length > 1 ? { table: parts.slice(0, -1).join('.'), column: parts[parts.length - 1] } : { table: col.references?.table ?? '', column: target };
          break;
        }
        case 'inTable':
          if (col.references) col.references.table = str(m.args[0]) ?? col.references.table;
          break;
        case 'onDelete':
          col.onDelete = str(m.args[0]);
          break;
        case 'defaultTo':
          col.defaultTo = m.args[0] ? m.args[0].getText() : undefined;
          break;
        case 'alter':
          col.alter = true;
          break;
        default:
          break;
      }
    }
    this.columns.push(col);
  }

  createSql(ifNotExists: boolean): string {
    const defs = this.columns.map((c) => this.columnDef(c));
    if (this.primary?.length) defs.push(`CONSTRAINT ${ident(`${this.table}_pkey`)} PRIMARY KEY (${this.primary.map(ident).join(', ')})`);
    const stmts = [`CREATE TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${this.qualified} (${defs.join(', ')})`, ...this.columnExtras(), ...this.after];
    return stmts.join(';\n');
  }

  alterSql(): string {
    const stmts = [
      ...this.alters,
      ...this.columns.map((c) => (c.alter ? `ALTER TABLE ${this.qualified} ALTER COLUMN ${ident(c.name)} TYPE ${c.type}` : `ALTER TABLE ${this.qualified} ADD COLUMN ${this.columnDef(c)}`)),
      ...(this.primary?.length ? [`ALTER TABLE ${this.qualified} ADD CONSTRAINT ${ident(`${this.table}_pkey`)} PRIMARY KEY (${this.primary.map(ident).join(', ')})`] : []),
      ...this.columnExtras(),
      ...this.after,
    ];
    return stmts.join(';\n');
  }

  private columnDef(c: KnexColumn): string {
    return `${ident(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}${c.primary ? ' PRIMARY KEY' : ''}`;
  }

  /** Knex adds column-level unique/index/foreign keys as separate statements, named its way. */
  private columnExtras(): string[] {
    const t = this.table;
    return this.columns.flatMap((c) => [
      ...(c.unique ? [`ALTER TABLE ${this.qualified} ADD CONSTRAINT ${ident(knexIndexName(t, [c.name], 'unique'))} UNIQUE (${ident(c.name)})`] : []),
      ...(c.index ? [`CREATE INDEX ${ident(knexIndexName(t, [c.name], 'index'))} ON ${this.qualified} (${ident(c.name)})`] : []),
      ...(c.references?.table
        ? [`ALTER TABLE ${this.qualified} ADD CONSTRAINT ${ident(knexIndexName(t, [c.name], 'foreign'))} FOREIGN KEY (${ident(c.name)}) REFERENCES ${qualifiedIdent(c.references.table)} (${ident(c.references.column)})${c.onDelete ? ` ON DELETE ${c.onDelete.toUpperCase()}` : ''}`]
        : []),
    ]);
  }
}

/**
 * Knex's default index and constraint name, lower-cased as Knex makes it (TableCompiler
 * `_indexCommand`, https://github.com/knex/knex/blob/master/lib/schema/tablecompiler.js): a later
 * `DROP CONSTRAINT "users_teamid_foreign"` written by hand must find the key `teamId` made.
 * The primary key's `<table>_pkey` keeps the table's case (Knex names it apart).
 */
function knexIndexName(table: string, columns: readonly string[], type: string): string {
  return `${table.replace(/\.|-/g, '_')}_${columns.join('_')}_${type}`.toLowerCase();
}

function indexNameArg(arg: ts.Expression | undefined, consts: Map<string, string>): string | undefined {
  if (!arg) return undefined;
  if (ts.isObjectLiteralExpression(arg)) return objectString(arg, 'indexName', consts);
  return foldString(arg, consts);
}

function objectString(obj: ts.ObjectLiteralExpression, key: string, consts: Map<string, string>): string | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === key) return foldString(p.initializer, consts);
  }
  return undefined;
}
