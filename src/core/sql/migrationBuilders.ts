/**
 * Schema-builder calls in TypeORM and node-pg-migrate migrations, turned into the SQL their tools
 * run (tsMigrations.ts reads the migration's `up`; this file knows the two builder APIs):
 *
 * - TypeORM: `queryRunner.createTable(new Table({ name, columns, indices, foreignKeys, uniques }))`,
 *   `createIndex(t, new TableIndex({ columnNames, isUnique, name }))`,
 *   `createForeignKey(s)(t, new TableForeignKey({ columnNames, referencedTableName, referencedColumnNames }))`,
 *   `addColumn(t, new TableColumn({…}))`, `createUniqueConstraint(t, new TableUnique({ columnNames }))`.
 * - node-pg-migrate: `pgm.createTable(t, { col: 'id' | { type, primaryKey, unique, references } }, { constraints })`,
 *   `pgm.createIndex/addIndex(t, cols, { name, unique, method })`, `pgm.addColumns/addColumn(t, {…})`,
 *   `pgm.addConstraint(t, name, { foreignKeys, unique, primaryKey } | 'SQL')`, `pgm.dropConstraint(t, name)`.
 * - Sequelize's queryInterface (the same vocabulary), `removeConstraint(t, name)`.
 *
 * Default names are the tools' own: TypeORM's hashed `PK_`/`FK_`/`IDX_`/`UQ_` names are replaced
 * by readable ones here only where TypeORM would hash (the names never decide coverage);
 * node-pg-migrate's are `<table>_<columns>_index`, `<table>_<columns>_unique_index`,
 * `<table>_fk_<column>`. A value the syntax does not give (a computed name) drops that call.
 */
import ts from 'typescript';
import { quoteIdent } from './ast';
import { propertyOf } from './ormSyntax';
import { foldString } from './tsMigrations';

type Consts = Map<string, string>;

/** SQL for a builder call on the migration's parameter (`queryRunner`, `pgm`), or undefined when it is not one. */
export function migrationBuilderSql(method: string, call: ts.CallExpression, consts: Consts): { style: 'typeorm' | 'node-pg-migrate' | 'sequelize'; sql: string } | undefined {
  const args = call.arguments.map((a) => localNew(a, call) ?? a);
  const typeormArg = args.find((a) => ts.isNewExpression(a) || (ts.isArrayLiteralExpression(a) && a.elements.some(ts.isNewExpression)));
  if (typeormArg || method === 'createForeignKeys') {
    const sql = typeormBuilderSql(method, args, consts);
    return sql === undefined ? undefined : { style: 'typeorm', sql };
  }
  // Sequelize's queryInterface speaks a near-identical vocabulary (`allowNull`, `references: { model, key }`).
  const sequelize = /\ballowNull\b|\bmodel\s*:|\bfields\s*:|\btransaction\b/.test(call.getText()) || (/^(addColumn|addIndex|removeIndex|renameColumn|removeColumn)$/.test(method) && (!!args[1] && ts.isStringLiteralLike(args[1]) || !!args[1] && ts.isArrayLiteralExpression(args[1]) && args.length === 2));
  const sql = pgmBuilderSql(method, args, consts, sequelize);
  return sql === undefined ? undefined : { style: sequelize ? 'sequelize' : 'node-pg-migrate', sql };
}

/** `const table = new Table({…}); await queryRunner.createTable(table)`: the `new` the identifier holds. */
function localNew(arg: ts.Expression, call: ts.CallExpression): ts.NewExpression | undefined {
  if (ts.isPropertyAccessExpression(arg) && arg.expression.kind === ts.SyntaxKind.ThisKeyword) {
    // `private tableForeignKey = new TableForeignKey({…})` … `createForeignKey('pet', this.tableForeignKey)`.
    const cls = ts.findAncestor(call, ts.isClassLike);
    const member = cls?.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === arg.name.text);
    return member?.initializer && ts.isNewExpression(member.initializer) ? member.initializer : undefined;
  }
  if (!ts.isIdentifier(arg)) return undefined;
  const fn = ts.findAncestor(call, (n) => ts.isFunctionLike(n));
  let found: ts.NewExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || n.pos >= call.pos) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === arg.text && n.initializer && ts.isNewExpression(n.initializer)) found = n.initializer;
    else ts.forEachChild(n, visit);
  };
  if (fn) visit(fn);
  return found;
}

