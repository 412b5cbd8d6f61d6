// Over 400 lines on purpose: the rule's whole policy (when a query in a loop counts, what batching looks like, how the
// loop and the chain are named in the message, the advice per library) is one rule = one file, as every rule.
import * as path from 'node:path';
import ts from 'typescript';
import { CallGraph, type ReachedQuery } from '../ts/callgraph';
import type { DbCallSite } from '../db/callSite';
import { dbLibrary } from '../db/libraries';
import { claimsRowsSkippingLocked, isListDerivedFrom } from '../db/queryShape';
import { displayCall, skipOuter } from '../ts/expressions';
import { inFirstTick, isCollection, isFixedList, iteratesFixedList, walkRegion, type FunctionBody, type IterationContext } from '../ts/iteration';
import type { RelatedLocation } from '../finding';
import { filtersOnGroupOfKey, isLoadedByQuery, iteratesConstantObject, iteratesInjectedConfiguration, iteratesServices, probesForFreeValue, queriesTableOfElement, walksChunks } from '../ts/boundedCollections';
import { PackageOwners } from '../project/packageOwners';
import { queriesRunInProcess } from '../db/embeddedEngines';
import { isSeedScript, isTestSource } from '../project/testFiles';
import { findServerStarts } from '../http/servers';
import { iteratesStartupList, type StartupFacts } from '../ts/startupLoops';
import { findReplacedKinds, iteratesOnePerKindList, type KindedListFacts } from '../ts/kindedLists';
import { isBoundedRepeat, isRepeatOrBatch, iteratesEventStream, iteratesStatementList, runsOncePerLoop } from '../ts/loopShapes';
import { enclosingFunction, resultUse, type ResultUse } from '../ts/resultUse';
import { backfillsParameterRow, gateOf, gateThroughCall, parentParameterIndex, type QueryGate } from '../ts/queryGates';
import { isCodeDefinedList, isFileListing, iteratesCodeDefinedList, iteratesFileListing } from '../ts/codeDefinedLists';
import { iteratesListFromCallers, type ListOrigins } from '../ts/listsFromCallers';
import { RegistryCheck } from '../ts/registries';
import { runsForOneElementValue, runsPerFullBuffer } from '../ts/elementGuards';
import { GraphqlSchemaFacts, resolverParentType, servesCallerOnly } from '../graphql/fieldResolvers';
import { defineRule, type RuleContext } from './types';

type MessageId = 'queryInLoop' | 'indirectQueryInLoop';

export interface NPlusOneOptions {
  /** Report calls in a loop to project functions that query (any file, any depth). */
  interprocedural: boolean;
  /** Report writes (insert/update/delete per element) as well as reads. */
  reportWrites: boolean;
  /** Leave test files and seed scripts alone: fixtures created in a loop cost a test run a few milliseconds, not production. */
  ignoreTestFiles: boolean;
}

/**
 * `*.test.ts`, `*.spec.ts`, `*.e2e-spec.ts`, files under `__tests__/`, `test/`, `tests/`, `e2e/`
 * (relative to the project root), and test-runner setup files (`test-setup.ts`, `vitest.setup.ts`,
 * `jest.setup.ts`, `setupTests.ts`, `global-setup.ts`): they prepare test databases.
 */
const TEST_FILE = /(^|\/)(__tests__|__mocks__|test|tests|e2e)\/|\.(test|spec|e2e-spec|e2e)\.[cm]?tsx?$|(^|\/)(test-setup|setup-tests|setupTests|vitest\.setup|jest\.setup|global-setup|globalSetup|test-teardown|global-teardown)\.[cm]?tsx?$/;

const WHY =
  'N+1 queries: every element costs a round trip to the database, so response time and database load grow with the data (100 rows, 101 queries) and the connection pool runs dry under traffic.';

/**
 * n-plus-one: a database call that runs once per element of a collection — directly in a loop
 * or array-method callback, or through project functions called there. See docs/rules/n-plus-one.md.
 */
