import ts from 'typescript';
import type { DbCallSite } from './callSite';
import { DB_LIBRARIES, dbLibraryOf, type DbLibrary, type DbLibraryDescriptor, type CallShape } from './libraries';
import { BULK_METHODS, isPaginated, operationOf, setFilterOf } from './queryShape';
import { displayCall, executionOf, isExecuted, memberName, skipOuter } from '../ts/expressions';
import { packageFromPath, packageName, typeOrigin, type ProvenanceResolver } from '../ts/provenance';

/**
 * Recognises the calls that make a database round trip — `pool.query(…)`, `` sql`…` ``,
 * `prisma.user.findMany(…)`, `await db('users').where(…)` — by where the receiver comes from:
 *
 * 1. provenance (works without node_modules): the receiver traced through variables,
 *    parameters, fields, imports and re-exports to a driver/ORM export;
 * 2. types (when declarations are installed, or declared in an ambient `declare module 'pg'`):
 *    the called method's declaration lives in the driver/ORM package.
 *
 * Names of variables never decide anything; method names only decide within a library
 * (`find` on a TypeORM repository queries, `create` does not). What each library calls a
 * round trip is in its descriptor (`./libraries/<id>.ts`).
 */

export interface RecognizerOptions {
  /** Whether any driver/ORM declarations are in the program (else the type checker cannot help). */
  typesAvailable: boolean;
  /** The database libraries the project uses (imports, ambient declarations, package.json). */
  libraries: ReadonlySet<DbLibrary>;
  /** Whether the project declares a function or method of this name. */
  declaredInProject?: (name: string) => boolean;
}

export class DbCallRecognizer {
  private readonly memo = new Map<ts.Node, DbCallSite | null>();
  private readonly typesAvailable: boolean;
  private readonly candidates = new Set<string>();
  private readonly executedBuilders: boolean;
  private readonly mixins: boolean;
  private readonly declaredInProject: (name: string) => boolean;

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly provenance: ProvenanceResolver,
    options: RecognizerOptions,
  ) {
    this.typesAvailable = options.typesAvailable;
    this.declaredInProject = options.declaredInProject ?? (() => false);
    const used = [...options.libraries].map((id): DbLibraryDescriptor => DB_LIBRARIES[id]);
    for (const lib of used) for (const m of lib.recognition.methods) this.candidates.add(m);
    this.executedBuilders = used.some((l) => l.recognition.executesWhenAwaited);
    this.mixins = used.some((l) => l.recognition.associationMixins);
  }

  /**
   * A syntactic filter run before anything asks the checker: `rows.filter(…)`, `res.json(…)`,
   * `cache.get(…)` cannot be round trips unless a library the project uses queries with that
   * method name. Tags always pass; an awaited or returned call passes when the project uses
   * Knex or Drizzle (their builders run then, and `db('users')` is a Knex query).
   */
  couldBeDbCall(node: ts.CallExpression | ts.TaggedTemplateExpression): boolean {
    if (ts.isTaggedTemplateExpression(node)) return true;
    const name = memberName(skipOuter(node.expression));
    // Calling a value itself queries only for a Knex instance/transaction (`await db('users')`).
    if (name === undefined) return this.executedBuilders && isExecuted(node);
    if (this.candidates.has(name)) return true;
    if (this.mixins && /^(get|set|add|remove|has|count|create)[A-Z]/.test(name)) return true; // Sequelize association mixins
    return this.executedBuilders && isExecuted(node);
  }

  /**
   * The round trip this call makes, recognised by provenance. `null`: it comes from a database
   * library but makes none (a builder step); `undefined`: not traced to a database library.
   */
  byProvenance(node: ts.CallExpression | ts.TaggedTemplateExpression): DbCallSite | null | undefined {
    if (this.memo.has(node)) return this.memo.get(node);
    if (!this.couldBeDbCall(node)) return undefined;
    const callee = skipOuter(ts.isCallExpression(node) ? node.expression : node.tag);
    const p = this.provenance.of(callee);
    const library = p ? dbLibraryOf(p.module) : undefined;
    if (!p || !library) return undefined;
    const path = normalise(p.path);
    const method = memberName(callee);
    const shape: CallShape = { node, path, method, tagged: ts.isTaggedTemplateExpression(node), executed: isExecuted(node), typed: false, declaredInProject: method !== undefined && this.declaredInProject(method) };
    const site = this.site(library, shape, 'provenance');
    this.memo.set(node, site);
    return site;
  }

  /**
   * The round trip this call makes, recognised from declarations: the called member is declared
   * in a driver/ORM package (installed, or an ambient `declare module`). Pass the member's symbol
   * when the caller already resolved it.
   */
  byType(node: ts.CallExpression | ts.TaggedTemplateExpression, symbol?: ts.Symbol): DbCallSite | undefined {
    if (!this.typesAvailable) return undefined;
    const callee = skipOuter(ts.isCallExpression(node) ? node.expression : node.tag);
    const method = memberName(callee);
    const tagged = ts.isTaggedTemplateExpression(node);
    const executed = isExecuted(node);
    if (method !== undefined) {
      if (!this.couldBeDbCall(node)) return undefined;
      const sym = symbol ?? (ts.isPropertyAccessExpression(callee) ? this.checker.getSymbolAtLocation(callee.name) : undefined);
      for (const decl of sym?.declarations ?? []) {
        const module = moduleOfDeclaration(decl);
        const library = module ? dbLibraryOf(module) : undefined;
        if (!library) continue;
        const site = this.site(library, { node, path: [containerName(decl), method], method, tagged, executed, typed: true }, 'type');
        if (site) return site;
      }
      return undefined;
    }
    // `` sql`…` `` with `sql: Sql` from postgres, or `trx('users')` with `trx: Knex.Transaction`.
    if (!tagged && !executed) return undefined;
    const origin = typeOrigin(this.checker, callee);
    const library = origin ? dbLibraryOf(origin.module) : undefined;
    if (!library) return undefined;
    return this.site(library, { node, path: [origin!.typeName, '()'], method: undefined, tagged, executed, typed: true }, 'type') ?? undefined;
  }

  /** Whether the type checker is worth asking about this call at all. */
  isTypedCandidate(node: ts.CallExpression | ts.TaggedTemplateExpression): boolean {
    if (!this.typesAvailable) return false;
    if (ts.isTaggedTemplateExpression(node)) return true;
    const name = memberName(skipOuter(node.expression));
    return name === undefined ? isExecuted(node) : this.couldBeDbCall(node);
  }

  private site(library: DbLibrary, shape: CallShape, recognisedBy: DbCallSite['recognisedBy']): DbCallSite | null {
    // `order.items.find((i) => …)` on rows an earlier query loaded (an eager relation): an array
    // method with a callback. No driver or ORM takes a function as `find`/`filter`/…'s first argument.
    if (shape.method && ARRAY_CALLBACK_METHODS.has(shape.method) && ts.isCallExpression(shape.node) && isFunctionArgument(shape.node.arguments[0])) return null;
    const recognition = (DB_LIBRARIES[library] as DbLibraryDescriptor).recognition;
    const verdict = recognition.classify(shape);
    if (!verdict) return null;
    const node = shape.node;
    return {
      node,
      library,
      display: displayCall(node),
      method: verdict.method,
      operation: verdict.operation ?? operationOf(node, verdict.method),
      bulk: BULK_METHODS.has(verdict.method),
      setFilter: setFilterOf(node, { checker: this.checker, arrayValuesAreSets: recognition.arrayValuesAreSets }),
      sameTickBatchable: recognition.sameTickBatchable?.(verdict.method) ?? false,
      paginated: isPaginated(node, { checker: this.checker }),
      deferred: !!recognition.executesWhenAwaited && !recognition.runsWhenCalled?.has(verdict.method) && executionOf(node) === 'returned',
      recognisedBy,
    };
  }
}

