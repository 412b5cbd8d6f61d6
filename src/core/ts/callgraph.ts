// Over 400 lines on purpose: the call graph's local facts, summaries, incremental cache and file
// indexer share one cache structure and its invalidation (see `sync`); splitting them would spread it.
import ts from 'typescript';
import type { DbCallSite } from '../db/callSite';
import { DependentsGraph } from '../project/dependents';
import { toPosix } from '../project/files';
import { dbLibraryImportedBy, type DbLibrary } from '../db/libraries';
import { isListDerivedFrom } from '../db/queryShape';
import { DbCallRecognizer, dbDeclarationsPresent } from '../db/recognizer';
import { skipOuter } from './expressions';
import { functionOfDeclaration } from './symbols';
import { inFirstTick, isFunctionBody, walkRegion, type FunctionBody } from './iteration';
import type { ProvenanceResolver } from './provenance';
import { resultUse, type ResultUse } from './resultUse';
import { gateOf, gateThroughCall, memoizedInField, type QueryGate } from './queryGates';
import { findCallsOf } from './listsFromCallers';
import type { Invocation } from './registries';

/**
 * Which project functions perform database calls, directly or through other functions (any
 * file, any depth; recursion and mutual recursion handled as strongly connected components).
 *
 * Two levels, so that an edit in the language server redoes little:
 * - local facts of a function: the queries it issues itself and the project functions it calls.
 *   Kept in the rule's cache across runs, per file, and dropped when the file or anything it
 *   imports (transitively) changes — the only ways a call's target or a receiver's provenance
 *   can change;
 * - summaries: the queries a function reaches, combined from local facts once per run.
 */

export interface LocalHit {
  site: DbCallSite;
  /** Issued before the function's first await (and not in a `.then` callback). */
  firstTick: boolean;
  /** A lazy builder the function returns: a round trip only where a caller awaits the call. */
  deferred: boolean;
  /** Runs only when an option is passed or a parameter's relation is missing (see queryGates). */
  gate?: QueryGate;
}

export interface CallEdge {
  /** The call (or function reference) in the caller. */
  call: ts.Node;
  /** Project functions it runs: one, or each implementation of an interface/abstract method. */
  callees: FunctionBody[];
  firstTick: boolean;
  /** What the caller does with the call's value: a returned builder runs only when it is executed. */
  use: ResultUse;
  /** The call is made only when an option is passed or a parameter's relation is missing. */
  gate?: QueryGate;
}

export interface LocalFacts {
  hits: LocalHit[];
  edges: CallEdge[];
}

export interface Step {
  fn: FunctionBody;
  call: ts.Node;
}

export interface ReachedQuery {
  site: DbCallSite;
  /** Functions passed through below the summarised one, outermost first. */
  via: Step[];
  /** A Prisma `findUnique` reached with no await on the way: merged with its same-tick siblings. */
  tickBatched: boolean;
  paginated: boolean;
  /** A lazy builder handed back up to here, not yet run: a query only where a caller awaits it. */
  deferred: boolean;
  /** Runs only when the summarised function's caller passes an option or lacks a relation (see queryGates). */
  gate?: QueryGate;
}

export interface FunctionSummary {
  /** At most one query per (tickBatched, paginated) combination: enough to answer every context. */
  queries: ReachedQuery[];
}

export type CallTarget = { kind: 'query'; site: DbCallSite } | { kind: 'functions'; callees: FunctionBody[] };

interface FileInfo {
  /** Names of functions and methods declared in the file (for cheap filtering of `x.name()` calls). */
  names: Set<string>;
  /** Classes with the names in their `extends`/`implements` clauses. */
  classes: Array<{ decl: ts.ClassLikeDeclaration; heritage: string[] }>;
  /** Database libraries the file imports (or declares with `declare module`). */
  libraries: DbLibrary[];
}

interface FileEntry {
  sf: ts.SourceFile;
  facts: Map<FunctionBody, LocalFacts>;
  /** Some call was resolved to implementations found through the class index, not imports. */
  usesImplementations: boolean;
}