export const nPlusOne = defineRule<MessageId, NPlusOneOptions>({
  meta: {
    id: 'n-plus-one',
    description: 'A database call that runs once per element of a collection (N+1 queries).',
    defaultSeverity: 'warning',
    messages: {
      queryInLoop: `\`{{call}}\` runs a query once per {{iteration}}. ${WHY} {{fix}}{{more}}`,
      indirectQueryInLoop: `\`{{call}}\` leads to a query that runs once per {{iteration}}: {{chain}} in {{location}}. ${WHY} {{fix}}{{more}}`,
    },
    optionsSchema: {
      type: 'object',
      properties: {
        interprocedural: {
          type: 'boolean',
          default: true,
          description: 'Also report calls in a loop to project functions that query, at any depth and across files.',
        },
        reportWrites: {
          type: 'boolean',
          default: true,
          description: 'Also report inserts, updates and deletes issued once per element.',
        },
        ignoreTestFiles: {
          type: 'boolean',
          default: true,
          description: 'Skip test files (*.test.ts, *.spec.ts, __tests__/, test/, tests/, e2e/) and seed scripts (seed/, seeds/, seed*.ts, *.seed.ts): loops that create fixtures are not a production problem.',
        },
      },
      additionalProperties: false,
    },
  },
  defaultOptions: { interprocedural: true, reportWrites: true, ignoreTestFiles: true },
  run(ctx) {
    const graph = new CallGraph({ ...ctx, declaredLibraries: ctx.project.dbLibraries });
    // Usually one target (an edit) among thousands of files: look the targets up, do not walk the list.
    const files = ctx.targetFiles.size < ctx.projectFiles.length / 2 ? [...ctx.targetFiles].map((f) => ctx.program.getSourceFile(f)) : ctx.projectFiles;
    const project = new Set(ctx.projectFiles);
    // Phase 1: one walk per target file finds the calls made per element (and indexes the file
    // for the call graph on the way); phase 2 asks what each of them does, once every target's
    // declarations are known.
    const candidates: Candidate[] = [];
    // GraphQL field resolvers: how their parent type is listed (read from every project file, once, when one is met).
    let schemaFacts: GraphqlSchemaFacts | undefined;
    const schema = () => (schemaFacts ??= new GraphqlSchemaFacts(ctx.projectFiles));
    const listings = new Map<ts.Node, string>();
    for (const sf of files) {
      if (!sf || !project.has(sf) || !(ctx.targetFiles.has(sf.fileName) || ctx.targetFiles.has(path.resolve(sf.fileName)))) continue;
      if (ctx.options.ignoreTestFiles && isFixtureFile(relative(ctx, sf.fileName))) continue;
      const indexer = graph.indexerFor(sf);
      walkRegion(sf, 'file', {
        node: indexer?.visit,
        perElementMethod: (m) => {
          const decorator = fieldResolverDecorator(m, graph);
          if (!decorator) return undefined;
          const listing = perElementListing(m, schema(), ctx.checker);
          if (listing === false) return undefined;
          if (listing) listings.set(m, listing);
          return decorator;
        },
        call(node, ic, at) {
          if (ic) candidates.push({ node, ic, sameTick: inFirstTick(at, ic.frame), reference: false });
        },
        reference(node, ic, at) {
          candidates.push({ node, ic, sameTick: inFirstTick(at, ic.frame), reference: true });
        },
      });
      if (indexer) graph.indexed(sf, indexer);
    }
    graph.prepare();
    const perLoop = new Map<ts.Node, LoopFinding[]>();
    const check = checker(ctx, graph, listings, (ic, finding) => {
      const list = perLoop.get(ic.node);
      if (list) list.push(finding);
      else perLoop.set(ic.node, [finding]);
    });
    for (const c of candidates) check(c);
    for (const findings of perLoop.values()) reportLoop(ctx, findings);
  },
});

