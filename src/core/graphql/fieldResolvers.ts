import ts from 'typescript';

/**
 * What the code-first GraphQL schema (NestJS `@nestjs/graphql`, `type-graphql`) says about how
 * often a field resolver runs. A field resolver runs once per parent object in a result: per
 * element when its parent type comes back as a list (`@Query(() => [Team])`), or hangs under a
 * type that does (`Team.owner: User` → every `User` field runs per team); once per request when
 * the parent is only ever a single root object (`@Query(() => Infra)`).
 */

const GRAPHQL_PACKAGES = new Set(['@nestjs/graphql', 'type-graphql']);
/** Decorators whose type function says what a query or a field returns. */
const RETURNING = new Set(['Query', 'Mutation', 'Subscription', 'ResolveField', 'ResolveProperty', 'FieldResolver', 'Field']);
/** Decorators of the parameter that receives the parent object. */
const PARENT_PARAMETER = new Set(['Parent', 'Root']);

/** Where a type is returned as a list, for the message (`@Query` `myTeams` returns `[Team]`). */
export interface ListedType {
  type: string;
  how: string;
}

interface FileFacts {
  /** Types returned as a list here, and where. */
  listed: ListedType[];
  /** Parent type → the types its fields return (one object per parent at least). */
  edges: Array<[string, string]>;
  /** Object types this file declares code-first (any other type is unknown: schema-first). */
  known: string[];
}

const factsCache = new WeakMap<ts.SourceFile, FileFacts>();

/** The schema facts of a set of files; per-file facts are cached on the (reused) SourceFile objects. */
export class GraphqlSchemaFacts {
  private many: Map<string, string> | undefined;
  private known: Set<string> | undefined;

  constructor(private readonly files: readonly ts.SourceFile[]) {}

  /**
   * How a field resolver on `parent` runs per element: the reason (a listing, or the path from
   * one), `'singleton'` when the schema knows the type and never returns it as a list, or
   * undefined when the schema does not say (schema-first, a type declared elsewhere): then it
   * is treated as per element, as before.
   */
  listing(parent: string): string | 'singleton' | undefined {
    this.build();
    const reason = this.many!.get(parent);
    if (reason) return reason;
    return this.known!.has(parent) ? 'singleton' : undefined;
  }

  private build(): void {
    if (this.many) return;
    const many = new Map<string, string>();
    const known = new Set<string>();
    const edges = new Map<string, string[]>();
    for (const sf of this.files) {
      const facts = fileFacts(sf);
      for (const l of facts.listed) if (!many.has(l.type)) many.set(l.type, l.how);
      for (const [from, to] of facts.edges) edges.set(from, [...(edges.get(from) ?? []), to]);
      for (const k of facts.known) known.add(k);
    }
    // Every type reachable from a listed one comes back once per element of that list.
    const queue = [...many.keys()];
    while (queue.length) {
      const from = queue.shift()!;
      for (const to of edges.get(from) ?? []) {
        if (many.has(to)) continue;
        many.set(to, `\`${to}\` is a field of \`${from}\`, and ${many.get(from)!}`);
        queue.push(to);
      }
    }
    this.many = many;
    this.known = known;
  }
}

function fileFacts(sf: ts.SourceFile): FileFacts {
  let facts = factsCache.get(sf);
  if (facts) return facts;
  facts = { listed: [], edges: [], known: [] };
  factsCache.set(sf, facts);
  if (!sf.text.includes('graphql')) return facts;
  const names = graphqlImports(sf);
  if (names.size === 0) return facts;
  const decoratorName = (d: ts.Decorator): string | undefined => {
    const callee = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
    return ts.isIdentifier(callee) ? names.get(callee.text) : undefined;
  };
  const visit = (n: ts.Node): void => {
    if (ts.isClassDeclaration(n)) {
      const parent = classParentType(n, decoratorName);
      // Known: declared code-first here (`@ObjectType() class Team`). A `@Resolver('Team')` alone may
      // belong to a schema-first type whose lists are written in SDL, which is not read.
      if (parent && n.name?.text === parent) facts!.known.push(parent);
      for (const member of n.members) {
        for (const d of ts.getDecorators(member as ts.HasDecorators) ?? []) {
          const name = decoratorName(d);
          if (!name || !RETURNING.has(name) || !ts.isCallExpression(d.expression)) continue;
          const returned = returnedType(d.expression);
          if (!returned) continue;
          const field = member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) ? member.name.text : 'a field';
          if (returned.list) facts!.listed.push({ type: returned.type, how: `\`@${name}\` \`${field}\` returns \`[${returned.type}]\`` });
          // A field of `parent` (an object type's own field, or a resolved one): one object per parent.
          if (parent && (name === 'Field' || name === 'ResolveField' || name === 'ResolveProperty' || name === 'FieldResolver')) facts!.edges.push([parent, returned.type]);
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return facts;
}

/** Local names of the GraphQL packages' decorators in this file (`ResolveField`, or an alias of it). */
function graphqlImports(sf: ts.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !GRAPHQL_PACKAGES.has(st.moduleSpecifier.text)) continue;
    const bindings = st.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) names.set(el.name.text, (el.propertyName ?? el.name).text);
  }
  return names;
}