interface GraphCache {
  files: Map<string, FileEntry>;
  info: WeakMap<ts.SourceFile, FileInfo>;
  /** Every source file of the previous run's program, to see what changed. */
  lastFiles?: Map<string, ts.SourceFile>;
  /** Project files counted in `nameCounts`/`libraryCounts`: how many declare each function name / import each library. */
  counted: Map<string, ts.SourceFile>;
  nameCounts: Map<string, number>;
  libraryCounts: Map<DbLibrary, number>;
  /** Which project files import which (kept up to date from the changed files), for the compiler options it was built with. */
  dependents?: { graph: DependentsGraph; options: ts.CompilerOptions };
  typesAvailable?: boolean;
}

export interface CallGraphContext {
  program: ts.Program;
  checker: ts.TypeChecker;
  /**
   * The analysis' resolver (the rule context's), not one of the graph's own: query sites and
   * the rules then agree on where a value comes from. It must trace callback parameters
   * (`callbackParameters: true`) for transaction clients (`tx`, `trx`) to be recognised.
   */
  provenance: ProvenanceResolver;
  projectFiles: readonly ts.SourceFile[];
  cache: Map<string, unknown>;
  /** Database libraries named in package.json. */
  declaredLibraries?: Iterable<DbLibrary>;
}

const CACHE_KEY = 'callgraph';
const typesPresence = new WeakMap<ts.Program, boolean>();

export class CallGraph {
  readonly provenance: ProvenanceResolver;
  private recognizerInstance: DbCallRecognizer | undefined;
  private readonly typesAvailable: boolean;
  private readonly declaredLibraries: readonly DbLibrary[];
  private readonly checker: ts.TypeChecker;
  private readonly program: ts.Program;
  private readonly projectFiles: ReadonlySet<ts.SourceFile>;
  private readonly cache: GraphCache;
  private readonly targets = new Map<ts.Node, CallTarget | null>();
  private readonly summaries = new Map<FunctionBody, FunctionSummary>();
  private readonly calls = new Map<FunctionBody, readonly Invocation[] | undefined>();
  /** Functions that call themselves, directly or through others: the functions of their cycle. */
  private readonly cycles = new Map<FunctionBody, readonly FunctionBody[]>();
  private heritageIndex: Map<string, Array<ts.ClassLikeDeclaration>> | undefined;
  private currentEntry: FileEntry | undefined;

  constructor(ctx: CallGraphContext) {
    this.program = ctx.program;
    this.checker = ctx.checker;
    this.projectFiles = new Set(ctx.projectFiles);
    let cache = ctx.cache.get(CACHE_KEY) as GraphCache | undefined;
    if (!cache) ctx.cache.set(CACHE_KEY, (cache = { files: new Map(), info: new WeakMap(), counted: new Map(), nameCounts: new Map(), libraryCounts: new Map() }));
    this.cache = cache;
    let typesAvailable = typesPresence.get(ctx.program);
    if (typesAvailable === undefined) typesPresence.set(ctx.program, (typesAvailable = dbDeclarationsPresent(ctx.program, ctx.checker)));
    if (cache.typesAvailable !== typesAvailable) cache.files.clear();
    cache.typesAvailable = typesAvailable;
    this.typesAvailable = typesAvailable;
    this.declaredLibraries = [...(ctx.declaredLibraries ?? [])];
    this.provenance = ctx.provenance;
  }

  /**
   * An indexer to feed every node of `sf` to while walking it anyway (see `walkRegion`'s
   * `node` hook), or undefined when this version of the file is indexed already. Saves a
   * second walk of every file on a whole-workspace scan. Call `indexed` with its result.
   */
  indexerFor(sf: ts.SourceFile): FileIndexer | undefined {
    return this.cache.info.has(sf) ? undefined : new FileIndexer();
  }

  indexed(sf: ts.SourceFile, indexer: FileIndexer): void {
    if (!this.cache.info.has(sf)) this.cache.info.set(sf, indexer.result());
  }

  /** Call once the target files are walked, before asking about any call. */
  prepare(): void {
    if (this.recognizerInstance) return;
    this.sync();
    const libraries = new Set<DbLibrary>(this.declaredLibraries);
    for (const [lib, n] of this.cache.libraryCounts) if (n > 0) libraries.add(lib);
    this.recognizerInstance = new DbCallRecognizer(this.checker, this.provenance, { typesAvailable: this.typesAvailable, libraries, declaredInProject: (name) => !!this.cache.nameCounts.get(name) });
  }

  get recognizer(): DbCallRecognizer {
    if (!this.recognizerInstance) this.prepare();
    return this.recognizerInstance!;
  }

