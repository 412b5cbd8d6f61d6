#!/usr/bin/env node
// End-to-end tests of Shipshape in real VS Code: code-server (VS Code 1.100.3) driven through
// Debian's chromium by playwright-core. `npm run test:e2e`; `node test/e2e/run.mjs <words>` runs
// only the scenarios whose file name or title contains one of the words.
//
// Each scenario in scenarios/*.mjs exports { name, timeoutMs?, needs?, async run(ctx) }; see
// ScenarioContext. `needs: ['orders-api-stack']` starts the example API on its seeded embedded
// PostgreSQL (scripts/exampleStack.ts) before the first such scenario; it is `ctx.stack`, and is
// stopped by PID when the run ends, whether the scenarios passed or not.
// Environment: SHIPSHAPE_E2E_CACHE (where code-server is installed, default ~/.cache/shipshape-e2e),
// SHIPSHAPE_E2E_CHROMIUM (browser binary, default /usr/bin/chromium),
// SHIPSHAPE_E2E_ROOT (the extension project under test, default this repository),
// SHIPSHAPE_E2E_KEEP=1 (keep the temp workspaces and code-server logs, for debugging).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureChromium, launchBrowser } from './lib/browser.mjs';
import {
  ensureCodeServer, installExtension, killRunningServersSync, makeServerDirs, startCodeServer, stopCodeServer,
} from './lib/codeserver.mjs';
import { buildHostSuite, runHostSuite } from './lib/host.mjs';
import { SetupStop } from './lib/debian.mjs';
import { killStackSync, STACK, startOrdersApiStack } from './lib/exampleStack.mjs';
import { ensureVsix } from './lib/vsix.mjs';
import { Workbench } from './lib/workbench.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const root = process.env.SHIPSHAPE_E2E_ROOT ? path.resolve(process.env.SHIPSHAPE_E2E_ROOT) : repo;
const artifacts = path.join(repo, '.artifacts', 'e2e');
const DEFAULT_TIMEOUT_MS = 120_000;

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const log = (msg) => console.log(`  · ${msg}`);

/** What a scenario gets. Everything it opens is closed by the harness. */
class ScenarioContext {
  constructor({ id, browserContext, server, code, browser, tmpDir, hostEntry, stack }) {
    // stack: { appUrl, databaseUrl, appPid, postgresPid, query(sql, params) } for scenarios that need it.
    Object.assign(this, { id, root, browserContext, server, code, browser, tmpDir, hostEntry, stack });
    this.workbenches = [];
    this.screenshots = [];
  }

  log(msg) { console.log(`      ${msg}`); }

  /**
   * A fresh copy of examples/<name> in a temp dir, so the repository is never modified. In the
   * repository the example's imports (express, pg and their types) resolve from the root's
   * node_modules; the copy gets a link to it unless `linkModules` is false (a fresh clone).
   */
  copyExample(name = 'orders-api', { linkModules = true } = {}) {
    const source = path.join(root, 'examples', name);
    if (!fs.existsSync(source)) throw new Error(`${path.relative(repo, source)} does not exist`);
    const dest = path.join(this.tmpDir, 'workspaces', `${this.id}-${name}`);
    fs.rmSync(dest, { recursive: true, force: true });
    fs.cpSync(source, dest, { recursive: true });
    const modules = path.join(root, 'node_modules');
    if (linkModules && !fs.existsSync(path.join(dest, 'node_modules')) && fs.existsSync(modules)) {
      fs.symlinkSync(modules, path.join(dest, 'node_modules'), 'dir');
    }
    return dest;
  }

  /** Opens `folder` in the shared code-server (the packaged .vsix installed). trust: true/false/undefined. */
  async open(folder, options) {
    const workbench = await Workbench.open(this.browserContext, this.server, folder, options);
    this.workbenches.push(workbench);
    return workbench;
  }

  /** Runs test/e2e/host in the extension host of a dedicated code-server; returns mocha's json report. */
  runHostSuite({ folder, trusted, timeoutMs }) {
    const screenshot = path.join(artifacts, `${this.id}-${trusted ? 'trusted' : 'restricted'}.png`);
    this.screenshots.push(screenshot);
    return runHostSuite({
      entry: this.code.entry, extensionPath: root, testsEntry: this.hostEntry, folder, trusted,
      browser: this.browser, tmpDir: this.tmpDir, timeoutMs, screenshot,
    });
  }
}