interface Candidate {
  /** A call (or a function passed by reference to an array method) made once per element. */
  node: ts.CallExpression | ts.TaggedTemplateExpression | ts.Expression;
  ic: IterationContext;
  /** Issued in the same tick as the iteration's other elements (no await in between). */
  sameTick: boolean;
  reference: boolean;
}

/** A query made per element of one loop, before the loop's findings are merged into one. */
interface LoopFinding {
  at: ts.Node;
  messageId: MessageId;
  data: Record<string, string>;
  related: RelatedLocation[];
}

/**
 * One finding per loop (the first query in it, by position), the loop's other queries as
 * related information: the fix is one per loop (batch what the loop loads), and ten squiggles
 * on one loop body — or two on one chained call — are noise that hides the next loop's problem.
 */
function reportLoop(ctx: RuleContext<MessageId, NPlusOneOptions>, findings: LoopFinding[]): void {
  const sorted = [...findings].sort((a, b) => a.at.getStart() - b.at.getStart());
  const seen = new Set<ts.Node>();
  const unique = sorted.filter((f) => !seen.has(f.at) && !!seen.add(f.at));
  const [first, ...others] = unique;
  // A chained call (`Model.scope(…).destroy(…)`) reaches here twice: its inner call is part of the outer one.
  const rest = others.filter((o) => !(o.at.getStart() >= first.at.getStart() && o.at.getEnd() <= first.at.getEnd()));
  const more = rest.length === 0 ? '' : ` The same loop makes ${rest.length === 1 ? 'one more query' : `${rest.length} more queries`} per element (listed with this finding): batch them as well.`;
  const file = path.resolve(first.at.getSourceFile().fileName);
  ctx.report({
    at: first.at,
    messageId: first.messageId,
    data: { ...first.data, more },
    related: [
      ...first.related,
      ...rest.map((o) => ({ message: `Also once per element in this loop: \`${o.data.call}\`.`, file, range: ctx.rangeOf(o.at) })),
    ],
  });
}