  // -------------------------------------------------------------------------------------------
  // What a call does.

  /** A query, project functions that may issue queries, or nothing of interest. */
  analyseCall(node: ts.CallExpression | ts.TaggedTemplateExpression): CallTarget | undefined {
    const memo = this.targets.get(node);
    if (memo !== undefined) return memo ?? undefined;
    let target: CallTarget | undefined;
    // A method the project declares runs the project's code, even on a database value:
    // `user.getEmailToken()` on a Sequelize model, an overridden `find()` in a custom repository.
    let callees = ts.isCallExpression(node) && this.mayBeProjectMethod(node.expression) ? this.calleesOf(node.expression) : [];
    const byProvenance = callees.length > 0 ? undefined : this.recognizer.byProvenance(node);
    if (byProvenance) target = { kind: 'query', site: byProvenance };
    else {
      if (callees.length === 0 && ts.isCallExpression(node) && !this.mayBeProjectMethod(node.expression)) callees = this.calleesOf(node.expression);
      if (callees.length > 0) target = { kind: 'functions', callees };
      else if (byProvenance === undefined && this.recognizer.isTypedCandidate(node)) {
        const site = this.recognizer.byType(node);
        if (site) target = { kind: 'query', site };
      }
    }
    this.targets.set(node, target ?? null);
    return target;
  }

  /** `x.name(…)` where the project declares a function or method called `name`. */
  private mayBeProjectMethod(callee: ts.Expression): boolean {
    const e = skipOuter(callee);
    return ts.isPropertyAccessExpression(e) && !!this.cache.nameCounts.get(e.name.text);
  }

  /**
   * Every call of `fn` in the project's files, or undefined when its name is used there in any
   * other way (handed on as a value: its callers are not all known). Searched once per function.
   */
  callsOf(fn: FunctionBody): readonly Invocation[] | undefined {
    if (!this.calls.has(fn)) this.calls.set(fn, findCallsOf(fn, this.projectFiles, this.checker));
    return this.calls.get(fn);
  }

  /** `ids.map(loadUser)`: the functions a reference stands for. */
  analyseReference(node: ts.Expression): CallTarget | undefined {
    const callees = this.calleesOf(node);
    return callees.length > 0 ? { kind: 'functions', callees } : undefined;
  }

  /** The project functions a callee expression (`loadUser`, `this.users.find`, `db.query`) runs. */
  calleesOf(expr: ts.Expression): FunctionBody[] {
    const e = boundFunction(expr) ?? skipOuter(expr);
    let symbol: ts.Symbol | undefined;
    if (ts.isIdentifier(e)) symbol = this.checker.getSymbolAtLocation(e);
    else if (ts.isPropertyAccessExpression(e)) {
      if (!this.cache.nameCounts.get(e.name.text)) return [];
      symbol = this.checker.getSymbolAtLocation(e.name);
    } else return [];
    return symbol ? this.bodiesOf(symbol, 0) : [];
  }

  /**
   * The project's own code: its files, and sources outside them the program reached (a sibling
   * workspace package's src/ when one app of a monorepo is scanned) — never declarations or packages.
   */
  private isProjectCode(sf: ts.SourceFile): boolean {
    return this.projectFiles.has(sf) || (!sf.isDeclarationFile && !/[\\/]node_modules[\\/]/.test(sf.fileName));
  }

  private bodiesOf(symbol: ts.Symbol, depth: number): FunctionBody[] {
    if (depth > 4) return [];
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const out: FunctionBody[] = [];
    for (const decl of symbol.declarations ?? []) {
      if (!this.isProjectCode(decl.getSourceFile())) continue;
      const fn = functionOfDeclaration(decl);
      if (fn) {
        out.push(fn);
        continue;
      }
      if (ts.isShorthandPropertyAssignment(decl)) {
        const value = this.checker.getShorthandAssignmentValueSymbol(decl);
        if (value) out.push(...this.bodiesOf(value, depth + 1));
      } else if ((ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer && boundFunction(decl.initializer)) {
        // const load = loadUser; export const repo = { find: findUser }; const load = this.load.bind(this); promisify(load)
        const init = boundFunction(decl.initializer)!;
        const s = this.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(init) ? init.name : init);
        if (s) out.push(...this.bodiesOf(s, depth + 1));
      } else if (ts.isBindingElement(decl) && ts.isObjectBindingPattern(decl.parent) && !decl.dotDotDotToken) {
        // `const { users: { findUser } } = libraries`: the member of the destructured value's type
        // (a factory's returned `{ findUser }`, a service object's method).
        const name = decl.propertyName ?? decl.name;
        const member = ts.isIdentifier(name) || ts.isStringLiteral(name) ? this.checker.getTypeAtLocation(decl.parent).getProperty(name.text) : undefined;
        if (member && member !== symbol) out.push(...this.bodiesOf(member, depth + 1));
      } else if (isAbstractMember(decl)) {
        out.push(...this.implementationsOf(decl as ts.MethodSignature | ts.MethodDeclaration | ts.PropertySignature | ts.PropertyDeclaration));
      }
    }
    return out;
  }

