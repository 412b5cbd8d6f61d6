import ts from 'typescript';
import { skipOuter } from './expressions';
import type { FunctionBody } from './iteration';

/**
 * Queries that do not run every time their function runs, judged from the function's own code:
 * - memoised in a field of the instance (`if (this.cached) return this.cached; this.cached =
 *   query()`): it runs once per instance (or per cache lifetime), not once per call;
 * - gated by an option (`if (skipCache) return query()`, `skipCache = false` by default): it runs
 *   only for callers that pass the option — followed through the callers along the chain;
 * - run only when a parameter's relation is missing (`if (order.lines) return order.lines`,
 *   `if (!entity.translations?.length) { … }`): a GraphQL field resolver handed a parent whose
 *   relation the list query loaded does not query.
 */

export interface QueryGate {
  /** `option`: runs only when the option is set; `missing`: only when the parameter's relation is absent. */
  kind: 'option' | 'missing';
  /** The parameter of the function the gate is stated in terms of. */
  index: number;
  /** The option's name, when the parameter is an options object (`{ skipCache = false } = {}`). */
  property?: string;
}

/** What a call does with a callee's gate: the query never runs from here, still depends on the caller's own parameter, or runs. */
export type GateThroughCall = 'never' | 'open' | QueryGate;

/** The gate on `node` inside `fn`, if any (the innermost condition that decides whether it runs). */
export function gateOf(node: ts.Node, fn: FunctionBody, checker: ts.TypeChecker): QueryGate | undefined {
  for (let n: ts.Node = node; n !== fn && n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && (p.thenStatement === n || p.elseStatement === n)) {
      const gate = conditionGate(p, p.thenStatement === n, fn, checker);
      if (gate) return gate;
    }
    // `if (parent.rel) return parent.rel;` / `if (!skipCache) return cached;` before the statement.
    if (ts.isBlock(p) && ts.isStatement(n)) {
      const before = p.statements.slice(0, p.statements.indexOf(n as ts.Statement));
      for (const s of before.reverse()) {
        if (!ts.isIfStatement(s) || s.elseStatement || !alwaysExits(s.thenStatement)) continue;
        const gate = conditionGate(s, false, fn, checker);
        if (gate) return gate;
      }
    }
  }
  return undefined;
}

/**
 * The gate an `if` puts on its `then` branch (`inThen`), its `else` branch, or what follows it
 * when it exits. A relation counts as missing-only when the code uses the loaded relation on the
 * other path (`if (x.rel) return x.rel.filter(…)`, `if (x.rel?.[0]?.channels) { v = x.rel } else
 * { query }`) or loads it on this one (`if (!x.rel) { … x.rel = … }`).
 */
function conditionGate(statement: ts.IfStatement, inThen: boolean, fn: FunctionBody, checker: ts.TypeChecker): QueryGate | undefined {
  let e = skipOuter(statement.expression);
  let positive = inThen;
  for (;;) {
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
      positive = !positive;
      e = skipOuter(e.operand);
    } else if (ts.isBinaryExpression(e) && isNothing(e.right) && isEquality(e.operatorToken.kind)) {
      // `x.rel !== undefined` is `x.rel`; `x.rel == null` is `!x.rel`.
      if (e.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || e.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken) positive = !positive;
      e = skipOuter(e.left);
    } else break;
  }
  // The query runs when the option is true: `if (skipCache) …` with no `else` (an `else` is the
  // other variant of the same work — `if (idempotent) await q.onConflict().ignore(); else await q;`),
  // or with a synchronous one (`else data = doc.toJSON()`): a fallback computed in memory.
  const option = positive && (!statement.elseStatement || isSynchronous(statement.elseStatement)) ? optionOfCondition(e, fn, checker) : undefined;
  if (option) return { kind: 'option', ...option };
  if (positive) return undefined;
  const relation = relationOfParameter(e, fn, checker);
  if (!relation) return undefined;
  // The path that does not query: the `then` branch unless the query is in it.
  const other = inThen ? statement.elseStatement : statement.thenStatement;
  const used = (other && mentions(other, relation.access)) || (inThen && assignsTo(statement.thenStatement, relation.access));
  return used ? { kind: 'missing', index: relation.index } : undefined;
}

