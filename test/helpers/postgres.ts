import * as os from 'node:os';
import * as path from 'node:path';
import { startCluster, type ClusterOptions, type RunningCluster } from '../../src/core/explain/cluster';

/**
 * The real embedded PostgreSQL for tests: one cluster root for the whole test run (initdb once),
 * separate from the user's cache; each suite starts it and stops it by PID in `after`, which
 * mocha runs when a test fails too.
 */
export function testClusterRoot(): string {
  return path.join(os.tmpdir(), `shipshape-test-postgres-${process.getuid?.() ?? 0}`);
}

export function useTestCluster(options: ClusterOptions = {}): { readonly cluster: RunningCluster } {
  const holder: { cluster?: RunningCluster } = {};
  before(async function () {
    this.timeout(120_000);
    holder.cluster = await startCluster({ root: testClusterRoot(), ...options });
  });
  after(async function () {
    this.timeout(30_000);
    await holder.cluster?.stop();
  });
  return {
    get cluster(): RunningCluster {
      if (!holder.cluster) throw new Error('the test cluster is not started');
      return holder.cluster;
    },
  };
}