/** `@Resolver(() => Team)`, `@Resolver(of => Team)`, `@Resolver(Team)`, `@Resolver('Team')`; `@ObjectType()` on `class Team`. */
function classParentType(cls: ts.ClassDeclaration, decoratorName: (d: ts.Decorator) => string | undefined): string | undefined {
  for (const d of ts.getDecorators(cls) ?? []) {
    const name = decoratorName(d);
    if (name === 'ObjectType' || name === 'InterfaceType') return cls.name?.text;
    if (name !== 'Resolver' || !ts.isCallExpression(d.expression)) continue;
    const arg = d.expression.arguments[0];
    if (!arg) return undefined;
    if (ts.isStringLiteral(arg)) return arg.text;
    if (ts.isIdentifier(arg)) return arg.text;
    return returnedType(d.expression)?.type;
  }
  return undefined;
}

/** The type a decorator's type function returns: `() => [Team]` (a list), `(type) => Team`. */
function returnedType(call: ts.CallExpression): { type: string; list: boolean } | undefined {
  for (const arg of call.arguments) {
    if (!ts.isArrowFunction(arg) && !ts.isFunctionExpression(arg)) continue;
    let body: ts.Node | undefined = arg.body;
    if (ts.isBlock(body)) body = body.statements.find(ts.isReturnStatement)?.expression;
    while (body && ts.isParenthesizedExpression(body)) body = body.expression;
    if (!body) return undefined;
    if (ts.isArrayLiteralExpression(body)) {
      const el = body.elements[0];
      return el && ts.isIdentifier(el) ? { type: el.text, list: true } : undefined;
    }
    return ts.isIdentifier(body) ? { type: body.text, list: false } : undefined;
  }
  return undefined;
}

/** The GraphQL type a field resolver method belongs to (its class's `@Resolver(() => X)`), if the code says. */
export function resolverParentType(method: ts.MethodDeclaration): string | undefined {
  const cls = method.parent;
  if (!ts.isClassDeclaration(cls)) return undefined;
  const names = graphqlImports(method.getSourceFile());
  return classParentType(cls, (d) => {
    const callee = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
    return ts.isIdentifier(callee) ? names.get(callee.text) : undefined;
  });
}

/**
 * Whether the resolver serves the requesting user's own object only: before anything else it
 * returns or throws unless the parent's id is the caller's (`if (caller.uid !== user.uid) return []`).
 * Then a list of users never reaches its query more than once per request.
 */
export function servesCallerOnly(method: ts.MethodDeclaration, checker: ts.TypeChecker): boolean {
  const names = graphqlImports(method.getSourceFile());
  const isParent = (p: ts.ParameterDeclaration) =>
    (ts.getDecorators(p) ?? []).some((d) => {
      const callee = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
      return ts.isIdentifier(callee) && PARENT_PARAMETER.has(names.get(callee.text) ?? '');
    });
  const parent = method.parameters.find(isParent);
  const others = method.parameters.filter((p) => p !== parent);
  if (!parent || !ts.isIdentifier(parent.name) || !method.body || others.length === 0) return false;
  const parentName = parent.name.text;
  const otherNames = new Set(others.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  const rootOf = (e: ts.Expression): string | undefined => {
    let x: ts.Expression = e;
    while (ts.isPropertyAccessExpression(x) || ts.isNonNullExpression(x) || ts.isParenthesizedExpression(x)) x = x.expression;
    return ts.isIdentifier(x) ? x.text : undefined;
  };
  for (const st of method.body.statements) {
    if (!ts.isIfStatement(st)) continue;
    const c = st.expression;
    if (!ts.isBinaryExpression(c) || (c.operatorToken.kind !== ts.SyntaxKind.ExclamationEqualsEqualsToken && c.operatorToken.kind !== ts.SyntaxKind.ExclamationEqualsToken)) continue;
    const sides = [rootOf(c.left), rootOf(c.right)];
    if (!(sides.includes(parentName) && sides.some((s) => s !== undefined && otherNames.has(s)))) continue;
    if (exits(st.thenStatement, checker)) return true;
  }
  return false;
}

/** A branch that leaves the resolver: return, throw, or a call that never returns (`throwErr(…)`: `never`). */
function exits(st: ts.Statement, checker: ts.TypeChecker): boolean {
  if (ts.isBlock(st)) return st.statements.some((s) => exits(s, checker));
  if (ts.isReturnStatement(st) || ts.isThrowStatement(st)) return true;
  if (ts.isExpressionStatement(st) && ts.isCallExpression(st.expression)) return (checker.getTypeAtLocation(st.expression).flags & ts.TypeFlags.Never) !== 0;
  return false;
}