async function discoverScenarios(filters) {
  const dir = path.join(here, 'scenarios');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort();
  const scenarios = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(dir, file)).href);
    const scenario = mod.default ?? mod;
    if (typeof scenario.name !== 'string' || typeof scenario.run !== 'function') {
      throw new Error(`scenarios/${file} must export { name, async run(ctx) }`);
    }
    const id = path.basename(file, '.mjs');
    if (filters.length && !filters.some((f) => id.includes(f) || scenario.name.includes(f))) continue;
    const unknown = (scenario.needs ?? []).filter((n) => n !== STACK);
    if (unknown.length) throw new Error(`scenarios/${file} needs ${unknown.join(', ')}; only '${STACK}' exists`);
    scenarios.push({ id, timeoutMs: DEFAULT_TIMEOUT_MS, ...scenario });
  }
  return scenarios;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runScenario(scenario, shared) {
  const browserContext = await shared.browser.newContext({ viewport: { width: 1400, height: 1100 } });
  const ctx = new ScenarioContext({ id: scenario.id, browserContext, ...shared });
  const t0 = Date.now();
  let error;
  try {
    await withTimeout(scenario.run(ctx), scenario.timeoutMs, `scenario "${scenario.name}"`);
  } catch (err) {
    error = err;
  }
  const last = ctx.workbenches.at(-1);
  if (last) {
    const file = path.join(artifacts, `${scenario.id}.png`);
    await withTimeout(last.screenshot(file), 15_000, 'screenshot').then(() => ctx.screenshots.push(file), () => {});
  }
  await browserContext.close().catch(() => {});
  const status = error ? 'FAIL' : 'ok  ';
  console.log(`${status} ${scenario.name} (${seconds(t0)})`);
  if (error) console.log(indent(error.stack ?? String(error)));
  for (const shot of ctx.screenshots.filter((s) => fs.existsSync(s))) console.log(`      screenshot: ${path.relative(repo, shot)}`);
  return !error;
}

const indent = (text) => text.split('\n').map((l) => `      ${l}`).join('\n');

async function main() {
  const filters = process.argv.slice(2);
  const scenarios = await discoverScenarios(filters);
  if (!scenarios.length) throw new Error(`no scenario matches ${filters.join(' ')}`);
  fs.mkdirSync(artifacts, { recursive: true });
  // Only this run's scenarios' old screenshots: a run of other scenarios may be going on.
  for (const old of fs.readdirSync(artifacts).filter((f) => scenarios.some((s) => f.startsWith(`${s.id}`)))) {
    fs.rmSync(path.join(artifacts, old), { force: true });
  }

  console.log(`Shipshape end-to-end: ${scenarios.length} scenario(s) against ${root}`);
  // Chromium first: it and code-server's build may both need apt-get, which runs one at a time.
  const chromium = await ensureChromium({ log });
  const [code, vsix] = await Promise.all([ensureCodeServer({ log }), ensureVsix(root, { log })]);
  const hostEntry = await buildHostSuite(repo);
  log(`code-server ${code.version}; ${chromium}; ${vsix}`);

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-e2e-'));
  let server;
  let browser;
  let stack;
  let passed = 0;
  let failed = 0;
  try {
    const dirs = makeServerDirs(tmpDir);
    await installExtension(code.entry, dirs, vsix);
    server = await startCodeServer(code.entry, dirs);
    browser = await launchBrowser(chromium);
    log(`code-server pid ${server.pid} on ${server.url}; ready after ${seconds(started)}`);
    let stackError;
    for (const scenario of scenarios) {
      if (scenario.needs?.includes(STACK) && !stack && !stackError) {
        const t0 = Date.now();
        try {
          stack = await startOrdersApiStack(root, { log });
          log(`orders-api on ${stack.appUrl} (pid ${stack.appPid}), PostgreSQL pid ${stack.postgresPid}; ready after ${seconds(t0)}`);
        } catch (err) {
          stackError = err;
        }
      }
      if (scenario.needs?.includes(STACK) && stackError) {
        // Only the scenarios that need the example API fail; the others still run.
        console.log(`FAIL ${scenario.name}: the example API on PostgreSQL did not start: ${stackError.message}`);
        failed++;
        continue;
      }
      if (await runScenario(scenario, { server, code, browser, tmpDir, hostEntry, stack })) passed++;
      else failed++;
    }
  } finally {
    if (stack) {
      await stack.stop().catch((err) => log(`stopping the orders-api stack: ${err.message}`));
      log('orders-api and its PostgreSQL stopped');
    }
    await browser?.close().catch(() => {});
    if (server) {
      await stopCodeServer(server);
      fs.copyFileSync(server.logFile, path.join(artifacts, 'code-server.log'));
    }
    killRunningServersSync();
    if (process.env.SHIPSHAPE_E2E_KEEP) log(`kept the workspaces and code-server dirs in ${tmpDir}`);
    else fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  console.log(`(${seconds(started)} in all)`);
  return { passed, failed };
}

process.on('exit', () => { killStackSync(); killRunningServersSync(); });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killStackSync();
    killRunningServersSync();
    process.exit(130);
  });
}

let result;
try {
  result = await main();
} catch (err) {
  // A missing prerequisite is one line saying what to run; anything else keeps its stack.
  console.log(`FAIL setup: ${err instanceof SetupStop ? err.message : err.stack ?? err}`);
  result = { passed: 0, failed: 1 };
}
console.log(`${result.passed} passed, ${result.failed} failed`);
process.exitCode = result.failed > 0 ? 1 : 0;