  /** Implementations of an interface method or abstract method: members of the same name in classes that implement/extend it. */
  private implementationsOf(member: ts.MethodSignature | ts.MethodDeclaration | ts.PropertySignature | ts.PropertyDeclaration): FunctionBody[] {
    const container = member.parent;
    const name = member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) ? member.name.text : undefined;
    if (!name || !(ts.isInterfaceDeclaration(container) || ts.isClassLike(container)) || !container.name) return [];
    if (this.currentEntry) this.currentEntry.usesImplementations = true;
    const out: FunctionBody[] = [];
    const seen = new Set<ts.Node>();
    const visit = (base: ts.InterfaceDeclaration | ts.ClassLikeDeclaration, depth: number): void => {
      if (depth > 4 || !base.name || seen.has(base)) return;
      seen.add(base);
      const baseSymbol = this.checker.getSymbolAtLocation(base.name);
      for (const cls of this.heritage().get(base.name.text) ?? []) {
        const matches = (cls.heritageClauses ?? []).some((h) =>
          h.types.some((t) => {
            let s = this.checker.getSymbolAtLocation(t.expression);
            if (s && s.flags & ts.SymbolFlags.Alias) s = this.checker.getAliasedSymbol(s);
            return s === baseSymbol;
          }),
        );
        if (!matches) continue;
        const impl = cls.members.find((m) => m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) && m.name.text === name && !isStatic(m));
        const fn = impl ? functionOfDeclaration(impl) : undefined;
        if (fn) out.push(fn);
        visit(cls, depth + 1); // subclasses may override
      }
    };
    visit(container, 0);
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Local facts and summaries.

  /** The queries a function issues itself and the project functions it calls (cached across runs). */
  localFacts(fn: FunctionBody): LocalFacts {
    const sf = fn.getSourceFile();
    let entry = this.cache.files.get(sf.fileName);
    if (!entry || entry.sf !== sf) this.cache.files.set(sf.fileName, (entry = { sf, facts: new Map(), usesImplementations: false }));
    const cached = entry.facts.get(fn);
    if (cached) return cached;
    const facts: LocalFacts = { hits: [], edges: [] };
    const outer = this.currentEntry;
    this.currentEntry = entry;
    try {
      walkRegion(fn, 'body', {
        call: (node, _ctx, at) => {
          const target = this.analyseCall(node);
          if (!target) return;
          if (target.kind === 'query') {
            if (this.batchedForCallers(target.site, fn)) return;
            // The fill of an instance cache: once per instance (or expiry), not once per call.
            if (memoizedInField(target.site.node, fn, this.checker)) return;
            // A builder returned from an array callback inside `fn` runs as the array is used.
            const use = target.site.deferred ? resultUse(target.site.node, this.checker, fn) : 'executed';
            if (use !== 'composed') facts.hits.push({ site: target.site, firstTick: inFirstTick(at, undefined), deferred: use === 'returned', gate: gateOf(target.site.node, fn, this.checker) });
          } else {
            facts.edges.push({ call: node, callees: target.callees, firstTick: inFirstTick(at, undefined), use: resultUse(node, this.checker, fn), gate: gateOf(node, fn, this.checker) });
          }
        },
        reference: (node, ctx, at) => {
          const target = this.analyseReference(node);
          // `ids.map(load)`: the values `load` returns are used as the array is.
          if (target?.kind === 'functions') facts.edges.push({ call: node, callees: target.callees, firstTick: inFirstTick(at, undefined), use: resultUse(ctx.node as ts.Expression, this.checker, fn) });
        },
      });
    } finally {
      this.currentEntry = outer;
    }
    entry.facts.set(fn, facts);
    return facts;
  }

  /**
   * Whether a query in `fn` is a batch whatever calls `fn`: it writes many rows, or filters on
   * a list that is one of `fn`'s parameters (or derived from one by array operations) — a
   * `loadMany(ids)` helper, called per chunk. A list `fn` computes from other data
   * (`parseIds(document)`) makes one query per call.
   */
  private batchedForCallers(site: DbCallSite, fn: FunctionBody): boolean {
    if (site.bulk) return true;
    const filter = site.setFilter;
    if (!filter) return false;
    if (filter.sql) return true;
    const isParameter = (id: ts.Identifier, depth = 0): boolean => {
      const decl = this.checker.getSymbolAtLocation(id)?.valueDeclaration;
      if (!decl) return false;
      if (fn.parameters.some((p) => decl.pos >= p.pos && decl.end <= p.end && decl.getSourceFile() === p.getSourceFile())) return true;
      // const ids = params.ids.map(…) inside fn
      return depth < 2 && ts.isVariableDeclaration(decl) && !!decl.initializer && decl.pos >= fn.pos && decl.end <= fn.end && isListDerivedFrom(decl.initializer, (x) => isParameter(x, depth + 1));
    };
    return filter.operands.every((op) => isListDerivedFrom(op, isParameter));
  }

  /** The queries `fn` reaches, through any depth of project calls. */
  summary(fn: FunctionBody): FunctionSummary {
    const done = this.summaries.get(fn);
    if (done) return done;
    this.computeSummaries(fn);
    return this.summaries.get(fn)!;
  }

  /** Tarjan's strongly connected components over the call edges, iterative; each component solved to a fixpoint. */
  private computeSummaries(start: FunctionBody): void {
    const index = new Map<FunctionBody, number>();
    const low = new Map<FunctionBody, number>();
    const stack: FunctionBody[] = [];
    const onStack = new Set<FunctionBody>();
    let counter = 0;
    const calleesOf = (v: FunctionBody): FunctionBody[] => this.localFacts(v).edges.flatMap((e) => e.callees).filter((w) => this.isLive(w));
    type Work = { v: FunctionBody; callees: FunctionBody[]; i: number };
    const work: Work[] = [];
    const push = (v: FunctionBody) => {
      index.set(v, counter);
      low.set(v, counter);
      counter++;
      stack.push(v);
      onStack.add(v);
      work.push({ v, callees: calleesOf(v), i: 0 });
    };
    push(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      if (top.i < top.callees.length) {
        const w = top.callees[top.i++];
        if (this.summaries.has(w)) continue;
        if (!index.has(w)) push(w);
        else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
      }
      if (low.get(top.v) === index.get(top.v)) {
        const component: FunctionBody[] = [];
        let w: FunctionBody;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== top.v);
        this.solveComponent(component);
      }
    }
  }

  private solveComponent(component: FunctionBody[]): void {
    const partial = new Map<FunctionBody, FunctionSummary>(component.map((f) => [f, { queries: [] }]));
    const lookup = (f: FunctionBody) => this.summaries.get(f) ?? partial.get(f);
    for (let round = 0, changed = true; changed && round < 10; round++) {
      changed = false;
      for (const f of component) {
        const next = this.combine(f, lookup);
        if (signature(next) !== signature(partial.get(f)!)) {
          partial.set(f, next);
          changed = true;
        }
      }
      if (component.length === 1 && !this.localFacts(component[0]).edges.some((e) => e.callees.includes(component[0]))) break;
    }
    for (const f of component) this.summaries.set(f, partial.get(f)!);
    if (component.length > 1 || this.localFacts(component[0]).edges.some((e) => e.callees.includes(component[0]))) {
      const cycle = [...component].sort((a, b) => a.getSourceFile().fileName.localeCompare(b.getSourceFile().fileName) || a.pos - b.pos);
      for (const f of component) this.cycles.set(f, cycle);
    }
  }

  /**
   * The recursion `fn` is part of (itself, or the functions that call each other), with the
   * queries each of them issues: a recursive helper costs one round trip per node it visits.
   * Undefined when `fn` is not recursive. Ask after `summary(fn)`.
   */
  cycleOf(fn: FunctionBody): Array<{ fn: FunctionBody; sites: DbCallSite[] }> | undefined {
    const cycle = this.cycles.get(fn);
    return cycle?.map((f) => ({ fn: f, sites: this.localFacts(f).hits.map((h) => h.site) }));
  }

  private combine(fn: FunctionBody, lookup: (f: FunctionBody) => FunctionSummary | undefined): FunctionSummary {
    const facts = this.localFacts(fn);
    const slots = new Map<string, ReachedQuery>();
    const add = (q: ReachedQuery) => {
      const key = `${q.tickBatched}|${q.paginated}|${q.deferred}|${q.gate?.kind ?? ''}`;
      const prev = slots.get(key);
      if (!prev || q.via.length < prev.via.length) slots.set(key, q);
    };
    for (const h of facts.hits) add({ site: h.site, via: [], tickBatched: h.site.sameTickBatchable && h.firstTick, paginated: h.site.paginated, deferred: h.deferred, gate: h.gate });
    for (const e of facts.edges) {
      for (const callee of e.callees) {
        if (!this.isLive(callee)) continue;
        for (const q of lookup(callee)?.queries ?? []) {
          // A returned builder the caller composes (or drops) never runs as its own query.
          if (q.deferred && e.use === 'composed') continue;
          const gate = gateAlongEdge(q.gate, e, fn, this.checker);
          if (gate === 'never') continue;
          add({ site: q.site, via: [{ fn: callee, call: e.call }, ...q.via], tickBatched: q.tickBatched && e.firstTick, paginated: q.paginated, deferred: q.deferred && e.use === 'returned', gate });
        }
      }
    }
    return { queries: [...slots.values()] };
  }

  /** A node of the current program (a cached fact never points into a replaced file, but be safe). */
  private isLive(fn: FunctionBody): boolean {
    const sf = fn.getSourceFile();
    return this.program.getSourceFile(sf.fileName) === sf;
  }

  // -------------------------------------------------------------------------------------------
  // Indexes over the project.

  private fileInfo(sf: ts.SourceFile): FileInfo {
    let info = this.cache.info.get(sf);
    if (!info) this.cache.info.set(sf, (info = indexFile(sf)));
    return info;
  }

  private heritage(): Map<string, ts.ClassLikeDeclaration[]> {
    if (!this.heritageIndex) {
      this.heritageIndex = new Map();
      for (const sf of this.projectFiles) {
        for (const { decl, heritage } of this.fileInfo(sf).classes) {
          for (const h of heritage) {
            let list = this.heritageIndex.get(h);
            if (!list) this.heritageIndex.set(h, (list = []));
            list.push(decl);
          }
        }
      }
    }
    return this.heritageIndex;
  }

  /**
   * Brings the cross-run state in step with this run's program, in time proportional to what
   * changed: the name/library counts and the reverse import graph are updated from the changed
   * files only; then the cached facts of every changed file and of every file that imports one
   * (directly or not) are dropped. Route modules, which nothing imports, cost nothing else.
   */
  private sync(): void {
    const cache = this.cache;
    const first = !cache.lastFiles;
    const last = cache.lastFiles ?? new Map<string, ts.SourceFile>();
    const changed: string[] = [];
    let seen = 0;
    let added = 0;
    for (const sf of this.program.getSourceFiles()) {
      seen++;
      const before = last.get(sf.fileName);
      if (before === sf) continue;
      changed.push(sf.fileName);
      if (!before) added++;
    }
    const current = this.program;
    if (last.size + added > seen) {
      for (const name of last.keys()) if (!current.getSourceFile(name)) changed.push(name);
    }
    if (changed.length === 0) return;
    let classesChanged = false;
    let packagesChanged = false;
    for (const name of changed) {
      const before = last.get(name);
      const after = current.getSourceFile(name);
      if (/[\\/]node_modules[\\/]/.test(name)) packagesChanged = true;
      if ((before && this.fileInfo(before).classes.length > 0) || (after && this.projectFiles.has(after) && this.fileInfo(after).classes.length > 0)) classesChanged = true;
      // Counts: out with the old version, in with the new.
      const counted = cache.counted.get(name);
      if (counted) this.count(counted, -1);
      if (after && this.isProjectCode(after)) {
        this.count(after, +1);
        cache.counted.set(name, after);
      } else cache.counted.delete(name);
      if (after) last.set(name, after);
      else last.delete(name);
    }
    cache.lastFiles = last;
    // Reverse imports: only project (non-package) files import anything we follow.
    this.dependents().update(current, (f) => !/[\\/]node_modules[\\/]/.test(f));
    if (first || cache.files.size === 0) return;
    if (packagesChanged) {
      cache.files.clear();
      return;
    }
    const affected = new Set<string>([...changed, ...this.dependents().dependentsOf(changed)]);
    for (const name of affected) cache.files.delete(toPosix(name));
    if (classesChanged) for (const [name, entry] of cache.files) if (entry.usesImplementations) cache.files.delete(name);
  }

  private dependents(): DependentsGraph {
    const options = this.program.getCompilerOptions();
    if (this.cache.dependents?.options !== options) this.cache.dependents = { graph: new DependentsGraph(options, this.program.getCurrentDirectory()), options };
    return this.cache.dependents.graph;
  }

  private count(sf: ts.SourceFile, delta: number): void {
    const info = this.fileInfo(sf);
    for (const n of info.names) this.cache.nameCounts.set(n, (this.cache.nameCounts.get(n) ?? 0) + delta);
    for (const l of info.libraries) this.cache.libraryCounts.set(l, (this.cache.libraryCounts.get(l) ?? 0) + delta);
  }

  /** A readable name for a function: `loadAuthor`, `UsersService.findOne`, `db.query`. */
  static functionName(fn: FunctionBody): string {
    const own = fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name) || ts.isPrivateIdentifier(fn.name)) ? fn.name.text : undefined;
    const holder = fn.parent;
    if (ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn) || ts.isConstructorDeclaration(fn)) {
      const member = ts.isConstructorDeclaration(fn) ? 'constructor' : own ?? '?';
      return `${containerLabel(holder)}${member}`;
    }
    if (own) return own;
    if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
    if ((ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && (ts.isIdentifier(holder.name) || ts.isStringLiteral(holder.name))) {
      return `${containerLabel(holder.parent)}${holder.name.text}`;
    }
    return 'an anonymous function';
  }
}

