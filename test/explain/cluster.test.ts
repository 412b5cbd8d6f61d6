import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PostgresUnavailableError, postgresBinaries, processAlive, startCluster } from '../../src/core/explain/cluster';
import { testClusterRoot, useTestCluster } from '../helpers/postgres';

describe('embedded PostgreSQL cluster', function () {
  this.timeout(120_000);

  describe('a started cluster', () => {
    const db = useTestCluster();

    it('answers on 127.0.0.1 with the PostgreSQL version of the npm binaries', async () => {
      const { cluster } = db;
      assert.equal(cluster.host, '127.0.0.1');
      assert.match(cluster.version, /^\d+\.\d+$/);
      assert.ok(processAlive(cluster.pid));
      const client = await cluster.connect();
      try {
        const res = await client.query<{ v: string; addr: string }>("SELECT current_setting('server_version') AS v, inet_server_addr()::text AS addr");
        assert.equal(res.rows[0].v, cluster.version);
        assert.equal(res.rows[0].addr, '127.0.0.1/32');
      } finally {
        await client.end();
      }
    });

    it('creates and drops databases', async () => {
      const { cluster } = db;
      await cluster.dropDatabase('shipshape_cluster_test');
      await cluster.createDatabase('shipshape_cluster_test');
      assert.ok((await cluster.listDatabases()).includes('shipshape_cluster_test'));
      await cluster.dropDatabase('shipshape_cluster_test');
      assert.ok(!(await cluster.listDatabases()).includes('shipshape_cluster_test'));
    });

    it('a second process waits for the owner and says who owns it', async () => {
      await assert.rejects(startCluster({ root: testClusterRoot(), lockTimeoutMs: 300 }), (err: Error) => {
        assert.ok(err instanceof PostgresUnavailableError);
        assert.match(err.message, /already started by this process|in use by process \d+/);
        return true;
      });
    });
  });

  it('stop() ends the server by PID and the data is kept for the next start', async () => {
    const first = await startCluster({ root: testClusterRoot() });
    const pid = first.pid;
    try {
      const client = await first.connect();
      await client.query('DROP TABLE IF EXISTS kept; CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)');
      await client.end();
    } finally {
      await first.stop();
    }
    assert.equal(processAlive(pid), false);
    await first.stop(); // idempotent
    const second = await startCluster({ root: testClusterRoot() });
    try {
      assert.notEqual(second.pid, pid);
      const client = await second.connect();
      assert.deepEqual((await client.query('SELECT id FROM kept')).rows, [{ id: 42 }]);
      await client.query('DROP TABLE kept');
      await client.end();
    } finally {
      await second.stop();
    }
  });

  it('a process killed with SIGKILL leaves no PostgreSQL running (the watchdog stops it)', async () => {
    const script = `
      const { startCluster } = require(${JSON.stringify(path.resolve(__dirname, '../../src/core/explain/cluster.ts'))});
      startCluster({ root: ${JSON.stringify(testClusterRoot())} }).then((c) => { console.log('PID ' + c.pid); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let pgPid = 0;
    try {
      pgPid = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /PID (\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`child exited (${code}) before starting: ${out}`)));
      });
      assert.ok(processAlive(pgPid));
      child.kill('SIGKILL');
      const until = Date.now() + 5000;
      while (processAlive(pgPid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      assert.equal(processAlive(pgPid), false, 'PostgreSQL outlived its owner');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      if (pgPid && processAlive(pgPid)) process.kill(pgPid, 'SIGKILL');
    }
    // The stale lock of the killed owner is taken over.
    const again = await startCluster({ root: testClusterRoot(), lockTimeoutMs: 5000 });
    await again.stop();
  });

  it('missing native binaries give a one-line message saying what to do', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-no-pg-'));
    const saved = process.env.SHIPSHAPE_POSTGRES_DIR;
    process.env.SHIPSHAPE_POSTGRES_DIR = empty;
    try {
      assert.throws(() => postgresBinaries(), (err: Error) => {
        assert.ok(err instanceof PostgresUnavailableError);
        assert.ok(err.message.startsWith(`embedded PostgreSQL binaries not found in ${empty}. Run \`npm install\``), err.message);
        assert.ok(!err.message.includes('\n'));
        return true;
      });
    } finally {
      if (saved === undefined) delete process.env.SHIPSHAPE_POSTGRES_DIR;
      else process.env.SHIPSHAPE_POSTGRES_DIR = saved;
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
