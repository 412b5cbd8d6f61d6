// Over 400 lines on purpose: every code fact the checklist reads comes from one pass over a file's
// calls and imports (cached per SourceFile version); splitting it would walk each file again per fact.
import ts from 'typescript';
import { emptyCodeFacts, type CodeFacts, type Located, type PackageUse } from '../facts';
import { CAPABILITY_PACKAGES, REQUEST_ID_HEADERS, SECURITY_HEADERS, SQL_RAW_MEMBERS } from '../libraries';
import { dbLibraryOfPackage, isGlobalProcess, isRelative, packageName, unwrap, type Provenance, type ProvenanceResolver } from './analysisParts';

/**
 * Facts from one TypeScript file, found by import provenance: which packages' values are called
 * and mounted, outbound calls and their timeouts, pools, SQL built by interpolation, env reads…
 * The result is plain data, cached per SourceFile version by the collector, so an edit
 * re-reads the edited file only.
 */
export interface CodeScanContext {
  checker: ts.TypeChecker;
  provenance: ProvenanceResolver;
  /** A test file: only its imports are recorded (supertest, k6…), nothing it does counts for the service. */
  isTest: boolean;
}

/** Methods that install middleware, plugins or handlers: their arguments are "mounted". */
const MOUNT_METHODS = new Set(['use', 'register', 'get', 'post', 'put', 'patch', 'delete', 'all', 'route', 'addHook', 'useGlobalGuards', 'useGlobalPipes', 'useGlobalInterceptors', 'useGlobalFilters', 'apply', 'on']);
const REQUEST_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream', 'fetch']);
/** Koa's `ctx.query`/`ctx.params` are the request's; `ctx.body` is the response's, so only these count on ctx. */
const CONTEXT_REQUEST_DATA = new Set(['query', 'params']);
const REQUEST_DATA = new Set(['body', 'query', 'params', 'param', 'headers', 'cookies']);
const LOG_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace']);

