/**
 * Project decorators that stand for TypeORM's column decorators, read from the code (syntax
 * only), so an entity's `@PrimaryGeneratedId() id` or `@EntityId() ownerId` is a column like
 * `@PrimaryGeneratedColumn() id`:
 * - a wrapper: a function whose body calls a TypeORM column decorator
 *   (`export const UuidKey = () => PrimaryGeneratedColumn('uuid')`, `applyDecorators(Column(…), …)`,
 *   `(target, key) => Column({ … })(target, key)`): it stands for that decorator;
 * - a registry: a decorator that records its target in a module variable
 *   (`primaryKey = { entity, name }`, `registry.set(entity, …)`) which another function of its module
 *   returns, where a function of the project applies a TypeORM column decorator to what that
 *   function returns (`const { entity, name } = getPrimaryKey(); PrimaryGeneratedColumn(type)(entity, name)`),
 *   as frameworks do that pick a column's type at start-up: it stands for the decorator applied.
 * A decorator that does neither (a validation or documentation decorator) is no column.
 */
import * as path from 'node:path';
import ts from 'typescript';

/** TypeORM's decorators that declare a column (property decorators). */
export const COLUMN_DECORATORS = new Set(['Column', 'PrimaryColumn', 'PrimaryGeneratedColumn', 'CreateDateColumn', 'UpdateDateColumn', 'DeleteDateColumn', 'VersionColumn', 'ObjectIdColumn']);

/** What a project decorator stands for: TypeORM's decorator and the arguments it is called with. */
export interface ColumnDecoratorStandIn {
  decorator: string;
  args: readonly ts.Expression[];
}

/** Finds the source file an import specifier of `from` names (relative specifiers only). */
export type ModuleResolver = (from: ts.SourceFile, specifier: string) => ts.SourceFile | undefined;

/**
 * A cheap test on a file's text for a TypeORM column decorator applied by code rather than as a
 * decorator: `Column({ … })(entity, name)`.
 */
export const DEFERRED_COLUMN_APPLICATION = /\b(?:Primary(?:Generated)?Column|Column)\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\s*\(/;

/** The files a module specifier may name, in TypeScript's order (`./a` → `./a.ts`, `./a/index.ts`). */
export function moduleCandidates(fromFile: string, specifier: string): string[] {
  if (!specifier.startsWith('.')) return [];
  const base = path.resolve(path.dirname(fromFile), specifier.replace(/\.(js|mjs|cjs)$/, ''));
  return [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), base];
}

/** Whether `name` in `sf` is TypeORM's (imported from 'typeorm'). */
function typeormNames(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.moduleSpecifier.text !== 'typeorm') continue;
    const named = st.importClause?.namedBindings;
    if (named && ts.isNamedImports(named)) for (const el of named.elements) out.add(el.name.text);
  }
  return out;
}

/** A top-level function of a file, by name: `function f() {}` or `const f = () => …`. */
export function topLevelFunction(sf: ts.SourceFile, name: string): ts.FunctionLikeDeclaration | undefined {
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name?.text === name && st.body) return st;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) return d.initializer;
      }
    }
  }
  return undefined;
}

/** Names of a file's top-level variables (`let registry = …`, `const byEntity = new Map()`). */
function moduleVariables(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  for (const st of sf.statements) if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && !(d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer)))) out.add(d.name.text);
  return out;
}

function identifiersIn(node: ts.Node, names: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && names.has(n.text)) out.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/** Calls to TypeORM's column decorators inside `node` (the file imports them from 'typeorm'). */
function columnDecoratorCalls(node: ts.Node, typeorm: ReadonlySet<string>): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && COLUMN_DECORATORS.has(n.expression.text) && typeorm.has(n.expression.text)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

interface DeferredApplication {
  /** TypeORM's decorator call, `Column({ … })` in `Column({ … })(entity, name)`. */
  call: ts.CallExpression;
  /** Top-level functions of other modules the enclosing function calls: the registry's readers. */
  readers: Array<{ file: ts.SourceFile; name: string }>;
}

