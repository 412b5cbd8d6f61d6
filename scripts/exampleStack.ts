// The example API on its real database, as `npm start` runs it and the end-to-end tests load-test
// it: an embedded PostgreSQL (npm packages, no Docker — src/core/explain/cluster.ts), the
// example's database created from its migrations and seeded (once; reused while the seed version
// matches), and examples/orders-api started with tsx on a free 127.0.0.1 port.
//
// Everything started here is stopped by PID: `stop()` stops the app (SIGTERM, SIGKILL after 5 s)
// and then the cluster (SIGINT to the postmaster); the cluster also stops when this process dies.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCluster, type RunningCluster } from '../src/core/explain/cluster';

const REPO = path.resolve(__dirname, '..');
export const EXAMPLE = path.join(REPO, 'examples', 'orders-api');
export const DATABASE = 'orders_api_demo';
/** Bump when the seed below changes: the database is rebuilt. */
const SEED_VERSION = 2;

export interface StackOptions {
  /** The cluster's folder (default: the shared one `npm start` and `shipshape explain` use). */
  root?: string;
  /** Progress lines (what is started, where, seeding time). */
  log?: (line: string) => void;
  /** PostgreSQL's own log lines. */
  postgresLog?: (line: string) => void;
  /** Where the app's stdout/stderr go: inherited (a terminal) or ignored (tests keep their output). */
  appOutput?: 'inherit' | 'ignore';
}

export interface ExampleStack {
  cluster: RunningCluster;
  databaseUrl: string;
  /** `http://127.0.0.1:<port>` */
  appUrl: string;
  app: ChildProcess;
  /** Stops the app, then the cluster, by PID; safe to call twice. */
  stop(): Promise<void>;
}

export async function startExamplePostgres(options: StackOptions = {}): Promise<RunningCluster> {
  return startCluster({ root: options.root, log: options.postgresLog });
}

/** Creates and seeds the example's database unless a seed of this version is there; returns its URL. */
export async function seedExampleDatabase(cluster: RunningCluster, log: (line: string) => void = () => undefined): Promise<string> {
  if ((await cluster.listDatabases()).includes(DATABASE)) {
    const db = await cluster.connect(DATABASE);
    try {
      const { rows } = await db.query<{ version: number }>('SELECT version FROM shipshape_seed').catch(() => ({ rows: [] as Array<{ version: number }> }));
      if (rows[0]?.version === SEED_VERSION) {
        log('already seeded');
        return cluster.url(DATABASE);
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
    log(`50,000 customers, 100,000 orders, 100,000 order items in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  } finally {
    await db.end();
  }
  return cluster.url(DATABASE);
}

/** Starts examples/orders-api (tsx) on a free 127.0.0.1 port against `databaseUrl`; resolves once it listens. */
export async function startExampleApp(databaseUrl: string, options: Pick<StackOptions, 'appOutput'> = {}): Promise<{ app: ChildProcess; appUrl: string }> {
  const port = await freePort();
  const out = options.appOutput ?? 'inherit';
  // tsx as a loader in this very process (not its CLI, which runs the app in a child): the PID
  // we stop is the app's own.
  const tsx = pathToFileURL(path.join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const app = spawn(process.execPath, ['--import', tsx, path.join(EXAMPLE, 'src', 'server.ts')], {
    cwd: EXAMPLE,
    // HOST is not read by the example (express listens on all interfaces); the tests only ever use 127.0.0.1.
    env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl },
    stdio: ['ignore', out, out],
  });
  try {
    await waitForPort(port, app, 30_000);
  } catch (err) {
    await stopProcess(app);
    throw err;
  }
  return { app, appUrl: `http://127.0.0.1:${port}` };
}

/** The whole stack; on a failure part-way, what was started is stopped before the error is thrown. */
export async function startExampleStack(options: StackOptions = {}): Promise<ExampleStack> {
  const log = options.log ?? (() => undefined);
  const cluster = await startExamplePostgres(options);
  try {
    log(`PostgreSQL ${cluster.version} on 127.0.0.1:${cluster.port} (pid ${cluster.pid})`);
    const databaseUrl = await seedExampleDatabase(cluster, log);
    const { app, appUrl } = await startExampleApp(databaseUrl, options);
    log(`orders-api listening on ${appUrl} (pid ${app.pid})`);
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        try {
          await stopProcess(app);
        } finally {
          await cluster.stop();
        }
      })());
    return { cluster, databaseUrl, appUrl, app, stop };
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

export function freePort(): Promise<number> {
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
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