/** Decides, for each call made per element, whether it queries (directly or through project functions), and hands it to `found`. */
function checker(
  ctx: RuleContext<MessageId, NPlusOneOptions>,
  graph: CallGraph,
  listings: ReadonlyMap<ts.Node, string>,
  found: (ic: IterationContext, finding: LoopFinding) => void,
): (c: Candidate) => void {
  const { interprocedural, reportWrites } = ctx.options;
  // A field resolver's message names where its parent type is returned as a list.
  const describe = (ic: IterationContext): string => {
    const text = describeIteration(ic);
    const listing = ic.kind === 'field-resolver' ? listings.get(ic.node) : undefined;
    return listing ? `${text.replace(/\)$/, '')}; ${listing})` : text;
  };
  const collections = new Map<ts.Node, boolean>();
  const fixed = new Map<ts.Node, boolean>();
  const owners = new PackageOwners();
  /** A query on an SQLite database inside the process: no round trip to repeat. */
  const inProcess = (query: ts.Node): boolean => queriesRunInProcess(owners.ownerOf(query.getSourceFile().fileName));
  const claims = new Map<ts.Node, boolean>();
  /**
   * A loop (or a function called per element) that claims its element's row with `FOR UPDATE
   * SKIP LOCKED` processes one job of a work queue per iteration: each job is locked, worked on
   * (often with a call to another service in between) and confirmed in its own transaction, so
   * that workers share the queue and one failure does not roll back the others. One transaction
   * per job is the design, not a query to batch.
   */
  const claimsJob = (n: ts.Node): boolean => {
    let known = claims.get(n);
    if (known === undefined) claims.set(n, (known = claimsRowsSkippingLocked(n)));
    return known;
  };
  const calleesOf = (callee: ts.Node) => graph.calleesOf(callee as ts.Expression);
  const registries = new RegistryCheck({ checker: ctx.checker, callsOf: (fn) => graph.callsOf(fn) });
  const origins: ListOrigins = {
    checker: ctx.checker,
    calleesOf,
    callsOf: (fn) => graph.callsOf(fn),
    isFixedLeaf: (e) => isFixedList(e, ctx.checker, 0) || isCodeDefinedList(e, ctx.checker, 0) || isFileListing(e, ctx.checker, calleesOf, 0),
    isCodeFilledRegistry: (e) => registries.isFilledFromCode(e),
  };
  let replacedKinds: Map<string, ts.Type[]> | undefined;
  const kinded: KindedListFacts = {
    replacedKinds: () => (replacedKinds ??= findReplacedKinds(ctx.projectFiles.filter((sf) => !isTestSource(ctx.project.root, sf)), ctx.checker)),
    calleesOf,
  };
  /** A loop whose number of iterations the code fixes: a list written in the code, a retry budget, the statements of one operation. */
  const boundedByCode = (ic: IterationContext): boolean => {
    let known = fixed.get(ic.node);
    if (known === undefined) {
      known =
        iteratesFixedList(ic, ctx.checker) ||
        iteratesCodeDefinedList(ic, ctx.checker) ||
        isBoundedRepeat(ic, ctx.checker) ||
        iteratesStatementList(ic, ctx.checker, (callee) => graph.calleesOf(callee as ts.Expression)) ||
        iteratesFileListing(ic, ctx.checker, (callee) => graph.calleesOf(callee as ts.Expression)) ||
        iteratesConstantObject(ic, ctx.checker) ||
        iteratesInjectedConfiguration(ic, ctx.checker) ||
        iteratesOnePerKindList(ic, ctx.checker, kinded) ||
        // Last: it may search the project for a helper's callers.
        iteratesListFromCallers(ic, origins);
      fixed.set(ic.node, known);
    }
    return known;
  };
  let startFunctions: Set<ts.Node> | undefined;
  const startup: StartupFacts = {
    startFunctions: () => {
      if (!startFunctions) {
        const scan = { checker: ctx.checker, provenance: ctx.provenance, root: ctx.project.root, projectFiles: ctx.projectFiles };
        startFunctions = new Set(findServerStarts(scan, ctx.projectFiles).flatMap((s) => enclosingFunction(s.call) ?? []));
      }
      return startFunctions;
    },
    callsOf: (fn) => graph.callsOf(fn),
    isTestFile: (sf) => isTestSource(ctx.project.root, sf),
  };
  /** A call the recogniser reads as a query that returns rows. */
  const isReadQuery = (call: ts.CallExpression | ts.TaggedTemplateExpression): boolean => {
    const target = graph.analyseCall(call);
    return target?.kind === 'query' && target.site.operation === 'read';
  };
  /** Whether a loop runs per element of data: callbacks only on collections, never over a list written in the code. Asked lazily, once per loop. */
  const iterates = (ic: IterationContext): boolean => {
    let known = collections.get(ic.node);
    if (known === undefined) {
      known =
        !boundedByCode(ic) &&
        !iteratesEventStream(ic, ctx.checker) &&
        // A loop over chunks is the batching: what it runs, it runs per chunk — and a loop around
        // it (over groups, say) is not made per-row by it either.
        !walksChunks(ic, ctx.checker) &&
        (ic.kind !== 'callback' || !ic.receiver || isCollection(ctx.checker, ic.receiver)) &&
        // It types the loop's element (unless a query loaded the list).
        !iteratesServices(ic, ctx.checker, (collection) => isLoadedByQuery(collection, ctx.checker, isReadQuery)) &&
        // Last: it looks for the project's server starts.
        !iteratesStartupList(ic, ctx.checker, startup);
      collections.set(ic.node, known);
    }
    return known;
  };
  /** A loop bounded by the code inside a loop over data runs k times per element of the outer one: that is the loop to report. */
  const perElementLoop = (ic: IterationContext): IterationContext => {
    let c = ic;
    while (c.outer && boundedByCode(c)) c = c.outer;
    return c;
  };
  const exempt = (q: Pick<ReachedQuery, 'tickBatched' | 'paginated'> & { write: boolean }, ic: IterationContext, sameTick: boolean): boolean =>
    (sameTick && q.tickBatched) || (!ic.overCollection && q.paginated) || (!reportWrites && q.write);

  const reportIndirect = (node: ts.Node, display: string, callees: FunctionBody[], ic: IterationContext, sameTick: boolean, used: ts.Node): void => {
    if (!interprocedural) return;
    let best: { callee: FunctionBody; q: ReachedQuery } | undefined;
    let use: ResultUse | undefined;
    if (claimsJob(ic.node)) return;
    for (const callee of callees) {
      if (claimsJob(callee)) continue;
      for (const q of graph.summary(callee).queries) {
        if (exempt({ ...q, write: q.site.operation === 'write' }, ic, sameTick)) continue;
        if (q.gate && !gateOpensAt(node, q.gate, ic, ctx.checker)) continue;
        if (reachesUnseenDependent(node, callee, q, owners)) continue;
        if (inProcess(q.site.node)) continue;
        // A read that stores on its row what it found missing (`if (row.sig) return view(row); … update … set({ sig })`): once per row, ever.
        if (q.site.operation === 'write' && backfillsParameterRow(q.site.node, q.via.length ? q.via[q.via.length - 1].fn : callee, ctx.checker)) continue;
        // A builder the callee returns runs only if this loop's code awaits it.
        if (q.deferred && !runsPerElement((use ??= resultUse(used as ts.Expression, ctx.checker, enclosingFunction(ic.node))), ic)) continue;
        if (!best || q.via.length < best.q.via.length) best = { callee, q };
      }
    }
    if (!best || !iterates(ic) || isRepeatOrBatch(node, ic, ctx.checker) || runsOncePerLoop(node, ic, ctx.checker) || probesForFreeValue(node, ic, ctx.checker) || runsForOneElementValue(node, ic, ctx.checker) || runsPerFullBuffer(node, ic)) return;
    const { callee, q } = best;
    const names = [CallGraph.functionName(callee), ...q.via.map((s) => CallGraph.functionName(s.fn)), bare(q.site.display)];
    const chain = names.map((n) => `\`${n}\``).join(' → ');
    const siteFile = path.resolve(q.site.node.getSourceFile().fileName);
    const range = ctx.rangeOf(q.site.node);
    found(ic, {
      at: node,
      messageId: 'indirectQueryInLoop',
      data: { call: display, iteration: describe(ic), chain, location: `${relative(ctx, siteFile)}:${range.start.line + 1}`, fix: fixFor(q.site, ic) },
      related: [{ message: `The query that runs once per element (via ${chain}).`, file: siteFile, range }, ...cycleQueries([callee, ...q.via.map((s) => s.fn)], q.site)],
    });
  };

  /** Every query of the first recursive helper on the way, besides `shown`: each runs once per node the recursion visits. */
  const cycleQueries = (functions: FunctionBody[], shown: DbCallSite): RelatedLocation[] => {
    for (const fn of functions) {
      const cycle = graph.cycleOf(fn);
      if (!cycle) continue;
      const names = cycle.map((c) => `\`${CallGraph.functionName(c.fn)}\``).join(' → ');
      const label = cycle.length === 1 ? `the recursive ${names}` : `the recursion ${names} → \`${CallGraph.functionName(cycle[0].fn)}\``;
      return cycle.flatMap((c) =>
        c.sites
          .filter((site) => site.node !== shown.node)
          .map((site) => ({ message: `Also in ${label}, once per node it visits: \`${site.display}\` in \`${CallGraph.functionName(c.fn)}\`.`, file: path.resolve(site.node.getSourceFile().fileName), range: ctx.rangeOf(site.node) })),
      );
    }
    return [];
  };

  return ({ node, ic: innermost, sameTick, reference }) => {
    const ic = perElementLoop(innermost);
    if (loadsOnlyMissingRelation(node, ic, ctx.checker)) return;
    if (reference) {
      const target = graph.analyseReference(node as ts.Expression);
      if (target?.kind === 'functions') reportIndirect(node, displayCall(node), target.callees, ic, sameTick, innermost.node);
      return;
    }
    const target = graph.analyseCall(node as ts.CallExpression | ts.TaggedTemplateExpression);
    if (!target) return;
    if (target.kind === 'functions') {
      reportIndirect(node, displayCall(node), target.callees, ic, sameTick, node);
      return;
    }
    const site = target.site;
    if (inProcess(site.node) || claimsJob(ic.node)) return;
    if (batchedInLoop(site, ic, ctx.checker)) return;
    if (site.setFilter && filtersOnGroupOfKey(site.setFilter.operands, ic, ctx.checker)) return;
    if (site.deferred && !runsPerElement(resultUse(site.node, ctx.checker, enclosingFunction(ic.node)), ic)) return;
    if (runsOncePerLoop(site.node, ic, ctx.checker) || runsForOneElementValue(site.node, ic, ctx.checker) || runsPerFullBuffer(site.node, innermost)) return;
    if (queriesTableOfElement(site.node, ic, ctx.checker, (callee) => graph.calleesOf(callee).length > 0)) return;
    if (exempt({ tickBatched: site.sameTickBatchable, paginated: site.paginated, write: site.operation === 'write' }, ic, sameTick)) return;
    if (!iterates(ic) || isRepeatOrBatch(site.node, ic, ctx.checker) || probesForFreeValue(site.node, ic, ctx.checker)) return;
    found(ic, { at: site.node, messageId: 'queryInLoop', data: { call: site.display, iteration: describe(ic), fix: fixFor(site, ic) }, related: [] });
  };
}

