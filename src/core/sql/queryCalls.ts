import ts from 'typescript';
import { DB_LIBRARIES, DB_LIBRARY_IDS, type DbLibrary, type DbLibraryDescriptor } from '../db/libraries';
import { isExecuted, memberName, skipOuter } from '../ts/expressions';

/**
 * Which calls the query analysis (`queriesInFiles`) asks the type checker about: those some
 * database library's query extractor could read, judged by their syntax alone from each
 * descriptor's `queries.calls` (src/core/db/libraries/<id>.ts). Adding a library never touches
 * this file. `res.json(…)`, `rows.map(…)`, `await loadUser(id)` in a project on `pg` cost a
 * property lookup here instead of a provenance trace or a type.
 *
 * Method names and templates are admitted for every library: which library a call belongs to
 * is only known after the checker work this filter saves (a `query` call may turn out to be
 * mysql2's in a project that declares only `pg`). Any awaited or returned call — the shape of a
 * lazy builder chain (`await db('users').where(…)`) — is admitted only when a library that reads
 * such chains can be in play: the project uses it (package.json, imports) or its declarations are
 * in the program (the checker can then type a value as its builder).
 */
export class QueryCallFilter {
  private readonly executedBuilders: boolean;
  private readonly methods: ReadonlySet<string>;
  private readonly templates: boolean;

  constructor(librariesInPlay: Iterable<DbLibrary>) {
    ({ methods: this.methods, templates: this.templates } = readableCalls());
    let executed = false;
    for (const id of librariesInPlay) if ((DB_LIBRARIES[id] as DbLibraryDescriptor).queries?.calls.executedBuilders) executed = true;
    this.executedBuilders = executed;
  }

  /** Whether some library's extractor could read a query from this call. */
  admits(node: ts.CallExpression | ts.TaggedTemplateExpression): boolean {
    if (ts.isTaggedTemplateExpression(node)) return this.templates;
    const callee = skipOuter(node.expression);
    const name = memberName(callee);
    if (name !== undefined && this.methods.has(name)) return true;
    if (this.templates && hasTemplateOperand(node, callee)) return true;
    return this.executedBuilders && isExecuted(node);
  }
}

/** Every extractor's method names, and whether any reads templates: built on first use (the descriptors import this module's importers). */
let readable: { methods: ReadonlySet<string>; templates: boolean } | undefined;
function readableCalls(): { methods: ReadonlySet<string>; templates: boolean } {
  if (readable) return readable;
  const methods = new Set<string>();
  let templates = false;
  for (const id of DB_LIBRARY_IDS) {
    const calls = (DB_LIBRARIES[id] as DbLibraryDescriptor).queries?.calls;
    if (!calls) continue;
    for (const m of calls.methods) methods.add(m);
    if (calls.templates) templates = true;
  }
  return (readable = { methods, templates });
}

/** `` sql`…`.execute(db) ``, `db.execute(sql`…`)`: a tagged template as the receiver or the first argument. */
function hasTemplateOperand(node: ts.CallExpression, callee: ts.Expression): boolean {
  if (ts.isPropertyAccessExpression(callee) && ts.isTaggedTemplateExpression(skipOuter(callee.expression))) return true;
  const first = node.arguments[0];
  return first !== undefined && ts.isTaggedTemplateExpression(skipOuter(first));
}
