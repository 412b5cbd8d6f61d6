import * as path from 'node:path';
import ts from 'typescript';
import { findServerStarts, type ServerStart } from '../http/servers';
import { closesServer, findShutdownPaths, handlesSignal, type ShutdownPath } from '../http/shutdown';
import { Reach } from '../http/reach';
import { findHealthRoutes } from '../http/routes/scan';
import { acceptedPaths } from '../http/healthPaths';
import { toPosix } from '../project/files';
import { ServerProcesses } from '../project/processes';
import { closeBeforeExitFix, gracefulShutdownFix } from './fixes/gracefulShutdown';
import { FRAMEWORKS, type FrameworkDescriptor } from '../http/frameworks';
import { frameworkLabel, fixContext, stableReference, type FixContext } from './fixes/context';
import { defineRule, type RuleContext } from './types';

type MessageId = 'noShutdown' | 'exitWithoutClose' | 'handlerWithoutClose';

interface Options {
  /** Signals that must lead to the server being closed. */
  signals: string[];
}

/**
 * An HTTP server started with no SIGTERM path that closes it. Servers are
 * reported in the files being analysed; handlers count when they run in the same
 * server process (project/processes.ts; see http/shutdown.ts for what is recognised).
 */
export const missingGracefulShutdown = defineRule<MessageId, Options>({
  meta: {
    id: 'missing-graceful-shutdown',
    description: 'An HTTP server started with no SIGTERM path that closes it.',
    defaultSeverity: 'warning',
    messages: {
      noShutdown:
        '{{framework}} server started without a SIGTERM handler that closes it: on deploy or scale-in the orchestrator sends SIGTERM, the process dies and in-flight requests are dropped. Handle SIGTERM: stop accepting connections with {{close}}, let in-flight requests finish, close the database pool, then exit (with a deadline).',
      exitWithoutClose:
        'The {{signal}} handler ({{handler}}) calls process.exit() without closing this {{framework}} server: every deploy or scale-in cuts in-flight requests off mid-response. Close the server first with {{close}}, wait for in-flight requests to drain (with a deadline), close the database pool, then exit.',
      handlerWithoutClose:
        'The {{signal}} handler ({{handler}}) never closes this {{framework}} server: the process keeps taking requests until the orchestrator kills it with SIGKILL, dropping the ones in flight. In the handler, stop accepting connections with {{close}}, drain, close the database pool, then exit.',
    },
    optionsSchema: {
      type: 'object',
      properties: {
        signals: {
          description: 'Signals whose handling must close the server. Default: ["SIGTERM"] (what Kubernetes, ECS, Docker and systemd send).',
          type: 'array',
          items: { type: 'string', pattern: '^SIG[A-Z0-9]+$' },
          minItems: 1,
        },
      },
      additionalProperties: false,
    },
  },
  defaultOptions: { signals: ['SIGTERM'] },
  run(ctx) {
    const scan = { checker: ctx.checker, provenance: ctx.provenance, root: ctx.project.root, projectFiles: ctx.projectFiles };
    // Most edits touch files that start no server: look there first, the whole project only when needed.
    if (findServerStarts(scan, ctx.targetSourceFiles).length === 0) return;
    const servers = findServerStarts(scan, ctx.projectFiles);
    const reported = servers.filter((s) => ctx.targetFiles.has(path.resolve(s.sourceFile.fileName)));
    const allPaths = findShutdownPaths(scan, ctx.projectFiles, servers);
    const signals = Array.isArray(ctx.options.signals) && ctx.options.signals.length > 0 ? ctx.options.signals : ['SIGTERM'];
    // Per server process: another app's handler neither closes this server nor belongs in its message.
    const processes = new ServerProcesses(ctx.projectFiles, ctx.checker, [...new Set(servers.map((s) => s.sourceFile))]);
    let fx: FixContext | undefined;
    for (const server of reported) {
      const paths = allPaths.filter((p) => processes.sameProcess(server.sourceFile, p.node.getSourceFile()));
      let drains: ((p: ShutdownPath) => boolean) | undefined;
      const drained = (p: ShutdownPath) => (drains ??= readinessDrain(scan, ctx.project.config.healthPaths, (f) => processes.sameProcess(server.sourceFile, f)))(p);
      const unhandled = signals.filter((sig) => !paths.some((p) => handlesSignal(p, sig) && (closesServer(p, server) || drained(p))));
      if (unhandled.length === 0) continue;
      fx ??= fixContext(ctx);
      const signal = unhandled[0];
      const handler = paths.find((p) => handlesSignal(p, signal) && p.exits) ?? paths.find((p) => handlesSignal(p, signal));
      const data = { framework: frameworkLabel(server.framework), close: closeHint(server), signal };
      const at = server.call.expression;
      if (!handler) {
        const fix = gracefulShutdownFix(fx, server);
        ctx.report({ at, messageId: 'noShutdown', data, fixes: fix ? [fix] : [] });
        continue;
      }
      const where = `${handler.via} at ${relative(ctx, handler)}`;
      const fixes = [handler.exits ? closeBeforeExitFix(fx, server, handler) : undefined].filter((f) => f !== undefined);
      ctx.report({
        at,
        messageId: handler.exits ? 'exitWithoutClose' : 'handlerWithoutClose',
        data: { ...data, handler: where },
        related: [{ message: `${signal} handler (${handler.via}) that does not close the server`, file: path.resolve(handler.node.getSourceFile().fileName), range: ctx.rangeOf(handler.node) }],
        fixes,
      });
    }
  },
});

/**
 * Whether a signal path takes the server out of rotation before it exits: it sets a drain flag
 * (a module-level variable: `shuttingDown = true`, directly or through a setter) that a
 * readiness route of the same process reads (`if (isShuttingDown()) res.status(503)`). The load
 * balancer stops sending requests while the handler drains the process's work — the server
 * then has nothing in flight to cut (a worker whose server answers probes). Asked only for
 * servers no path closes.
 */
function readinessDrain(
  scan: Parameters<typeof findHealthRoutes>[0] & { projectFiles: readonly ts.SourceFile[] },
  healthPaths: readonly string[],
  sameProcess: (file: ts.SourceFile) => boolean,
): (p: ShutdownPath) => boolean {
  const routes = findHealthRoutes(scan, scan.projectFiles, acceptedPaths(healthPaths)).filter((r) => sameProcess(r.node.getSourceFile()));
  if (routes.length === 0) return () => false;
  const reach = new Reach({ ...scan, files: scan.projectFiles }, new Set());
  for (const r of routes) {
    if (!ts.isCallExpression(r.node)) continue;
    for (const a of r.node.arguments) if (!ts.isStringLiteralLike(a)) reach.walkValue(a, new Map(), 0);
  }
  return (p) => p.exits && !!p.writes && [...p.writes].some((w) => reach.reads.has(w));
}

function closeHint(server: ServerStart): string {
  const app = stableReference(server.sourceFile, server.receiver) ?? 'app';
  const shutdown = (FRAMEWORKS[server.framework] as FrameworkDescriptor).fixes.shutdown;
  if (shutdown === 'shutdown-hooks') return `${app}.enableShutdownHooks() (SIGTERM then runs ${app}.close())`;
  if (shutdown === 'app-close' && server.kind === 'listen') return `await ${app}.close()`;
  return 'server.close()';
}

function relative(ctx: RuleContext<MessageId, Options>, p: ShutdownPath): string {
  const sf = p.node.getSourceFile();
  const line = sf.getLineAndCharacterOfPosition(p.node.getStart(sf)).line + 1;
  return `${toPosix(path.relative(ctx.project.root, sf.fileName))}:${line}`;
}
