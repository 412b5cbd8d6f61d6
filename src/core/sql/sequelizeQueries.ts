/**
 * Sequelize model queries, for the descriptor's `queries` slot: `User.findAll/findOne/count/
 * findAndCountAll/destroy({ where, order, limit })` and `User.update(values, { where })`.
 *
 * The model is followed to its definition through the checker: `User.init(attributes, options)`,
 * `sequelize.define('User', attributes, options)` or sequelize-typescript's `@Table(options)`
 * class. Its table is `tableName`, else — as Sequelize documents — the model name pluralised
 * (`User` → `Users`; `freezeTableName: true` keeps it). Pluralisation here applies the regular
 * English rules Sequelize's inflection library applies (`-y` → `-ies`, `-s/-x/-z/-ch/-sh` →
 * `-es`, `person` → `people`, `child` → `children`); an irregular noun beyond those resolves to a
 * table the schema does not know and the query is left alone. A column is the attribute's
 * `field`, else its name (snake_case with `underscored: true`). `Op.or`, `Op.like`, `Op.ne`,
 * literals, includes with required filters and unknown models leave the query alone.
 */
import ts from 'typescript';
import type { DbCallSite } from '../db/callSite';
import type { ExtractedFilter, ExtractedQuery, QueryExtractionContext } from '../db/libraries/types';
import { hidesProperty, propertyOf, skipExpression } from './ormSyntax';
import { stringOption } from './typeormEntities';

interface SequelizeModel {
  table: string;
  /** Attribute → column. */
  columns: Map<string, string>;
  underscored: boolean;
}

const READS = new Set(['findAll', 'findOne', 'count', 'findAndCountAll', 'destroy', 'update']);
const OPS: Record<string, string> = { eq: '=', in: 'in', gt: '>', gte: '>=', lt: '<', lte: '<=', is: 'is null', between: '>=' };

export function sequelizeQuery(site: DbCallSite, ctx: QueryExtractionContext): ExtractedQuery[] {
  const call = site.node;
  if (!ts.isCallExpression(call) || !READS.has(site.method) || !ts.isPropertyAccessExpression(call.expression)) return [];
  const model = modelOf(call.expression.expression, ctx.checker);
  if (!model) return [];
  const optionsArg = call.arguments[site.method === 'update' ? 1 : 0];
  const options = optionsArg && skipExpression(optionsArg);
  if (!options || !ts.isObjectLiteralExpression(options) || hidesProperty(options, 'where', ctx.checker)) return [];
  const where = propertyOf(options, 'where');
  const column = (attr: string) => model.columns.get(attr) ?? (model.underscored ? snake(attr) : attr);
  const filters: ExtractedFilter[] = [];
  if (where) {
    const w = skipExpression(where);
    if (!ts.isObjectLiteralExpression(w)) return [];
    for (const p of w.properties) {
      if (ts.isShorthandPropertyAssignment(p)) {
        filters.push({ column: column(p.name.text), operator: '=', node: p });
        continue;
      }
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return []; // [Op.or]: …
      const op = operatorOf(skipExpression(p.initializer));
      if (!op) return [];
      filters.push({ column: column(p.name.text), operator: op, node: p });
    }
  }
  const orderBy: Array<{ column: string; descending: boolean }> = [];
  const order = propertyOf(options, 'order');
  if (order) {
    const o = skipExpression(order);
    if (!ts.isArrayLiteralExpression(o)) return [];
    for (const item of o.elements) {
      const pair = ts.isArrayLiteralExpression(item) ? item.elements : [item];
      const [c, dir] = pair;
      if (!c || !ts.isStringLiteralLike(c) || pair.length > 2) return [];
      orderBy.push({ column: column(c.text), descending: !!dir && ts.isStringLiteralLike(dir) && dir.text.toUpperCase().startsWith('DESC') });
    }
  }
  if (propertyOf(options, 'include')) return []; // joins: the plan may start from the other table
  const limited = site.method === 'findOne' || !!propertyOf(options, 'limit');
  if (filters.length === 0 && !(orderBy.length && limited)) return [];
  return [{ node: call, tables: [model.table], filters, orderBy, limited }];
}