// ---- TypeORM ------------------------------------------------------------------------------

function typeormBuilderSql(method: string, args: readonly ts.Expression[], consts: Consts): string | undefined {
  const str = (e: ts.Expression | undefined) => (e ? foldString(e, consts) : undefined);
  const tableName = (e: ts.Expression | undefined) => (e && ts.isNewExpression(e) ? str(prop(options(e), 'name')) : str(e));
  switch (method) {
    case 'createTable': {
      const o = args[0] && ts.isNewExpression(args[0]) ? options(args[0]) : undefined;
      const table = str(prop(o, 'name'));
      if (!o || !table) return '';
      const defs: string[] = [];
      const pk: string[] = [];
      for (const c of objects(prop(o, 'columns'))) {
        const name = str(prop(c, 'name'));
        if (!name) return '';
        const type = str(prop(c, 'type')) ?? 'text';
        defs.push(`${quoteIdent(name)} ${/^[a-z][a-z0-9 ]*$/.test(type) && type !== 'enum' ? type : 'text'}${isTrue(prop(c, 'isNullable')) ? '' : ' NOT NULL'}`);
        if (isTrue(prop(c, 'isPrimary'))) pk.push(name);
        if (isTrue(prop(c, 'isUnique'))) defs.push(`UNIQUE (${quoteIdent(name)})`);
      }
      if (pk.length) defs.push(`PRIMARY KEY (${pk.map(quoteIdent).join(', ')})`);
      for (const u of objects(prop(o, 'uniques'))) {
        const cols = strings(prop(u, 'columnNames'), consts);
        if (cols) defs.push(`UNIQUE (${cols.map(quoteIdent).join(', ')})`);
      }
      const after = [
        ...objects(prop(o, 'indices')).map((i) => typeormIndex(table, i, consts)),
        ...objects(prop(o, 'foreignKeys')).map((f) => typeormForeignKey(table, f, consts)),
      ].filter((s): s is string => !!s);
      return [`CREATE TABLE ${qualified(table)} (${defs.join(', ')})`, ...after].join(';\n');
    }
    case 'createIndex':
    case 'createUniqueConstraint': {
      const table = tableName(args[0]);
      const o = args[1] && ts.isNewExpression(args[1]) ? options(args[1]) : undefined;
      if (!table || !o) return '';
      return (method === 'createIndex' ? typeormIndex(table, o, consts) : typeormIndex(table, o, consts, true)) ?? '';
    }
    case 'createForeignKey':
    case 'createForeignKeys': {
      const table = tableName(args[0]);
      const list = args[1] && ts.isArrayLiteralExpression(args[1]) ? args[1].elements : args[1] ? [args[1]] : [];
      if (!table) return '';
      return list.flatMap((f) => (ts.isNewExpression(f) ? [typeormForeignKey(table, options(f)!, consts)] : [])).filter(Boolean).join(';\n');
    }
    case 'addColumn': {
      const table = tableName(args[0]);
      const o = args[1] && ts.isNewExpression(args[1]) ? options(args[1]) : undefined;
      const name = str(prop(o, 'name'));
      if (!table || !name) return '';
      return `ALTER TABLE ${qualified(table)} ADD COLUMN ${quoteIdent(name)} text${isTrue(prop(o, 'isUnique')) ? ' UNIQUE' : ''}`;
    }
    default:
      return undefined;
  }
}

function typeormIndex(table: string, o: ts.ObjectLiteralExpression | undefined, consts: Consts, unique = false): string | undefined {
  const cols = strings(prop(o, 'columnNames'), consts);
  if (!o || !cols) return undefined;
  const name = foldOrUndefined(prop(o, 'name'), consts) ?? `IDX_${table}_${cols.join('_')}`.slice(0, 63);
  return `CREATE ${unique || isTrue(prop(o, 'isUnique')) ? 'UNIQUE ' : ''}INDEX ${quoteIdent(name)} ON ${qualified(table)} (${cols.map(quoteIdent).join(', ')})`;
}