function containerLabel(container: ts.Node): string {
  if (ts.isClassLike(container)) return container.name ? `${container.name.text}.` : '';
  if (ts.isObjectLiteralExpression(container)) {
    const p = container.parent;
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return `${p.name.text}.`;
  }
  return '';
}

/**
 * The function a value stands for: `loadUser`, `this.repo.find`, and the same through
 * `fn.bind(obj)` or `promisify(fn)` (a call of the result runs `fn`).
 */
export function boundFunction(value: ts.Expression): ts.Identifier | ts.PropertyAccessExpression | undefined {
  const e = skipOuter(value);
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) return e;
  if (ts.isCallExpression(e) && e.arguments.length >= 1) {
    const callee = skipOuter(e.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') return boundFunction(callee.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name === 'promisify' || name === 'callbackify') return boundFunction(e.arguments[0]);
  }
  return undefined;
}

function isAbstractMember(decl: ts.Node): boolean {
  if (ts.isMethodSignature(decl) || ts.isPropertySignature(decl)) return true;
  if ((ts.isMethodDeclaration(decl) || ts.isPropertyDeclaration(decl)) && !functionOfDeclaration(decl)) {
    return (ts.getModifiers(decl) ?? []).some((m) => m.kind === ts.SyntaxKind.AbstractKeyword) || (ts.isMethodDeclaration(decl) && !decl.body);
  }
  return false;
}

