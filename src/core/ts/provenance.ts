// Over 400 lines on purpose: one resolver follows a value through every kind of declaration
// (imports, variables, bindings, parameters, fields, `this`, callbacks, require); the cases call each
// other recursively with one cache and one depth budget, so they stay in one class.
import ts from 'typescript';
import { nodeIndex } from './nodeIndex';
import { canonicalSymbol } from './symbols';

/**
 * Where a value comes from, in terms of an npm package's exports: `express()` is
 * `{ module: 'express', path: ['default', '()'] }`, `new Pool()` from 'pg' is
 * `{ module: 'pg', path: ['Pool', '()'] }`, and `pool.query` on it is
 * `{ module: 'pg', path: ['Pool', '()', 'query'] }`.
 *
 * It is computed from the syntax and the checker's symbol resolution, so it works
 * in a fresh clone with no node_modules (imports then resolve to nothing, but the
 * import declarations still say which package each name came from). Where the
 * declarations are installed, `typeOrigin` adds what the types say.
 */
export interface Provenance {
  /** The package name as imported, without a subpath (`pg`, `@nestjs/common`). */
  module: string;
  /** The full specifier as written (`pg`, `pg/lib/client`). */
  specifier: string;
  /** Export name first (`default`, `*` for the namespace), then member names; `()` marks a call or `new`. */
  path: string[];
}

const MAX_DEPTH = 12;

export interface ProvenanceOptions {
  /**
   * Trace the parameters of a callback to the call it is passed to:
   * `prisma.$transaction(async (tx) => …)` gives `tx` the path
   * `['PrismaClient', '()', '$transaction', 'cb(0).0']` — argument 0 of the call, parameter 0
   * of the callback. Off by default: it gives `req`/`res` of every route handler a provenance,
   * which a rule asking "does this come from express?" may not expect.
   */
  callbackParameters?: boolean;
  /**
   * Names the package behind a specifier that is not an npm package on disk, e.g. a generated
   * Prisma client imported as `./generated/prisma`. Asked for every import; `undefined` = no opinion.
   */
  packageOf?: (specifier: string) => string | undefined;
  /**
   * The project file a relative `require('./db')` loads. TypeScript resolves `import`s and
   * `import x = require()` itself but not a plain `require()` call in a .ts file; without this,
   * `const { pool } = require('./db')` is not traced.
   */
  resolveModule?: (specifier: string, fromFile: string) => ts.SourceFile | undefined;
}

/** Resolves a relative specifier to a source file of `program`, the way the compiler would. */
export function programModuleResolver(program: ts.Program): (specifier: string, fromFile: string) => ts.SourceFile | undefined {
  const options = program.getCompilerOptions();
  return (specifier, fromFile) => {
    const resolved = ts.resolveModuleName(specifier, fromFile, options, ts.sys).resolvedModule;
    return resolved ? program.getSourceFile(resolved.resolvedFileName) : undefined;
  };
}

