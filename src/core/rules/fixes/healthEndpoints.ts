import * as path from 'node:path';
import ts from 'typescript';
import type { Fix, TextEdit } from '../../finding';
import { classifyExpression, FRAMEWORKS, type FrameworkDescriptor } from '../../http/frameworks';
import { objectLiteralOf, returnedExpression } from '../../http/objects';
import type { ServerStart } from '../../http/servers';
import { skipOuterAndAwait } from '../../ts/expressions';
import { functionOf, identitySymbol, resolvedSymbol } from '../../ts/symbols';
import { enclosingStatement, isInStatementList } from '../../ts/syntax';
import type { Framework } from '../../project/project';
import { detectStyle, importEdits, indentOf, insertAfter, insertBefore, insertion, lineEnd, newFilePath, relativeSpecifier, render, type CodeStyle } from './codeStyle';
import { stableReference, type FixContext } from './context';
import { reachClients } from './dbAccess';

/**
 * Quick fixes for `missing-health-endpoint`: a liveness route (200 while the
 * process serves) and a readiness route that pings the database through the
 * client the project uses and answers 503 when it fails.
 *
 * Routes go right after the app is created (`const app = express()`), so that
 * they run before authentication, catch-all 404 handlers and other middleware;
 * when the creation cannot be found they go just before the listen call.
 * What is written depends on the framework descriptor's `fixes.health`: route templates
 * (Express, Fastify, Koa, Hono), a new `health.controller.ts` registered in the root module
 * (NestJS), or a branch at the top of the request handler (node:http).
 */
export function healthEndpointFix(fx: FixContext, server: ServerStart): Fix | undefined {
  const { live, ready } = probePaths(fx.healthPaths);
  // What to write comes from the framework's descriptor (`http/frameworks/<id>.ts`).
  const health = (FRAMEWORKS[server.framework] as FrameworkDescriptor).fixes.health;
  if (health.kind === 'controller') return nestFix(fx, server, live, ready);
  if (health.kind === 'handler-branch') return nodeHttpFix(fx, server, live, ready);
  const site = insertionSite(fx, server);
  if (!site) return undefined;
  const { sf, statement, app, after } = site;
  const style = detectStyle(sf);
  const indent = indentOf(sf, statement);
  const edits: TextEdit[] = [];
  const check = readinessCheck(fx, sf, statement, edits, style);
  const lines = health.template(app, live, ready, check);
  const block = render(lines, indent, style);
  edits.push(after ? insertAfter(sf, statement, block, style) : insertBefore(sf, statement, block, style));
  return { title: ready ? `Add ${live} and ${ready} health routes` : `Add ${live} health route`, isPreferred: true, edits: sortEdits(edits) };
}

/** Liveness and readiness paths from the configured list (default `/livez` and `/readyz`). */
function probePaths(healthPaths: readonly string[]): { live: string; ready?: string } {
  const live = healthPaths.find((p) => /liv/.test(p)) ?? healthPaths[0] ?? '/livez';
  const ready = healthPaths.find((p) => /read/.test(p)) ?? healthPaths.find((p) => p !== live);
  return { live, ready: ready === live ? undefined : ready };
}

interface Site {
  sf: ts.SourceFile;
  statement: ts.Statement;
  /** How the app is named at the insertion point. */
  app: string;
  /** Insert after `statement` (the app's creation) rather than before it (the listen call). */
  after: boolean;
}

function insertionSite(fx: FixContext, server: ServerStart): Site | undefined {
  const creation = server.app ? creationOf(fx, server.app, server.framework, 0) : undefined;
  if (creation) return creation;
  const st = enclosingStatement(server.call);
  const app = stableReference(server.sourceFile, server.app);
  if (!st || !isInStatementList(st) || !app) return undefined;
  return { sf: server.sourceFile, statement: st, app, after: false };
}