/**
 * Whether a gated query (see queryGates) runs when called from the loop's call `node`: not when
 * the call never passes the option (or only hands on its own function's option), nor, in a
 * GraphQL field resolver, when it runs only if the parent object lacks a relation — the list
 * query that produced the parents loads what the schema's fields need.
 */
function gateOpensAt(node: ts.Node, gate: QueryGate, ic: IterationContext, checker: ts.TypeChecker): boolean {
  const caller = (ic.kind === 'field-resolver' ? ic.fn : enclosingFunction(node)) as FunctionBody | undefined;
  const through = gateThroughCall(node, gate, caller, checker);
  if (through === 'never') return false;
  if (through === 'open') return true;
  if (through.kind === 'option') return false;
  return !(ic.kind === 'field-resolver' && ic.fn && through.index === parentParameterIndex(ic.fn));
}

/** In a field resolver: `if (parent.rel) return parent.rel;` before the call — it queries only for a parent loaded without it. */
function loadsOnlyMissingRelation(node: ts.Node, ic: IterationContext, checker: ts.TypeChecker): boolean {
  if (ic.kind !== 'field-resolver' || !ic.fn) return false;
  const gate = gateOf(node, ic.fn, checker);
  return gate?.kind === 'missing' && gate.index === parentParameterIndex(ic.fn);
}

