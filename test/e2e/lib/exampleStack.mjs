// The example API on its real database for the load-test scenarios: scripts/exampleStack.ts (the
// same code `npm start` runs: embedded PostgreSQL, the seeded orders_api_demo database,
// examples/orders-api on a free 127.0.0.1 port), loaded with tsx. Started once, before the first
// scenario that declares `needs: ['orders-api-stack']`, and stopped by PID when the run ends
// (whether scenarios passed or failed).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

export const STACK = 'orders-api-stack';

/** PIDs to kill synchronously if the harness exits before `stop()` (signals, crashes). */
const pids = new Set();

/**
 * Starts the stack. Its cluster lives in its own folder (not the one `npm start` and
 * `shipshape explain` share), so a run never waits for another process's cluster lock; the
 * seeded database is kept there and reused by the next run.
 */
export async function startOrdersApiStack(root, { log }) {
  const file = path.join(root, 'scripts', 'exampleStack.ts');
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: the load-test scenarios need it to start the example API`);
  const mod = await tsImport(pathToFileURL(file).href, import.meta.url);
  const api = mod.startExampleStack ? mod : mod.default;
  const uid = process.getuid?.() ?? 0;
  const stack = await api.startExampleStack({
    root: path.join(os.tmpdir(), `shipshape-e2e-postgres-${uid}`),
    log: (line) => log(`orders-api stack: ${line}`),
    appOutput: 'ignore',
  });
  const appPid = stack.app.pid;
  const postgresPid = stack.cluster.pid;
  pids.add(appPid);
  return {
    appUrl: stack.appUrl,
    databaseUrl: stack.databaseUrl,
    appPid,
    postgresPid,
    /** Runs one SQL statement on the example's database (a fresh connection, closed after). */
    async query(sql, params) {
      const db = await stack.cluster.connect('orders_api_demo');
      try {
        return (await db.query(sql, params)).rows;
      } finally {
        await db.end();
      }
    },
    async stop() {
      await stack.stop();
      pids.delete(appPid);
      for (const [what, pid] of [['orders-api', appPid], ['PostgreSQL', postgresPid]]) {
        if (alive(pid)) {
          log(`${what} (pid ${pid}) still running after stop: killing it`);
          try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
        }
      }
    },
  };
}

/** Last resort on exit: the app by PID (the cluster stops itself when its owner exits). */
export function killStackSync() {
  for (const pid of pids) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
  pids.clear();
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