function typeormForeignKey(table: string, o: ts.ObjectLiteralExpression | undefined, consts: Consts): string | undefined {
  const cols = strings(prop(o, 'columnNames'), consts);
  const refs = strings(prop(o, 'referencedColumnNames'), consts);
  const target = foldOrUndefined(prop(o, 'referencedTableName'), consts);
  if (!o || !cols || !refs || !target) return undefined;
  const name = foldOrUndefined(prop(o, 'name'), consts) ?? `FK_${table}_${cols.join('_')}`.slice(0, 63);
  return `ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${quoteIdent(name)} FOREIGN KEY (${cols.map(quoteIdent).join(', ')}) REFERENCES ${qualified(target)} (${refs.map(quoteIdent).join(', ')})`;
}

// ---- node-pg-migrate ----------------------------------------------------------------------

function pgmBuilderSql(method: string, args: readonly ts.Expression[], consts: Consts, sequelize: boolean): string | undefined {
  const table = args[0] ? pgmTableName(args[0], consts) : undefined;
  switch (method) {
    case 'createTable': {
      const cols = args[1] && ts.isObjectLiteralExpression(args[1]) ? args[1] : undefined;
      if (!table || !cols) return '';
      const { defs, after } = pgmColumns(table, cols, consts);
      const constraints = args[2] && ts.isObjectLiteralExpression(args[2]) ? prop(args[2], 'constraints') : undefined;
      if (constraints && ts.isObjectLiteralExpression(constraints)) after.push(...pgmConstraints(table, undefined, constraints, consts));
      return [`CREATE TABLE ${qualified(table)} (${defs.join(', ')})`, ...after].join(';\n');
    }
    case 'addColumns':
    case 'addColumn':
    case 'changeColumn': {
      // Sequelize: `addColumn(table, name, attributes)`; node-pg-migrate: `addColumns(table, { name: attributes })`.
      if (args[1] && ts.isStringLiteralLike(args[1])) {
        const attrs = args[2] && ts.isObjectLiteralExpression(args[2]) ? args[2] : undefined;
        if (!table || !attrs) return '';
        const { defs, after } = pgmColumns(table, ts.factory.createObjectLiteralExpression([ts.factory.createPropertyAssignment(ts.factory.createStringLiteral(args[1].text), attrs)]), consts);
        // changeColumn keeps the column: only the constraints it adds matter here.
        return [...(method === 'changeColumn' ? [] : [`ALTER TABLE ${qualified(table)} ${defs.map((d) => `ADD COLUMN ${d}`).join(', ')}`]), ...after].join(';\n');
      }
      if (method === 'changeColumn') return '';
      const cols = args[1] && ts.isObjectLiteralExpression(args[1]) ? args[1] : undefined;
      if (!table || !cols) return '';
      const { defs, after } = pgmColumns(table, cols, consts);
      return [`ALTER TABLE ${qualified(table)} ${defs.map((d) => `ADD COLUMN ${d}`).join(', ')}`, ...after].join(';\n');
    }
    case 'createIndex':
    case 'addIndex': {
      // Sequelize: `addIndex(t, ['a'], { name, unique })` or `addIndex(t, { fields, name, unique, where })`.
      const sequelizeOptions = args[1] && ts.isObjectLiteralExpression(args[1]) ? args[1] : undefined;
      const colsArg = sequelizeOptions ? prop(sequelizeOptions, 'fields') : args[1];
      const cols = colsArg ? (ts.isArrayLiteralExpression(colsArg) ? indexFields(colsArg, consts) : foldOrUndefined(colsArg, consts)?.split(/\s*,\s*/)) : undefined;
      if (!table || !cols) return '';
      const o = sequelizeOptions ?? (args[2] && ts.isObjectLiteralExpression(args[2]) ? args[2] : undefined);
      // A partial index (`where`) the syntax cannot state: its predicate is unknown, so it is not applied.
      if (prop(o, 'where')) return '';
      const unique = isTrue(prop(o, 'unique')) || foldOrUndefined(prop(o, 'indicesType'), consts) === 'UNIQUE' || foldOrUndefined(prop(o, 'type'), consts)?.toUpperCase() === 'UNIQUE';
      const method = foldOrUndefined(prop(o, 'method') ?? prop(o, 'using'), consts);
      const bare = table.split('.').pop()!;
      const name = foldOrUndefined(prop(o, 'name') ?? prop(o, 'indexName'), consts) ?? (sequelize || sequelizeOptions ? sequelizeIndexName(bare, cols) : `${bare}_${cols.join('_')}${unique ? '_unique' : ''}_index`);
      return `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(name)} ON ${qualified(table)}${method ? ` USING ${method}` : ''} (${cols.map((c) => (/^[\w]+$/.test(c) ? quoteIdent(c) : c)).join(', ')})`;
    }
    case 'removeIndex':
    case 'dropIndex': {
      const byName = args[1] ? foldOrUndefined(args[1], consts) : undefined;
      const fields = args[1] && ts.isArrayLiteralExpression(args[1]) ? indexFields(args[1], consts) : undefined;
      const o = args[2] && ts.isObjectLiteralExpression(args[2]) ? args[2] : undefined;
      const bare = table?.split('.').pop();
      const name = foldOrUndefined(prop(o, 'name'), consts) ?? byName ?? (fields && bare ? sequelizeIndexName(bare, fields) : undefined);
      return name ? `DROP INDEX IF EXISTS ${quoteIdent(name)}` : '';
    }
    case 'renameColumn': {
      const from = args[1] ? foldOrUndefined(args[1], consts) : undefined;
      const to = args[2] ? foldOrUndefined(args[2], consts) : undefined;
      return table && from && to ? `ALTER TABLE ${qualified(table)} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(to)}` : '';
    }
    case 'renameTable': {
      const to = args[1] ? pgmTableName(args[1], consts) : undefined;
      return table && to ? `ALTER TABLE ${qualified(table)} RENAME TO ${quoteIdent(to.split('.').pop()!)}` : '';
    }
    case 'removeColumn':
    case 'dropColumn':
    case 'dropColumns': {
      const cols = args[1] ? (ts.isArrayLiteralExpression(args[1]) ? strings(args[1], consts) : foldOrUndefined(args[1], consts)?.split(/\s*,\s*/)) : undefined;
      return table && cols ? `ALTER TABLE ${qualified(table)} ${cols.map((c) => `DROP COLUMN IF EXISTS ${quoteIdent(c)}`).join(', ')}` : '';
    }
    case 'dropTable':
      return table ? `DROP TABLE IF EXISTS ${qualified(table)}` : '';
    case 'removeConstraint':
    case 'dropConstraint':
    case 'dropForeignKey':
    case 'dropUniqueConstraint': {
      // Sequelize `removeConstraint(t, name)`, node-pg-migrate `dropConstraint(t, name)`, TypeORM
      // `dropForeignKey(t, name)`: without them a constraint dropped and re-added under the same
      // name would stay in the schema twice (and a dropped foreign key would still be reported).
      const name = args[1] ? foldOrUndefined(args[1], consts) : undefined;
      return table && name ? `ALTER TABLE ${qualified(table)} DROP CONSTRAINT IF EXISTS ${quoteIdent(name)}` : '';
    }
    case 'addConstraint': {
      if (args[1] && ts.isObjectLiteralExpression(args[1])) return table ? sequelizeConstraint(table, args[1], consts) : '';
      const name = args[1] ? foldOrUndefined(args[1], consts) : undefined;
      const spec = args[2];
      if (!table || !spec) return '';
      const text = foldOrUndefined(spec, consts);
      if (text !== undefined) return `ALTER TABLE ${qualified(table)} ADD ${name ? `CONSTRAINT ${quoteIdent(name)} ` : ''}${text}`;
      return ts.isObjectLiteralExpression(spec) ? pgmConstraints(table, name, spec, consts).join(';\n') : '';
    }
    default:
      return undefined;
  }
}