function isStatic(m: ts.ClassElement): boolean {
  return ts.canHaveModifiers(m) && (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
}

function signature(s: FunctionSummary): string {
  return s.queries.map((q) => `${q.site.node.getSourceFile().fileName}:${q.site.node.pos}:${q.tickBatched}:${q.paginated}:${q.deferred}:${q.via.length}:${q.gate ? `${q.gate.kind}${q.gate.index}${q.gate.property ?? ''}` : ''}`).join(',');
}

/**
 * A callee's gate seen from the caller: an option the call never passes means the query never
 * runs from here; one it hands on, or the caller's own condition on the call, keeps it gated.
 */
function gateAlongEdge(gate: QueryGate | undefined, edge: CallEdge, caller: FunctionBody, checker: ts.TypeChecker): QueryGate | undefined | 'never' {
  const through = gate ? gateThroughCall(edge.call, gate, caller, checker) : 'open';
  if (through === 'never') return 'never';
  return through === 'open' ? edge.gate : through;
}

/** Names of the functions and methods a file declares, and its classes' heritage (one syntactic pass, cached per SourceFile). */
// `ts.X` is a getter on the typescript module object: read once here, not per node.
const K = ts.SyntaxKind;
const forEachChild = ts.forEachChild;

function indexFile(sf: ts.SourceFile): FileInfo {
  const indexer = new FileIndexer();
  const walk = (n: ts.Node): void => {
    indexer.visit(n);
    forEachChild(n, walk);
  };
  walk(sf);
  return indexer.result();
}

/** Builds a file's `FileInfo` from its nodes, one at a time (no recursion of its own). */
export class FileIndexer {
  private readonly names = new Set<string>();
  private readonly classes: FileInfo['classes'] = [];
  private readonly libraries = new Set<DbLibrary>();

  result(): FileInfo {
    return { names: this.names, classes: this.classes, libraries: [...this.libraries] };
  }

  // A switch on kinds: this runs over every node of every project file once per version of it.
  readonly visit = (n: ts.Node): void => {
    switch (n.kind) {
      case K.FunctionDeclaration:
      case K.MethodDeclaration:
      case K.MethodSignature:
      case K.GetAccessor:
        this.addName((n as ts.FunctionLikeDeclaration).name);
        break;
      case K.VariableDeclaration:
      case K.PropertyDeclaration:
      case K.PropertyAssignment: {
        const d = n as ts.VariableDeclaration | ts.PropertyDeclaration | ts.PropertyAssignment;
        if (d.initializer && isFunctionValue(d.initializer)) this.addName(d.name);
        break;
      }
      case K.ShorthandPropertyAssignment:
        this.names.add((n as ts.ShorthandPropertyAssignment).name.text);
        break;
      case K.PropertySignature: {
        const d = n as ts.PropertySignature;
        if (d.type && d.type.kind === K.FunctionType) this.addName(d.name);
        break;
      }
      case K.ImportDeclaration:
      case K.ExportDeclaration:
        this.imported((n as ts.ImportDeclaration | ts.ExportDeclaration).moduleSpecifier);
        break;
      case K.ImportEqualsDeclaration: {
        const ref = (n as ts.ImportEqualsDeclaration).moduleReference;
        if (ref.kind === K.ExternalModuleReference) this.imported(ref.expression);
        break;
      }
      case K.ModuleDeclaration: {
        const name = (n as ts.ModuleDeclaration).name;
        if (name.kind === K.StringLiteral) this.imported(name);
        break;
      }
      case K.CallExpression: {
        const call = n as ts.CallExpression;
        const callee = call.expression;
        if (callee.kind === K.ImportKeyword || (callee.kind === K.Identifier && (callee as ts.Identifier).text === 'require')) this.imported(call.arguments[0]);
        break;
      }
      case K.ClassDeclaration:
      case K.ClassExpression: {
        const c = n as ts.ClassLikeDeclaration;
        if (c.heritageClauses) {
          const heritage: string[] = [];
          for (const h of c.heritageClauses) {
            for (const t of h.types) {
              const e = t.expression;
              if (e.kind === K.Identifier) heritage.push((e as ts.Identifier).text);
              else if (e.kind === K.PropertyAccessExpression) heritage.push((e as ts.PropertyAccessExpression).name.text);
            }
          }
          if (heritage.length > 0) this.classes.push({ decl: c, heritage });
        }
        break;
      }
    }
  };

  private addName(name: ts.Node | undefined): void {
    if (name && (name.kind === K.Identifier || name.kind === K.StringLiteral || name.kind === K.PrivateIdentifier)) this.names.add((name as ts.Identifier).text);
  }

  private imported(spec: ts.Node | undefined): void {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    const lib = dbLibraryImportedBy(spec.text);
    if (lib) this.libraries.add(lib);
  }
}

function isFunctionValue(e: ts.Expression): boolean {
  const init = skipOuter(e);
  return init.kind === K.ArrowFunction || init.kind === K.FunctionExpression || init.kind === K.Identifier || init.kind === K.PropertyAccessExpression || (init.kind === K.CallExpression && !!boundFunction(init));
}