/** A branch that waits for nothing: no `await`, no `yield`, no returned call (a promise handed back). */
function isSynchronous(branch: ts.Statement): boolean {
  let waits = false;
  const visit = (n: ts.Node): void => {
    if (waits || ts.isFunctionLike(n)) return;
    if (ts.isAwaitExpression(n) || ts.isYieldExpression(n) || (ts.isReturnStatement(n) && !!n.expression && ts.isCallExpression(skipOuter(n.expression)))) waits = true;
    else ts.forEachChild(n, visit);
  };
  visit(branch);
  return !waits;
}

function isEquality(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
}

function isNothing(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined');
}

function sameText(a: ts.Node, b: ts.Node): boolean {
  return a.getText().replace(/\?\./g, '.').replace(/\s+/g, '') === b.getText().replace(/\?\./g, '.').replace(/\s+/g, '');
}

function assignsTo(branch: ts.Node, access: ts.Expression): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && sameText(skipOuter(n.left), access)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(branch);
  return found;
}

/** Whether `branch` reads the relation (`x.rel`, `x.rel.filter(…)`, `x[field]`). */
function mentions(branch: ts.Node, access: ts.Expression): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isIdentifier(n)) && sameText(n, access)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(branch);
  return found;
}

/**
 * The option a condition requires: `skipCache`, `options?.signedUrls`, or either side of a
 * conjunction (`doc && options?.signedUrls && options?.teamId` runs only when every part holds,
 * so one option the caller leaves out is enough to keep it from running).
 */
function optionOfCondition(e: ts.Expression, fn: FunctionBody, checker: ts.TypeChecker): { index: number; property?: string } | undefined {
  const x = skipOuter(e);
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return optionOfCondition(x.left, fn, checker) ?? optionOfCondition(x.right, fn, checker);
  return optionParameter(x, fn, checker);
}

/**
 * `skipCache` (a parameter or a destructured option defaulting to false or left optional), or
 * `options.signedUrls` / `options?.signedUrls`: an optional property of an options parameter —
 * left out, it is undefined, so the branch does not run. An options parameter is one a caller
 * may leave out (`options?: {…}`, `options: Options = {}`); a row handed in (`model.documentId`)
 * carries data, not options.
 */
function optionParameter(e: ts.Expression, fn: FunctionBody, checker: ts.TypeChecker): { index: number; property?: string } | undefined {
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(skipOuter(e.expression))) {
    const base = checker.getSymbolAtLocation(skipOuter(e.expression))?.valueDeclaration;
    const optionsBag = !!base && ts.isParameter(base) && ts.isIdentifier(base.name) && (!!base.questionToken || (!!base.initializer && ts.isObjectLiteralExpression(skipOuter(base.initializer))));
    const index = optionsBag ? fn.parameters.indexOf(base as ts.ParameterDeclaration) : -1;
    const property = checker.getSymbolAtLocation(e.name);
    return index >= 0 && property && property.flags & ts.SymbolFlags.Optional ? { index, property: e.name.text } : undefined;
  }
  if (!ts.isIdentifier(e)) return undefined;
  const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (!decl) return undefined;
  return optionDeclaration(decl, fn);
}

function optionDeclaration(decl: ts.Declaration, fn: FunctionBody): { index: number; property?: string } | undefined {
  const defaultsOff = (d: ts.ParameterDeclaration | ts.BindingElement) => !d.initializer ? (ts.isParameter(d) && !!d.questionToken) || ts.isBindingElement(d) : d.initializer.kind === ts.SyntaxKind.FalseKeyword;
  if (ts.isParameter(decl)) {
    const index = fn.parameters.indexOf(decl);
    return index >= 0 && defaultsOff(decl) ? { index } : undefined;
  }
  if (ts.isBindingElement(decl) && ts.isObjectBindingPattern(decl.parent) && ts.isParameter(decl.parent.parent)) {
    const index = fn.parameters.indexOf(decl.parent.parent);
    const name = decl.propertyName ?? decl.name;
    if (index < 0 || !ts.isIdentifier(name) || !defaultsOff(decl)) return undefined;
    return { index, property: name.text };
  }
  return undefined;
}

/**
 * `x.rel`, `x.rel?.length`, `x.rel?.[0]?.channels`, `x[field]`: a property of one of `fn`'s
 * parameters (its index, and the first-level read `x.rel`).
 */
