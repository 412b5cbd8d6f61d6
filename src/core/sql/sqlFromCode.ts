/**
 * The SQL text a recognised database call sends, from the TypeScript syntax: a string or
 * template passed to a driver (`pool.query(…)`, mysql2 `query`/`execute`, `knex.raw`,
 * `queryRunner.query`, `sequelize.query`, Prisma `$queryRawUnsafe`) or a tagged template
 * (postgres.js `` sql`…` ``, Prisma `` $queryRaw`…` ``, Slonik `` sql.typeAlias(…)`…` ``).
 *
 * Parameters become `$n`: a tagged template's interpolations, mysql2/Knex `?`, Sequelize
 * `:name`. Constant folding: string literals, `+` concatenation, template interpolations and
 * `const` identifiers whose value folds (in this file or imported), to a bounded depth. A part
 * that does not fold (a value computed at run time) makes the text unknown, and the query is left
 * alone rather than guessed at. The node returned is where a finding about the query goes.
 */
import ts from 'typescript';

export interface CodeSql {
  /** The SQL, parameters as `$1`, `$2`, … */
  sql: string;
  /** The literal or template holding the SQL (where findings are reported). */
  node: ts.Node;
}

/** Placeholder style of the driver: how its parameters are written in the text. */
export type PlaceholderStyle = 'dollar' | 'question' | 'named';

const MAX_DEPTH = 8;

/** SQL of a driver call whose first argument (or `{ text }` / `{ sql }`) is the query. */
export function sqlOfCallArgument(call: ts.CallExpression, checker: ts.TypeChecker | undefined, style: PlaceholderStyle): CodeSql | undefined {
  let arg = call.arguments[0];
  if (!arg) return undefined;
  arg = skipParens(arg);
  if (ts.isObjectLiteralExpression(arg)) {
    const prop = arg.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && (p.name.text === 'text' || p.name.text === 'sql'));
    if (!prop) return undefined;
    arg = skipParens(prop.initializer);
  }
  if (ts.isTaggedTemplateExpression(arg)) return sqlOfTaggedTemplate(arg, checker);
  const folder = new Folder(checker, 'inline');
  const text = folder.fold(arg, 0);
  if (text === undefined) return undefined;
  return { sql: normalisePlaceholders(text, style, folder.next), node: arg };
}

/** SQL of a tagged template: each interpolation is a parameter, except nested SQL fragments and constants known to be SQL. */
export function sqlOfTaggedTemplate(node: ts.TaggedTemplateExpression, checker: ts.TypeChecker | undefined): CodeSql | undefined {
  const folder = new Folder(checker, 'parameter');
  const text = folder.template(node.template, 0);
  return text === undefined ? undefined : { sql: text, node };
}

class Folder {
  /** The next parameter number. */
  next = 1;
  constructor(private readonly checker: ts.TypeChecker | undefined, private readonly interpolation: 'inline' | 'parameter') {}

  fold(expr: ts.Expression, depth: number): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    expr = skipParens(expr);
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text;
    if (ts.isTemplateExpression(expr)) return this.template(expr, depth);
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const l = this.fold(expr.left, depth + 1);
      const r = l === undefined ? undefined : this.fold(expr.right, depth + 1);
      return l === undefined || r === undefined ? undefined : l + r;
    }
    if (ts.isIdentifier(expr) || ts.isPropertyAccessExpression(expr)) {
      const init = this.constInitializer(expr);
      return init ? this.fold(init, depth + 1) : undefined;
    }
    return undefined;
  }

  template(t: ts.TemplateLiteral, depth: number): string | undefined {
    if (ts.isNoSubstitutionTemplateLiteral(t)) return t.text;
    let out = t.head.text;
    for (const span of t.templateSpans) {
      const piece = this.interpolated(span.expression, depth + 1);
      if (piece === undefined) return undefined;
      out += piece + span.literal.text;
    }
    return out;
  }

  private interpolated(expr: ts.Expression, depth: number): string | undefined {
    const e = skipParens(expr);
    // A nested fragment of the same kind (`` sql`AND status = ${s}` ``) is part of the text.
    if (ts.isTaggedTemplateExpression(e)) return this.template(e.template, depth + 1);
    if (this.interpolation === 'parameter') {
      // postgres.js `${sql(name)}` / `${sql('users')}` is an identifier, not a value.
      if (ts.isCallExpression(e) && e.arguments.length === 1 && ts.isStringLiteralLike(e.arguments[0]) && ts.isIdentifier(e.expression)) return `"${e.arguments[0].text}"`;
      if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && !ts.isTaggedTemplateExpression(e)) {
        // `${sql(ids)}` in `IN ${sql(ids)}` is a list; any other helper call is unknown text.
        return ts.isIdentifier(e.arguments[0] ?? e) ? `($${this.next++})` : undefined;
      }
      return `$${this.next++}`;
    }
    const folded = this.fold(e, depth);
    // A run-time value in a plain template is text Shipshape cannot know; in a value position a
    // parameter stands in for it (the statement parses the same).
    return folded ?? `$${this.next++}`;
  }

  /** The initializer of a `const` the expression names (followed through imports by the checker). */
  private constInitializer(expr: ts.Identifier | ts.PropertyAccessExpression): ts.Expression | undefined {
    if (!this.checker) return undefined;
    let sym = this.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(expr) ? expr.name : expr);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
    const decl = sym?.valueDeclaration;
    if (!decl) return undefined;
    if (ts.isVariableDeclaration(decl) && decl.initializer && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const) return decl.initializer;
    // `static readonly TABLE = 'orders'` / `readonly` object members are constants too.
    if ((ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl)) && decl.initializer) {
      const readonly = ts.isPropertyAssignment(decl) || ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Readonly;
      if (readonly) return decl.initializer;
    }
    return undefined;
  }
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

