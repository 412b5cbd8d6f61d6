/**
 * Drizzle tables (`pgTable('users', { … }, (t) => [index('x').on(t.email)])`) read from the
 * syntax: the table each variable defines, the column each property maps to, and — for
 * projects without migrations (`drizzle-kit push`) — the SQL drizzle-kit would run for them.
 *
 * A column's name is its builder's first argument (`integer('author_id')`), else the property
 * name (drizzle-orm ≥ 0.31 allows `integer()`; drizzle.config's `casing: 'snake_case'` then
 * snake_cases it, see `DrizzleKitOptions`). The third argument may
 * return an array (current) or an object (older releases) of `index`, `uniqueIndex`, `unique`,
 * `primaryKey` and `foreignKey` builders. Default names follow drizzle-kit
 * (`<table>_<columns>_index`, `<table>_<column>_unique`, `<table>_<column>_<table>_<column>_fk`).
 */
import ts from 'typescript';
import type { Range } from '../finding';
import { quoteIdent } from './ast';
import type { MigrationStatement } from './migrations';
import { generatedStatements } from './prismaSchema';

export interface DrizzleColumn {
  property: string;
  column: string;
  type: string;
  primary: boolean;
  notNull: boolean;
  unique?: string;
  /** The name was given (`integer('author_id')`), not taken from the property. */
  named?: boolean;
  /** `.references(() => users.id)`: the referenced table variable and property. */
  references?: { table: string; property: string };
  node: ts.Node;
}

export interface DrizzleConstraint {
  kind: 'index' | 'unique-index' | 'unique' | 'primary-key' | 'foreign-key';
  name?: string;
  /** Properties of this table. */
  properties: string[];
  method?: string;
  /** Foreign keys: the referenced table variable and its properties. */
  references?: { table: string; properties: string[] };
  /** Indexes: the predicate of a partial index (`.where(sql`…`)`). */
  where?: ts.Expression;
  node: ts.Node;
}

export interface DrizzleTable {
  table: string;
  schema?: string;
  columns: DrizzleColumn[];
  constraints: DrizzleConstraint[];
  node: ts.CallExpression;
}

const TABLE_FUNCTIONS = new Set(['pgTable']);

/**
 * The table a `pgTable(…)` / `schema.table(…)` call defines. `schemaOf` names the schema of a
 * `pgSchema('auth')` variable used as `auth.table(…)`.
 */
export function readDrizzleTable(
  call: ts.Expression,
  schemaOf: (variable: string) => string | undefined = () => undefined,
  creatorOf: (callee: ts.Identifier) => TableNamer | undefined = () => undefined,
): DrizzleTable | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  const callee = call.expression;
  let schema: string | undefined;
  let namer: TableNamer | undefined;
  // A creator first: `const pgTable = pgTableCreator(…)` takes the name of the function it stands for.
  if (ts.isIdentifier(callee) && (namer = creatorOf(callee))) schema = undefined;
  else if (ts.isIdentifier(callee) && TABLE_FUNCTIONS.has(callee.text)) schema = undefined;
  else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'table') {
    const owner = callee.expression;
    if (ts.isIdentifier(owner)) schema = schemaOf(owner.text);
    else if (ts.isCallExpression(owner) && ts.isIdentifier(owner.expression) && owner.expression.text === 'pgSchema' && owner.arguments[0] && ts.isStringLiteralLike(owner.arguments[0])) schema = owner.arguments[0].text;
    if (!schema) return undefined;
  } else return undefined;
  const [nameArg, columnsArg, extraArg] = call.arguments;
  if (!nameArg || !ts.isStringLiteralLike(nameArg) || !columnsArg) return undefined;
  const columnsObj = columnsObject(columnsArg);
  if (!columnsObj) return undefined;
  // `createTable('post', …)` with `createTable = pgTableCreator((name) => `app_${name}`)`: the table is `app_post`.
  const table = namer ? namer(nameArg.text) : nameArg.text;
  if (table === undefined) return undefined;
  const out: DrizzleTable = { table, schema, columns: [], constraints: [], node: call };
  for (const p of columnsObj.properties) {
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) continue;
    const col = readColumn(p.name.text, p.initializer);
    if (col) out.columns.push(col);
  }
  if (extraArg && (ts.isArrowFunction(extraArg) || ts.isFunctionExpression(extraArg))) {
    const body = returnedExpression(extraArg);
    const items = body && ts.isArrayLiteralExpression(body) ? body.elements : body && ts.isObjectLiteralExpression(body) ? body.properties.flatMap((p) => (ts.isPropertyAssignment(p) ? [p.initializer] : [])) : [];
    for (const item of items) {
      const c = readConstraint(item);
      if (c) out.constraints.push(c);
    }
  }
  return out;
}