function relationOfParameter(e: ts.Expression, fn: FunctionBody, checker: ts.TypeChecker): { index: number; access: ts.Expression } | undefined {
  let x = skipOuter(e);
  while ((ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) && !ts.isIdentifier(skipOuter(x.expression))) x = skipOuter(x.expression);
  if (ts.isIdentifier(x)) return aliasOfRelation(x, fn, checker);
  if (!ts.isPropertyAccessExpression(x) && !ts.isElementAccessExpression(x)) return undefined;
  const base = skipOuter(x.expression);
  if (!ts.isIdentifier(base)) return undefined;
  const decl = checker.getSymbolAtLocation(base)?.valueDeclaration;
  if (!decl || !ts.isParameter(decl)) return aliasOfRelation(base, fn, checker, x);
  const index = fn.parameters.indexOf(decl);
  return index >= 0 ? { index, access: x } : undefined;
}

/**
 * `let assets = entity.assets; if (!assets) { … }`: a local copy of a parameter's relation (the
 * copy is what the code reads on the other path). `read` is the expression the condition tests.
 */
function aliasOfRelation(id: ts.Identifier, fn: FunctionBody, checker: ts.TypeChecker, read: ts.Expression = id): { index: number; access: ts.Expression } | undefined {
  const decl = checker.getSymbolAtLocation(id)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || decl.pos < fn.pos || decl.end > fn.end) return undefined;
  const init = skipOuter(decl.initializer);
  if (!ts.isPropertyAccessExpression(init) || !ts.isIdentifier(skipOuter(init.expression))) return undefined;
  const base = checker.getSymbolAtLocation(skipOuter(init.expression))?.valueDeclaration;
  const index = base && ts.isParameter(base) ? fn.parameters.indexOf(base) : -1;
  return index >= 0 ? { index, access: read === id ? id : firstLevel(read) } : undefined;
}

/** `assets[0].asset?.channels` → `assets`… the read just above the alias: what the other path mentions. */
function firstLevel(e: ts.Expression): ts.Expression {
  let x = skipOuter(e);
  while ((ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) && !ts.isIdentifier(skipOuter(x.expression))) x = skipOuter(x.expression);
  return (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) ? skipOuter(x.expression) : x;
}

function alwaysExits(s: ts.Statement): boolean {
  if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) return true;
  if (ts.isBlock(s)) return s.statements.length > 0 && alwaysExits(s.statements[s.statements.length - 1]);
  return false;
}

/**
 * How `call` (in `caller`) treats a callee's gate: an option it never passes (`getByKey(key)`,
 * `{ other: 1 }`, `false`) means the query never runs from here; its own option or parameter
 * handed on (`{ skipCache }`, `entity`) keeps the gate, now on the caller's parameter; anything
 * else opens it.
 */
export function gateThroughCall(call: ts.Node, gate: QueryGate, caller: FunctionBody | undefined, checker: ts.TypeChecker): GateThroughCall {
  if (!ts.isCallExpression(call)) return 'open';
  const arg = call.arguments[gate.index];
  const onCaller = (value: ts.Expression): GateThroughCall => {
    const v = skipOuter(value);
    if (v.kind === ts.SyntaxKind.FalseKeyword || (gate.kind === 'option' && isNothing(v))) return gate.kind === 'option' ? 'never' : 'open';
    // `{ signedUrls: options.signedUrls }`: the caller's own option handed on.
    if (gate.kind === 'option' && caller && ts.isPropertyAccessExpression(v)) {
      const option = optionParameter(v, caller, checker);
      return option ? { kind: 'option', ...option } : 'open';
    }
    if (!caller || !ts.isIdentifier(v)) return 'open';
    const decl = checker.getSymbolAtLocation(v)?.valueDeclaration;
    if (!decl) return 'open';
    if (gate.kind === 'option') {
      const option = optionDeclaration(decl, caller);
      return option ? { kind: 'option', ...option } : 'open';
    }
    const index = ts.isParameter(decl) ? caller.parameters.indexOf(decl) : -1;
    return index >= 0 ? { kind: 'missing', index } : 'open';
  };
  if (gate.kind === 'missing') return arg ? onCaller(arg) : 'open';
  if (!arg) return 'never';
  if (gate.property === undefined) return onCaller(arg);
  return optionsValue(arg, gate.property, caller, checker, onCaller);
}