export function collectCodeFacts(sf: ts.SourceFile, ctx: CodeScanContext): { facts: CodeFacts; testImports: Map<string, Located[]> } {
  const facts = emptyCodeFacts();
  const testImports = new Map<string, Located[]>();
  const file = sf.fileName;
  const at = (node: ts.Node): Located => ({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line });
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => map.set(key, [...(map.get(key) ?? []), value]);
  const use = (node: ts.Node, p: Provenance): PackageUse => ({ ...at(node), module: p.module, member: p.path.join('.') });
  const provenanceOf = (node: ts.Node): Provenance | undefined => {
    try {
      return ctx.provenance.of(node);
    } catch {
      return undefined; // a shape provenance does not know: no fact, never a crash
    }
  };

  const recordImport = (spec: string, node: ts.Node) => {
    if (isRelative(spec)) return;
    const module = packageName(spec);
    push(ctx.isTest ? testImports : facts.imports, module, at(node));
    if ((module === 'k6' || spec.startsWith('k6/')) && !ctx.isTest) facts.loadTestScripts.push(at(node));
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) recordImport(node.moduleSpecifier.text, node);
    // `export default fastifyRateLimit`: a plugin file that a loader (@fastify/autoload) registers.
    if (!ctx.isTest && ts.isExportAssignment(node) && !node.isExportEquals) {
      const p = provenanceOf(node.expression);
      if (p) push(facts.exportedPlugins, p.module, use(node, p));
    }
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) recordImport(node.moduleSpecifier.text, node);
    else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) recordImport(node.arguments[0].text, node);
    if (ctx.isTest) {
      // `app.inject({ method, url })` (Fastify, light-my-request): a test through HTTP.
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'inject' && node.arguments[0] && (property(node.arguments[0], 'url') || property(node.arguments[0], 'method'))) push(testImports, 'light-my-request', at(node));
      ts.forEachChild(node, visit);
      return;
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) visitCall(node);
    else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) visitAccess(node);
    else if (ts.isStringLiteralLike(node)) visitString(node);
    else if (ts.isPropertyAssignment(node)) visitProperty(node);
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) visitAssignment(node);
    else if (ts.isDecorator(node)) visitDecorator(node);
    ts.forEachChild(node, visit);
  };

  const visitCall = (call: ts.CallExpression | ts.NewExpression): void => {
    const callee = call.expression;
    const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    const p = provenanceOf(callee);
    if (p) {
      push(facts.calls, p.module, use(call, p));
      visitLibraryCall(call, p, args);
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      // console.log(...) on the global console
      if (LOG_METHODS.has(name) && ts.isIdentifier(callee.expression) && callee.expression.text === 'console' && isGlobal(callee.expression)) facts.consoleLogs.push(at(call));
      if (MOUNT_METHODS.has(name)) for (const arg of args) mountArgument(arg);
      // process.on('uncaughtException' | 'unhandledRejection', …)
      if ((name === 'on' || name === 'once' || name === 'addListener' || name === 'prependListener') && isGlobalProcess(ctx.checker, callee.expression)) {
        const ev = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : undefined;
        if (ev === 'uncaughtException' || ev === 'unhandledRejection') facts.crashHandlers.push({ ...at(call), event: ev });
      }
    }
    // Global fetch (not a local function named fetch).
    if (ts.isIdentifier(callee) && callee.text === 'fetch' && isGlobal(callee)) facts.outbound.push({ ...at(call), client: 'fetch', timed: hasOption(args[1], ['signal', 'timeout', 'dispatcher']) });
    // process.env given to a validator, directly or inside an options object.
    if (args.some((a) => containsProcessEnv(a))) {
      if (p && (CAPABILITY_PACKAGES.envValidation as readonly string[]).includes(p.module)) facts.envValidation.push(use(call, p));
      else if (!p) {
        // `validateConfig(process.env, Schema)`: a project helper that calls a validator.
        const validator = validatorInside(callee);
        if (validator) facts.envValidation.push({ ...at(call), module: validator, member: 'via a project helper' });
      }
    }
  };

  const visitLibraryCall = (call: ts.CallExpression | ts.NewExpression, p: Provenance, args: ts.NodeArray<ts.Expression>): void => {
    const last = p.path[p.path.length - 1];
    const members = p.path.filter((s) => s !== '()' && s !== 'default');
    const options = args.find((a) => ts.isObjectLiteralExpression(unwrap(a)));
    // Outbound HTTP clients.
    if ((CAPABILITY_PACKAGES.outboundClients as readonly string[]).includes(p.module)) {
      const isCreate = members.includes('create') && p.path[p.path.length - 1] === 'create';
      if (isCreate || (members[members.length - 1] === 'defaults')) {
        if (hasOption(args[0], ['timeout', 'signal'])) facts.clientDefaults.push(use(call, p));
      } else if (members.length === 0 || REQUEST_METHODS.has(last)) {
        const timed = args.some((a) => hasOption(a, ['timeout', 'signal', 'timeoutMs'])) || chainedTimeout(call);
        facts.outbound.push({ ...at(call), client: p.module, timed });
      }
    }
    if ((p.module === 'http' || p.module === 'https') && (last === 'request' || last === 'get') && members.length === 1) {
      facts.outbound.push({ ...at(call), client: `${p.module}.${last}`, timed: args.some((a) => hasOption(a, ['timeout', 'signal'])) || chainedTimeout(call) });
    }
    if ((p.module === 'https' && last === 'createServer') || (p.module === 'http2' && last === 'createSecureServer')) facts.tlsServers.push(at(call));
    // Fastify's built-in logger is pino (JSON lines); `https:` terminates TLS in the process.
    if (p.module === 'fastify' && members.length <= 1 && options) {
      const logger = property(options, 'logger');
      if (logger && logger.kind !== ts.SyntaxKind.FalseKeyword) facts.jsonLogFormat.push(at(logger));
      if (property(options, 'https')) facts.tlsServers.push(at(call));
    }
    if (p.module === 'winston' && members.includes('format') && last === 'json') facts.jsonLogFormat.push(at(call));
    // NestJS's own Logger: plain text unless `new ConsoleLogger({ json: true })` (Nest 11).
    if (p.module === '@nestjs/common' && (members[0] === 'Logger' || members[0] === 'ConsoleLogger')) {
      if (members[0] === 'ConsoleLogger' && options && property(options, 'json')?.kind === ts.SyntaxKind.TrueKeyword) facts.jsonLogFormat.push(at(call));
      else push(facts.calls, 'nestjs-logger', use(call, p));
    }
    // Pools and clients.
    const db = dbLibraryOfPackage(p.module);
    if (db && (ts.isNewExpression(call) || last === '()' || members.length <= 1)) visitPoolCreation(call, p, members, options);
    if (db === 'pg' && last === 'connect' && members.includes('Pool')) visitLease(call);
    // SQL strings built by interpolation, passed to a driver's raw-query call.
    if (db && SQL_RAW_MEMBERS.has(last) && ts.isCallExpression(call)) {
      facts.dbCalls++;
      const sqlArg = args[0] && sqlText(args[0]);
      if (sqlArg) facts.interpolatedSql.push({ ...at(call), call: calleeText(call), fromRequest: sqlArg.fromRequest });
    } else if (db && ts.isCallExpression(call) && members.length > 1) facts.dbCalls++;
    // NestJS ValidationPipe validates every DTO body with class-validator.
    if (p.module === '@nestjs/common' && members[0] === 'ValidationPipe') facts.frameworkValidation.push(at(call));
    if (p.module === '@nestjs/config' && members.includes('forRoot') && options && (property(options, 'validationSchema') || property(options, 'validate'))) facts.envValidation.push(use(call, p));
  };

  const visitPoolCreation = (call: ts.CallExpression | ts.NewExpression, p: Provenance, members: string[], options: ts.Expression | undefined) => {
    const name = members[members.length - 1] ?? 'default';
    const poolish: Record<string, 'pool' | 'client' | undefined> = {
      Pool: 'pool', Client: 'client', createPool: 'pool', createConnection: 'client', createClient: 'client', PrismaClient: 'pool', DataSource: 'pool',
      Sequelize: 'pool', MikroORM: 'pool', init: p.module.startsWith('@mikro-orm') ? 'pool' : undefined, knex: 'pool', default: p.module === 'postgres' || p.module === 'knex' ? 'pool' : undefined,
    };
    const kind = poolish[name];
    if (!kind) return;
    const opts = options ? (unwrap(options) as ts.ObjectLiteralExpression) : undefined;
    const max = opts && (deepProperty(opts, ['max', 'connectionLimit', 'poolSize', 'connection_limit']) ?? deepProperty(opts, ['pool', 'extra']));
    facts.pools.push({ ...at(call), module: p.module, kind, max: max ? max.getText(sf).replace(/\s+/g, ' ').trim().slice(0, 40) : undefined, perCall: kind === 'pool' ? inRequestHandler(call) : insideFunction(call) });
  };

  const visitLease = (call: ts.CallExpression | ts.NewExpression) => {
    // const client = await pool.connect(); … client.release() — in a finally block or not at all.
    let n: ts.Node = call.parent;
    while (ts.isAwaitExpression(n) || ts.isParenthesizedExpression(n)) n = n.parent;
    if (!ts.isVariableDeclaration(n) || !ts.isIdentifier(n.name)) return;
    const name = n.name.text;
    const fn = enclosingFunction(call);
    if (!fn) return;
    let release: 'released-in-finally' | 'released-not-in-finally' | 'never-released' = 'never-released';
    const find = (m: ts.Node, inFinally: boolean): void => {
      if (ts.isCallExpression(m) && ts.isPropertyAccessExpression(m.expression) && m.expression.name.text === 'release' && ts.isIdentifier(m.expression.expression) && m.expression.expression.text === name) {
        if (inFinally) release = 'released-in-finally';
        else if (release === 'never-released') release = 'released-not-in-finally';
      }
      if (ts.isTryStatement(m)) {
        find(m.tryBlock, inFinally);
        if (m.catchClause) find(m.catchClause, inFinally);
        if (m.finallyBlock) find(m.finallyBlock, true);
        return;
      }
      ts.forEachChild(m, (c) => find(c, inFinally));
    };
    find(fn, false);
    facts.leasedConnections.push({ ...at(call), release });
  };

  const mountArgument = (arg: ts.Expression): void => {
    const e = unwrap(arg);
    if (ts.isArrayLiteralExpression(e)) {
      for (const el of e.elements) mountArgument(el as ts.Expression);
      return;
    }
    if (ts.isStringLiteralLike(e) || ts.isArrowFunction(e) || ts.isFunctionExpression(e) || ts.isObjectLiteralExpression(e)) return;
    const p = provenanceOf(e);
    if (p) push(facts.mounted, p.module, use(e, p));
  };

  const visitDecorator = (d: ts.Decorator): void => {
    // @Module({ imports: [ThrottlerModule.forRoot()], providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }] }), @UseGuards(AuthGuard('jwt'))
    const expr = d.expression;
    if (!ts.isCallExpression(expr)) return;
    const walk = (n: ts.Node, depth: number): void => {
      if (depth > 4) return;
      if (ts.isIdentifier(n) || ts.isCallExpression(n) || ts.isPropertyAccessExpression(n) || ts.isNewExpression(n)) {
        const p = provenanceOf(n);
        if (p) {
          push(facts.mounted, p.module, use(n, p));
          return;
        }
      }
      ts.forEachChild(n, (c) => walk(c, depth + 1));
    };
    for (const a of expr.arguments) walk(a, 0);
    // @Body() in a Nest controller: the method reads a request body.
    const p = provenanceOf(expr.expression);
    if (p?.module === '@nestjs/common' && p.path[p.path.length - 1] === 'Body') facts.bodyReads.push(at(d));
  };

  const visitAccess = (node: ts.PropertyAccessExpression | ts.ElementAccessExpression): void => {
    const name = ts.isPropertyAccessExpression(node) ? node.name.text : ts.isStringLiteralLike(node.argumentExpression) ? node.argumentExpression.text : undefined;
    if (name === 'env' && isGlobalProcess(ctx.checker, node.expression)) {
      const parent = node.parent;
      if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node) facts.envReads.push(at(node));
    }
    if (name === 'body' && isRequestObject(node.expression)) facts.bodyReads.push(at(node));
  };

  const visitString = (node: ts.StringLiteralLike): void => {
    const text = node.text.toLowerCase();
    if (REQUEST_ID_HEADERS.includes(text)) facts.requestIdHeaders.push(at(node));
    if (SECURITY_HEADERS.includes(text)) facts.securityHeaderLiterals.push(at(node));
  };

  const visitProperty = (node: ts.PropertyAssignment): void => {
    const key = propertyName(node.name);
    if (key === 'rejectUnauthorized' && node.initializer.kind === ts.SyntaxKind.FalseKeyword) facts.tlsVerificationOff.push(at(node));
    // Fastify route options: { schema: { body: … } }
    if (key === 'body' && ts.isObjectLiteralExpression(node.parent) && ts.isPropertyAssignment(node.parent.parent) && propertyName(node.parent.parent.name) === 'schema') facts.frameworkValidation.push(at(node));
  };

  const visitAssignment = (node: ts.BinaryExpression): void => {
    const left = node.left;
    if ((ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) && /NODE_TLS_REJECT_UNAUTHORIZED/.test(left.getText(sf))) {
      const right = unwrap(node.right);
      if (ts.isStringLiteralLike(right) && right.text === '0') facts.tlsVerificationOff.push(at(node));
    }
    // axios.defaults.timeout = 5000
    if (ts.isPropertyAccessExpression(left) && left.name.text === 'timeout' && ts.isPropertyAccessExpression(left.expression) && left.expression.name.text === 'defaults') {
      const p = provenanceOf(left.expression.expression);
      if (p) facts.clientDefaults.push(use(node, p));
    }
  };

  const validatorInside = (callee: ts.Expression): string | undefined => {
    const symbol = ctx.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
    const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? ctx.checker.getAliasedSymbol(symbol) : symbol;
    const decl = target?.declarations?.find((d) => !d.getSourceFile().isDeclarationFile);
    if (!decl) return undefined;
    let found: string | undefined;
    const walk = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n)) {
        const q = provenanceOf(n.expression);
        if (q && (CAPABILITY_PACKAGES.envValidation as readonly string[]).includes(q.module)) found = q.module;
      }
      ts.forEachChild(n, walk);
    };
    walk(decl);
    return found;
  };

  const isGlobal = (id: ts.Identifier): boolean => {
    const symbol = ctx.checker.getSymbolAtLocation(id);
    const decls = symbol?.declarations ?? [];
    return decls.length === 0 || decls.every((d) => d.getSourceFile().isDeclarationFile);
  };

  const containsProcessEnv = (expr: ts.Expression, depth = 0): boolean => {
    const e = unwrap(expr);
    if ((ts.isPropertyAccessExpression(e) && e.name.text === 'env' && isGlobalProcess(ctx.checker, e.expression))) return true;
    if (depth < 2 && ts.isObjectLiteralExpression(e)) {
      return e.properties.some((pr) => (ts.isPropertyAssignment(pr) && containsProcessEnv(pr.initializer, depth + 1)) || (ts.isSpreadAssignment(pr) && containsProcessEnv(pr.expression, depth + 1)));
    }
    return false;
  };

  /** The SQL argument when it is built by interpolation (untagged template or `+`), followed through one const. */
  const sqlText = (arg: ts.Expression, depth = 0): { fromRequest: boolean } | undefined => {
    const e = unwrap(arg);
    if (ts.isTemplateExpression(e)) return { fromRequest: e.templateSpans.some((s) => mentionsRequest(s.expression)) };
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken && hasStringPart(e)) return { fromRequest: mentionsRequest(e) };
    if (ts.isIdentifier(e) && depth === 0) {
      const decl = ctx.checker.getSymbolAtLocation(e)?.declarations?.[0];
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.getSourceFile() === sf) return sqlText(decl.initializer, 1);
    }
    return undefined;
  };

  /** The expression uses request data: `req.query.x`, `request.params`, or a local taken from them. */
  const mentionsRequest = (expr: ts.Node, depth = 0): boolean => {
    let found = false;
    const walk = (n: ts.Node): void => {
      if (found) return;
      if ((ts.isPropertyAccessExpression(n) && REQUEST_DATA.has(n.name.text) && isRequestObject(n.expression)) ||
        (ts.isPropertyAccessExpression(n) && CONTEXT_REQUEST_DATA.has(n.name.text) && ts.isIdentifier(n.expression) && n.expression.text === 'ctx') || (ts.isIdentifier(n) && isRequestObject(n) && !ts.isPropertyAccessExpression(n.parent))) {
        found = true;
        return;
      }
      if (ts.isIdentifier(n) && depth < 2) {
        const decl = ctx.checker.getSymbolAtLocation(n)?.declarations?.[0];
        if (decl && ts.isBindingElement(decl)) {
          let v: ts.Node = decl;
          while (!ts.isVariableDeclaration(v) && v.parent && !ts.isSourceFile(v)) v = v.parent;
          if (ts.isVariableDeclaration(v) && v.initializer && mentionsRequest(v.initializer, depth + 1)) found = true;
        } else if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.getSourceFile() === sf && mentionsRequest(decl.initializer, depth + 1)) found = true;
      }
      ts.forEachChild(n, walk);
    };
    walk(expr);
    return found;
  };

  visit(sf);
  return { facts, testImports };
}