function operatorOf(v: ts.Expression): string | undefined {
  if (v.kind === ts.SyntaxKind.NullKeyword) return 'is null';
  if (ts.isArrayLiteralExpression(v)) return 'in';
  if (ts.isObjectLiteralExpression(v)) {
    // `{ [Op.gt]: x }`: one operator per property, all known.
    const ops = v.properties.map((p) => (ts.isPropertyAssignment(p) && ts.isComputedPropertyName(p.name) && ts.isPropertyAccessExpression(p.name.expression) ? OPS[p.name.expression.name.text] : undefined));
    return ops.length === 1 && ops[0] ? ops[0] : undefined;
  }
  if (ts.isCallExpression(v) && /^(literal|fn|col|where|cast)$/.test(ts.isPropertyAccessExpression(v.expression) ? v.expression.name.text : ts.isIdentifier(v.expression) ? v.expression.text : '')) return undefined;
  return '=';
}

/** The model a receiver names: a class with `X.init(…)`/`@Table`, or a `sequelize.define(…)` variable. */
function modelOf(expr: ts.Expression, checker: ts.TypeChecker): SequelizeModel | undefined {
  const e = skipExpression(expr);
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return undefined;
  let sym = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(e) ? e.name : e);
  if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  for (const decl of sym?.declarations ?? []) {
    if (ts.isClassDeclaration(decl) && decl.name) return classModel(decl);
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = skipExpression(decl.initializer);
      if (ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === 'define') {
        const [name, attrs, opts] = init.arguments;
        if (name && ts.isStringLiteralLike(name)) return modelFrom(name.text, attrs, opts);
      }
    }
  }
  return undefined;
}

function classModel(decl: ts.ClassDeclaration): SequelizeModel | undefined {
  const name = decl.name!.text;
  // sequelize-typescript: `@Table({ tableName })` and `@Column({ field })` members.
  const table = (ts.getDecorators(decl) ?? []).find((d) => ts.isCallExpression(d.expression) && ts.isIdentifier(d.expression.expression) && d.expression.expression.text === 'Table');
  if (table) {
    const opts = ts.isCallExpression(table.expression) ? table.expression.arguments[0] : undefined;
    const model = modelFrom(name, undefined, opts);
    for (const m of decl.members) {
      if (!ts.isPropertyDeclaration(m) || !ts.isIdentifier(m.name)) continue;
      for (const d of ts.getDecorators(m) ?? []) {
        const a = ts.isCallExpression(d.expression) ? d.expression.arguments[0] : undefined;
        const field = a && ts.isObjectLiteralExpression(a) ? stringOption(a, 'field') : undefined;
        if (field) model.columns.set(m.name.text, field);
      }
    }
    return model;
  }
  // `User.init(attributes, options)` in the class's file.
  let init: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (init) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'init' && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === name) init = n;
    else ts.forEachChild(n, visit);
  };
  visit(decl.getSourceFile());
  return init ? modelFrom(name, init.arguments[0], init.arguments[1]) : undefined;
}

function modelFrom(name: string, attrs: ts.Expression | undefined, opts: ts.Expression | undefined): SequelizeModel {
  const o = opts && ts.isObjectLiteralExpression(opts) ? opts : undefined;
  const flag = (k: string) => !!o?.properties.some((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === k && p.initializer.kind === ts.SyntaxKind.TrueKeyword);
  const modelName = (o && stringOption(o, 'modelName')) ?? name;
  const table = (o && stringOption(o, 'tableName')) ?? (flag('freezeTableName') ? modelName : pluralise(modelName));
  const columns = new Map<string, string>();
  if (attrs && ts.isObjectLiteralExpression(attrs)) {
    for (const p of attrs.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) || !ts.isObjectLiteralExpression(p.initializer)) continue;
      const field = stringOption(p.initializer, 'field');
      if (field) columns.set(p.name.text, field);
    }
  }
  return { table, columns, underscored: flag('underscored') };
}

const IRREGULAR: Record<string, string> = { person: 'people', child: 'children', man: 'men', woman: 'women' };

/** Sequelize's default table name: the model name in the plural (inflection's regular rules). */
export function pluralise(word: string): string {
  const lower = word.toLowerCase();
  for (const [one, many] of Object.entries(IRREGULAR)) {
    if (lower.endsWith(one)) return word.slice(0, word.length - one.length) + (word[word.length - one.length] === one[0].toUpperCase() ? many[0].toUpperCase() + many.slice(1) : many);
  }
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

function snake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