/** What an options object handed to a gated callee (`{ signedUrls }`, `undefined`, `isPublic ? { … } : undefined`) does with its option. */
function optionsValue(arg: ts.Expression, property: string, caller: FunctionBody | undefined, checker: ts.TypeChecker, onCaller: (value: ts.Expression) => GateThroughCall): GateThroughCall {
  const options = skipOuter(arg);
  // No options at all: the option is off.
  if (isNothing(options)) return 'never';
  // `isPublic ? { signedUrls: … } : undefined`: the option is passed only under the caller's own option.
  if (ts.isConditionalExpression(options)) {
    const whenTrue = optionsValue(options.whenTrue, property, caller, checker, onCaller);
    const whenFalse = optionsValue(options.whenFalse, property, caller, checker, onCaller);
    if (whenTrue === 'never' && whenFalse === 'never') return 'never';
    const own = caller && whenFalse === 'never' ? optionOfCondition(options.condition, caller, checker) : undefined;
    return own ? { kind: 'option', ...own } : 'open';
  }
  if (ts.isObjectLiteralExpression(options)) {
    if (options.properties.some(ts.isSpreadAssignment)) return 'open';
    const p = options.properties.find((x) => x.name && ts.isIdentifier(x.name) && x.name.text === property);
    if (!p) return 'never';
    if (ts.isShorthandPropertyAssignment(p)) {
      const decl = checker.getShorthandAssignmentValueSymbol(p)?.valueDeclaration;
      const option = decl && caller ? optionDeclaration(decl, caller) : undefined;
      return option ? { kind: 'option', ...option } : 'open';
    }
    return ts.isPropertyAssignment(p) ? onCaller(p.initializer) : 'open';
  }
  // The caller's whole options object handed on.
  if (ts.isIdentifier(options) && caller) {
    const decl = checker.getSymbolAtLocation(options)?.valueDeclaration;
    const index = decl && ts.isParameter(decl) ? caller.parameters.indexOf(decl) : -1;
    if (index >= 0) return { kind: 'option', index, property };
  }
  return 'open';
}

/**
 * A query whose result is kept in a field of the instance that the function returns when set:
 * `if (this.cached && fresh) return this.cached; const p = query(); this.cached = p; return p`,
 * or `this.cached ??= await query()`. It runs once per instance (or per expiry), not per call.
 * A cache keyed by the argument (`this.cache.get(key)`) still queries once per distinct key.
 */
export function memoizedInField(site: ts.Node, fn: FunctionBody, checker: ts.TypeChecker): boolean {
  let n: ts.Node = site;
  // query().catch(…), await query(), (query() as X)
  for (;;) {
    const p = n.parent;
    if (ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p)) n = p;
    else if (ts.isPropertyAccessExpression(p) && p.expression === n && ['catch', 'then', 'finally'].includes(p.name.text) && ts.isCallExpression(p.parent)) n = p.parent;
    else break;
  }
  const holder = n.parent;
  let field: string | undefined;
  if (ts.isBinaryExpression(holder) && holder.right === n) {
    field = thisField(holder.left);
    if (field && (holder.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken || holder.operatorToken.kind === ts.SyntaxKind.BarBarEqualsToken)) return true;
  } else if (ts.isVariableDeclaration(holder) && holder.initializer === n && ts.isIdentifier(holder.name)) {
    const local = checker.getSymbolAtLocation(holder.name);
    const visit = (x: ts.Node): void => {
      if (field) return;
      if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipOuter(x.right)) && checker.getSymbolAtLocation(skipOuter(x.right)) === local) field = thisField(x.left);
      ts.forEachChild(x, visit);
    };
    visit(fn.body);
  }
  if (!field) return false;
  // The function returns the field when it is set, before the query (`if (this.cached) return
  // this.cached`), or fills it only when unset (`if (!this.cached) this.cached = …`): the fill of a
  // cache. A field merely written then read (`this.rows = await q(); if (this.rows.length) …`) is not.
  for (let n: ts.Node = site; n !== fn && n.parent; n = n.parent) {
    if (ts.isIfStatement(n.parent) && n.parent.thenStatement === n && mentionsField(n.parent.expression, field)) return true;
  }
  let guarded = false;
  const visit = (x: ts.Node): void => {
    if (guarded || x.pos >= site.pos) return;
    if (ts.isIfStatement(x) && x.end <= site.pos && mentionsField(x.expression, field!) && alwaysExits(x.thenStatement)) guarded = true;
    else ts.forEachChild(x, visit);
  };
  visit(fn.body);
  return guarded;
}

function thisField(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  return ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword ? x.name.text : undefined;
}