/**
 * Whether the chain from the loop to the query crosses from a library package into a package
 * that depends on it (an implementation of the library's interface: `MST` reading nodes through
 * its abstract blockstore, implemented over SQL by the server that uses the library) while the
 * loop's own package neither is nor depends on that package. The library's loop runs with
 * whatever implementation it is given — an in-memory one as well — and its authors cannot batch
 * a dependent's queries; the loops in the dependent package that drive it are reported there.
 */
function reachesUnseenDependent(call: ts.Node, callee: FunctionBody, q: ReachedQuery, owners: PackageOwners): boolean {
  const files = [call, callee, ...q.via.map((s) => s.fn), q.site.node].map((n) => n.getSourceFile().fileName);
  const loopFile = files[0];
  for (let i = 1; i < files.length; i++) {
    if (files[i] === files[i - 1] || !owners.isDependentOf(files[i], files[i - 1])) continue;
    const dependent = owners.ownerOf(files[i]);
    if (dependent && !owners.sees(loopFile, dependent)) return true;
  }
  return false;
}

/**
 * Whether a lazy builder used this way in the loop runs once per element: awaited (or run by
 * the code it is returned to), yes; composed into another builder, no; returned from the
 * function around a statement loop, the loop ends there. An array callback's builders returned
 * with the array are left to the caller, which usually runs them (`Promise.all`).
 */
