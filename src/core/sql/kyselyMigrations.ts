/**
 * Kysely migrations (https://kysely.dev/docs/migrations): the SQL an `up(db)` runs through
 * `db.schema.….execute()` chains and raw `` sql`…`.execute(db) `` / `sql.raw('…').execute(db)`.
 *
 * The schema builder is turned into the PostgreSQL it compiles to
 * (https://github.com/kysely-org/kysely/tree/master/src/schema). Kysely invents no names:
 * constraints and indexes carry the name the migration gives; a column's own `.primaryKey()`,
 * `.unique()` and `.references()` are written inline, so PostgreSQL names them
 * (`<table>_pkey`, `<table>_<col>_key`, `<table>_<col>_fkey`), as schemaBuilder.ts does.
 *
 * Anything decided at run time (a name in a variable that is not a same-file `const`, an index
 * predicate written as a callback, a call Shipshape does not know in a `createIndex` chain) leaves
 * that statement out rather than guessing it: a wrong index would hide a missing one.
 */
import ts from 'typescript';
import { quotedIdent as ident, quotedQualifiedIdent as qualifiedIdent } from './ast';
import { foldString } from './tsMigrations';

interface ChainCall {
  method: string;
  args: readonly ts.Expression[];
}

/**
 * What a call `….execute(…)` in a Kysely `up` runs. `undefined`: not a Kysely statement;
 * `sql: ''`: one Shipshape does not model or cannot read; `literal`: the raw SQL is the text of
 * the template at `start` in the file (positions map one to one).
 */
export type KyselyStatement = { sql: string; literal?: { start: number; length: number } };

export interface KyselyNames {
  /** The local names of `sql` from 'kysely' (`import { sql } from 'kysely'`, `const { sql } = require('kysely')`). */
  sql: Set<string>;
  /** Names bound to a `db.dynamic.ref` (`const ref = db.dynamic.ref`): a call is a quoted identifier. */
  refs: Set<string>;
}

/** The names of a file that Kysely's raw SQL is written with. */
export function kyselyNames(sf: ts.SourceFile): KyselyNames {
  const out = new Set<string>();
  const refs = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && isDynamicRef(node.initializer)) refs.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === 'kysely') {
      const named = st.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) {
        for (const el of named.elements) if ((el.propertyName ?? el.name).text === 'sql') out.add(el.name.text);
      }
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer;
        const required = init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && init.arguments[0] && ts.isStringLiteral(init.arguments[0]) && init.arguments[0].text === 'kysely';
        if (required && ts.isObjectBindingPattern(d.name)) {
          for (const el of d.name.elements) {
            const prop = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : ts.isIdentifier(el.name) ? el.name.text : undefined;
            if (prop === 'sql' && ts.isIdentifier(el.name)) out.add(el.name.text);
          }
        }
      }
    }
  }
  return { sql: out, refs };
}

/** `db.dynamic.ref` */
function isDynamicRef(e: ts.Expression): boolean {
  const x = unwrap(e);
  return ts.isPropertyAccessExpression(x) && x.name.text === 'ref' && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'dynamic';
}