/** Package name of a bare specifier (`@scope/pkg/sub` → `@scope/pkg`; `node:http` → `http`). */
export function packageName(specifier: string): string {
  if (specifier.startsWith('node:')) return specifier.slice(5).split('/')[0];
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export function isRelative(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('/');
}

export class ProvenanceResolver {
  private readonly cache = new Map<ts.Node, Provenance | null>();
  /**
   * `pool.query` for every `pool.query(…)` of the project: the member of a module-level or `const`
   * value, by the value's symbol and the member's name — asked once, not once per call (each asks
   * the checker for the member, which types the receiver at that spot).
   */
  private readonly members = new Map<ts.Symbol, Map<string, Provenance | null>>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly options: ProvenanceOptions = {},
  ) {}

  /** The provenance of an expression's value, or undefined when it is not traced to a package. */
  of(node: ts.Node): Provenance | undefined {
    return this.resolve(node, 0, new Set());
  }

  /** True when `node` traces to `module` (any path), or one of `modules`. */
  isFrom(node: ts.Node, modules: string | readonly string[]): boolean {
    const p = this.of(node);
    if (!p) return false;
    return typeof modules === 'string' ? p.module === modules : modules.includes(p.module);
  }

  private resolve(node: ts.Node, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    if (depth > MAX_DEPTH || seen.has(node)) return undefined;
    const cached = this.cache.get(node);
    if (cached !== undefined) return cached ?? undefined;
    seen.add(node);
    const result = this.compute(node, depth, seen);
    seen.delete(node);
    // Only memoise complete answers; a cut-off by `seen` must not poison the cache.
    if (result || seen.size === 0) this.cache.set(node, result ?? null);
    return result;
  }

  private compute(node: ts.Node, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    const next = (n: ts.Node | undefined) => (n ? this.resolve(n, depth + 1, seen) : undefined);
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node) || ts.isAwaitExpression(node)) {
      return next(node.expression);
    }
    if (ts.isCallExpression(node)) {
      const req = requireSpecifier(node);
      // A project module object has no package provenance of its own: its exports do (see `projectExport`).
      if (req !== undefined) return isRelative(req) ? undefined : external(req, []);
      // A link of a builder chain costs no depth: `qb.leftJoin(…).andWhere(…)…` may run to a dozen
      // links, each a new node (no cycle possible), and every one of them carries the builder.
      const callee = this.resolve(node.expression, depth, seen);
      if (callee) return append(callee, '()');
      // A local function: what it returns.
      return this.returnedBy(node.expression, depth, seen, node);
    }
    if (ts.isNewExpression(node)) {
      const callee = next(node.expression);
      return callee ? append(callee, '()') : undefined;
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const owner = this.stableValue(node.expression);
      if (owner) {
        let byName = this.members.get(owner);
        if (!byName) this.members.set(owner, (byName = new Map()));
        const known = byName.get(node.name.text);
        if (known !== undefined) return known ?? undefined;
        const found = this.member(node, depth, seen);
        // Only a complete answer is kept (see `resolve`): a search cut short by a cycle says nothing.
        if (found || seen.size === 1) byName.set(node.name.text, found ?? null);
        return found;
      }
    }
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return this.member(node, depth, seen);
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      return this.fromDeclarationsOf(node, depth, seen);
    }
    if (node.kind === ts.SyntaxKind.ThisKeyword) return this.ofThis(node, depth, seen);
    if (ts.isTypeReferenceNode(node)) {
      // `db: DB` with `type DB = NodePgDatabase<typeof schema>` in the project: what the alias names.
      const alias = this.projectTypeAlias(node.typeName);
      const viaAlias = alias ? next(alias.type) : undefined;
      if (viaAlias) return viaAlias;
      const viaUtility = alias ? undefined : this.utilityType(node, depth, seen);
      if (viaUtility) return viaUtility;
      // `pool: Pool` — a value of an imported class type is an instance of it.
      const t = next(node.typeName);
      return t ? append(t, '()') : undefined;
    }
    if (ts.isIntersectionTypeNode(node) || ts.isUnionTypeNode(node)) {
      for (const t of node.types) {
        const p = next(t);
        if (p) return p;
      }
      return undefined;
    }
    if (ts.isParenthesizedTypeNode(node)) return next(node.type);
    if (ts.isTypeQueryNode(node)) return next(node.exprName); // `typeof pool`
    if (ts.isImportTypeNode(node)) {
      // `import('pg').Pool` as a type: an instance of that export.
      const arg = node.argument;
      if (!ts.isLiteralTypeNode(arg) || !ts.isStringLiteral(arg.literal) || isRelative(arg.literal.text)) return undefined;
      const names: string[] = [];
      for (let q = node.qualifier; q; q = ts.isQualifiedName(q) ? q.left : undefined) names.unshift(ts.isQualifiedName(q) ? q.right.text : q.text);
      return external(arg.literal.text, node.isTypeOf ? names : [...names, '()']);
    }
    if (ts.isQualifiedName(node)) {
      const left = next(node.left);
      return left ? append(left, node.right.text) : undefined;
    }
    if (ts.isTaggedTemplateExpression(node)) {
      const tag = next(node.tag);
      return tag ? append(tag, '()') : undefined;
    }
    if (ts.isConditionalExpression(node)) return next(node.whenTrue) ?? next(node.whenFalse);
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.BarBarToken || node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
      return next(node.left) ?? next(node.right);
    }
    return undefined;
  }

  /** `x.name` / `x['name']`: a member declared in the project first, else the receiver's provenance and the name. */
  private member(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    const next = (n: ts.Node | undefined) => (n ? this.resolve(n, depth + 1, seen) : undefined);
    const name = ts.isPropertyAccessExpression(node) ? node.name.text : literalText(node.argumentExpression);
    // A member declared in the project (a field, a getter): follow its declaration first.
    const viaDecl = this.fromDeclarationsOf(ts.isPropertyAccessExpression(node) ? node.name : node, depth, seen, node.expression);
    if (viaDecl) return viaDecl;
    // `require('./db').pool`, `const db = require('./db'); db.pool`.
    const module = this.requiredProjectModule(node.expression);
    if (module && name !== undefined) return this.projectExport(module, name, depth, seen);
    const base = ts.isCallExpression(node.expression) ? this.resolve(node.expression, depth, seen) : next(node.expression);
    return base && name !== undefined ? append(base, name) : undefined;
  }

  /**
   * The symbol of a value that is the same wherever it is read: a `const`, or an import (as the
   * symbol it imports, so that every file importing `pool` shares one answer).
   */
  private stableValue(id: ts.Identifier): ts.Symbol | undefined {
    const symbol = this.checker.getSymbolAtLocation(id);
    if (!symbol) return undefined;
    if (symbol.flags & ts.SymbolFlags.Alias) return canonicalSymbol(this.checker, symbol);
    const decl = symbol.valueDeclaration;
    return decl && ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const ? symbol : undefined;
  }

  /** Follows a name to its declarations: imports, variables, parameters, fields. */
  private fromDeclarationsOf(name: ts.Node, depth: number, seen: Set<ts.Node>, receiver?: ts.Expression): Provenance | undefined {
    const symbol = this.checker.getSymbolAtLocation(name);
    if (!symbol) return undefined;
    // Shorthand `{ pool }` in an object literal refers to the value symbol.
    let decls = symbol.declarations ?? [];
    // `x.member`: only member declarations say what the member is. A mapped type (`{ [K in keyof typeof schema]: … }`)
    // lends its members the declarations of the keys it maps over, which say nothing about the values.
    if (receiver && !this.isNamespace(receiver)) decls = decls.filter(isMemberDeclaration);
    for (const decl of decls) {
      const p = this.fromDeclaration(decl, depth, seen);
      if (p) return p;
    }
    return undefined;
  }

  private fromDeclaration(decl: ts.Declaration, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    const next = (n: ts.Node | undefined) => (n ? this.resolve(n, depth + 1, seen) : undefined);
    if (ts.isImportSpecifier(decl) || ts.isImportClause(decl) || ts.isNamespaceImport(decl) || ts.isExportSpecifier(decl)) {
      return this.fromImport(decl, depth, seen);
    }
    if (ts.isImportEqualsDeclaration(decl)) {
      const ref = decl.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
        const spec = ref.expression.text;
        return isRelative(spec) ? undefined : external(spec, []);
      }
      return undefined;
    }
    if (ts.isVariableDeclaration(decl)) {
      if (decl.initializer) {
        const p = next(decl.initializer);
        if (p) return p;
      }
      if (decl.type) {
        const p = next(decl.type);
        if (p) return p;
      }
      // `for (const user of users)` with `users: User[]`: an element of the collection.
      const loop = decl.parent.parent;
      if (ts.isForOfStatement(loop) && ts.isVariableDeclarationList(decl.parent) && decl.parent.declarations[0] === decl) {
        return this.elementOf(loop.expression, depth, seen) ?? (this.options.callbackParameters ? this.loopElement(loop.expression, depth, seen) : undefined);
      }
      // `let server; … server = app.listen(3000)`: what is assigned to it.
      return this.fromAssignments(decl, depth, seen);
    }
    if (ts.isBindingElement(decl)) {
      // const { Pool } = require('pg') / const { pool } = db
      const pattern = decl.parent;
      const holder = pattern.parent;
      const key = decl.propertyName ? propertyNameText(decl.propertyName) : ts.isIdentifier(decl.name) ? decl.name.text : undefined;
      if (key === undefined) return undefined;
      if (ts.isObjectBindingPattern(pattern) && (ts.isVariableDeclaration(holder) || ts.isParameter(holder))) {
        // `const { pool } = require('./db')`: the project module's export.
        const module = holder.initializer && this.requiredProjectModule(holder.initializer);
        if (module) return this.projectExport(module, key, depth, seen);
        let base = holder.initializer ? next(holder.initializer) : undefined;
        // `async ({ db }) => …` passed as a callback: the object is the parameter's value.
        if (!base && ts.isParameter(holder)) base = this.fromDeclaration(holder, depth + 1, seen);
        return base ? append(base, key) : undefined;
      }
      return undefined;
    }
    if (ts.isParameter(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl)) {
      if (decl.type) {
        const p = next(decl.type);
        if (p) return p;
      }
      if (ts.isPropertyDeclaration(decl) || ts.isParameter(decl)) {
        const p = decl.initializer ? next(decl.initializer) : undefined;
        if (p) return p;
      }
      if (ts.isParameter(decl)) return this.injectedParameter(decl, depth, seen) ?? (this.options.callbackParameters ? this.callbackParameter(decl, depth, seen) : undefined);
      // A field set in the constructor or an init method: `this.app = express()`.
      if (ts.isPropertyDeclaration(decl)) return this.fromAssignments(decl, depth, seen);
      return undefined;
    }
    if (ts.isClassDeclaration(decl) || ts.isClassExpression(decl)) {
      // `class PrismaService extends PrismaClient` is a PrismaClient as far as its callers go.
      const base = decl.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      return base ? next(base.expression) : undefined;
    }
    if (ts.isPropertyAssignment(decl)) return next(decl.initializer);
    if (ts.isShorthandPropertyAssignment(decl)) {
      const valueSymbol = this.checker.getShorthandAssignmentValueSymbol(decl);
      for (const d of valueSymbol?.declarations ?? []) {
        const p = this.fromDeclaration(d, depth + 1, seen);
        if (p) return p;
      }
      return undefined;
    }
    if (ts.isGetAccessorDeclaration(decl)) return this.returnedFromBody(decl, depth, seen);
    if (ts.isExportAssignment(decl)) return next(decl.expression);
    return undefined;
  }

  /** NestJS-style `@InjectRepository(User) repo` / `@Inject(PG) pool`: the decorator says where it comes from. */
  private injectedParameter(decl: ts.ParameterDeclaration, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    for (const mod of ts.canHaveDecorators(decl) ? ts.getDecorators(decl) ?? [] : []) {
      const expr = mod.expression;
      if (ts.isCallExpression(expr)) {
        const p = this.resolve(expr.expression, depth + 1, seen);
        if (p) return append(p, '()');
      }
    }
    return undefined;
  }

  /**
   * A variable or field declared without a value (or with an untraceable type), then assigned:
   * `let server; server = app.listen()` in its scope, `this.#fastify = Fastify()` in its class.
   * The first assignment that traces to a package wins.
   */
  private fromAssignments(decl: ts.VariableDeclaration | ts.PropertyDeclaration, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    if (!ts.isIdentifier(decl.name) && !ts.isPrivateIdentifier(decl.name)) return undefined;
    const declared = this.checker.getSymbolAtLocation(decl.name);
    if (!declared) return undefined;
    const symbol = this.checker.getExportSymbolOfSymbol(declared);
    // A field is assigned in its class; a variable in the block (or file) that declares it.
    const scope = ts.isPropertyDeclaration(decl) ? decl.parent : decl.parent.parent?.parent;
    if (!scope) return undefined;
    for (const assignment of assignmentsByName(scope, decl.name.text)) {
      const left = assignment.left;
      const target = ts.isPropertyAccessExpression(left) ? left.name : left;
      const assigned = this.checker.getSymbolAtLocation(target);
      if (assigned && this.checker.getExportSymbolOfSymbol(assigned) === symbol) {
        const found = this.resolve(assignment.right, depth + 1, seen);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** `this` in a class member: an instance of the class (the class itself in a static member). */
  private ofThis(node: ts.Node, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    for (let n: ts.Node = node; n.parent; n = n.parent) {
      const p = n.parent;
      if (ts.isClassLike(p)) {
        const cls = this.fromDeclaration(p, depth + 1, seen);
        const isStatic = ts.isClassStaticBlockDeclaration(n) || (ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword));
        return cls ? (isStatic ? cls : append(cls, '()')) : undefined;
      }
      // Functions and object-literal methods bind their own `this`.
      if (ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) || ((ts.isMethodDeclaration(p) || ts.isAccessor(p)) && !ts.isClassLike(p.parent))) return undefined;
    }
    return undefined;
  }

  /** A parameter of a callback: `pool.connect().then((client) => …)` → the call's provenance + `cb(<arg>).<param>`. */
  private callbackParameter(decl: ts.ParameterDeclaration, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    const fn = decl.parent;
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
    let arg: ts.Node = fn;
    while (ts.isParenthesizedExpression(arg.parent)) arg = arg.parent;
    const call = arg.parent;
    if (!ts.isCallExpression(call) && !ts.isNewExpression(call)) return undefined;
    const args: readonly ts.Expression[] = call.arguments ?? [];
    const argIndex = args.indexOf(arg as ts.Expression);
    if (argIndex < 0) return undefined;
    const paramIndex = fn.parameters.indexOf(decl);
    // `users.map((user) => …)` with `users: User[]`: the parameter is an element.
    const callee = call.expression;
    if (argIndex === 0 && paramIndex === 0 && ts.isPropertyAccessExpression(callee) && ELEMENT_CALLBACKS.has(callee.name.text)) {
      const element = this.elementOf(callee.expression, depth, seen);
      if (element) return element;
    }
    const p = this.resolve(call.expression, depth + 1, seen);
    return p ? append(p, `cb(${argIndex}).${paramIndex}`) : undefined;
  }

  /**
   * `for (const user of await User.findAll())` with no declared element type (the package's
   * types not installed): the element of what the collection is, named as the first parameter of
   * a `users.map((user) => …)` callback would be — the classifiers read both the same way
   * (`user.save()` on a Sequelize row is a query in either).
   */
  private loopElement(collection: ts.Expression, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    const p = this.resolve(collection, depth + 1, seen);
    return p ? append(append(p, 'map'), 'cb(0).0') : undefined;
  }

  /** The element of a collection whose declared type is `T[]`, `Array<T>`, `ReadonlyArray<T>` or `Set<T>`: what `T` is. */
  private elementOf(collection: ts.Expression, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    let e = collection;
    while (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e)) e = e.expression;
    const name = ts.isPropertyAccessExpression(e) ? e.name : ts.isIdentifier(e) ? e : undefined;
    const decl = name ? this.checker.getSymbolAtLocation(name)?.valueDeclaration : undefined;
    let type = decl && (ts.isParameter(decl) || ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl)) ? decl.type : undefined;
    while (type && (ts.isTypeOperatorNode(type) || ts.isParenthesizedTypeNode(type))) type = type.type;
    let element: ts.TypeNode | undefined;
    if (type && ts.isArrayTypeNode(type)) element = type.elementType;
    else if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && ['Array', 'ReadonlyArray', 'Set', 'ReadonlySet'].includes(type.typeName.text)) element = type.typeArguments?.[0];
    return element ? this.resolve(element, depth + 1, seen) : undefined;
  }

  /** A type alias declared in the project (not in a package's declarations, where the import already says it all). */
  private projectTypeAlias(typeName: ts.EntityName): ts.TypeAliasDeclaration | undefined {
    let symbol = this.checker.getSymbolAtLocation(typeName);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const decl = symbol?.declarations?.find(ts.isTypeAliasDeclaration);
    // TypeScript's own lib files (`ReturnType`, `Awaited`) are no project's either.
    if (!decl || /[\\/]node_modules[\\/]/.test(decl.getSourceFile().fileName) || decl.getSourceFile().hasNoDefaultLib) return undefined;
    for (let n: ts.Node = decl.parent; n; n = n.parent) if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return undefined;
    return decl;
  }

  /** `schema.users` with `import * as schema from './schema'`: the receiver is a module. */
  private isNamespace(receiver: ts.Expression): boolean {
    if (!ts.isIdentifier(receiver)) return false;
    const symbol = this.checker.getSymbolAtLocation(receiver);
    return !!symbol?.declarations?.some((d) => ts.isNamespaceImport(d) || ts.isImportEqualsDeclaration(d) || ts.isModuleDeclaration(d) || ts.isSourceFile(d));
  }

  /** A bare specifier that resolves to a project source file (tsconfig `paths`/`baseUrl`, e.g. `@/db`, `src/db`). */
  private isProjectModule(moduleSpecifier: ts.Expression): boolean {
    const target = this.checker.getSymbolAtLocation(moduleSpecifier)?.valueDeclaration;
    return !!target && ts.isSourceFile(target) && !/[\\/]node_modules[\\/]/.test(target.fileName);
  }

  private fromImport(decl: ts.ImportSpecifier | ts.ImportClause | ts.NamespaceImport | ts.ExportSpecifier, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    let moduleSpecifier: ts.Expression | undefined;
    let exportName: string;
    if (ts.isImportClause(decl)) {
      moduleSpecifier = decl.parent.moduleSpecifier;
      exportName = 'default';
    } else if (ts.isNamespaceImport(decl)) {
      moduleSpecifier = decl.parent.parent.moduleSpecifier;
      exportName = '*';
    } else if (ts.isImportSpecifier(decl)) {
      moduleSpecifier = decl.parent.parent.parent.moduleSpecifier;
      exportName = decl.propertyName ? propertyNameText(decl.propertyName) ?? decl.name.text : decl.name.text;
    } else {
      // export { x } from 'm' / export { x as y } from 'm' / export { x } (local)
      moduleSpecifier = decl.parent.parent.moduleSpecifier;
      exportName = decl.propertyName ? propertyNameText(decl.propertyName) ?? decl.name.text : decl.name.text;
      if (!moduleSpecifier) {
        const local = this.checker.getExportSpecifierLocalTargetSymbol(decl);
        for (const d of local?.declarations ?? []) {
          if (d === decl) continue;
          const p = this.fromDeclaration(d, depth + 1, seen);
          if (p) return p;
        }
        return undefined;
      }
    }
    if (!moduleSpecifier || !ts.isStringLiteral(moduleSpecifier)) return undefined;
    const spec = moduleSpecifier.text;
    const aliased = this.options.packageOf?.(spec);
    if (aliased !== undefined) return { module: aliased, specifier: spec, path: exportName === '*' ? [] : [exportName] };
    if (!isRelative(spec) && !this.isProjectModule(moduleSpecifier)) {
      // `import * as pg from 'pg'` then `pg.Pool` → path ['Pool'] (the namespace adds nothing);
      // a default import of a CommonJS module is the namespace too.
      return external(spec, exportName === '*' ? [] : [exportName]);
    }
    // A project file: find what it exports under that name and follow it.
    const moduleSymbol = this.checker.getSymbolAtLocation(moduleSpecifier);
    if (!moduleSymbol) return undefined;
    if (exportName === '*') return undefined;
    const exported = this.checker.getExportsOfModule(moduleSymbol).find((s) => s.name === exportName);
    if (!exported) return this.viaExportStar(moduleSymbol, exportName, depth, seen);
    for (const d of exported.declarations ?? []) {
      const p = this.fromDeclaration(d, depth + 1, seen);
      if (p) return p;
    }
    return undefined;
  }

  /** `export * from 'pg'` in a project file: the name is the package's when the package is not installed. */
  private viaExportStar(moduleSymbol: ts.Symbol, name: string, _depth: number, _seen: Set<ts.Node>): Provenance | undefined {
    const file = moduleSymbol.valueDeclaration;
    if (!file || !ts.isSourceFile(file)) return undefined;
    for (const st of file.statements) {
      if (ts.isExportDeclaration(st) && !st.exportClause && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) && !isRelative(st.moduleSpecifier.text)) {
        return external(st.moduleSpecifier.text, [name]);
      }
    }
    return undefined;
  }

  /** The project file `require('./db')` (or a variable holding it) loads, when the specifier is relative. */
  private requiredProjectModule(expr: ts.Expression): ts.SourceFile | undefined {
    let e = expr;
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
    if (ts.isIdentifier(e)) {
      const decl = this.checker.getSymbolAtLocation(e)?.valueDeclaration;
      if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name)) return undefined;
      e = decl.initializer;
      while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    }
    if (!ts.isCallExpression(e)) return undefined;
    const spec = requireSpecifier(e);
    if (spec === undefined || !isRelative(spec)) return undefined;
    const literal = e.arguments[0];
    const viaChecker = this.checker.getSymbolAtLocation(literal)?.valueDeclaration;
    if (viaChecker && ts.isSourceFile(viaChecker)) return viaChecker;
    return this.options.resolveModule?.(spec, e.getSourceFile().fileName);
  }

  /** What a project module exports under `name` (`export const pool = new Pool()`), followed like any declaration. */
  private projectExport(module: ts.SourceFile, name: string, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    const moduleSymbol = this.checker.getSymbolAtLocation(module);
    if (!moduleSymbol) return undefined;
    let symbol = this.checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    for (const decl of symbol?.declarations ?? []) {
      const p = this.fromDeclaration(decl, depth + 1, seen);
      if (p) return p;
    }
    return undefined;
  }

  /**
   * TypeScript's utility types over a value: `type DB = ReturnType<typeof createDb>` is what
   * `createDb` returns (a library's function, or a project function followed to its return);
   * `Awaited<…>` and `NonNullable<…>` are what they wrap.
   */
  private utilityType(node: ts.TypeReferenceNode, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    const arg = node.typeArguments?.length === 1 ? node.typeArguments[0] : undefined;
    if (!arg || !ts.isIdentifier(node.typeName)) return undefined;
    const name = node.typeName.text;
    if (name === 'Awaited' || name === 'NonNullable') return this.resolve(arg, depth + 1, seen);
    if (name !== 'ReturnType' || !ts.isTypeQueryNode(arg)) return undefined;
    const fn = this.resolve(arg.exprName, depth + 1, seen);
    if (fn) return append(fn, '()');
    return this.returnedBy(ts.isIdentifier(arg.exprName) ? arg.exprName : arg.exprName.right, depth + 1, seen);
  }

  /** `const db = makePool()` where makePool is a project function: what its return statements return. */
  private returnedBy(callee: ts.Expression, depth: number, seen: Set<ts.Node>, call?: ts.CallExpression): Provenance | undefined {
    const symbol = this.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
    const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    for (const decl of target?.declarations ?? []) {
      let fn: ts.Node | undefined = decl;
      if (ts.isVariableDeclaration(decl) && decl.initializer && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer))) fn = decl.initializer;
      if (fn && (ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn))) {
        const passed = call ? this.passedThrough(fn, call, depth, seen) : undefined;
        if (passed) return passed;
        const p = this.returnedFromBody(fn, depth, seen);
        if (p) return p;
      }
    }
    return undefined;
  }

  /**
   * A generic helper that hands back what it was given: `remember<T>(name, getValue: () => T): T`,
   * `once<T>(make: () => T): T`, `tap<T>(value: T, …): T` — a singleton cache, a memoiser. Its
   * body returns from a cache (`map.get(name)`), which traces nowhere; its signature says the
   * result is the argument's value, or what the argument returns.
   */
  private passedThrough(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    const returned = fn.type;
    if (!returned || !ts.isTypeReferenceNode(returned) || !ts.isIdentifier(returned.typeName) || returned.typeArguments) return undefined;
    const typeParam = returned.typeName.text;
    if (!(fn.typeParameters ?? []).some((t) => t.name.text === typeParam)) return undefined;
    const isT = (t: ts.TypeNode | undefined): boolean => !!t && ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && t.typeName.text === typeParam && !t.typeArguments;
    for (const [i, param] of fn.parameters.entries()) {
      const arg = call.arguments[i];
      if (!arg || param.dotDotDotToken) continue;
      if (isT(param.type)) return this.resolve(arg, depth + 1, seen);
      if (param.type && ts.isFunctionTypeNode(param.type) && param.type.parameters.length === 0 && isT(param.type.type)) {
        const value = skipParens(arg);
        if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return this.returnedFromBody(value, depth + 1, seen);
        return this.returnedBy(value, depth + 1, seen);
      }
    }
    return undefined;
  }

  private returnedFromBody(fn: ts.FunctionLikeDeclaration, depth: number, seen: Set<ts.Node>): Provenance | undefined {
    if (fn.type) {
      const p = this.resolve(fn.type, depth + 1, seen);
      if (p) return p;
    }
    const body = fn.body;
    if (!body) return undefined;
    if (!ts.isBlock(body)) return this.resolve(body, depth + 1, seen);
    let found: Provenance | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isFunctionLike(n) && n !== fn) return;
      if (ts.isReturnStatement(n) && n.expression) {
        found = this.resolve(n.expression, depth + 1, seen);
        return;
      }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
    return found;
  }
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