function runsPerElement(use: ResultUse, ic: IterationContext): boolean {
  if (use === 'composed') return false;
  return use === 'executed' || ic.kind === 'callback';
}

/** GraphQL field resolvers run once per parent object: NestJS `@ResolveField`, type-graphql `@FieldResolver`. */
const FIELD_RESOLVERS: Record<string, string[]> = { '@nestjs/graphql': ['ResolveField', 'ResolveProperty'], 'type-graphql': ['FieldResolver'] };

function fieldResolverDecorator(method: ts.MethodDeclaration, graph: CallGraph): string | undefined {
  for (const d of ts.getDecorators(method) ?? []) {
    const callee = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
    if (!ts.isIdentifier(callee) || !Object.values(FIELD_RESOLVERS).some((names) => names.includes(callee.text))) continue;
    const p = graph.provenance.of(callee);
    if (p && FIELD_RESOLVERS[p.module]?.includes(p.path[0])) return callee.text;
  }
  return undefined;
}

/**
 * Whether a field resolver runs per element: false when the schema returns its parent type only
 * as a single object (a field on a root singleton runs once per request) or when it serves the
 * requesting user's own object only; otherwise where the parent type is listed (undefined when
 * the code does not say, e.g. a schema-first type: reported as before).
 */
function perElementListing(method: ts.MethodDeclaration, schema: GraphqlSchemaFacts, checker: ts.TypeChecker): string | false | undefined {
  if (servesCallerOnly(method, checker)) return false;
  const parent = resolverParentType(method);
  if (!parent) return undefined;
  const listing = schema.listing(parent);
  return listing === 'singleton' ? false : listing;
}

/** The library's batching fix; in a field resolver, the DataLoader that makes it possible. */
function fixFor(site: Pick<DbCallSite, 'library' | 'operation'>, ic: IterationContext): string {
  const fix = dbLibrary(site.library).batching[site.operation];
  return ic.kind === 'field-resolver'
    ? `Load it through a DataLoader created per request: it collects every parent's key in one tick and runs one batched query. ${fix}`
    : fix;
}

/** `pool.query(…)` → `pool.query`. */
function bare(display: string): string {
  return display.replace(/\((\u2026)?\)$/, '');
}

function relative(ctx: RuleContext<MessageId, NPlusOneOptions>, file: string): string {
  const root = ctx.project.root.replace(/\\/g, '/').replace(/\/$/, '') + '/';
  const f = file.replace(/\\/g, '/');
  return f.startsWith(root) ? f.slice(root.length) : path.relative(ctx.project.root, file).split(path.sep).join('/');
}

// ---------------------------------------------------------------------------------------------
// Policy: when a query in a loop is a batch, and how the message names the loop.

/**
 * Whether a query that filters on a list is a batch in this loop: the list is the element
 * itself or derived from it by array operations (`for (const chunk of chunks)`, `chunk.map(…)`),
 * or comes from outside the loop (`ids.slice(i, i + 500)`, `batches[i]`). A list computed from
 * the element's data (`user.friendIds`, `parseIds(document)`) makes one query per element.
 */
