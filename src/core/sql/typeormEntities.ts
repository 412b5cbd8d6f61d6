/**
 * TypeORM entities read from their decorators: the table an entity class maps to, the column
 * each property maps to, and — for projects whose schema TypeORM synchronises from the entities
 * (`synchronize: true`, no migrations) — the SQL TypeORM would run for them.
 *
 * Names follow TypeORM's DefaultNamingStrategy (typeorm/src/naming-strategy/DefaultNamingStrategy.ts):
 * a table is `@Entity('name')`/`@Entity({ name })`, else the class name in snake_case
 * (`UserProfile` → `user_profile`); a column is `@Column({ name })`, else the property name as
 * written (`firstName`); a relation's join column is `@JoinColumn({ name })`, else the relation
 * name + the referenced column in camelCase (`author` → `authorId`); constraint and index names
 * are TypeORM's hashed `PK_`/`UQ_`/`REL_`/`FK_`/`IDX_` names. A project that sets its own
 * `namingStrategy` may name things differently: a column the schema does not know is then left
 * alone by the query analysis (projectQueries.ts), never guessed.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import ts from 'typescript';
import type { Range } from '../finding';
import { quoteIdent } from './ast';
import type { MigrationStatement } from './migrations';
import { generatedStatements } from './prismaSchema';
import { COLUMN_DECORATORS, ColumnDecoratorStandIns, moduleCandidates, topLevelFunction, type ColumnDecoratorStandIn, type ModuleResolver } from './typeormDecorators';

export interface TypeormColumn {
  property: string;
  column: string;
  type: string;
  primary: boolean;
  nullable: boolean;
  unique: boolean;
  /** `@Index()` on the property. */
  index?: { name?: string; unique: boolean };
  node: ts.Node;
}

export interface TypeormRelation {
  property: string;
  kind: 'many-to-one' | 'one-to-one';
  /** The target entity's class name (`() => User`). */
  target: string;
  /** Explicit join columns (`@JoinColumn({ name, referencedColumnName })`); absent = TypeORM's default. */
  joinColumns: Array<{ name?: string; referenced?: string }>;
  /** The owning side of a one-to-one has `@JoinColumn`; only the owner has a column. */
  owner: boolean;
  /** `@Index()` on the relation property: TypeORM indexes its join column(s). */
  index?: { name?: string; unique: boolean };
  node: ts.Node;
}

export interface TypeormEntity {
  className: string;
  table: string;
  schema?: string;
  columns: TypeormColumn[];
  relations: TypeormRelation[];
  /** `@Index([...])` / `@Unique([...])` on the class: property (or column) names. */
  classIndexes: Array<{ name?: string; properties: string[]; unique: boolean; constraint: boolean; node: ts.Node }>;
  node: ts.ClassDeclaration;
}

/** The TypeORM column decorator a project decorator on a property stands for (typeormDecorators.ts). */
export type StandInOf = (decorator: ts.Decorator) => ColumnDecoratorStandIn | undefined;