const assignmentIndex = new WeakMap<ts.Node, Map<string, ts.BinaryExpression[]>>();

/**
 * `name = …` and `this.name = …` assignments inside `scope`, by name; syntax only, so it is
 * computed once per scope node (a SourceFile's nodes live as long as the file is unchanged).
 */
function assignmentsByName(scope: ts.Node, name: string): ts.BinaryExpression[] {
  const index = nodeIndex<ts.BinaryExpression>(assignmentIndex, scope, (n) => {
    if (!ts.isBinaryExpression(n) || n.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
    const left = n.left;
    const key = ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword ? left.name.text : ts.isIdentifier(left) ? left.text : undefined;
    return key !== undefined ? [key, n] : undefined;
  });
  return index.get(name) ?? [];
}

/** Array methods whose callback's first parameter is an element of the receiver. */
const ELEMENT_CALLBACKS = new Set(['map', 'flatMap', 'forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);

function isMemberDeclaration(d: ts.Declaration): boolean {
  return (
    ts.isPropertyDeclaration(d) || ts.isPropertySignature(d) || ts.isPropertyAssignment(d) || ts.isShorthandPropertyAssignment(d) || ts.isParameter(d) ||
    ts.isGetAccessorDeclaration(d) || ts.isSetAccessorDeclaration(d) || ts.isMethodDeclaration(d) || ts.isMethodSignature(d) || ts.isEnumMember(d) ||
    ts.isBinaryExpression(d) || ts.isPropertyAccessExpression(d)
  );
}

function external(specifier: string, path: string[]): Provenance {
  return { module: packageName(specifier), specifier, path };
}

function append(p: Provenance, segment: string): Provenance {
  return { module: p.module, specifier: p.specifier, path: [...p.path, segment] };
}

function requireSpecifier(call: ts.CallExpression): string | undefined {
  if (ts.isIdentifier(call.expression) && call.expression.text === 'require' && call.arguments.length === 1 && ts.isStringLiteralLike(call.arguments[0])) {
    return call.arguments[0].text;
  }
  return undefined;
}

function literalText(node: ts.Expression): string | undefined {
  return ts.isStringLiteralLike(node) || ts.isNumericLiteral(node) ? node.text : undefined;
}

function propertyNameText(name: ts.PropertyName | ts.ModuleExportName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/**
 * The package a value's type is declared in, when its declarations are installed
 * (`node_modules/pg/...` or `node_modules/@types/pg/...` → `pg`).
 */
export function typeOrigin(checker: ts.TypeChecker, node: ts.Node): { module: string; typeName: string } | undefined {
  let type = checker.getTypeAtLocation(node);
  if (type.isUnion()) type = type.types.find((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null))) ?? type;
  const symbol = type.aliasSymbol ?? type.getSymbol();
  for (const decl of symbol?.declarations ?? []) {
    const file = decl.getSourceFile().fileName;
    const module = packageFromPath(file);
    if (module) return { module, typeName: symbol!.name };
  }
  return undefined;
}

/** `/x/node_modules/@types/express-serve-static-core/index.d.ts` → `express-serve-static-core`. */
export function packageFromPath(file: string): string | undefined {
  const norm = file.replace(/\\/g, '/');
  const idx = norm.lastIndexOf('/node_modules/');
  if (idx < 0) return undefined;
  const rest = norm.slice(idx + '/node_modules/'.length).split('/');
  if (rest[0] === '@types') {
    const name = rest[1];
    return name?.includes('__') ? '@' + name.replace('__', '/') : name;
  }
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}