/** The statement that creates the app (`const app = express()`, `this.app = new Koa()`), following project functions. */
function creationOf(fx: FixContext, expr: ts.Expression, framework: Framework, depth: number): Site | undefined {
  if (depth > 4) return undefined;
  const e = skipOuterAndAwait(expr);
  if (ts.isCallExpression(e)) {
    // `createApp()` in a project file: where its returned app is created.
    const fn = functionOf(fx.checker, e.expression);
    const returned = fn && !fn.getSourceFile().isDeclarationFile ? returnedExpression(fn) : undefined;
    return returned ? creationOf(fx, returned, framework, depth + 1) : undefined;
  }
  const symbol = identitySymbol(fx.checker, e);
  for (const decl of symbol?.declarations ?? []) {
    if (decl.getSourceFile().isDeclarationFile) continue;
    if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer) {
      const init = skipOuterAndAwait(decl.initializer);
      if (isCreation(fx, init, framework)) {
        const st = decl.parent.parent;
        if (ts.isVariableStatement(st) && isInStatementList(st) && st.declarationList.declarations.length === 1) return { sf: decl.getSourceFile(), statement: st, app: decl.name.text, after: true };
        return undefined;
      }
      return creationOf(fx, init, framework, depth + 1);
    }
    if (ts.isPropertyDeclaration(decl) && ts.isPropertyAccessExpression(e)) {
      // `this.app = express()` in the constructor or an init method.
      const cls = decl.parent;
      let found: Site | undefined;
      const visit = (n: ts.Node): void => {
        if (found) return;
        if (ts.isExpressionStatement(n) && ts.isBinaryExpression(n.expression) && n.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          const left = n.expression.left;
          if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && resolvedSymbol(fx.checker, left) === symbol && isCreation(fx, skipOuterAndAwait(n.expression.right), framework) && isInStatementList(n)) {
            found = { sf: n.getSourceFile(), statement: n, app: left.getText(), after: true };
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(cls);
      if (found) return found;
    }
  }
  return undefined;
}

function isCreation(fx: FixContext, init: ts.Expression, framework: Framework): boolean {
  if (!ts.isCallExpression(init) && !ts.isNewExpression(init)) return false;
  const v = classifyExpression(fx.provenance, fx.checker, init);
  return v?.role === 'app' && v.framework === framework;
}

interface ReadinessCheck {
  /** An awaitable expression that rejects when the database does not answer. */
  expr?: string;
  /** Comment lines for clients the file cannot reach. */
  notes: string[];
}

function readinessCheck(fx: FixContext, sf: ts.SourceFile, at: ts.Node, edits: TextEdit[], style: CodeStyle): ReadinessCheck {
  const pingable = preferOrder(fx.dbClients.filter((c) => c.ping));
  if (pingable.length === 0) return { notes: ['// TODO: check what this instance needs to serve (database, cache) and answer 503 when it fails.'] };
  const reach = reachClients(fx.checker, sf, at, pingable);
  const first = reach.usable[0];
  if (!first) {
    const c = reach.unreachable[0];
    return { notes: [`// TODO: ping the database here (${c.name} in ${path.basename(c.sourceFile.fileName)} cannot be imported here): await ${c.ping};`] };
  }
  const imports = reach.imports.filter((i) => i.name === first.name || (first.client.imports ?? []).some((x) => x.name === i.name));
  edits.push(...importEdits(sf, imports, style));
  return { expr: first.client.ping!.split(first.client.name).join(first.name), notes: [] };
}

/** Drizzle wraps a driver client: ping the driver when both are there. */
function preferOrder<T extends { library: string }>(clients: T[]): T[] {
  return [...clients.filter((c) => c.library !== 'drizzle'), ...clients.filter((c) => c.library === 'drizzle')];
}

/** node:http: a branch at the top of the request handler; a commented snippet when the handler cannot be edited. */
function nodeHttpFix(fx: FixContext, server: ServerStart, live: string, ready: string | undefined): Fix | undefined {
  const fn = server.handler ? functionOf(fx.checker, server.handler) : undefined;
  const params = fn?.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined)) ?? [];
  if (fn && fn.body && ts.isBlock(fn.body) && params.length >= 2 && params[0] && params[1] && !fn.getSourceFile().isDeclarationFile) {
    const sf = fn.getSourceFile();
    const style = detectStyle(sf);
    const body = fn.body;
    const first = body.statements[0];
    const indent = first ? indentOf(sf, first) : indentOf(sf, fn) + style.indentUnit;
    const edits: TextEdit[] = [];
    const check = readinessCheck(fx, sf, first ?? body, edits, style);
    const [req, res] = params as [string, string];
    const respond = (status: number, state: string) => [`${res}.writeHead(${status}, { 'content-type': 'application/json' });`, `${res}.end(JSON.stringify({ status: '${state}' }));`];
    const lines = ['// Liveness probe: the process is up and serving requests.', `if (${req}.url === '${live}') {`, ...respond(200, 'ok').map((l) => '  ' + l), '  return;', '}'];
    if (ready) {
      lines.push('// Readiness probe: the database answers; 503 takes this instance out of the load balancer.', `if (${req}.url === '${ready}') {`);
      if (check.expr) {
        lines.push(`  ${check.expr}.then(`, '    () => {', ...respond(200, 'ok').map((l) => '      ' + l), '    },', '    () => {', ...respond(503, 'unavailable').map((l) => '      ' + l), '    },', '  );');
      } else lines.push(...check.notes.map((l) => '  ' + l), ...respond(200, 'ok').map((l) => '  ' + l));
      lines.push('  return;', '}');
    }
    const at = lineEnd(sf, body.getStart(sf));
    edits.push(insertion(sf.fileName, at, style.eol + render(lines, indent, style)));
    return { title: ready ? `Add ${live} and ${ready} probes to the request handler` : `Add ${live} probe to the request handler`, isPreferred: true, edits: sortEdits(edits) };
  }
  // The handler is not a function we can edit: leave a snippet to complete by hand.
  const st = enclosingStatement(server.call);
  if (!st || !isInStatementList(st)) return undefined;
  const sf = server.sourceFile;
  const style = detectStyle(sf);
  const lines = [
    `// TODO(shipshape): answer health probes in this server's request handler, before other routing:`,
    `//   if (req.url === '${live}') { res.writeHead(200); res.end('ok'); return; }`,
    ...(ready ? [`//   if (req.url === '${ready}') { /* ping the database; 503 on failure */ res.writeHead(200); res.end('ok'); return; }`] : []),
  ];
  return { title: 'Insert a health-probe snippet to complete by hand', edits: [insertBefore(sf, st, render(lines, indentOf(sf, st), style), style)] };
}

