// `npm start`: the whole demo, as a list of steps. Each step may register a cleanup; on success,
// failure or Ctrl-C the cleanups run in reverse order (processes are stopped by PID).
//
//   1. build the bundles
//   2. scan the bundled example API (static analysis)
//   3. start an embedded PostgreSQL (npm packages, no Docker) — src/core/explain/cluster.ts
//   4. create and seed the example's database (once; reused while the seed version matches)
//   5. start examples/orders-api on a free port (TypeScript, run with tsx)
//   6. load-test two endpoints with `shipshape loadtest` and print p95 per endpoint
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { startCluster, type RunningCluster } from '../src/core/explain/cluster';

const REPO = path.resolve(__dirname, '..');
const EXAMPLE = path.join(REPO, 'examples', 'orders-api');
const DATABASE = 'orders_api_demo';
/** Bump when the seed below changes: the database is rebuilt. */
const SEED_VERSION = 2;

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
    title: 'Start an embedded PostgreSQL',
    run: async (ctx, cleanup) => {
      ctx.cluster = await startCluster({ log: (line) => /initdb|starting PostgreSQL|shutting down/i.test(line) && console.log(`  postgres: ${line}`) });
      cleanup(() => ctx.cluster?.stop());
      console.log(`  PostgreSQL ${ctx.cluster.version} on 127.0.0.1:${ctx.cluster.port} (pid ${ctx.cluster.pid})`);
    },
  },
  {
    title: `Seed database ${DATABASE}`,
    run: async (ctx) => {
      const cluster = ctx.cluster!;
      ctx.databaseUrl = cluster.url(DATABASE);
      if ((await cluster.listDatabases()).includes(DATABASE)) {
        const db = await cluster.connect(DATABASE);
        try {
          const { rows } = await db.query<{ version: number }>('SELECT version FROM shipshape_seed').catch(() => ({ rows: [] as Array<{ version: number }> }));
          if (rows[0]?.version === SEED_VERSION) {
            console.log('  already seeded');
            return;
          }
        } finally {
          await db.end();
        }
        await cluster.dropDatabase(DATABASE);
      }
      await cluster.createDatabase(DATABASE);
      const db = await cluster.connect(DATABASE);
      try {
        for (const file of fs.readdirSync(path.join(EXAMPLE, 'migrations')).filter((f) => f.endsWith('.sql')).sort()) {
          await db.query(fs.readFileSync(path.join(EXAMPLE, 'migrations', file), 'utf8'));
        }
        // Enough rows that the example's problems show: every GET /orders reads order_items once
        // per order with no index on order_id (a sequential scan each time), and the email lookup
        // scans customers.
        const t = Date.now();
        await db.query(`INSERT INTO customers (name, email) SELECT 'Customer ' || g, 'customer' || g || '@example.com' FROM generate_series(1, 50000) g`);
        await db.query(`INSERT INTO orders (customer_id, status, created_at) SELECT 1 + g % 50000, CASE WHEN g % 10 = 0 THEN 'open' ELSE 'shipped' END, now() - g * interval '1 minute' FROM generate_series(1, 100000) g`);
        await db.query(`INSERT INTO order_items (order_id, sku, quantity, price_cents) SELECT 1 + g % 100000, 'SKU-' || g % 1000, 1 + g % 5, 100 + g % 10000 FROM generate_series(1, 100000) g`);
        await db.query('ANALYZE');
        await db.query(`CREATE TABLE shipshape_seed (version int); INSERT INTO shipshape_seed VALUES (${SEED_VERSION})`);
        console.log(`  50,000 customers, 100,000 orders, 100,000 order items in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      } finally {
        await db.end();
      }
    },
  },
  {
    title: 'Start examples/orders-api',
    run: async (ctx, cleanup) => {
      const port = await freePort();
      ctx.appUrl = `http://127.0.0.1:${port}`;
      const tsx = path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs');
      const app = spawn(process.execPath, [tsx, path.join(EXAMPLE, 'src', 'server.ts')], { cwd: EXAMPLE, env: { ...process.env, PORT: String(port), DATABASE_URL: ctx.databaseUrl }, stdio: ['ignore', 'inherit', 'inherit'] });
      ctx.app = app;
      cleanup(() => stopProcess(app));
      await waitForPort(port, app, 30_000);
      console.log(`  listening on ${ctx.appUrl} (pid ${app.pid})`);
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`orders-api exited with code ${child.exitCode} before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => (sock.destroy(), resolve(true)));
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`orders-api did not listen on port ${port} within ${timeoutMs / 1000} s`);
}

/** SIGTERM by PID, SIGKILL after 5 s. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

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