/** What a table creator makes of the name given to it; undefined when it cannot be told from the code. */
export type TableNamer = (name: string) => string | undefined;

/**
 * `pgTableCreator((name) => `app_${name}`)` (create-t3-app's multi-project prefix): how the
 * creator names tables, when its callback builds the name from the given name and constants
 * (a template or `+`). Anything else: undefined, and the tables it makes stay unknown.
 */
export function tableCreatorOf(init: ts.Expression | undefined): TableNamer | undefined {
  if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'pgTableCreator') return undefined;
  const fn = init.arguments[0];
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.parameters.length !== 1 || !ts.isIdentifier(fn.parameters[0].name)) return undefined;
  const param = fn.parameters[0].name.text;
  const body = returnedExpression(fn);
  if (!body) return undefined;
  const evaluate = (e: ts.Expression, name: string): string | undefined => {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isIdentifier(e)) return e.text === param ? name : undefined;
    if (ts.isStringLiteralLike(e)) return e.text;
    if (ts.isTemplateExpression(e)) {
      let text = e.head.text;
      for (const span of e.templateSpans) {
        const part = evaluate(span.expression, name);
        if (part === undefined) return undefined;
        text += part + span.literal.text;
      }
      return text;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = evaluate(e.left, name);
      const right = left === undefined ? undefined : evaluate(e.right, name);
      return right === undefined ? undefined : left! + right;
    }
    return undefined;
  };
  return (name) => evaluate(body, name);
}

/** `const createTable = pgTableCreator(…)` at the top of a file: variable → how it names tables. */
export function tableCreatorsOf(sf: ts.SourceFile): Map<string, TableNamer> {
  const out = new Map<string, TableNamer>();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const namer = ts.isIdentifier(d.name) ? tableCreatorOf(d.initializer) : undefined;
      if (namer) out.set((d.name as ts.Identifier).text, namer);
    }
  }
  return out;
}

/** `{ … }` or `(t) => ({ … })` (the column-builder callback form). */
function columnsObject(arg: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (ts.isObjectLiteralExpression(arg)) return arg;
  if (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) {
    const body = returnedExpression(arg);
    return body && ts.isObjectLiteralExpression(body) ? body : undefined;
  }
  return undefined;
}

function returnedExpression(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression | undefined {
  let body: ts.Node = fn.body;
  if (ts.isBlock(body)) {
    const ret = body.statements.find(ts.isReturnStatement);
    if (!ret?.expression) return undefined;
    body = ret.expression;
  }
  let e = body as ts.Expression;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** The calls of a builder chain, innermost first: `integer('x').notNull().references(…)`. */
function chainOf(expr: ts.Expression): Array<{ name: string; args: readonly ts.Expression[] }> {
  const out: Array<{ name: string; args: readonly ts.Expression[] }> = [];
  let e = expr;
  for (let i = 0; i < 40 && ts.isCallExpression(e); i++) {
    const callee = e.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      out.unshift({ name: callee.name.text, args: e.arguments });
      e = callee.expression;
    } else if (ts.isIdentifier(callee)) {
      out.unshift({ name: callee.text, args: e.arguments });
      break;
    } else break;
  }
  return out;
}

const TYPES: Record<string, string> = {
  serial: 'serial', bigserial: 'bigserial', smallserial: 'smallserial', integer: 'integer', bigint: 'bigint', smallint: 'smallint', text: 'text', varchar: 'varchar',
  char: 'char', boolean: 'boolean', timestamp: 'timestamp', date: 'date', time: 'time', uuid: 'uuid', json: 'json', jsonb: 'jsonb', numeric: 'numeric', decimal: 'numeric',
  real: 'real', doublePrecision: 'double precision', interval: 'interval', inet: 'inet', cidr: 'cidr', bytea: 'bytea',
};

function readColumn(property: string, init: ts.Expression): DrizzleColumn | undefined {
  const chain = chainOf(init);
  const head = chain[0];
  if (!head) return undefined;
  const nameArg = head.args[0];
  const col: DrizzleColumn = {
    property,
    column: nameArg && ts.isStringLiteralLike(nameArg) ? nameArg.text : property,
    named: !!nameArg && ts.isStringLiteralLike(nameArg),
    type: TYPES[head.name] ?? 'text',
    primary: false,
    notNull: false,
    node: init,
  };
  // The head is a modifier too when a project helper owns it: `id: idColumn.primaryKey()`,
  // `ownerId: idColumn.references(() => users.id)` (a column builder function with methods of its own).
  for (const step of TYPES[head.name] ? chain.slice(1) : chain) {
    if (step.name === 'primaryKey') col.primary = true;
    else if (step.name === 'notNull') col.notNull = true;
    else if (step.name === 'unique') col.unique = step.args[0] && ts.isStringLiteralLike(step.args[0]) ? step.args[0].text : '';
    else if (step.name === 'array') col.type += '[]';
    else if (step.name === 'references') {
      const ref = step.args[0] && (ts.isArrowFunction(step.args[0]) || ts.isFunctionExpression(step.args[0])) ? returnedExpression(step.args[0]) : undefined;
      const target = ref && columnReference(ref);
      if (target) col.references = target;
    }
  }
  return col;
}

/** `users.id` / `t.id` → table variable and property. */
export function columnReference(expr: ts.Expression): { table: string; property: string } | undefined {
  let e = expr;
  // `t.createdAt.desc()` / `.asc()` / `.nullsFirst()` in an index definition.
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && /^(asc|desc|nullsFirst|nullsLast|op)$/.test(e.expression.name.text)) e = e.expression.expression;
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) return { table: e.expression.text, property: e.name.text };
  return undefined;
}

