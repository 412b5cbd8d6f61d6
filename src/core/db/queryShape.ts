import ts from 'typescript';
import type { DbOperation, SetFilter } from './callSite';
import { skipOuter } from '../ts/expressions';

/**
 * What a recognised query does, read from its syntax whatever the library: the SQL text it
 * sends, whether it reads or writes, whether it filters on a list (a batch) or fetches a page.
 * Libraries differ only in data (which option keys hold filters); that data is passed in.
 */

// What the query does.

const READ_METHOD = /^(find|get|count|exist|aggregate|groupBy|sum|average|min|max|distinct|populate|load|init|matching|stream|select|first|pluck|query|execute|all|values|reload|refresh|sql|has)/i;

/** Reads or writes: the SQL verb, the builder chain, or the method name. */
export function operationOf(node: ts.CallExpression | ts.TaggedTemplateExpression, method: string): DbOperation {
  const sql = sqlTextOf(node);
  if (sql !== undefined) {
    const op = operationOfSql(sql);
    if (op) return op;
  }
  // Builder chains: the chain says what it builds.
  for (const name of chainMethodNames(node)) {
    if (/^(insert|insertInto|update|updateTable|del|delete|deleteFrom|upsert|onConflict|merge|mergeInto|replaceInto|increment|decrement|truncate)$/.test(name)) return 'write';
  }
  return READ_METHOD.test(method) ? 'read' : 'write';
}


/** The operation a SQL statement performs, from its first verb (after a leading CTE and comments). */
export function operationOfSql(sql: string): DbOperation | undefined {
  const verb = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql.replace(/^\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/)*/g, ''))?.[1]?.toLowerCase();
  if (!verb) return undefined;
  return ['insert', 'update', 'delete', 'merge', 'upsert', 'replace', 'truncate', 'copy'].includes(verb) ? 'write' : 'read';
}

/** Writes of many rows in one statement: a loop over chunks of them is batching, not N+1. */
export const BULK_METHODS: ReadonlySet<string> = new Set(['createMany', 'createManyAndReturn', 'insertMany', 'bulkCreate', 'bulkWrite', 'bulkSave', 'upsertMany', 'batch', 'updateAll', 'deleteAll']);

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

/** The text of a string or template literal, each substitution written `${}`. */
export function templateText(t: ts.TemplateLiteral | ts.StringLiteralLike): string {
  if (ts.isNoSubstitutionTemplateLiteral(t) || ts.isStringLiteral(t)) return t.text;
  if (ts.isTemplateExpression(t)) return t.head.text + t.templateSpans.map((s) => '${}' + s.literal.text).join('');
  return (t as ts.StringLiteralLike).text;
}

/** The method names along a call chain, last call first: `db(t).where(…).first()` → first, where. */
export function chainMethodNames(node: ts.Node): string[] {
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


/**
 * Whether the code under `node` claims rows with `FOR UPDATE SKIP LOCKED` — the PostgreSQL
 * work-queue idiom (https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE):
 * each worker locks the job it takes and the others skip it. SQL text, Kysely/Knex
 * `.skipLocked()`, TypeORM `.setOnLocked('skip_locked')`, Drizzle `.for('update', { skipLocked: true })`.
 */
export function claimsRowsSkippingLocked(node: ts.Node): boolean {
  const visit = (n: ts.Node): boolean => {
    if (ts.isStringLiteralLike(n) && /\bskip[\s_]+locked\b/i.test(n.text)) return true;
    if ((ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) && /\bskip\s+locked\b/i.test(n.text)) return true;
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'skipLocked' && ts.isCallExpression(n.parent) && n.parent.expression === n) return true;
    if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'skipLocked' && n.initializer.kind === ts.SyntaxKind.TrueKeyword) return true;
    return !!ts.forEachChild(n, (c) => visit(c) || undefined);
  };
  return visit(node);
}
