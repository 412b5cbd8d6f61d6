import * as path from 'node:path';
import ts from 'typescript';
import type { Fix, TextEdit } from '../../finding';
import { classifyExpression, FRAMEWORKS, type FrameworkDescriptor } from '../../http/frameworks';
import type { ServerStart } from '../../http/servers';
import type { ShutdownPath } from '../../http/shutdown';
import { skipOuterAndAwait } from '../../ts/expressions';
import { enclosingStatement, isInStatementList } from '../../ts/syntax';
import { toPosix } from '../../project/files';
import { detectStyle, freeName, importEdits, indentOf, insertAfter, insertion, render, type CodeStyle } from './codeStyle';
import { stableReference, type FixContext } from './context';
import { reachClients } from './dbAccess';

/**
 * Quick fixes for `missing-graceful-shutdown`, computed at analysis time.
 *
 * Which one is the framework descriptor's `fixes.shutdown`:
 * - `server-close` (Express, Koa, node:http, Hono): a SIGTERM/SIGINT handler after the listen
 *   statement that closes the server (capturing `app.listen()`'s result as
 *   `const server = …` when it was dropped), waits for in-flight requests,
 *   closes the project's database clients and exits, with a 10 s deadline.
 * - `app-close` (Fastify): the same around `await app.close()` (which drains and runs onClose hooks).
 * - `shutdown-hooks` (NestJS): `app.enableShutdownHooks()` before `listen`, so SIGTERM runs `app.close()`
 *   and the modules' shutdown hooks (TypeORM/Prisma modules close their pools there).
 */
export function gracefulShutdownFix(fx: FixContext, server: ServerStart): Fix | undefined {
  const sf = server.sourceFile;
  const st = enclosingStatement(server.call);
  if (!st || !isInStatementList(st)) return undefined;
  const style = detectStyle(sf);
  const indent = indentOf(sf, st);

  const shutdown = (FRAMEWORKS[server.framework] as FrameworkDescriptor).fixes.shutdown;
  if (shutdown === 'shutdown-hooks' && server.kind === 'listen') {
    const app = stableReference(sf, server.receiver);
    if (!app) return undefined;
    const line = sf.getLineAndCharacterOfPosition(st.getStart(sf)).line;
    return {
      title: `Enable NestJS shutdown hooks (${app}.enableShutdownHooks())`,
      isPreferred: true,
      edits: [insertion(sf.fileName, { line, character: 0 }, render([`${app}.enableShutdownHooks();`], indent, style) + style.eol)],
    };
  }

  const edits: TextEdit[] = [];
  let closeLines: string[];
  if (shutdown === 'app-close' && server.kind === 'listen' && isApp(fx, server)) {
    const app = stableReference(sf, server.receiver);
    if (!app) return undefined;
    closeLines = ['// Stop accepting connections, finish in-flight requests, run the onClose hooks.', `await ${app}.close();`];
  } else {
    const ref = serverReference(fx, server, st, sf, edits);
    if (!ref) return undefined;
    // `err?: Error` is written out: where `listen()` is declared to return `any` (@types/restify)
    // an unannotated parameter fails `noImplicitAny`; on a typed Node server it is the declared type.
    closeLines = [
      '// Stop accepting new connections; close() resolves once in-flight requests have finished.',
      `await new Promise<void>((resolve, reject) => ${ref}.close((err?: Error) => (err ? reject(err) : resolve())));`,
    ];
  }

  const dbLines = databaseCloseLines(fx, sf, st, edits, style);
  const fn = freeName(fx.checker, st, 'shutdown', ['gracefulShutdown']);
  const lines = [
    '// Graceful shutdown: on SIGTERM (deploy, scale-in) and SIGINT, stop taking new',
    '// requests, let in-flight ones finish, close the database, then exit.',
    `const ${fn} = async (signal: string) => {`,
    '  console.log(`${signal} received: shutting down gracefully`);',
    '  // Exit anyway if draining outlasts the grace period before SIGKILL.',
    '  setTimeout(() => process.exit(1), 10_000).unref();',
    '  try {',
    ...closeLines.map((l) => '    ' + l),
    ...dbLines.map((l) => '    ' + l),
    '    process.exit(0);',
    '  } catch (err) {',
    "    console.error('Graceful shutdown failed', err);",
    '    process.exit(1);',
    '  }',
    '};',
    `process.once('SIGTERM', ${fn});`,
    `process.once('SIGINT', ${fn});`,
  ];
  edits.push(insertAfter(sf, st, render(lines, indent, style), style));
  return {
    title: 'Add a SIGTERM/SIGINT handler that closes the server, drains requests and closes the database',
    isPreferred: true,
    edits: orderEdits(edits),
  };
}

/**
 * The fix for a SIGTERM handler that exits without closing the server: the `process.exit(…)`
 * statement becomes "close the server, then exit", with a deadline. Offered when the handler
 * is in the same file as the server and can see it.
 */