/** TypeORM's `snakeCase` (typeorm/src/util/StringUtils.ts). */
export function typeormSnakeCase(s: string): string {
  return s
    .replace(/([A-Z])([A-Z])([a-z])/g, '$1_$2$3')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The decorator `name(…)` on a node, by the name it is called with. */
function decorators(node: ts.Node): Array<{ name: string; args: readonly ts.Expression[]; node: ts.Decorator }> {
  if (!ts.canHaveDecorators(node)) return [];
  return (ts.getDecorators(node) ?? []).flatMap((d): Array<{ name: string; args: readonly ts.Expression[]; node: ts.Decorator }> => {
    const e = d.expression;
    if (ts.isCallExpression(e)) {
      const callee = ts.isPropertyAccessExpression(e.expression) ? e.expression.name : e.expression;
      return ts.isIdentifier(callee) ? [{ name: callee.text, args: e.arguments, node: d }] : [];
    }
    return ts.isIdentifier(e) ? [{ name: e.text, args: [], node: d }] : [];
  });
}

/** Is this class a TypeORM entity (`@Entity(…)`)? */
export function isEntityClass(node: ts.Node): node is ts.ClassDeclaration {
  return ts.isClassDeclaration(node) && decorators(node).some((d) => d.name === 'Entity');
}

/**
 * The entity a class declares, with the columns it inherits from its base classes (an abstract
 * `BaseEntity` holding `id`/`createdAt` is common); `baseOf` finds a base class's declaration.
 */
export function readEntity(node: ts.ClassDeclaration, baseOf: (cls: ts.ClassDeclaration) => ts.ClassDeclaration | undefined, standInOf?: StandInOf): TypeormEntity | undefined {
  const entity = decorators(node).find((d) => d.name === 'Entity');
  if (!entity || !node.name) return undefined;
  const [a0, a1] = entity.args;
  const options = a0 && ts.isObjectLiteralExpression(a0) ? a0 : a1 && ts.isObjectLiteralExpression(a1) ? a1 : undefined;
  const explicit = a0 && ts.isStringLiteralLike(a0) ? a0.text : options ? stringOption(options, 'name') : undefined;
  const out: TypeormEntity = {
    className: node.name.text,
    table: explicit ?? typeormSnakeCase(node.name.text),
    schema: options ? stringOption(options, 'schema') : undefined,
    columns: [],
    relations: [],
    classIndexes: [],
    node,
  };
  const chain: ts.ClassDeclaration[] = [];
  for (let c: ts.ClassDeclaration | undefined = node; c && chain.length < 8 && !chain.includes(c); c = baseOf(c)) chain.unshift(c);
  for (const cls of chain) readMembers(cls, out, standInOf);
  for (const d of decorators(node)) {
    if (d.name !== 'Index' && d.name !== 'Unique') continue;
    const name = d.args[0] && ts.isStringLiteralLike(d.args[0]) ? d.args[0].text : undefined;
    const list = d.args.find((a) => ts.isArrayLiteralExpression(a)) as ts.ArrayLiteralExpression | undefined;
    if (!list) continue;
    const properties = list.elements.flatMap((e) => (ts.isStringLiteralLike(e) ? [e.text] : []));
    if (properties.length !== list.elements.length) continue;
    const opts = d.args.find((a) => ts.isObjectLiteralExpression(a)) as ts.ObjectLiteralExpression | undefined;
    out.classIndexes.push({ name, properties, unique: d.name === 'Unique' || (!!opts && booleanOption(opts, 'unique')), constraint: d.name === 'Unique', node: d.node });
  }
  return out;
}

function readMembers(cls: ts.ClassDeclaration, out: TypeormEntity, standInOf: StandInOf | undefined): void {
  for (const member of cls.members) {
    if (!ts.isPropertyDeclaration(member) || !member.name || !(ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) continue;
    const property = member.name.text;
    const decs = decorators(member);
    const col = decs.find((d) => COLUMN_DECORATORS.has(d.name)) ?? standInColumn(decs, standInOf);
    const index = decs.find((d) => d.name === 'Index');
    const indexOpts = index?.args.find((a) => ts.isObjectLiteralExpression(a)) as ts.ObjectLiteralExpression | undefined;
    const indexInfo = index ? { name: index.args[0] && ts.isStringLiteralLike(index.args[0]) ? index.args[0].text : undefined, unique: !!indexOpts && booleanOption(indexOpts, 'unique') } : undefined;
    if (col) {
      const opts = col.args.find((a) => ts.isObjectLiteralExpression(a)) as ts.ObjectLiteralExpression | undefined;
      // A stand-in's own options at the property (`@EntityId({ nullable: true })`) are what it passes on.
      const siteOpts = ('siteArgs' in col ? col.siteArgs : undefined)?.find((a) => ts.isObjectLiteralExpression(a)) as ts.ObjectLiteralExpression | undefined;
      const flag = (key: string) => (!!opts && booleanOption(opts, key)) || (!!siteOpts && booleanOption(siteOpts, key));
      const typeArg = col.args[0] && ts.isStringLiteralLike(col.args[0]) ? col.args[0].text : opts ? stringOption(opts, 'type') : undefined;
      const primary = col.name.startsWith('Primary') || flag('primary');
      const existing = out.columns.findIndex((c) => c.property === property);
      const column: TypeormColumn = {
        property,
        column: (opts && stringOption(opts, 'name')) ?? (siteOpts && stringOption(siteOpts, 'name')) ?? property,
        type: sqlType(col.name, typeArg),
        primary,
        nullable: !primary && flag('nullable'),
        unique: flag('unique'),
        index: indexInfo,
        node: member,
      };
      if (existing >= 0) out.columns[existing] = column;
      else out.columns.push(column);
      continue;
    }
    const rel = decs.find((d) => d.name === 'ManyToOne' || d.name === 'OneToOne');
    if (!rel) continue;
    const target = targetName(rel.args[0]);
    if (!target) continue;
    const join = decs.find((d) => d.name === 'JoinColumn');
    const joinArg = join?.args[0];
    const joinList = joinArg && ts.isArrayLiteralExpression(joinArg) ? joinArg.elements : joinArg ? [joinArg] : [];
    const joinColumns = joinList.flatMap((j) => (ts.isObjectLiteralExpression(j) ? [{ name: stringOption(j, 'name'), referenced: stringOption(j, 'referencedColumnName') }] : []));
    out.relations.push({ property, kind: rel.name === 'ManyToOne' ? 'many-to-one' : 'one-to-one', target, joinColumns, owner: rel.name === 'ManyToOne' || !!join, index: indexInfo, node: member });
  }
}

/** The first decorator of a property that stands for a TypeORM column decorator, read as that one. */
function standInColumn(decs: ReturnType<typeof decorators>, standInOf: StandInOf | undefined): { name: string; args: readonly ts.Expression[]; siteArgs: readonly ts.Expression[] } | undefined {
  if (!standInOf) return undefined;
  for (const d of decs) {
    const s = standInOf(d.node);
    if (s) return { name: s.decorator, args: s.args, siteArgs: d.args };
  }
  return undefined;
}

/** `() => User` / `'User'` / `type => User`. */
function targetName(arg: ts.Expression | undefined): string | undefined {
  if (!arg) return undefined;
  if (ts.isStringLiteralLike(arg)) return arg.text;
  if ((ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) && ts.isIdentifier(arg.body)) return arg.body.text;
  return undefined;
}

function sqlType(decorator: string, declared: string | undefined): string {
  if (decorator === 'PrimaryGeneratedColumn') return declared === 'uuid' ? 'uuid' : 'integer';
  if (decorator.endsWith('DateColumn')) return 'timestamp';
  if (decorator === 'VersionColumn') return 'integer';
  // Enum and `simple-*` types are TypeORM's own; the type never matters for coverage.
  return declared && /^[a-z][a-z0-9 ]*$/.test(declared) && !/^(enum|simple|set)/.test(declared) ? declared : 'text';
}

export function stringOption(obj: ts.ObjectLiteralExpression, key: string): string | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === key && ts.isStringLiteralLike(p.initializer)) return p.initializer.text;
  }
  return undefined;
}