function readConstraint(item: ts.Expression): DrizzleConstraint | undefined {
  const chain = chainOf(item);
  const head = chain[0];
  if (!head) return undefined;
  const name = head.args[0] && ts.isStringLiteralLike(head.args[0]) ? head.args[0].text : undefined;
  const refsIn = (list: ts.Expression | undefined) => (list && ts.isArrayLiteralExpression(list) ? list.elements.map(columnReference) : []);
  if (head.name === 'index' || head.name === 'uniqueIndex' || head.name === 'unique') {
    const on = chain.find((s) => s.name === 'on' || s.name === 'using');
    if (!on) return undefined;
    const method = on.name === 'using' && on.args[0] && ts.isStringLiteralLike(on.args[0]) ? on.args[0].text : undefined;
    const refs = (on.name === 'using' ? on.args.slice(1) : on.args).map(columnReference);
    if (refs.length === 0 || refs.some((r) => !r)) return undefined;
    const kind = head.name === 'index' ? 'index' : head.name === 'uniqueIndex' ? 'unique-index' : 'unique';
    // `.where(sql`${t.deletedAt} is null`)`: a partial index.
    const where = kind !== 'unique' ? chain.find((s) => s.name === 'where')?.args[0] : undefined;
    return { kind, name, properties: refs.map((r) => r!.property), method, where, node: item };
  }
  if (head.name === 'primaryKey' || head.name === 'foreignKey') {
    const opts = head.args[0] && ts.isObjectLiteralExpression(head.args[0]) ? head.args[0] : undefined;
    const prop = (k: string) => opts?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === k)?.initializer;
    // Old form: `primaryKey(t.a, t.b)`.
    const cols = opts ? refsIn(prop('columns')) : head.args.map(columnReference);
    if (cols.length === 0 || cols.some((r) => !r)) return undefined;
    const nameProp = prop('name');
    const explicitName = nameProp && ts.isStringLiteralLike(nameProp) ? nameProp.text : undefined;
    if (head.name === 'primaryKey') return { kind: 'primary-key', name: explicitName, properties: cols.map((r) => r!.property), node: item };
    const foreign = refsIn(prop('foreignColumns'));
    if (foreign.length !== cols.length || foreign.some((r) => !r)) return undefined;
    return { kind: 'foreign-key', name: explicitName, properties: cols.map((r) => r!.property), references: { table: foreign[0]!.table, properties: foreign.map((r) => r!.property) }, node: item };
  }
  return undefined;
}

/** `const auth = pgSchema('auth')` in a file: variable → schema name. */
function schemasOf(sf: ts.SourceFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer;
      if (ts.isIdentifier(d.name) && init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'pgSchema' && init.arguments[0] && ts.isStringLiteralLike(init.arguments[0])) out.set(d.name.text, init.arguments[0].text);
    }
  }
  return out;
}

/** Every `const x = pgTable(…)` of a file, by variable name. */
export function drizzleTablesOf(sf: ts.SourceFile, creators: ReadonlyMap<string, TableNamer> = new Map()): Map<string, DrizzleTable> {
  const schemas = schemasOf(sf);
  const out = new Map<string, DrizzleTable>();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer) continue;
      const t = readDrizzleTable(d.initializer, (v) => schemas.get(v), (callee) => creators.get(callee.text));
      if (t) out.set(d.name.text, t);
    }
  }
  return out;
}