/**
 * `?` (mysql2, Knex) and `:name` (Sequelize, TypeORM query builders) placeholders → `$n`,
 * outside quoted strings and identifiers; `::type` casts are left alone. Knex `??` (an identifier
 * binding) cannot be known: the text is returned with it, and does not parse.
 */
export function normalisePlaceholders(sql: string, style: PlaceholderStyle, firstNumber = 1): string {
  if (style === 'dollar') return sql;
  let n = firstNumber;
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const close = sql.indexOf(c, i + 1);
      const end = close < 0 ? sql.length : close;
      out += sql.slice(i, end + 1);
      i = end;
      continue;
    }
    if (style === 'question' && c === '?') {
      if (sql[i + 1] === '?') return sql; // `??`: an identifier binding
      // `?|`, `?&` and `? 'key'` after a jsonb column are operators, not placeholders: PostgreSQL
      // drivers do not use `?`, so this runs for mysql2/Knex text only.
      out += `$${n++}`;
      continue;
    }
    if (style === 'named' && c === ':' && sql[i + 1] !== ':' && sql[i - 1] !== ':' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const m = /^:(\.\.\.)?[A-Za-z_]\w*/.exec(sql.slice(i));
      if (m) {
        out += m[1] ? `($${n++})` : `$${n++}`;
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

// ---- Extractors for the database-library descriptors (src/core/db/libraries/<id>.ts) -------

/** One SQL query a call sends, in the shape the descriptors' `queries` slot answers. */
export interface SqlExtraction {
  node: ts.Node;
  tables: string[];
  sql?: string;
}

type Site = { node: ts.CallExpression | ts.TaggedTemplateExpression; method: string };

/**
 * The query of a driver call whose first argument is SQL (`pool.query(text, values)`), for the
 * methods given; tagged templates (`` sql`…` ``, `` $queryRaw`…` ``) are read as templates.
 */
export function sqlArgumentExtractor(
  style: PlaceholderStyle,
  methods: ReadonlySet<string>,
): { calls: { methods: ReadonlySet<string>; templates: true }; extract(site: Site, ctx: { checker: ts.TypeChecker }): SqlExtraction[] } {
  return {
    // What `extract` reads: a call of one of `methods`, or a template (tagged, or the call's receiver or first argument).
    calls: { methods, templates: true },
    extract(site, ctx) {
      const code = ts.isTaggedTemplateExpression(site.node) ? sqlOfTaggedTemplate(site.node, ctx.checker) : methods.has(site.method) ? sqlOfCallArgument(site.node, ctx.checker, style) : templateReceiver(site.node, ctx.checker);
      return code ? [{ node: code.node, tables: [], sql: style === 'dollar' ? code.sql : normalisePlaceholders(code.sql, styleOf(code.sql, style)) }] : [];
    },
  };
}

/** Sequelize takes `:name` replacements or `?`: whichever the text uses. */
function styleOf(sql: string, style: PlaceholderStyle): PlaceholderStyle {
  if (style !== 'named') return style;
  return /:[A-Za-z_]/.test(sql.replace(/::/g, '')) ? 'named' : 'question';
}

/** `` sql`…`.execute(db) `` (Kysely), `db.execute(sql`…`)` (Drizzle): a template as receiver or argument. */
function templateReceiver(node: ts.CallExpression | ts.TaggedTemplateExpression, checker: ts.TypeChecker): CodeSql | undefined {
  if (ts.isTaggedTemplateExpression(node)) return undefined;
  const callee = node.expression;
  if (ts.isPropertyAccessExpression(callee) && ts.isTaggedTemplateExpression(skipParens(callee.expression))) return sqlOfTaggedTemplate(skipParens(callee.expression) as ts.TaggedTemplateExpression, checker);
  const arg = node.arguments[0] && skipParens(node.arguments[0]);
  return arg && ts.isTaggedTemplateExpression(arg) ? sqlOfTaggedTemplate(arg, checker) : undefined;
}