function isRequestObject(expr: ts.Expression): boolean {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return e.text === 'req' || e.text === 'request';
  // ctx.request (Koa), c.req (Hono), this.request
  if (ts.isPropertyAccessExpression(e)) return (e.name.text === 'request' || e.name.text === 'req') && (ts.isIdentifier(e.expression) || e.expression.kind === ts.SyntaxKind.ThisKeyword);
  return false;
}

function hasStringPart(e: ts.BinaryExpression): boolean {
  const parts = [e.left, e.right].map(unwrap);
  return parts.some((p) => ts.isStringLiteralLike(p) || ts.isTemplateExpression(p) || (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.PlusToken && hasStringPart(p)));
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
}

function property(obj: ts.Expression, name: string): ts.Expression | undefined {
  const o = unwrap(obj);
  if (!ts.isObjectLiteralExpression(o)) return undefined;
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p) && propertyName(p.name) === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

/** Any of `names` as a property of `obj` or of an object nested in it (two levels). */
function deepProperty(obj: ts.ObjectLiteralExpression, names: string[], depth = 0): ts.Expression | undefined {
  for (const name of names) {
    const v = property(obj, name);
    if (v) return v;
  }
  if (depth >= 2) return undefined;
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && ts.isObjectLiteralExpression(unwrap(p.initializer))) {
      const v = deepProperty(unwrap(p.initializer) as ts.ObjectLiteralExpression, names.filter((n) => n !== 'pool' && n !== 'extra'), depth + 1);
      if (v) return v;
    }
  }
  return undefined;
}