function booleanOption(obj: ts.ObjectLiteralExpression, key: string): boolean {
  return obj.properties.some((p) => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === key && p.initializer.kind === ts.SyntaxKind.TrueKeyword);
}

/** The column a property maps to (a relation's name means its join column). */
export function columnOfProperty(entity: TypeormEntity, property: string, all?: ReadonlyMap<string, TypeormEntity>): string | undefined {
  const col = entity.columns.find((c) => c.property === property);
  if (col) return col.column;
  const rel = entity.relations.find((r) => r.property === property && r.owner);
  return rel ? joinColumnsOf(rel, all?.get(rel.target))[0]?.column : undefined;
}

/** A relation's join columns and the columns they reference. */
export function joinColumnsOf(rel: TypeormRelation, target: TypeormEntity | undefined): Array<{ column: string; references: string }> {
  const pk = target?.columns.filter((c) => c.primary) ?? [];
  const specs = rel.joinColumns.length ? rel.joinColumns : [{}];
  return specs.map((j, i) => {
    const referencedProperty = j.referenced ?? pk[i]?.property ?? 'id';
    const references = target?.columns.find((c) => c.property === referencedProperty)?.column ?? referencedProperty;
    // DefaultNamingStrategy.joinColumnName: camelCase(relationName + "_" + referencedColumnName).
    return { column: j.name ?? rel.property + references.charAt(0).toUpperCase() + references.slice(1), references };
  });
}

/** TypeORM's hashed constraint names (DefaultNamingStrategy): `PK_` + sha1(`table_cols`)[0..27]. */
function hashedName(prefix: string, table: string, columns: string[], length: number): string {
  const key = `${table.replace('.', '_')}_${[...columns].sort().join('_')}`;
  return prefix + createHash('sha1').update(key).digest('hex').slice(0, length);
}