/** NestJS: a HealthController in a new file, added to the root module's `controllers`. */
function nestFix(fx: FixContext, server: ServerStart, live: string, ready: string | undefined): Fix | undefined {
  const moduleClass = server.app ? rootModuleOf(fx, server.app) : undefined;
  const moduleFile = moduleClass?.getSourceFile() ?? server.sourceFile;
  const existing = new Set(fx.projectFiles.map((f) => path.resolve(f.fileName)));
  const file = newFilePath(path.dirname(moduleFile.fileName), 'health.controller', '.ts', existing);
  if (!file) return undefined;
  const style = detectStyle(moduleFile);
  // The new file imports in the module file's style (with or without `.js`).
  const newFile = { fileName: file, text: moduleFile.text };

  // Database access through dependency injection: a PrismaService (extends PrismaClient) or TypeORM's DataSource.
  const imports: string[] = ["import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';"];
  let ctor: string | undefined;
  let ping: string | undefined;
  const prisma = prismaServiceClass(fx);
  if (prisma?.name) {
    imports.push(`import { ${prisma.name.text} } from '${relativeSpecifier(newFile, prisma.getSourceFile().fileName)}';`);
    ctor = `constructor(private readonly prisma: ${prisma.name.text}) {}`;
    ping = 'this.prisma.$queryRaw`SELECT 1`';
  } else if (fx.dependencies.has('@nestjs/typeorm') || fx.dependencies.has('typeorm')) {
    // TypeORM 0.3 injects a DataSource; 0.2 (still common in older Nest apps) a Connection.
    const legacy = /^[\^~>=\s]*0\.[0-2]\./.test(fx.dependencies.get('typeorm') ?? '');
    const type = legacy ? 'Connection' : 'DataSource';
    const field = legacy ? 'connection' : 'dataSource';
    imports.push(`import { ${type} } from 'typeorm';`);
    ctor = `constructor(private readonly ${field}: ${type}) {}`;
    ping = `this.${field}.query('SELECT 1')`;
  }
  const lines = [
    ...imports,
    '',
    '/**',
    ' * Liveness and readiness probes for the load balancer and the orchestrator.',
    ' * Liveness: the process is up. Readiness: it can serve (the database answers);',
    ' * a 503 takes the instance out of rotation until it recovers.',
    ' */',
    '@Controller()',
    'export class HealthController {',
    ...(ctor ? [`  ${ctor}`, ''] : []),
    `  @Get('${live.replace(/^\//, '')}')`,
    '  live() {',
    "    return { status: 'ok' };",
    '  }',
  ];
  if (ready) {
    lines.push('', `  @Get('${ready.replace(/^\//, '')}')`);
    if (ping) {
      lines.push('  async ready() {', '    try {', `      await ${ping};`, '    } catch {', "      throw new ServiceUnavailableException({ status: 'unavailable' });", '    }', "    return { status: 'ok' };", '  }');
    } else {
      lines.push('  ready() {', '    // TODO: check what this instance needs to serve (database, cache); throw ServiceUnavailableException when it fails.', "    return { status: 'ok' };", '  }');
    }
  }
  lines.push('}', '');
  const content = render(lines, '', style);
  const edits = moduleClass ? registerController(fx.checker, moduleClass, file, style) : [];
  return {
    title: moduleClass ? `Add a HealthController (${live}, ${ready ?? live}) and register it in ${moduleClass.name?.text ?? 'the root module'}` : `Add a HealthController (${live}, ${ready ?? live}); register it in your root module's controllers`,
    isPreferred: true,
    edits,
    createFiles: [{ file, content }],
  };
}