/** `'users'`, `{ schema: 's', name: 'users' }`. */
function pgmTableName(e: ts.Expression, consts: Consts): string | undefined {
  if (ts.isObjectLiteralExpression(e)) {
    const name = foldOrUndefined(prop(e, 'name'), consts);
    const schema = foldOrUndefined(prop(e, 'schema'), consts);
    return name ? (schema ? `${schema}.${name}` : name) : undefined;
  }
  return foldOrUndefined(e, consts);
}

function pgmColumns(table: string, cols: ts.ObjectLiteralExpression, consts: Consts): { defs: string[]; after: string[] } {
  const defs: string[] = [];
  const after: string[] = [];
  const bare = table.split('.').pop()!;
  for (const p of cols.properties) {
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) continue;
    const col = p.name.text;
    const shorthand = foldOrUndefined(p.initializer, consts);
    if (shorthand === 'id') {
      defs.push(`${quoteIdent(col)} serial PRIMARY KEY`);
      continue;
    }
    if (shorthand !== undefined) {
      defs.push(`${quoteIdent(col)} ${safeType(shorthand)}`);
      continue;
    }
    if (!ts.isObjectLiteralExpression(p.initializer)) continue;
    const o = p.initializer;
    let def = `${quoteIdent(col)} ${safeType(foldOrUndefined(prop(o, 'type'), consts) ?? 'text')}`;
    if (isTrue(prop(o, 'notNull')) || prop(o, 'allowNull')?.kind === ts.SyntaxKind.FalseKeyword) def += ' NOT NULL';
    if (isTrue(prop(o, 'primaryKey'))) def += ' PRIMARY KEY';
    if (isTrue(prop(o, 'unique'))) def += ' UNIQUE';
    defs.push(def);
    const ref = pgmReference(prop(o, 'references'), consts);
    // node-pg-migrate names it `<table>_fk_<column>`; Sequelize leaves it to PostgreSQL (`<table>_<column>_fkey`).
    const fkName = ts.isObjectLiteralExpression(prop(o, 'references') ?? o) && prop(prop(o, 'references') as ts.ObjectLiteralExpression, 'model') ? `${bare}_${col}_fkey` : `${bare}_fk_${col}`;
    if (ref) after.push(`ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${quoteIdent(fkName)} FOREIGN KEY (${quoteIdent(col)}) REFERENCES ${ref}`);
  }
  return { defs, after };
}