/** Every entity class of a file (syntax only). */
export function entityClassesOf(sf: ts.SourceFile): ts.ClassDeclaration[] {
  return sf.statements.filter(isEntityClass);
}

/** Where the schema reader finds the files an entity file imports (base classes, decorator modules). */
export interface EntityFileAccess {
  /** The text of a project file, read on demand. */
  read(file: string): string | undefined;
  /** Files that may apply TypeORM column decorators by code (typeormDecorators.ts DEFERRED_COLUMN_APPLICATION). */
  applicationFiles?: ReadonlyArray<{ file: string; text: string }>;
}

/**
 * The SQL TypeORM's schema synchronisation runs for the entities of these files, placed on the
 * declarations (the class for its table, the relation property for its foreign key). Base
 * classes and project column decorators are followed through the files' relative imports.
 */
export function typeormEntitySchema(files: ReadonlyArray<{ file: string; text: string }>, access?: EntityFileAccess): MigrationStatement[] {
  const parsed = new Map<string, ts.SourceFile | undefined>();
  const parse = (file: string, text: string) => {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    parsed.set(path.resolve(file), sf);
    return sf;
  };
  const sources = files.map((f) => ({ file: f.file, sf: parse(f.file, f.text) }));
  const applications = (access?.applicationFiles ?? []).map((f) => parsed.get(path.resolve(f.file)) ?? parse(f.file, f.text));
  const sourceOf = (file: string): ts.SourceFile | undefined => {
    const key = path.resolve(file);
    if (parsed.has(key)) return parsed.get(key);
    const text = /\.tsx?$/.test(file) ? access?.read(file) : undefined;
    return text === undefined ? (parsed.set(key, undefined), undefined) : parse(file, text);
  };
  const resolve: ModuleResolver = (from, specifier) => {
    for (const candidate of moduleCandidates(from.fileName, specifier)) {
      const sf = sourceOf(candidate);
      if (sf) return sf;
    }
    return undefined;
  };
  const standIns = new ColumnDecoratorStandIns(applications, resolve);
  const classes = new Map<string, ts.ClassDeclaration>();
  for (const { sf } of sources) {
    for (const st of sf.statements) if (ts.isClassDeclaration(st) && st.name) classes.set(st.name.text, st);
  }
  // Base classes through the file's imports, else by name across the entity files (no checker here).
  const baseOf = (cls: ts.ClassDeclaration) => {
    const ext = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (!ext || !ts.isIdentifier(ext)) return undefined;
    const found = declarationOf(cls.getSourceFile(), ext.text, resolve, (sf, name) => sf.statements.find((st): st is ts.ClassDeclaration => ts.isClassDeclaration(st) && st.name?.text === name));
    return found ?? classes.get(ext.text);
  };
  const standInOf: StandInOf = (d) => {
    const e = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
    if (!ts.isIdentifier(e)) return undefined;
    let out: ColumnDecoratorStandIn | undefined;
    declarationOf(d.getSourceFile(), e.text, resolve, (sf, name) => (topLevelFunction(sf, name) ? ((out = standIns.of(sf, name)), true) : undefined));
    return out;
  };
  const entities = new Map<string, { entity: TypeormEntity; file: string; sf: ts.SourceFile }>();
  for (const { file, sf } of sources) {
    for (const cls of entityClassesOf(sf)) {
      const entity = readEntity(cls, baseOf, standInOf);
      if (entity) entities.set(entity.className, { entity, file, sf });
    }
  }
  const byClass = new Map([...entities].map(([k, v]) => [k, v.entity]));
  const out: MigrationStatement[] = [];
  const fks: MigrationStatement[] = [];
  for (const { entity, file, sf } of entities.values()) {
    const at = (node: ts.Node): Range => ({ start: sf.getLineAndCharacterOfPosition(node.getStart(sf)), end: sf.getLineAndCharacterOfPosition(node.getEnd()) });
    const table = entity.schema ? `${quoteIdent(entity.schema)}.${quoteIdent(entity.table)}` : quoteIdent(entity.table);
    const plainTable = entity.schema ? `${entity.schema}.${entity.table}` : entity.table;
    const defs = entity.columns.map((c) => `${quoteIdent(c.column)} ${c.type}${c.nullable || c.primary ? '' : ' NOT NULL'}`);
    const extra: string[] = [];
    for (const rel of entity.relations.filter((r) => r.owner)) {
      const target = byClass.get(rel.target);
      if (!target) continue;
      const joins = joinColumnsOf(rel, target);
      for (const j of joins) if (!entity.columns.some((c) => c.column === j.column)) defs.push(`${quoteIdent(j.column)} ${target.columns.find((c) => c.column === j.references)?.type ?? 'integer'}`);
      const cols = joins.map((j) => j.column);
      // `@Index() @ManyToOne(() => Order) order`: the index is on the join column (`orderId`).
      if (rel.index) extra.push(indexSql(rel.index.name, rel.index.unique, table, plainTable, cols));
      if (rel.kind === 'one-to-one') defs.push(`CONSTRAINT ${quoteIdent(hashedName('REL_', plainTable, cols, 26))} UNIQUE (${cols.map(quoteIdent).join(', ')})`);
      const targetTable = target.schema ? `${quoteIdent(target.schema)}.${quoteIdent(target.table)}` : quoteIdent(target.table);
      fks.push(
        ...generatedStatements(
          file,
          `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(hashedName('FK_', plainTable, cols, 27))} FOREIGN KEY (${cols.map(quoteIdent).join(', ')}) REFERENCES ${targetTable} (${joins.map((j) => quoteIdent(j.references)).join(', ')})`,
          at(rel.node),
          'typeorm-entity',
          'typeorm',
        ),
      );
    }
    const pk = entity.columns.filter((c) => c.primary).map((c) => c.column);
    if (pk.length) defs.push(`CONSTRAINT ${quoteIdent(hashedName('PK_', plainTable, pk, 27))} PRIMARY KEY (${pk.map(quoteIdent).join(', ')})`);
    for (const c of entity.columns.filter((x) => x.unique)) defs.push(`CONSTRAINT ${quoteIdent(hashedName('UQ_', plainTable, [c.column], 27))} UNIQUE (${quoteIdent(c.column)})`);
    const columnOf = (p: string) => columnOfProperty(entity, p, byClass) ?? p;
    for (const c of entity.columns.filter((x) => x.index)) extra.push(indexSql(c.index!.name, c.index!.unique, table, plainTable, [c.column]));
    for (const ix of entity.classIndexes) {
      const cols = ix.properties.map(columnOf);
      if (ix.constraint) defs.push(`CONSTRAINT ${quoteIdent(ix.name ?? hashedName('UQ_', plainTable, cols, 27))} UNIQUE (${cols.map(quoteIdent).join(', ')})`);
      else extra.push(indexSql(ix.name, ix.unique, table, plainTable, cols));
    }
    out.push(...generatedStatements(file, `CREATE TABLE ${table} (${defs.join(', ')})`, at(entity.node.name ?? entity.node), 'typeorm-entity', 'typeorm'));
    for (const sql of extra) out.push(...generatedStatements(file, sql, at(entity.node.name ?? entity.node), 'typeorm-entity', 'typeorm'));
  }
  // Foreign keys after every table exists, as TypeORM's synchronisation adds them.
  return [...out, ...fks];
}