const ARRAY_CALLBACK_METHODS = new Set(['find', 'findIndex', 'findLast', 'filter', 'some', 'every', 'map', 'flatMap', 'forEach', 'reduce', 'sort', 'count']);

function isFunctionArgument(arg: ts.Expression | undefined): boolean {
  const e = arg && skipOuter(arg);
  return !!e && (ts.isArrowFunction(e) || ts.isFunctionExpression(e));
}

/** `import pg from 'pg'; new pg.Pool()` and `import { Pool } from 'pg'` are the same thing. */
function normalise(path: string[]): string[] {
  return path[0] === 'default' && path.length > 1 && path[1] !== '()' ? path.slice(1) : path;
}


// ---------------------------------------------------------------------------------------------
// Declarations.

/** The package a declaration belongs to: its file under node_modules, or an enclosing ambient `declare module 'x'`. */
export function moduleOfDeclaration(decl: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) {
      const fromPath = packageFromPath(decl.getSourceFile().fileName);
      return fromPath ?? packageName(n.name.text);
    }
  }
  return packageFromPath(decl.getSourceFile().fileName);
}

function containerName(decl: ts.Node): string {
  const p = decl.parent;
  if (p && (ts.isClassLike(p) || ts.isInterfaceDeclaration(p)) && p.name) return p.name.text;
  if (p && ts.isTypeLiteralNode(p) && ts.isTypeAliasDeclaration(p.parent)) return p.parent.name.text;
  return '';
}

/** The database libraries whose declarations are part of the program (installed, or an ambient `declare module`): those types can recognise. */
export function dbLibrariesDeclaredIn(program: ts.Program, checker: ts.TypeChecker): Set<DbLibrary> {
  const out = new Set<DbLibrary>();
  for (const sf of program.getSourceFiles()) {
    if (!sf.isDeclarationFile) continue;
    const module = packageFromPath(sf.fileName);
    const library = module ? dbLibraryOf(module) : undefined;
    if (library) out.add(library);
  }
  for (const m of checker.getAmbientModules()) {
    const library = dbLibraryOf(packageName(m.name.replace(/^"|"$/g, '')));
    if (library) out.add(library);
  }
  return out;
}

/** Whether any database library's declarations are part of the program: otherwise types cannot recognise anything. */
export function dbDeclarationsPresent(program: ts.Program, checker: ts.TypeChecker): boolean {
  for (const sf of program.getSourceFiles()) {
    if (!sf.isDeclarationFile) continue;
    const module = packageFromPath(sf.fileName);
    if (module && dbLibraryOf(module)) return true;
  }
  return checker.getAmbientModules().some((m) => {
    const name = m.name.replace(/^"|"$/g, '');
    return dbLibraryOf(packageName(name)) !== undefined;
  });
}