/**
 * An options object with one of `names`. A spread, or options passed as a variable named like
 * options (`init`, `config`), get the benefit of the doubt: the timeout may be in there.
 */
function hasOption(arg: ts.Expression | undefined, names: string[]): boolean {
  if (!arg) return false;
  const e = unwrap(arg);
  if (ts.isIdentifier(e)) return /opt|config|init|settings|params/i.test(e.text);
  if (!ts.isObjectLiteralExpression(e)) return false;
  return e.properties.some((p) => ts.isSpreadAssignment(p) || ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) && names.includes(propertyName(p.name) ?? '')));
}

/** `request.get(url).timeout(5000)` (superagent), `req.setTimeout(…)` on the returned request. */
function chainedTimeout(call: ts.Node): boolean {
  let n = call.parent;
  for (let i = 0; i < 4 && n; i++, n = n.parent) {
    if (ts.isPropertyAccessExpression(n) && /^(timeout|setTimeout)$/.test(n.name.text)) return true;
    if (!ts.isPropertyAccessExpression(n) && !ts.isCallExpression(n)) break;
  }
  return false;
}

/** Inside a function that runs more than once, as far as syntax tells: not a constructor or a factory/bootstrap function. */
function insideFunction(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) {
      if (ts.isConstructorDeclaration(n)) return false;
      const name = functionName(n);
      return !(name && /^(create|init|setup|connect|bootstrap|main|start|build|get\w*(Pool|Client|Connection|DataSource)|use\w*Factory|\w*Factory|onModuleInit|register)/i.test(name));
    }
    if (ts.isSourceFile(n)) return false;
  }
  return false;
}

/** Inside a request handler: a callback given to get/post/…/use, or a NestJS @Get/@Post… method. */
function inRequestHandler(node: ts.Node): boolean {
  for (let n = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isCallExpression(n.parent) && ts.isPropertyAccessExpression(n.parent.expression) && ROUTE_METHODS.has(n.parent.expression.name.text)) return true;
    if (ts.isMethodDeclaration(n) && (ts.getDecorators(n) ?? []).some((d) => ts.isCallExpression(d.expression) && ts.isIdentifier(d.expression.expression) && /^(Get|Post|Put|Patch|Delete|All)$/.test(d.expression.expression.text))) return true;
  }
  return false;
}

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'all', 'use', 'route', 'handle']);

function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return n;
  return undefined;
}

function calleeText(call: ts.CallExpression): string {
  return call.expression.getText().replace(/\s+/g, '').slice(0, 60);
}
