import { acceptedPaths } from '../http/healthPaths';
import { findHealthRoutes } from '../http/routes';
import { findServerStarts, type ServerStart } from '../http/servers';
import { ServerProcesses } from '../project/processes';
import { frameworkLabel, fixContext, type FixContext } from './fixes/context';
import { healthEndpointFix } from './fixes/healthEndpoints';
import { defineRule } from './types';

type MessageId = 'noHealthRoute';

/**
 * A started server with no liveness/readiness route in its own process (the files
 * its entry imports; project/processes.ts). Routes are looked for in every project
 * file (test files excluded), with the paths from `healthPaths` in
 * shipshape.config.json; see http/routes.ts.
 */
export const missingHealthEndpoint = defineRule<MessageId, Record<string, never>>({
  meta: {
    id: 'missing-health-endpoint',
    description: 'A started server with no liveness/readiness route anywhere in the project.',
    defaultSeverity: 'warning',
    messages: {
      noHealthRoute:
        '{{framework}} server started, but the project has no health endpoint (looked for {{paths}}): without liveness and readiness probes the load balancer keeps routing traffic to an instance that is hung or cannot reach its database, and the orchestrator never restarts it. Add a liveness route ({{live}}) and a readiness route ({{ready}}) that checks the database and answers 503 when it fails.',
    },
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
  },
  defaultOptions: {},
  run(ctx) {
    const scan = { checker: ctx.checker, provenance: ctx.provenance, root: ctx.project.root, projectFiles: ctx.projectFiles };
    const servers = findServerStarts(scan, ctx.targetSourceFiles);
    if (servers.length === 0) return;
    const healthPaths = ctx.project.config.healthPaths;
    const routes = findHealthRoutes(scan, ctx.projectFiles, acceptedPaths(healthPaths));
    const live = healthPaths.find((p) => /liv/.test(p)) ?? healthPaths[0];
    const ready = healthPaths.find((p) => /read/.test(p)) ?? healthPaths.find((p) => p !== live) ?? live;
    // Per server process: another app's /health does not answer for this server.
    let processes: ServerProcesses | undefined;
    const served = (server: ServerStart) => {
      if (routes.length === 0) return false;
      processes ??= new ServerProcesses(ctx.projectFiles, ctx.checker, [...new Set(findServerStarts(scan, ctx.projectFiles).map((s) => s.sourceFile))]);
      return routes.some((r) => processes!.sameProcess(server.sourceFile, r.node.getSourceFile()));
    };
    let fx: FixContext | undefined;
    for (const server of servers) {
      if (served(server)) continue;
      fx ??= fixContext(ctx);
      const fix = healthEndpointFix(fx, server);
      ctx.report({
        at: server.call.expression,
        messageId: 'noHealthRoute',
        data: { framework: frameworkLabel(server.framework), paths: healthPaths.join(', '), live, ready },
        fixes: fix ? [fix] : [],
      });
    }
  },
});