function mentionsField(e: ts.Node, field: string): boolean {
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword && e.name.text === field) return true;
  return !!ts.forEachChild(e, (c) => mentionsField(c, field) || undefined);
}

/** The parameter a GraphQL field resolver receives its parent object in: `@Parent()`/`@Root()`, else the first. */
export function parentParameterIndex(method: FunctionBody): number {
  const i = method.parameters.findIndex((p) =>
    (ts.getDecorators(p) ?? []).some((d) => {
      const callee = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
      return ts.isIdentifier(callee) && (callee.text === 'Parent' || callee.text === 'Root');
    }),
  );
  return i >= 0 ? i : 0;
}

/**
 * `if (row.sig && row.keyId === this.keyId) return format(row); … updateTable('label').set({ sig,
 * keyId }).where('id', '=', row.id)`: a write that stores on the parameter's row the very fields an
 * exit before it tests — a lazy backfill. It runs for a row the first time the row is met without
 * them, and never again for that row: not once per call. `write` is the statement (a call whose
 * chain or arguments carry the written fields: Kysely/Knex `.set({…})`, Prisma `data: {…}`, SQL
 * `UPDATE … SET col = …`).
 */
export function backfillsParameterRow(write: ts.Node, fn: FunctionBody, checker: ts.TypeChecker): boolean {
  const written = writtenFields(write);
  if (written.size === 0) return false;
  for (let n: ts.Node = write; n !== fn && n.parent; n = n.parent) {
    const p = n.parent;
    if (!ts.isBlock(p) || !ts.isStatement(n)) continue;
    for (const s of p.statements.slice(0, p.statements.indexOf(n as ts.Statement))) {
      // The exit hands back the row's value (`return format(row)`): a read that stores what it had to
      // compute. A bare `return` is an idempotency guard on a write the caller asked for.
      if (!ts.isIfStatement(s) || s.elseStatement || !returnsValue(s.thenStatement)) continue;
      if (testedParameterFields(s.expression, fn, checker).some((f) => written.has(normaliseField(f)))) return true;
    }
  }
  return false;
}

function returnsValue(s: ts.Statement): boolean {
  if (ts.isReturnStatement(s)) return !!s.expression;
  return ts.isBlock(s) && s.statements.length > 0 && returnsValue(s.statements[s.statements.length - 1]);
}

function normaliseField(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

/** Fields a write statement sets: keys of `.set({…})`/`.update({…})` objects, of `data: {…}`, and columns of `UPDATE … SET`. */
function writtenFields(write: ts.Node): Set<string> {
  const out = new Set<string>();
  const keysOf = (o: ts.ObjectLiteralExpression) => {
    for (const prop of o.properties) {
      const name = prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) ? prop.name.text : undefined;
      if (name) out.add(normaliseField(name));
    }
  };
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && (n.expression.name.text === 'update' || (n.expression.name.text === 'set' && /\bupdate/i.test(n.expression.expression.getText())))) {
      const arg = n.arguments[0] && skipOuter(n.arguments[0]);
      // Prisma's `update({ where, data })` names its fields under `data` (read below).
      if (arg && ts.isObjectLiteralExpression(arg) && !arg.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'data')) keysOf(arg);
    }
    if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'data' && ts.isObjectLiteralExpression(skipOuter(n.initializer)) && /\.update(Many)?\s*\(/.test(write.getText())) keysOf(skipOuter(n.initializer) as ts.ObjectLiteralExpression);
    if (ts.isStringLiteralLike(n) || ts.isTemplateHead(n)) {
      const m = /\bupdate\s+\S+\s+set\s+([\s\S]*?)(\bwhere\b|$)/i.exec(n.text);
      for (const c of m?.[1].matchAll(/"?([a-z_][a-z0-9_]*)"?\s*=/gi) ?? []) out.add(normaliseField(c[1]));
    }
    ts.forEachChild(n, visit);
  };
  visit(write);
  return out;
}

/** `row.sig`, `!row.sig`, `row.keyId === x`, joined by `&&`/`||`: the fields of `fn`'s parameters the condition reads. */
function testedParameterFields(condition: ts.Expression, fn: FunctionBody, checker: ts.TypeChecker): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression)) {
      const decl = checker.getSymbolAtLocation(n.expression)?.valueDeclaration;
      if (decl && ts.isParameter(decl) && fn.parameters.includes(decl)) out.push(n.name.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(condition);
  return out;
}