/**
 * The declaration `find` picks for `name` as seen from `sf`: declared in the file, or imported
 * from a relative module (through `export … from` re-exports, a few levels deep).
 */
function declarationOf<T>(sf: ts.SourceFile, name: string, resolve: ModuleResolver, find: (sf: ts.SourceFile, name: string) => T | undefined, depth = 0): T | undefined {
  const local = find(sf, name);
  if (local !== undefined || depth > 3) return local;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const named = st.importClause?.namedBindings;
      const el = named && ts.isNamedImports(named) ? named.elements.find((x) => x.name.text === name) : undefined;
      const target = el && resolve(sf, st.moduleSpecifier.text);
      if (target) return declarationOf(target, (el.propertyName ?? el.name).text, resolve, find, depth + 1);
    }
    if (depth > 0 && ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      const clause = st.exportClause;
      const el = clause && ts.isNamedExports(clause) ? clause.elements.find((x) => x.name.text === name) : undefined;
      if (clause && !el) continue;
      const target = resolve(sf, st.moduleSpecifier.text);
      const found = target && declarationOf(target, el ? (el.propertyName ?? el.name).text : name, resolve, find, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function indexSql(name: string | undefined, unique: boolean, table: string, plainTable: string, columns: string[]): string {
  return `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(name ?? hashedName('IDX_', plainTable, columns, 26))} ON ${table} (${columns.map(quoteIdent).join(', ')})`;
}