/** `'users'`, `'"users"'`, `'users(id)'`, `{ name: 'users' }` → `users` / `users (id)`. */
function pgmReference(e: ts.Expression | undefined, consts: Consts): string | undefined {
  if (!e) return undefined;
  if (ts.isObjectLiteralExpression(e) && prop(e, 'model')) {
    // Sequelize: `references: { model: 'teams' | { tableName }, key: 'id' }`.
    const model = prop(e, 'model')!;
    const target = ts.isObjectLiteralExpression(model) ? foldOrUndefined(prop(model, 'tableName'), consts) : foldOrUndefined(model, consts);
    const key = foldOrUndefined(prop(e, 'key'), consts) ?? 'id';
    return target ? `${qualified(target)} (${quoteIdent(key)})` : undefined;
  }
  const text = ts.isObjectLiteralExpression(e) ? pgmTableName(e, consts) : foldOrUndefined(e, consts);
  if (!text) return undefined;
  const m = /^\s*("?[\w.]+"?(?:\."?\w+"?)?)\s*(\(([^)]*)\))?\s*$/.exec(text);
  if (!m) return undefined;
  const target = m[1].replace(/"/g, '');
  return `${qualified(target)}${m[3] ? ` (${m[3].split(',').map((c) => quoteIdent(c.trim().replace(/"/g, ''))).join(', ')})` : ''}`;
}

function pgmConstraints(table: string, name: string | undefined, o: ts.ObjectLiteralExpression, consts: Consts): string[] {
  const out: string[] = [];
  const bare = table.split('.').pop()!;
  const cols = (e: ts.Expression | undefined) => (e ? (ts.isArrayLiteralExpression(e) ? strings(e, consts) : foldOrUndefined(e, consts)?.split(/\s*,\s*/)) : undefined);
  const named = (fallback: string) => quoteIdent(name ?? fallback);
  const pk = cols(prop(o, 'primaryKey'));
  if (pk) out.push(`ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${named(`${bare}_pkey`)} PRIMARY KEY (${pk.map(quoteIdent).join(', ')})`);
  const unique = prop(o, 'unique');
  const uniqueSets = unique && ts.isArrayLiteralExpression(unique) && unique.elements.every(ts.isArrayLiteralExpression) ? unique.elements.map((x) => cols(x)) : [cols(unique)];
  for (const u of uniqueSets) if (u) out.push(`ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${named(`${bare}_uniq_${u.join('_')}`)} UNIQUE (${u.map(quoteIdent).join(', ')})`);
  const fks = prop(o, 'foreignKeys');
  for (const fk of fks && ts.isArrayLiteralExpression(fks) ? fks.elements : fks ? [fks] : []) {
    if (!ts.isObjectLiteralExpression(fk)) continue;
    const c = cols(prop(fk, 'columns'));
    const ref = pgmReference(prop(fk, 'references'), consts);
    if (c && ref) out.push(`ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${named(`${bare}_fk_${c.join('_')}`)} FOREIGN KEY (${c.map(quoteIdent).join(', ')}) REFERENCES ${ref}`);
  }
  return out;
}

/** Sequelize `addConstraint(t, { fields, type: 'foreign key' | 'unique' | 'primary key', name, references: { table, field } })`. */
function sequelizeConstraint(table: string, o: ts.ObjectLiteralExpression, consts: Consts): string {
  const fields = strings(prop(o, 'fields'), consts);
  const type = foldOrUndefined(prop(o, 'type'), consts)?.toLowerCase();
  if (!fields || !type) return '';
  const bare = table.split('.').pop()!;
  const cols = fields.map(quoteIdent).join(', ');
  const name = (fallback: string) => quoteIdent(foldOrUndefined(prop(o, 'name'), consts) ?? fallback);
  if (type === 'unique') return `ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${name(`${bare}_${fields.join('_')}_uk`)} UNIQUE (${cols})`;
  if (type === 'primary key') return `ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${name(`${bare}_pkey`)} PRIMARY KEY (${cols})`;
  if (type === 'foreign key') {
    const refs = prop(o, 'references');
    const target = refs && ts.isObjectLiteralExpression(refs) ? foldOrUndefined(prop(refs, 'table'), consts) : undefined;
    const field = refs && ts.isObjectLiteralExpression(refs) ? foldOrUndefined(prop(refs, 'field'), consts) : undefined;
    if (!target || !field) return '';
    return `ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${name(`${bare}_${fields.join('_')}_${target}_fk`)} FOREIGN KEY (${cols}) REFERENCES ${qualified(target)} (${quoteIdent(field)})`;
  }
  return '';
}

/** Sequelize's default index name: `Utils.underscore(table + '_' + fields.join('_'))` (`documents_collection_id`). */
function sequelizeIndexName(table: string, fields: string[]): string {
  return `${table}_${fields.join('_')}`.replace(/([a-z\d])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Index fields: names, or `{ name|attribute, order }` objects (Sequelize); an expression (`fn(…)`) makes the list unknown. */
function indexFields(list: ts.ArrayLiteralExpression, consts: Consts): string[] | undefined {
  const out: string[] = [];
  for (const e of list.elements) {
    const name = ts.isObjectLiteralExpression(e) ? foldOrUndefined(prop(e, 'name') ?? prop(e, 'attribute'), consts) : foldString(e, consts);
    if (name === undefined) return undefined;
    out.push(name);
  }
  return out.length ? out : undefined;
}

function safeType(t: string): string {
  return /^[a-z][a-z0-9 ]*(\(\d+(,\s*\d+)?\))?(\[\])?$/i.test(t) ? t : 'text';
}

// ---- syntax ---------------------------------------------------------------------------------

function options(e: ts.NewExpression): ts.ObjectLiteralExpression | undefined {
  const a = e.arguments?.[0];
  return a && ts.isObjectLiteralExpression(a) ? a : undefined;
}

function objects(e: ts.Expression | undefined): ts.ObjectLiteralExpression[] {
  if (!e || !ts.isArrayLiteralExpression(e)) return [];
  return e.elements.flatMap((x) => (ts.isObjectLiteralExpression(x) ? [x] : ts.isNewExpression(x) && options(x) ? [options(x)!] : []));
}

function strings(e: ts.Expression | undefined, consts: Consts): string[] | undefined {
  if (!e || !ts.isArrayLiteralExpression(e)) return undefined;
  const out = e.elements.map((x) => foldString(x, consts));
  return out.every((x): x is string => x !== undefined) && out.length ? out : undefined;
}

function foldOrUndefined(e: ts.Expression | undefined, consts: Consts): string | undefined {
  return e ? foldString(e, consts) : undefined;
}

function prop(o: ts.ObjectLiteralExpression | undefined, name: string): ts.Expression | undefined {
  return o ? propertyOf(o, name) : undefined;
}

function isTrue(e: ts.Expression | undefined): boolean {
  return e?.kind === ts.SyntaxKind.TrueKeyword;
}

function qualified(name: string): string {
  return name.split('.').map(quoteIdent).join('.');
}
