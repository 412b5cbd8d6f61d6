import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/workspace';

/**
 * The end-to-end harness installs its Debian packages itself (a newcomer's `npm test` does not go
 * through .ci/run), or stops with one line naming the command. Real dpkg, a package name that
 * does not exist; apt-get itself is not run here.
 */
describe('e2e harness: Debian packages', () => {
  const NO_SUCH_PACKAGE = 'shipshape-test-no-such-package';
  const isDebian = !spawnSync('dpkg-query', ['--version']).error;

  it('lists the packages dpkg does not have (none when dpkg is not there)', async () => {
    const { missingPackages } = await import('../e2e/lib/debian.mjs');
    assert.deepEqual(missingPackages(['dpkg', NO_SUCH_PACKAGE]), isDebian ? [NO_SUCH_PACKAGE] : []);
  });

  it('without root, stops with one line naming the apt-get command', async () => {
    const { ensureDebianPackages, SetupStop } = await import('../e2e/lib/debian.mjs');
    const logged: string[] = [];
    const outcome = ensureDebianPackages(['dpkg', NO_SUCH_PACKAGE], { log: (m) => logged.push(m), why: 'a test', asRoot: false });
    if (!isDebian) {
      assert.deepEqual(await outcome, []);
      return;
    }
    await assert.rejects(outcome, (err: Error) => {
      assert.ok(err instanceof SetupStop);
      assert.equal(
        err.message,
        `the end-to-end tests need the Debian packages ${NO_SUCH_PACKAGE} (a test); run: sudo apt-get install -y --no-install-recommends ${NO_SUCH_PACKAGE}`,
      );
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
    assert.deepEqual(logged, []);
  });

  it('names every package .ci/run installs for the harness', async () => {
    const { BROWSER_PACKAGES, BUILD_PACKAGES } = await import('../e2e/lib/debian.mjs');
    const ci = fs.readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8');
    for (const p of [...BROWSER_PACKAGES, ...BUILD_PACKAGES]) assert.match(ci, new RegExp(`\\b${p}\\b`), `.ci/run does not install ${p}`);
  });
});
