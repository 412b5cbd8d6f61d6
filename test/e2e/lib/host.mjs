// Runs test/e2e/host (mocha) inside the real VS Code extension host. code-server's web
// workbench takes @vscode/test-web's development options through its `payload` query parameter:
// the extension loads unpackaged from extensionDevelopmentPath, and the host calls
// extensionTestsPath's `run()`, then exits — with code 0 even when `run` rejects, so the suite's
// result is the mocha json report it writes.
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { makeServerDirs, startCodeServer, stopCodeServer, tail } from './codeserver.mjs';
import { Workbench } from './workbench.mjs';

/** Compiles test/e2e/host/*.ts to out/e2e-host/*.js (CommonJS, unbundled: `vscode` and mocha resolve at run time). */
export async function buildHostSuite(root) {
  const srcDir = path.join(root, 'test', 'e2e', 'host');
  const outDir = path.join(root, 'out', 'e2e-host');
  const sources = fs.readdirSync(srcDir).filter((f) => f.endsWith('.ts'));
  const entryPoints = sources.map((f) => path.join(srcDir, f));
  // Drop what a deleted test left behind; written files are replaced in place (not by emptying
  // the folder first), so a run that starts meanwhile still finds its suite.
  const expected = new Set(sources.map((f) => f.replace(/\.ts$/, '.js')));
  for (const old of fs.existsSync(outDir) ? fs.readdirSync(outDir) : []) {
    if (!expected.has(old)) fs.rmSync(path.join(outDir, old), { recursive: true, force: true });
  }
  await esbuild.build({
    entryPoints,
    outdir: outDir,
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return path.join(outDir, 'index.js');
}

/**
 * Opens `folder` in a dedicated code-server whose extension host runs the suite against the
 * extension at `extensionPath`. trusted: false leaves the folder in restricted mode.
 * Resolves to mocha's json report ({ stats, tests, passes, failures, pending }).
 */
export async function runHostSuite({ entry, extensionPath, testsEntry, folder, trusted, browser, tmpDir, timeoutMs = 180_000, screenshot }) {
  const dirs = makeServerDirs(tmpDir);
  const results = path.join(dirs.root, 'host-results.json');
  const server = await startCodeServer(entry, dirs, {
    // The development window never asks about trust: it is trusted only when trust is off.
    extraArgs: trusted ? ['--disable-workspace-trust'] : [],
    env: { SHIPSHAPE_E2E_HOST_RESULTS: results, SHIPSHAPE_E2E_EXPECT_TRUSTED: String(trusted) },
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1100 } });
  let workbench;
  try {
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    workbench = await Workbench.open(context, server, folder, {
      devOptions: [['extensionDevelopmentPath', remote(extensionPath)], ['extensionTestsPath', remote(testsEntry)]],
    });
    const deadline = Date.now() + timeoutMs;
    const hostExited = () => /Extension Host Process exited/.test(tail(server.logFile, 200));
    while (!fs.existsSync(results)) {
      if (hostExited()) {
        // The report may land a moment after the exit is logged.
        await new Promise((r) => setTimeout(r, 1000));
        if (fs.existsSync(results)) break;
        throw new Error(`the extension host exited without writing ${results}; code-server log:\n${tail(server.logFile)}`);
      }
      if (Date.now() > deadline) throw new Error(`the extension-host suite did not finish within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 500));
    }
    // mocha writes the report in one call; a partial read is retried once.
    let report;
    try { report = JSON.parse(fs.readFileSync(results, 'utf8')); } catch {
      await new Promise((r) => setTimeout(r, 500));
      report = JSON.parse(fs.readFileSync(results, 'utf8'));
    }
    if (report.error) throw new Error(`the extension-host suite could not run:\n${report.error}`);
    return report;
  } finally {
    if (screenshot && workbench) await workbench.screenshot(screenshot).catch(() => {});
    await context.close().catch(() => {});
    await stopCodeServer(server);
  }
}