/** Whether a file imports or requires 'kysely' (its `db.schema` is Kysely's, not Knex's). */
export function importsKysely(sf: ts.SourceFile): boolean {
  return sf.statements.some((st) =>
    (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === 'kysely') ||
    (ts.isVariableStatement(st) && /\brequire\(\s*['"]kysely['"]\s*\)/.test(st.getText())));
}

/** The statement a `….execute(…)` call runs, when it is a Kysely schema chain rooted at `param` or a raw `sql` from 'kysely'. */
export function kyselyExecute(call: ts.CallExpression, param: string | undefined, names: KyselyNames, consts: Map<string, string>, sf: ts.SourceFile): KyselyStatement | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'execute') return undefined;
  const receiver = unwrap(callee.expression);
  // sql`…`.execute(db)
  if (ts.isTaggedTemplateExpression(receiver) && ts.isIdentifier(receiver.tag) && names.sql.has(receiver.tag.text)) {
    const t = receiver.template;
    if (ts.isNoSubstitutionTemplateLiteral(t)) return { sql: t.text, literal: { start: t.getStart(sf) + 1, length: t.getEnd() - t.getStart(sf) - 2 } };
    return { sql: foldKyselySql(receiver, names, consts) ?? '' };
  }
  // sql.raw('…').execute(db)
  if (ts.isCallExpression(receiver) && isSqlMember(receiver.expression, 'raw', names)) {
    return { sql: (receiver.arguments[0] && foldString(receiver.arguments[0], consts)) ?? '' };
  }
  if (!param) return undefined;
  const root = schemaChain(receiver, param, consts);
  if (!root) return undefined;
  return { sql: schemaSql(root.calls, root.schema, names, consts) ?? '' };
}

/**
 * `db.transaction().execute(async (trx) => { … })`: the callback, whose parameter takes the place
 * of `db` (Kysely runs a migration in a transaction already, but some write their own).
 */
export function kyselyTransactionCallback(call: ts.CallExpression, param: string | undefined): { fn: ts.ArrowFunction | ts.FunctionExpression; param: string } | undefined {
  const callee = call.expression;
  const fn = call.arguments[0];
  if (!param || !ts.isPropertyAccessExpression(callee) || callee.name.text !== 'execute' || !fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  const receiver = unwrap(callee.expression);
  if (!ts.isCallExpression(receiver) || !ts.isPropertyAccessExpression(receiver.expression) || receiver.expression.name.text !== 'transaction') return undefined;
  const root = unwrap(receiver.expression.expression);
  const p = fn.parameters[0];
  return ts.isIdentifier(root) && root.text === param && p && ts.isIdentifier(p.name) ? { fn, param: p.name.text } : undefined;
}

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

function isSqlMember(e: ts.Expression, name: string, names: KyselyNames): boolean {
  return ts.isPropertyAccessExpression(e) && e.name.text === name && ts.isIdentifier(e.expression) && names.sql.has(e.expression.text);
}

/** `db.schema.withSchema('s').createTable('t').addColumn(…)` → the calls after `.schema`, and `s`. */
function schemaChain(expr: ts.Expression, param: string, consts: Map<string, string>): { calls: ChainCall[]; schema?: string } | undefined {
  const calls: ChainCall[] = [];
  let e = unwrap(expr);
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    calls.unshift({ method: e.expression.name.text, args: e.arguments });
    e = unwrap(e.expression.expression);
  }
  if (!ts.isPropertyAccessExpression(e) || e.name.text !== 'schema') return undefined;
  let root = unwrap(e.expression);
  let schema: string | undefined;
  // db.withSchema('s').schema
  if (ts.isCallExpression(root) && ts.isPropertyAccessExpression(root.expression) && root.expression.name.text === 'withSchema') {
    schema = root.arguments[0] ? foldString(root.arguments[0], consts) : undefined;
    if (schema === undefined) return { calls: [], schema: undefined };
    root = unwrap(root.expression.expression);
  }
  if (!ts.isIdentifier(root) || root.text !== param) return undefined;
  if (calls[0]?.method === 'withSchema') {
    schema = calls[0].args[0] ? foldString(calls[0].args[0], consts) : undefined;
    if (schema === undefined) return { calls: [], schema: undefined };
    calls.shift();
  }
  return { calls, schema };
}

/**
 * A Kysely `sql` template with its interpolations as Kysely compiles them: `sql.raw(s)` and
 * `sql.lit` inline, `sql.ref`/`sql.id`/`sql.table` as quoted identifiers, a nested `sql` template
 * in place; any other value becomes a parameter `$n`, which Kysely sends (so DDL with one is
 * rejected by PostgreSQL, and by the parser here). `undefined` when a piece cannot be read.
 */
function foldKyselySql(tpl: ts.TaggedTemplateExpression, names: KyselyNames, consts: Map<string, string>, counter = { n: 0 }): string | undefined {
  const t = tpl.template;
  if (ts.isNoSubstitutionTemplateLiteral(t)) return t.text;
  let out = t.head.text;
  for (const span of t.templateSpans) {
    const v = kyselyFragment(span.expression, names, consts, counter);
    if (v === undefined) return undefined;
    out += v + span.literal.text;
  }
  return out;
}

function kyselyFragment(expr: ts.Expression, names: KyselyNames, consts: Map<string, string>, counter: { n: number }): string | undefined {
  const e = unwrap(expr);
  if (ts.isTaggedTemplateExpression(e) && ts.isIdentifier(e.tag) && names.sql.has(e.tag.text)) return foldKyselySql(e, names, consts, counter);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ts.isIdentifier(e.expression.expression) && names.sql.has(e.expression.expression.text)) {
    const args = e.arguments.map((a) => foldString(a, consts));
    if (args.some((a) => a === undefined)) return undefined;
    const strs = args as string[];
    switch (e.expression.name.text) {
      case 'raw':
        return strs[0];
      case 'lit':
        return strs[0] === undefined ? undefined : `'${strs[0].replace(/'/g, "''")}'`;
      case 'ref':
      case 'table':
        return strs[0] === undefined ? undefined : qualifiedIdent(strs[0]);
      case 'id':
        return strs.length ? strs.map(ident).join('.') : undefined;
      default:
        return undefined;
    }
  }
  if (ts.isCallExpression(e) && (isDynamicRef(e.expression) || (ts.isIdentifier(e.expression) && names.refs.has(e.expression.text)))) {
    const r = e.arguments[0] ? foldString(e.arguments[0], consts) : undefined;
    return r === undefined ? undefined : qualifiedIdent(r);
  }
  counter.n += 1;
  return `$${counter.n}`;
}

// ---- the schema builder ----------------------------------------------------------------------

function schemaSql(calls: ChainCall[], schema: string | undefined, names: KyselyNames, consts: Map<string, string>): string | undefined {
  const [first, ...rest] = calls;
  if (!first) return undefined;
  const str = (a: ts.Expression | undefined) => (a ? foldString(a, consts) : undefined);
  const name = str(first.args[0]);
  if (name === undefined) return undefined;
  const q = (t: string) => (schema && !t.includes('.') ? `${ident(schema)}.${ident(t)}` : qualifiedIdent(t));
  const has = (m: string) => rest.some((c) => c.method === m);
  switch (first.method) {
    case 'createTable':
      return createTable(q(name), rest, names, consts, schema);
    case 'alterTable':
      return alterTable(q(name), rest, names, consts, schema);
    case 'dropTable':
      return `DROP TABLE ${has('ifExists') ? 'IF EXISTS ' : ''}${q(name)}${has('cascade') ? ' CASCADE' : ''}`;
    case 'createIndex':
      return createIndex(name, rest, q, names, consts);
    case 'dropIndex':
      return `DROP INDEX ${has('ifExists') ? 'IF EXISTS ' : ''}${q(name)}${has('cascade') ? ' CASCADE' : ''}`;
    case 'createSchema':
      return `CREATE SCHEMA ${has('ifNotExists') ? 'IF NOT EXISTS ' : ''}${ident(name)}`;
    case 'dropSchema':
      return `DROP SCHEMA ${has('ifExists') ? 'IF EXISTS ' : ''}${ident(name)}${has('cascade') ? ' CASCADE' : ''}`;
    default:
      // createView, createType, dropView, …: nothing the index rules model.
      return undefined;
  }
}

/** `(col) => col.notNull().references('t.id').onDelete('cascade')`: the column's definition. */
function columnDef(args: readonly ts.Expression[], names: KyselyNames, consts: Map<string, string>, schema: string | undefined): string | undefined {
  const name = args[0] ? foldString(args[0], consts) : undefined;
  const type = args[1] ? dataType(args[1], names, consts) : undefined;
  if (name === undefined || type === undefined) return undefined;
  let def = `${ident(name)} ${type}`;
  const cb = args[2];
  if (!cb) return def;
  if (!ts.isArrowFunction(cb) && !ts.isFunctionExpression(cb)) return undefined;
  const p = cb.parameters[0];
  const body = returned(cb.body);
  if (!p || !ts.isIdentifier(p.name) || !body) return def;
  const chain = callChain(body, p.name.text);
  if (!chain) return undefined;
  let ref = '';
  for (const c of chain) {
    const arg = c.args[0] ? foldString(c.args[0], consts) : undefined;
    switch (c.method) {
      case 'notNull':
        def += ' NOT NULL';
        break;
      case 'primaryKey':
        def += ' PRIMARY KEY';
        break;
      case 'unique':
        def += ' UNIQUE';
        break;
      case 'references': {
        if (arg === undefined || !arg.includes('.')) return undefined;
        const parts = arg.split('.');
        // `withSchema('s')` puts an unqualified referenced table in `s` too (Kysely's WithSchemaPlugin).
        const target = parts.length === 2 && schema ? [schema, parts[0]] : parts.slice(0, -1);
        ref = ` REFERENCES ${target.map(ident).join('.')} (${ident(parts[parts.length - 1])})`;
        def += ref;
        break;
      }
      case 'onDelete':
      case 'onUpdate':
        if (ref && arg && /^(cascade|set null|set default|restrict|no action)$/i.test(arg)) def += ` ${c.method === 'onDelete' ? 'ON DELETE' : 'ON UPDATE'} ${arg.toUpperCase()}`;
        break;
      default:
        // defaultTo, generatedAlwaysAs, check, autoIncrement, …: no index or key.
        break;
    }
  }
  return def;
}

/** 'varchar', 'varchar(255)', 'timestamptz', sql`tsvector`: the type as written. */
function dataType(arg: ts.Expression, names: KyselyNames, consts: Map<string, string>): string | undefined {
  const e = unwrap(arg);
  if (ts.isTaggedTemplateExpression(e) && ts.isIdentifier(e.tag) && names.sql.has(e.tag.text)) return foldKyselySql(e, names, consts);
  const s = foldString(e, consts);
  return s !== undefined && /^[\w\s(),[\]"]+$/.test(s) ? s : undefined;
}

function returned(body: ts.ConciseBody): ts.Expression | undefined {
  if (!ts.isBlock(body)) return body;
  const ret = body.statements.find(ts.isReturnStatement);
  return ret?.expression;
}

/** `p.a(…).b(…)` → [a, b]; undefined when the chain does not start at `p`. */
function callChain(expr: ts.Expression, param: string): ChainCall[] | undefined {
  const calls: ChainCall[] = [];
  let e = unwrap(expr);
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    calls.unshift({ method: e.expression.name.text, args: e.arguments });
    e = unwrap(e.expression.expression);
  }
  return ts.isIdentifier(e) && e.text === param ? calls : undefined;
}

function strings(arg: ts.Expression | undefined, consts: Map<string, string>): string[] | undefined {
  if (!arg) return undefined;
  const e = unwrap(arg);
  if (!ts.isArrayLiteralExpression(e)) return undefined;
  const out = e.elements.map((x) => foldString(x, consts));
  return out.some((x) => x === undefined) || out.length === 0 ? undefined : (out as string[]);
}

/** A table-level constraint (`addPrimaryKeyConstraint`, `addUniqueConstraint`, `addForeignKeyConstraint`), or '' when not one, undefined when unreadable. */
function tableConstraint(c: ChainCall, modifiers: ChainCall[], consts: Map<string, string>, schema: string | undefined): string | undefined {
  const name = c.args[0] ? foldString(c.args[0], consts) : undefined;
  const cols = strings(c.args[1], consts);
  if (name === undefined || !cols) return undefined;
  const list = cols.map(ident).join(', ');
  switch (c.method) {
    case 'addPrimaryKeyConstraint':
      return `CONSTRAINT ${ident(name)} PRIMARY KEY (${list})`;
    case 'addUniqueConstraint':
      return `CONSTRAINT ${ident(name)} UNIQUE (${list})`;
    case 'addForeignKeyConstraint': {
      const target = c.args[2] ? foldString(c.args[2], consts) : undefined;
      const refCols = strings(c.args[3], consts);
      if (target === undefined || !refCols) return undefined;
      // The 5th argument (create table) or chained calls (alter table) set ON DELETE / ON UPDATE.
      const cbMods = c.args[4] && (ts.isArrowFunction(c.args[4]) || ts.isFunctionExpression(c.args[4])) && c.args[4].parameters[0] && ts.isIdentifier(c.args[4].parameters[0].name)
        ? callChain(returned(c.args[4].body) ?? c.args[4], c.args[4].parameters[0].name.text) ?? []
        : [];
      let actions = '';
      for (const m of [...cbMods, ...modifiers]) {
        const arg = m.args[0] ? foldString(m.args[0], consts) : undefined;
        if ((m.method === 'onDelete' || m.method === 'onUpdate') && arg && /^(cascade|set null|set default|restrict|no action)$/i.test(arg)) actions += ` ${m.method === 'onDelete' ? 'ON DELETE' : 'ON UPDATE'} ${arg.toUpperCase()}`;
      }
      const ref = schema && !target.includes('.') ? `${ident(schema)}.${ident(target)}` : qualifiedIdent(target);
      return `CONSTRAINT ${ident(name)} FOREIGN KEY (${list}) REFERENCES ${ref} (${refCols.map(ident).join(', ')})${actions}`;
    }
    default:
      return '';
  }
}

function createTable(qualified: string, calls: ChainCall[], names: KyselyNames, consts: Map<string, string>, schema: string | undefined): string | undefined {
  // `createTable('t').as(query)`, `.temporary()`: not a table of the schema Shipshape can read.
  if (calls.some((c) => c.method === 'as' || c.method === 'temporary')) return undefined;
  const defs: string[] = [];
  for (const c of calls) {
    if (c.method === 'addColumn') {
      const def = columnDef(c.args, names, consts, schema);
      if (def === undefined) return undefined;
      defs.push(def);
    } else if (c.method.startsWith('add') && c.method.endsWith('Constraint')) {
      const con = tableConstraint(c, [], consts, schema);
      if (con === undefined) return undefined;
      if (con) defs.push(con);
    }
  }
  return `CREATE TABLE ${calls.some((c) => c.method === 'ifNotExists') ? 'IF NOT EXISTS ' : ''}${qualified} (${defs.join(', ')})`;
}

/**
 * `alterTable('t')` then its actions, each with the calls that modify it (`.addForeignKeyConstraint(…).onDelete('cascade')`,
 * `.dropConstraint('x').ifExists()`, `.addIndex('i').column('a')`). Kysely sends the column
 * alterations as one ALTER TABLE; one statement each here is the same schema.
 */
function alterTable(qualified: string, calls: ChainCall[], names: KyselyNames, consts: Map<string, string>, schema: string | undefined): string | undefined {
  const ACTIONS = new Set(['addColumn', 'dropColumn', 'renameColumn', 'renameTo', 'setSchema', 'alterColumn', 'modifyColumn', 'addPrimaryKeyConstraint', 'addUniqueConstraint', 'addForeignKeyConstraint', 'addCheckConstraint', 'dropConstraint', 'renameConstraint', 'addIndex', 'dropIndex']);
  const groups: Array<{ action: ChainCall; modifiers: ChainCall[] }> = [];
  for (const c of calls) {
    if (ACTIONS.has(c.method)) groups.push({ action: c, modifiers: [] });
    else groups[groups.length - 1]?.modifiers.push(c);
  }
  const out: string[] = [];
  const str = (a: ts.Expression | undefined) => (a ? foldString(a, consts) : undefined);
  const has = (mods: ChainCall[], m: string) => mods.some((c) => c.method === m);
  for (const { action, modifiers } of groups) {
    switch (action.method) {
      case 'addColumn': {
        const def = columnDef(action.args, names, consts, schema);
        if (def === undefined) return undefined;
        out.push(`ALTER TABLE ${qualified} ADD COLUMN ${def}`);
        break;
      }
      case 'dropColumn': {
        const c = str(action.args[0]);
        if (c === undefined) return undefined;
        out.push(`ALTER TABLE ${qualified} DROP COLUMN ${ident(c)}`);
        break;
      }
      case 'renameColumn': {
        const from = str(action.args[0]);
        const to = str(action.args[1]);
        if (from === undefined || to === undefined) return undefined;
        out.push(`ALTER TABLE ${qualified} RENAME COLUMN ${ident(from)} TO ${ident(to)}`);
        break;
      }
      case 'renameTo': {
        const to = str(action.args[0]);
        if (to === undefined) return undefined;
        out.push(`ALTER TABLE ${qualified} RENAME TO ${ident(to)}`);
        break;
      }
      case 'addPrimaryKeyConstraint':
      case 'addUniqueConstraint':
      case 'addForeignKeyConstraint': {
        const con = tableConstraint(action, modifiers, consts, schema);
        if (con === undefined) return undefined;
        out.push(`ALTER TABLE ${qualified} ADD ${con}`);
        break;
      }
      case 'dropConstraint': {
        const n = str(action.args[0]);
        if (n === undefined) return undefined;
        out.push(`ALTER TABLE ${qualified} DROP CONSTRAINT ${has(modifiers, 'ifExists') ? 'IF EXISTS ' : ''}${ident(n)}${has(modifiers, 'cascade') ? ' CASCADE' : ''}`);
        break;
      }
      case 'renameConstraint': {
        const from = str(action.args[0]);
        const to = str(action.args[1]);
        if (from === undefined || to === undefined) return undefined;
        out.push(`ALTER TABLE ${qualified} RENAME CONSTRAINT ${ident(from)} TO ${ident(to)}`);
        break;
      }
      case 'addIndex': {
        const n = str(action.args[0]);
        if (n === undefined) return undefined;
        const index = indexSql(n, qualified, modifiers, names, consts);
        if (index === undefined) return undefined;
        out.push(index);
        break;
      }
      case 'dropIndex': {
        const n = str(action.args[0]);
        if (n === undefined) return undefined;
        out.push(`DROP INDEX ${ident(n)}`);
        break;
      }
      case 'setSchema':
        // The table leaves for another schema: Shipshape cannot follow it with certainty.
        return undefined;
      default:
        // alterColumn (type, default, NOT NULL), addCheckConstraint: no index or key changes.
        break;
    }
  }
  return out.join(';\n');
}

function createIndex(name: string, calls: ChainCall[], q: (t: string) => string, names: KyselyNames, consts: Map<string, string>): string | undefined {
  const on = calls.find((c) => c.method === 'on');
  const table = on?.args[0] ? foldString(on.args[0], consts) : undefined;
  if (table === undefined) return undefined;
  const index = indexSql(name, q(table), calls.filter((c) => c !== on), names, consts);
  // Kysely names the index as written; a schema-qualified table puts it in that schema anyway.
  return index;
}

const INDEX_MODIFIERS = new Set(['column', 'columns', 'expression', 'unique', 'using', 'where', 'ifNotExists', 'nullsNotDistinct', 'on']);

/**
 * CREATE INDEX from `.column('a')`, `.columns(['a', 'b desc'])`, `.expression(sql\`…\`)`,
 * `.unique()`, `.using('gin')`, `.ifNotExists()`, `.where('c', '=', literal)` / `.where(sql\`…\`)`.
 * A predicate Shipshape cannot read (a callback, a value only known at run time) leaves the
 * index out: written without it, a partial index would pass for a full one.
 */
function indexSql(name: string, qualifiedTable: string, calls: ChainCall[], names: KyselyNames, consts: Map<string, string>): string | undefined {
  if (calls.some((c) => !INDEX_MODIFIERS.has(c.method))) return undefined;
  const keys: string[] = [];
  const wheres: string[] = [];
  let method: string | undefined;
  for (const c of calls) {
    switch (c.method) {
      case 'column':
      case 'columns': {
        const cols = c.method === 'column' ? (c.args[0] ? [foldString(c.args[0], consts)] : []) : strings(c.args[0], consts) ?? [undefined];
        for (const col of cols) {
          const m = col === undefined ? null : /^\s*([\w.$"]+?)(?:\s+(asc|desc))?\s*$/i.exec(col);
          if (!m) return undefined;
          keys.push(`${ident(m[1].replace(/"/g, ''))}${m[2] ? ` ${m[2].toUpperCase()}` : ''}`);
        }
        break;
      }
      case 'expression': {
        const e = c.args[0] ? unwrap(c.args[0]) : undefined;
        const text = e && ts.isTaggedTemplateExpression(e) && ts.isIdentifier(e.tag) && names.sql.has(e.tag.text) ? foldKyselySql(e, names, consts) : undefined;
        if (text === undefined || /\$\d/.test(text)) return undefined;
        keys.push(text);
        break;
      }
      case 'using': {
        method = c.args[0] ? foldString(c.args[0], consts) : undefined;
        if (method === undefined || !/^\w+$/.test(method)) return undefined;
        break;
      }
      case 'where': {
        const w = indexPredicate(c.args, names, consts);
        if (w === undefined) return undefined;
        wheres.push(w);
        break;
      }
      default:
        break;
    }
  }
  if (keys.length === 0) return undefined;
  const unique = calls.some((c) => c.method === 'unique');
  const ifNotExists = calls.some((c) => c.method === 'ifNotExists');
  const nulls = calls.some((c) => c.method === 'nullsNotDistinct') ? ' NULLS NOT DISTINCT' : '';
  const where = wheres.length ? ` WHERE ${wheres.map((w) => `(${w})`).join(' AND ')}` : '';
  return `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${ifNotExists ? 'IF NOT EXISTS ' : ''}${ident(name)} ON ${qualifiedTable}${method ? ` USING ${method}` : ''} (${keys.join(', ')})${nulls}${where}`;
}

const PREDICATE_OPS = /^(=|<>|!=|<|<=|>|>=|is|is not|like|not like|ilike|in|not in)$/i;

/** `.where('c', '=', 'x')`, `.where('c', 'is not', null)`, `.where(sql\`…\`)`: the predicate's SQL. */
function indexPredicate(args: readonly ts.Expression[], names: KyselyNames, consts: Map<string, string>): string | undefined {
  if (args.length === 1) {
    const e = unwrap(args[0]);
    if (ts.isTaggedTemplateExpression(e) && ts.isIdentifier(e.tag) && names.sql.has(e.tag.text)) {
      const text = foldKyselySql(e, names, consts);
      return text === undefined || /\$\d/.test(text) ? undefined : text;
    }
    return undefined;
  }
  if (args.length !== 3) return undefined;
  const col = foldString(args[0], consts);
  const op = foldString(args[1], consts);
  if (col === undefined || op === undefined || !PREDICATE_OPS.test(op)) return undefined;
  const value = literalValue(args[2], consts);
  if (value === undefined) return undefined;
  return `${qualifiedIdent(col)} ${op} ${value}`;
}

/** Kysely inlines index predicate values (no parameters in DDL): literals only. */
function literalValue(arg: ts.Expression, consts: Map<string, string>): string | undefined {
  const e = unwrap(arg);
  if (e.kind === ts.SyntaxKind.NullKeyword) return 'NULL';
  if (e.kind === ts.SyntaxKind.TrueKeyword) return 'true';
  if (e.kind === ts.SyntaxKind.FalseKeyword) return 'false';
  if (ts.isNumericLiteral(e)) return e.text;
  if (ts.isArrayLiteralExpression(e)) {
    const items = e.elements.map((x) => literalValue(x, consts));
    return items.some((x) => x === undefined) || items.length === 0 ? undefined : `(${items.join(', ')})`;
  }
  const s = foldString(e, consts);
  return s === undefined ? undefined : `'${s.replace(/'/g, "''")}'`;
}