/** The expressions a name declared in `fn` takes its value from: its initializer, or the iterable of a `for … of`. */
function bindingSources(fn: ts.Node, name: string): ts.Expression[] {
  const out: ts.Expression[] = [];
  const binds = (b: ts.BindingName): boolean => (ts.isIdentifier(b) ? b.text === name : b.elements.some((e) => !ts.isOmittedExpression(e) && binds(e.name)));
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && binds(n.name)) {
      if (n.initializer) out.push(n.initializer);
      const list = n.parent;
      if (ts.isVariableDeclarationList(list) && ts.isForOfStatement(list.parent)) out.push(list.parent.expression);
    }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return out;
}

export class ColumnDecoratorStandIns {
  private readonly applications: DeferredApplication[] = [];
  private readonly cache = new Map<ts.Node, ColumnDecoratorStandIn | undefined>();

  /** `files`: the project's files that may apply TypeORM column decorators by code (see DEFERRED_COLUMN_APPLICATION). */
  constructor(files: readonly ts.SourceFile[], private readonly resolve: ModuleResolver) {
    for (const sf of files) this.collectApplications(sf);
  }

  /** What the function declared as `name` in `file` stands for, when it is a column decorator. */
  of(file: ts.SourceFile, name: string): ColumnDecoratorStandIn | undefined {
    const fn = topLevelFunction(file, name);
    if (!fn) return undefined;
    if (this.cache.has(fn)) return this.cache.get(fn);
    const standIn = this.wrapped(file, fn) ?? this.registered(file, fn);
    this.cache.set(fn, standIn);
    return standIn;
  }

  private wrapped(file: ts.SourceFile, fn: ts.FunctionLikeDeclaration): ColumnDecoratorStandIn | undefined {
    const calls = fn.body ? columnDecoratorCalls(fn.body, typeormNames(file)) : [];
    const call = calls.find((c) => (c.expression as ts.Identifier).text.startsWith('Primary')) ?? calls[0];
    return call ? { decorator: (call.expression as ts.Identifier).text, args: call.arguments } : undefined;
  }

  private registered(file: ts.SourceFile, fn: ts.FunctionLikeDeclaration): ColumnDecoratorStandIn | undefined {
    if (!fn.body) return undefined;
    const written = identifiersIn(fn.body, moduleVariables(file));
    if (written.size === 0) return undefined;
    for (const app of this.applications) {
      for (const reader of app.readers) {
        if (reader.file !== file) continue;
        const g = topLevelFunction(file, reader.name);
        if (!g?.body || g === fn) continue;
        const read = identifiersIn(g.body, written);
        if (read.size > 0) return { decorator: (app.call.expression as ts.Identifier).text, args: app.call.arguments };
      }
    }
    return undefined;
  }

  private collectApplications(sf: ts.SourceFile): void {
    const typeorm = typeormNames(sf);
    if (typeorm.size === 0) return;
    const imported = new Map<string, { file: ts.SourceFile; name: string }>();
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
      const named = st.importClause?.namedBindings;
      if (!named || !ts.isNamedImports(named)) continue;
      const target = this.resolve(sf, st.moduleSpecifier.text);
      if (target) for (const el of named.elements) imported.set(el.name.text, { file: target, name: (el.propertyName ?? el.name).text });
    }
    for (const call of columnDecoratorCalls(sf, typeorm)) {
      if (!ts.isCallExpression(call.parent) || call.parent.expression !== call) continue;
      let fn: ts.Node | undefined = call.parent;
      while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
      if (!fn) continue;
      // The registry readers whose results reach the decorated target: `const { entity, name } = read()`, `for (const c of read(e))`.
      const readers: DeferredApplication['readers'] = [];
      const seen = new Set<string>();
      const trace = (n: ts.Node, depth: number): void => {
        if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && imported.has(n.expression.text)) readers.push(imported.get(n.expression.text)!);
        if (ts.isIdentifier(n) && !seen.has(n.text) && depth < 4) {
          seen.add(n.text);
          for (const source of bindingSources(fn!, n.text)) trace(source, depth + 1);
        }
        ts.forEachChild(n, (c) => trace(c, depth));
      };
      for (const arg of call.parent.arguments) trace(arg, 0);
      if (readers.length) this.applications.push({ call, readers });
    }
  }
}