function normalisePath(file: string): string {
  return file.replace(/\\/g, '/');
}

/** `import { pgTable } from './table'`: the creators a file imports from another file of the list, by local name. */
function importedCreators(file: string, sf: ts.SourceFile, creatorsByFile: ReadonlyMap<string, ReadonlyMap<string, TableNamer>>): Map<string, TableNamer> {
  const out = new Map<string, TableNamer>();
  const dir = normalisePath(file).replace(/\/[^/]*$/, '');
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !st.moduleSpecifier.text.startsWith('.')) continue;
    const bindings = st.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const base = joinPath(dir, st.moduleSpecifier.text.replace(/\.(js|ts|mjs|mts)$/, ''));
    const target = ['.ts', '.tsx', '.mts', '/index.ts', '/index.tsx'].map((ext) => creatorsByFile.get(base + ext)).find((m) => m !== undefined);
    if (!target) continue;
    for (const el of bindings.elements) {
      const namer = target.get((el.propertyName ?? el.name).text);
      if (namer) out.set(el.name.text, namer);
    }
  }
  return out;
}

function joinPath(dir: string, rel: string): string {
  const parts = dir.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

/** The SQL drizzle-kit would run for the tables of these files, placed on their definitions. */
/** drizzle-orm's `casing: 'snake_case'`: `createdAt` → `created_at`, `userID` → `user_id`. */
export function drizzleSnakeCase(name: string): string {
  return (name.replace(/['\u2019]/g, '').match(/[\da-z]+|[A-Z]+(?![a-z])|[A-Z][\da-z]+/g) ?? [name]).map((w) => w.toLowerCase()).join('_');
}

export interface DrizzleKitOptions {
  /** `schemaFilter`: the schemas drizzle-kit manages (undefined: all). */
  schemas?: ReadonlySet<string>;
  /** `casing: 'snake_case'`: the columns named by their property are snake_cased. */
  snakeCase?: boolean;
}

export function drizzleTableSchema(files: ReadonlyArray<{ file: string; text: string }>, options: DrizzleKitOptions = {}): MigrationStatement[] {
  const managedSchemas = options.schemas;
  const tables = new Map<string, { t: DrizzleTable; file: string; sf: ts.SourceFile }>();
  const parsed = files.map((f) => ({ file: f.file, sf: ts.createSourceFile(f.file, f.text, ts.ScriptTarget.Latest, true) }));
  // Table creators are found in every file first: the tables are often made in another file than the creator.
  const creators = new Map<string, TableNamer>();
  const creatorsByFile = new Map<string, Map<string, TableNamer>>();
  for (const { file, sf } of parsed) {
    const own = tableCreatorsOf(sf);
    creatorsByFile.set(normalisePath(file), own);
    for (const [variable, namer] of own) creators.set(variable, namer);
  }
  for (const { file, sf } of parsed) {
    // A file's creators are its own and those it imports from a file of the project (several
    // modules may each name their creator `pgTable`, with prefixes of their own); a creator
    // imported through a path alias is known by its name only.
    const visible = new Map(creators);
    for (const [local, namer] of importedCreators(file, sf, creatorsByFile)) visible.set(local, namer);
    for (const [variable, namer] of creatorsByFile.get(normalisePath(file)) ?? []) visible.set(variable, namer);
    for (const [variable, t] of drizzleTablesOf(sf, visible)) tables.set(variable, { t, file, sf });
  }
  if (options.snakeCase) for (const { t } of tables.values()) for (const c of t.columns) if (!c.named) c.column = drizzleSnakeCase(c.property);
  const out: MigrationStatement[] = [];
  const fks: MigrationStatement[] = [];
  for (const { t, file, sf } of tables.values()) {
    // A table of a schema drizzle-kit does not manage (`schemaFilter`): the platform's own table,
    // declared to be queried and referenced. Its indexes are unknown; foreign keys to it stay.
    if (managedSchemas && !managedSchemas.has(t.schema ?? 'public')) continue;
    const at = (node: ts.Node): Range => ({ start: sf.getLineAndCharacterOfPosition(node.getStart(sf)), end: sf.getLineAndCharacterOfPosition(node.getEnd()) });
    const name = (t2: DrizzleTable) => (t2.schema ? `${quoteIdent(t2.schema)}.${quoteIdent(t2.table)}` : quoteIdent(t2.table));
    const columnOf = (t2: DrizzleTable, p: string) => t2.columns.find((c) => c.property === p)?.column ?? p;
    const list = (cols: string[]) => cols.map(quoteIdent).join(', ');
    const defs = t.columns.map((c) => `${quoteIdent(c.column)} ${c.type}${c.notNull || c.primary ? ' NOT NULL' : ''}`);
    const pk = t.columns.filter((c) => c.primary).map((c) => c.column);
    const compositePk = t.constraints.find((c) => c.kind === 'primary-key');
    if (compositePk) defs.push(`CONSTRAINT ${quoteIdent(compositePk.name ?? `${t.table}_${compositePk.properties.map((p) => columnOf(t, p)).join('_')}_pk`)} PRIMARY KEY (${list(compositePk.properties.map((p) => columnOf(t, p)))})`);
    else if (pk.length) defs.push(`CONSTRAINT ${quoteIdent(`${t.table}_pkey`)} PRIMARY KEY (${list(pk)})`);
    for (const c of t.columns.filter((x) => x.unique !== undefined)) defs.push(`CONSTRAINT ${quoteIdent(c.unique || `${t.table}_${c.column}_unique`)} UNIQUE (${quoteIdent(c.column)})`);
    for (const c of t.constraints.filter((x) => x.kind === 'unique')) {
      const cols = c.properties.map((p) => columnOf(t, p));
      defs.push(`CONSTRAINT ${quoteIdent(c.name ?? `${t.table}_${cols.join('_')}_unique`)} UNIQUE (${list(cols)})`);
    }
    out.push(...generatedStatements(file, `CREATE TABLE ${name(t)} (${defs.join(', ')})`, at(t.node), 'drizzle', 'sql'));
    for (const c of t.constraints.filter((x) => x.kind === 'index' || x.kind === 'unique-index')) {
      const cols = c.properties.map((p) => columnOf(t, p));
      const predicate = c.where && sqlOfTemplate(c.where, (p) => columnOf(t, p));
      // A predicate that cannot be read from the code is left out: the index is then taken as a
      // full one, which may call a filter served that is not — never the other way round.
      const sql = `CREATE ${c.kind === 'unique-index' ? 'UNIQUE ' : ''}INDEX ${quoteIdent(c.name ?? `${t.table}_${cols.join('_')}_index`)} ON ${name(t)}${c.method ? ` USING ${c.method}` : ''} (${list(cols)})${predicate ? ` WHERE ${predicate}` : ''}`;
      out.push(...generatedStatements(file, sql, at(c.node), 'drizzle', 'sql'));
    }
    const foreignKeys = [
      ...t.columns.filter((c) => c.references).map((c) => ({ cols: [c.property], ref: { table: c.references!.table, properties: [c.references!.property] }, name: undefined as string | undefined, node: c.node })),
      ...t.constraints.filter((c) => c.kind === 'foreign-key').map((c) => ({ cols: c.properties, ref: c.references!, name: c.name, node: c.node })),
    ];
    for (const fk of foreignKeys) {
      const target = tables.get(fk.ref.table)?.t;
      if (!target) continue;
      const cols = fk.cols.map((p) => columnOf(t, p));
      const refs = fk.ref.properties.map((p) => columnOf(target, p));
      const fkName = fk.name ?? `${t.table}_${cols.join('_')}_${target.table}_${refs.join('_')}_fk`.slice(0, 63);
      fks.push(...generatedStatements(file, `ALTER TABLE ${name(t)} ADD CONSTRAINT ${quoteIdent(fkName)} FOREIGN KEY (${list(cols)}) REFERENCES ${name(target)} (${list(refs)})`, at(fk.node), 'drizzle', 'sql'));
    }
  }
  return [...out, ...fks];
}

/**
 * The SQL of a `sql`…`` template whose interpolations are columns of the table (`${t.deletedAt}`,
 * `${table.status}`): each becomes its quoted column name. Undefined for anything else
 * interpolated (a value, a function call), or when the expression is not such a template.
 */
function sqlOfTemplate(e: ts.Expression, columnOf: (property: string) => string): string | undefined {
  if (!ts.isTaggedTemplateExpression(e) || !ts.isIdentifier(e.tag) || e.tag.text !== 'sql') return undefined;
  const tpl = e.template;
  if (ts.isNoSubstitutionTemplateLiteral(tpl)) return tpl.text;
  let text = tpl.head.text;
  for (const span of tpl.templateSpans) {
    const ref = columnReference(span.expression);
    if (!ref) return undefined;
    text += quoteIdent(columnOf(ref.property)) + span.literal.text;
  }
  return text;
}
