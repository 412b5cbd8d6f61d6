// `npm start`: the whole demo, as a list of steps. Each step may register a cleanup; on success,
// failure or Ctrl-C the cleanups run in reverse order (processes are stopped by PID).
//
//   1. build the bundles
//   2. scan the bundled example API (static analysis)
//   3. score its production readiness (`shipshape checklist`)
//   4. prove its query findings at scale (`shipshape explain`: EXPLAIN ANALYZE before/after the
//      suggested index on synthetic rows; its cluster is stopped before step 5 starts one)
//   5. start an embedded PostgreSQL (npm packages, no Docker) — src/core/explain/cluster.ts
//   6. create and seed the example's database (once; reused while the seed version matches)
//   7. start examples/orders-api on a free port (TypeScript, run with tsx)
//   8. load-test two endpoints with `shipshape loadtest` and print p95 per endpoint
// Steps 5–7 are scripts/exampleStack.ts, which the end-to-end tests use too.
import { spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { RunningCluster } from '../src/core/explain/cluster';
import { DATABASE, EXAMPLE, seedExampleDatabase, startExampleApp, startExamplePostgres, stopProcess } from './exampleStack';

const REPO = path.resolve(__dirname, '..');

export interface Context {
  cluster?: RunningCluster;
  databaseUrl?: string;
  appUrl?: string;
  app?: ChildProcess;
}

export interface Step {
  title: string;
  run(ctx: Context, cleanup: (fn: () => Promise<void> | void) => void): Promise<void>;
}

function node(args: string[], opts: { cwd?: string } = {}): void {
  const r = spawnSync(process.execPath, args, { cwd: opts.cwd ?? REPO, stdio: 'inherit' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

/** The demo's steps, in order; the end-to-end tests of the editor can run a prefix of them (up to the app). */
export const steps: Step[] = [
  {
    title: 'Build',
    run: async () => node(['esbuild.mjs']),
  },
  {
    title: 'Scan examples/orders-api',
    run: async () => node(['dist/cli.js', 'scan', 'examples/orders-api', '--fail-on', 'never']),
  },
  {
    title: 'Readiness checklist of examples/orders-api',
    run: async () => node(['dist/cli.js', 'checklist', 'examples/orders-api']),
  },
  {
    title: 'Explain the queries of examples/orders-api at production scale',
    run: async () => node(['dist/cli.js', 'explain', 'examples/orders-api']),
  },
  {
    title: 'Start an embedded PostgreSQL',
    run: async (ctx, cleanup) => {
      ctx.cluster = await startExamplePostgres({ postgresLog: (line) => /initdb|starting PostgreSQL|shutting down/i.test(line) && console.log(`  postgres: ${line}`) });
      cleanup(() => ctx.cluster?.stop());
      console.log(`  PostgreSQL ${ctx.cluster.version} on 127.0.0.1:${ctx.cluster.port} (pid ${ctx.cluster.pid})`);
    },
  },
  {
    title: `Seed database ${DATABASE}`,
    run: async (ctx) => {
      ctx.databaseUrl = await seedExampleDatabase(ctx.cluster!, (line) => console.log(`  ${line}`));
    },
  },
  {
    title: 'Start examples/orders-api',
    run: async (ctx, cleanup) => {
      const { app, appUrl } = await startExampleApp(ctx.databaseUrl!);
      ctx.app = app;
      ctx.appUrl = appUrl;
      cleanup(() => stopProcess(app));
      console.log(`  listening on ${appUrl} (pid ${app.pid})`);
    },
  },
  {
    title: 'Load test GET /orders (N+1) and GET /customers/lookup (unindexed filter)',
    run: async (ctx) => {
      // The CLI prints the table with p95 per endpoint; a failed threshold is expected here
      // (that is the point of the demo), so exit code 1 is not a failure of `npm start`.
      node(['dist/cli.js', 'loadtest', 'demo', '--config', path.join(EXAMPLE, 'shipshape.config.json'), '--base-url', ctx.appUrl!, '--no-save']);
    },
  },
];

/** Runs the steps in order; returns 0 on success. Cleanups run in reverse order on success, failure, SIGINT or SIGTERM. */
export async function runSteps(list: Step[] = steps): Promise<number> {
  const cleanups: Array<() => Promise<void> | void> = [];
  let cleaning: Promise<void> | undefined;
  const cleanAll = (): Promise<void> =>
    (cleaning ??= (async () => {
      for (const fn of cleanups.reverse()) {
        try {
          await fn();
        } catch (err) {
          console.error(`cleanup failed: ${(err as Error).message}`);
        }
      }
    })());
  const onSignal = (sig: NodeJS.Signals): void => {
    console.error(`\n${sig}: stopping…`);
    void cleanAll().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const ctx: Context = {};
  try {
    for (const [i, step] of list.entries()) {
      console.log(`\n[${i + 1}/${list.length}] ${step.title}`);
      await step.run(ctx, (fn) => cleanups.push(fn));
    }
    return 0;
  } catch (err) {
    console.error(`\nnpm start failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await cleanAll();
  }
}

if (require.main === module) void runSteps().then((code) => process.exit(code));
