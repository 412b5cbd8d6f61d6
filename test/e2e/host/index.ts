// Entry of the suite that runs inside the real VS Code extension host (the
// `extensionTestsPath` of @vscode/test-electron's model; here code-server runs it, see
// test/e2e/lib/host.mjs). The host exits with code 0 whether `run` resolves or rejects, so the
// results go to the file named by SHIPSHAPE_E2E_HOST_RESULTS (mocha's json reporter), which the
// harness reads.
import * as fs from 'node:fs';
import * as path from 'node:path';

// mocha 12's package entry is an ES module; the extension host loads CommonJS, so this takes
// mocha's CommonJS build (test files load through `require`, where `vscode` resolves).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha: typeof import('mocha') = require('mocha/lib/mocha.cjs');

export async function run(): Promise<void> {
  const output = process.env.SHIPSHAPE_E2E_HOST_RESULTS;
  if (!output) throw new Error('SHIPSHAPE_E2E_HOST_RESULTS is not set; run this suite through test/e2e/run.mjs');
  try {
    const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'json', reporterOptions: { output }, forbidOnly: true, forbidPending: true });
    for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
      mocha.addFile(path.join(__dirname, file));
    }
    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
  } catch (err) {
    // A suite that cannot load writes no mocha report; leave the reason for the harness.
    if (!fs.existsSync(output)) {
      fs.writeFileSync(output, JSON.stringify({ error: err instanceof Error ? err.stack : String(err) }));
    }
    throw err;
  }
}