export function closeBeforeExitFix(fx: FixContext, server: ServerStart, handler: ShutdownPath): Fix | undefined {
  const sf = server.sourceFile;
  if (handler.node.getSourceFile() !== sf || !ts.isCallExpression(handler.node)) return undefined;
  const fnNode = handler.node.arguments[1] ? skipOuterAndAwait(handler.node.arguments[1]) : undefined;
  if (!fnNode || !(ts.isArrowFunction(fnNode) || ts.isFunctionExpression(fnNode)) || !ts.isBlock(fnNode.body)) return undefined;
  const exitStatement = fnNode.body.statements.find((s) => ts.isExpressionStatement(s) && isProcessExit(s.expression));
  if (!exitStatement) return undefined;
  const st = enclosingStatement(server.call);
  if (!st || !isInStatementList(st)) return undefined;
  const style = detectStyle(sf);
  const edits: TextEdit[] = [];
  let closeExpr: string;
  const shutdown = (FRAMEWORKS[server.framework] as FrameworkDescriptor).fixes.shutdown;
  if (shutdown === 'shutdown-hooks' || (shutdown === 'app-close' && isApp(fx, server))) {
    const app = stableReference(sf, server.receiver);
    if (!app) return undefined;
    closeExpr = `${app}.close().then(() => process.exit(0), () => process.exit(1))`;
  } else {
    const ref = serverReference(fx, server, st, sf, edits);
    if (!ref) return undefined;
    closeExpr = `${ref}.close((err?: Error) => process.exit(err ? 1 : 0))`;
  }
  // The handler must see the server's name: same scope as the listen statement, or nested in it.
  if (!isWithin(handler.node, st.parent)) return undefined;
  const indent = indentOf(sf, exitStatement);
  const block = render(
    ['// Stop accepting connections and exit once in-flight requests have finished;', '// exit anyway after 10 s.', 'setTimeout(() => process.exit(1), 10_000).unref();', `${closeExpr};`],
    indent,
    style,
  );
  const start = sf.getLineAndCharacterOfPosition(exitStatement.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(exitStatement.getEnd());
  edits.push({ file: sf.fileName, range: { start: { line: start.line, character: 0 }, end }, newText: block });
  return { title: 'Close the server before exiting (with a 10 s deadline)', isPreferred: true, edits: orderEdits(edits) };
}

function isProcessExit(e: ts.Expression): boolean {
  const u = skipOuterAndAwait(e);
  return ts.isCallExpression(u) && ts.isPropertyAccessExpression(u.expression) && u.expression.name.text === 'exit' && ts.isIdentifier(u.expression.expression) && u.expression.expression.text === 'process';
}

function isWithin(node: ts.Node, ancestor: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

/** The listen receiver is the framework's app (whose `close()` drains), not its Node server. */
function isApp(fx: FixContext, server: ServerStart): boolean {
  if (!server.receiver) return false;
  const v = classifyExpression(fx.provenance, fx.checker, server.receiver);
  return v?.framework === server.framework && v.role === 'app';
}

/**
 * A name for the started Node server at the statement: the receiver when it is the server
 * (`server.listen()`), the variable the listen result is assigned to, or a new
 * `const server = ` in front of an uncaptured `app.listen(...)` (its result is the server).
 */
function serverReference(fx: FixContext, server: ServerStart, st: ts.Statement, sf: ts.SourceFile, edits: TextEdit[]): string | undefined {
  if (server.kind === 'listen' && server.receiver) {
    const v = classifyExpression(fx.provenance, fx.checker, server.receiver);
    const ref = stableReference(sf, server.receiver);
    if (v?.role === 'server' && ref) return ref;
  }
  const captured = stableReference(sf, server.capturedAs);
  if (captured) return captured;
  if (ts.isExpressionStatement(st) && skipOuterAndAwait(st.expression) === server.call) {
    const name = freeName(fx.checker, st, 'server', ['httpServer']);
    edits.push(insertion(sf.fileName, sf.getLineAndCharacterOfPosition(st.getStart(sf)), `const ${name} = `));
    return name;
  }
  return undefined;
}

/** `await pool.end();` for each database client the file can reach; imports added as needed. */
function databaseCloseLines(fx: FixContext, sf: ts.SourceFile, st: ts.Statement, edits: TextEdit[], style: CodeStyle): string[] {
  const closable = fx.dbClients.filter((c) => c.close);
  if (closable.length === 0) return ['// Close database pools and other clients here (e.g. await pool.end()).'];
  const reach = reachClients(fx.checker, sf, st, closable);
  const lines = reach.usable.map(({ client, name }) => `await ${client.close!.split(client.name).join(name)};`);
  for (const c of reach.unreachable) lines.push(`// TODO: also close ${c.name} (${toPosix(path.relative(fx.root, c.sourceFile.fileName))}): await ${c.close};`);
  edits.push(...importEdits(sf, reach.imports, style));
  return lines;
}

/** Edits sorted by position (the order an editor shows them); applyFix sorts again. */
function orderEdits(edits: TextEdit[]): TextEdit[] {
  return [...edits].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