function batchedInLoop(site: DbCallSite, ctx: IterationContext, checker: ts.TypeChecker): boolean {
  if (site.bulk) return true;
  const filter = site.setFilter;
  if (!filter) return false;
  if (filter.sql) return true;
  const scope: ts.Node | undefined = ctx.kind === 'callback' ? ctx.fn : ctx.node;
  if (!scope) return true;
  const declOf = (id: ts.Identifier) => checker.getSymbolAtLocation(id)?.valueDeclaration;
  const isElement = (id: ts.Identifier): boolean => {
    const decl = declOf(id);
    if (!decl) return false;
    if (ctx.kind === 'callback') return !!ctx.fn && ctx.fn.parameters.length > 0 && within(decl, ctx.fn.parameters[0]);
    return (ts.isForOfStatement(ctx.node) || ts.isForInStatement(ctx.node)) && within(decl, ctx.node.initializer);
  };
  const perIteration = (id: ts.Identifier): boolean => {
    const decl = declOf(id);
    if (!decl || !within(decl, scope)) return false;
    // A `for (let i = 0; …)` counter walks the outer list; it is not the element's data.
    return !(ts.isForStatement(ctx.node) && ctx.node.initializer && within(decl, ctx.node.initializer));
  };
  return filter.operands.every((op) => isListDerivedFrom(op, isElement) || !mentions(op, perIteration));
}

function within(node: ts.Node, container: ts.Node): boolean {
  return node.getSourceFile() === container.getSourceFile() && node.pos >= container.pos && node.end <= container.end;
}

/** Whether an identifier in `e` (not a property name) satisfies `test`. */
function mentions(e: ts.Node, test: (id: ts.Identifier) => boolean): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      if ((ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n)) return;
      if (test(n)) found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(e);
  return found;
}

/** `element of \`orders\` (for…of loop)`, `iteration of this \`while\` loop`. */
function describeIteration(ctx: IterationContext): string {
  const text = (e: ts.Node | undefined) => {
    const s = e ? e.getText().replace(/\s+/g, ' ') : '';
    return s.length > 40 ? s.slice(0, 39) + '…' : s;
  };
  switch (ctx.kind) {
    case 'for-of':
      return `element of \`${text((ctx.node as ts.ForOfStatement).expression)}\` (for…of loop)`;
    case 'for-await':
      return `item of \`${text((ctx.node as ts.ForOfStatement).expression)}\` (for await loop)`;
    case 'for-in':
      return `key of \`${text((ctx.node as ts.ForInStatement).expression)}\` (for…in loop)`;
    case 'for':
      return 'iteration of this `for` loop';
    case 'while':
      return 'iteration of this `while` loop';
    case 'do':
      return 'iteration of this `do…while` loop';
    case 'field-resolver': {
      const m = ctx.node as ts.MethodDeclaration;
      const name = m.name && ts.isIdentifier(m.name) ? m.name.text : 'this field';
      return `parent object a query returns (\`@${ctx.method}\` \`${name}\` runs for each one)`;
    }
    case 'callback': {
      const call = ctx.node as ts.CallExpression;
      const inPromiseAll = isPromiseAllArgument(call);
      const of = ctx.method === 'from' ? 'Array.from' : `.${ctx.method}`;
      return `element of \`${text(ctx.receiver)}\` (\`${of}\` callback${inPromiseAll ? ` under \`Promise.${inPromiseAll}\`: parallel, still one round trip each` : ''})`;
    }
  }
}

function isPromiseAllArgument(call: ts.Node): string | undefined {
  let n = call;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (!ts.isCallExpression(p) || !p.arguments.includes(n as ts.Expression)) return undefined;
  const callee = skipOuter(p.expression);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise' && (callee.name.text === 'all' || callee.name.text === 'allSettled')) return callee.name.text;
  return undefined;
}

/** A test file, test-runner setup or seed script: code that prepares a database and never serves a request. */
function isFixtureFile(rel: string): boolean {
  return TEST_FILE.test(rel) || isSeedScript(rel);
}