/** `NestFactory.create(AppModule)` → the AppModule class declaration. */
function rootModuleOf(fx: FixContext, app: ts.Expression): ts.ClassDeclaration | undefined {
  const symbol = identitySymbol(fx.checker, app);
  for (const decl of symbol?.declarations ?? []) {
    if (!ts.isVariableDeclaration(decl) || !decl.initializer) continue;
    const init = skipOuterAndAwait(decl.initializer);
    if (!ts.isCallExpression(init) || init.arguments.length === 0) continue;
    const moduleSymbol = resolvedSymbol(fx.checker, skipOuterAndAwait(init.arguments[0]));
    const cls = moduleSymbol?.declarations?.find((d): d is ts.ClassDeclaration => ts.isClassDeclaration(d) && !d.getSourceFile().isDeclarationFile);
    if (cls) return cls;
  }
  return undefined;
}

function registerController(checker: ts.TypeChecker, cls: ts.ClassDeclaration, controllerFile: string, style: CodeStyle): TextEdit[] {
  const sf = cls.getSourceFile();
  const decorator = (ts.getDecorators(cls) ?? []).find((d) => ts.isCallExpression(d.expression) && ts.isIdentifier(d.expression.expression) && d.expression.expression.text === 'Module');
  const arg = decorator && ts.isCallExpression(decorator.expression) ? decorator.expression.arguments[0] : undefined;
  const literal = arg ? objectLiteralOf(checker, arg) : undefined;
  if (!literal) return [];
  const edits: TextEdit[] = [];
  const controllers = literal.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'controllers');
  if (controllers && ts.isArrayLiteralExpression(controllers.initializer)) {
    const arr = controllers.initializer;
    const last = arr.elements[arr.elements.length - 1];
    if (last) edits.push(insertion(sf.fileName, sf.getLineAndCharacterOfPosition(last.getEnd()), ', HealthController'));
    else edits.push(insertion(sf.fileName, sf.getLineAndCharacterOfPosition(arr.getStart(sf) + 1), 'HealthController'));
  } else if (controllers) {
    return [];
  } else {
    const first = literal.properties[0];
    if (first) {
      const multiline = sf.getLineAndCharacterOfPosition(first.getStart(sf)).line !== sf.getLineAndCharacterOfPosition(literal.getStart(sf)).line;
      const sep = multiline ? style.eol + indentOf(sf, first) : ' ';
      edits.push(insertion(sf.fileName, sf.getLineAndCharacterOfPosition(first.getStart(sf)), render(['controllers: [HealthController],'], '', style) + sep));
    } else {
      edits.push({ file: sf.fileName, range: { start: sf.getLineAndCharacterOfPosition(literal.getStart(sf)), end: sf.getLineAndCharacterOfPosition(literal.getEnd()) }, newText: '{ controllers: [HealthController] }' });
    }
  }
  edits.push(...importEdits(sf, [{ name: 'HealthController', from: relativeSpecifier(sf, controllerFile), kind: 'named' }], style));
  return edits;
}

/** A project class that extends PrismaClient (the usual NestJS PrismaService), exported. */
function prismaServiceClass(fx: FixContext): ts.ClassDeclaration | undefined {
  for (const sf of fx.projectFiles) {
    if (!sf.text.includes('PrismaClient')) continue;
    for (const st of sf.statements) {
      if (!ts.isClassDeclaration(st) || !st.name || !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      for (const clause of st.heritageClauses ?? []) {
        if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
        for (const t of clause.types) {
          const p = fx.provenance.of(t.expression);
          if (p?.module === '@prisma/client' && p.path[p.path.length - 1] === 'PrismaClient') return st;
        }
      }
    }
  }
  return undefined;
}

function sortEdits(edits: TextEdit[]): TextEdit[] {
  return [...edits].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character));
}
